package org.aioemu.cli;

import java.util.Locale;

/** How the CLI writes and reads quantities. */
public final class Units {
    private Units() {}

    /** A duration in microseconds, one decimal below 100 µs ("3.2 us", "1,250 us"). */
    public static String micros(long nanos) {
        double us = nanos / 1_000.0;
        return us < 100 ? String.format(Locale.ROOT, "%.1f us", us) : String.format(Locale.ROOT, "%,.0f us", us);
    }

    /**
     * Parses a byte size with an optional binary suffix: {@code 4096}, {@code 64k}, {@code 256m},
     * {@code 1g} (also {@code KiB}, {@code MiB}, {@code GiB}, any case).
     */
    public static long parseSize(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.endsWith("ib")) s = s.substring(0, s.length() - 2);
        else if (s.endsWith("b")) s = s.substring(0, s.length() - 1);
        int shift = 0;
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'k' -> shift = 10;
                case 'm' -> shift = 20;
                case 'g' -> shift = 30;
                case 't' -> shift = 40;
                default -> { }
            }
        }
        if (shift > 0) s = s.substring(0, s.length() - 1);
        long n;
        try {
            n = Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size: '" + text + "' (use e.g. 4096, 64k, 256m, 1g)");
        }
        if (n < 0 || n > (Long.MAX_VALUE >> shift)) throw new IllegalArgumentException("size out of range: '" + text + "'");
        return n << shift;
    }

    /** Bytes as a short binary-unit text ("256 MiB", "1 GiB", "4000 B"). */
    public static String bytes(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        double v = n;
        while (v >= 1024 && u < units.length - 1 && (long) v % 1024 == 0) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.0f %s", v, units[u]);
    }
}
