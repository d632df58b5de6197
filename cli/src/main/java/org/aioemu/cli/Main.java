package org.aioemu.cli;

import java.io.PrintWriter;

import org.aioemu.cli.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/**
 * The {@code aioemu} command. Exit codes: 0 success, 1 failure (or differences found), 2 bad
 * usage. Errors are one line on stderr; {@code --debug} adds the stack trace.
 */
@Command(name = "aioemu",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "POSIX AIO emulation layer for foreign ABIs (Linux native AIO, FreeBSD AIO) on one shared core.",
        subcommands = {SelftestCommand.class, BenchCommand.class, org.aioemu.cli.replay.ReplayCommand.class,
                org.aioemu.cli.run.CcCommand.class, org.aioemu.cli.run.ExecCommand.class, HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:failure, or differences found", "2:bad usage"},
        footerHeading = "%nExamples:%n",
        footer = {"  aioemu selftest", "  aioemu cc --abi linux -o prog prog.c && aioemu exec --abi linux -- ./prog", "  aioemu bench files --seconds 3", "  aioemu bench sockets --connections 10000 --json",
                "  aioemu help bench"})
public final class Main {

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean debug;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line with the given streams and returns its exit code (tests call this in-process). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(Main::onError);
        cl.setParameterExceptionHandler(Main::onBadUsage);
        // cc passes gcc's options through; exec runs whatever follows the program name as its arguments
        cl.getSubcommands().get("cc").setUnmatchedOptionsArePositionalParams(true);
        cl.getSubcommands().get("exec").setStopAtPositional(true);
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** A failure while a command ran: one line, the trace only if asked for. */
    private static int onError(Exception ex, CommandLine cl, ParseResult parsed) {
        PrintWriter err = cl.getErr();
        err.println(cl.getCommandSpec().qualifiedName() + ": " + describe(ex));
        if (debugAsked(parsed)) ex.printStackTrace(err);
        err.flush();
        return CommandLine.ExitCode.SOFTWARE;
    }

    /** Bad usage: one line naming the problem and where help is, instead of the whole usage text. */
    private static int onBadUsage(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        String name = cl.getCommandSpec().qualifiedName();
        err.println(name + ": " + ex.getMessage() + " (see '" + name + " --help')");
        if (debugAsked(cl.getParseResult())) ex.printStackTrace(err);
        err.flush();
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static boolean debugAsked(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--debug")) return true;
        }
        return false;
    }

    private static String describe(Throwable t) {
        String msg = t.getMessage();
        return msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg.replace('\n', ' ');
    }
}
