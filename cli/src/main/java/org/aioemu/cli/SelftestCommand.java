package org.aioemu.cli;

import java.io.PrintWriter;
import java.io.Writer;
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
                    + "CANCELLED) and its latency, then the core's counters. A silent first round warms the JVM up."},
        footerHeading = "%nExamples:%n",
        footer = {"  aioemu selftest", "  aioemu selftest --debug      (stack trace on an unexpected error)"})
final class SelftestCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        // A first, silent round loads and compiles the code paths, so the printed latencies are the
        // core's and not the JVM's warm-up; it checks just as much (a failure there is reported too).
        for (PrintWriter round : new PrintWriter[] {new PrintWriter(Writer.nullWriter()), out}) {
            try (SelfTest test = new SelfTest(round)) {
                try {
                    int n = test.run();
                    if (round == out) {
                        out.printf(Locale.ROOT, "selftest: %d checks passed (%.2f s, warm-up round included)%n", n,
                                (System.nanoTime() - t0) / 1e9);
                    }
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
        return 0;
    }
}
