package org.aioemu.cli.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * aioemu's own trace format, JSON lines: a header object, then one object per call with its
 * decoded arguments, result, thread and timestamp. Documented by
 * {@code aioemu-trace.schema.json}; {@link #VERSION} changes when a reader of the old version
 * could misread the new one.
 *
 * <p>The argument objects are the {@link CallArgs} records field for field (written by
 * reflection over their components, so the format cannot drift from the model); {@link Hex}
 * fields are "0x..." strings, {@link TraceBytes} are {"hex": ..., "truncated": ...}, and null
 * fields are left out.
 */
public final class JsonTrace {
    public static final String FORMAT = "aioemu-trace";
    public static final int VERSION = 1;

    private JsonTrace() {}

    /** Writes the header then one line per call. */
    public static void write(Writer out, String source, List<TraceCall> calls) throws IOException {
        out.write(headerLine(source));
        out.write('\n');
        StringBuilder b = new StringBuilder();
        for (TraceCall c : calls) {
            b.setLength(0);
            call(b, c);
            b.append('\n');
            out.write(b.toString());
        }
        out.flush();
    }

    /** The first line of a trace (without its newline). */
    public static String headerLine(String source) {
        StringBuilder b = new StringBuilder();
        b.append("{\"format\":");
        Json.quote(b, FORMAT);
        b.append(",\"version\":").append(VERSION).append(",\"abi\":\"linux\"");
        if (source != null) {
            b.append(",\"source\":");
            Json.quote(b, source);
        }
        b.append('}');
        return b.toString();
    }

    /** One call's line (without its newline). */
    public static String toLine(TraceCall c) {
        StringBuilder b = new StringBuilder();
        call(b, c);
        return b.toString();
    }

    private static void call(StringBuilder b, TraceCall c) {
        b.append("{\"line\":").append(c.line());
        if (c.endLine() != c.line()) b.append(",\"endLine\":").append(c.endLine());
        b.append(",\"thread\":").append(c.thread());
        if (c.timeMicros() != null) b.append(",\"timeUs\":").append(c.timeMicros());
        if (c.durationMicros() != null) b.append(",\"durationUs\":").append(c.durationMicros());
        b.append(",\"call\":");
        Json.quote(b, c.call());
        b.append(",\"args\":");
        value(b, c.args(), c.args().getClass(), false);
        b.append(",\"result\":").append(c.outcome().value());
        if (c.outcome().failed()) {
            b.append(",\"errno\":");
            Json.quote(b, c.outcome().errno());
        }
        if (c.outcome().path() != null) {
            b.append(",\"resultPath\":");
            Json.quote(b, c.outcome().path());
        }
        b.append('}');
    }

    private static void value(StringBuilder b, Object v, Type type, boolean hex) {
        switch (v) {
            case null -> b.append("null");
            case TraceBytes t -> {
                b.append("{\"hex\":\"").append(t.hex()).append("\",\"truncated\":").append(t.truncated()).append('}');
            }
            case Record r -> {
                b.append('{');
                boolean first = true;
                for (Component c : COMPONENTS.get(r.getClass())) {
                    Object fv = c.get(r);
                    if (fv == null) continue;
                    if (!first) b.append(',');
                    first = false;
                    Json.quote(b, c.name());
                    b.append(':');
                    value(b, fv, c.type(), c.hex());
                }
                b.append('}');
            }
            case List<?> l -> {
                Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
                b.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) b.append(',');
                    value(b, l.get(i), element, false);
                }
                b.append(']');
            }
            case Long l when hex -> b.append("\"0x").append(Long.toHexString(l)).append('"');
            case String s -> Json.quote(b, s);
            default -> b.append(v); // numbers, booleans
        }
    }

    /** Reads a trace written by {@link #write}; bad lines throw, or are skipped with a warning when lenient. */
    public static List<TraceCall> read(Reader in, boolean lenient, Consumer<TraceWarning> warnings) {
        List<TraceCall> calls = new ArrayList<>();
        BufferedReader r = in instanceof BufferedReader br ? br : new BufferedReader(in);
        int lineNo = 0;
        boolean header = false;
        try {
            for (String line; (line = r.readLine()) != null; ) {
                lineNo++;
                if (line.isBlank()) continue;
                if (!header) {
                    header(lineNo, line);
                    header = true;
                    continue;
                }
                try {
                    calls.add(parseCall(lineNo, line));
                } catch (TraceFormatException e) {
                    if (!lenient) throw e;
                    warnings.accept(new TraceWarning(lineNo, "skipped: " + e.getMessage().substring(("line " + lineNo + ": ").length())));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!header) throw new TraceFormatException(Math.max(1, lineNo), "empty trace: no " + FORMAT + " header");
        return calls;
    }

    private static void header(int lineNo, String line) {
        Object h;
        try {
            h = Json.parse(line);
        } catch (Json.JsonException e) {
            throw new TraceFormatException(lineNo, "not JSON: " + e.getMessage());
        }
        if (!(h instanceof Map<?, ?> m) || !FORMAT.equals(m.get("format"))) {
            throw new TraceFormatException(lineNo, "first line is not an " + FORMAT + " header");
        }
        if (!(m.get("version") instanceof Long v) || v > VERSION || v < 1) {
            throw new TraceFormatException(lineNo, FORMAT + " version " + m.get("version") + " not supported (this reader knows 1.." + VERSION + ")");
        }
    }

    static TraceCall parseCall(int lineNo, String text) {
        Object o;
        try {
            o = Json.parse(text);
        } catch (Json.JsonException e) {
            throw new TraceFormatException(lineNo, "not JSON: " + e.getMessage());
        }
        if (!(o instanceof Map<?, ?> m)) throw new TraceFormatException(lineNo, "a call must be a JSON object");
        try {
            String call = (String) need(m, "call");
            Class<? extends CallArgs> type = argsType(call);
            if (type == null) throw new TraceFormatException(lineNo, "unknown syscall '" + call + "'");
            int line = ((Long) need(m, "line")).intValue();
            int endLine = m.get("endLine") instanceof Long l ? l.intValue() : line;
            int thread = ((Long) need(m, "thread")).intValue();
            CallArgs args = (CallArgs) fromJson(need(m, "args"), type, false);
            Long result = (Long) m.get("result");
            String path = (String) m.get("resultPath");
            return new TraceCall(line, endLine, thread, (Long) m.get("timeUs"), (Long) m.get("durationUs"), call, args,
                    new Outcome(result, path));
        } catch (ClassCastException | IllegalArgumentException e) {
            throw new TraceFormatException(lineNo, "malformed call: " + e.getMessage());
        }
    }

    private static Object need(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (v == null) throw new IllegalArgumentException("no \"" + key + "\"");
        return v;
    }

    private static Object fromJson(Object json, Type type, boolean hex) {
        Class<?> raw = type instanceof ParameterizedType pt ? (Class<?>) pt.getRawType() : (Class<?>) type;
        if (json == null) {
            if (raw.isPrimitive()) throw new IllegalArgumentException("null for a " + raw.getSimpleName());
            return null;
        }
        if (raw == long.class || raw == Long.class) {
            if (hex) {
                String s = (String) json;
                if (!s.startsWith("0x")) throw new IllegalArgumentException("expected \"0x...\", found " + s);
                return Long.parseUnsignedLong(s.substring(2), 16);
            }
            return (Long) json;
        }
        if (raw == int.class || raw == Integer.class) return Math.toIntExact((Long) json);
        if (raw == boolean.class) return (Boolean) json;
        if (raw == String.class) return (String) json;
        if (raw == TraceBytes.class) {
            Map<?, ?> m = (Map<?, ?>) json;
            return TraceBytes.ofHex((String) need(m, "hex"), Boolean.TRUE.equals(m.get("truncated")));
        }
        if (raw == List.class) {
            Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
            List<Object> out = new ArrayList<>();
            for (Object e : (List<?>) json) out.add(fromJson(e, element, false));
            return List.copyOf(out);
        }
        if (raw.isRecord()) {
            Map<?, ?> m = (Map<?, ?>) json;
            List<Component> cs = COMPONENTS.get(raw);
            Object[] values = new Object[cs.size()];
            for (int i = 0; i < values.length; i++) {
                Component c = cs.get(i);
                Object fv = m.get(c.name());
                values[i] = fv == null && c.raw().isPrimitive() ? zero(c.raw()) : fromJson(fv, c.type(), c.hex());
            }
            try {
                return CONSTRUCTORS.get(raw).newInstance(values);
            } catch (InvocationTargetException e) {
                throw new IllegalArgumentException(e.getCause().getMessage());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("no JSON mapping for " + type);
    }

    // An omitted primitive field is its zero: absent aio_flags mean no flags, as in strace's output.
    private static Object zero(Class<?> t) {
        if (t == long.class) return 0L;
        if (t == int.class) return 0;
        if (t == boolean.class) return false;
        throw new IllegalStateException(t.getName());
    }

    /** A record component as the codec needs it, looked up once per record class. */
    private record Component(String name, Class<?> raw, Type type, boolean hex, Method accessor) {
        Object get(Record r) {
            try {
                return accessor.invoke(r);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static final ClassValue<List<Component>> COMPONENTS = new ClassValue<>() {
        @Override
        protected List<Component> computeValue(Class<?> type) {
            List<Component> out = new ArrayList<>();
            for (RecordComponent rc : type.getRecordComponents()) {
                out.add(new Component(rc.getName(), rc.getType(), rc.getGenericType(), rc.isAnnotationPresent(Hex.class),
                        rc.getAccessor()));
            }
            return List.copyOf(out);
        }
    };

    private static final ClassValue<Constructor<?>> CONSTRUCTORS = new ClassValue<>() {
        @Override
        protected Constructor<?> computeValue(Class<?> type) {
            try {
                return type.getDeclaredConstructor(COMPONENTS.get(type).stream().map(Component::raw).toArray(Class<?>[]::new));
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(e);
            }
        }
    };

    private static final Map<String, Class<? extends CallArgs>> ARGS = new LinkedHashMap<>();

    static {
        for (String c : List.of("open", "openat")) ARGS.put(c, CallArgs.Open.class);
        ARGS.put("close", CallArgs.Close.class);
        for (String c : List.of("dup", "dup2", "dup3")) ARGS.put(c, CallArgs.Dup.class);
        for (String c : List.of("pipe", "pipe2")) ARGS.put(c, CallArgs.Pipe.class);
        ARGS.put("socketpair", CallArgs.SocketPair.class);
        for (String c : List.of("eventfd", "eventfd2")) ARGS.put(c, CallArgs.EventFd.class);
        ARGS.put("ftruncate", CallArgs.Truncate.class);
        ARGS.put("fallocate", CallArgs.Fallocate.class);
        for (String c : List.of("unlink", "unlinkat")) ARGS.put(c, CallArgs.Unlink.class);
        for (String c : List.of("read", "write", "pread64", "pwrite64")) ARGS.put(c, CallArgs.ReadWrite.class);
        for (String c : List.of("fsync", "fdatasync")) ARGS.put(c, CallArgs.Sync.class);
        ARGS.put("io_setup", CallArgs.IoSetup.class);
        ARGS.put("io_destroy", CallArgs.IoDestroy.class);
        ARGS.put("io_submit", CallArgs.IoSubmit.class);
        for (String c : List.of("io_getevents", "io_pgetevents")) ARGS.put(c, CallArgs.IoGetevents.class);
        ARGS.put("io_cancel", CallArgs.IoCancel.class);
    }

    static Class<? extends CallArgs> argsType(String call) {
        return ARGS.get(call);
    }
}
