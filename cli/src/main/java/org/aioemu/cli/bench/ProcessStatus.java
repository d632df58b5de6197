package org.aioemu.cli.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** What this JVM costs right now: live platform threads and resident memory. */
record ProcessStatus(int threads, long rssBytes) {

    static ProcessStatus now() {
        return new ProcessStatus(ManagementFactory.getThreadMXBean().getThreadCount(), rss());
    }

    double rssMib() {
        return rssBytes / (1024.0 * 1024.0);
    }

    /** VmRSS from /proc/self/status (the kernel reports kB). */
    private static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
