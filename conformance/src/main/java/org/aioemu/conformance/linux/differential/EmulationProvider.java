package org.aioemu.conformance.linux.differential;

import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import org.aioemu.linux.LinuxAioSyscalls;

/**
 * Where the differential run finds the emulation: a {@link ServiceLoader} service, so that
 * plugging an emulation in is one small adapter class plus one line in
 * {@code META-INF/services/org.aioemu.conformance.linux.differential.EmulationProvider}, and the
 * run still works (kernel against kernel) while there is none.
 */
public interface EmulationProvider {

    /** The emulated modes to compare with the host kernel. */
    List<Candidate> candidates();

    /**
     * One emulated mode: its name, what it promises about the order of a batch, and a factory
     * of fresh emulated processes (one per sequence; if the process is {@link AutoCloseable},
     * the run closes it, which should be the emulated process's exit, after the sequence).
     */
    record Candidate(String name, Profile profile, Supplier<LinuxAioSyscalls> newProcess) {}

    /** Every candidate of every provider on the class path. */
    static List<Candidate> all() {
        return ServiceLoader.load(EmulationProvider.class).stream()
                .flatMap(p -> p.get().candidates().stream())
                .toList();
    }
}
