package org.aioemu.cli.bench;

/**
 * One way of doing 4 KiB random reads of a cached file with some number in flight: each
 * implementation warms up, then measures for the window and reports per-read latency.
 */
interface RandomReadLoad {
    int BLOCK = 4096;

    String name();

    LoadResult run(BenchFile file, Window window) throws Exception;
}
