package org.aioemu.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.aioemu.cli.CliRun;
import org.aioemu.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmarks at toy sizes: they run, they measure something, and --json is one JSON object. */
class BenchCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static JsonNode json(CliRun r) throws Exception {
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(1, r.out().lines().count(), () -> "one JSON object on one line:\n" + r.out());
        return JSON.readTree(r.out());
    }

    private static List<String> names(JsonNode results) {
        List<String> names = new ArrayList<>();
        results.forEach(n -> names.add(n.get("name").asText()));
        return names;
    }

    @Test
    void filesMeasuresCoreJdkAndFileChannelOnACreatedFile() throws Exception {
        Path file = dir.resolve("bench.dat");
        JsonNode doc = json(run("bench", "files", "--file", file.toString(), "--size", "16m", "--seconds", "1", "--json"));
        assertEquals("files", doc.get("benchmark").asText());
        assertEquals(16L << 20, Files.size(file), "the file was created with --size bytes");
        assertEquals(16L << 20, doc.get("file_bytes").asLong());
        JsonNode results = doc.get("results");
        assertEquals(List.of("core", "jdk-afc", "filechannel-2t"), names(results));
        for (JsonNode r : results) {
            assertTrue(r.get("iops").asDouble() > 0, r::toString);
            assertTrue(r.get("p50_us").asDouble() > 0 && r.get("p99_us").asDouble() >= r.get("p50_us").asDouble(), r::toString);
        }
    }

    @Test
    void filesTableHasARatioAgainstTheJdk() {
        Path file = dir.resolve("small.dat");
        CliRun r = run("bench", "files", "--file", file.toString(), "--size", "1m", "--depth", "4", "--seconds", "0.3", "--with-probe");
        assertEquals(0, r.exitCode(), r::toString);
        List<String> rows = r.out().lines().toList();
        assertTrue(rows.get(1).contains("vs jdk-afc"), r.out());
        assertTrue(rows.stream().anyMatch(l -> l.startsWith("jdk-afc ") && l.endsWith("1.00x")), r.out());
        assertTrue(rows.stream().anyMatch(l -> l.startsWith("core-probe ")), r.out());
    }

    @Test
    void socketsKeepsEveryReadPendingAndCompletesThem() throws Exception {
        JsonNode doc = json(run("bench", "sockets", "--connections", "200", "--json"));
        assertEquals("sockets", doc.get("benchmark").asText());
        JsonNode results = doc.get("results");
        assertEquals(List.of("core", "thread-per-request"), names(results));
        for (JsonNode r : results) {
            assertEquals(200, r.get("connections").asInt(), r::toString);
            assertEquals(200, r.get("completed").asInt(), r::toString);
            assertTrue(r.get("rss_mib").asDouble() > 0, r::toString);
        }
        JsonNode core = results.get(0), perThread = results.get(1);
        // This JVM holds other tests' idle threads, so count what the core added: 4 workers and a poller.
        assertTrue(core.get("threads").asInt() - core.get("threads_before").asInt() <= 6, core::toString);
        // other tests' idle pool threads may end meanwhile, so allow a few fewer than one per read
        assertTrue(perThread.get("threads").asInt() >= perThread.get("threads_before").asInt() + 190, perThread::toString);
    }

    @Test
    void socketsCoreRunsOnAtMost16ThreadsInAFreshJvm() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "bench", "sockets", "--connections", "200", "--json")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "bench sockets did not end");
        JsonNode doc = json(new CliRun(p.exitValue(), out, ""));
        JsonNode core = doc.get("results").get(0);
        assertEquals("core", core.get("name").asText());
        assertEquals(200, core.get("completed").asInt(), core::toString);
        assertTrue(core.get("threads").asInt() <= 16, core::toString);
    }

    @Test
    void socketsPeersCanLiveInAChildProcess() throws Exception {
        JsonNode doc = json(run("bench", "sockets", "--connections", "50", "--peers", "child", "--json"));
        assertEquals("child", doc.get("peers").asText());
        for (JsonNode r : doc.get("results")) assertEquals(50, r.get("completed").asInt(), r::toString);
    }

    @Test
    void filesThroughEachAbiTranslatorAgainstTheCore() throws Exception {
        Path file = dir.resolve("abi.dat");
        for (String abi : List.of("linux", "freebsd")) {
            JsonNode doc = json(run("bench", "files", "--file", file.toString(), "--size", "4m", "--depth", "8", "--seconds", "0.6",
                    "--rounds", "3", "--abi", abi, "--json"));
            assertEquals(abi, doc.get("abi").asText());
            JsonNode results = doc.get("results");
            assertEquals(List.of("core", abi + "-abi"), names(results));
            for (JsonNode r : results) {
                assertTrue(r.get("iops").asDouble() > 0 && r.get("p50_us").asDouble() > 0, r::toString);
                assertEquals(3, r.get("rounds_iops").size(), r::toString);
                for (JsonNode round : r.get("rounds_iops")) assertTrue(round.asLong() > 0, r::toString);
            }
            assertEquals(100.0, results.get(0).get("vs_core_percent").asDouble());
            double percent = results.get(1).get("vs_core_percent").asDouble();
            assertTrue(percent > 0, results::toString);
            assertEquals(100 * results.get(1).get("iops").asDouble() / results.get(0).get("iops").asDouble(), percent, 0.06, results::toString);
        }
    }

    @Test
    void filesAbiTableNamesTheOverheadAndBadAbiIsUsage() {
        Path file = dir.resolve("abi-table.dat");
        CliRun r = run("bench", "files", "--file", file.toString(), "--size", "1m", "--depth", "4", "--seconds", "0.3", "--rounds", "1",
                "--abi", "linux");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("linux-abi ") && l.contains("x   [")), r.out());
        assertTrue(r.out().contains("translator overhead: linux-abi at "), r.out());
        assertEquals(2, run("bench", "files", "--file", file.toString(), "--abi", "solaris").exitCode());
    }

    @Test
    void socketsThroughEachAbiTranslatorKeepEveryReadPending() throws Exception {
        for (String abi : List.of("linux", "freebsd")) {
            JsonNode doc = json(run("bench", "sockets", "--connections", "200", "--abi", abi, "--json"));
            assertEquals(abi, doc.get("abi").asText());
            JsonNode results = doc.get("results");
            assertEquals(List.of("core", abi + "-abi"), names(results));
            for (JsonNode r : results) {
                assertEquals(200, r.get("completed").asInt(), r::toString);
                assertTrue(r.get("complete_ms").asDouble() > 0, r::toString);
                // no thread per read: the translator parks them as the core does
                assertTrue(r.get("threads").asInt() - r.get("threads_before").asInt() <= 8, r::toString);
            }
        }
        CliRun table = run("bench", "sockets", "--connections", "50", "--abi", "linux");
        assertEquals(0, table.exitCode(), table::toString);
        assertTrue(table.out().contains("translator overhead: linux-abi holds"), table.out());
    }
}
