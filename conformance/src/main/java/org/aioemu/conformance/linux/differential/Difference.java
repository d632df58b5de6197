package org.aioemu.conformance.linux.differential;

/**
 * One disagreement between the oracle and the candidate: where (sequence, step; step -1 for
 * the sequence's final state), what was compared, and both sides.
 */
public record Difference(long seed, int sequence, int step, String what, String oracle, String candidate) {
    @Override
    public String toString() {
        return "sequence " + sequence + (step >= 0 ? " step " + step : " final state") + ": " + what
                + "\n        oracle:    " + oracle + "\n        candidate: " + candidate;
    }
}
