package org.aioemu.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.aioemu.core.ExitPolicy;
import org.aioemu.core.bridge.ExecEnvironment;
import org.aioemu.core.bridge.ShimArtifacts;
import org.aioemu.core.bridge.ShimCompiler;
import org.aioemu.linux.shim.LinuxShimEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real C programs on the Linux shim: compiled with gcc, run as processes with the shim preloaded
 * (a JVM starts inside each), and compared with the same binaries on the host kernel where the
 * behaviour is the kernel's. Each run starts a JVM, so the programs are few and do a lot each.
 */
@Tag("native")
class LinuxShimTest {
    @TempDir static Path dir;
    static ExecEnvironment drain;

    @BeforeAll
    static void shim() {
        drain = ExecEnvironment.of(LinuxShimEntry.ABI, ExitPolicy.DRAIN, null);
    }

    @Test
    @DisplayName("libaio.h: every size, offset, constant and io_prep_* result matches the system libaio header, in C11, GNU C and C++")
    void headerMatchesLibaio() throws Exception {
        CProgram.needSystemLibaio();
        var shim = ShimArtifacts.locate(LinuxShimEntry.ABI);
        String src = CProgram.SOURCES.resolve("layout.c").toString();
        for (String std : List.of("-std=gnu11", "-std=c11")) {
            List<String> common = List.of("gcc", std, "-D_POSIX_C_SOURCE=200809L", "-Wall", "-Wextra", "-Werror", src);
            Path theirs = dir.resolve("layout-libaio"), ours = dir.resolve("layout-aioemu");
            CProgram.run(concat(common, List.of("-o", theirs.toString(), "-laio")), Map.of(), dir).expectExit(0);
            CProgram.run(concat(common, List.of("-I" + shim.include(), "-o", ours.toString(), "-L" + shim.libraryDir(),
                    "-Wl,-rpath," + shim.libraryDir(), "-l" + LinuxShimEntry.ABI.libraryName())), Map.of(), dir).expectExit(0);
            var a = CProgram.run(List.of(theirs.toString()), Map.of(), dir).expectExit(0);
            var b = CProgram.run(List.of(ours.toString()), Map.of(), dir).expectExit(0);
            assertEquals(a.out(), b.out(), std);
            assertTrue(a.out().contains("sizeof(struct iocb) = 64") && a.out().contains("functions 12"), a::toString);
        }
        CProgram.run(List.of("g++", "-x", "c++", "-Wall", "-Wextra", "-Werror", "-fsyntax-only", "-I" + shim.include(), src), Map.of(), dir)
                .expectExit(0);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        var all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    @DisplayName("an unmodified binary linked with the system libaio gives its native output on aioemu; the JVM's own output goes to stderr")
    void unmodifiedLibaioBinary() throws Exception {
        Path prog = CProgram.buildWithLibaio("basic", dir);
        var nat = CProgram.run(List.of(prog.toString(), dir.resolve("native.dat").toString()), Map.of(), dir).expectExit(0);
        // PrintFlagsFinal writes to the JVM's tty: it must land on stderr, never in the program's stdout
        var emu = CProgram.onAioemu(drain, List.of(prog.toString(), dir.resolve("emu.dat").toString()),
                Map.of("AIOEMU_JVM_OPTS", "-XX:+PrintFlagsFinal"), dir).expectExit(0);
        assertEquals(nat.out(), emu.out(), () -> "native:\n" + nat + "\naioemu:\n" + emu);
        assertTrue(nat.out().contains("callbacks 2") && nat.out().contains("io_cancel -115"), nat::toString);
        assertTrue(emu.err().contains("UseSerialGC"), () -> "the JVM's flag dump should be on stderr:\n" + emu);
    }

    @Test
    @DisplayName("aioemu cc: a libaio program built against aioemu's libaio.h and shim gives the native output")
    void builtByAioemuCc() throws Exception {
        Path nativeProg = CProgram.buildWithLibaio("basic", dir);   // the reference
        Path prog = dir.resolve("basic-cc");
        CProgram.run(ShimCompiler.command(LinuxShimEntry.ABI, List.of("-O2", CProgram.SOURCES.resolve("basic.c").toAbsolutePath().toString(),
                "-o", prog.toString())), Map.of(), dir).expectExit(0);
        var ldd = CProgram.run(List.of("readelf", "-d", prog.toString()), Map.of(), dir).expectExit(0);
        assertTrue(ldd.out().contains("libaioemu-linux.so") && !ldd.out().contains("libaio.so"), ldd::toString);
        var nat = CProgram.run(List.of(nativeProg.toString(), dir.resolve("n2.dat").toString()), Map.of(), dir).expectExit(0);
        var emu = CProgram.onAioemu(drain, List.of(prog.toString(), dir.resolve("e2.dat").toString()), Map.of(), dir).expectExit(0);
        assertEquals(nat.out(), emu.out());
        assertEquals("", emu.err(), "nothing on stderr when all goes well");
    }

    @Test
    @DisplayName("libaio harness 12.t / LNX-10: a fork child gets EINVAL on the parent's context and a fresh JVM for its own; same output as native")
    void forkChild() throws Exception {
        Path prog = CProgram.buildWithLibaio("forked", dir);
        var nat = CProgram.run(List.of(prog.toString(), dir.resolve("fn.dat").toString()), Map.of(), dir).expectExit(0);
        var emu = CProgram.onAioemu(drain, List.of(prog.toString(), dir.resolve("fe.dat").toString()), Map.of(), dir).expectExit(0);
        assertEquals(nat.out(), emu.out(), () -> "native:\n" + nat + "\naioemu:\n" + emu);
        assertTrue(emu.out().contains("child: io_setup 0") && emu.out().contains("child: submit on the parent's ctx -22"), emu::toString);

        // where the child cannot have a JVM of its own: -ENOSYS and one line on stderr saying why
        var noJvm = CProgram.onAioemu(drain, List.of(prog.toString(), dir.resolve("fx.dat").toString(), "nojvm"), Map.of(), dir).expectExit(0);
        assertTrue(noJvm.out().contains("child: io_setup without a JVM to start -38") && noJvm.out().contains("parent: child exited 4"),
                noJvm::toString);
        assertEquals(1, noJvm.err().lines().count(), noJvm::toString);
        assertTrue(noJvm.err().matches("aioemu: pid \\d+ was forked after the JVM started; AIO is unavailable here\\s*"), noJvm::toString);
    }

    @Test
    @DisplayName("signals: handlers installed after the JVM started get SIGSEGV/SIGUSR1/SIGUSR2, bad contexts are EINVAL not a crash, SIGPIPE still kills")
    void signals() throws Exception {
        Path prog = CProgram.buildWithLibaio("signals", dir);
        var emu = CProgram.onAioemu(drain, List.of(prog.toString()), Map.of(), dir).expectExit(0);
        assertEquals(List.of("io_setup 0", "sigaction shows our SIGSEGV handler: yes",
                "probe 0: own SIGSEGV handler recovered", "getevents on an unmapped ctx -22",
                "probe 1: own SIGSEGV handler recovered", "getevents on an unmapped ctx -22",
                "probe 2: own SIGSEGV handler recovered", "getevents on an unmapped ctx -22",
                "SIGUSR1 1 SIGUSR2 1", "calls after the signals: 20000", "io_destroy 0"), emu.outLines(), emu::toString);
        var natPipe = CProgram.run(List.of(prog.toString(), "sigpipe"), Map.of(), dir);
        var emuPipe = CProgram.onAioemu(drain, List.of(prog.toString(), "sigpipe"), Map.of(), dir);
        assertEquals(128 + 13, natPipe.exit(), natPipe::toString);
        assertEquals(natPipe.exit(), emuPipe.exit(), () -> "death by SIGPIPE as natively:\n" + emuPipe);
        assertEquals(natPipe.out(), emuPipe.out());
    }

    @Test
    @DisplayName("exit policy DRAIN: exit() and _exit() wait for the O_DIRECT writes in flight; the context still works in later atexit handlers")
    void exitDrains() throws Exception {
        Path prog = CProgram.buildWithLibaio("exitpolicy", dir);
        var viaExit = CProgram.onAioemu(drain, List.of(prog.toString(), dir.resolve("x1.dat").toString(), "exit"), Map.of(), dir)
                .expectExit(0);
        assertEquals(List.of("io_setup 0", "submitted 16", "at exit: events 16 complete 16 canceled 0 other 0",
                "io_destroy at exit 0"), viaExit.outLines(), viaExit::toString);

        Path data = dir.resolve("x2.dat");
        var viaUnderscore = CProgram.onAioemu(drain, List.of(prog.toString(), data.toString(), "_exit"), Map.of(), dir).expectExit(0);
        assertEquals(List.of("io_setup 0", "submitted 16"), viaUnderscore.outLines());
        byte[] bytes = Files.readAllBytes(data);
        assertEquals(16 << 20, bytes.length, "every write landed before the process was gone");
        for (int i = 0; i < 16; i++) {
            assertEquals('a' + i, bytes[(i << 20)], "first byte of MiB " + i);
            assertEquals('a' + i, bytes[(i << 20) + (1 << 20) - 1], "last byte of MiB " + i);
        }
    }

    @Test
    @DisplayName("exit policy CANCEL_THEN_DRAIN (AIOEMU_EXIT_POLICY): every request is either complete or ECANCELED when the exit handlers run")
    void exitCancelThenDrain() throws Exception {
        Path prog = CProgram.buildWithLibaio("exitpolicy", dir);
        var env = ExecEnvironment.of(LinuxShimEntry.ABI, ExitPolicy.CANCEL_THEN_DRAIN, null);
        var r = CProgram.onAioemu(env, List.of(prog.toString(), dir.resolve("x3.dat").toString(), "exit"), Map.of(), dir).expectExit(0);
        String line = r.outLines().stream().filter(l -> l.startsWith("at exit:")).findFirst().orElseThrow(() -> new AssertionError(r));
        String[] f = line.split(" ");   // at exit: events N complete C canceled K other O
        assertEquals("16", f[3], line);
        assertEquals(16, Integer.parseInt(f[5]) + Integer.parseInt(f[7]), line);
        assertEquals("0", f[9], line);
    }

    @Test
    @DisplayName("without aioemu exec's environment the shim answers -ENOSYS and says why in one stderr line")
    void withoutTheJdk() throws Exception {
        Path prog = CProgram.buildWithLibaio("basic", dir);
        ProcessBuilder pb = drain.processBuilder(List.of(prog.toString(), dir.resolve("nojdk.dat").toString()));
        pb.environment().remove("AIOEMU_JAVA_HOME");
        var r = CProgram.run(pb, dir).expectExit(1);
        assertEquals(List.of("io_queue_init -38"), r.outLines());
        assertEquals(1, r.err().lines().count(), r::toString);
        assertTrue(r.err().startsWith("aioemu: AIOEMU_JAVA_HOME and AIOEMU_CLASSPATH must be set"), r::toString);
    }
}
