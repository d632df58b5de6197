package org.aioemu.freebsd;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * librt's SIGEV_THREAD for AIO (lib/librt/aio.c, sigev_thread.c): the kernel never sees
 * SIGEV_THREAD; librt swaps in SIGEV_THREAD_ID aimed at its service thread, which calls
 * {@code sigev_notify_function(sigev_value, aiocb)} for each notification, one at a time. Here the
 * service thread is one per emulated process, and a notification not yet run is withdrawn when
 * its job is reaped (librt deletes the node; the kernel takes back the queued SIGLIBRT).
 *
 * <p>The function is the program's own code, called through a native downcall. A pointer that is
 * not in an executable mapping would crash a FreeBSD program with SIGSEGV; here it would crash the
 * JVM, so such a notification is dropped (and counted) instead.
 */
final class FreeBsdSigevThreads {
    private record Notification(long function, long value, long id, Object token) {}

    // void (*)(union sigval, struct aiocb *): a union sigval is passed like a long on amd64
    @SuppressWarnings("restricted")
    private static final MethodHandle CALL = Linker.nativeLinker().downcallHandle(
            FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_LONG));

    private final String name;
    private final ArrayDeque<Notification> queue = new ArrayDeque<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong called = new AtomicLong();
    private Thread service;
    private boolean closed;

    FreeBsdSigevThreads(String name) {
        this.name = name;
    }

    /** Queues a call of {@code function(value, id)}; a token already queued is not queued twice. */
    synchronized void post(long function, long value, long id, Object token) {
        if (closed) return;
        for (Notification n : queue) if (n.token() == token) return;
        queue.add(new Notification(function, value, id, token));
        if (service == null) {
            service = Thread.ofPlatform().daemon().name("freebsd-" + name + "-librt").start(this::serve);
        }
        notifyAll();
    }

    synchronized void withdraw(Object token) {
        queue.removeIf(n -> n.token() == token);
    }

    synchronized void close() {
        closed = true;
        queue.clear();
        notifyAll();
    }

    /** Notifications dropped because their function pointer was not executable code. */
    long dropped() {
        return dropped.get();
    }

    long called() {
        return called.get();
    }

    private void serve() {
        for (;;) {
            Notification n;
            synchronized (this) {
                while (queue.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) return;
                n = queue.poll();
            }
            if (!executable(n.function())) {
                dropped.incrementAndGet();
                continue;
            }
            try {
                CALL.invokeExact(MemorySegment.ofAddress(n.function()), n.value(), n.id());
                called.incrementAndGet();
            } catch (Throwable t) {
                dropped.incrementAndGet();   // an upcall that threw: the JVM reports it; the service thread goes on
            }
        }
    }

    /** True if {@code addr} lies in a mapping with execute permission (/proc/self/maps). */
    static boolean executable(long addr) {
        if (addr == 0) return false;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int dash = line.indexOf('-');
                int space = line.indexOf(' ');
                if (dash < 0 || space < dash) continue;
                long start = Long.parseUnsignedLong(line, 0, dash, 16);
                long end = Long.parseUnsignedLong(line, dash + 1, space, 16);
                if (Long.compareUnsigned(addr, start) >= 0 && Long.compareUnsigned(addr, end) < 0) {
                    return line.length() > space + 3 && line.charAt(space + 3) == 'x';
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }
}
