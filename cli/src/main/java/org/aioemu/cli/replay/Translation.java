package org.aioemu.cli.replay;

import java.util.List;
import java.util.Map;

/**
 * A replay target that carries the Linux calls out in another ABI says here, call by call, where
 * that ABI's semantics part from Linux's: the engine files the notes under the call's trace line
 * and uses them to explain the differences the call produced.
 */
interface Translation {
    /** What the last call's translation had to say (empty if it was a faithful one), forgetting it. */
    List<String> drainNotes();

    /** Why data seen on this host fd may differ from the trace (an eventfd Linux would have signalled), or null. */
    String explainFd(int hostFd);

    /** The other ABI's calls the translation made, by name, in first-use order. */
    Map<String, Long> calls();

    /** Why the trace's completion with this aio_data cannot come here (its request was refused at submit), or null. */
    String explainEvent(long data);
}
