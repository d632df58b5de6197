package org.aioemu.cli.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.aioemu.cli.replay.JsonTrace;
import org.aioemu.cli.replay.TraceCall;

/**
 * A JSON-lines trace being appended to, possibly by several processes at once (a program that
 * forks, fio's job processes): each line is one write on an O_APPEND file, and the header is
 * written by whoever finds the file empty, under a lock.
 */
final class TraceFile implements AutoCloseable {
    private final FileChannel ch;

    TraceFile(Path path, String source) throws IOException {
        ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        try (FileLock lock = ch.lock()) {
            if (ch.size() == 0) append(JsonTrace.headerLine(source));
        }
    }

    synchronized void append(TraceCall c) throws IOException {
        append(JsonTrace.toLine(c));
    }

    private void append(String line) throws IOException {
        ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) ch.write(b);
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
