package org.aioemu.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.aioemu.core.Request.State;

/**
 * FreeBSD's aio_fsync ordering (KAIOCB_CHECKSYNC): an fsync waits until every request its process
 * submitted earlier on the same file has completed. Only processes that ask for it
 * ({@link AioProcess#setSyncOrdering}) pay for the bookkeeping. One lock per process; the work
 * under it is a map lookup and a counter.
 */
final class SyncBarriers {
    private static final class PerFile {
        int pending;                                   // read/write requests started and not finished
        final List<Request> waiting = new ArrayList<>(); // fsyncs, each with its own count in `earlier`
    }

    private final Map<FileKey, PerFile> files = new HashMap<>();
    private final Map<Request, int[]> earlier = new HashMap<>();

    synchronized void started(Request rw) {
        files.computeIfAbsent(FileKey.fileOf(rw.fdInfo), k -> new PerFile()).pending++;
    }

    /** True if the fsync must wait; it is then WAITING and registered. */
    synchronized boolean mustWait(Request fsync) {
        PerFile f = files.get(FileKey.fileOf(fsync.fdInfo));
        if (f == null || f.pending == 0) return false;
        fsync.setState(State.WAITING);
        f.waiting.add(fsync);
        earlier.put(fsync, new int[] {f.pending});
        return true;
    }

    /** Returns the fsyncs that no longer wait for anything. */
    synchronized List<Request> finished(Request rw) {
        FileKey key = FileKey.fileOf(rw.fdInfo);
        PerFile f = files.get(key);
        if (f == null) return List.of();
        f.pending--;
        List<Request> ready = List.of();
        for (var it = f.waiting.iterator(); it.hasNext(); ) {
            Request fsync = it.next();
            if (fsync.seq < rw.seq) continue;          // the request came after this fsync: not counted
            int[] left = earlier.get(fsync);
            if (--left[0] == 0) {
                it.remove();
                earlier.remove(fsync);
                if (ready.isEmpty()) ready = new ArrayList<>();
                ready.add(fsync);
            }
        }
        if (f.pending == 0 && f.waiting.isEmpty()) files.remove(key);
        return ready;
    }

    /** Takes a waiting fsync out (for a cancel); false if it was already released. */
    synchronized boolean withdraw(Request fsync) {
        if (earlier.remove(fsync) == null) return false;
        PerFile f = files.get(FileKey.fileOf(fsync.fdInfo));
        if (f != null) f.waiting.remove(fsync);
        return true;
    }
}
