package org.aioemu.core.bridge;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;

import org.aioemu.core.ExitPolicy;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Upcall stubs called from native code the way a shim calls them: through a C function pointer. */
class UpcallsTest {
    static int calls;

    static long doubles(long x) {
        calls++;
        return 2 * x;
    }

    static long fails(long x) {
        throw new IllegalStateException("broken for " + x);
    }

    static int failsWithError(int x) {
        throw new StackOverflowError();
    }

    static void failsVoid(int x) {
        throw new IllegalArgumentException("void " + x);
    }

    private static MethodHandle callThroughStub(String name, FunctionDescriptor fd, long onThrowable) throws Exception {
        MethodHandle target = MethodHandles.lookup().findStatic(UpcallsTest.class, name, fd.toMethodType());
        MemorySegment stub = Upcalls.stub(target, fd, onThrowable, name);
        return Linker.nativeLinker().downcallHandle(stub, fd);
    }

    @Test
    @DisplayName("a stub passes arguments and results through")
    void passesThrough() throws Throwable {
        MethodHandle h = callThroughStub("doubles", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG), -5);
        assertEquals(84L, (long) h.invokeExact(42L));
        assertEquals(1, calls);
    }

    @Test
    @DisplayName("an exception, or an Error, in the Java target becomes the fallback errno and one stderr line, not the end of the process")
    void throwableBecomesErrno() throws Throwable {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        try {
            long r = (long) callThroughStub("fails", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG), -5).invokeExact(7L);
            assertEquals(-5L, r);
            int i = (int) callThroughStub("failsWithError", FunctionDescriptor.of(JAVA_INT, JAVA_INT), -12).invokeExact(1);
            assertEquals(-12, i);
            callThroughStub("failsVoid", FunctionDescriptor.ofVoid(JAVA_INT), 0).invokeExact(3);
        } finally {
            System.setErr(saved);
        }
        String lines = err.toString();
        assertEquals(3, lines.lines().count(), lines);
        assertTrue(lines.contains("aioemu: internal error in fails: java.lang.IllegalStateException: broken for 7"), lines);
        assertTrue(lines.contains("aioemu: internal error in failsWithError: java.lang.StackOverflowError"), lines);
    }

    @Test
    @DisplayName("AIOEMU_EXIT_POLICY spellings: drain, cancel-then-drain, detach; anything else is refused")
    void exitPolicies() {
        assertEquals(ExitPolicy.DRAIN, BridgeEnv.parseExitPolicy("drain"));
        assertEquals(ExitPolicy.CANCEL_THEN_DRAIN, BridgeEnv.parseExitPolicy("Cancel-Then-Drain"));
        assertEquals(ExitPolicy.DETACH, BridgeEnv.parseExitPolicy(" detach "));
        assertThrows(IllegalArgumentException.class, () -> BridgeEnv.parseExitPolicy("cancel"));
    }
}
