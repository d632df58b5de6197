package org.aioemu.cli.run;

import java.util.List;

/**
 * The foreign ABIs a C program can be built for and run on: where each one's shim library and
 * headers are (module abi-ABI, packaged under native/ABI/ in its jar) and what the compiler needs.
 */
public enum ShimAbi {
    /** libaio's API; unmodified binaries linked with the system libaio also run (preloaded shim). */
    LINUX("linux", "org.aioemu.linux.shim.LinuxShimEntry", List.of()),
    /**
     * FreeBSD's &lt;aio.h&gt; and &lt;sys/event.h&gt; beside glibc's headers; the header is
     * force-included so every translation unit sees one struct sigevent (native-bridge.md §7).
     */
    FREEBSD("freebsd", "org.aioemu.freebsd.shim.FreeBsdShimEntry", List.of("-D_DEFAULT_SOURCE", "-include", "aio.h"));

    public final String id;
    public final String entryClass;
    public final List<String> compileFlags;

    ShimAbi(String id, String entryClass, List<String> compileFlags) {
        this.id = id;
        this.entryClass = entryClass;
        this.compileFlags = compileFlags;
    }

    public String libraryName() { return "aioemu-" + id; }
    public String libraryFile() { return "lib" + libraryName() + ".so"; }

    /** Picocli's converter: linux | freebsd. */
    public static ShimAbi parse(String s) {
        for (ShimAbi a : values()) if (a.id.equalsIgnoreCase(s)) return a;
        throw new IllegalArgumentException("unknown ABI '" + s + "' (expected linux or freebsd)");
    }
}
