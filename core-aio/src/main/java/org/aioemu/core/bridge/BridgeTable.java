package org.aioemu.core.bridge;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.aioemu.core.ThreadStarts;
import org.aioemu.core.host.ForeignMemory;

/**
 * A shim's function table, in the C library's memory: the ABI-neutral head, then the ABI's
 * slots of 8 bytes each (upcall stubs, or words the C side reads), in the order of the ABI's C
 * struct. The C side (core-aio/src/main/c/bridge/aioemu_jvm.h) allocates it and hands its
 * address to the ABI entry class's {@code install(long, long)}.
 *
 * <pre>
 * struct aioemu_bridge {
 *     uint64_t table_size;                                    //  0 C: bytes of the whole table
 *     volatile int32_t *jvm_exiting;                          //  8 C: our shutdown hook stores 1
 *     long (*safe_copy)(void *dst, const void *src, size_t n);// 16 C: n, or -EFAULT instead of a fault
 *     void (*on_exit)(int32_t status);                        // 24 Java: run the exit policy
 *     int (*interrupting)(void);                              // 32 C: a signal that ends this thread's sleep, or 0
 *     void (*thread_start_mask)(int starting);                // 40 C: around a thread start: the new thread blocks signals
 *     int (*wait_signalfd)(int fd);                           // 48 C: a signalfd for this thread's sleep, or -errno
 * };                                                          // then the ABI's slots
 * </pre>
 */
public final class BridgeTable {
    public static final StructLayout HEAD = MemoryLayout.structLayout(
            JAVA_LONG.withName("table_size"),
            ADDRESS.withName("jvm_exiting"),
            ADDRESS.withName("safe_copy"),
            ADDRESS.withName("on_exit"),
            ADDRESS.withName("interrupting"),
            ADDRESS.withName("thread_start_mask"),
            ADDRESS.withName("wait_signalfd")).withName("aioemu_bridge");

    private static final VarHandle JVM_EXITING = HEAD.varHandle(MemoryLayout.PathElement.groupElement("jvm_exiting"));
    private static final VarHandle SAFE_COPY = HEAD.varHandle(MemoryLayout.PathElement.groupElement("safe_copy"));
    private static final VarHandle ON_EXIT = HEAD.varHandle(MemoryLayout.PathElement.groupElement("on_exit"));
    private static final VarHandle INTERRUPTING = HEAD.varHandle(MemoryLayout.PathElement.groupElement("interrupting"));
    private static final VarHandle WAIT_SIGNALFD = HEAD.varHandle(MemoryLayout.PathElement.groupElement("wait_signalfd"));
    private static final VarHandle THREAD_START_MASK = HEAD.varHandle(MemoryLayout.PathElement.groupElement("thread_start_mask"));
    private static final FunctionDescriptor ON_EXIT_DESCRIPTOR = FunctionDescriptor.ofVoid(JAVA_INT);

    private final MemorySegment table;

    /** @param size the table_size the C side passed; at least the head plus {@code slots} slots */
    public BridgeTable(long address, long size, int slots) {
        if (size < size(slots)) {
            throw new IllegalArgumentException("the C table has " + size + " bytes, the Java side fills " + size(slots)
                    + ": shim library and jar are from different builds");
        }
        this.table = MemorySegment.ofAddress(address).reinterpret(size);
        MemorySegment copy = safeCopy();
        if (!copy.equals(MemorySegment.NULL)) ForeignMemory.useFaultSafeCopy(copy);   // 25-40 ns instead of ~750
        MemorySegment startMask = (MemorySegment) THREAD_START_MASK.get(table, 0L);
        if (!startMask.equals(MemorySegment.NULL)) ThreadStarts.guardWith(quietStarts(startMask));
    }

    /** The emulation's threads start with the program's signals blocked, whichever thread starts them. */
    private static ThreadStarts.Guard quietStarts(MemorySegment fn) {
        java.lang.invoke.MethodHandle mask = java.lang.foreign.Linker.nativeLinker().downcallHandle(fn, FunctionDescriptor.ofVoid(JAVA_INT));
        return starting -> {
            try {
                mask.invokeExact(starting ? 1 : 0);
            } catch (Throwable t) {
                throw new IllegalStateException("thread_start_mask", t);
            }
        };
    }

    /** Fills ABI slot {@code slot} with an upcall stub to the static method {@code name} of the caller's class. */
    public void upcall(int slot, MethodHandles.Lookup lookup, String name, FunctionDescriptor fd, long onThrowable) {
        try {
            var target = lookup.findStatic(lookup.lookupClass(), name, fd.toMethodType());
            table.set(ADDRESS, offset(slot), Upcalls.stub(target, fd, onThrowable, lookup.lookupClass().getSimpleName() + "." + name));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no upcall target " + name + fd.toMethodType(), e);
        }
    }

    /** Stores a plain word the C side reads (flags). */
    public void putLong(int slot, long value) {
        table.set(JAVA_LONG, offset(slot), value);
    }

    /** Where ABI slot {@code slot} is: after the head, 8 bytes each. */
    public static long offset(int slot) {
        return HEAD.byteSize() + 8L * slot;
    }

    /** The bytes of a table with {@code slots} ABI slots. */
    public static long size(int slots) {
        return offset(slots);
    }

    /**
     * The exit hook: the C side calls it once, on the thread that runs exit(), _exit() or _Exit(),
     * while the JVM is fully alive. A Java shutdown hook (the JVM's own exit, fatal errors aside,
     * only happens on a C exit here) marks the JVM as exiting so the C side stops calling in.
     */
    public void onExit(Runnable exitPolicy) {
        ExitHook.target = exitPolicy;
        ON_EXIT.set(table, 0L, Upcalls.stub(ExitHook.HANDLE, ON_EXIT_DESCRIPTOR, 0, "exit policy"));
        MemorySegment exiting = ((MemorySegment) JVM_EXITING.get(table, 0L)).reinterpret(4);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> exiting.set(JAVA_INT, 0, 1), "aioemu-jvm-exiting"));
    }

    /**
     * The program's real signals for the emulation's interruptible sleeps: the C side's
     * {@code int interrupting(void)}, asked on the sleeping thread while the call has the
     * program's signals blocked (aioemu_jvm.h), and its {@code int wait_signalfd(int)}.
     */
    public HostSignals hostSignals() {
        MemorySegment fn = (MemorySegment) INTERRUPTING.get(table, 0L);
        MemorySegment sfd = (MemorySegment) WAIT_SIGNALFD.get(table, 0L);
        if (fn.address() == 0 || sfd.address() == 0) throw new IllegalStateException("the shim left interrupting() or wait_signalfd() empty");
        return new HostSignals(fn, sfd);
    }

    /** The C library's fault-safe copy {@code long (void *dst, const void *src, size_t n)}, or NULL. */
    public MemorySegment safeCopy() {
        return (MemorySegment) SAFE_COPY.get(table, 0L);
    }

    /** Upcall stubs live as long as the process: the C side keeps calling them. */
    static Arena arena() {
        return Arena.global();
    }

    private static final class ExitHook {
        static volatile Runnable target;
        static final java.lang.invoke.MethodHandle HANDLE;
        static {
            try {
                HANDLE = MethodHandles.lookup().findStatic(ExitHook.class, "run", ON_EXIT_DESCRIPTOR.toMethodType());
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @SuppressWarnings("unused")   // called by the C side through its stub
        static void run(int status) {
            Runnable r = target;
            if (r != null) r.run();
        }
    }
}
