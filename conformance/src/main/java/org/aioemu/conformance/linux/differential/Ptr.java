package org.aioemu.conformance.linux.differential;

/**
 * A pointer a generated program hands to the kernel, named by what it points at rather than by
 * address, so that one sequence means the same thing in two worlds whose memory sits at
 * different addresses ({@link ProgramMemory#address(Ptr)} resolves it).
 */
public record Ptr(Kind kind, long offset) {
    public enum Kind {
        /** (void*)0 */
        NULL,
        /** an address above user space: access_ok fails */
        KERNEL,
        /** {@code offset} bytes into a PROT_NONE page */
        UNMAPPED,
        /** {@code offset} bytes into a PROT_READ page */
        READ_ONLY,
        /** {@code offset} bytes into the data region (I/O buffers) */
        DATA,
        /** {@code offset} bytes before a PROT_NONE page: a buffer whose tail is unmapped */
        BEFORE_UNMAPPED,
        /** iocb slot {@code offset} (slots from {@link ProgramMemory#READ_ONLY_SLOT0} live in the read-only page) */
        IOCB,
        /** the iovec array of iocb slot {@code offset} */
        IOVECS
    }

    public static final Ptr NULL = new Ptr(Kind.NULL, 0);
    public static final Ptr KERNEL = new Ptr(Kind.KERNEL, 0);

    public static Ptr unmapped(long offset) {
        return new Ptr(Kind.UNMAPPED, offset);
    }

    public static Ptr readOnly(long offset) {
        return new Ptr(Kind.READ_ONLY, offset);
    }

    public static Ptr data(long offset) {
        return new Ptr(Kind.DATA, offset);
    }

    public static Ptr beforeUnmapped(long bytes) {
        return new Ptr(Kind.BEFORE_UNMAPPED, bytes);
    }

    public static Ptr iocb(int slot) {
        return new Ptr(Kind.IOCB, slot);
    }

    public static Ptr iovecs(int slot) {
        return new Ptr(Kind.IOVECS, slot);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case NULL -> "NULL";
            case KERNEL -> "KERNEL";
            case UNMAPPED -> "unmapped+" + offset;
            case READ_ONLY -> "readonly+" + offset;
            case DATA -> "data+" + offset;
            case BEFORE_UNMAPPED -> "unmapped-" + offset;
            case IOCB -> "&iocb" + offset;
            case IOVECS -> "iov" + offset;
        };
    }
}
