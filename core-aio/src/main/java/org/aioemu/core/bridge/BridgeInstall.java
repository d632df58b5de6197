package org.aioemu.core.bridge;

/**
 * The common frame of every ABI entry's {@code install(long, long)}: stdout guarded first, then
 * the ABI's own filling of the table; a failure is one stderr line (and the stack with
 * AIOEMU_DEBUG), then rethrown so the C side reports the start as failed.
 */
public final class BridgeInstall {
    private BridgeInstall() {}

    /** The ABI's part: fill the table. */
    @FunctionalInterface
    public interface Filler {
        void fill() throws Exception;
    }

    public static void run(String abi, Filler filler) {
        BridgeEnv.keepOffStdout();
        try {
            filler.fill();
        } catch (Throwable t) {
            System.err.println("aioemu: cannot start the " + abi + " emulation: " + t);
            if (BridgeEnv.debug()) t.printStackTrace(System.err);
            throw t instanceof RuntimeException re ? re : new IllegalStateException(t);
        }
    }
}
