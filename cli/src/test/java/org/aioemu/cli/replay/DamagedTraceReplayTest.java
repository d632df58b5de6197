package org.aioemu.cli.replay;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traces whose numbers were changed to hostile values (negative counts, huge lengths, fds never
 * opened, timeouts past the kernel's range) replay to differences or a TraceFormatException on
 * the host kernel: never a crash, never a hang on a blocking pipe.
 */
class DamagedTraceReplayTest {
    private static final long[] HOSTILE = {-1, 0, 1, 2, 3, 7, 20, 999, 4095, 4096, 1L << 31, -4096, Long.MAX_VALUE, 0x7fff0000L, 65536};
    private static final Pattern NUMBER = Pattern.compile("(?<=[=(, ])(-?\\d+|0x[0-9a-f]+)(?=[,)}\\] ])");

    @TempDir Path dir;

    @Test
    @DisplayName("replaying traces with one number in six replaced by a hostile value never throws anything but TraceFormatException")
    void hostileNumbersNeverCrash() {
        List<String> lines = TestTraces.resource("mtaio-verbose.strace").lines().toList();
        Random rnd = new Random(11);
        List<String> crashes = new ArrayList<>();
        int replayed = 0;
        for (int k = 0; k < 24; k++) {
            String trace = damage(lines, rnd);
            List<TraceCall> calls;
            try {
                calls = TestTraces.lenient(trace, new ArrayList<>());
            } catch (TraceFormatException e) {
                continue;
            }
            replayed++;
            try {
                new ReplayEngine(ReplayTarget.hostKernel(), ReplayOptions.defaults().withLenient(true)
                        .withWaitLimit(Duration.ofMillis(20)).withRoot(dir.resolve("r" + k)))
                        .run("damaged", calls, List.of(), ReplayEngine.Progress.NONE);
            } catch (TraceFormatException expected) {
                // a clear error with a line number is an accepted outcome
            } catch (Throwable t) {
                crashes.add(t + "\n" + trace);
            }
        }
        assertTrue(replayed >= 10, "too few damaged traces got past the parser to test the engine: " + replayed);
        assertTrue(crashes.isEmpty(), crashes.size() + " crashes, first: " + (crashes.isEmpty() ? "" : crashes.getFirst()));
    }

    /** Replaces a number in about one line in six (fallocate lines kept: a huge one would fill the disk). */
    private static String damage(List<String> lines, Random rnd) {
        StringBuilder t = new StringBuilder();
        for (String l : lines) {
            List<int[]> spans = new ArrayList<>();
            Matcher m = NUMBER.matcher(l);
            while (m.find()) spans.add(new int[] {m.start(), m.end()});
            if (l.contains("fallocate") || rnd.nextInt(6) != 0 || spans.isEmpty()) {
                t.append(l).append('\n');
                continue;
            }
            int[] sp = spans.get(rnd.nextInt(spans.size()));
            t.append(l, 0, sp[0]).append(HOSTILE[rnd.nextInt(HOSTILE.length)]).append(l.substring(sp[1])).append('\n');
        }
        return t.toString();
    }
}
