package org.aioemu.cli.conform;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import picocli.CommandLine.TypeConversionException;

/** A fixed set of option values, case-insensitive: picocli's completion candidates and the check of a value. */
class Choices implements Iterable<String> {
    private final List<String> values;

    Choices(String... values) {
        this.values = List.of(values);
    }

    String check(String value) {
        String v = value.toLowerCase(Locale.ROOT);
        if (!values.contains(v)) throw new TypeConversionException("'" + value + "' is not one of " + String.join(", ", values));
        return v;
    }

    @Override
    public Iterator<String> iterator() {
        return values.iterator();
    }
}
