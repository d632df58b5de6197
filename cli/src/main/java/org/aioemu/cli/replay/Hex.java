package org.aioemu.cli.replay;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a trace field holding an address or an opaque 64-bit cookie: the JSON-lines format writes
 * it as a "0x..." string, since JSON readers that use doubles lose integers above 2^53.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Hex {}
