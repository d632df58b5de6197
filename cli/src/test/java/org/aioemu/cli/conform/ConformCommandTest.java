package org.aioemu.cli.conform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.aioemu.cli.CliRun;
import org.aioemu.conformance.report.CaseSource;
import org.aioemu.conformance.report.ConformanceReport.Case;
import org.aioemu.conformance.report.ConformanceReport.Outcome;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** `aioemu conform` on slices of the real suite (the whole suite runs in the conformance module's own build). */
class ConformCommandTest {
    @Test
    @DisplayName("--abi linux --source libaio runs the libaio cases only, all passing or known")
    void libaioSliceAsATable() {
        CliRun r = CliRun.of("conform", "--abi", "linux", "--source", "libaio");
        assertEquals(0, r.exitCode(), r::toString);
        List<String> rows = r.out().lines().filter(l -> l.startsWith("linux ")).toList();
        assertEquals(1, rows.size(), r::toString);
        String[] n = rows.getFirst().replace("libaio harness", "libaio").trim().split(" +");
        int ported = Integer.parseInt(n[2]), passed = Integer.parseInt(n[3]), failed = Integer.parseInt(n[4]), na = Integer.parseInt(n[5]);
        assertTrue(ported >= 20, r::toString);
        assertEquals(0, failed, r::toString);
        assertEquals(ported, passed + na, r::toString);
        assertTrue(Integer.parseInt(n[6]) >= 1, "libaio has documented known differences: " + r);
        assertTrue(r.out().contains("all conform"), r::toString);
    }

    @Test
    @DisplayName("--format json: one object whose totals add up, FreeBSD POSIX cases only")
    void posixSliceAsJson() throws Exception {
        CliRun r = CliRun.of("conform", "--abi", "freebsd", "--source", "POSIX", "--format", "json");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(1, r.out().lines().count(), r::toString);
        JsonNode doc = new ObjectMapper().readTree(r.out());
        JsonNode sources = doc.get("sources");
        assertEquals(1, sources.size(), r::toString);
        assertEquals("posix", sources.get(0).get("source").asText());
        assertEquals("freebsd", sources.get(0).get("abi").asText());
        int ported = doc.get("total").get("ported").asInt();
        assertTrue(ported >= 50, r::toString);
        assertEquals(ported, doc.get("cases").size());
        for (JsonNode c : doc.get("cases")) {
            assertEquals("posix", c.get("source").asText(), c::toString);
            assertTrue(c.get("name").asText().startsWith("posix "), c::toString);
        }
        assertEquals(ported, doc.get("total").get("passed").asInt() + doc.get("total").get("not_applicable").asInt());
    }

    @Test
    @DisplayName("a failing case is listed and makes the exit code 1")
    void failuresExitOne() {
        // the conformance module's fixture: one case of five fails in one of its two invocations
        List<Case> cases = new ConformanceRun(List.of(selectClass("org.aioemu.conformance.report.fixtures.linux.SampleCases")),
                Set.of()).run();
        assertEquals(5, cases.size(), cases::toString);
        assertEquals(1, cases.stream().filter(c -> c.outcome() == Outcome.FAILED).count());
        assertEquals(1, ConformCommand.exitCode(cases));
        assertEquals(0, ConformCommand.exitCode(cases.stream().filter(c -> c.outcome() != Outcome.FAILED).toList()));
        StringWriter text = new StringWriter();
        ConformanceTable.printTable(new PrintWriter(text), cases, 0.1);
        assertTrue(text.toString().contains("FAILED linux: gvisor aio.cc BadWrite: one invocation fails"), text::toString);
        assertTrue(text.toString().contains("1 failed"), text::toString);

        List<Case> ltpOnly = new ConformanceRun(List.of(selectClass("org.aioemu.conformance.report.fixtures.linux.SampleCases")),
                Set.of(CaseSource.LTP)).run();
        assertEquals(2, ltpOnly.size(), ltpOnly::toString);
        assertTrue(ltpOnly.stream().allMatch(c -> c.source() == CaseSource.LTP));
    }

    @Test
    @DisplayName("unknown --abi, --source or --format is bad usage (exit 2), in one line")
    void badUsage() {
        for (String[] args : List.of(new String[] {"conform", "--abi", "solaris"}, new String[] {"conform", "--source", "nope"},
                new String[] {"conform", "--format", "xml"})) {
            CliRun r = CliRun.of(args);
            assertEquals(2, r.exitCode(), r::toString);
            assertEquals(1, r.err().lines().count(), r::toString);
            assertFalse(r.err().contains("Exception"), r::toString);
        }
    }
}
