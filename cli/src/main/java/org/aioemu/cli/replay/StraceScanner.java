package org.aioemu.cli.replay;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.aioemu.cli.replay.StraceValue.Arr;
import org.aioemu.cli.replay.StraceValue.Field;
import org.aioemu.cli.replay.StraceValue.Num;
import org.aioemu.cli.replay.StraceValue.Str;
import org.aioemu.cli.replay.StraceValue.Struct;
import org.aioemu.cli.replay.StraceValue.Sym;

/**
 * Reads one call's text, {@code name(arg, arg, ...) = result}, into {@link StraceValue}s by
 * recursive descent: strings with C escapes, arrays and structs to any depth, "..." abbreviations,
 * -X verbose comments and -y paths. Knows nothing about what the arguments mean.
 */
final class StraceScanner {
    private static final Pattern NUMBER = Pattern.compile("-?(0[xX][0-9a-fA-F]{1,16}|0[0-7]{0,22}|[1-9][0-9]{0,19})");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String s;
    private final int line;
    private int p;

    StraceScanner(String text, int line) {
        this.s = text;
        this.line = line;
    }

    /** The syscall name; leaves the position after its '('. */
    String callName() {
        int open = s.indexOf('(');
        if (open <= 0) throw error("not a system call line");
        String name = s.substring(0, open).strip();
        if (!NAME.matcher(name).matches()) throw error("not a system call line");
        p = open + 1;
        return name;
    }

    /** The arguments up to the call's closing ')'. */
    List<StraceValue> arguments() {
        Arr args = list(')');
        if (args.truncated()) throw error("argument list abbreviated");
        return args.items();
    }

    /** What follows "= ": the result, null for "?"; also sets {@link #resultPath}. */
    Long result() {
        skipSpaces();
        if (!eat("=")) throw error("truncated line: no result (\" = \") after the arguments");
        skipSpaces();
        if (eat("?")) return null;
        int start = p;
        while (p < s.length() && !Character.isWhitespace(s.charAt(p)) && s.charAt(p) != '<') p++;
        String tok = s.substring(start, p);
        if (!NUMBER.matcher(tok).matches()) throw error("unreadable result '" + tok + "'");
        long v = number(tok);
        resultPath = peek() == '<' ? path() : null;
        if (v == -1) {
            skipSpaces();
            int e = p;
            while (p < s.length() && !Character.isWhitespace(s.charAt(p))) p++;
            String errno = s.substring(e, p);
            if (errno.isEmpty()) return -1L;
            int n = NUMBER.matcher(errno).matches() ? (int) number(errno) : LinuxNames.errnoNumber(errno);
            if (n < 0) throw error("unknown errno '" + errno + "'");
            return (long) -n;
        }
        return v;
    }

    String resultPath;

    private Arr list(char close) {
        List<StraceValue> items = new ArrayList<>();
        boolean truncated = false;
        while (true) {
            skipSpaces();
            if (p >= s.length()) throw error("truncated line: missing '" + close + "'");
            if (peek() == close) {
                p++;
                return new Arr(items, truncated);
            }
            if (s.startsWith("...", p)) {
                p += 3;
                truncated = true;
            } else {
                items.add(value());
            }
            skipSpaces();
            if (peek() == ',') p++;
            else if (peek() != close) throw error(p >= s.length() ? "truncated line: missing '" + close + "'"
                    : "expected ',' or '" + close + "' at column " + (p + 1));
        }
    }

    private Struct struct() {
        List<Field> fields = new ArrayList<>();
        boolean truncated = false;
        while (true) {
            skipSpaces();
            if (p >= s.length()) throw error("truncated line: missing '}'");
            if (peek() == '}') {
                p++;
                return new Struct(fields, truncated);
            }
            if (s.startsWith("...", p)) {
                p += 3;
                truncated = true;
            } else {
                String name = null;
                int q = p;
                while (q < s.length() && (Character.isLetterOrDigit(s.charAt(q)) || s.charAt(q) == '_')) q++;
                if (q > p && q < s.length() && s.charAt(q) == '=' && !s.startsWith("=>", q)) {
                    name = s.substring(p, q);
                    p = q + 1;
                }
                fields.add(new Field(name, value()));
            }
            skipSpaces();
            if (peek() == ',') p++;
            else if (peek() != '}') throw error(p >= s.length() ? "truncated line: missing '}'"
                    : "expected ',' or '}' at column " + (p + 1));
        }
    }

    private StraceValue value() {
        skipSpaces();
        if (p >= s.length()) throw error("truncated line: value expected");
        char c = peek();
        StraceValue v;
        if (c == '"') v = string();
        else if (c == '[') {
            p++;
            v = list(']');
        } else if (c == '{') {
            p++;
            v = struct();
        } else if (c == '~' && s.startsWith("~[", p)) {
            int start = p;
            p++;
            p++;
            list(']');
            v = new Sym(s.substring(start, p), null, null);
        } else v = scalar();
        // "in => out" (a value the kernel changed): the output is what the program saw.
        skipSpaces();
        if (s.startsWith("=>", p)) {
            p += 2;
            return value();
        }
        return v;
    }

    private StraceValue scalar() {
        int start = p;
        int depth = 0;
        while (p < s.length()) {
            char c = s.charAt(p);
            if (c == '(') depth++;
            else if (c == ')') {
                if (depth == 0) break;
                depth--;
            } else if (depth == 0 && (c == ',' || c == ']' || c == '}')) break;
            else if (depth == 0 && c == '<' && !s.startsWith("<<", p) && (p == start || s.charAt(p - 1) != '<')) break;
            else if (depth == 0 && c == ' ' && (s.startsWith(" /*", p) || s.startsWith(" =>", p))) break;
            p++;
        }
        String text = s.substring(start, p).strip();
        if (text.isEmpty()) throw error("value expected at column " + (start + 1));
        String comment = comment();
        // -X verbose comments each part of a flag expression: "0x1 /* SOCK_STREAM */|0x80000 /* SOCK_CLOEXEC */"
        if (comment != null && peek() == '|') {
            p++;
            StraceValue rest = scalar();
            String restText = rest instanceof Num n ? "0x" + Long.toHexString(n.value()) : ((Sym) rest).text();
            String restComment = rest instanceof Num n ? n.comment() : ((Sym) rest).comment();
            return new Sym(text + "|" + restText, comment + "|" + restComment, null);
        }
        String path = peek() == '<' ? path() : null;
        if (comment == null) comment = comment();
        if (NUMBER.matcher(text).matches()) return new Num(number(text), comment, path);
        return new Sym(text, comment, path);
    }

    private String comment() {
        int save = p;
        skipSpaces();
        if (!s.startsWith("/*", p)) {
            p = save;
            return null;
        }
        int end = s.indexOf("*/", p + 2);
        if (end < 0) throw error("truncated line: unterminated comment");
        String c = s.substring(p + 2, end).strip();
        p = end + 2;
        return c;
    }

    // "<path>" after an fd; a path may itself hold '>' (a socket's "a->b"), so only a '>' followed
    // by a delimiter ends it.
    private String path() {
        int start = ++p;
        while (p < s.length()) {
            if (s.charAt(p) == '>') {
                int n = p + 1;
                if (n >= s.length() || ",)]} ".indexOf(s.charAt(n)) >= 0) {
                    String path = s.substring(start, p);
                    p = n;
                    return path;
                }
            }
            p++;
        }
        throw error("truncated line: unterminated <path>");
    }

    private Str string() {
        p++; // opening quote
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            if (p >= s.length()) throw error("truncated line: unterminated string");
            char c = s.charAt(p++);
            if (c == '"') break;
            if (c != '\\') {
                // strace escapes every non-printable byte, so what is left is ASCII (or UTF-8 with -e decode)
                if (c < 0x80) out.write(c);
                else out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            if (p >= s.length()) throw error("truncated line: unterminated string");
            char e = s.charAt(p++);
            switch (e) {
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case 'r' -> out.write('\r');
                case 'v' -> out.write(0x0b);
                case 'f' -> out.write('\f');
                case 'a' -> out.write(0x07);
                case 'b' -> out.write('\b');
                case 'x' -> {
                    int start = p;
                    while (p < s.length() && p - start < 2 && Character.digit(s.charAt(p), 16) >= 0) p++;
                    if (p == start) throw error("bad \\x escape in string");
                    out.write(Integer.parseInt(s.substring(start, p), 16));
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int v = e - '0';
                        for (int k = 0; k < 2 && p < s.length() && s.charAt(p) >= '0' && s.charAt(p) <= '7'; k++) {
                            v = v * 8 + (s.charAt(p++) - '0');
                        }
                        out.write(v & 0xff);
                    } else out.write(e); // \\ \" \'
                }
            }
        }
        boolean truncated = false;
        if (s.startsWith("...", p)) {
            p += 3;
            truncated = true;
        }
        return new Str(new TraceBytes(out.toByteArray(), truncated));
    }

    private long number(String text) {
        try {
            return LinuxNames.parseNumber(text);
        } catch (NumberFormatException e) {
            throw error("number out of range: " + text);
        }
    }

    private char peek() {
        return p < s.length() ? s.charAt(p) : '\0';
    }

    private boolean eat(String t) {
        if (!s.startsWith(t, p)) return false;
        p += t.length();
        return true;
    }

    private void skipSpaces() {
        while (p < s.length() && s.charAt(p) == ' ') p++;
    }

    private TraceFormatException error(String message) {
        return new TraceFormatException(line, message);
    }
}
