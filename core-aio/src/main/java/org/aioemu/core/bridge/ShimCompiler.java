package org.aioemu.core.bridge;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The gcc command line that builds a C program against an ABI's headers and shim library. */
public final class ShimCompiler {
    private ShimCompiler() {}

    /** Ours around the user's arguments: includes first, libraries last. */
    public static List<String> command(ShimAbi abi, List<String> userArgs) {
        Path gcc = HostTools.compiler();
        ShimArtifacts.Located shim = ShimArtifacts.locate(abi);
        Path jdk = HostTools.javaHome();
        Path jsig = HostTools.libjsig(jdk);
        List<String> cmd = new ArrayList<>();
        cmd.add(gcc.toString());
        cmd.add("-I" + shim.include());
        cmd.addAll(abi.compileFlags());
        cmd.addAll(userArgs);
        cmd.add("-L" + shim.libraryDir());
        cmd.add("-Wl,-rpath," + shim.libraryDir());
        cmd.add("-l" + abi.libraryName());
        // libjsig ahead of libc in the program's own DT_NEEDED: the same signal chaining as preloading it
        cmd.add("-L" + jsig.getParent());
        cmd.add("-Wl,-rpath," + jsig.getParent());
        cmd.add("-Wl,--push-state,--no-as-needed");   // gcc here links --as-needed: libjsig has no symbol the program uses
        cmd.add("-ljsig");
        cmd.add("-Wl,--pop-state");
        return cmd;
    }
}
