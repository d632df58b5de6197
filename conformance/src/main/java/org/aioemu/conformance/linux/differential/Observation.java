package org.aioemu.conformance.linux.differential;

import java.util.List;

/**
 * What one step did in one world: its return value, the events it reaped (null if it reaps
 * none), the ring headers of the live contexts once the world settled, and whether it settled.
 */
public record Observation(int step, String call, long ret, List<Event> events, List<String> rings,
                          Settle settle, String note) {

    /** Whether every completion the step made due was visible before the next step. */
    public enum Settle {
        SETTLED,
        /** something due never showed up in the ring within the limit */
        TIMED_OUT,
        /** a live context had no readable aio_ring, so nothing could be checked */
        BLIND
    }

    Observation settled(Settle s, List<String> r) {
        return new Observation(step, call, ret, events, r, s, note);
    }
}
