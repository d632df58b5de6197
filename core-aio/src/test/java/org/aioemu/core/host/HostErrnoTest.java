package org.aioemu.core.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HostErrnoTest {
    @Test
    void namesPreferTheUsualAlias() {
        assertEquals("EAGAIN", HostErrno.name(11));
        assertEquals("EOPNOTSUPP", HostErrno.name(95));
        assertEquals("EDEADLK", HostErrno.name(35));
        assertEquals("EBADF", HostErrno.name(9));
        assertEquals("EBADF", HostErrno.name(-9), "a HostIo result works as is");
        assertEquals("errno 4000", HostErrno.name(4000));
    }

    @Test
    void numbersKnowEveryAlias() {
        assertEquals(11, HostErrno.number("EAGAIN"));
        assertEquals(11, HostErrno.number("EWOULDBLOCK"));
        assertEquals(95, HostErrno.number("ENOTSUP"));
        assertEquals(35, HostErrno.number("EDEADLOCK"));
        assertEquals(125, HostErrno.number("ECANCELED"));
        assertEquals(-1, HostErrno.number("ENOTANERRNO"));
    }

    @Test
    void describeUsesLibc() {
        assertEquals("No such file or directory", HostErrno.describe(2));
        assertEquals("Resource temporarily unavailable", HostErrno.describe(-11));
        assertEquals("Unknown error 4000", HostErrno.describe(4000));
    }
}
