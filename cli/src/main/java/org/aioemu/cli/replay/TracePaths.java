package org.aioemu.cli.replay;

import java.nio.file.Path;

/** How a trace names files: absolute paths resolved against a working directory, and -y's special names. */
final class TracePaths {
    private TracePaths() {}

    /** What a -y path says an fd is. */
    enum Kind { FILE, PIPE, SOCKET, EVENTFD, ANON, DEVICE }

    static Kind classify(String yPath) {
        if (yPath.startsWith("pipe:[")) return Kind.PIPE;
        if (yPath.startsWith("socket:[") || yPath.matches("^(UNIX|UNIX-STREAM|UNIX-DGRAM|TCP|TCPv6|UDP|UDPv6|NETLINK)(:|-).*"))
            return Kind.SOCKET;
        if (yPath.equals("anon_inode:[eventfd]")) return Kind.EVENTFD;
        if (yPath.startsWith("anon_inode:")) return Kind.ANON;
        if (yPath.startsWith("/dev/")) return Kind.DEVICE;
        if (yPath.startsWith("/")) return Kind.FILE;
        return Kind.ANON;
    }

    /** {@code path} resolved against directory {@code base} (an absolute trace path; "/" when unknown), normalized. */
    static String resolve(String base, String path) {
        Path b = Path.of(base == null || !base.startsWith("/") ? "/" : base);
        return b.resolve(path).normalize().toString();
    }

    /** The identity -y gives a pipe or socket, "pipe:[484430]" -> "484430"; the whole name otherwise. */
    static String inode(String yPath) {
        int a = yPath.indexOf('['), b = yPath.lastIndexOf(']');
        return a >= 0 && b > a ? yPath.substring(a + 1, b) : yPath;
    }
}
