package org.aioemu.conformance.linux.differential;

import java.util.function.Predicate;

/**
 * A difference from the kernel that the project has decided to keep, with its reason: the
 * differential run reports it but does not fail on it. The list is meant to stay short (empty
 * is the goal); every entry is printed with every report.
 */
public record KnownDifference(String id, String reason, Predicate<Difference> matches) {}
