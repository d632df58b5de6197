package org.aioemu.freebsd.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.aioemu.freebsd.FreeBsdAioConstants;
import org.aioemu.freebsd.FreeBsdAiocb;
import org.aioemu.freebsd.FreeBsdKevent;
import org.aioemu.freebsd.FreeBsdSigevent;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shim's C headers (src/main/c/include) against the Java side that reads the program's
 * memory: gcc checks, with static asserts generated from the Java layouts and constants, that
 * every field the Java side reads sits at the same offset in the C struct and every FreeBSD value
 * the headers define is the emulation's; and that the headers coexist with glibc's in any include
 * order, in C and C++, without a warning.
 */
class FreeBsdHeadersTest {
    private static final Path INCLUDE = Path.of("src/main/c/include").toAbsolutePath();
    private static final String[] OUR_PREFIXES = {"AIO_", "LIO_", "SIGEV_", "EVFILT_", "EV_"};

    @TempDir
    Path dir;

    @BeforeAll
    static void gccPresent() throws Exception {
        try {
            Process p = new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            Assumptions.assumeTrue(p.waitFor() == 0, "gcc does not run");
        } catch (IOException e) {
            Assumptions.abort("no gcc: " + e.getMessage());
        }
    }

    @Test
    @DisplayName("aio.h and sys/event.h: struct aiocb, sigevent, kevent offsets and sizes equal the Java layouts (C and C++)")
    void layoutsMatchJava() throws Exception {
        StringBuilder c = new StringBuilder("#include <stddef.h>\n#include <aio.h>\n#include <sys/event.h>\n"
                + "#ifdef __cplusplus\n#define CHECK(c, m) static_assert(c, m)\n#else\n#define CHECK(c, m) __extension__ _Static_assert(c, m)\n#endif\n");
        asserts(c, "aiocb", FreeBsdAiocb.LAYOUT);
        asserts(c, "sigevent", FreeBsdSigevent.LAYOUT);
        asserts(c, "kevent", FreeBsdKevent.LAYOUT);
        Path src = write("layouts.c", c.toString());
        compile("gcc", "-std=gnu17", src);
        compile("g++", "-std=c++17", src);
        assertTrue(c.toString().contains("aio_sigevent._sigev_un._sigev_thread._function"), "the walk reached nested members");
    }

    @Test
    @DisplayName("aio.h and sys/event.h: AIO_*, LIO_*, SIGEV_*, EVFILT_*, EV_* are FreeBSD's values, as the emulation has them")
    void constantsMatchJava() throws Exception {
        StringBuilder c = new StringBuilder("#include <aio.h>\n#include <sys/event.h>\n");
        int n = 0;
        for (Field f : FreeBsdAioConstants.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || !ours(f.getName())) continue;
            long v = ((Number) f.get(null)).longValue();
            c.append("#ifndef ").append(f.getName()).append("\n#error ").append(f.getName()).append(" not defined\n#endif\n");
            c.append("__extension__ _Static_assert(").append(f.getName()).append(" == ").append(v).append("L, \"")
                    .append(f.getName()).append("\");\n");
            n++;
        }
        assertTrue(n >= 30, "constants checked: " + n);
        compile("gcc", "-std=gnu17", write("constants.c", c.toString()));
    }

    @Test
    @DisplayName("native-bridge.md §7: the headers coexist with glibc's <signal.h>, <errno.h>, <pthread.h>, <time.h>, <mqueue.h> in any order, C11/gnu11/gnu17/C++17, -Wall -Wextra -Werror")
    void includeOrders() throws Exception {
        String use = """
                int main(void) {
                    struct aiocb cb; struct sigevent se; struct kevent ev; union sigval v;
                    v.sival_int = 1; se.sigev_value = v; se.sigev_notify = SIGEV_KEVENT; se.sigev_notify_kqueue = 3;
                    se.sigev_notify_kevent_flags = EV_ONESHOT; se.sigev_notify_thread_id = 1;
                    se.sigev_notify_function = 0; se.sigev_notify_attributes = 0;
                    cb.aio_sigevent = se; cb.aio_lio_opcode = LIO_READV; cb.aio_iovcnt = 0;
                    EV_SET(&ev, 1, EVFILT_AIO, EV_ADD, 0, 0, 0);
                    return (int)sizeof cb + (int)sizeof se + (int)ev.filter + SIGUSR1 + EINPROGRESS + (int)cb.aio_iovcnt;
                }
                """;
        String glibc = "#include <signal.h>\n#include <errno.h>\n#include <pthread.h>\n#include <time.h>\n";
        String ours = "#include <aio.h>\n#include <sys/event.h>\n#include <pthread_np.h>\n";
        List<Path> sources = List.of(
                write("glibc_first.c", glibc + ours + use),
                write("ours_first.c", ours + glibc + use),
                write("mqueue_first.c", "#include <time.h>\n#include <mqueue.h>\n" + ours + "#include <signal.h>\n#include <errno.h>\n" + use));
        for (Path src : sources) {
            for (String std : List.of("-std=c11 -D_DEFAULT_SOURCE", "-std=gnu11 -D_GNU_SOURCE", "-std=gnu17")) {
                compile("gcc", std, src);
            }
            compile("g++", "-std=c++17", src);
        }
        // ISO C with nothing but <aio.h>: glibc hides union sigval there; the header supplies it
        compile("gcc", "-std=c11 -pedantic", write("strict.c", "#include <aio.h>\nint main(void) { struct aiocb cb; union sigval v; "
                + "v.sival_int = 0; cb.aio_sigevent.sigev_value = v; return cb.aio_sigevent.sigev_notify = SIGEV_NONE; }\n"));
    }

    @Test
    @DisplayName("native-bridge.md §7: with aioemu cc's -include aio.h, a file that includes only <signal.h> sees FreeBSD's 80-byte struct sigevent and SIGEV_SIGNAL 1")
    void forceIncludedEverywhere() throws Exception {
        Path src = write("signal_only.c", "#include <signal.h>\n__extension__ _Static_assert(sizeof(struct sigevent) == 80, \"fbsd\");\n"
                + "__extension__ _Static_assert(SIGEV_SIGNAL == 1, \"fbsd\");\n");
        compile("gcc", "-std=gnu17 -D_DEFAULT_SOURCE -include aio.h", src);
    }

    private static boolean ours(String name) {
        for (String p : OUR_PREFIXES) if (name.startsWith(p)) return true;
        return false;
    }

    /** offsetof/sizeof asserts for every named member of {@code layout}, nested ones by their dotted path. */
    private static void asserts(StringBuilder c, String struct, GroupLayout layout) {
        c.append("CHECK(sizeof(struct ").append(struct).append(") == ").append(layout.byteSize())
                .append(", \"sizeof ").append(struct).append("\");\n");
        walk(c, struct, layout, "", 0);
    }

    private static void walk(StringBuilder c, String struct, GroupLayout group, String prefix, long base) {
        long offset = 0;
        boolean union = group instanceof java.lang.foreign.UnionLayout;
        for (MemoryLayout m : group.memberLayouts()) {
            long at = base + (union ? 0 : offset);
            if (!(m instanceof PaddingLayout) && m.name().isPresent()) {
                String path = prefix + m.name().get();
                c.append("CHECK(offsetof(struct ").append(struct).append(", ").append(path).append(") == ")
                        .append(at).append(", \"").append(struct).append('.').append(path).append("\");\n");
                if (m instanceof GroupLayout g) walk(c, struct, g, path + ".", at);
            }
            if (!union) offset += m.byteSize();
        }
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private void compile(String compiler, String flags, Path src) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(compiler, "-fsyntax-only", "-Wall", "-Wextra", "-Werror", "-I" + INCLUDE));
        cmd.addAll(List.of(flags.split(" ")));
        if (compiler.equals("g++")) cmd.addAll(List.of("-x", "c++"));
        cmd.add(src.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "compiler did not finish");
        assertEquals(0, p.exitValue(), () -> String.join(" ", cmd) + "\n" + out);
    }
}
