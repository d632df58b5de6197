package org.aioemu.freebsd.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.aioemu.core.host.HostErrno;
import org.aioemu.freebsd.FreeBsdErrno;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FreeBsdHostErrnoTest {
    @Test
    @DisplayName("the shim's errno table maps FreeBSD numbers to the host's by name (EAGAIN 35 -> 11, EINPROGRESS 36 -> 115, ...)")
    void byName() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment map = arena.allocate(4L * FreeBsdShimTable.ERRNO_MAP_SIZE);
            FreeBsdHostErrno.fill(map);
            for (String name : new String[] {"EPERM", "EINTR", "EIO", "EBADF", "EFAULT", "EINVAL", "EPIPE", "EAGAIN",
                    "EINPROGRESS", "EOPNOTSUPP", "ETIMEDOUT", "ENOSYS", "ECANCELED", "EOVERFLOW"}) {
                assertEquals(HostErrno.number(name), host(map, FreeBsdErrno.number(name)), name);
            }
            assertEquals(11, host(map, 35));
            assertEquals(115, host(map, 36));
            assertEquals(125, host(map, 85));
            assertEquals(0, host(map, FreeBsdErrno.number("ENOTCAPABLE")), "no host name: left for the C side's EIO");
            assertEquals(0, host(map, 0));
        }
    }

    private static int host(MemorySegment map, int fbsd) {
        return map.getAtIndex(ValueLayout.JAVA_INT, fbsd);
    }
}
