package org.aioemu.cli.conform;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.aioemu.cli.bench.Json;
import org.aioemu.conformance.report.ConformanceReport;
import org.aioemu.conformance.report.ConformanceReport.Case;
import org.aioemu.conformance.report.ConformanceReport.Outcome;
import org.aioemu.conformance.report.ConformanceReport.Row;

/** Prints a conformance run's cases: as a table by ABI and source suite with the failures listed, or as JSON. */
final class ConformanceTable {
    private ConformanceTable() {}

    static void printTable(PrintWriter out, List<Case> cases, double seconds) {
        String fmt = "%-8s %-36s %7s %7s %7s %8s %8s%n";
        out.printf(Locale.ROOT, fmt, "abi", "source", "ported", "passed", "failed", "n/a", "known");
        Row total = total(ConformanceReport.rows(cases));
        for (Row r : ConformanceReport.rows(cases)) line(out, fmt, r.abi(), r.source().title(), r);
        line(out, fmt, "", "total", total);
        out.printf(Locale.ROOT, "(n/a: not applicable to an emulation; known: known differences, passing as documented)%n");
        for (Case c : cases) {
            if (c.outcome() != Outcome.FAILED) continue;
            out.printf(Locale.ROOT, "FAILED %s: %s — %s%n", c.abi(), c.name(), c.detail().lines().findFirst().orElse(""));
        }
        out.printf(Locale.ROOT, "%d cases in %.1f s: %s%n", total.ported(), seconds,
                total.ported() == 0 ? "none selected" : total.failed() == 0 ? "all conform" : total.failed() + " failed");
    }

    static void printJson(PrintWriter out, List<Case> cases, double seconds) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("seconds", Math.round(seconds * 10) / 10.0);
        List<Row> rows = ConformanceReport.rows(cases);
        doc.put("total", json(total(rows)));
        doc.put("sources", rows.stream().map(ConformanceTable::json).toList());
        doc.put("cases", cases.stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("abi", c.abi());
            m.put("source", c.source().name().toLowerCase(Locale.ROOT));
            m.put("name", c.name());
            m.put("outcome", c.outcome().name().toLowerCase(Locale.ROOT));
            m.put("known_difference", c.knownDifference());
            if (!c.detail().isBlank()) m.put("detail", c.detail());
            return (Object) m;
        }).toList());
        out.println(Json.write(doc));
    }

    static Row total(List<Row> rows) {
        int[] n = new int[5];
        for (Row r : rows) {
            n[0] += r.ported();
            n[1] += r.passed();
            n[2] += r.failed();
            n[3] += r.notApplicable();
            n[4] += r.knownDifferences();
        }
        return new Row("all", null, n[0], n[1], n[2], n[3], n[4]);
    }

    private static void line(PrintWriter out, String fmt, String abi, String source, Row r) {
        out.printf(Locale.ROOT, fmt, abi, source, r.ported(), r.passed(), r.failed(), r.notApplicable(), r.knownDifferences());
    }

    private static Map<String, Object> json(Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("abi", r.abi());
        if (r.source() != null) {
            m.put("source", r.source().name().toLowerCase(Locale.ROOT));
            m.put("title", r.source().title());
        }
        m.put("ported", r.ported());
        m.put("passed", r.passed());
        m.put("failed", r.failed());
        m.put("not_applicable", r.notApplicable());
        m.put("known_differences", r.knownDifferences());
        return m;
    }
}
