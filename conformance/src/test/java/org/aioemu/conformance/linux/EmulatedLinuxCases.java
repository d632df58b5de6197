package org.aioemu.conformance.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.aioemu.linux.LinuxAioSystem;
import org.aioemu.linux.LinuxSubmitMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every class of ported Linux cases shares: one emulated kernel (LinuxAioSystem) per class,
 * a temporary directory on the real filesystem, and the emulated programs a case starts, which
 * exit after it. Once they have exited, aio-nr must be back to zero: every context was given back
 * at io_destroy or at exit (LNX-5, LNX-20). A case that hangs is interrupted, which the emulation
 * turns into EINTR (its emulated signal), so a hang fails instead of stalling the build.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
abstract class EmulatedLinuxCases {
    static LinuxAioSystem system;

    @TempDir Path dir;
    private final List<EmulatedProgram> programs = new ArrayList<>();

    @BeforeAll
    static void startKernel() {
        system = LinuxAioSystem.start();
    }

    @AfterAll
    static void stopKernel() {
        system.close();
    }

    EmulatedProgram program(LinuxSubmitMode mode) {
        EmulatedProgram p = new EmulatedProgram(system, "case-" + programs.size(), mode);
        programs.add(p);
        return p;
    }

    /** A forked child of {@code parent}, closed with the case. */
    EmulatedProgram fork(EmulatedProgram parent) {
        EmulatedProgram p = parent.fork("child-" + programs.size());
        programs.add(p);
        return p;
    }

    @AfterEach
    void exitPrograms() {
        for (int i = programs.size() - 1; i >= 0; i--) programs.get(i).close();
        programs.clear();
        assertEquals(0, system.aioNr(), "aio-nr once every program has exited (LNX-5, LNX-20)");
    }
}
