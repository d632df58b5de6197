package org.aioemu.conformance.linux.differential;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.aioemu.conformance.linux.KernelLinuxAioLayouts.*;
import static org.aioemu.linux.LinuxAioConstants.*;

import java.lang.foreign.MemorySegment;
import org.aioemu.conformance.linux.KernelLinuxAioLayouts;
import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.aioemu.core.host.IoVec;

/**
 * The generated program's memory in one world: one anonymous mapping with the same layout in
 * every world, so that "iocb slot 7" or "the events array" is the same offset from the base
 * everywhere and only the base differs. It holds a PROT_NONE page and a PROT_READ page for the
 * bad-pointer cases; Java code here touches only the read-write parts.
 *
 * <pre>
 *   0x000000  header: ctxp slots, timespecs, __aio_sigset structs, a sigset, a cancel result
 *   0x001000  iocb slots (256 x 64)
 *   0x005000  iovec arrays (256 x 8 x 16)
 *   0x00d000  iocb pointer arrays (64 steps x 8 x 8)
 *   0x00e000  io_event array (256 x 32)
 *   0x010000  one page whose end meets...
 *   0x011000  ...a PROT_NONE page
 *   0x012000  a PROT_READ page: read-only iocbs, a {0,0} timespec, a zero ctx slot
 *   0x013000  data: one 4 KiB I/O buffer per iocb slot (256)
 *   0x113000  one page whose end meets...
 *   0x114000  ...a second PROT_NONE page
 * </pre>
 */
public final class ProgramMemory implements AutoCloseable {
    static final long PAGE = 4096;
    public static final int MAX_SLOTS = 256;
    /** Slots from here on are in the read-only page. */
    public static final int READ_ONLY_SLOT0 = 1000;
    public static final int MAX_READ_ONLY_SLOTS = 32;
    public static final int MAX_HANDLES = 8;
    public static final int IOVS_PER_SLOT = 8;
    public static final long DATA_SLOT = 4096;
    public static final int MAX_STEPS = 64;
    public static final int MAX_EVENTS = 256;
    /** Bytes of the read-only page free for use as a write's source or a read's (faulting) target. */
    public static final long READ_ONLY_FREE_FROM = 2560;

    static final long CTXP_OFF = 0;
    static final long CTXP_PRESET_OFF = CTXP_OFF + 8 * MAX_HANDLES;
    /** LTP io_setup01's preset: a nonzero *ctxp is EINVAL. */
    public static final long CTXP_PRESET = 0x0101010101010101L;
    static final long TS_OFF = 128;
    static final long USIG_OFF = 256;
    static final long SIGMASK_OFF = 384;
    static final long RESULT_OFF = 512;
    static final long IOCB_OFF = PAGE;
    static final long IOV_OFF = IOCB_OFF + MAX_SLOTS * 64L;
    static final long ARRAY_OFF = IOV_OFF + MAX_SLOTS * IOVS_PER_SLOT * 16L;
    static final long EVENTS_OFF = ARRAY_OFF + MAX_STEPS * 64L;
    static final long TAIL_OFF = EVENTS_OFF + MAX_EVENTS * 32L;
    static final long GUARD_OFF = TAIL_OFF + PAGE;
    static final long RO_OFF = GUARD_OFF + PAGE;
    static final long RO_TS_OFF = RO_OFF + 2048;
    static final long RO_CTXP_OFF = RO_OFF + 2064;
    static final long DATA_OFF = RO_OFF + PAGE;
    static final long STRADDLE_OFF = DATA_OFF + MAX_SLOTS * DATA_SLOT;
    static final long GUARD2_OFF = STRADDLE_OFF + PAGE;
    static final long SIZE = GUARD2_OFF + PAGE;

    private final long base;
    private final MemorySegment mem;

    @SuppressWarnings("restricted") // the segment covers exactly the mapping made here
    public ProgramMemory() {
        base = HostIo.mmap(0, SIZE, HostConstants.PROT_READ | HostConstants.PROT_WRITE,
                HostConstants.MAP_PRIVATE | HostConstants.MAP_ANONYMOUS, -1, 0);
        if (base < 0) throw new IllegalStateException("mmap: errno " + -base);
        mem = MemorySegment.ofAddress(base).reinterpret(SIZE);
        protect(GUARD_OFF, HostConstants.PROT_NONE);
        protect(GUARD2_OFF, HostConstants.PROT_NONE);
        writeTimespec(TS_OFF, 0, 0);
        writeTimespec(TS_OFF + 16, 0, 200_000);
        writeTimespec(TS_OFF + 32, 0, 2_000_000_000L);
        writeTimespec(TS_OFF + 48, -1, 0);
        mem.set(JAVA_LONG, SIGMASK_OFF, 0L);
        writeUsig(USIG_OFF, 0, 8);
        writeUsig(USIG_OFF + 16, base + SIGMASK_OFF, 8);
        writeUsig(USIG_OFF + 32, base + SIGMASK_OFF, 16);
        writeUsig(USIG_OFF + 48, base + GUARD_OFF, 8);
        mem.set(JAVA_LONG, CTXP_PRESET_OFF, CTXP_PRESET);
    }

    public long base() {
        return base;
    }

    /** The raw address a pointer of the sequence means in this world. */
    public long address(Ptr p) {
        return switch (p.kind()) {
            case NULL -> 0;
            case KERNEL -> KERNEL_ADDRESS;
            case UNMAPPED -> base + GUARD_OFF + p.offset();
            case READ_ONLY -> base + RO_OFF + p.offset();
            case DATA -> base + DATA_OFF + p.offset();
            case BEFORE_UNMAPPED -> base + GUARD2_OFF - p.offset();
            case IOCB -> iocbAddress((int) p.offset());
            case IOVECS -> base + IOV_OFF + p.offset() * IOVS_PER_SLOT * 16;
        };
    }

    long iocbAddress(int slot) {
        return slot >= READ_ONLY_SLOT0 ? base + RO_OFF + (slot - READ_ONLY_SLOT0) * 64L : base + IOCB_OFF + slot * 64L;
    }

    /** An event's obj as the sequence names it: "iocb7", or where else it points. */
    public String objName(long obj) {
        long off = obj - base;
        if (off >= IOCB_OFF && off < IOCB_OFF + MAX_SLOTS * 64L && (off - IOCB_OFF) % 64 == 0) {
            return "iocb" + (off - IOCB_OFF) / 64;
        }
        if (off >= RO_OFF && off < RO_OFF + MAX_READ_ONLY_SLOTS * 64L && (off - RO_OFF) % 64 == 0) {
            return "iocb" + (READ_ONLY_SLOT0 + (off - RO_OFF) / 64);
        }
        return off >= 0 && off < SIZE ? "program+0x" + Long.toHexString(off) : "foreign 0x" + Long.toHexString(obj);
    }

    /** Slot of an iocb address, or -1. */
    public int slotOf(long obj) {
        String n = objName(obj);
        return n.startsWith("iocb") ? Integer.parseInt(n.substring(4)) : -1;
    }

    public long ctxpAddress(Step.CtxpArg arg, int handle) {
        return switch (arg) {
            case FRESH -> base + CTXP_OFF + 8L * handle;
            case PRESET -> base + CTXP_PRESET_OFF;
            case NULL -> 0;
            case UNMAPPED -> base + GUARD_OFF;
            case KERNEL -> KERNEL_ADDRESS;
            case READ_ONLY -> base + RO_CTXP_OFF;
        };
    }

    /** The ctx io_setup left behind for {@code handle} (0 where it cannot have stored one). */
    public long storedCtx(Step.CtxpArg arg, int handle) {
        return switch (arg) {
            case FRESH -> mem.get(JAVA_LONG, CTXP_OFF + 8L * handle);
            case PRESET -> mem.get(JAVA_LONG, CTXP_PRESET_OFF);
            default -> 0;
        };
    }

    public long timeoutAddress(Step.TimeoutArg arg) {
        return switch (arg) {
            case NONE -> 0;
            case ZERO -> base + TS_OFF;
            case SHORT -> base + TS_OFF + 16;
            case NSEC_OVERFLOW -> base + TS_OFF + 32;
            case NEGATIVE -> base + TS_OFF + 48;
            case UNMAPPED -> base + GUARD_OFF;
            case KERNEL -> KERNEL_ADDRESS;
            case READ_ONLY_ZERO -> base + RO_TS_OFF;
        };
    }

    public long eventsAddress(Step.EventsArg arg) {
        return switch (arg) {
            case ARRAY -> base + EVENTS_OFF;
            case NULL -> 0;
            case UNMAPPED -> base + GUARD_OFF;
            case KERNEL -> KERNEL_ADDRESS;
            case READ_ONLY -> base + RO_OFF + READ_ONLY_FREE_FROM;
        };
    }

    public long usigAddress(Step.UsigArg arg) {
        return switch (arg) {
            case NONE -> 0;
            case NULL_MASK -> base + USIG_OFF;
            case EMPTY_MASK -> base + USIG_OFF + 16;
            case WRONG_SIZE -> base + USIG_OFF + 32;
            case UNMAPPED_MASK -> base + USIG_OFF + 48;
            case UNMAPPED -> base + GUARD_OFF;
        };
    }

    public long resultAddress(Step.ResultArg arg) {
        return switch (arg) {
            case NULL -> 0;
            case EVENT_SLOT -> base + RESULT_OFF;
            case ONE -> 1;
        };
    }

    /** Writes the pointer array of step {@code step} and returns iocbpp. */
    public long writeArray(int step, Step.ArrayArg arg, long[] pointers) {
        long off = switch (arg) {
            case ARRAY -> ARRAY_OFF + 64L * step;
            case BEFORE_UNMAPPED -> GUARD_OFF - 8L * pointers.length;
            case NULL -> -1;
            case MINUS1 -> -2;
            case KERNEL -> -3;
            case UNMAPPED -> -4;
        };
        if (off == -1) return 0;
        if (off == -2) return -1L;
        if (off == -3) return KERNEL_ADDRESS;
        if (off == -4) return base + GUARD_OFF;
        if (pointers.length > 8 || step >= MAX_STEPS) throw new IllegalArgumentException("array too long");
        for (int i = 0; i < pointers.length; i++) mem.set(JAVA_LONG, off + 8L * i, pointers[i]);
        return base + off;
    }

    /** Writes iocb {@code s} with the world's fd numbers; read-only slots only between {@link #unsealReadOnly} and {@link #sealReadOnly}. */
    public void writeIocb(IocbSpec s, Fixtures fx) {
        long off = iocbAddress(s.slot()) - base;
        long buf = switch (s.buf()) {
            case IocbSpec.Raw raw -> raw.value();
            case IocbSpec.At at -> address(at.ptr());
            case IocbSpec.Vec vec -> {
                if (vec.array().kind() == Ptr.Kind.IOVECS) {
                    MemorySegment iov = mem.asSlice(address(vec.array()) - base, IOVS_PER_SLOT * 16L);
                    for (int i = 0; i < vec.iovs().size(); i++) {
                        IoVec.set(iov, i, address(vec.iovs().get(i).base()), vec.iovs().get(i).len());
                    }
                }
                yield address(vec.array());
            }
        };
        KernelLinuxAioLayouts.writeIocb(mem, off, s.data(), s.key(), s.rwFlags(), s.opcode(), s.reqprio(), fx.fd(s.fd()), buf,
                s.nbytes(), s.offset(), s.reserved2(), s.flags(), fx.fd(s.resfd()));
    }

    public void unsealReadOnly() {
        protect(RO_OFF, HostConstants.PROT_READ | HostConstants.PROT_WRITE);
    }

    public void sealReadOnly() {
        protect(RO_OFF, HostConstants.PROT_READ);
    }

    /** Fills data slots [0, slots) and the page before the second guard with the sequence's pattern. */
    public void fillData(int slots, int salt) {
        for (int s = 0; s < slots; s++) fillSlot(DATA_OFF + s * DATA_SLOT, s, salt);
        fillSlot(STRADDLE_OFF, MAX_SLOTS, salt);
    }

    // The first 8 bytes of a slot are a small number, so a write of them to an eventfd adds a
    // sane value; the rest are letters, easy to read in a report.
    private void fillSlot(long off, int slot, int salt) {
        mem.set(JAVA_LONG, off, slot + 1L);
        Fixtures.pattern(mem, off + 8, salt + slot, 8, (int) DATA_SLOT - 8);
    }

    /** The data slots [0, slots) and the straddle page, for the final comparison. */
    public byte[] dataSnapshot(int slots) {
        byte[] a = mem.asSlice(DATA_OFF, slots * DATA_SLOT).toArray(JAVA_BYTE);
        byte[] b = mem.asSlice(STRADDLE_OFF, PAGE).toArray(JAVA_BYTE);
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** aio_key of every slot (LNX-31: the kernel zeroes it on every accepted submit). */
    public int key(int slot) {
        return (int) IOCB_KEY.get(mem, iocbAddress(slot) - base);
    }

    /** io_cancel's result area, filled with a marker so a write to it shows (LNX-72: none happens). */
    public void fillCancelResult() {
        mem.asSlice(RESULT_OFF, IO_EVENT.byteSize()).fill((byte) 0xee);
    }

    public byte[] cancelResult() {
        return mem.asSlice(RESULT_OFF, IO_EVENT.byteSize()).toArray(JAVA_BYTE);
    }

    public MemorySegment events(int count) {
        return mem.asSlice(EVENTS_OFF, (long) count * IO_EVENT.byteSize());
    }

    private void writeTimespec(long off, long sec, long nsec) {
        mem.set(JAVA_LONG, off, sec);
        mem.set(JAVA_LONG, off + 8, nsec);
    }

    private void writeUsig(long off, long mask, long size) {
        mem.set(JAVA_LONG, off, mask);
        mem.set(JAVA_LONG, off + 8, size);
    }

    /** Writes the read-only page's fixed contents; call between unseal and seal. */
    public void writeReadOnlyFixtures() {
        writeTimespec(RO_TS_OFF, 0, 0);
        mem.set(JAVA_LONG, RO_CTXP_OFF, 0L);
    }

    private void protect(long off, int prot) {
        int rc = HostIo.mprotect(base + off, PAGE, prot);
        if (rc != 0) throw new IllegalStateException("mprotect: errno " + -rc);
    }

    @Override
    public void close() {
        HostIo.munmap(base, SIZE);
    }
}
