package org.aioemu.cli.replay;

import org.aioemu.linux.LinuxAioSyscalls;
import org.aioemu.linux.LinuxAioSystem;
import org.aioemu.linux.LinuxSubmitMode;
import org.aioemu.linux.kernel.HostKernelAio;

/**
 * What a trace is replayed on: the six AIO calls, whatever it can say about how requests
 * completed, and whether its io_submit may block on a pipe or socket read/write (the kernel's
 * does: it runs them synchronously, as the emulation's LINUX mode does; ASYNC mode parks them),
 * and, for a target in another ABI, its {@link Translation} notes (null for Linux targets).
 */
public record ReplayTarget(String name, LinuxAioSyscalls aio, CompletionPaths paths, boolean submitMayBlock, Translation translation,
                           AutoCloseable resources) implements AutoCloseable {
    public ReplayTarget(String name, LinuxAioSyscalls aio, CompletionPaths paths, boolean submitMayBlock) {
        this(name, aio, paths, submitMayBlock, null, null);
    }

    /** Stops what the target started (an emulated system's workers and poller). */
    @Override
    public void close() throws Exception {
        if (resources != null) resources.close();
    }

    /** The emulated Linux ABI, one emulated process on a core of its own (until close). */
    public static ReplayTarget emulation(LinuxSubmitMode mode) {
        LinuxAioSystem system = LinuxAioSystem.start();
        return new ReplayTarget("aioemu linux ABI (" + mode.name().toLowerCase(java.util.Locale.ROOT) + " mode)",
                system.newProcess("replay", mode), CompletionPaths.UNKNOWN, mode == LinuxSubmitMode.LINUX, null, system);
    }

    /**
     * Cross-ABI: the Linux calls translated into the emulated FreeBSD ABI ({@link LinuxOnFreeBsd}),
     * which says call by call where FreeBSD's semantics differ. Its aio_read never blocks the caller.
     */
    public static ReplayTarget freeBsd() {
        LinuxOnFreeBsd t = new LinuxOnFreeBsd();
        return new ReplayTarget("aioemu freebsd ABI (Linux calls translated)", t, CompletionPaths.UNKNOWN, false, t, t);
    }

    public static ReplayTarget hostKernel() {
        return new ReplayTarget("host kernel " + System.getProperty("os.version"), new HostKernelAio(), CompletionPaths.UNKNOWN, true);
    }
}
