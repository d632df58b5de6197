package org.aioemu.conformance.linux.differential;

import java.util.List;

/** One step of a sequence: an AIO system call, or something the program does to its fds in between. */
public sealed interface Step {

    /** Which context a call names. */
    record CtxRef(Kind kind, int handle) {
        public enum Kind {
            /** the ctx that setup {@code handle} stored (0 if it failed; stale once destroyed) */
            HANDLE,
            /** that ctx + 4: inside a ring, but not a ring's address */
            HANDLE_PLUS_4,
            ZERO,
            /** 12345 */
            JUNK,
            /** ~0 */
            MINUS1
        }

        public static CtxRef handle(int h) {
            return new CtxRef(Kind.HANDLE, h);
        }

        @Override public String toString() {
            return switch (kind) {
                case HANDLE -> "ctx" + handle;
                case HANDLE_PLUS_4 -> "ctx" + handle + "+4";
                case ZERO -> "0";
                case JUNK -> "12345";
                case MINUS1 -> "~0";
            };
        }
    }

    /** Where io_setup's ctxp points. */
    enum CtxpArg { FRESH, PRESET, NULL, UNMAPPED, KERNEL, READ_ONLY }

    /** Where io_submit's iocbpp points. */
    enum ArrayArg {
        ARRAY,
        /** the listed pointers end exactly where a PROT_NONE page starts: element k = len faults */
        BEFORE_UNMAPPED,
        NULL, MINUS1, KERNEL, UNMAPPED
    }

    /** io_getevents' timeout. */
    enum TimeoutArg {
        /** NULL: wait for min_nr without limit, so only generated where the call cannot wait */
        NONE,
        /** {0,0} */
        ZERO,
        /** {0,200000}: 0.2 ms */
        SHORT,
        /** {0,2000000000}: not validated by Linux, 2 s; only where the call cannot wait */
        NSEC_OVERFLOW,
        /** {-1,0}: waits forever on Linux; only where the call cannot wait */
        NEGATIVE,
        UNMAPPED, KERNEL,
        /** {0,0} on a read-only page */
        READ_ONLY_ZERO
    }

    /** io_getevents' events. */
    enum EventsArg { ARRAY, NULL, UNMAPPED, KERNEL, READ_ONLY }

    /** io_pgetevents' usig. */
    enum UsigArg {
        /** usig NULL */
        NONE,
        /** {NULL, 8} */
        NULL_MASK,
        /** {&empty set, 8} */
        EMPTY_MASK,
        /** {&set, 16}: EINVAL */
        WRONG_SIZE,
        /** {unmapped, 8}: EFAULT */
        UNMAPPED_MASK,
        /** usig itself unmapped: EFAULT */
        UNMAPPED
    }

    /** io_cancel's result. */
    enum ResultArg { NULL, EVENT_SLOT, ONE }

    record Setup(int handle, int nrEvents, CtxpArg ctxp) implements Step {
        @Override public String toString() {
            return "io_setup(" + Integer.toUnsignedString(nrEvents) + ", " + ctxp + ") -> ctx" + handle;
        }
    }

    record Destroy(CtxRef ctx) implements Step {
        @Override public String toString() {
            return "io_destroy(" + ctx + ")";
        }
    }

    record Submit(CtxRef ctx, long nr, ArrayArg array, List<Ptr> elements) implements Step {
        @Override public String toString() {
            return "io_submit(" + ctx + ", " + nr + ", " + array + elements + ")";
        }
    }

    /** io_getevents, or io_pgetevents when {@code usig} is not null. */
    record GetEvents(CtxRef ctx, long minNr, long nr, EventsArg events, TimeoutArg timeout, UsigArg usig) implements Step {
        @Override public String toString() {
            return (usig == null ? "io_getevents(" : "io_pgetevents(") + ctx + ", " + minNr + ", " + nr + ", "
                    + events + ", " + timeout + (usig == null ? "" : ", " + usig) + ")";
        }
    }

    record Cancel(CtxRef ctx, Ptr iocb, ResultArg result) implements Step {
        @Override public String toString() {
            return "io_cancel(" + ctx + ", " + iocb + ", " + result + ")";
        }
    }

    /** Reap up to {@code max} events from the ring in user space, as libaio may (LNX-14). */
    record UserReap(int handle, int max) implements Step {
        @Override public String toString() {
            return "user-reap(ctx" + handle + ", " + max + ")";
        }
    }

    /** write(2) of {@code n} pattern bytes to a pipe. */
    record PipeWrite(FdRef pipe, int n) implements Step {
        @Override public String toString() {
            return "write(" + pipe + ", " + n + ")";
        }
    }

    /** read(2) of up to {@code n} bytes from a pipe that cannot block (data, EOF or O_NONBLOCK). */
    record PipeRead(FdRef pipe, int n) implements Step {
        @Override public String toString() {
            return "read(" + pipe + ", " + n + ")";
        }
    }

    /** write(2) of {@code value} to the I/O eventfd. */
    record EventfdWrite(long value) implements Step {
        @Override public String toString() {
            return "eventfd_write(" + FdRef.EFD_IO + ", " + value + ")";
        }
    }

    /** read(2) of an eventfd's counter (EAGAIN when 0). */
    record EventfdRead(FdRef efd) implements Step {
        @Override public String toString() {
            return "eventfd_read(" + efd + ")";
        }
    }

    /** close(2) of the blocking pipe's write end: its readers see POLLHUP and EOF. */
    record CloseWriter() implements Step {
        @Override public String toString() {
            return "close(" + FdRef.PIPE_W + ")";
        }
    }
}
