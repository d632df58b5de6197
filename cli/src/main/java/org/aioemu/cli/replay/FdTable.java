package org.aioemu.cli.replay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.aioemu.core.host.FdInfo;
import org.aioemu.core.host.FdKind;
import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;

/**
 * Trace fd numbers to replayed fds. Fds the trace opened are entered as it opens them; fds it
 * inherited or made with calls it did not trace are created on first use from what -y shows
 * (a file under the root, a pipe whose two ends pair up by inode, a socketpair, an eventfd), and
 * stdin/stdout/stderr become /dev/null.
 */
final class FdTable implements AutoCloseable {
    /** How an fd is about to be used, which picks the end of a recreated pipe. */
    enum Use { READ, WRITE, OTHER }

    private final ReplayWorld world;
    private final Map<Integer, OpenFd> fds = new HashMap<>();
    private final Map<String, int[]> pipesByInode = new HashMap<>();
    private final Map<String, StreamContent> pipeStreams = new HashMap<>();
    // every host fd replay opened, closed at the end unless the trace closed it first
    private final Set<Integer> hostFds = new HashSet<>();
    // ends of recreated pipes/socketpairs the trace never used, kept open so the others do not see EOF/EPIPE
    private final List<Integer> spareEnds = new ArrayList<>();
    private final List<TraceWarning> notes;

    FdTable(ReplayWorld world, List<TraceWarning> notes) {
        this.world = world;
        this.notes = notes;
    }

    /** The replayed fd for {@code ref}, recreating an inherited one; null if replay cannot make one (the caller passes -1). */
    OpenFd resolve(FdRef ref, Use use, int line) {
        OpenFd f = fds.get(ref.fd());
        if (f != null) return f;
        if (ref.path() != null) {
            f = materialize(ref, use, line);
        } else if (ref.fd() >= 0 && ref.fd() <= 2) {
            f = placeholder(ref.fd(), "stdio");
        }
        if (f != null) fds.put(ref.fd(), f);
        return f;
    }

    OpenFd get(int traceFd) {
        return fds.get(traceFd);
    }

    /** Enters a host fd the trace got as {@code traceFd}; a previous holder of the number is closed (its process reused it). */
    OpenFd enter(int traceFd, OpenFd f) {
        hostFds.add(f.host());
        OpenFd old = fds.put(traceFd, f);
        if (old != null && old.host() != f.host() && !fds.containsValue(old)) closeHost(old.host());
        return f;
    }

    /** An fd the trace opened by path. */
    OpenFd opened(int traceFd, int host, String tracePath) {
        FdInfo info = FdInfo.probeOrNull(host, new int[1]);
        OpenFd.Kind kind = info == null ? OpenFd.Kind.PLACEHOLDER : switch (info.kind()) {
            case REGULAR -> OpenFd.Kind.FILE;
            case DIRECTORY -> OpenFd.Kind.DIRECTORY;
            default -> OpenFd.Kind.PLACEHOLDER;
        };
        FileContent content = kind == OpenFd.Kind.FILE ? world.content(tracePath) : null;
        return enter(traceFd, new OpenFd(host, kind, tracePath, content, new OpenFd.Position(), null, null));
    }

    /** Removes the trace fd; returns its host fd so the caller can close it, or -1 if another trace fd still holds it. */
    int remove(int traceFd) {
        OpenFd f = fds.remove(traceFd);
        if (f == null) return -1;
        if (fds.containsValue(f)) return -1;
        hostFds.remove(f.host());
        return f.host();
    }

    private OpenFd materialize(FdRef ref, Use use, int line) {
        String p = ref.path();
        OpenFd f = switch (TracePaths.classify(p)) {
            case FILE -> {
                int host = HostIo.open(world.host(p).toString(), HostConstants.O_RDWR | HostConstants.O_CLOEXEC, 0);
                if (host < 0) host = HostIo.open(world.host(p).toString(), HostConstants.O_RDONLY | HostConstants.O_CLOEXEC, 0);
                if (host < 0) yield null;
                FdInfo info = FdInfo.probeOrNull(host, new int[1]);
                boolean dir = info != null && info.kind() == FdKind.DIRECTORY;
                hostFds.add(host);
                yield new OpenFd(host, dir ? OpenFd.Kind.DIRECTORY : OpenFd.Kind.FILE, p,
                        dir ? null : world.content(p), new OpenFd.Position(), null, null);
            }
            case PIPE -> pipeEnd(p, use);
            case SOCKET -> socket(p);
            case EVENTFD -> {
                int host = HostIo.eventfd(0, HostConstants.EFD_CLOEXEC);
                hostFds.add(host);
                yield new OpenFd(host, OpenFd.Kind.EVENTFD, p, null, null, null, null);
            }
            case ANON, DEVICE -> placeholder(ref.fd(), p);
        };
        if (f != null) notes.add(new TraceWarning(line, "fd " + ref + " was not opened in the trace (inherited, or made by an"
                + " untraced call): recreated as " + describe(f)));
        return f;
    }

    private OpenFd pipeEnd(String p, Use use) {
        String inode = TracePaths.inode(p);
        int[] ends = pipesByInode.get(inode);
        StreamContent stream = pipeStreams.computeIfAbsent(inode, k -> new StreamContent());
        if (ends == null) {
            ends = new int[2];
            int rc = HostIo.pipe2(ends, HostConstants.O_CLOEXEC);
            if (rc < 0) return null;
            pipesByInode.put(inode, ends);
            int mine = use == Use.WRITE ? 1 : 0;
            spareEnds.add(ends[1 - mine]);
            hostFds.add(ends[mine]);
            return new OpenFd(ends[mine], OpenFd.Kind.PIPE, p, null, null, mine == 0 ? stream : null, mine == 1 ? stream : null);
        }
        // the other end was made already: this fd is the end still spare
        for (int i = 0; i < 2; i++) {
            if (spareEnds.remove((Integer) ends[i])) {
                hostFds.add(ends[i]);
                return new OpenFd(ends[i], OpenFd.Kind.PIPE, p, null, null, i == 0 ? stream : null, i == 1 ? stream : null);
            }
        }
        int dup = HostIo.dup(ends[use == Use.WRITE ? 1 : 0]);
        hostFds.add(dup);
        return new OpenFd(dup, OpenFd.Kind.PIPE, p, null, null, use == Use.WRITE ? null : stream, use == Use.WRITE ? stream : null);
    }

    private OpenFd socket(String p) {
        int[] pair = new int[2];
        if (HostIo.socketpair(HostConstants.AF_UNIX, HostConstants.SOCK_STREAM | HostConstants.SOCK_CLOEXEC, 0, pair) < 0) return null;
        spareEnds.add(pair[1]);
        hostFds.add(pair[0]);
        return new OpenFd(pair[0], OpenFd.Kind.SOCKET, p, null, null, new StreamContent(), new StreamContent());
    }

    private OpenFd placeholder(int traceFd, String what) {
        int host = HostIo.open("/dev/null", HostConstants.O_RDWR | HostConstants.O_CLOEXEC, 0);
        hostFds.add(host);
        return new OpenFd(host, OpenFd.Kind.PLACEHOLDER, what, null, null, null, null);
    }

    private static String describe(OpenFd f) {
        return switch (f.kind()) {
            case FILE -> "the file under the replay root";
            case DIRECTORY -> "the directory under the replay root";
            case PIPE -> "one end of a new pipe";
            case SOCKET -> "one end of a new AF_UNIX socketpair";
            case EVENTFD -> "a new eventfd (counter 0)";
            case PLACEHOLDER -> "/dev/null (its reads and writes are not checked)";
        };
    }

    private void closeHost(int host) {
        if (hostFds.remove(host)) HostIo.close(host);
    }

    @Override
    public void close() {
        for (int fd : hostFds) HostIo.close(fd);
        for (int fd : spareEnds) HostIo.close(fd);
        hostFds.clear();
        spareEnds.clear();
        fds.clear();
    }

}
