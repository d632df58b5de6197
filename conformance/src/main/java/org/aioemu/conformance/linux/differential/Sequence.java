package org.aioemu.conformance.linux.differential;

import java.util.List;

/**
 * A generated program: fixtures, the iocbs it owns, and its steps. A pure function of
 * (seed, index, profile), so any sequence can be regenerated from those three numbers.
 *
 * <p>{@code runsAlone}: the sequence names contexts it has destroyed. Their addresses are free
 * for any io_setup in the process to reuse, so such a sequence must not run beside others.
 */
public record Sequence(long seed, int index, Profile profile, FixtureSpec fixture, List<IocbSpec> iocbs,
                       List<Step> steps, boolean runsAlone) {

    /** Initial contents of the fixtures, the same in both worlds. */
    public record FixtureSpec(int fileSize, int pipePrefill, long eventfdInitial, int patternSalt) {}

    public IocbSpec iocb(int slot) {
        for (IocbSpec s : iocbs) if (s.slot() == slot) return s;
        throw new IllegalArgumentException("no iocb in slot " + slot);
    }

    /** A listing for a reproduction report: every iocb, then every step with its number. */
    public String describe(int markStep) {
        StringBuilder b = new StringBuilder();
        b.append("sequence ").append(index).append(" of seed ").append(seed).append(" (").append(profile)
                .append(runsAlone ? ", runs alone" : "").append("): ").append(fixture).append('\n');
        for (IocbSpec s : iocbs) b.append("    ").append(s).append('\n');
        for (int i = 0; i < steps.size(); i++) {
            b.append(i == markStep ? " >> " : "    ").append(i).append(": ").append(steps.get(i)).append('\n');
        }
        return b.toString();
    }
}
