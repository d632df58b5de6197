package org.aioemu.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.aioemu.core.Request.State;

/**
 * FreeBSD's aio_fsync ordering (KAIOCB_CHECKSYNC): an fsync waits until every request its process
 * submitted earlier on the same file has completed. Only processes that ask for it
 * ({@link AioProcess#setSyncOrdering}) pay for the bookkeeping. One lock per process.
 *
 * <p>Each deferred fsync keeps the set of requests it waits for, chosen by submission order
 * (seq), not a count: a batch admits all its requests before any starts, so requests that come
 * after an fsync in its batch are already pending when it looks, and must not be waited for.
 */
final class SyncBarriers {
    private static final class PerFile {
        final Set<Request> pending = new HashSet<>();     // read/write requests started and not finished
        final List<Request> waiting = new ArrayList<>();  // deferred fsyncs
    }

    private final Map<FileKey, PerFile> files = new HashMap<>();
    private final Map<Request, Set<Request>> earlier = new HashMap<>();   // per deferred fsync

    synchronized void started(Request rw) {
        files.computeIfAbsent(FileKey.fileOf(rw.fdInfo), k -> new PerFile()).pending.add(rw);
        rw.syncTracked = true;
    }

    /** True if the fsync must wait; it is then WAITING and registered. */
    synchronized boolean mustWait(Request fsync) {
        PerFile f = files.get(FileKey.fileOf(fsync.fdInfo));
        if (f == null) return false;
        Set<Request> before = new HashSet<>();
        for (Request rw : f.pending) if (rw.seq < fsync.seq) before.add(rw);
        if (before.isEmpty()) return false;
        fsync.setState(State.WAITING);
        f.waiting.add(fsync);
        earlier.put(fsync, before);
        return true;
    }

    /** Returns the fsyncs that no longer wait for anything. */
    synchronized List<Request> finished(Request rw) {
        FileKey key = FileKey.fileOf(rw.fdInfo);
        PerFile f = files.get(key);
        if (f == null) return List.of();
        f.pending.remove(rw);
        List<Request> ready = List.of();
        for (var it = f.waiting.iterator(); it.hasNext(); ) {
            Request fsync = it.next();
            Set<Request> left = earlier.get(fsync);
            if (left.remove(rw) && left.isEmpty()) {
                it.remove();
                earlier.remove(fsync);
                if (ready.isEmpty()) ready = new ArrayList<>();
                ready.add(fsync);
            }
        }
        if (f.pending.isEmpty() && f.waiting.isEmpty()) files.remove(key);
        return ready;
    }

    /** Takes a waiting fsync out (for a cancel); false if it was already released. */
    synchronized boolean withdraw(Request fsync) {
        if (earlier.remove(fsync) == null) return false;
        PerFile f = files.get(FileKey.fileOf(fsync.fdInfo));
        if (f != null) {
            f.waiting.remove(fsync);
            if (f.pending.isEmpty() && f.waiting.isEmpty()) files.remove(FileKey.fileOf(fsync.fdInfo));
        }
        return true;
    }
}
