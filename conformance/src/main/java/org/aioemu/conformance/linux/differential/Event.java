package org.aioemu.conformance.linux.differential;

import java.util.Comparator;

/**
 * A {@code struct io_event} with {@code obj} named by iocb slot rather than address, so events
 * of two worlds compare directly.
 */
public record Event(long data, String obj, long res, long res2) {
    static final Comparator<Event> ORDER = Comparator.comparing(Event::obj).thenComparingLong(Event::data)
            .thenComparingLong(Event::res).thenComparingLong(Event::res2);

    @Override
    public String toString() {
        return "{" + obj + " data=0x" + Long.toHexString(data) + " res=" + Outcome.describe(res)
                + (res2 != 0 ? " res2=" + res2 : "") + "}";
    }
}
