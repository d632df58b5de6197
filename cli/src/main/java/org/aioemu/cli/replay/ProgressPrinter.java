package org.aioemu.cli.replay;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of a replay that takes more than a second: a bar redrawn in place on a terminal,
 * one plain line a second otherwise (logs, CI), so short replays print nothing.
 */
final class ProgressPrinter implements ReplayEngine.Progress {
    private static final long SECOND = 1_000_000_000L;
    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private long lastPrint;
    private boolean drawn;

    ProgressPrinter(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void update(int done, int total) {
        long now = System.nanoTime();
        if (now - start < SECOND) return;
        if (done < total && now - lastPrint < (terminal ? SECOND / 10 : SECOND)) return;
        lastPrint = now;
        int pct = total == 0 ? 100 : (int) (100L * done / total);
        if (terminal) {
            int filled = WIDTH * pct / 100;
            out.printf(Locale.ROOT, "\rreplay [%s%s] %d/%d calls", "#".repeat(filled), " ".repeat(WIDTH - filled), done, total);
            drawn = true;
            if (done == total) out.print('\n');
        } else {
            out.printf(Locale.ROOT, "replay: %d/%d calls (%d%%)%n", done, total, pct);
        }
        out.flush();
    }

    /** Ends a bar left mid-line (a replay that failed part way). */
    void finish() {
        if (terminal && drawn) {
            out.print('\n');
            out.flush();
        }
    }
}
