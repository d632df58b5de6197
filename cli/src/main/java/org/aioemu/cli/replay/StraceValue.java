package org.aioemu.cli.replay;

import java.util.List;

/**
 * One argument as strace prints it, before its meaning is known: a number (with the
 * {@code /* NAME *}{@code /} comment -X verbose adds), a symbolic expression ("O_RDWR|O_DIRECT",
 * "NULL"), a string, an array, a struct. Numbers and symbols carry the {@code -y} path strace
 * prints after an fd ({@code 3</srv/f>}).
 */
sealed interface StraceValue {
    record Num(long value, String comment, String path) implements StraceValue {}

    record Sym(String text, String comment, String path) implements StraceValue {}

    record Str(TraceBytes bytes) implements StraceValue {}

    /** {@code truncated}: strace printed "..." for elements it left out. */
    record Arr(List<StraceValue> items, boolean truncated) implements StraceValue {}

    /** Fields in order; a field printed without "name=" has a null name. */
    record Struct(List<Field> fields, boolean truncated) implements StraceValue {
        public StraceValue get(String name) {
            for (Field f : fields) {
                if (name.equals(f.name())) return f.value();
            }
            return null;
        }
    }

    record Field(String name, StraceValue value) {}
}
