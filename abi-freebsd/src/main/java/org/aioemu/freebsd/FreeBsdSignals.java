package org.aioemu.freebsd;

import static org.aioemu.freebsd.FreeBsdAioConstants.SA_RESETHAND;
import static org.aioemu.freebsd.FreeBsdAioConstants.SA_RESTART;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIG_MAXSIG;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Emulated signals of one emulated process: dispositions set by sigaction, a process-wide mask,
 * and queued delivery with siginfo. A signal goes to a thread asleep in an emulated call that
 * catches signals (ending that sleep with EINTR, or ERESTART under SA_RESTART, and running the
 * handler on that thread before the call returns), else to the process's signal thread, which
 * runs handlers one at a time. Blocked signals wait in the pending queue until unblocked.
 *
 * <p>Every AIO notification carries a token (the job's ksiginfo): a token already queued is not
 * queued twice, and reaping the job withdraws its undelivered signal (FreeBSD's sigqueue_take).
 * A signal whose action is the default and whose default is to terminate ends the process
 * (exit rundown); default-ignored signals (SIGCHLD, SIGURG, ...) and SIG_IGN ones are dropped at
 * once, as the kernel drops them.
 */
public final class FreeBsdSignals implements FreeBsdSignalTarget {
    private record Action(FreeBsdSignalHandler handler, int flags, boolean ignore) {
        static final Action DEFAULT = new Action(null, 0, false);
        static final Action IGNORE = new Action(null, 0, true);
    }

    /** One signal on its way: queued, pending, or given to a thread. */
    static final class Delivery {
        final FreeBsdSigInfo info;
        final Object token;
        private boolean restarts;

        Delivery(FreeBsdSigInfo info, Object token) {
            this.info = info;
            this.token = token;
        }

        /** True if the interrupted call restarts (the handler has SA_RESTART). */
        boolean restarts() {
            return restarts;
        }
    }

    private final FreeBsdAioProcess owner;
    private final Object lock = new Object();
    private final Action[] actions = new Action[SIG_MAXSIG + 1];
    private final boolean[] blocked = new boolean[SIG_MAXSIG + 1];
    private final ArrayDeque<Delivery> pending = new ArrayDeque<>();     // blocked signals
    private final ArrayDeque<Delivery> toDispatch = new ArrayDeque<>();  // for the signal thread
    private final List<FreeBsdSleeper> sleepers = new ArrayList<>();     // asleep with PCATCH, oldest first
    private final ThreadLocal<ArrayDeque<Delivery>> claimed = ThreadLocal.withInitial(ArrayDeque::new);
    private final AtomicReference<Throwable> handlerFailure = new AtomicReference<>();
    private Thread dispatcher;
    private boolean closed;
    private long delivered;

    FreeBsdSignals(FreeBsdAioProcess owner) {
        this.owner = owner;
        java.util.Arrays.fill(actions, Action.DEFAULT);
    }

    /** A fork child's signals: the parent's dispositions and mask, nothing pending. */
    FreeBsdSignals forkedFor(FreeBsdAioProcess child) {
        FreeBsdSignals s = new FreeBsdSignals(child);
        synchronized (lock) {
            System.arraycopy(actions, 0, s.actions, 0, actions.length);
            System.arraycopy(blocked, 0, s.blocked, 0, blocked.length);
        }
        return s;
    }

    FreeBsdAioProcess owner() {
        return owner;
    }

    static boolean validSignal(int signo) {
        return signo > 0 && signo <= SIG_MAXSIG;
    }

    @Override
    public boolean valid(int signo) {
        return validSignal(signo);
    }

    // ---- dispositions and mask ---------------------------------------------------------------

    /** sigaction(2) with a handler; flags SA_RESTART, SA_RESETHAND. 0, or EINVAL for a bad or uncatchable signal. */
    int setHandler(int signo, FreeBsdSignalHandler handler, int flags) {
        return setAction(signo, new Action(handler, flags, false));
    }

    int setIgnore(int signo) {
        return setAction(signo, Action.IGNORE);
    }

    int setDefault(int signo) {
        return setAction(signo, Action.DEFAULT);
    }

    private int setAction(int signo, Action a) {
        if (!validSignal(signo) || signo == 9 /* SIGKILL */ || signo == 17 /* SIGSTOP */) return FreeBsdErrno.EINVAL;
        synchronized (lock) {
            actions[signo] = a;
            if (ignored(signo, a)) pending.removeIf(d -> d.info.signo() == signo);   // POSIX: discard pending
        }
        return 0;
    }

    /** exec(): caught signals return to their default action; ignored ones stay ignored. */
    void resetHandlersForExec() {
        synchronized (lock) {
            for (int i = 1; i <= SIG_MAXSIG; i++) if (actions[i].handler() != null) actions[i] = Action.DEFAULT;
        }
    }

    /** sigprocmask(SIG_BLOCK / SIG_UNBLOCK) for the process (the mask is process-wide here). */
    void block(int signo, boolean on) {
        synchronized (lock) {
            blocked[signo] = on;
            if (!on) {
                for (Iterator<Delivery> it = pending.iterator(); it.hasNext(); ) {
                    Delivery d = it.next();
                    if (d.info.signo() != signo) continue;
                    it.remove();
                    routeLocked(d);
                }
            }
        }
    }

    /** Signals waiting because they are blocked, oldest first. */
    List<FreeBsdSigInfo> pending() {
        synchronized (lock) {
            return pending.stream().map(d -> d.info).toList();
        }
    }

    // ---- sending -----------------------------------------------------------------------------

    /**
     * Sends a signal to the process (targetLwpid 0) or one of its threads. {@code token} names the
     * ksiginfo it is queued with (null: a fresh one, as kern_psignal uses). Returns false if it
     * was not queued: ignored, already queued under that token, or aimed at a thread that is gone.
     */
    @Override
    public boolean post(FreeBsdSigInfo info, Object token) {
        synchronized (lock) {
            if (closed) return false;
            int signo = info.signo();
            if (token != null && queued(token)) return false;
            if (info.targetLwpid() != 0 && !owner.lwpAlive(info.targetLwpid())) return false;
            if (ignored(signo, actions[signo])) return false;
            Delivery d = new Delivery(info, token);
            if (blocked[signo]) {
                pending.add(d);
                return true;
            }
            routeLocked(d);
        }
        return true;
    }

    /** Withdraws a queued, undelivered signal (the job it announced was reaped). */
    @Override
    public void withdraw(Object token) {
        synchronized (lock) {
            pending.removeIf(d -> d.token == token);
            toDispatch.removeIf(d -> d.token == token);
        }
    }

    private boolean queued(Object token) {
        for (Delivery d : pending) if (d.token == token) return true;
        for (Delivery d : toDispatch) if (d.token == token) return true;
        return false;
    }

    private static boolean ignored(int signo, Action a) {
        return a.ignore() || (a.handler() == null && defaultIgnores(signo));
    }

    /** Signals whose default action is to do nothing (sigproptbl SIGPROP_IGNORE), and the stop signals, not emulated. */
    private static boolean defaultIgnores(int signo) {
        return switch (signo) {
            case 16, 19, 20, 23, 28, 29, 32, 33 -> true;   // SIGURG SIGCONT SIGCHLD SIGIO SIGWINCH SIGINFO SIGTHR SIGLIBRT
            case 17, 18, 21, 22 -> true;                   // SIGSTOP SIGTSTP SIGTTIN SIGTTOU: stopping is not emulated
            default -> false;
        };
    }

    /** Gives d to a sleeping thread that may take it (waking it), or to the signal thread. */
    private void routeLocked(Delivery d) {
        Action a = actions[d.info.signo()];
        if (a.handler() != null) {
            for (Iterator<FreeBsdSleeper> it = sleepers.iterator(); it.hasNext(); ) {
                FreeBsdSleeper s = it.next();
                if (d.info.targetLwpid() != 0 && d.info.targetLwpid() != s.lwpid) continue;
                it.remove();
                d.restarts = (a.flags() & SA_RESTART) != 0;
                s.interrupt(d);
                return;
            }
        }
        toDispatch.add(d);
        startDispatcherLocked();
        lock.notifyAll();
    }

    // ---- sleepers (FreeBsdWaitChannel.msleep with PCATCH) -------------------------------------

    /** A thread starts an interruptible sleep; a signal already queued for the signal thread is taken at once. */
    void sleeping(FreeBsdSleeper s) {
        synchronized (lock) {
            for (Iterator<Delivery> it = toDispatch.iterator(); it.hasNext(); ) {
                Delivery d = it.next();
                Action a = actions[d.info.signo()];
                if (a.handler() == null || (d.info.targetLwpid() != 0 && d.info.targetLwpid() != s.lwpid)) continue;
                it.remove();
                d.restarts = (a.flags() & SA_RESTART) != 0;
                s.interrupt(d);
                return;
            }
            sleepers.add(s);
        }
    }

    void awake(FreeBsdSleeper s) {
        synchronized (lock) {
            sleepers.remove(s);
        }
    }

    /** The calling thread took d in its sleep: its handler runs when the call returns ({@link #returnToUser}). */
    void claim(Delivery d) {
        claimed.get().add(d);
    }

    /** Runs the handlers of the signals this thread took during the call, as the return to user mode does. */
    void returnToUser() {
        ArrayDeque<Delivery> mine = claimed.get();
        Delivery d;
        while ((d = mine.poll()) != null) run(d);
    }

    // ---- delivery ------------------------------------------------------------------------------

    private void run(Delivery d) {
        int signo = d.info.signo();
        Action a;
        synchronized (lock) {
            a = actions[signo];
            if (a.handler() != null && (a.flags() & SA_RESETHAND) != 0) actions[signo] = Action.DEFAULT;
            delivered++;
        }
        if (a.handler() != null) {
            try {
                a.handler().handle(d.info);
            } catch (RuntimeException | Error e) {
                handlerFailure.compareAndSet(null, e);   // a handler's bug must not kill the signal thread
            }
        } else if (!ignored(signo, a)) {
            owner.terminateBySignal(signo);
        }
    }

    private void startDispatcherLocked() {
        if (dispatcher != null) return;
        dispatcher = Thread.ofPlatform().daemon().name("freebsd-" + owner.name() + "-signals").start(this::dispatchLoop);
    }

    private void dispatchLoop() {
        for (;;) {
            Delivery d;
            synchronized (lock) {
                while (toDispatch.isEmpty() && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) return;
                d = toDispatch.poll();
            }
            run(d);
        }
    }

    /** Signals delivered so far (handlers run, or default actions taken). */
    long delivered() {
        synchronized (lock) {
            return delivered;
        }
    }

    /** The first exception a handler threw, or null. */
    Throwable handlerFailure() {
        return handlerFailure.get();
    }

    /** The process is gone: nothing more is delivered; the signal thread ends. */
    void close() {
        synchronized (lock) {
            closed = true;
            pending.clear();
            toDispatch.clear();
            lock.notifyAll();
        }
    }
}
