package org.aioemu.cli.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads strace output as strace writes it: with or without a pid column ({@code -f}: "1234 " or
 * "[pid 1234] "), -t/-tt/-ttt timestamps, -T durations, -y paths, any -X style; joins a call that
 * strace split into "&lt;unfinished ...&gt;" and "&lt;... name resumed&gt;" lines by pid; skips
 * signal and exit lines. Calls come out in the order they started.
 *
 * <p>Strict mode stops at the first bad line with a {@link TraceFormatException} naming it;
 * lenient mode skips the line and reports a {@link TraceWarning}.
 */
public final class StraceParser {
    // digit counts are bounded so that every match fits the number it is parsed into
    private static final Pattern PID_BRACKET = Pattern.compile("^\\[pid +(\\d{1,9})\\] +");
    private static final Pattern PID_PLAIN = Pattern.compile("^(\\d{1,9}) +(?=\\S)");
    private static final Pattern CLOCK = Pattern.compile("^(\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))? +");
    private static final Pattern EPOCH = Pattern.compile("^(\\d{1,12})\\.(\\d{1,9}) +");
    private static final Pattern DURATION = Pattern.compile(" <(\\d{1,12})\\.(\\d{1,9})>$");
    private static final Pattern RESUMED = Pattern.compile("^<\\.\\.\\. ([A-Za-z0-9_]+) resumed>(.*)$");
    private static final String UNFINISHED = "<unfinished ...>";

    private final boolean lenient;
    private final Consumer<TraceWarning> warnings;

    private record Pending(int line, Long time, String text) {}

    public StraceParser(boolean lenient, Consumer<TraceWarning> warnings) {
        this.lenient = lenient;
        this.warnings = warnings;
    }

    public List<TraceCall> parse(Reader in) {
        List<TraceCall> calls = new ArrayList<>();
        Map<Integer, Pending> unfinished = new HashMap<>();
        BufferedReader r = in instanceof BufferedReader b ? b : new BufferedReader(in);
        int lineNo = 0;
        try {
            for (String raw; (raw = r.readLine()) != null; ) {
                lineNo++;
                try {
                    TraceCall c = line(lineNo, raw, unfinished);
                    if (c != null) calls.add(c);
                } catch (TraceFormatException e) {
                    if (!lenient) throw e;
                    warnings.accept(new TraceWarning(e.line(), "skipped: " + stripLine(e)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Pending p : unfinished.values().stream().sorted(Comparator.comparingInt(Pending::line)).toList()) {
            TraceFormatException e = new TraceFormatException(p.line(), "call never completed (no \"resumed\" line): "
                    + p.text().strip());
            if (!lenient) throw e;
            warnings.accept(new TraceWarning(p.line(), "skipped: " + stripLine(e)));
        }
        calls.sort(Comparator.comparingInt(TraceCall::line));
        return calls;
    }

    private TraceCall line(int lineNo, String raw, Map<Integer, Pending> unfinished) {
        String s = raw.strip();
        if (s.isBlank() || s.startsWith("strace: ")) return null;
        int pid = 0;
        Matcher m = PID_BRACKET.matcher(s);
        if (m.find()) {
            pid = Integer.parseInt(m.group(1));
            s = s.substring(m.end());
        } else if ((m = PID_PLAIN.matcher(s)).find() && !EPOCH.matcher(s).lookingAt()) {
            pid = Integer.parseInt(m.group(1));
            s = s.substring(m.end());
        }
        Long time = null;
        if ((m = CLOCK.matcher(s)).find()) {
            time = ((Long.parseLong(m.group(1)) * 60 + Long.parseLong(m.group(2))) * 60 + Long.parseLong(m.group(3)))
                    * 1_000_000L + micros(m.group(4));
            s = s.substring(m.end());
        } else if ((m = EPOCH.matcher(s)).find()) {
            time = Long.parseLong(m.group(1)) * 1_000_000L + micros(m.group(2));
            s = s.substring(m.end());
        }
        if (s.startsWith("---") || s.startsWith("+++")) return null; // signal delivery, exit
        Long duration = null;
        if ((m = DURATION.matcher(s)).find()) {
            duration = Long.parseLong(m.group(1)) * 1_000_000L + micros(m.group(2));
            s = s.substring(0, m.start());
        }
        if (s.endsWith(UNFINISHED)) {
            String head = s.substring(0, s.length() - UNFINISHED.length());
            Matcher res = RESUMED.matcher(head);
            if (res.matches()) {
                // "<... read resumed> <unfinished ...>": the thread was killed inside the call
                Pending p = unfinished.remove(pid);
                throw new TraceFormatException(p != null ? p.line() : lineNo, "call interrupted by the thread's exit, result unknown");
            }
            if (unfinished.put(pid, new Pending(lineNo, time, head)) != null) {
                throw new TraceFormatException(lineNo, "thread " + pid + " starts a call while another is unfinished");
            }
            return null;
        }
        Matcher res = RESUMED.matcher(s);
        if (res.matches()) {
            Pending p = unfinished.remove(pid);
            if (p == null) throw new TraceFormatException(lineNo, "\"" + res.group(1) + " resumed\" without an unfinished call in thread " + pid);
            String head = p.text();
            if (!head.startsWith(res.group(1) + "(")) {
                throw new TraceFormatException(lineNo, "\"" + res.group(1) + " resumed\" but thread " + pid
                        + " left " + head.substring(0, Math.max(0, head.indexOf('('))) + " unfinished at line " + p.line());
            }
            // strace ends the unfinished part with "arg, " plus a space before "<unfinished": drop that space
            String joined = head.endsWith("  ") ? head.substring(0, head.length() - 1) : head;
            Long d = duration;
            return StraceDecoder.decode(p.line(), lineNo, pid, p.time() != null ? p.time() : time, d, joined + res.group(2));
        }
        return StraceDecoder.decode(lineNo, lineNo, pid, time, duration, s);
    }

    private static long micros(String fraction) {
        if (fraction == null) return 0;
        String f = (fraction + "000000").substring(0, 6);
        return Long.parseLong(f);
    }

    private static String stripLine(TraceFormatException e) {
        String msg = e.getMessage();
        String prefix = "line " + e.line() + ": ";
        return msg.startsWith(prefix) ? msg.substring(prefix.length()) : msg;
    }
}
