package org.aioemu.core.host;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** A host IPv4 socket address, for {@link HostIo#bind}, {@link HostIo#connect} and {@link HostIo#getsockname}. */
public final class SockaddrIn {
    /*
     * struct sockaddr_in {
     *     sa_family_t    sin_family;   // 0: AF_INET, host order
     *     in_port_t      sin_port;     // 2: network order
     *     struct in_addr sin_addr;     // 4: network order
     *     unsigned char  sin_zero[8];  // 8
     * };                               // 16
     */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sin_family"),
            JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN).withName("sin_port"),
            JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN).withName("sin_addr"),
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("sin_zero"));

    /** 127.0.0.1 in host order. */
    public static final int INADDR_LOOPBACK = 0x7f00_0001;

    private static final VarHandle FAMILY = LAYOUT.varHandle(groupElement("sin_family"));
    private static final VarHandle PORT = LAYOUT.varHandle(groupElement("sin_port"));
    private static final VarHandle ADDR = LAYOUT.varHandle(groupElement("sin_addr"));

    private SockaddrIn() {}

    /** 127.0.0.1:{@code port}; port 0 lets bind(2) choose one. */
    public static MemorySegment loopback(SegmentAllocator a, int port) {
        MemorySegment sa = a.allocate(LAYOUT);   // zeroed, so sin_zero is too
        FAMILY.set(sa, 0L, (short) HostConstants.AF_INET);
        PORT.set(sa, 0L, (short) port);
        ADDR.set(sa, 0L, INADDR_LOOPBACK);
        return sa;
    }

    public static int port(MemorySegment sa) {
        return Short.toUnsignedInt((short) PORT.get(sa, 0L));
    }

    /** The IPv4 address in host order. */
    public static int address(MemorySegment sa) {
        return (int) ADDR.get(sa, 0L);
    }
}
