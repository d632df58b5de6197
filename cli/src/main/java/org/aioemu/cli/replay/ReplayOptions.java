package org.aioemu.cli.replay;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to replay: {@code root} is where the trace's files are recreated (a temporary directory,
 * removed afterwards, when null); {@code waitLimit} bounds every wait the trace shows completing
 * (an io_getevents, a read on a pipe), so a replay that diverges reports it instead of hanging.
 */
public record ReplayOptions(Path root, Timing timing, Duration waitLimit, boolean lenient, boolean record) {
    public enum Timing {
        /** Each call as soon as the previous one returns. */
        ASAP,
        /** Sleeps to reproduce the gaps between the calls' -tt timestamps. */
        ORIGINAL
    }

    public static ReplayOptions defaults() {
        return new ReplayOptions(null, Timing.ASAP, Duration.ofSeconds(5), false, false);
    }

    public ReplayOptions withRoot(Path r) {
        return new ReplayOptions(r, timing, waitLimit, lenient, record);
    }

    public ReplayOptions withTiming(Timing t) {
        return new ReplayOptions(root, t, waitLimit, lenient, record);
    }

    public ReplayOptions withWaitLimit(Duration d) {
        return new ReplayOptions(root, timing, d, lenient, record);
    }

    public ReplayOptions withLenient(boolean l) {
        return new ReplayOptions(root, timing, waitLimit, l, record);
    }

    public ReplayOptions withRecord(boolean r) {
        return new ReplayOptions(root, timing, waitLimit, lenient, r);
    }
}
