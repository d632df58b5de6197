package org.aioemu.core.host;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Copies to and from a foreign program's memory by raw address without ever faulting: a bad
 * pointer (unmapped, PROT_NONE, read-only for a write, a kernel address) comes back as -EFAULT,
 * like the kernel's copy_from_user/copy_to_user. Reading such an address in place from Java is a
 * SIGSEGV the JVM does not survive, and checking first then reading is racy (another thread may
 * unmap in between), so structs are copied, then parsed from the copy.
 *
 * <p>process_vm_readv/writev on our own pid does the copy in the kernel (~750 ns measured on this
 * machine kind, reference/native-bridge.md §6). Inside a C program (the shims), the bridge
 * library offers a fault-fixup copy (25-40 ns: a fault on its one copy instruction resumes at a
 * fixup that returns -EFAULT), installed with {@link #useFaultSafeCopy}. Data buffers need no
 * copy: pread/pwrite into them return EFAULT on their own.
 */
public final class ForeignMemory {
    private ForeignMemory() {}

    private static final int PID = HostIo.getpid();
    private static final int EFAULT = HostErrno.number("EFAULT");
    /** x86_64 user space ends here; anything above is a kernel address (access_ok fails). */
    public static final long USER_SPACE_END = 0x0000_8000_0000_0000L;

    /** {@code long copy(void *dst, const void *src, size_t n)}: n, or -EFAULT; null until a shim offers one. */
    private static volatile MethodHandle faultSafeCopy;

    /**
     * Copies from now on with the C function at {@code fn} ({@code long (void *dst, const void
     * *src, size_t n)}, returning n or -EFAULT without faulting), called without a thread-state
     * transition: it neither blocks nor calls back.
     */
    public static void useFaultSafeCopy(MemorySegment fn) {
        faultSafeCopy = Linker.nativeLinker().downcallHandle(fn,
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                Linker.Option.critical(false));
    }

    private static int nativeCopy(MethodHandle copy, long dst, long src, long len) {
        try {
            return (long) copy.invokeExact(dst, src, len) == len ? 0 : -EFAULT;
        } catch (Throwable t) {
            throw new IllegalStateException(t);   // invokeExact of a downcall with matching types does not throw
        }
    }

    private static final ThreadLocal<MemorySegment> IOVS =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(IoVec.LAYOUT, 2));

    /** True if [addr, addr+len) lies in user space (the kernel's access_ok); says nothing of mapping. */
    public static boolean inUserSpace(long addr, long len) {
        return addr >= 0 && len >= 0 && addr + len >= addr && addr + len <= USER_SPACE_END;
    }

    /** Copies {@code len} bytes at foreign {@code src} into {@code dst}; 0, or -EFAULT if any byte is unreadable. */
    public static int copyIn(long src, MemorySegment dst, long len) {
        if (len == 0) return 0;
        if (src == 0 || !inUserSpace(src, len) || dst.byteSize() < len) return -EFAULT;
        MethodHandle copy = faultSafeCopy;
        if (copy != null) return nativeCopy(copy, dst.address(), src, len);
        MemorySegment iov = IOVS.get();
        IoVec.set(iov, 0, dst.address(), len);
        IoVec.set(iov, 1, src, len);
        long n = HostIo.processVmReadv(PID, iov, 1, iov.asSlice(IoVec.LAYOUT.byteSize()), 1);
        return n == len ? 0 : -EFAULT;
    }

    /** Copies {@code len} bytes of {@code src} to foreign {@code dst}; 0, or -EFAULT if any byte is unwritable. */
    public static int copyOut(MemorySegment src, long dst, long len) {
        if (len == 0) return 0;
        if (dst == 0 || !inUserSpace(dst, len) || src.byteSize() < len) return -EFAULT;
        MethodHandle copy = faultSafeCopy;
        if (copy != null) return nativeCopy(copy, dst, src.address(), len);
        MemorySegment iov = IOVS.get();
        IoVec.set(iov, 0, src.address(), len);
        IoVec.set(iov, 1, dst, len);
        long n = HostIo.processVmWritev(PID, iov, 1, iov.asSlice(IoVec.LAYOUT.byteSize()), 1);
        return n == len ? 0 : -EFAULT;
    }

    /** Reads one foreign 64-bit word (a pointer in an array of pointers, say); -EFAULT signalled through {@code ok[0]}. */
    public static long readLong(long addr, boolean[] ok) {
        MemorySegment tmp = SCRATCH.get();
        ok[0] = copyIn(addr, tmp, 8) == 0;
        return ok[0] ? tmp.get(java.lang.foreign.ValueLayout.JAVA_LONG, 0) : 0;
    }

    private static final ThreadLocal<MemorySegment> SCRATCH =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(8, 8));
}
