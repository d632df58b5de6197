package org.aioemu.cli.bench;

/** One way of keeping a read pending on each of many connections until its peer writes. */
interface SocketWaitLoad {
    String name();

    WaitResult run(LoopbackPairs pairs) throws Exception;
}
