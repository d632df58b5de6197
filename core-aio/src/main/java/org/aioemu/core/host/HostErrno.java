package org.aioemu.core.host;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import jnr.constants.platform.linux.Errno;

/**
 * Names and descriptions of host (Linux) errno values. Each method accepts the errno with either
 * sign, so a {@link HostIo} result can be passed as is.
 */
@SuppressWarnings("restricted") // strerror's result must be read past its zero-length segment
public final class HostErrno {
    // Linux gives some numbers two names; a name that comes back from name() should be the one
    // that man pages and strace print.
    private static final Set<String> PREFERRED = Set.of("EAGAIN", "EOPNOTSUPP", "EDEADLK");

    private static final Map<Integer, String> NAMES = new HashMap<>();
    private static final Map<String, Integer> NUMBERS = new HashMap<>();

    static {
        for (Errno e : Errno.values()) {
            if (!e.defined()) continue;
            NUMBERS.put(e.name(), e.intValue());
            if (PREFERRED.contains(e.name())) NAMES.put(e.intValue(), e.name());
            else NAMES.putIfAbsent(e.intValue(), e.name());
        }
    }

    // char *strerror(int errnum): glibc returns a constant string, or for an unknown number a
    // thread-local buffer, so reading it straight away on the calling thread is safe.
    private static final MethodHandle STRERROR = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("strerror").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private HostErrno() {}

    /** The symbolic name, e.g. 11 gives "EAGAIN"; "errno N" for a number Linux does not name. */
    public static String name(int hostErrno) {
        int n = Math.abs(hostErrno);
        String name = NAMES.get(n);
        return name != null ? name : "errno " + n;
    }

    /** The number for a name, aliases included (EWOULDBLOCK gives 11); -1 if unknown. */
    public static int number(String name) {
        return NUMBERS.getOrDefault(name, -1);
    }

    /** libc's message, e.g. "Resource temporarily unavailable". */
    public static String describe(int hostErrno) {
        try {
            MemorySegment msg = (MemorySegment) STRERROR.invokeExact(Math.abs(hostErrno));
            return msg.reinterpret(Integer.MAX_VALUE).getString(0);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
