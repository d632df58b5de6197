package org.aioemu.conformance.linux.programs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.aioemu.conformance.programs.CPrograms;
import org.aioemu.conformance.programs.HostPackages;
import org.aioemu.core.ExitPolicy;
import org.aioemu.core.bridge.ExecEnvironment;
import org.aioemu.core.bridge.ShimCompiler;
import org.aioemu.linux.shim.LinuxShimEntry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * C programs written for libaio (conformance/src/test/c/linux/NAME.c), each run three ways in one
 * test: built with the system's libaio against the host kernel (the oracle), that same unmodified
 * binary under {@code aioemu exec --abi linux} (the shim preloaded ahead of libaio), and built by
 * {@code aioemu cc --abi linux} against aioemu's own libaio.h and run on the emulation. All three
 * must print NAME.expected (what the host kernel printed when the program was written) and exit 0.
 * Each program names the LTP, libaio harness or gVisor case it ports at its top.
 */
@Tag("native")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LinuxProgramsTest {
    private static final Path SOURCES = Path.of("src/test/c/linux");

    @TempDir
    static Path bin;

    @BeforeAll
    static void toolsPresent() {
        try {
            ShimCompiler.command(LinuxShimEntry.ABI, List.of("-v"));
        } catch (IllegalStateException e) {
            Assumptions.abort("cannot build programs for aioemu here: " + e.getMessage());
        }
        String missing = HostPackages.ensure("libaio-dev", Path.of("/usr/include/libaio.h"));
        Assumptions.assumeTrue(missing == null, () -> "the native half needs the system libaio: " + missing);
    }

    @Test
    @DisplayName("gvisor aio.cc BasicWrite, BadWrite, BadOffset + libaio harness 4.t: write, events, ring magic, EPIPE, O_APPEND")
    void gvisorReadWrite() throws Exception { check("gvisor_readwrite"); }

    @Test
    @DisplayName("ltp io_setup01 + io_destroy01 + libaio harness 2.t: io_setup/io_destroy argument checks")
    void ltpIoSetup() throws Exception { check("ltp_io_setup"); }

    @Test
    @DisplayName("ltp io_submit01/02/03 + libaio harness 3.t, 4.t: bad iocb arrays, access modes, bad offsets, partial submission")
    void ltpIoSubmit() throws Exception { check("ltp_io_submit"); }

    @Test
    @DisplayName("ltp io_getevents01/02 + io_cancel01/02: argument checks in the kernel's order")
    void ltpGeteventsCancel() throws Exception { check("ltp_io_getevents_cancel"); }

    @Test
    @DisplayName("ltp io_pgetevents01/02: reaping with a timeout and a signal set, invalid ctx, min/max, events pointer")
    void ltpPgetevents() throws Exception { check("ltp_io_pgetevents"); }

    @Test
    @DisplayName("libaio harness 13.t + ltp aio01: eight 1 MiB writes in one io_submit, IOCB_CMD_FSYNC and FDSYNC")
    void libaioFsync() throws Exception { check("libaio_13_fsync"); }

    @Test
    @DisplayName("libaio harness 15.t + gvisor aio.cc BadOffset: PWRITEV/PREADV, short totals, zero iovecs")
    void libaioVectored() throws Exception { check("libaio_15_vectored"); }

    @Test
    @DisplayName("libaio harness 16.t: io_set_eventfd, the event in the ring before the eventfd is signalled")
    void libaioEventfd() throws Exception { check("libaio_16_eventfd"); }

    @Test
    @DisplayName("libaio harness 22.t (signals during io_pgetevents/io_getevents): the mask lets SIGUSR1 in (-EINTR) or keeps it pending")
    void libaioSigmask() throws Exception { check("libaio_22_sigmask"); }

    @Test
    @DisplayName("libaio harness 17.t + gvisor aio.cc ExitWithPendingIo: ring capacity, EAGAIN past it, slots back after reaping")
    void limitsEagain() throws Exception { check("limits_eagain"); }

    @Test
    @DisplayName("libaio harness 22.t + ltp io_cancel01/02: IOCB_CMD_POLL results and which requests io_cancel can cancel")
    void pollCancel() throws Exception { check("poll_cancel"); }

    @Test
    @DisplayName("libaio harness 22.t, 23.t + gvisor aio.cc BadWrite: reads, writes and polls on a socketpair and a pipe")
    void socketPipeStreams() throws Exception { check("socket_pipe_streams"); }

    @Test
    @DisplayName("libaio harness 17.t USER_GETEVENTS + 19.t: completions reaped from the ring in user space")
    void userRingReap() throws Exception { check("user_ring_reap"); }

    @Test
    @DisplayName("ltp aio01 + aio02: io_queue_init/io_queue_run, io_set_callback, 32 x 64 KiB writes and reads")
    void ioQueueHelpers() throws Exception { check("io_queue_helpers"); }

    @Test
    @DisplayName("libaio harness 14.t + gvisor aio.cc ExitWithPendingIo: exit() and _exit() with writes in flight keep every block; a pending poll is cancelled")
    void exitInflight() throws Exception { check("exit_inflight"); }

    @Test
    @DisplayName("aioemu: a signal ends a sleeping io_getevents at once (thread- and process-directed); an ignored SIGCHLD and a signal io_pgetevents' mask blocks do not, and do not make it spin")
    void signalWakeup() throws Exception {
        // Every way of noticing a signal by asking again is put off for ten minutes: only a sleep
        // that a signal ends by itself gets the 30-s waits to -EINTR within 10 s.
        check("signal_wakeup", Map.of("AIOEMU_JVM_OPTS", "-Daioemu.signalRecheckMillis=600000 -Daioemu.signalPollMillis=600000"));
    }

    @Test
    @DisplayName("aioemu: another thread closes the sleeping io_getevents' signalfd: the sleep does not spin on the dead fd, and a signal still ends it")
    void signalFdsTaken() throws Exception { check("signal_fds_taken"); }

    private static void check(String name) throws IOException, InterruptedException {
        check(name, Map.of());
    }

    /**
     * NAME natively (system libaio), the same binary on aioemu, and NAME built by aioemu cc on
     * aioemu ({@code aioemuEnv} added to the environment of the last two).
     */
    private static void check(String name, Map<String, String> aioemuEnv) throws IOException, InterruptedException {
        Path src = SOURCES.resolve(name + ".c").toAbsolutePath();
        String expected = Files.readString(SOURCES.resolve(name + ".expected"));
        Path nativeExe = bin.resolve(name + "-libaio");
        Path aioemuExe = bin.resolve(name + "-aioemu");
        CPrograms.compile(List.of("gcc", "-O2", "-Wall", "-o", nativeExe.toString(), src.toString(), "-laio"),
                bin.resolve(name + "-libaio.cc.log"));
        CPrograms.compile(ShimCompiler.command(LinuxShimEntry.ABI, List.of("-O2", "-Wall", "-o", aioemuExe.toString(), src.toString())),
                bin.resolve(name + "-aioemu.cc.log"));
        ExecEnvironment onAioemu = ExecEnvironment.of(LinuxShimEntry.ABI, ExitPolicy.DRAIN, null);

        CPrograms.Run kernel = CPrograms.run(name + "-kernel", new ProcessBuilder(nativeExe.toString(), dir(name + "-kernel").toString()), bin);
        ProcessBuilder unmodifiedPb = onAioemu.processBuilder(List.of(nativeExe.toString(), dir(name + "-unmodified").toString()));
        unmodifiedPb.environment().putAll(aioemuEnv);
        CPrograms.Run unmodified = CPrograms.run(name + "-unmodified", unmodifiedPb, bin);
        ProcessBuilder builtPb = onAioemu.processBuilder(List.of(aioemuExe.toString(), dir(name + "-aioemu-cc").toString()));
        builtPb.environment().putAll(aioemuEnv);
        CPrograms.Run built = CPrograms.run(name + "-aioemu-cc", builtPb, bin);
        kernel.expect(expected);
        unmodified.expect(expected);
        built.expect(expected);
    }

    private static Path dir(String name) throws IOException {
        return Files.createDirectories(bin.resolve(name + ".d"));
    }
}
