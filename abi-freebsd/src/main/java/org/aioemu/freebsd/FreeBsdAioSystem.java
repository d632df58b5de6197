package org.aioemu.freebsd;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.aioemu.core.AioConfig;
import org.aioemu.core.AioSystem;

/**
 * An emulated FreeBSD system's AIO: one core {@link AioSystem} (its worker pool sized as the aiod
 * pool, its limits as vfs.aio's), the sysctl tree that tunes it, the global job id counter
 * (jobrefid) and the processes. Start one, make processes, close it when done.
 */
public final class FreeBsdAioSystem implements AutoCloseable {
    private final AioSystem core;
    private final FreeBsdSysctl sysctl;
    private final AtomicLong jobRef = new AtomicLong(1);
    private final AtomicInteger lwpids = new AtomicInteger(100_000);
    private final AtomicInteger pids = new AtomicInteger(1_000);
    private final Set<FreeBsdAioProcess> processes = ConcurrentHashMap.newKeySet();

    private FreeBsdAioSystem(AioSystem core) {
        this.core = core;
        this.sysctl = new FreeBsdSysctl(core);
    }

    /** A system with FreeBSD's default tunables (4 aiods kept, at most 32, 30 s idle lifetime). */
    public static FreeBsdAioSystem start() {
        AioConfig config = AioConfig.defaults().withWorkers(4, 32).withWorkerIdle(Duration.ofSeconds(30))
                .withLimits(32, 256, 1024);
        return new FreeBsdAioSystem(AioSystem.start(config));
    }

    public FreeBsdSysctl sysctl() {
        return sysctl;
    }

    public AioSystem core() {
        return core;
    }

    /** A new process with no AIO state yet (it is made at its first AIO call). */
    public FreeBsdAioProcess newProcess(String name) {
        FreeBsdAioProcess p = new FreeBsdAioProcess(this, name, pids.incrementAndGet(), null);
        processes.add(p);
        return p;
    }

    FreeBsdAioProcess forkOf(FreeBsdAioProcess parent) {
        FreeBsdAioProcess p = new FreeBsdAioProcess(this, parent.name() + "-child", pids.incrementAndGet(), parent);
        processes.add(p);
        return p;
    }

    void forget(FreeBsdAioProcess p) {
        processes.remove(p);
    }

    public List<FreeBsdAioProcess> processes() {
        return List.copyOf(processes);
    }

    long nextJobRef() {
        return jobRef.getAndIncrement();
    }

    int nextLwpid() {
        return lwpids.incrementAndGet();
    }

    /** Exits every process still alive (each with its exit policy), then stops the core. */
    @Override
    public void close() {
        for (FreeBsdAioProcess p : processes()) p.exit();
        core.close();
    }
}
