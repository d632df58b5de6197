package org.aioemu.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.aioemu.core.host.FdInfo;
import org.aioemu.core.host.FdKind;

/**
 * The two per-file capabilities kiocb_set_rw_flags asks about before any other check of a read
 * or write (LNX-30): FMODE_NOWAIT for RWF_NOWAIT and FOP_DONTCACHE for RWF_DONTCACHE. A regular
 * file has them if its filesystem's open sets them, so the answer goes by the filesystem type
 * behind the fd's st_dev (from /proc/self/mountinfo). Probed on 6.18: ext4 files have both,
 * tmpfs files neither, ext4 directories neither; pipes and eventfds have FMODE_NOWAIT only;
 * /dev/null-style character devices neither.
 */
final class LinuxFileModes {
    private LinuxFileModes() {}

    /** Filesystems whose regular files get FMODE_NOWAIT at open (ext4 probed; the rest from their open methods). */
    private static final Set<String> NOWAIT_FS = Set.of("ext4", "ext3", "ext2", "xfs", "btrfs", "f2fs", "bcachefs");
    /** Filesystems whose file_operations carry FOP_DONTCACHE (ext4 probed; xfs from its fops). */
    private static final Set<String> DONTCACHE_FS = Set.of("ext4", "ext3", "ext2", "xfs");

    /** Filesystems whose buffered write_iter refuses IOCB_NOWAIT outright (ext4_buffered_write_iter: EOPNOTSUPP). */
    private static final Set<String> NO_BUFFERED_NOWAIT_WRITE_FS = Set.of("ext4", "ext3");

    private static final Map<Long, String> FS_BY_DEV = new ConcurrentHashMap<>();

    /** FMODE_NOWAIT: RWF_NOWAIT without it is EOPNOTSUPP at submit. */
    static boolean nowait(FdInfo info, boolean eventfd) {
        return switch (info.kind()) {
            case PIPE, SOCKET, BLOCK_DEVICE -> true;
            case REGULAR -> NOWAIT_FS.contains(fsType(info.dev()));
            case OTHER -> eventfd;
            default -> false;                                  // directories, character devices
        };
    }

    /** FOP_DONTCACHE: only page-cache filesystems that opted in; no pipe, socket or anon inode has it. */
    static boolean dontcache(FdInfo info) {
        return info.kind() == FdKind.REGULAR && DONTCACHE_FS.contains(fsType(info.dev()));
    }

    /**
     * Whether a buffered RWF_NOWAIT write to this file gets EOPNOTSUPP from the filesystem, in the
     * event: ext4 refuses before looking at the count, so even a zero-byte write does (probed by the
     * differential run), which the host's pwritev2 never shows, as it skips write_iter for zero bytes.
     */
    static boolean refusesBufferedNowaitWrite(FdInfo info) {
        return info.kind() == FdKind.REGULAR && !info.direct() && NO_BUFFERED_NOWAIT_WRITE_FS.contains(fsType(info.dev()));
    }

    private static String fsType(long dev) {
        return FS_BY_DEV.computeIfAbsent(dev, LinuxFileModes::lookup);
    }

    /** The fstype field of the mountinfo line whose major:minor is st_dev (new_encode_dev's split). */
    private static String lookup(long dev) {
        long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
        long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
        String id = major + ":" + minor;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length < 3 || !f[2].equals(id)) continue;
                int sep = line.indexOf(" - ");
                if (sep >= 0) return line.substring(sep + 3).split(" ")[0];
            }
        } catch (IOException e) {
            return "";
        }
        return "";
    }
}
