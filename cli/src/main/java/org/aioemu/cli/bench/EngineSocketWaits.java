package org.aioemu.cli.bench;

import java.lang.foreign.Arena;
import java.time.Duration;

/** A read per connection through one of the ABI translators' {@link PendingReads.Engine}s. */
record EngineSocketWaits(String name, Duration timeout, Opener opener) implements SocketWaitLoad {

    /** Makes the engine for {@code connections} reads, its structs in {@code arena}. */
    interface Opener {
        PendingReads.Engine open(int connections, Arena arena) throws Exception;
    }

    @Override
    public WaitResult run(LoopbackPairs pairs) throws Exception {
        ProcessStatus before = ProcessStatus.now();
        try (Arena arena = Arena.ofShared(); PendingReads.Engine e = opener.open(pairs.size(), arena)) {
            return PendingReads.run(name, e, arena.allocate((long) PendingReads.BUF * pairs.size()), pairs, timeout, before);
        }
    }
}
