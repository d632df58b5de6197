package org.aioemu.cli.run;

import org.aioemu.core.bridge.ShimAbi;
import org.aioemu.freebsd.shim.FreeBsdShimEntry;
import org.aioemu.linux.shim.LinuxShimEntry;
import picocli.CommandLine.ITypeConverter;

/** --abi linux|freebsd */
public final class AbiConverter implements ITypeConverter<ShimAbi> {
    @Override
    public ShimAbi convert(String value) {
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "linux" -> LinuxShimEntry.ABI;
            case "freebsd" -> FreeBsdShimEntry.ABI;
            default -> throw new IllegalArgumentException("unknown ABI '" + value + "' (expected linux or freebsd)");
        };
    }
}
