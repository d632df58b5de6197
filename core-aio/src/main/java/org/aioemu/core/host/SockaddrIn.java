package org.aioemu.core.host;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The host {@code struct sockaddr_in} for {@link HostIo#bind}, {@link HostIo#connect} and
 * {@link HostIo#getsockname}. Port and address are in network byte order in memory; the layout
 * says so, so callers read and write them as plain host numbers.
 */
public final class SockaddrIn {
    /*
     * struct sockaddr_in {
     *     sa_family_t    sin_family;   // 0   unsigned short, host order
     *     in_port_t      sin_port;     // 2   uint16_t, network order
     *     struct in_addr sin_addr;     // 4   uint32_t s_addr, network order
     *     unsigned char  sin_zero[8];  // 8
     * };                               // 16
     */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sin_family"),
            JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN).withName("sin_port"),
            JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN).withName("sin_addr"),
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("sin_zero"));

    /** 127.0.0.1 as a host-order number (INADDR_LOOPBACK). */
    public static final int INADDR_LOOPBACK = 0x7f000001;

    private static final VarHandle FAMILY = field("sin_family");
    private static final VarHandle PORT = field("sin_port");
    private static final VarHandle ADDR = field("sin_addr");

    private SockaddrIn() {}

    /** A zeroed AF_INET address for {@code ipv4} (host order) and {@code port} (0: any). */
    public static MemorySegment of(Arena arena, int ipv4, int port) {
        MemorySegment sa = arena.allocate(LAYOUT);
        FAMILY.set(sa, (short) HostConstants.AF_INET);
        PORT.set(sa, (short) port);
        ADDR.set(sa, ipv4);
        return sa;
    }

    public static int family(MemorySegment sa) {
        return Short.toUnsignedInt((short) FAMILY.get(sa));
    }

    public static int port(MemorySegment sa) {
        return Short.toUnsignedInt((short) PORT.get(sa));
    }

    /** The IPv4 address as a host-order number (127.0.0.1 is 0x7f000001). */
    public static int address(MemorySegment sa) {
        return (int) ADDR.get(sa);
    }

    // One struct, never an array: fix the layout handle's base-offset coordinate at 0.
    private static VarHandle field(String name) {
        return MethodHandles.insertCoordinates(LAYOUT.varHandle(groupElement(name)), 1, 0L);
    }
}
