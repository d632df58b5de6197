package org.aioemu.cli;

import java.util.concurrent.Callable;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code aioemu completion}: picocli's bash/zsh completion script for every command and option, from the live command tree. */
@Command(name = "completion",
        mixinStandardHelpOptions = true,
        description = {"Prints a bash completion script for aioemu (zsh: after `autoload -U +X bashcompinit && bashcompinit`).",
            "Generated from the commands themselves, so it always matches this build."},
        footerHeading = "%nExamples:%n",
        footer = {"  source <(./aioemu completion)", "  ./aioemu completion > ~/.local/share/bash-completion/completions/aioemu"})
final class CompletionCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AutoComplete.bash("aioemu", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
