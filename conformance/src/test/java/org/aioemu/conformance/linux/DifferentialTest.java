package org.aioemu.conformance.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.aioemu.conformance.linux.differential.DifferentialReport;
import org.aioemu.conformance.linux.differential.DifferentialRunner;
import org.aioemu.conformance.linux.differential.DifferentialRunner.World;
import org.aioemu.conformance.linux.differential.EmulationProvider;
import org.aioemu.conformance.linux.differential.KnownDifference;
import org.aioemu.conformance.linux.differential.Profile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.aioemu.linux.kernel.HostKernelAio;

/**
 * The differential run: generated sequences of Linux AIO calls on real files, pipes and
 * eventfds, run by the host kernel and by the emulation, compared call by call, event by event
 * and byte by byte.
 *
 * <p>Properties: {@code -Ddifferential.sequences=N} (default 1000), {@code -Ddifferential.seed=S}
 * (or {@code -Dseed=S}), {@code -Ddifferential.first=I} (rerun from sequence I, e.g. a reported
 * one with {@code -Ddifferential.sequences=1}), {@code -Ddifferential.settleMillis=M},
 * {@code -Ddifferential.parallelism=P} (sequences run at once, default 16),
 * {@code -Ddifferential.selfSequences=N} (the kernel-against-itself check),
 * {@code -Ddifferential.emulation=false} (skip the emulation, compare the kernel with itself only),
 * {@code -Ddifferential.verbose=true} (list every difference of a sequence, not only its first).
 *
 * <p>The long run, for anyone: {@code ./mvnw -B -pl conformance -am verify -Dtest=DifferentialTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Ddifferential.sequences=10000}; the summary is in
 * {@code conformance/target/surefire-reports/org.aioemu.conformance.linux.DifferentialTest-output.txt}.
 */
class DifferentialTest {
    static final long DEFAULT_SEED = 0x5EED_A10AL;

    /** Differences the project keeps on purpose, each with its reason. None so far. */
    static final List<KnownDifference> KNOWN = List.of();

    @TempDir Path dir;

    private static long seed() {
        return Long.decode(System.getProperty("differential.seed", System.getProperty("seed", Long.toString(DEFAULT_SEED))));
    }

    private static int sequences() {
        return Integer.parseInt(System.getProperty("differential.sequences", "1000"));
    }

    /** On by default: both modes agree with the host kernel. */
    private static boolean emulationEnabled() {
        return Boolean.parseBoolean(System.getProperty("differential.emulation", "true"));
    }

    private static int first() {
        return Integer.parseInt(System.getProperty("differential.first", "0"));
    }

    private DifferentialReport run(World oracle, World candidate, Profile profile, Path work, int sequences) {
        DifferentialRunner runner = new DifferentialRunner(oracle, candidate, profile, work, KNOWN,
                Long.getLong("differential.settleMillis", 5000), Duration.ofSeconds(30),
                Integer.getInteger("differential.parallelism", 16));
        DifferentialReport report = runner.run(seed(), first(), sequences);
        System.out.println(report.summary());
        return report;
    }

    @Test
    @DisplayName("differential: the host kernel against itself agrees 100% (the generator, the settling and the comparison are deterministic)")
    void kernelAgreesWithItself() {
        // the full count while it is the only run; once an emulation is compared, a shorter check of
        // determinism is enough (-Ddifferential.selfSequences overrides)
        boolean emulationCompared = !EmulationProvider.all().isEmpty() && emulationEnabled();
        int n = Integer.getInteger("differential.selfSequences", emulationCompared ? 250 : sequences());
        World kernel = new World("host kernel", HostKernelAio::new);
        DifferentialReport r = run(kernel, kernel, Profile.IN_ORDER_BATCHES, dir.resolve("self"), n);
        System.out.println(DifferentialReport.avoided());
        assertTrue(r.clean(), r::summary);
        assertEquals(n, r.sequences());
        if (r.sequences() >= 100) {
            // a generator that stopped doing I/O would agree with itself too: it must not go unnoticed
            assertTrue(r.calls() > 10L * r.sequences() && r.events() > 3L * r.sequences(), r::summary);
        }
    }

    @Test
    @DisplayName("differential: the emulation agrees with the host kernel in every mode (or lists every exception)")
    void emulationAgreesWithKernel() {
        List<EmulationProvider.Candidate> candidates = EmulationProvider.all();
        if (candidates.isEmpty()) {
            System.out.println("differential: emulation not yet merged (no EmulationProvider on the class path);"
                    + " only the kernel-against-itself run ran");
        }
        Assumptions.assumeFalse(candidates.isEmpty(), "emulation not yet merged: no EmulationProvider on the class path");
        boolean enabled = emulationEnabled();
        if (!enabled) System.out.println("differential: the emulation comparison was turned off (-Ddifferential.emulation=false)");
        Assumptions.assumeTrue(enabled, "emulation comparison turned off (-Ddifferential.emulation=false)");
        World kernel = new World("host kernel", HostKernelAio::new);
        StringBuilder failures = new StringBuilder();
        for (EmulationProvider.Candidate c : candidates) {
            DifferentialReport r = run(kernel, new World(c.name(), c.newProcess()), c.profile(),
                    dir.resolve(c.name().replaceAll("\\W", "_")), sequences());
            if (!r.clean()) failures.append(r.summary());
        }
        assertTrue(failures.isEmpty(), failures::toString);
    }
}
