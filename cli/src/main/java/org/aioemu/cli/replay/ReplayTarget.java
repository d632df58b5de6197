package org.aioemu.cli.replay;

import org.aioemu.linux.LinuxAioSyscalls;

/** What a trace is replayed on: the six AIO calls, and whatever it can say about how requests completed. */
public record ReplayTarget(String name, LinuxAioSyscalls aio, CompletionPaths paths) {
    public static ReplayTarget hostKernel() {
        return new ReplayTarget("host kernel " + System.getProperty("os.version"), new HostKernelAio(), CompletionPaths.UNKNOWN);
    }
}
