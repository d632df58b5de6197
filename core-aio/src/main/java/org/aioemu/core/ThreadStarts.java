package org.aioemu.core;

/**
 * How the emulation starts the threads it starts while serving a call (workers). Plainly by
 * default; where the emulation shares its process with a program (the C shims), a guard around
 * each start makes the new thread inherit a mask that blocks the program's signals, so a
 * program's signal is never taken by an emulation thread even when a program thread in a call
 * that runs with its own mask starts it.
 */
public final class ThreadStarts {
    private ThreadStarts() {}

    /** Called with {@code true} before a thread starts and {@code false} after, on the starting thread. */
    @FunctionalInterface
    public interface Guard {
        void starting(boolean before);
    }

    private static volatile Guard guard;

    /** Installs the guard for every later start in this JVM. */
    public static void guardWith(Guard g) {
        guard = g;
    }

    /** Starts {@code t} inside the guard, if any. */
    public static Thread start(Thread t) {
        Guard g = guard;
        if (g == null) {
            t.start();
            return t;
        }
        g.starting(true);
        try {
            t.start();
        } finally {
            g.starting(false);
        }
        return t;
    }
}
