package org.aioemu.core.host;

import static org.aioemu.core.host.HostConstants.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import jnr.constants.platform.linux.Errno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FdInfoTest {
    @TempDir Path dir;
    private final Fds fds = new Fds();

    @AfterEach
    void cleanUp() {
        fds.close();
    }

    @Test
    void regularFile() throws Exception {
        Path f = dir.resolve("f");
        Files.write(f, new byte[42]);
        int fd = fds.open(f.toString(), O_RDONLY);
        FdInfo info = FdInfo.probe(fd);
        assertEquals(fd, info.fd());
        assertEquals(FdKind.REGULAR, info.kind());
        assertEquals(42, info.size());
        assertEquals(((Number) Files.getAttribute(f, "unix:ino")).longValue(), info.ino());
        assertEquals(((Number) Files.getAttribute(f, "unix:dev")).longValue(), info.dev());
        assertTrue(info.readable());
        assertFalse(info.writable());
        assertFalse(info.kind().isStream());
    }

    @Test
    void statusFlags() throws Exception {
        Path f = dir.resolve("f");
        Files.createFile(f);
        FdInfo info = FdInfo.probe(fds.open(f.toString(), O_WRONLY | O_APPEND | O_NONBLOCK));
        assertFalse(info.readable());
        assertTrue(info.writable());
        assertTrue(info.append());
        assertTrue(info.nonBlocking());
        assertFalse(info.direct());

        FdInfo rw = FdInfo.probe(fds.open(f.toString(), O_RDWR));
        assertTrue(rw.readable() && rw.writable());
        assertFalse(rw.append() || rw.nonBlocking());

        FdInfo path = FdInfo.probe(fds.open(f.toString(), O_PATH));
        assertFalse(path.readable() || path.writable(), "O_PATH allows no I/O");
    }

    @Test
    void pipeEnds() throws Exception {
        int[] p = fds.pipe(O_NONBLOCK);
        FdInfo r = FdInfo.probe(p[0]);
        FdInfo w = FdInfo.probe(p[1]);
        assertEquals(FdKind.PIPE, r.kind());
        assertTrue(r.kind().isStream());
        assertTrue(r.readable() && !r.writable() && r.nonBlocking());
        assertTrue(w.writable() && !w.readable());
        assertEquals(r.ino(), w.ino(), "both ends are one pipe inode");
    }

    @Test
    void socketpair() throws Exception {
        int[] s = fds.socketpair();
        FdInfo info = FdInfo.probe(s[0]);
        assertEquals(FdKind.SOCKET, info.kind());
        assertTrue(info.kind().isStream());
        assertTrue(info.readable() && info.writable());
    }

    @Test
    void devNullIsCharDevice() throws Exception {
        assertEquals(FdKind.CHAR_DEVICE, FdInfo.probe(fds.open("/dev/null", O_RDWR)).kind());
    }

    @Test
    void directory() throws Exception {
        assertEquals(FdKind.DIRECTORY, FdInfo.probe(fds.open(dir.toString(), O_RDONLY | O_DIRECTORY)).kind());
    }

    @Test
    void eventfdAndEpollAreOther() throws Exception {
        // anonymous-inode fds have no file type bits at all
        assertEquals(FdKind.OTHER, FdInfo.probe(fds.track(HostIo.eventfd(0, EFD_CLOEXEC))).kind());
    }

    @Test
    void symlinkSeenThroughOPathNoFollow() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("l"), dir.resolve("target"));
        int oNoFollow = 0400000; // O_NOFOLLOW: with O_PATH, opens the link itself
        assertEquals(FdKind.SYMLINK, FdInfo.probe(fds.open(link.toString(), O_PATH | oNoFollow)).kind());
    }

    @Test
    void closedFdFails() {
        int ebadf = Errno.EBADF.intValue();
        HostException e = assertThrows(HostException.class, () -> FdInfo.probe(-1));
        assertEquals(ebadf, e.errno());
        assertEquals("fstat", e.call());
        assertEquals("fstat: Bad file descriptor (EBADF)", e.getMessage());

        int[] errno = new int[1];
        assertNull(FdInfo.probeOrNull(-1, errno));
        assertEquals(ebadf, errno[0]);
    }

    @Test
    void fromModeIgnoresPermissionBits() {
        assertEquals(FdKind.REGULAR, FdKind.fromMode(S_IFREG | 0644));
        assertEquals(FdKind.BLOCK_DEVICE, FdKind.fromMode(S_IFBLK | 0660));
        assertEquals(FdKind.PIPE, FdKind.fromMode(S_IFIFO | 0600));
        assertEquals(FdKind.OTHER, FdKind.fromMode(0));
    }
}
