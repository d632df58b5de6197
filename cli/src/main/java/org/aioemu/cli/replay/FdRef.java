package org.aioemu.cli.replay;

/**
 * A file descriptor as the traced program saw it: its number, and the path strace {@code -y}
 * printed beside it ({@code 3</srv/data>}, {@code 6<pipe:[484430]>}), or null without -y.
 * {@link #AT_FDCWD} stands for the working directory in *at() calls.
 */
public record FdRef(int fd, String path) {
    public static final int AT_FDCWD = -100;

    public boolean isCwd() {
        return fd == AT_FDCWD;
    }

    @Override
    public String toString() {
        return path == null ? Integer.toString(fd) : fd + "<" + path + ">";
    }
}
