package org.aioemu.conformance.freebsd.programs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.aioemu.conformance.programs.CPrograms;
import org.aioemu.core.bridge.ExecEnvironment;
import org.aioemu.core.bridge.ShimCompiler;
import org.aioemu.freebsd.shim.FreeBsdShimEntry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * C programs written for FreeBSD's &lt;aio.h&gt; (conformance/src/test/c/freebsd/NAME.c), each
 * compiled unchanged with the command line of {@code aioemu cc --abi freebsd} and run as
 * {@code aioemu exec --abi freebsd} runs it (the shim preloaded with libjsig, a JVM started
 * inside the program on its first AIO call); its stdout must equal NAME.expected and it must
 * exit with status 0. Each program names the FreeBSD or Open POSIX case it ports at its top.
 * One JVM start per program (140-290 ms, more on a loaded machine): keep the list short.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FreeBsdProgramsTest {
    private static final Path SOURCES = Path.of("src/test/c/freebsd");

    @TempDir
    static Path bin;

    @BeforeAll
    static void compilerPresent() {
        try {
            ShimCompiler.command(FreeBsdShimEntry.ABI, List.of("-v"));
        } catch (IllegalStateException e) {
            Assumptions.abort("cannot build FreeBSD programs here: " + e.getMessage());
        }
    }

    @Test
    @DisplayName("freebsd aio_test.c file_poll + posix aio_read/3-2, aio_return/2-1: file write and read back, polled with aio_error")
    void filePoll() throws Exception { check("file_poll"); }

    @Test
    @DisplayName("freebsd aio_test.c vectored_file_poll, aio_writev_empty_file_poll, aio_writev_dos_iovcnt: aio_writev/aio_readv on a file")
    void vectoredFile() throws Exception { check("vectored_file"); }

    @Test
    @DisplayName("freebsd aio_test.c aio_fsync_sync_test, aio_fsync_dsync_test, aio_fsync_errors, file_waitcomplete: aio_fsync after 16 writes, reaped by aio_waitcomplete")
    void fsyncWaitcomplete() throws Exception { check("fsync_waitcomplete"); }

    @Test
    @DisplayName("freebsd aio_test.c aio_socket_two_reads + posix aio_cancel/8-1, 9-1, 10-1, aio_suspend/3-1: one byte completes one of two socket reads, the other is cancelled")
    void socketCancel() throws Exception { check("socket_cancel"); }

    @Test
    @DisplayName("freebsd lio_test.c lio_listio_eagain_kevent + posix aio_read/9-1, aio_write/7-1: EAGAIN at max_aio_queue_per_proc, slots back after reaping")
    void limitsEagain() throws Exception { check("limits_eagain"); }

    @Test
    @DisplayName("freebsd aio_test.c file_signal + posix lio_listio/3-1: SIGEV_SIGNAL and SIGEV_THREAD_ID as real host signals (SI_ASYNCIO, si_value), withdrawn on reap")
    void signalNotify() throws Exception { check("signal_notify"); }

    @Test
    @DisplayName("freebsd vfs_aio.c kern_aio_suspend/kern_aio_waitcomplete PCATCH (FBSD-26/28) + posix aio_suspend [EINTR]: a caught host signal ends the AIO sleeps with EINTR; SA_RESTART restarts aio_waitcomplete")
    void signalEintr() throws Exception { check("signal_eintr"); }

    @Test
    @DisplayName("freebsd aio_test.c file_thread, vectored_thread + lio_test.c lio_listio_empty_nowait_thread: SIGEV_THREAD callbacks")
    void threadNotify() throws Exception { check("thread_notify"); }

    @Test
    @DisplayName("freebsd aio_test.c file_kq, ev_oneshot + aio_kqueue_test.c: SIGEV_KEVENT on the program's kqueue, EVFILT_AIO events")
    void keventAio() throws Exception { check("kevent_aio"); }

    @Test
    @DisplayName("freebsd lio_kqueue_test.c + lio_test.c lio_listio_opcodes, lio_listio_invalid_opcode, lio_listio_empty_* + posix lio_listio/18-1: EVFILT_LIO and list opcodes")
    void lioKqueue() throws Exception { check("lio_kqueue"); }

    @Test
    @DisplayName("freebsd aio_test.c socket_poll, aio_socket_listen_fail, aio_socket_blocking_short_write, aio_socket_shutdown: AIO on socketpairs and 127.0.0.1 TCP")
    void socketIo() throws Exception { check("socket_io"); }

    @Test
    @DisplayName("freebsd aio_test.c aio_writev_efault (file: EFAULT at completion) + copyin/copyout of the calls' pointers: unmapped addresses are EFAULT, never a crash")
    void badPointers() throws Exception { check("bad_pointers"); }

    @Test
    @DisplayName("freebsd vfs_aio.c aio_proc_rundown (FBSD-67/68) + posix _exit: a child _exits with AIO queued; the parent leaves main with a read queued")
    void exitPolicy() throws Exception { check("exit_policy"); }

    @Test
    @DisplayName("aioemu: the same interrupted sleeps with every way of noticing a signal by asking again put off for ten minutes: each sleep ends when the signal arrives")
    void signalEndsTheSleepItself() throws Exception {
        check("signal_eintr", "signal_eintr-no-polling",
                Map.of("AIOEMU_JVM_OPTS", "-Daioemu.signalRecheckMillis=600000 -Daioemu.signalPollMillis=600000"));
    }

    private static void check(String name) throws IOException, InterruptedException {
        check(name, name, Map.of());
    }

    /**
     * Builds NAME.c as 'aioemu cc --abi freebsd' does, runs it as 'aioemu exec --abi freebsd' does
     * (with {@code env} added) under the name {@code run}, compares stdout with NAME.expected.
     */
    private static void check(String name, String run, Map<String, String> env) throws IOException, InterruptedException {
        Path src = SOURCES.resolve(name + ".c").toAbsolutePath();
        Path exe = bin.resolve(run);
        CPrograms.compile(ShimCompiler.command(FreeBsdShimEntry.ABI, List.of("-Wall", "-o", exe.toString(), src.toString(), "-lpthread")),
                bin.resolve(run + ".cc.log"));
        ProcessBuilder pb = ExecEnvironment.of(FreeBsdShimEntry.ABI, null, null).processBuilder(List.of(exe.toString()));
        pb.environment().putAll(env);
        CPrograms.run(run, pb, bin).expect(Files.readString(SOURCES.resolve(name + ".expected")));
    }
}
