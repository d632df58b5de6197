package org.aioemu.cli.record;

import java.io.IOException;
import java.nio.file.Path;

import org.aioemu.linux.LinuxAioSyscalls;
import org.aioemu.linux.shim.LinuxCallRecorder;

/** aioemu exec --record: the program's AIO calls in aioemu's JSON-lines trace format, for aioemu replay. */
public final class JsonlRecorder implements LinuxCallRecorder {
    @Override
    public LinuxAioSyscalls recording(LinuxAioSyscalls calls, Path trace) throws IOException {
        return new RecordingSyscalls(calls, new TraceFile(trace, "aioemu exec, pid " + ProcessHandle.current().pid()));
    }
}
