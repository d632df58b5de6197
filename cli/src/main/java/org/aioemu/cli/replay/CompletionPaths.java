package org.aioemu.cli.replay;

import java.util.Optional;
import org.aioemu.core.CompletionPath;

/**
 * How the executor completed the request whose iocb was at {@code iocbAddress}: asked once per
 * request, when replay reaps it. The emulation can tell (fast path, worker, continuation); the
 * host kernel cannot.
 */
@FunctionalInterface
public interface CompletionPaths {
    Optional<CompletionPath> pathOf(long iocbAddress);

    CompletionPaths UNKNOWN = address -> Optional.empty();
}
