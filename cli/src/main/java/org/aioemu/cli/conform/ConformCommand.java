package org.aioemu.cli.conform;

import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

import org.aioemu.conformance.report.CaseSource;
import org.aioemu.conformance.report.ConformanceReport.Case;
import org.aioemu.conformance.report.ConformanceReport.Outcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aioemu conform}: the conformance suite, in-process, as a table by source suite. */
@Command(name = "conform",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the conformance suite (cases ported from gVisor, LTP, libaio, FreeBSD tests/sys/aio, the Open POSIX "
                    + "test suite, and aioemu's own) against the emulated ABIs, in this JVM, and prints per ABI and "
                    + "source suite how many cases are ported, passed, failed, not applicable to an emulation, and "
                    + "known differences (documented, passing as documented). Failures are listed with their first line.",
            "Exit code 1 if any case failed."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every selected case passed (or is not applicable)", "1:a case failed", "2:bad usage"},
        footerHeading = "%nExamples:%n",
        footer = {"  aioemu conform", "  aioemu conform --abi freebsd --source posix",
                "  aioemu conform --abi linux --source ltp --source gvisor --format json"})
public final class ConformCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--abi", defaultValue = "all", paramLabel = "linux|freebsd|all",
            completionCandidates = Abis.class, converter = AbiConverter.class,
            description = "Whose cases to run (default: ${DEFAULT-VALUE}).")
    String abi;

    @Option(names = "--source", paramLabel = "NAME", converter = SourceConverter.class,
            completionCandidates = Sources.class,
            description = "Only cases ported from this suite: gvisor, ltp, libaio, freebsd, posix, aioemu (repeatable; default: all).")
    List<CaseSource> sources = List.of();

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json", converter = FormatConverter.class,
            completionCandidates = Formats.class, description = "Output format (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Set<CaseSource> only = sources.isEmpty() ? Set.of() : EnumSet.copyOf(sources);
        long t0 = System.nanoTime();
        List<Case> cases = ConformanceRun.ofAbi(abi, only).run();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (format.equals("json")) ConformanceTable.printJson(out, cases, seconds);
        else ConformanceTable.printTable(out, cases, seconds);
        return exitCode(cases);
    }

    /** 1 if any case failed (a run that selected nothing is not a failure of the emulation). */
    static int exitCode(List<Case> cases) {
        return cases.stream().anyMatch(c -> c.outcome() == Outcome.FAILED) ? 1 : 0;
    }

    static final class Abis extends Choices { Abis() { super("linux", "freebsd", "all"); } }

    static final class Formats extends Choices { Formats() { super("table", "json"); } }

    static final class Sources extends Choices {
        Sources() { super(EnumSet.allOf(CaseSource.class).stream().map(s -> s.name().toLowerCase(Locale.ROOT)).toArray(String[]::new)); }
    }

    static final class AbiConverter implements ITypeConverter<String> {
        @Override
        public String convert(String v) { return new Abis().check(v); }
    }

    static final class FormatConverter implements ITypeConverter<String> {
        @Override
        public String convert(String v) { return new Formats().check(v); }
    }

    static final class SourceConverter implements ITypeConverter<CaseSource> {
        @Override
        public CaseSource convert(String v) { return CaseSource.valueOf(new Sources().check(v).toUpperCase(Locale.ROOT)); }
    }
}
