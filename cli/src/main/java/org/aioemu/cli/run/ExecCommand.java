package org.aioemu.cli.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.aioemu.core.ExitPolicy;
import org.aioemu.core.bridge.BridgeEnv;
import org.aioemu.core.bridge.ExecEnvironment;
import org.aioemu.core.bridge.ShimAbi;
import org.aioemu.linux.shim.LinuxShimEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code aioemu exec}: runs a program with its AIO calls on the emulation. */
@Command(name = "exec",
        mixinStandardHelpOptions = true,
        description = {
            "Runs PROGRAM with its AIO calls on aioemu: the ABI's shim is preloaded and starts a JVM inside the "
                    + "program on its first AIO call (140-290 ms once per process). linux: an unmodified binary linked "
                    + "with the system's libaio, or one built by 'aioemu cc --abi linux'. freebsd: a program built by "
                    + "'aioemu cc --abi freebsd'.",
            "The program's stdin, stdout and stderr are its own; aioemu's messages go to stderr only."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"n:the program's exit status (128+N if killed by signal N)",
            "1:also when the program cannot be started, or the JDK or the shim is missing", "2:bad usage"},
        footerHeading = "%nExamples:%n",
        footer = {"  aioemu exec --abi linux -- fio --ioengine=libaio --name=j --size=4m --rw=randrw --verify=crc32c",
            "  aioemu exec --abi linux --exit-policy cancel-then-drain -- ./copy in out",
            "  aioemu exec --abi linux --record run.jsonl -- ./prog && aioemu replay --format jsonl run.jsonl",
            "  aioemu exec --abi freebsd -- ./aiotest"})
public final class ExecCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--abi", required = true, paramLabel = "ABI", converter = AbiConverter.class,
            description = "linux or freebsd.")
    ShimAbi abi;

    @Option(names = "--exit-policy", paramLabel = "POLICY", converter = PolicyConverter.class,
            description = "What the program's exit does with I/O in flight: drain (wait, as Linux does; default for linux), "
                    + "cancel-then-drain (cancel what has not started, wait for the rest; FreeBSD's, default for freebsd), "
                    + "detach (exit at once).")
    ExitPolicy exitPolicy;

    @Option(names = "--record", paramLabel = "TRACE.jsonl",
            description = "Write every AIO call and its result as aioemu's JSON-lines trace (linux), for 'aioemu replay'.")
    Path record;

    @Parameters(paramLabel = "PROGRAM", arity = "1..*", description = "The program and its arguments (put them after --).")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (record != null && abi != LinuxShimEntry.ABI) {
            throw new ParameterException(spec.commandLine(),
                    "--record writes Linux AIO traces; the freebsd shim does not record");
        }
        ExecEnvironment plain = ExecEnvironment.of(abi, exitPolicy, record);
        ExecEnvironment env = plain.withAotCache(AotCache.forClassPath(plain.javaHome(), plain.classPath()));
        // a fresh trace, its header already there: every process of the run appends its calls
        if (record != null) java.nio.file.Files.writeString(record, org.aioemu.cli.replay.JsonTrace.headerLine("aioemu exec " + String.join(" ", command)) + "\n");
        Process p;
        try {
            p = env.processBuilder(command).inheritIO().start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        }
        return p.waitFor();
    }

    /** --exit-policy drain|cancel-then-drain|detach */
    public static final class PolicyConverter implements ITypeConverter<ExitPolicy> {
        @Override
        public ExitPolicy convert(String value) {
            return BridgeEnv.parseExitPolicy(value);
        }
    }
}
