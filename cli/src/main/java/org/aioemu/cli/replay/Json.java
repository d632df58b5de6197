package org.aioemu.cli.replay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON this package needs, by hand: a parser to maps, lists, strings, longs, doubles,
 * booleans and null, and string quoting for writers. Enough for the trace format's one object
 * per line; a JSON library would add megabytes to the CLI jar for the same.
 */
final class Json {
    private Json() {}

    /** Thrown for text that is not JSON; {@code column} is 1-based. */
    static final class JsonException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        JsonException(String message, int column) {
            super(message + " at column " + column);
        }
    }

    static Object parse(String text) {
        Parser p = new Parser(text);
        Object v = p.value();
        p.spaces();
        if (p.i != text.length()) throw new JsonException("trailing characters", p.i + 1);
        return v;
    }

    static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        out.append('"');
    }

    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        Object value() {
            spaces();
            if (i >= s.length()) throw new JsonException("unexpected end", i + 1);
            char c = s.charAt(i);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> number();
            };
        }

        private Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            i++;
            spaces();
            if (peek() == '}') {
                i++;
                return m;
            }
            while (true) {
                spaces();
                if (peek() != '"') throw new JsonException("expected a field name", i + 1);
                String k = string();
                spaces();
                expect(':');
                m.put(k, value());
                spaces();
                if (peek() == ',') i++;
                else {
                    expect('}');
                    return m;
                }
            }
        }

        private List<Object> array() {
            List<Object> l = new ArrayList<>();
            i++;
            spaces();
            if (peek() == ']') {
                i++;
                return l;
            }
            while (true) {
                l.add(value());
                spaces();
                if (peek() == ',') i++;
                else {
                    expect(']');
                    return l;
                }
            }
        }

        private String string() {
            i++;
            StringBuilder b = new StringBuilder();
            while (true) {
                if (i >= s.length()) throw new JsonException("unterminated string", i + 1);
                char c = s.charAt(i++);
                if (c == '"') return b.toString();
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                if (i >= s.length()) throw new JsonException("unterminated string", i + 1);
                char e = s.charAt(i++);
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        if (i + 4 > s.length()) throw new JsonException("bad \\u escape", i + 1);
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> throw new JsonException("bad escape \\" + e, i);
                }
            }
        }

        private Object number() {
            int start = i;
            if (peek() == '-') i++;
            while (i < s.length() && "0123456789.eE+-".indexOf(s.charAt(i)) >= 0) i++;
            String t = s.substring(start, i);
            if (t.isEmpty() || t.equals("-")) throw new JsonException("unexpected character '" + peek() + "'", start + 1);
            try {
                if (t.indexOf('.') < 0 && t.indexOf('e') < 0 && t.indexOf('E') < 0) return Long.parseLong(t);
                return Double.parseDouble(t);
            } catch (NumberFormatException e) {
                throw new JsonException("bad number '" + t + "'", start + 1);
            }
        }

        private Object literal(String word, Object v) {
            if (!s.startsWith(word, i)) throw new JsonException("unexpected character '" + peek() + "'", i + 1);
            i += word.length();
            return v;
        }

        private void expect(char c) {
            if (peek() != c) throw new JsonException("expected '" + c + "'", i + 1);
            i++;
        }

        private char peek() {
            return i < s.length() ? s.charAt(i) : '\0';
        }

        void spaces() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }
    }
}
