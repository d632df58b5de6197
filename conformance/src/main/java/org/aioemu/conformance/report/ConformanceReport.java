package org.aioemu.conformance.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Counts conformance cases by ABI and source suite while JUnit runs them: ported, passed,
 * failed, not applicable (disabled or skipped with a reason starting "not applicable"), and
 * known differences (tagged {@value #KNOWN_DIFFERENCE}, each with its reason in the display name
 * or test). A case is one ported test method; all its invocations (parameterized over submission
 * modes, say) must pass for it to pass. Writes {@code conformance-report.md} into the directory
 * given by the system property {@code aioemu.conformance.report} (default {@code target}).
 */
public final class ConformanceReport implements TestExecutionListener {
    public static final String KNOWN_DIFFERENCE = "known-difference";

    public enum Outcome { PASSED, FAILED, NOT_APPLICABLE }

    /** One ported case, as the report lists it. */
    public record Case(String abi, CaseSource source, String name, Outcome outcome, boolean knownDifference, String detail) {}

    private final Map<String, Case> cases = new LinkedHashMap<>();
    private final Path outDir;
    private TestPlan plan;

    /** The listener JUnit finds through ServiceLoader: writes into the configured directory. */
    public ConformanceReport() {
        this(Path.of(System.getProperty("aioemu.conformance.report", "target")));
    }

    /** @param outDir where to write the report at the end of the run, or null to only collect */
    public ConformanceReport(Path outDir) {
        this.outDir = outDir;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        this.plan = testPlan;
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        record(id, Outcome.NOT_APPLICABLE, reason);
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (!id.isTest()) return;
        Outcome o = switch (result.getStatus()) {
            case SUCCESSFUL -> Outcome.PASSED;
            case ABORTED -> Outcome.NOT_APPLICABLE;
            case FAILED -> Outcome.FAILED;
        };
        String detail = result.getThrowable().map(Throwable::getMessage).orElse("");
        record(id, o, detail);
    }

    private void record(TestIdentifier id, Outcome outcome, String detail) {
        Optional<TestIdentifier> caseId = caseOf(id);
        if (caseId.isEmpty()) return;
        TestIdentifier c = caseId.get();
        String abi = abiOf(c);
        if (abi == null) return;
        CaseSource source = CaseSource.of(c.getDisplayName());
        boolean known = hasTag(id, KNOWN_DIFFERENCE) || hasTag(c, KNOWN_DIFFERENCE);
        Case prev = cases.get(c.getUniqueId());
        Outcome merged = prev == null ? outcome : worse(prev.outcome(), outcome);
        String d = prev != null && prev.outcome() == merged ? prev.detail() : detail;
        cases.put(c.getUniqueId(), new Case(abi, source == null ? CaseSource.AIOEMU : source,
                c.getDisplayName(), merged, known || (prev != null && prev.knownDifference()), d == null ? "" : d));
    }

    private static Outcome worse(Outcome a, Outcome b) {
        if (a == Outcome.FAILED || b == Outcome.FAILED) return Outcome.FAILED;
        if (a == Outcome.PASSED || b == Outcome.PASSED) return Outcome.PASSED;
        return Outcome.NOT_APPLICABLE;
    }

    /** The ported case above an invocation: the outermost ancestor that is a test method. */
    private Optional<TestIdentifier> caseOf(TestIdentifier id) {
        TestIdentifier found = null;
        for (TestIdentifier cur = id; cur != null; cur = plan == null ? null : plan.getParent(cur).orElse(null)) {
            if (cur.getSource().filter(MethodSource.class::isInstance).isPresent()) found = cur;
        }
        return Optional.ofNullable(found);
    }

    private static String abiOf(TestIdentifier id) {
        return id.getSource().filter(MethodSource.class::isInstance).map(s -> ((MethodSource) s).getClassName())
                .map(ConformanceReport::abiOfClass)
                .orElse(null);
    }

    /** Linux cases live in a package whose last part is "linux", FreeBSD's in one ending "freebsd". */
    static String abiOfClass(String className) {
        String pkg = className.substring(0, Math.max(0, className.lastIndexOf('.')));
        String last = pkg.substring(pkg.lastIndexOf('.') + 1);
        return last.equals("linux") || last.equals("freebsd") ? last : null;
    }

    private static boolean hasTag(TestIdentifier id, String tag) {
        for (TestTag t : id.getTags()) if (t.getName().equals(tag)) return true;
        return false;
    }

    public List<Case> cases() {
        return new ArrayList<>(cases.values());
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (cases.isEmpty() || outDir == null) return;
        try {
            Files.createDirectories(outDir);
            Files.writeString(outDir.resolve("conformance-report.md"), markdown(cases()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One line of the report's table: the cases of one ABI ported from one source, by outcome. */
    public record Row(String abi, CaseSource source, int ported, int passed, int failed, int notApplicable, int knownDifferences) {}

    /** The table's lines, by ABI then source in {@link CaseSource} order. */
    public static List<Row> rows(List<Case> cases) {
        Map<String, Map<CaseSource, int[]>> table = new TreeMap<>();
        for (Case c : cases) {
            int[] n = table.computeIfAbsent(c.abi(), k -> new EnumMap<>(CaseSource.class))
                    .computeIfAbsent(c.source(), k -> new int[5]);
            n[0]++;
            n[switch (c.outcome()) { case PASSED -> 1; case FAILED -> 2; case NOT_APPLICABLE -> 3; }]++;
            if (c.knownDifference()) n[4]++;
        }
        List<Row> rows = new ArrayList<>();
        table.forEach((abi, bySource) -> bySource.forEach((src, n) -> rows.add(new Row(abi, src, n[0], n[1], n[2], n[3], n[4]))));
        return rows;
    }

    /** The table by ABI and source, then every failure, known difference and not-applicable case with its reason. */
    public static String markdown(List<Case> cases) {
        StringBuilder sb = new StringBuilder("# Conformance report\n\n");
        sb.append("| ABI | source | ported | passed | failed | not applicable | known differences |\n");
        sb.append("| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (Row r : rows(cases)) {
            sb.append("| ").append(r.abi()).append(" | ").append(r.source().title()).append(" | ").append(r.ported())
                    .append(" | ").append(r.passed()).append(" | ").append(r.failed()).append(" | ").append(r.notApplicable())
                    .append(" | ").append(r.knownDifferences()).append(" |\n");
        }
        appendList(sb, "Failures", cases, c -> c.outcome() == Outcome.FAILED);
        appendList(sb, "Known differences", cases, Case::knownDifference);
        appendList(sb, "Not applicable", cases, c -> c.outcome() == Outcome.NOT_APPLICABLE);
        return sb.toString();
    }

    private static void appendList(StringBuilder sb, String title, List<Case> cases, java.util.function.Predicate<Case> which) {
        List<Case> list = cases.stream().filter(which).toList();
        if (list.isEmpty()) return;
        sb.append("\n## ").append(title).append("\n\n");
        for (Case c : list) {
            sb.append("- ").append(c.abi()).append(": ").append(c.name());
            if (!c.detail().isBlank()) sb.append(" — ").append(c.detail().lines().findFirst().orElse(""));
            sb.append('\n');
        }
    }
}
