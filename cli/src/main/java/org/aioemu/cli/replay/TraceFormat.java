package org.aioemu.cli.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** The trace formats replay reads, and how to tell them apart from their content. */
public enum TraceFormat {
    STRACE, JSONL;

    /** JSONL if the first non-blank line is an aioemu-trace header, else strace. */
    public static TraceFormat detect(String firstNonBlankLine) {
        String s = firstNonBlankLine == null ? "" : firstNonBlankLine.strip();
        return s.startsWith("{") && s.contains("\"format\"") && s.contains("\"" + JsonTrace.FORMAT + "\"") ? JSONL : STRACE;
    }

    public static TraceFormat detect(Path trace) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(trace, StandardCharsets.ISO_8859_1)) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank()) return detect(line);
            }
        }
        return STRACE;
    }

    public List<TraceCall> read(Reader in, boolean lenient, Consumer<TraceWarning> warnings) {
        return switch (this) {
            case STRACE -> new StraceParser(lenient, warnings).parse(in);
            case JSONL -> JsonTrace.read(in, lenient, warnings);
        };
    }

    /** Reads a trace file in {@code format}, or in the format its content shows when null. */
    public static List<TraceCall> load(Path trace, TraceFormat format, boolean lenient, Consumer<TraceWarning> warnings)
            throws IOException {
        TraceFormat f = format != null ? format : detect(trace);
        // strace writes bytes >= 0x80 only inside escapes, but -y paths may hold UTF-8; JSON is UTF-8
        try (Reader r = Files.newBufferedReader(trace, StandardCharsets.UTF_8)) {
            return f.read(r, lenient, warnings);
        }
    }
}
