package org.aioemu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class UnitsTest {
    @Test
    void sizesTakeBinarySuffixes() {
        assertEquals(4096, Units.parseSize("4096"));
        assertEquals(64L << 10, Units.parseSize("64k"));
        assertEquals(256L << 20, Units.parseSize("256M"));
        assertEquals(1L << 30, Units.parseSize("1g"));
        assertEquals(2L << 30, Units.parseSize("2GiB"));
        assertEquals(16L << 20, Units.parseSize("16mb"));
        assertThrows(IllegalArgumentException.class, () -> Units.parseSize("lots"));
        assertThrows(IllegalArgumentException.class, () -> Units.parseSize("-1k"));
        assertThrows(IllegalArgumentException.class, () -> Units.parseSize("99999999999t"));
    }

    @Test
    void bytesAndMicrosPrintShort() {
        assertEquals("256 MiB", Units.bytes(256L << 20));
        assertEquals("4000 B", Units.bytes(4000));
        assertEquals("3.2 us", Units.micros(3_200));
        assertEquals("1,250 us", Units.micros(1_250_000));
    }
}
