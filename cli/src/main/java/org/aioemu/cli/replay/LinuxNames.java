package org.aioemu.cli.replay;

import java.util.LinkedHashMap;
import java.util.Map;
import org.aioemu.core.host.HostErrno;

/**
 * The symbolic names strace prints for Linux x86_64 constants, so traces taken without
 * {@code -X verbose} (which prints only names) decode to the same numbers as those taken with it.
 * These are the traced program's ABI, not the host's, even though on this host they coincide.
 */
public final class LinuxNames {
    private LinuxNames() {}

    /** Names with their values; parses strace's "A|B|0x40" flag expressions. */
    public static final class Table {
        private final String what;
        private final Map<String, Long> values = new LinkedHashMap<>();

        Table(String what, Object... namesAndValues) {
            this.what = what;
            for (int i = 0; i < namesAndValues.length; i += 2) {
                values.put((String) namesAndValues[i], ((Number) namesAndValues[i + 1]).longValue());
            }
        }

        /** The value of "O_RDWR|O_DIRECT", "0x80000", "IOCB_CMD_PREAD" or "0"; throws IllegalArgumentException on an unknown name. */
        public long parse(String expr) {
            long v = 0;
            for (String part : expr.split("\\|")) {
                String p = part.strip();
                Long named = values.get(p);
                if (named != null) v |= named;
                else if (!p.isEmpty() && (Character.isDigit(p.charAt(0)) || p.charAt(0) == '-')) v |= parseNumber(p);
                else throw new IllegalArgumentException("unknown " + what + " name '" + p + "'");
            }
            return v;
        }
    }

    public static final Table OPEN_FLAGS = new Table("open flag",
            "O_RDONLY", 0, "O_WRONLY", 01, "O_RDWR", 02, "O_ACCMODE", 03, "O_CREAT", 0100, "O_EXCL", 0200,
            "O_NOCTTY", 0400, "O_TRUNC", 01000, "O_APPEND", 02000, "O_NONBLOCK", 04000, "O_NDELAY", 04000,
            "O_DSYNC", 010000, "O_ASYNC", 020000, "FASYNC", 020000, "O_DIRECT", 040000, "O_LARGEFILE", 0100000,
            "O_DIRECTORY", 0200000, "O_NOFOLLOW", 0400000, "O_NOATIME", 01000000, "O_CLOEXEC", 02000000,
            "O_SYNC", 04010000, "__O_SYNC", 04000000, "O_PATH", 010000000, "O_TMPFILE", 020200000,
            "__O_TMPFILE", 020000000);
    public static final Table AT_FLAGS = new Table("at flag",
            "AT_FDCWD", FdRef.AT_FDCWD, "AT_SYMLINK_NOFOLLOW", 0x100, "AT_REMOVEDIR", 0x200,
            "AT_SYMLINK_FOLLOW", 0x400, "AT_EMPTY_PATH", 0x1000);
    public static final Table IOCB_CMDS = new Table("iocb opcode",
            "IOCB_CMD_PREAD", 0, "IOCB_CMD_PWRITE", 1, "IOCB_CMD_FSYNC", 2, "IOCB_CMD_FDSYNC", 3,
            "IOCB_CMD_PREADX", 4, "IOCB_CMD_POLL", 5, "IOCB_CMD_NOOP", 6, "IOCB_CMD_PREADV", 7,
            "IOCB_CMD_PWRITEV", 8);
    public static final Table IOCB_FLAGS = new Table("iocb flag",
            "IOCB_FLAG_RESFD", 1, "IOCB_FLAG_IOPRIO", 2);
    public static final Table RWF_FLAGS = new Table("RWF flag",
            "RWF_HIPRI", 0x1, "RWF_DSYNC", 0x2, "RWF_SYNC", 0x4, "RWF_NOWAIT", 0x8, "RWF_APPEND", 0x10,
            "RWF_NOAPPEND", 0x20, "RWF_ATOMIC", 0x40, "RWF_DONTCACHE", 0x80);
    public static final Table POLL_EVENTS = new Table("poll event",
            "POLLIN", 0x1, "POLLPRI", 0x2, "POLLOUT", 0x4, "POLLERR", 0x8, "POLLHUP", 0x10, "POLLNVAL", 0x20,
            "POLLRDNORM", 0x40, "POLLRDBAND", 0x80, "POLLWRNORM", 0x100, "POLLWRBAND", 0x200,
            "POLLMSG", 0x400, "POLLREMOVE", 0x1000, "POLLRDHUP", 0x2000);
    public static final Table EFD_FLAGS = new Table("eventfd flag",
            "EFD_SEMAPHORE", 1, "EFD_NONBLOCK", 04000, "EFD_CLOEXEC", 02000000);
    public static final Table PIPE_FLAGS = new Table("pipe flag",
            "O_NONBLOCK", 04000, "O_CLOEXEC", 02000000, "O_DIRECT", 040000, "O_NOTIFICATION_PIPE", 040000);
    public static final Table SOCKET_DOMAINS = new Table("address family",
            "AF_UNSPEC", 0, "AF_UNIX", 1, "AF_LOCAL", 1, "AF_INET", 2, "AF_INET6", 10, "AF_NETLINK", 16);
    public static final Table SOCKET_TYPES = new Table("socket type",
            "SOCK_STREAM", 1, "SOCK_DGRAM", 2, "SOCK_RAW", 3, "SOCK_RDM", 4, "SOCK_SEQPACKET", 5,
            "SOCK_NONBLOCK", 04000, "SOCK_CLOEXEC", 02000000);
    public static final Table SOCKET_PROTOCOLS = new Table("protocol",
            "IPPROTO_IP", 0, "IPPROTO_TCP", 6, "IPPROTO_UDP", 17);
    public static final Table FALLOC_FLAGS = new Table("fallocate mode",
            "FALLOC_FL_KEEP_SIZE", 0x1, "FALLOC_FL_PUNCH_HOLE", 0x2, "FALLOC_FL_NO_HIDE_STALE", 0x4,
            "FALLOC_FL_COLLAPSE_RANGE", 0x8, "FALLOC_FL_ZERO_RANGE", 0x10, "FALLOC_FL_INSERT_RANGE", 0x20,
            "FALLOC_FL_UNSHARE_RANGE", 0x40, "FALLOC_FL_WRITE_ZEROES", 0x80);
    public static final Table IOPRIO_CLASSES = new Table("ioprio class",
            "IOPRIO_CLASS_NONE", 0, "IOPRIO_CLASS_RT", 1, "IOPRIO_CLASS_BE", 2, "IOPRIO_CLASS_IDLE", 3);
    /** For numbers strace prints bare (counts, lengths, offsets): no names allowed. */
    public static final Table NUMBER = new Table("number");

    // Kernel-internal restart codes strace can show for an interrupted call (include/linux/errno.h).
    private static final Map<String, Integer> KERNEL_ONLY = Map.of(
            "ERESTARTSYS", 512, "ERESTARTNOINTR", 513, "ERESTARTNOHAND", 514, "ENOIOCTLCMD", 515,
            "ERESTART_RESTARTBLOCK", 516);

    /** The Linux errno for a name; -1 if it is not one. */
    public static int errnoNumber(String name) {
        Integer k = KERNEL_ONLY.get(name);
        return k != null ? k : HostErrno.number(name);
    }

    public static String errnoName(int errno) {
        for (Map.Entry<String, Integer> e : KERNEL_ONLY.entrySet()) {
            if (e.getValue() == errno) return e.getKey();
        }
        return HostErrno.name(errno);
    }

    /** Whether a recorded errno means "a signal interrupted the call", which a replay cannot reproduce. */
    public static boolean interrupted(long result) {
        return result == -HostErrno.number("EINTR") || (result <= -512 && result >= -516);
    }

    /** strace's number forms: decimal, 0x hex, 0-prefixed octal, negative, and unsigned 64-bit hex. */
    public static long parseNumber(String s) {
        boolean neg = s.startsWith("-");
        String t = neg ? s.substring(1) : s;
        long v;
        if (t.startsWith("0x") || t.startsWith("0X")) v = Long.parseUnsignedLong(t.substring(2), 16);
        else if (t.length() > 1 && t.startsWith("0")) v = Long.parseUnsignedLong(t.substring(1), 8);
        else v = Long.parseUnsignedLong(t);
        return neg ? -v : v;
    }
}
