package org.aioemu.cli.replay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The order one replay thread runs a multi-threaded trace in. A call that waits for others
 * (io_getevents, a read, io_destroy) goes where its result appeared, after whatever the other
 * threads did meanwhile; every other call goes where it started, so a submit or write that
 * another thread's wait depended on comes first. Without unfinished/resumed lines both orders
 * are the trace's line order.
 */
final class ReplaySchedule {
    private ReplaySchedule() {}

    private static final Set<String> WAITS = Set.of("io_getevents", "io_pgetevents", "io_destroy", "read", "pread64");

    static int position(TraceCall c) {
        return WAITS.contains(c.call()) ? c.endLine() : c.line();
    }

    static List<TraceCall> order(List<TraceCall> calls) {
        List<TraceCall> out = new ArrayList<>(calls);
        out.sort(Comparator.comparingInt(ReplaySchedule::position).thenComparingInt(TraceCall::line));
        return out;
    }

    /** When the call's scheduled position happened in the trace (its end for waits), or null without timestamps. */
    static Long time(TraceCall c) {
        return WAITS.contains(c.call()) ? c.endMicros() : c.timeMicros();
    }
}
