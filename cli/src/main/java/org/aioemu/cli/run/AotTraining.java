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
import org.aioemu.core.host.HostIo;
import org.aioemu.linux.IoEvent;
import org.aioemu.linux.Iocb;
import org.aioemu.linux.shim.LinuxShimEntry;

/**
 * The training run for the JVM that starts inside programs (JDK 25 AOT cache, JEP 483/514): does
 * what the shim's first calls do — install the Linux table, then io_setup, io_submit of a read,
 * io_getevents, io_destroy through the stubs — so the cache holds those classes loaded and linked.
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
            Files.write(file, new byte[8192]);
            int fd = HostIo.open(file.toString(), 2 /* O_RDWR */, 0);
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
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
