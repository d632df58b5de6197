package org.aioemu.cli.run;

import picocli.CommandLine.ITypeConverter;

/** --abi linux|freebsd */
public final class AbiConverter implements ITypeConverter<ShimAbi> {
    @Override
    public ShimAbi convert(String value) {
        return ShimAbi.parse(value);
    }
}
