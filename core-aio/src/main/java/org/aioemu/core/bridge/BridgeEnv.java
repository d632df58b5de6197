package org.aioemu.core.bridge;

import java.io.PrintStream;
import java.util.Locale;

import org.aioemu.core.ExitPolicy;

/**
 * What {@code aioemu exec} hands a JVM started inside a program, through the environment, and
 * the rules that JVM lives by: it never writes to the program's stdout.
 */
public final class BridgeEnv {
    private BridgeEnv() {}

    public static final String EXIT_POLICY = "AIOEMU_EXIT_POLICY";
    public static final String RECORD = "AIOEMU_RECORD";
    public static final String DEBUG = "AIOEMU_DEBUG";

    /** AIOEMU_EXIT_POLICY: drain | cancel-then-drain | detach; {@code dflt} when unset. */
    public static ExitPolicy exitPolicy(ExitPolicy dflt) {
        String v = System.getenv(EXIT_POLICY);
        return v == null || v.isBlank() ? dflt : parseExitPolicy(v);
    }

    /** The CLI spelling of a policy (drain, cancel-then-drain, detach). */
    public static ExitPolicy parseExitPolicy(String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "drain" -> ExitPolicy.DRAIN;
            case "cancel-then-drain" -> ExitPolicy.CANCEL_THEN_DRAIN;
            case "detach" -> ExitPolicy.DETACH;
            default -> throw new IllegalArgumentException(EXIT_POLICY + "=" + v + ": expected drain, cancel-then-drain or detach");
        };
    }

    /** AIOEMU_RECORD: where to write the trace of every AIO call, or null. */
    public static String recordPath() {
        String v = System.getenv(RECORD);
        return v == null || v.isBlank() ? null : v;
    }

    /** AIOEMU_DEBUG set: stack traces with the one-line errors. */
    public static boolean debug() {
        String v = System.getenv(DEBUG);
        return v != null && !v.isBlank() && !v.equals("0");
    }

    /** System.out goes to stderr: whatever Java code prints, the program's stdout stays its own. */
    public static void keepOffStdout() {
        System.setOut(new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true));
    }
}
