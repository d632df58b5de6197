package org.aioemu.cli.run;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.aioemu.core.bridge.ShimAbi;
import org.aioemu.core.bridge.ShimCompiler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code aioemu cc}: gcc with an ABI's headers and shim library. */
@Command(name = "cc",
        mixinStandardHelpOptions = true,
        description = {
            "Compiles and links a C program against an ABI's headers and aioemu's shim library, so that it runs on "
                    + "the emulation (with 'aioemu exec'). Every argument after the options is passed to gcc ($CC if set).",
            "linux: libaio's <libaio.h>; the program links with libaioemu-linux.so instead of libaio.",
            "freebsd: FreeBSD's <aio.h> and <sys/event.h> beside glibc's headers; <aio.h> is force-included "
                    + "(-D_DEFAULT_SOURCE -include aio.h) so every file sees FreeBSD's struct sigevent."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:compiled", "1:gcc failed, or gcc, the JDK or the shim is missing", "2:bad usage"},
        footerHeading = "%nExamples:%n",
        footer = {"  aioemu cc --abi linux -O2 -o copy copy.c",
            "  aioemu cc --abi freebsd -Wall -o aiotest aio_test.c -lpthread",
            "  aioemu exec --abi linux -- ./copy in out"})
public final class CcCommand implements Callable<Integer> {
    @Option(names = "--abi", required = true, paramLabel = "ABI", converter = AbiConverter.class,
            description = "linux or freebsd.")
    ShimAbi abi;

    @Parameters(paramLabel = "GCC_ARGS", arity = "1..*", description = "Arguments for gcc (sources, -o, -O2, ...).")
    List<String> gccArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<String> cmd = ShimCompiler.command(abi, gccArgs);
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        return p.waitFor() == 0 ? 0 : 1;
    }
}
