package org.aioemu.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code aioemu selftest}: proves in a few seconds that the core works on this host. */
@Command(name = "selftest",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the AIO core end to end on real host objects (a file, a pipe, a socketpair, a 127.0.0.1 TCP "
                    + "connection), checking every byte, then cancels a waiting read and exits a process with "
                    + "CANCEL_THEN_DRAIN.",
            "Prints one line per check with how the request completed (INLINE: on the submitting thread; "
                    + "WORKER: worker pool; CONTINUATION: resumed by the poller, no thread held while it waited; "
                    + "CANCELLED) and its latency, then the core's counters."},
        footerHeading = "%nExamples:%n",
        footer = {"  aioemu selftest", "  aioemu selftest --debug      (stack trace on an unexpected error)"})
final class SelftestCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        try (SelfTest test = new SelfTest(out)) {
            try {
                int n = test.run();
                out.printf(Locale.ROOT, "selftest: %d checks passed (%.2f s)%n", n, (System.nanoTime() - t0) / 1e9);
                return 0;
            } catch (SelfTest.CheckFailed f) {
                out.println("FAIL " + test.currentCheck() + ": " + f.getMessage());
                out.flush();
                PrintWriter err = spec.commandLine().getErr();
                err.println("selftest: FAILED at '" + test.currentCheck() + "': " + f.getMessage());
                err.flush();
                return 1;
            }
        }
    }
}
