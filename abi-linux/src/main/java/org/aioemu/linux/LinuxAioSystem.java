package org.aioemu.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.aioemu.core.AioConfig;
import org.aioemu.core.AioSystem;

/**
 * The emulated Linux kernel's AIO state shared by all emulated processes: the core, and the
 * system-wide context budget (/proc/sys/fs/aio-max-nr and aio-nr: each io_setup takes the
 * nr_events it asked for, io_destroy gives it back).
 */
public final class LinuxAioSystem implements AutoCloseable {
    private final AioSystem core;
    private final boolean ownsCore;
    private final AtomicLong aioNr = new AtomicLong();
    private volatile long aioMaxNr = LinuxAioConstants.AIO_MAX_NR_DEFAULT;
    private final int possibleCpus = readPossibleCpus();

    private LinuxAioSystem(AioSystem core, boolean ownsCore) {
        this.core = core;
        this.ownsCore = ownsCore;
    }

    /** A system on a core of its own; Linux limits requests only per context, so the core's other limits are opened wide. */
    public static LinuxAioSystem start() {
        AioConfig c = AioConfig.defaults();
        return new LinuxAioSystem(AioSystem.start(c.withLimits(c.workerMax(), Integer.MAX_VALUE / 2, Integer.MAX_VALUE / 2)), true);
    }

    /** A system on a core shared with other ABIs (the caller closes the core). */
    public static LinuxAioSystem on(AioSystem core) {
        return new LinuxAioSystem(core, false);
    }

    public AioSystem core() { return core; }

    public LinuxAioProcess newProcess(String name, LinuxSubmitMode mode) {
        return new LinuxAioProcess(this, core.newProcess(name, org.aioemu.core.ExitPolicy.DRAIN), mode);
    }

    /** /proc/sys/fs/aio-nr: nr_events of every live context, all processes together. */
    public long aioNr() { return aioNr.get(); }

    public long aioMaxNr() { return aioMaxNr; }

    public void setAioMaxNr(long max) { aioMaxNr = max; }

    /** num_possible_cpus(): io_setup's ring geometry and batching depend on it. */
    public int possibleCpus() { return possibleCpus; }

    boolean reserveContext(long nr) {
        for (;;) {
            long cur = aioNr.get();
            if (cur + nr > aioMaxNr || cur + nr < cur) return false;
            if (aioNr.compareAndSet(cur, cur + nr)) return true;
        }
    }

    void releaseContext(long nr) {
        aioNr.addAndGet(-nr);
    }

    private static int readPossibleCpus() {
        try {
            // readAllLines, not readString: sysfs reports a page-sized file and readString stops short here
            String s = Files.readAllLines(Path.of("/sys/devices/system/cpu/possible")).getFirst().trim();   // "0-1" or "0"
            String last = s.substring(s.lastIndexOf(s.contains("-") ? '-' : ',') + 1);
            return Integer.parseInt(last) + 1;
        } catch (IOException | RuntimeException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    @Override
    public void close() {
        if (ownsCore) core.close();
    }
}
