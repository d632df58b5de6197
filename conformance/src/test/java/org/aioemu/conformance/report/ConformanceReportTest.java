package org.aioemu.conformance.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

class ConformanceReportTest {

    @Test
    void countsCasesBySourceWithTheirOutcomes() {
        ConformanceReport report = new ConformanceReport(null);
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false).build());
        launcher.execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass("org.aioemu.conformance.report.fixtures.linux.SampleCases")).build(), report);

        Map<String, ConformanceReport.Case> byName = report.cases().stream()
                .collect(Collectors.toMap(ConformanceReport.Case::name, Function.identity()));
        assertEquals(5, byName.size(), byName.keySet().toString());
        assertEquals(ConformanceReport.Outcome.PASSED, byName.get("ltp io_submit01: passes").outcome());
        assertEquals(CaseSource.LTP, byName.get("ltp io_submit01: passes").source());
        assertEquals(ConformanceReport.Outcome.FAILED, byName.get("gvisor aio.cc BadWrite: one invocation fails").outcome());
        assertTrue(byName.get("libaio 7.t: differs on purpose").knownDifference());
        assertEquals(ConformanceReport.Outcome.NOT_APPLICABLE, byName.get("ltp aio02: raw disk").outcome());
        assertEquals(CaseSource.AIOEMU, byName.get("a case of our own").source());
        assertEquals("linux", byName.get("a case of our own").abi());

        String md = ConformanceReport.markdown(report.cases());
        assertTrue(md.contains("| linux | LTP testcases/kernel/syscalls/io_* | 2 | 1 | 0 | 1 | 0 |"), md);
        assertTrue(md.contains("## Failures"), md);
        assertTrue(md.contains("not applicable: needs an md(4) disk"), md);
    }

    @Test
    void abiComesFromThePackage() {
        assertEquals("linux", ConformanceReport.abiOfClass("org.aioemu.conformance.linux.IoSubmitTest"));
        assertEquals("freebsd", ConformanceReport.abiOfClass("org.aioemu.conformance.freebsd.AioTest"));
        assertEquals(null, ConformanceReport.abiOfClass("org.aioemu.conformance.report.ConformanceReportTest"));
    }
}
