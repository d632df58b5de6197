package org.aioemu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class SelftestCommandTest {
    @Test
    void selftestPassesOnThisHostAndShowsHowEachRequestCompleted() {
        long t0 = System.nanoTime();
        CliRun run = CliRun.of("selftest");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, run.exitCode(), run::toString);
        List<String> lines = run.out().lines().toList();
        String last = lines.getLast();
        assertTrue(last.matches("selftest: \\d+ checks passed \\(.*\\)"), run::toString);
        long oks = lines.stream().filter(l -> l.startsWith("ok  ")).count();
        assertEquals(Integer.parseInt(last.split(" ")[1]), oks, "one line per check");
        for (String path : List.of("INLINE", "WORKER", "CONTINUATION", "CANCELLED")) {
            assertTrue(run.out().contains(" " + path + " "), () -> "no check completed via " + path + "\n" + run);
        }
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("core stats: submitted=")), run::toString);
        assertTrue(seconds < 5, "selftest took " + seconds + " s");
    }
}
