package org.aioemu.cli.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTraceTest {
    @TempDir Path dir;

    private static List<TraceCall> roundTrip(List<TraceCall> calls) throws Exception {
        StringWriter w = new StringWriter();
        JsonTrace.write(w, "test", calls);
        return JsonTrace.read(new StringReader(w.toString()), false, x -> { throw new AssertionError(x); });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"aiotrace-libaio.strace", "fio-libaio.strace", "fio-libaio-batch.strace"})
    @DisplayName("shared traces: written as JSON lines and read back, every call is equal")
    void sharedTracesRoundTrip(String name) throws Exception {
        List<TraceCall> calls = TestTraces.load(SharedTraces.trace(name));
        assertEquals(calls, roundTrip(calls));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mtaio-verbose.strace", "mtaio-abbrev.strace", "mtaio-raw.strace", "mtaio-noy.strace"})
    @DisplayName("test traces (unfinished/resumed, pipes, eventfds, errors) round-trip through JSON lines")
    void testTracesRoundTrip(String name) throws Exception {
        List<TraceCall> calls = TestTraces.strict(TestTraces.resource(name));
        assertEquals(calls, roundTrip(calls));
    }

    @Test
    @DisplayName("addresses above 2^63 and negative results survive; addresses are 0x strings")
    void extremes() throws Exception {
        List<TraceCall> calls = TestTraces.strict("""
                io_getevents(0xffffffffffff0000, 1, 1, [{data=0xfedcba9876543210, obj=0x8000000000000000, res=-14, res2=-1}], NULL) = 1
                open("/a\\"b", O_RDONLY) = -1 ENOENT (No such file or directory)
                """);
        assertEquals(calls, roundTrip(calls));
        String line = JsonTrace.toLine(calls.getFirst());
        assertTrue(line.contains("\"ctx\":\"0xffffffffffff0000\""), line);
        assertTrue(line.contains("\"data\":\"0xfedcba9876543210\""), line);
        assertTrue(JsonTrace.toLine(calls.get(1)).contains("\"errno\":\"ENOENT\""));
    }

    @Test
    @DisplayName("the format is detected from the content: JSON lines by their header, anything else as strace")
    void formatDetection() throws Exception {
        List<TraceCall> calls = TestTraces.strict(TestTraces.resource("mtaio-verbose.strace"));
        Path jsonl = dir.resolve("t.trace");
        try (var w = Files.newBufferedWriter(jsonl)) {
            JsonTrace.write(w, "mtaio", calls);
        }
        Path strace = TestTraces.resourceFile("mtaio-verbose.strace", dir);
        assertEquals(TraceFormat.JSONL, TraceFormat.detect(jsonl));
        assertEquals(TraceFormat.STRACE, TraceFormat.detect(strace));
        assertEquals(TraceFormat.STRACE, TraceFormat.detect("{\"something\":\"else\"}"));
        assertEquals(calls, TestTraces.load(jsonl));
        assertEquals(calls, TestTraces.load(strace));
    }

    @Test
    @DisplayName("a missing header, a newer version, and a bad call line are errors with their line; lenient skips the bad call")
    void malformedJsonLines() {
        String header = "{\"format\":\"aioemu-trace\",\"version\":1}\n";
        String good = "{\"line\":1,\"thread\":0,\"call\":\"close\",\"args\":{\"fd\":{\"fd\":3}},\"result\":0}\n";
        TraceFormatException noHeader = assertThrows(TraceFormatException.class,
                () -> JsonTrace.read(new StringReader(good), false, w -> { }));
        assertEquals(1, noHeader.line());
        TraceFormatException newer = assertThrows(TraceFormatException.class, () -> JsonTrace.read(new StringReader(
                "\n{\"format\":\"aioemu-trace\",\"version\":2}\n"), false, w -> { }));
        assertEquals(2, newer.line());
        assertTrue(newer.getMessage().contains("version 2 not supported"));
        String bad = header + good + "{\"line\":2,\"thread\":0,\"call\":\"close\",\"args\":{\"fd\":\n" + good
                + "{\"line\":4,\"thread\":0,\"call\":\"mmap\",\"args\":{},\"result\":0}\n";
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> JsonTrace.read(new StringReader(bad), false, w -> { }));
        assertEquals(3, e.line());
        List<TraceWarning> warnings = new ArrayList<>();
        assertEquals(2, JsonTrace.read(new StringReader(bad), true, warnings::add).size());
        assertEquals(List.of(3, 5), warnings.stream().map(TraceWarning::line).toList());
        assertTrue(warnings.get(1).message().contains("unknown syscall 'mmap'"));
    }

    @Test
    @DisplayName("the JSON Schema names every call and every field the writer emits (no drift)")
    @SuppressWarnings("unchecked")
    void schemaMatchesModel() throws Exception {
        Map<String, Object> schema;
        try (InputStream in = getClass().getResourceAsStream("/aioemu-trace.schema.json")) {
            schema = (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        Map<String, Object> defs = (Map<String, Object>) schema.get("$defs");
        Map<String, Object> call = (Map<String, Object>) ((Map<String, Object>) defs.get("call")).get("properties");
        List<Object> names = (List<Object>) ((Map<String, Object>) call.get("call")).get("enum");
        Set<String> modelled = new TreeSet<>(StraceDecoder.SYSCALLS);
        assertEquals(modelled, new TreeSet<>(names.stream().map(String::valueOf).toList()));
        for (String n : modelled) {
            Class<? extends CallArgs> type = JsonTrace.argsType(n);
            String def = Character.toLowerCase(type.getSimpleName().charAt(0)) + type.getSimpleName().substring(1);
            assertFields(defs, def, type);
        }
        assertFields(defs, "iocb", AioStructs.TraceIocb.class);
        assertFields(defs, "iovec", AioStructs.TraceIovec.class);
        assertFields(defs, "ioEvent", AioStructs.TraceIoEvent.class);
        assertFields(defs, "timespec", AioStructs.TraceTimespec.class);
        assertFields(defs, "fd", FdRef.class);
        assertFields(defs, "bytes", null);
    }

    @SuppressWarnings("unchecked")
    private static void assertFields(Map<String, Object> defs, String def, Class<?> type) {
        Map<String, Object> d = (Map<String, Object>) defs.get(def);
        assertTrue(d != null, "schema has no $defs/" + def);
        Set<String> props = new TreeSet<>(((Map<String, Object>) d.get("properties")).keySet());
        Set<String> fields = new TreeSet<>();
        if (type == null) fields.addAll(Set.of("hex", "truncated"));
        else for (RecordComponent rc : type.getRecordComponents()) fields.add(rc.getName());
        assertEquals(fields, props, "$defs/" + def);
    }
}
