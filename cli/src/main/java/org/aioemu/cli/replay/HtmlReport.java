package org.aioemu.cli.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * A replay report as one self-contained HTML page (no scripts, no external files): the summary,
 * the differences with their trace lines, the per-operation table, and each operation's latency
 * histogram drawn as inline SVG on log-scaled buckets.
 */
final class HtmlReport {
    private HtmlReport() {}

    private static final int BAR_W = 22, CHART_H = 120, LABEL_H = 34;

    static String render(ReplayReport r) {
        StringBuilder b = new StringBuilder(16_384);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>aioemu replay: ")
                .append(esc(r.trace())).append("</title>\n<style>")
                .append("body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}")
                .append("td.l,th.l{text-align:left}.ok{color:#1a7f37}.bad{color:#b42318}svg{margin:0 2em 1em 0}")
                .append("figure{display:inline-block;margin:0}figcaption{font-weight:600}</style></head><body>\n");
        b.append("<h1>aioemu replay</h1>\n<table>");
        row(b, "trace", r.trace());
        row(b, "target", r.target());
        row(b, "calls", r.calls() + " in trace, " + r.replayed() + " replayed, " + r.skipped() + " skipped");
        b.append("<tr><th class=\"l\">outcome</th><td class=\"l ").append(r.differences().isEmpty() ? "ok" : "bad").append("\">")
                .append(r.matched()).append(" matched, ").append(r.differences().size()).append(" differences</td></tr>");
        List<String> m = new ArrayList<>();
        r.matching().forEach((k, v) -> m.add(v + " by " + ReplayReport.label(k)));
        row(b, "events matched", m.isEmpty() ? "none" : String.join("; ", m));
        row(b, "data verified", r.bytesVerified() + " bytes");
        List<String> p = new ArrayList<>();
        r.completionPaths().forEach((k, v) -> p.add(k + ": " + v));
        row(b, "completed by", p.isEmpty() ? "no requests" : String.join("; ", p));
        row(b, "elapsed", String.format(Locale.ROOT, "%.3f s", r.elapsedSeconds()));
        b.append("</table>\n");

        if (!r.differences().isEmpty()) {
            b.append("<h2>Differences</h2>\n<table><tr><th>line</th><th class=\"l\">call</th><th class=\"l\">recorded</th>")
                    .append("<th class=\"l\">replayed</th><th class=\"l\">detail</th></tr>\n");
            for (Difference d : r.differences()) {
                b.append("<tr><td>").append(d.line()).append("</td><td class=\"l\">").append(esc(d.call()))
                        .append("</td><td class=\"l\">").append(esc(d.recorded())).append("</td><td class=\"l\">")
                        .append(esc(d.replayed())).append("</td><td class=\"l\">").append(esc(d.detail() == null ? "" : d.detail()))
                        .append("</td></tr>\n");
            }
            b.append("</table>\n");
        }

        b.append("<h2>Operations</h2>\n<table><tr><th class=\"l\">operation</th><th>count</th><th>IOPS</th><th>p50 &micro;s</th>")
                .append("<th>p90 &micro;s</th><th>p99 &micro;s</th><th>p99.9 &micro;s</th><th>max &micro;s</th></tr>\n");
        for (ReplayReport.OpSummary s : r.summaries()) {
            b.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s</td><td>%d</td><td>%.0f</td><td>%.1f</td><td>%.1f</td>"
                    + "<td>%.1f</td><td>%.1f</td><td>%.1f</td></tr>%n", esc(s.operation()), s.count(), s.iops(), s.p50us(),
                    s.p90us(), s.p99us(), s.p999us(), s.maxUs()));
        }
        b.append("</table>\n<h2>Latency histograms</h2>\n");
        for (Map.Entry<String, Histogram> e : r.latency().entrySet()) svg(b, e.getKey(), e.getValue());

        list(b, "Where the translation parts from Linux semantics", r.translations());
        list(b, "Notes", r.notes());
        b.append("</body></html>\n");
        return b.toString();
    }

    private static void list(StringBuilder b, String title, List<TraceWarning> items) {
        if (items.isEmpty()) return;
        b.append("<h2>").append(esc(title)).append("</h2>\n<ul>\n");
        for (TraceWarning w : items) b.append("<li>").append(esc(w.toString())).append("</li>\n");
        b.append("</ul>\n");
    }

    /** One histogram: a bar per power-of-two latency bucket from 1 µs, height by count (linear). */
    private static void svg(StringBuilder b, String name, Histogram h) {
        List<long[]> buckets = new ArrayList<>(); // {upper bound in ns, count}
        long max = 1;
        for (HistogramIterationValue v : h.logarithmicBucketValues(1_000, 2.0)) {
            long n = v.getCountAddedInThisIterationStep();
            buckets.add(new long[] {v.getValueIteratedTo(), n});
            max = Math.max(max, n);
        }
        int w = Math.max(1, buckets.size()) * BAR_W + 40;
        b.append("<figure><figcaption>").append(esc(name)).append(" (").append(h.getTotalCount()).append(")</figcaption>")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"")
                .append(CHART_H + LABEL_H).append("\" role=\"img\" aria-label=\"latency histogram of ").append(esc(name)).append("\">");
        b.append("<line x1=\"30\" y1=\"").append(CHART_H).append("\" x2=\"").append(w).append("\" y2=\"").append(CHART_H)
                .append("\" stroke=\"#999\"/>");
        for (int i = 0; i < buckets.size(); i++) {
            long[] k = buckets.get(i);
            int x = 32 + i * BAR_W;
            int bh = (int) Math.round((double) k[1] / max * (CHART_H - 14));
            if (k[1] > 0) {
                b.append("<rect x=\"").append(x).append("\" y=\"").append(CHART_H - bh).append("\" width=\"").append(BAR_W - 4)
                        .append("\" height=\"").append(bh).append("\" fill=\"#3b6fb6\"><title>&le; ").append(us(k[0]))
                        .append(": ").append(k[1]).append("</title></rect>");
                b.append("<text x=\"").append(x + (BAR_W - 4) / 2).append("\" y=\"").append(CHART_H - bh - 3)
                        .append("\" font-size=\"9\" text-anchor=\"middle\">").append(k[1]).append("</text>");
            }
            if (i % 2 == 0) {
                b.append("<text x=\"").append(x).append("\" y=\"").append(CHART_H + 14).append("\" font-size=\"9\" transform=\"rotate(30 ")
                        .append(x).append(' ').append(CHART_H + 14).append(")\">").append(us(k[0])).append("</text>");
            }
        }
        b.append("</svg></figure>\n");
    }

    private static String us(long nanos) {
        double u = nanos / 1e3;
        if (u >= 1e6) return String.format(Locale.ROOT, "%.0fs", u / 1e6);
        if (u >= 1e3) return String.format(Locale.ROOT, "%.0fms", u / 1e3);
        return String.format(Locale.ROOT, "%.0f\u00b5s", u);
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("<tr><th class=\"l\">").append(esc(k)).append("</th><td class=\"l\">").append(esc(v)).append("</td></tr>");
    }

    private static String esc(String s) {
        StringBuilder o = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> o.append("&lt;");
                case '>' -> o.append("&gt;");
                case '&' -> o.append("&amp;");
                case '"' -> o.append("&quot;");
                default -> o.append(c);
            }
        }
        return o.toString();
    }
}
