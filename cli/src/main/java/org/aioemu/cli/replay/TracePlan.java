package org.aioemu.cli.replay;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What replay learns from a whole trace before running it: the files and directories to lay
 * out under the root (with the sizes the trace's reads need), the calls to skip (lenient mode),
 * the results the trace shows for iocbs (linked through aio_data), and the aio_flags strace did
 * not print but the trace implies.
 */
record TracePlan(Map<String, PathPlan> paths, Set<Integer> skip, Map<IocbId, Long> forecast,
                 Map<IocbId, Integer> hiddenResfd, List<TraceWarning> notes) {

    /** The index-th iocb of the io_submit starting at trace line {@code line}. */
    record IocbId(int line, int index) {}

    /** A path the trace uses: a directory, or a file that must exist at the start with {@code size} bytes. */
    record PathPlan(String path, boolean directory, boolean existsAtStart, long size) {}
}
