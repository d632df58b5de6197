package org.aioemu.cli.bench;

import picocli.CommandLine.Command;

/** {@code aioemu bench}: measurements that compare the core with what the JDK offers. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measures the AIO core against the JDK's own ways of doing the same I/O.",
        subcommands = {FilesBenchCommand.class, SocketsBenchCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  aioemu bench files", "  aioemu bench files --size 1g --depth 64 --seconds 3 --json",
                "  aioemu bench sockets --connections 10000"})
public final class BenchCommand {
}
