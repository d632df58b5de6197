package org.aioemu.cli.replay;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Bytes a trace shows for a buffer: strace prints at most {@code -s} bytes and marks the rest
 * with "...", so {@code truncated} says the program's buffer held more than these.
 */
public record TraceBytes(byte[] bytes, boolean truncated) {
    public TraceBytes {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    public static TraceBytes ofHex(String hex, boolean truncated) {
        return new TraceBytes(HexFormat.of().parseHex(hex), truncated);
    }

    // Records compare arrays by identity; two traces showing the same bytes are the same trace.
    @Override
    public boolean equals(Object o) {
        return o instanceof TraceBytes t && truncated == t.truncated && Arrays.equals(bytes, t.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes) * 31 + Boolean.hashCode(truncated);
    }

    @Override
    public String toString() {
        return "TraceBytes[" + hex() + (truncated ? "..." : "") + "]";
    }
}
