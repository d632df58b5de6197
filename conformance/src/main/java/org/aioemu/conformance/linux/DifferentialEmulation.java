package org.aioemu.conformance.linux;

import java.util.List;
import org.aioemu.conformance.linux.differential.EmulationProvider;
import org.aioemu.conformance.linux.differential.Profile;
import org.aioemu.linux.LinuxAioSystem;
import org.aioemu.linux.LinuxSubmitMode;

/**
 * The emulation as the differential run's candidate, in both submission modes: a fresh
 * emulated process per sequence (closing it is its exit), all on one emulated kernel, as the
 * processes of one machine share one.
 */
public final class DifferentialEmulation implements EmulationProvider {
    // started on first use only, and never stopped: its threads are daemons
    private static final class Kernel {
        static final LinuxAioSystem SYSTEM = LinuxAioSystem.start();
    }

    @Override
    public List<Candidate> candidates() {
        return List.of(
                new Candidate("emulation (linux mode)", Profile.IN_ORDER_BATCHES,
                        () -> Kernel.SYSTEM.newProcess("differential", LinuxSubmitMode.LINUX)),
                new Candidate("emulation (async mode)", Profile.UNORDERED_BATCHES,
                        () -> Kernel.SYSTEM.newProcess("differential", LinuxSubmitMode.ASYNC)));
    }
}
