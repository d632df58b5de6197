package org.aioemu.cli.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.aioemu.cli.replay.TracePlan.PathPlan;

/**
 * The files a trace names, recreated under a root directory: trace path "/srv/x/small.dat" is
 * ROOT/srv/x/small.dat. Files that existed before the trace get the size its reads need and a
 * deterministic initial content (the base pattern) up to {@link #BASE_LIMIT}, holes beyond.
 */
final class ReplayWorld implements AutoCloseable {
    /** Initial content is written up to this size; larger files are sparse (zeros) past it. */
    static final long BASE_LIMIT = 64L << 20;

    private final Path root;
    private final boolean temporary;
    private final Map<String, FileContent> files = new HashMap<>();

    private ReplayWorld(Path root, boolean temporary) {
        this.root = root;
        this.temporary = temporary;
    }

    /** Lays out {@code plan} under {@code root}, or under a new temporary directory when null. */
    static ReplayWorld build(Path root, TracePlan plan) throws IOException {
        boolean temp = root == null;
        Path r = temp ? Files.createTempDirectory("aioemu-replay-") : root.toAbsolutePath().normalize();
        if (r.getParent() == null) throw new IllegalArgumentException("refusing to replay into " + r + ": pick a directory of its own");
        Files.createDirectories(r);
        ReplayWorld w = new ReplayWorld(r, temp);
        for (PathPlan p : plan.paths().values()) {
            Path host = w.host(p.path());
            // the directory of any path the trace used was there, even if the file was not
            if (host.getParent() != null && host.startsWith(r)) Files.createDirectories(host.getParent());
            if (!p.existsAtStart()) continue;
            if (p.directory()) {
                Files.createDirectories(host);
            } else {
                w.layOut(p.path(), host, p.size());
            }
        }
        return w;
    }

    private void layOut(String tracePath, Path host, long size) throws IOException {
        long seed = DataPattern.seedOf(tracePath);
        long base = Math.min(size, BASE_LIMIT);
        try (FileChannel ch = FileChannel.open(host, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING); Arena arena = Arena.ofConfined()) {
            MemorySegment chunk = arena.allocate(1 << 20);
            for (long off = 0; off < base; off += chunk.byteSize()) {
                MemorySegment part = chunk.asSlice(0, Math.min(chunk.byteSize(), base - off));
                DataPattern.fill(part, seed, off);
                ch.write(part.asByteBuffer(), off);
            }
            ch.truncate(size);
            if (ch.size() < size) ch.write(ByteBuffer.allocate(1), size - 1); // extend with a hole
        }
        files.put(tracePath, new FileContent(seed, base));
    }

    /** Where trace path {@code p} lives on the host. */
    Path host(String tracePath) {
        return root.resolve(TracePaths.resolve("/", tracePath).substring(1));
    }

    /** The content model of the file at a trace path, made empty (as a new file) if unknown. */
    FileContent content(String tracePath) {
        return files.computeIfAbsent(tracePath, p -> new FileContent(DataPattern.seedOf(p), 0));
    }

    /** The path no longer names that file (unlink); fds open on it keep its content model. */
    void forget(String tracePath) {
        files.remove(tracePath);
    }

    @Override
    public void close() {
        if (!temporary) return;
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
