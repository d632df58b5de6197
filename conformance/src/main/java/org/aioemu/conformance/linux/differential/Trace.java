package org.aioemu.conformance.linux.differential;

import java.util.List;

/**
 * Everything one world did in one sequence: an observation per step (then one per final
 * io_destroy), every event it completed (reaped, or still in the ring when its context was
 * destroyed) with the context (setup handle) it completed on ({@code contextOf}, index by index),
 * and the fixtures' final contents.
 */
public record Trace(String world, List<Observation> observations, List<Event> allEvents, List<Integer> contextOf,
                    FinalState state, String aborted) {

    /** The fixtures and program memory when the sequence ended. */
    public record FinalState(byte[] file, byte[] pipe, byte[] npipe, long eventfdIo, long eventfdSignal,
                             byte[] data, int[] keys, byte[] cancelResult) {}
}
