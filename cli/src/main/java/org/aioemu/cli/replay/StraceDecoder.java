package org.aioemu.cli.replay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aioemu.cli.replay.AioStructs.TraceIocb;
import org.aioemu.cli.replay.AioStructs.TraceIoEvent;
import org.aioemu.cli.replay.AioStructs.TraceIovec;
import org.aioemu.cli.replay.AioStructs.TraceTimespec;
import org.aioemu.cli.replay.StraceValue.Arr;
import org.aioemu.cli.replay.StraceValue.Num;
import org.aioemu.cli.replay.StraceValue.Str;
import org.aioemu.cli.replay.StraceValue.Struct;
import org.aioemu.cli.replay.StraceValue.Sym;
import org.aioemu.linux.LinuxAioConstants;

/**
 * Turns one call's text into a {@link TraceCall}: which syscalls replay understands, and what
 * each argument means. strace's shapes (src/aio.c and friends) are followed field by field, in
 * all three -X styles: names only (default), numbers only (raw), or number plus name comment.
 */
final class StraceDecoder {
    static final Set<String> SYSCALLS = Set.of("io_setup", "io_destroy", "io_submit", "io_getevents",
            "io_pgetevents", "io_cancel", "openat", "open", "close", "dup", "dup2", "dup3", "pipe", "pipe2",
            "socketpair", "eventfd", "eventfd2", "ftruncate", "fallocate", "unlink", "unlinkat", "read",
            "write", "pread64", "pwrite64", "fsync", "fdatasync");

    private static final Pattern IOPRIO = Pattern.compile("IOPRIO_PRIO_VALUE\\((\\w+), *(\\d+)\\)");

    private final int line;

    private StraceDecoder(int line) {
        this.line = line;
    }

    static TraceCall decode(int line, int endLine, int thread, Long time, Long duration, String text) {
        StraceScanner sc = new StraceScanner(text, line);
        String name = sc.callName();
        if (!SYSCALLS.contains(name)) {
            throw new TraceFormatException(line, "unknown syscall '" + name + "' (replay knows " + String.join(", ",
                    SYSCALLS.stream().sorted().toList()) + ")");
        }
        List<StraceValue> args = sc.arguments();
        Long result = sc.result();
        Outcome outcome = new Outcome(result, sc.resultPath);
        CallArgs decoded = new StraceDecoder(line).args(name, args, outcome);
        return new TraceCall(line, endLine, thread, time, duration, name, decoded, outcome);
    }

    private CallArgs args(String name, List<StraceValue> a, Outcome outcome) {
        return switch (name) {
            case "open" -> new CallArgs.Open(null, string(arg(a, 0, 2)), (int) flags(a.get(1), LinuxNames.OPEN_FLAGS),
                    a.size() > 2 ? (int) number(a.get(2)) : -1);
            case "openat" -> new CallArgs.Open(fd(arg(a, 0, 3)), string(a.get(1)), (int) flags(a.get(2), LinuxNames.OPEN_FLAGS),
                    a.size() > 3 ? (int) number(a.get(3)) : -1);
            case "close" -> new CallArgs.Close(fd(arg(a, 0, 1)));
            case "dup" -> new CallArgs.Dup(fd(arg(a, 0, 1)), null, 0);
            case "dup2" -> new CallArgs.Dup(fd(arg(a, 0, 2)), fd(a.get(1)), 0);
            case "dup3" -> new CallArgs.Dup(fd(arg(a, 0, 3)), fd(a.get(1)), (int) flags(a.get(2), LinuxNames.OPEN_FLAGS));
            case "pipe" -> new CallArgs.Pipe(fdPair(arg(a, 0, 1), outcome), 0);
            case "pipe2" -> new CallArgs.Pipe(fdPair(arg(a, 0, 2), outcome), (int) flags(a.get(1), LinuxNames.PIPE_FLAGS));
            case "socketpair" -> new CallArgs.SocketPair((int) flags(arg(a, 0, 4), LinuxNames.SOCKET_DOMAINS),
                    (int) flags(a.get(1), LinuxNames.SOCKET_TYPES), (int) flags(a.get(2), LinuxNames.SOCKET_PROTOCOLS),
                    fdPair(a.get(3), outcome));
            case "eventfd" -> new CallArgs.EventFd(number(arg(a, 0, 1)), 0);
            case "eventfd2" -> new CallArgs.EventFd(number(arg(a, 0, 2)), (int) flags(a.get(1), LinuxNames.EFD_FLAGS));
            case "ftruncate" -> new CallArgs.Truncate(fd(arg(a, 0, 2)), number(a.get(1)));
            case "fallocate" -> new CallArgs.Fallocate(fd(arg(a, 0, 4)), (int) flags(a.get(1), LinuxNames.FALLOC_FLAGS),
                    number(a.get(2)), number(a.get(3)));
            case "unlink" -> new CallArgs.Unlink(null, string(arg(a, 0, 1)), 0);
            case "unlinkat" -> new CallArgs.Unlink(fd(arg(a, 0, 3)), string(a.get(1)), (int) flags(a.get(2), LinuxNames.AT_FLAGS));
            case "read", "write" -> new CallArgs.ReadWrite(fd(arg(a, 0, 3)), bytesOrNull(a.get(1)), number(a.get(2)), -1);
            case "pread64", "pwrite64" -> new CallArgs.ReadWrite(fd(arg(a, 0, 4)), bytesOrNull(a.get(1)),
                    number(a.get(2)), number(a.get(3)));
            case "fsync", "fdatasync" -> new CallArgs.Sync(fd(arg(a, 0, 1)));
            case "io_setup" -> new CallArgs.IoSetup((int) number(arg(a, 0, 2)), ctxOut(a.get(1), outcome));
            case "io_destroy" -> new CallArgs.IoDestroy(number(arg(a, 0, 1)));
            case "io_submit" -> ioSubmit(a);
            case "io_getevents" -> ioGetevents(a, false, outcome);
            case "io_pgetevents" -> ioGetevents(a, true, outcome);
            case "io_cancel" -> ioCancel(a);
            default -> throw new IllegalStateException(name);
        };
    }

    private CallArgs ioSubmit(List<StraceValue> a) {
        long ctx = number(arg(a, 0, 3));
        long nr = number(a.get(1));
        if (!(a.get(2) instanceof Arr arr)) {
            // strace prints an address when nr < 0 or the array was unreadable
            return new CallArgs.IoSubmit(ctx, nr, List.of(), nr > 0);
        }
        List<TraceIocb> iocbs = new ArrayList<>();
        for (StraceValue v : arr.items()) iocbs.add(iocb(v, true));
        return new CallArgs.IoSubmit(ctx, nr, iocbs, arr.truncated());
    }

    private CallArgs ioGetevents(List<StraceValue> a, boolean withSigmask, Outcome outcome) {
        long ctx = number(arg(a, 0, withSigmask ? 6 : 5));
        long min = number(a.get(1));
        long nr = number(a.get(2));
        List<TraceIoEvent> events = new ArrayList<>();
        boolean truncated = false;
        if (a.get(3) instanceof Arr arr) {
            for (StraceValue v : arr.items()) events.add(event(v));
            truncated = arr.truncated();
        }
        Long got = outcome.value();
        if (got != null && got > 0) {
            // the result counts the events: strace shows them all, or some and "..."
            if (!truncated && got != events.size() || truncated && got < events.size()) {
                throw new TraceFormatException(line, "io_getevents returned " + got + " but strace shows " + events.size() + " events");
            }
            if (got > Math.max(nr, 0)) throw new TraceFormatException(line, "io_getevents returned " + got + " events, more than nr=" + nr);
        }
        TraceTimespec timeout = switch (a.get(4)) {
            case Struct ts -> new TraceTimespec(number(field(ts, "tv_sec")), number(field(ts, "tv_nsec")));
            case Sym s when s.text().equals("NULL") -> null;
            case Num n when n.value() == 0 -> null;
            default -> throw new TraceFormatException(line, "unreadable io_getevents timeout");
        };
        boolean sigmask = withSigmask && !(a.get(5) instanceof Sym s && s.text().equals("NULL"))
                && !(a.get(5) instanceof Num n && n.value() == 0);
        return new CallArgs.IoGetevents(ctx, min, nr, events, truncated, timeout, sigmask);
    }

    private CallArgs ioCancel(List<StraceValue> a) {
        long ctx = number(arg(a, 0, 3));
        TraceIocb iocb = iocb(a.get(1), false);
        TraceIoEvent result = a.get(2) instanceof Struct ? event(a.get(2)) : null;
        return new CallArgs.IoCancel(ctx, iocb, result);
    }

    private TraceIocb iocb(StraceValue v, boolean full) {
        if (!(v instanceof Struct st)) {
            throw new TraceFormatException(line, "unparsable iocb: strace printed " + show(v)
                    + " (it could not read the iocb), so it cannot be rebuilt");
        }
        if (st.truncated()) throw new TraceFormatException(line, "unparsable iocb: strace abbreviated it");
        long data = number(required(st, "aio_data"));
        int key = (int) optional(st, "aio_key", LinuxNames.NUMBER, 0);
        int rwFlags = (int) optional(st, "aio_rw_flags", LinuxNames.RWF_FLAGS, 0);
        int opcode = (int) flags(required(st, "aio_lio_opcode"), LinuxNames.IOCB_CMDS);
        int reqprio = st.get("aio_reqprio") == null ? 0 : ioprio(st.get("aio_reqprio"));
        FdRef fd = fd(required(st, "aio_fildes"));
        Long buf = null;
        TraceBytes bufData = null;
        List<TraceIovec> iov = null;
        long nbytes = 0;
        StraceValue b = st.get("aio_buf");
        if (b instanceof Arr arr) {
            if (arr.truncated()) {
                throw new TraceFormatException(line, "unparsable iocb: strace abbreviated its iovec array (raise -s)");
            }
            iov = new ArrayList<>();
            for (StraceValue e : arr.items()) iov.add(iovec(e));
            nbytes = iov.size();
        } else if (b instanceof Str s) {
            bufData = s.bytes();
        } else if (b != null) {
            buf = opcode == LinuxAioConstants.IOCB_CMD_POLL ? flags(b, LinuxNames.POLL_EVENTS) : number(b);
        }
        if (st.get("aio_nbytes") != null) nbytes = number(st.get("aio_nbytes"));
        long offset = optional(st, "aio_offset", LinuxNames.NUMBER, 0);
        int flags = (int) optional(st, "aio_flags", LinuxNames.IOCB_FLAGS, 0);
        FdRef resfd = st.get("aio_resfd") == null ? null : fd(st.get("aio_resfd"));
        if (full && b == null && needsBuffer(opcode)) {
            throw new TraceFormatException(line, "unparsable iocb: no aio_buf for " + AioStructs.opcodeName(opcode));
        }
        return new TraceIocb(data, key, rwFlags, opcode, reqprio, fd, buf, bufData, iov, nbytes, offset, flags, resfd, null);
    }

    private static boolean needsBuffer(int opcode) {
        return opcode == LinuxAioConstants.IOCB_CMD_PREAD || opcode == LinuxAioConstants.IOCB_CMD_PWRITE
                || opcode == LinuxAioConstants.IOCB_CMD_PREADV || opcode == LinuxAioConstants.IOCB_CMD_PWRITEV
                || opcode == LinuxAioConstants.IOCB_CMD_POLL;
    }

    private TraceIovec iovec(StraceValue v) {
        if (!(v instanceof Struct st)) throw new TraceFormatException(line, "unparsable iovec " + show(v));
        StraceValue base = required(st, "iov_base");
        long len = number(required(st, "iov_len"));
        return base instanceof Str s ? new TraceIovec(null, s.bytes(), len) : new TraceIovec(number(base), null, len);
    }

    private TraceIoEvent event(StraceValue v) {
        if (!(v instanceof Struct st)) throw new TraceFormatException(line, "unparsable io_event " + show(v));
        return new TraceIoEvent(number(required(st, "data")), number(required(st, "obj")),
                number(required(st, "res")), number(required(st, "res2")));
    }

    private int ioprio(StraceValue v) {
        if (v instanceof Num n) return (int) n.value();
        if (v instanceof Sym s) {
            Matcher m = IOPRIO.matcher(s.text());
            if (m.matches()) return (int) (LinuxNames.IOPRIO_CLASSES.parse(m.group(1)) << 13 | Integer.parseInt(m.group(2)));
        }
        throw new TraceFormatException(line, "unreadable aio_reqprio " + show(v));
    }

    private long ctxOut(StraceValue v, Outcome outcome) {
        if (v instanceof Arr arr && arr.items().size() == 1) return number(arr.items().getFirst());
        if (outcome.failed() || !outcome.known()) return 0;
        throw new TraceFormatException(line, "io_setup: unreadable context id " + show(v));
    }

    private List<FdRef> fdPair(StraceValue v, Outcome outcome) {
        if (v instanceof Arr arr && arr.items().size() == 2) return List.of(fd(arr.items().get(0)), fd(arr.items().get(1)));
        if (outcome.failed() || !outcome.known()) return List.of();
        throw new TraceFormatException(line, "unreadable fd pair " + show(v));
    }

    private FdRef fd(StraceValue v) {
        return switch (v) {
            case Num n -> new FdRef((int) n.value(), n.path());
            case Sym s -> new FdRef((int) flags(s, LinuxNames.AT_FLAGS), s.path());
            default -> throw new TraceFormatException(line, "expected a file descriptor, found " + show(v));
        };
    }

    private String string(StraceValue v) {
        if (v instanceof Str s) {
            if (s.bytes().truncated()) throw new TraceFormatException(line, "path abbreviated by strace");
            return new String(s.bytes().bytes(), StandardCharsets.UTF_8);
        }
        throw new TraceFormatException(line, "expected a path string, found " + show(v));
    }

    private TraceBytes bytesOrNull(StraceValue v) {
        return v instanceof Str s ? s.bytes() : null;
    }

    private long number(StraceValue v) {
        return flags(v, LinuxNames.NUMBER);
    }

    private long flags(StraceValue v, LinuxNames.Table table) {
        try {
            return switch (v) {
                case Num n -> n.value();
                case Sym s -> table.parse(s.text());
                default -> throw new TraceFormatException(line, "expected a number, found " + show(v));
            };
        } catch (IllegalArgumentException e) {
            throw new TraceFormatException(line, e.getMessage());
        }
    }

    private long optional(Struct st, String name, LinuxNames.Table table, long absent) {
        StraceValue v = st.get(name);
        return v == null ? absent : flags(v, table);
    }

    private StraceValue required(Struct st, String name) {
        StraceValue v = st.get(name);
        if (v == null) throw new TraceFormatException(line, "unparsable struct: no " + name + " field");
        return v;
    }

    private StraceValue field(Struct st, String name) {
        return required(st, name);
    }

    private StraceValue arg(List<StraceValue> a, int index, int expected) {
        if (a.size() < expected) {
            throw new TraceFormatException(line, "expected " + expected + " arguments, found " + a.size());
        }
        return a.get(index);
    }

    private static String show(StraceValue v) {
        return switch (v) {
            case Num n -> "0x" + Long.toHexString(n.value());
            case Sym s -> s.text();
            case Str s -> "a string";
            case Arr a -> "an array";
            case Struct s -> "a struct";
        };
    }
}
