package org.aioemu.cli.replay;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Traces for tests: the ones in test resources (taken with strace from mtaio.c), and text parsed in place. */
final class TestTraces {
    private TestTraces() {}

    static String resource(String name) {
        try (InputStream in = TestTraces.class.getResourceAsStream("/traces/" + name)) {
            if (in == null) throw new IllegalArgumentException("no test trace " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a resource trace to a file, for code that reads paths. */
    static Path resourceFile(String name, Path dir) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, resource(name));
        return p;
    }

    static List<TraceCall> strict(String strace) {
        return new StraceParser(false, w -> { throw new AssertionError("no warnings in strict mode: " + w); })
                .parse(new StringReader(strace));
    }

    static List<TraceCall> lenient(String strace, List<TraceWarning> warnings) {
        return new StraceParser(true, warnings::add).parse(new StringReader(strace));
    }

    static List<TraceCall> load(Path trace) throws IOException {
        List<TraceWarning> w = new ArrayList<>();
        List<TraceCall> calls = TraceFormat.load(trace, null, false, w::add);
        if (!w.isEmpty()) throw new AssertionError("unexpected warnings: " + w);
        return calls;
    }
}
