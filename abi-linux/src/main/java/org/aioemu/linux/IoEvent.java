package org.aioemu.linux;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import org.aioemu.core.host.HostIocb;

/**
 * <pre>
 * struct io_event {     // uapi linux/aio_abi.h
 *     __u64 data;       //  0  the iocb's aio_data
 *     __u64 obj;        //  8  the iocb's user address
 *     __s64 res;        // 16  bytes, -errno, or a poll mask
 *     __s64 res2;       // 24  always 0
 * };                    // 32 bytes
 * </pre>
 */
public final class IoEvent {
    private IoEvent() {}

    /** The guest's io_event is the host's (x86_64 Linux both): one layout, the core's. */
    public static final StructLayout LAYOUT = HostIocb.EVENT_LAYOUT;

    public static final long SIZE = LAYOUT.byteSize();

    private static final VarHandle DATA = LAYOUT.arrayElementVarHandle(MemoryLayout.PathElement.groupElement("data"));
    private static final VarHandle OBJ = LAYOUT.arrayElementVarHandle(MemoryLayout.PathElement.groupElement("obj"));
    private static final VarHandle RES = LAYOUT.arrayElementVarHandle(MemoryLayout.PathElement.groupElement("res"));
    private static final VarHandle RES2 = LAYOUT.arrayElementVarHandle(MemoryLayout.PathElement.groupElement("res2"));

    public static long data(MemorySegment events, long i) { return (long) DATA.get(events, 0L, i); }
    public static long obj(MemorySegment events, long i) { return (long) OBJ.get(events, 0L, i); }
    public static long res(MemorySegment events, long i) { return (long) RES.get(events, 0L, i); }
    public static long res2(MemorySegment events, long i) { return (long) RES2.get(events, 0L, i); }

    public static void set(MemorySegment events, long i, long data, long obj, long res, long res2) {
        DATA.set(events, 0L, i, data);
        OBJ.set(events, 0L, i, obj);
        RES.set(events, 0L, i, res);
        RES2.set(events, 0L, i, res2);
    }
}
