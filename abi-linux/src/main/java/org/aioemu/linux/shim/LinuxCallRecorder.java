package org.aioemu.linux.shim;

import java.io.IOException;
import java.nio.file.Path;

import org.aioemu.linux.LinuxAioSyscalls;

/**
 * Records every AIO call a program makes (aioemu exec --record). The trace format belongs to the
 * cli, which provides the implementation as a service; abi-linux only wraps its calls with it.
 */
public interface LinuxCallRecorder {
    /** {@code calls}, with each call and its result appended to {@code trace}. */
    LinuxAioSyscalls recording(LinuxAioSyscalls calls, Path trace) throws IOException;
}
