package org.aioemu.freebsd;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * FreeBSD amd64 {@code struct sigevent} (80 bytes), how a program asks to be told of a completion.
 */
public final class FreeBsdSigevent {
    /*
     * struct sigevent {                          // sys/sys/signal.h
     *     int          sigev_notify;             //  0
     *     int          sigev_signo;              //  4  (#define sigev_notify_kqueue sigev_signo)
     *     union sigval sigev_value;              //  8  int sival_int / void *sival_ptr
     *     union {
     *         __lwpid_t _threadid;               // 16  sigev_notify_thread_id
     *         struct {
     *             void (*_function)(union sigval);    // 16  sigev_notify_function
     *             struct pthread_attr **_attribute;   // 24  sigev_notify_attributes
     *         } _sigev_thread;
     *         unsigned short _kevent_flags;      // 16  sigev_notify_kevent_flags
     *         long __spare__[8];
     *     } _sigev_un;                           // 16..80
     * };                                         // 80
     */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("sigev_notify"),
            JAVA_INT.withName("sigev_signo"),
            JAVA_LONG.withName("sigev_value"),
            MemoryLayout.unionLayout(
                    JAVA_INT.withName("_threadid"),
                    JAVA_SHORT.withName("_kevent_flags"),
                    MemoryLayout.structLayout(
                            JAVA_LONG.withName("_function"),
                            JAVA_LONG.withName("_attribute")).withName("_sigev_thread"),
                    MemoryLayout.sequenceLayout(8, JAVA_LONG).withName("__spare__")).withName("_sigev_un"));

    private static final VarHandle NOTIFY = LAYOUT.varHandle(groupElement("sigev_notify"));
    private static final VarHandle SIGNO = LAYOUT.varHandle(groupElement("sigev_signo"));
    private static final VarHandle VALUE = LAYOUT.varHandle(groupElement("sigev_value"));
    private static final VarHandle THREAD_ID = LAYOUT.varHandle(groupElement("_sigev_un"), groupElement("_threadid"));
    private static final VarHandle KEVENT_FLAGS = LAYOUT.varHandle(groupElement("_sigev_un"), groupElement("_kevent_flags"));
    private static final VarHandle FUNCTION =
            LAYOUT.varHandle(groupElement("_sigev_un"), groupElement("_sigev_thread"), groupElement("_function"));
    private static final VarHandle ATTRIBUTE =
            LAYOUT.varHandle(groupElement("_sigev_un"), groupElement("_sigev_thread"), groupElement("_attribute"));

    private FreeBsdSigevent() {}

    /** The fields as read once from the program (the kernel works on its copy, never the original). */
    public record Value(int sigevNotify, int signo, long value, int threadId, int keventFlags, long function, long attributes) {
        public static final Value NONE = new Value(FreeBsdAioConstants.SIGEV_NONE, 0, 0, 0, 0, 0, 0);

        /** sigev_notify_kqueue shares sigev_signo's slot. */
        public int kqueue() {
            return signo;
        }
    }

    /** Parses a sigevent at {@code offset} of a segment already copied in from the program. */
    public static Value read(MemorySegment s, long offset) {
        return new Value((int) NOTIFY.get(s, offset), (int) SIGNO.get(s, offset), (long) VALUE.get(s, offset),
                (int) THREAD_ID.get(s, offset), Short.toUnsignedInt((short) KEVENT_FLAGS.get(s, offset)),
                (long) FUNCTION.get(s, offset), (long) ATTRIBUTE.get(s, offset));
    }

    public static void setNotify(MemorySegment s, long offset, int notify) { NOTIFY.set(s, offset, notify); }
    public static void setSigno(MemorySegment s, long offset, int signo) { SIGNO.set(s, offset, signo); }
    public static void setKqueue(MemorySegment s, long offset, int kq) { SIGNO.set(s, offset, kq); }
    public static void setValue(MemorySegment s, long offset, long value) { VALUE.set(s, offset, value); }
    public static void setThreadId(MemorySegment s, long offset, int lwpid) { THREAD_ID.set(s, offset, lwpid); }
    public static void setKeventFlags(MemorySegment s, long offset, int flags) { KEVENT_FLAGS.set(s, offset, (short) flags); }
    public static void setFunction(MemorySegment s, long offset, long fn) { FUNCTION.set(s, offset, fn); }
    public static void setAttributes(MemorySegment s, long offset, long attr) { ATTRIBUTE.set(s, offset, attr); }
}
