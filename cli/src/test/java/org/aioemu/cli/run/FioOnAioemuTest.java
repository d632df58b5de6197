package org.aioemu.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.aioemu.conformance.programs.HostPackages;
import org.aioemu.core.ExitPolicy;
import org.aioemu.core.bridge.ExecEnvironment;
import org.aioemu.linux.shim.LinuxShimEntry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fio, unmodified (Debian's package, linked with the system's libaio), on aioemu: a mixed random
 * read/write job at iodepth 32 whose every read is checked against crc32c of what was written.
 * fio is installed with apt-get if missing; where that cannot be done the test is skipped and
 * says so.
 */
@Tag("native")
@Tag("fio")
class FioOnAioemuTest {
    @TempDir static Path dir;
    static String fio;

    @BeforeAll
    static void findOrInstallFio() {
        String missing = HostPackages.ensure("fio", Path.of("/usr/bin/fio"));
        Assumptions.assumeTrue(missing == null, () -> "these tests run Debian's fio: " + missing);
        fio = "/usr/bin/fio";
    }

    private static List<String> job(String engine, Path file) {
        return List.of(fio, "--name=verify-" + engine, "--filename=" + file, "--ioengine=" + engine, "--iodepth=32",
                "--rw=randrw", "--rwmixread=50", "--bs=4k", "--size=4m", "--verify=crc32c", "--do_verify=1",
                "--verify_fatal=1", "--verify_state_save=0", "--verify_backlog=64", "--randrepeat=1", "--output-format=normal");
    }

    @Test
    @DisplayName("fio --ioengine=libaio --verify=crc32c, randrw at iodepth 32, runs on aioemu exec --abi linux and verifies")
    void libaioVerifies() throws Exception {
        var env = ExecEnvironment.of(LinuxShimEntry.ABI, ExitPolicy.DRAIN, null);
        // -Xlog:gc on stderr proves a JVM started inside fio's job process, i.e. the calls went through aioemu
        var r = CProgram.onAioemu(env, job("libaio", dir.resolve("libaio.dat")), Map.of("AIOEMU_JVM_OPTS", "-Xlog:gc:stderr"), dir);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.err().contains("Using Serial"), () -> "no JVM inside fio:\n" + r);
        assertTrue(r.out().contains("err= 0"), r::toString);
        assertTrue(r.out().contains("verify-libaio") && r.out().contains("read:") && r.out().contains("write:"), r::toString);
        assertTrue(!r.out().contains("verify:") && !r.err().contains("verify:") && !r.err().contains("bad "), r::toString);
    }

    @Test
    @DisplayName("fio --thread with three job threads in one process (each thread attached to the JVM on its first call) verifies on aioemu")
    void threadsVerify() throws Exception {
        var env = ExecEnvironment.of(LinuxShimEntry.ABI, ExitPolicy.DRAIN, null);
        Path jobs = java.nio.file.Files.createDirectories(dir.resolve("threads"));   // a file per job: they must not overwrite each other
        var r = CProgram.onAioemu(env, List.of(fio, "--thread", "--numjobs=3", "--name=threads", "--directory=" + jobs,
                "--ioengine=libaio", "--iodepth=16", "--rw=randrw", "--bs=4k", "--size=2m", "--verify=crc32c", "--do_verify=1",
                "--verify_fatal=1", "--verify_state_save=0", "--group_reporting"), Map.of(), dir);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("jobs=3): err= 0"), r::toString);
    }

    @Test
    @DisplayName("fio --ioengine=posixaio under aioemu exec runs glibc's aio_* (a third ABI aioemu does not emulate): it still verifies, with no JVM started")
    void posixaioIsGlibcs() throws Exception {
        var env = ExecEnvironment.of(LinuxShimEntry.ABI, ExitPolicy.DRAIN, null);
        var r = CProgram.onAioemu(env, job("posixaio", dir.resolve("posixaio.dat")), Map.of("AIOEMU_JVM_OPTS", "-Xlog:gc:stderr"), dir);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("err= 0"), r::toString);
        assertTrue(!r.err().contains("Using Serial"), () -> "posixaio should not reach the Linux shim:\n" + r);
    }
}
