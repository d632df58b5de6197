package org.aioemu.cli.run;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;

import org.aioemu.core.bridge.BridgeTable;
import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.aioemu.linux.IoEvent;
import org.aioemu.linux.Iocb;
import org.aioemu.linux.LinuxAioConstants;
import org.aioemu.linux.shim.LinuxShimEntry;

/**
 * The training run for the JVM that starts inside programs (JDK 25 AOT cache, JEP 483/514): does
 * what the shim's first calls do — install the Linux table, then io_setup, io_submit of a read,
 * io_getevents, io_destroy through the stubs — so the cache holds those classes loaded and linked,
 * then O_DIRECT reads at depth 32, whose profiles (JEP 515) let the JIT compile that path at once:
 * fio's O_DIRECT randread on aioemu did 7.7k, 8.7k, 19.7k, 34.5k IOPS in its first four seconds
 * without them, 23k, 31k, 42k, 45k with. (20,000 buffered calls instead of 200 changed nothing.)
 * Run by {@link AotCache} with -XX:AOTCacheOutput and the embedded JVM's options.
 */
public final class AotTraining {
    private AotTraining() {}

    /** The training's interrupting(): no host signal is ever pending. */
    private static int noSignal() {
        return 0;
    }

    public static void main(String[] args) throws Throwable {
        Arena arena = Arena.global();
        long size = BridgeTable.size(LinuxShimEntry.SLOTS);
        MemorySegment table = arena.allocate(size, 8);
        table.set(JAVA_LONG, 0, size);
        table.set(ADDRESS, BridgeTable.HEAD.byteOffset(MemoryLayout.PathElement.groupElement("jvm_exiting")),
                arena.allocate(4, 4));   // safe_copy stays NULL
        // interrupting(): the Linux table needs one since host signals end io_getevents waits; without
        // it install() threw, the training exited 1, and no run ever had a cache (nor its profiles)
        table.set(ADDRESS, BridgeTable.HEAD.byteOffset(MemoryLayout.PathElement.groupElement("interrupting")),
                Linker.nativeLinker().upcallStub(MethodHandles.lookup().findStatic(AotTraining.class, "noSignal", MethodType.methodType(int.class)),
                        FunctionDescriptor.of(JAVA_INT), arena));
        LinuxShimEntry.install(table.address(), size);
        Linker linker = Linker.nativeLinker();
        MethodHandle setup = linker.downcallHandle(table.get(ADDRESS, BridgeTable.offset(LinuxShimEntry.SETUP)), LinuxShimEntry.SETUP_FD);
        MethodHandle destroy = linker.downcallHandle(table.get(ADDRESS, BridgeTable.offset(LinuxShimEntry.DESTROY)), LinuxShimEntry.DESTROY_FD);
        MethodHandle submit = linker.downcallHandle(table.get(ADDRESS, BridgeTable.offset(LinuxShimEntry.SUBMIT)), LinuxShimEntry.SUBMIT_FD);
        MethodHandle getevents = linker.downcallHandle(table.get(ADDRESS, BridgeTable.offset(LinuxShimEntry.GETEVENTS)),
                LinuxShimEntry.GETEVENTS_FD);
        Path file = Files.createTempFile("aioemu-aot", ".dat");
        try {
            Files.write(file, new byte[DIRECT_BATCH * 4096]);
            int fd = HostIo.open(file.toString(), HostConstants.O_RDWR, 0);
            MemorySegment ctxp = arena.allocate(8, 8);
            MemorySegment buf = arena.allocate(4096, 4096);
            MemorySegment iocb = arena.allocate(Iocb.LAYOUT);
            MemorySegment list = arena.allocate(8, 8);
            MemorySegment events = arena.allocate(IoEvent.LAYOUT, 4);
            MemorySegment zero = arena.allocate(16, 8);
            long rc = (long) setup.invokeExact(8, ctxp.address());
            long ctx = ctxp.get(JAVA_LONG, 0);
            for (int i = 0; i < 200 && rc == 0; i++) {
                Iocb.aio_lio_opcode(iocb, i % 2);                  // PREAD, PWRITE
                Iocb.aio_fildes(iocb, fd);
                Iocb.aio_buf(iocb, buf.address());
                Iocb.aio_nbytes(iocb, 4096);
                list.set(ADDRESS, 0, iocb);
                long n = (long) submit.invokeExact(ctx, 1L, list.address());
                long got = (long) getevents.invokeExact(ctx, n, 4L, events.address(), 0L);
                long none = (long) getevents.invokeExact(ctx, 0L, 4L, events.address(), zero.address());
                if (got < 0 || none < 0) break;
            }
            long d = (long) destroy.invokeExact(ctx);
            HostIo.close(fd);
            if (d != 0) throw new IllegalStateException("io_destroy " + d);
            trainDirect(file, setup, submit, getevents, destroy, arena);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static final int DIRECT_BATCH = 32;

    /**
     * O_DIRECT reads in batches of 32, reaped with waits, as fio's iodepth-32 jobs do: their path
     * (the block layer, device waits) gets its classes and profiles into the cache too, which
     * shortens the JIT's warm-up of a program's first seconds. Skipped where O_DIRECT is refused.
     */
    private static void trainDirect(Path file, MethodHandle setup, MethodHandle submit, MethodHandle getevents,
                                    MethodHandle destroy, Arena arena) throws Throwable {
        int fd = HostIo.open(file.toString(), HostConstants.O_RDONLY | HostConstants.O_DIRECT, 0);
        if (fd < 0) return;
        try {
            MemorySegment ctxp = arena.allocate(8, 8);
            if ((long) setup.invokeExact(DIRECT_BATCH * 2, ctxp.address()) != 0) return;
            long ctx = ctxp.get(JAVA_LONG, 0);
            MemorySegment bufs = arena.allocate((long) DIRECT_BATCH * 4096, 4096);
            MemorySegment iocbs = arena.allocate(Iocb.LAYOUT, DIRECT_BATCH);
            MemorySegment list = arena.allocate(ADDRESS, DIRECT_BATCH);
            MemorySegment events = arena.allocate(IoEvent.LAYOUT, DIRECT_BATCH);
            for (int i = 0; i < DIRECT_BATCH; i++) {
                MemorySegment cb = iocbs.asSlice(i * Iocb.SIZE, Iocb.SIZE);
                Iocb.aio_lio_opcode(cb, LinuxAioConstants.IOCB_CMD_PREAD);
                Iocb.aio_fildes(cb, fd);
                Iocb.aio_buf(cb, bufs.address() + i * 4096L);
                Iocb.aio_nbytes(cb, 4096);
                Iocb.aio_offset(cb, i * 4096L);
                list.setAtIndex(ADDRESS, i, cb);
            }
            for (int round = 0; round < 400; round++) {
                for (int i = 0; i < DIRECT_BATCH; i++) {
                    if ((long) submit.invokeExact(ctx, 1L, list.address() + i * 8L) != 1) return;
                }
                for (long got = 0; got < DIRECT_BATCH; ) {
                    long n = (long) getevents.invokeExact(ctx, 1L, (long) DIRECT_BATCH, events.address(), 0L);
                    if (n < 0) return;
                    got += n;
                }
            }
            long d = (long) destroy.invokeExact(ctx);
            if (d != 0) throw new IllegalStateException("io_destroy " + d);
        } finally {
            HostIo.close(fd);
        }
    }
}
