package org.aioemu.cli.replay;

import org.aioemu.linux.LinuxAioSyscalls;
import org.aioemu.linux.LinuxAioSystem;
import org.aioemu.linux.LinuxSubmitMode;

/** What a trace is replayed on: the six AIO calls, and whatever it can say about how requests completed. */
public record ReplayTarget(String name, LinuxAioSyscalls aio, CompletionPaths paths) {
    /** The emulated Linux ABI, one emulated process on a core of its own (the CLI process's lifetime). */
    public static ReplayTarget emulation(LinuxSubmitMode mode) {
        LinuxAioSystem system = LinuxAioSystem.start();
        return new ReplayTarget("aioemu linux ABI (" + mode.name().toLowerCase(java.util.Locale.ROOT) + " mode)",
                system.newProcess("replay", mode), CompletionPaths.UNKNOWN);
    }

    public static ReplayTarget hostKernel() {
        return new ReplayTarget("host kernel " + System.getProperty("os.version"), new HostKernelAio(), CompletionPaths.UNKNOWN);
    }
}
