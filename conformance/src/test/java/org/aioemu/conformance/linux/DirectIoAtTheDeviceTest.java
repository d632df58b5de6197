package org.aioemu.conformance.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import org.aioemu.core.host.HostConstants;
import org.aioemu.linux.IoEvent;
import org.aioemu.linux.Iocb;
import org.aioemu.linux.LinuxAioSyscalls;
import org.aioemu.linux.LinuxErrno;
import org.aioemu.linux.LinuxSubmitMode;
import org.aioemu.linux.kernel.HostKernelAio;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * O_DIRECT reads handed to the host's block layer at submit, as the kernel queues their bios
 * inside io_submit: io_cancel cannot reach them (the kernel's read kiocb has no ki_cancel, LNX-71),
 * every one completes in full, and a thread waiting in io_getevents gets them. The same sequence
 * runs on the host kernel in the same case and both transcripts must be equal.
 */
class DirectIoAtTheDeviceTest extends EmulatedLinuxCases {
    private static final int BLOCK = 4096;
    private static final int N = 32;

    @ParameterizedTest
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("aioemu: 32 O_DIRECT reads in one io_submit; io_cancel of each is EINVAL; io_getevents returns all 32 in full, as on the host kernel")
    void directReadsCannotBeCancelledAndAllComplete(LinuxSubmitMode mode) throws Exception {
        EmulatedProgram p = program(mode);
        Path file = dir.resolve("direct.dat");
        byte[] data = new byte[N * BLOCK];
        for (int i = 0; i < data.length; i++) data[i] = (byte) ('a' + i / BLOCK % 26);
        Files.write(file, data);
        int fd = p.open(file, HostConstants.O_RDONLY | HostConstants.O_DIRECT);
        Assumptions.assumeTrue(fd >= 0, "O_DIRECT is not supported on the temp file system");

        long deviceBefore = system.core().stats().deviceRuns();
        List<String> emulated = transcript(p.os, p, fd);
        List<String> kernel = transcript(new HostKernelAio(), p, fd);
        assertEquals(kernel, emulated);
        assertTrue(emulated.contains("cancel " + (-LinuxErrno.EINVAL) + " x" + N), emulated::toString);
        assertEquals(deviceBefore + N, system.core().stats().deviceRuns(), "all 32 went to the host's block layer");
    }

    /** The sequence on {@code os}: what each call returned, and the events by aio_data. */
    private static List<String> transcript(LinuxAioSyscalls os, EmulatedProgram p, int fd) {
        List<String> out = new ArrayList<>();
        MemorySegment ctxp = p.ctxVariable(0);
        out.add("setup " + os.ioSetup(2 * N, ctxp.address()));
        long ctx = ctxp.get(ValueLayout.JAVA_LONG, 0);
        MemorySegment[] iocbs = new MemorySegment[N];
        MemorySegment[] bufs = new MemorySegment[N];
        for (int i = 0; i < N; i++) {
            bufs[i] = p.bytes(BLOCK);
            iocbs[i] = IocbPrep.pread(p.iocb(), fd, bufs[i], (long) i * BLOCK);
            Iocb.aio_data(iocbs[i], 1000 + i);
        }
        out.add("submit " + os.ioSubmit(ctx, N, p.list(iocbs)));
        TreeMap<Long, Integer> cancels = new TreeMap<>();
        MemorySegment result = p.events(1);
        for (MemorySegment cb : iocbs) cancels.merge(os.ioCancel(ctx, cb.address(), result.address()), 1, Integer::sum);
        cancels.forEach((rc, n) -> out.add("cancel " + rc + " x" + n));
        MemorySegment events = p.events(N);
        TreeMap<Long, Long> byData = new TreeMap<>();
        long got = 0;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (got < N && System.nanoTime() < deadline) {
            long n = os.ioGetevents(ctx, 1, N, events.address(), p.timespec(5, 0));   // one at least: the waiting path
            if (n < 0) {
                out.add("getevents " + n);
                break;
            }
            for (int i = 0; i < n; i++) byData.put(IoEvent.data(events, i), IoEvent.res(events, i));
            got += n;
        }
        out.add("events " + got);
        byData.forEach((d, res) -> out.add(d + " -> " + res));
        for (int i = 0; i < N; i++) {
            byte expected = (byte) ('a' + i % 26);
            if (bufs[i].get(ValueLayout.JAVA_BYTE, 0) != expected || bufs[i].get(ValueLayout.JAVA_BYTE, BLOCK - 1) != expected) {
                out.add("block " + i + " holds the wrong data");
            }
            bufs[i].fill((byte) 0);
        }
        out.add("destroy " + os.ioDestroy(ctx));
        return out;
    }
}
