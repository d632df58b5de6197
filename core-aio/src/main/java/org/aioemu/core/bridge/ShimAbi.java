package org.aioemu.core.bridge;

import java.util.List;

/**
 * A foreign ABI that C programs can be built for and run on: its shim library and headers
 * (packaged under native/ID/ in the ABI module's jar, found by {@link ShimArtifacts}), the class
 * whose {@code install} the shim calls when the JVM has started, and what gcc needs to compile
 * against its headers. Each ABI module declares its own; the core knows none by name.
 */
public record ShimAbi(String id, String entryClass, List<String> compileFlags) {
    public ShimAbi {
        compileFlags = List.copyOf(compileFlags);
    }

    public String libraryName() { return "aioemu-" + id; }
    public String libraryFile() { return "lib" + libraryName() + ".so"; }
}
