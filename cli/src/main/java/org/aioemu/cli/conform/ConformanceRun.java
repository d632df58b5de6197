package org.aioemu.cli.conform;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.aioemu.conformance.report.CaseSource;
import org.aioemu.conformance.report.ConformanceReport;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs conformance cases in this JVM with the JUnit Platform Launcher and collects them with the
 * conformance module's own {@link ConformanceReport} listener (no report file written).
 */
public final class ConformanceRun {
    private static final String BASE = "org.aioemu.conformance.";

    private final List<DiscoverySelector> selectors;
    private final Set<CaseSource> sources;

    /** @param sources the source suites to run, or empty for all */
    public ConformanceRun(List<DiscoverySelector> selectors, Set<CaseSource> sources) {
        this.selectors = List.copyOf(selectors);
        this.sources = Set.copyOf(sources);
    }

    /** The suite of one ABI ("linux", "freebsd") or of both ("all"). */
    public static ConformanceRun ofAbi(String abi, Set<CaseSource> sources) {
        List<DiscoverySelector> s = new ArrayList<>();
        for (String a : abi.equals("all") ? List.of("linux", "freebsd") : List.of(abi)) s.add(selectPackage(BASE + a));
        return new ConformanceRun(s, sources);
    }

    /** Runs the cases; what they print goes nowhere, so that the table (or JSON) is all of stdout. */
    public List<ConformanceReport.Case> run() {
        ConformanceReport report = new ConformanceReport(null);
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false).build());
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request().selectors(selectors)
                // the ABI's cases sit directly in its package; subpackages hold harness tests, not ported cases
                .filters(ClassNameFilter.excludeClassNamePatterns(".*\\.(linux|freebsd)\\.[a-z]\\w*\\..*"));
        if (!sources.isEmpty()) request.filters(bySource());
        PrintStream out = System.out, err = System.err;
        PrintStream sink = new PrintStream(ByteArrayOutputStream.nullOutputStream());
        System.setOut(sink);
        System.setErr(sink);
        try {
            launcher.execute(request.build(), report);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return report.cases();
    }

    /** Keeps the test methods whose display name names one of the sources (CaseSource's reading of it). */
    private PostDiscoveryFilter bySource() {
        return (TestDescriptor d) -> {
            if (d.getSource().filter(MethodSource.class::isInstance).isEmpty()) return FilterResult.included("not a case");
            CaseSource s = CaseSource.of(d.getDisplayName());
            CaseSource source = s == null ? CaseSource.AIOEMU : s;
            return sources.contains(source) ? FilterResult.included(source.name())
                    : FilterResult.excluded(source.name().toLowerCase(Locale.ROOT) + " not asked for");
        };
    }
}
