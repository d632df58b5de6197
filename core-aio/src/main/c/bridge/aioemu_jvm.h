/*
 * aioemu_jvm.h: the ABI-neutral half of every aioemu shim library. It starts a JVM inside the
 * program's process on the first AIO call, hands the JVM the ABI's function table to fill with
 * FFM upcall stubs, and takes care of what a JVM inside a C program must not break: exit
 * (the process's exit policy runs on exit()/_exit()/_Exit()), fork (the child has no AIO
 * state; a fresh JVM in a new link-map namespace if the child needs one), signals (SIGPIPE and
 * SIGXFSZ dispositions restored; program handlers chained through libjsig) and stdout (the JVM
 * never writes there). See shared/reference/native-bridge.md.
 *
 * Each ABI shim compiles aioemu_jvm.c into its own library (there is no separate .so) and
 * declares its table as a struct whose FIRST member is a struct aioemu_bridge:
 *
 *     struct linux_table { struct aioemu_bridge head; int (*io_setup)(...); ... };
 *
 * The Java class named by install_class has `public static void install(long table, long size)`;
 * org.aioemu.core.bridge.BridgeTable reads the head and fills the slots after it, in order, with
 * upcall stubs (8 bytes each).
 *
 * Environment read at JVM start (aioemu exec sets them):
 *   AIOEMU_JAVA_HOME   the JDK (lib/server/libjvm.so)          required
 *   AIOEMU_CLASSPATH   the class path (aioemu's cli jar)        required
 *   AIOEMU_AOT_CACHE   a JDK 25 AOT cache file for that jar     optional (JVM start 140-200 ms instead of 170-290)
 *   AIOEMU_JVM_OPTS    extra JVM options, space separated       optional (debugging)
 *   AIOEMU_EXIT_POLICY drain | cancel-then-drain | detach       read by the Java side
 */
#ifndef AIOEMU_JVM_H
#define AIOEMU_JVM_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What aioemu_jvm_state() answers. */
enum aioemu_jvm_state {
    AIOEMU_JVM_NONE = 0,     /* no AIO call yet: no JVM */
    AIOEMU_JVM_UP = 1,       /* the JVM runs and the table is filled */
    AIOEMU_JVM_FAILED = -1,  /* start failed (one line went to stderr); every call answers ENOSYS */
    AIOEMU_JVM_FORKED = 2    /* a fork child of a process whose JVM had started: that JVM is dead here */
};

/*
 * The head of every ABI's table (offsets fixed: the Java side reads them; 48 bytes).
 * "C:" fields are filled by aioemu_jvm_start before install runs; "Java:" fields by install.
 */
struct aioemu_bridge {
    uint64_t table_size;                                   /*  0 C: bytes of the whole table, head included */
    volatile int32_t *jvm_exiting;                         /*  8 C: the JVM's shutdown hook stores 1 here */
    long (*safe_copy)(void *dst, const void *src, size_t n); /* 16 C: copy that returns -EFAULT instead of faulting, else n */
    void (*on_exit)(int32_t status);                       /* 24 Java: apply the process's exit policy; status -1 if unknown */
    int (*interrupting)(void);                             /* 32 C: aioemu_interrupting, for the Java sleeps */
    void (*thread_start_mask)(int starting);               /* 40 C: aioemu_thread_start_mask, around a Java thread start */
    int (*wait_signalfd)(int fd);                          /* 48 C: aioemu_wait_signalfd, for the Java sleeps */
};

/*
 * Makes sure the JVM is up for this process and the table filled; cheap once it is
 * (an atomic load). Returns 0 when the table may be called, -1 otherwise (failed start, a
 * forked child that cannot get a fresh JVM, or the JVM is shutting down); the first failure
 * prints one line on stderr. Thread-safe: concurrent first calls start one JVM.
 */
int aioemu_jvm_start(const char *install_class, struct aioemu_bridge *table);

/* One of enum aioemu_jvm_state, without starting anything. */
int aioemu_jvm_state(void);

/* 1 once the JVM began shutting down (its shutdown hook ran): calls must not enter it any more. */
int aioemu_jvm_exiting(void);

/* Fault-safe copy (the kernel's exception-table idea): n, or -EFAULT (-14) if any byte faults. */
long aioemu_safe_copy(void *dst, const void *src, size_t n);

/*
 * Signals during a call that may sleep. A host signal cannot wake a thread asleep in the JVM (a
 * Java park or condition wait resumes after the handler), so such a call runs with every
 * asynchronous signal blocked on the calling thread (the call mask: all but SIGSEGV, SIGBUS,
 * SIGFPE, SIGILL, SIGTRAP, SIGSYS and the JVM's _JAVA_SR_SIGNUM), the Java sleep polls a
 * signalfd (table->wait_signalfd) beside its wake-up eventfd and asks table->interrupting()
 * (= aioemu_interrupting) when it turns readable, and at least every second
 * (org.aioemu.core.bridge.HostSignalSleep), and the call ends with the ABI's EINTR; the handler runs when the mask is restored, before the
 * call returns to the program. The JVM's threads are started with the call mask too (so are the
 * threads they start), so a program's signal is never taken by a JVM thread.
 *
 *   sigset_t old;
 *   aioemu_signals_block(&old, NULL);        // or the call's own mask (Linux io_pgetevents)
 *   r = table->call(...);                    // Java may end its sleep with EINTR
 *   aioemu_signals_restore(&old, r == -EINTR);
 *
 * Two rt_sigprocmask per call (0.6-0.8 us): only for calls that may sleep.
 */

/* Blocks the call mask on the calling thread; *old gets the thread's mask. The mask that decides
   which pending signals end the sleep is wait_mask if not NULL (the call's own mask, as
   io_pgetevents' sigmask replaces the thread's for the wait), else *old. */
void aioemu_signals_block(sigset_t *old, const sigset_t *wait_mask);

/* Ends aioemu_signals_block: the thread's mask is *old again. With deliver_under_wait_mask and a
   wait_mask given, the mask is first set to wait_mask, so a pending signal it lets through is
   delivered (its handler runs) as the kernel delivers it before restoring the saved mask. */
void aioemu_signals_restore(const sigset_t *old, int deliver_under_wait_mask);

/* Asked on the sleeping thread, inside aioemu_signals_block only (else 0): a pending signal
   (the thread's or the process's) that the wait mask lets through and that would do something
   (a handler, or a default action that ends the process), or 0. */
int aioemu_interrupting(void);

/* Inside aioemu_signals_block only (else -EINVAL): with fd < 0, a new signalfd (non-blocking,
   close-on-exec) readable while a signal of the call mask that the wait mask lets through is
   pending for this thread or the process; with fd >= 0, narrows that one: the signals pending
   now stop counting (the caller asks after aioemu_interrupting found that none of them would do
   anything, so that a pending ignored signal does not wake the sleep over and over). The fd, or
   -errno. */
int aioemu_wait_signalfd(int fd);

/* 1 if the signal aioemu_interrupting last reported on this thread has a handler with SA_RESTART. */
int aioemu_interrupt_restarts(void);

/* Around the start of a thread from Java (starting 1, then 0): the new thread inherits the call
   mask, also when the starting thread is a program thread in a call that runs with its own mask
   (Linux io_submit starting a worker). Nests. */
void aioemu_thread_start_mask(int starting);

#ifdef __cplusplus
}
#endif
#endif
