package org.aioemu.core.bridge;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Upcall stubs that never let an exception out: an exception escaping an upcall makes the JVM
 * end the whole program with status 1 (native-bridge.md §1.4). Each stub catches Throwable,
 * prints one line on stderr and returns the caller's fallback (the ABI's errno for "internal
 * error"), so the C program sees a failed call, not a vanished process.
 */
public final class Upcalls {
    private Upcalls() {}

    private static final MethodHandle REPORT;
    static {
        try {
            REPORT = MethodHandles.lookup().findStatic(Upcalls.class, "report",
                    MethodType.methodType(void.class, String.class, Throwable.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** An upcall stub for {@code target} (of type {@code fd}) that answers {@code onThrowable} if it throws. */
    public static MemorySegment stub(MethodHandle target, FunctionDescriptor fd, long onThrowable, String name) {
        return Linker.nativeLinker().upcallStub(guarded(target, onThrowable, name), fd, BridgeTable.arena());
    }

    /** {@code target} wrapped so that any Throwable becomes one stderr line and {@code onThrowable} (cast to the return type). */
    public static MethodHandle guarded(MethodHandle target, long onThrowable, String name) {
        MethodType type = target.type();
        Class<?> ret = type.returnType();
        MethodHandle report = MethodHandles.insertArguments(REPORT, 0, name);     // (Throwable)void
        MethodHandle handler;
        if (ret == void.class) {
            handler = report;
        } else {
            Object value = ret == int.class ? (Object) (int) onThrowable : ret == long.class ? (Object) onThrowable : null;
            if (value == null) throw new IllegalArgumentException("upcalls return void, int or long: " + type);
            handler = MethodHandles.foldArguments(MethodHandles.dropArguments(MethodHandles.constant(ret, value), 0, Throwable.class), report);
        }
        handler = MethodHandles.dropArguments(handler, 1, type.parameterList());
        return MethodHandles.catchException(target, Throwable.class, handler);
    }

    private static void report(String name, Throwable t) {
        try {
            System.err.println("aioemu: internal error in " + name + ": " + t);
            if (BridgeEnv.debug()) t.printStackTrace(System.err);
        } catch (Throwable ignored) {
            // nothing may leave an upcall
        }
    }
}
