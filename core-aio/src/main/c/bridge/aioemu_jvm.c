/*
 * aioemu_jvm.c: starts the JVM inside a C program and keeps it out of the program's way.
 * Why each step is done this way is recorded in shared/reference/native-bridge.md (section
 * numbers below); the contract is in aioemu_jvm.h.
 */
#define _GNU_SOURCE
#include "aioemu_jvm.h"

#include <dlfcn.h>
#include <errno.h>
#include <jni.h>
#include <link.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))
#define MAX_OPTIONS 24

/* ---- fault-safe copy (§6): a fault on the one copy instruction resumes at the fixup ----------- */

__asm__(".text\n"
        ".globl aioemu_safe_copy\n.type aioemu_safe_copy,@function\n"
        "aioemu_safe_copy:\n"
        "  mov %rdx,%rcx\n"
        "  mov %rdx,%rax\n"
        ".globl aioemu_copy_insn\n.hidden aioemu_copy_insn\n"
        "aioemu_copy_insn:\n"
        "  rep movsb\n"
        "  ret\n"
        ".globl aioemu_copy_fixup\n.hidden aioemu_copy_fixup\n"
        "aioemu_copy_fixup:\n"
        "  mov $-14,%rax\n"
        "  ret\n"
        ".size aioemu_safe_copy, .-aioemu_safe_copy\n");
extern char aioemu_copy_insn[], aioemu_copy_fixup[];

/* The kernel's struct sigaction, for raw rt_sigaction: libjsig must not file ours as the program's. */
struct ksigaction {
    void *handler;
    unsigned long flags;
    void *restorer;
    unsigned long mask;
};

static int raw_sigaction(int sig, const struct ksigaction *act, struct ksigaction *old) {
    return (int)syscall(SYS_rt_sigaction, sig, act, old, sizeof(unsigned long));
}

static struct ksigaction prev_segv, prev_bus;

static void on_fault(int sig, siginfo_t *si, void *ucv) {
    ucontext_t *uc = ucv;
    if ((char *)uc->uc_mcontext.gregs[REG_RIP] == aioemu_copy_insn) {
        uc->uc_mcontext.gregs[REG_RIP] = (greg_t)aioemu_copy_fixup;
        return;
    }
    struct ksigaction *p = sig == SIGBUS ? &prev_bus : &prev_segv;
    if (p->handler == SIG_DFL || p->handler == SIG_IGN) {
        /* nobody else handles it: die of it as the program would have (the fault repeats) */
        struct ksigaction dfl = {SIG_DFL, 0, NULL, 0};
        raw_sigaction(sig, &dfl, NULL);
        return;
    }
    if (p->flags & SA_SIGINFO) ((void (*)(int, siginfo_t *, void *))p->handler)(sig, si, ucv);
    else ((void (*)(int))p->handler)(sig);
}

#define KSA_RESTORER 0x04000000  /* the kernel's SA_RESTORER: glibc hides it */

static void put_in_front(int sig, struct ksigaction *prev) {
    raw_sigaction(sig, NULL, prev);
    if (prev->handler == (void *)on_fault || !(prev->flags & KSA_RESTORER)) return;   /* no restorer to borrow */
    struct ksigaction mine = *prev;
    mine.handler = (void *)on_fault;
    mine.flags |= SA_SIGINFO | SA_ONSTACK;
    raw_sigaction(sig, &mine, NULL);
}

/* In front of the JVM's SIGSEGV/SIGBUS handlers, with their flags, mask and glibc restorer. */
static void install_fault_handler(void) {
    put_in_front(SIGSEGV, &prev_segv);
    put_in_front(SIGBUS, &prev_bus);
}

/* ---- signals during a call that may sleep (contract in aioemu_jvm.h) ------------------------ */

static sigset_t call_mask;
static pthread_once_t call_mask_once = PTHREAD_ONCE_INIT;

/* Everything but the synchronous fault signals (blocking those turns a fault into death) and the
   JVM's suspend/resume signal (_JAVA_SR_SIGNUM, SIGUSR2 by default). */
static void init_call_mask(void) {
    sigfillset(&call_mask);
    static const int keep[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS};
    for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) sigdelset(&call_mask, keep[i]);
    const char *sr = getenv("_JAVA_SR_SIGNUM");
    int srsig = sr && *sr ? atoi(sr) : SIGUSR2;
    if (srsig > 0 && srsig < _NSIG) sigdelset(&call_mask, srsig);
}

static const sigset_t *the_call_mask(void) {
    pthread_once(&call_mask_once, init_call_mask);
    return &call_mask;
}

/* The calling thread's mask for the sleep (its own, or the call's), while it is inside
   aioemu_signals_block; what aioemu_interrupting compares the pending signals with. */
static __thread sigset_t wait_mask;
static __thread int in_call;          /* inside aioemu_signals_block */
static __thread int own_wait_mask;    /* wait_mask is the call's, not the thread's */
static __thread int interrupt_restarts;

EXPORT void aioemu_signals_block(sigset_t *old, const sigset_t *call_wait_mask) {
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, the_call_mask(), old, _NSIG / 8);
    wait_mask = call_wait_mask ? *call_wait_mask : *old;
    own_wait_mask = call_wait_mask != NULL;
    interrupt_restarts = 0;
    in_call = 1;
}

EXPORT void aioemu_signals_restore(const sigset_t *old, int deliver_under_wait_mask) {
    in_call = 0;
    if (deliver_under_wait_mask && own_wait_mask) syscall(SYS_rt_sigprocmask, SIG_SETMASK, &wait_mask, NULL, _NSIG / 8);
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, old, NULL, _NSIG / 8);
}

EXPORT int aioemu_interrupting(void) {
    if (!in_call) return 0;
    sigset_t pending;
    if (sigpending(&pending) != 0) return 0;
    for (int sig = 1; sig < _NSIG; sig++) {
        if (!sigismember(&pending, sig) || sigismember(&wait_mask, sig)) continue;
        struct sigaction sa;   /* through libjsig: the program's own disposition */
        if (sigaction(sig, NULL, &sa) != 0 || sa.sa_handler == SIG_IGN) continue;
        if (sa.sa_handler == SIG_DFL) {
            if (sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH) continue;   /* ignored by default */
            if (sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) continue;                    /* stops, later */
        }
        interrupt_restarts = sa.sa_handler != SIG_DFL && (sa.sa_flags & SA_RESTART);
        return sig;
    }
    return 0;
}

EXPORT int aioemu_interrupt_restarts(void) { return interrupt_restarts; }

static __thread sigset_t signalfd_mask;   /* what the thread's wait signalfd counts */

EXPORT int aioemu_wait_signalfd(int fd) {
    if (!in_call) return -EINVAL;
    if (fd < 0) {
        signalfd_mask = *the_call_mask();
        for (int sig = 1; sig < _NSIG; sig++)
            if (sigismember(&wait_mask, sig)) sigdelset(&signalfd_mask, sig);
    } else {
        sigset_t pending;
        if (sigpending(&pending) != 0) return -errno;
        for (int sig = 1; sig < _NSIG; sig++)
            if (sigismember(&pending, sig)) sigdelset(&signalfd_mask, sig);
    }
    int r = signalfd(fd, &signalfd_mask, SFD_NONBLOCK | SFD_CLOEXEC);
    return r < 0 ? -errno : r;
}

static __thread sigset_t before_thread_start;
static __thread int thread_start_depth;

EXPORT void aioemu_thread_start_mask(int starting) {
    if (starting) {
        if (thread_start_depth++ == 0)
            syscall(SYS_rt_sigprocmask, SIG_SETMASK, the_call_mask(), &before_thread_start, _NSIG / 8);
    } else if (thread_start_depth > 0 && --thread_start_depth == 0) {
        syscall(SYS_rt_sigprocmask, SIG_SETMASK, &before_thread_start, NULL, _NSIG / 8);
    }
}

/* ---- state ------------------------------------------------------------------------------------ */

static volatile int state = AIOEMU_JVM_NONE;
static volatile int32_t jvm_exiting;
static volatile int exit_hook_done;
static pid_t jvm_pid;
static struct aioemu_bridge *the_table;
static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;
static int hooks_registered;
static int failure_reported;

/* A JVM in a fresh link-map namespace has its own libc, whose per-thread ctype tables are only
   set up on threads it created: every other thread calls its __ctype_init once (§3). */
static void (*ns_ctype_init)(void);
static __thread int ns_thread_ready;

/* ---- program threads (§2) ---------------------------------------------------------------------- */

/*
 * Program threads are attached here, as daemons, before their first upcall. Left to the upcall
 * stubs, HotSpot attaches the thread itself and registers a C++ thread_local destructor that
 * detaches it at thread exit; exit() runs those destructors for the main thread too, so in a
 * forked child the main thread detached from its copy of the parent's JVM, whose locks may be
 * held by threads fork did not copy: the child hung in exit() (1 run in 5 here). Our own pthread
 * key destructor runs only at a thread's exit, and only in the process that started the JVM.
 */
static JavaVM *the_vm;
static __thread JavaVM *attached_to;
static pthread_key_t detach_key;
static pthread_once_t detach_key_once = PTHREAD_ONCE_INIT;
static int detach_key_made;

static void detach_at_thread_exit(void *vm) {
    if (vm != the_vm || getpid() != jvm_pid || state != AIOEMU_JVM_UP || jvm_exiting) return;
    (*the_vm)->DetachCurrentThread(the_vm);
}

static void make_detach_key(void) { detach_key_made = pthread_key_create(&detach_key, detach_at_thread_exit) == 0; }

/* Attaches the calling thread once; if that fails the upcall stub attaches it as before. */
static void attach_self(void) {
    JavaVM *vm = the_vm;
    if (attached_to == vm || vm == NULL) return;
    JNIEnv *env;
    if ((*vm)->AttachCurrentThreadAsDaemon(vm, (void **)&env, NULL) != JNI_OK) return;
    attached_to = vm;
    pthread_once(&detach_key_once, make_detach_key);
    if (detach_key_made) pthread_setspecific(detach_key, vm);
}

struct start_args {
    const char *install_class;
    int fresh_namespace;
    char error[600];
};

static void report_once(const char *msg) {
    if (failure_reported) return;
    failure_reported = 1;
    /* stderr only, one line: the program's stdout stays the program's */
    dprintf(2, "aioemu: %s\n", msg);
}

/* ---- exit (§4) -------------------------------------------------------------------------------- */

static void run_exit_policy(int status) {
    if (__atomic_load_n(&state, __ATOMIC_ACQUIRE) != AIOEMU_JVM_UP || jvm_exiting) return;
    if (getpid() != jvm_pid) return;                       /* a vfork child shares our memory */
    if (__atomic_exchange_n(&exit_hook_done, 1, __ATOMIC_ACQ_REL)) return;
    if (the_table && the_table->on_exit) {
        if (ns_ctype_init && !ns_thread_ready) { ns_ctype_init(); ns_thread_ready = 1; }
        the_table->on_exit(status);
    }
}

static void shim_atexit(void) { run_exit_policy(-1); }

EXPORT void _exit(int status) {
    run_exit_policy(status);
    for (;;) syscall(SYS_exit_group, status);
}

EXPORT void _Exit(int status) {
    run_exit_policy(status);
    for (;;) syscall(SYS_exit_group, status);
}

/* ---- fork (§3) -------------------------------------------------------------------------------- */

static void child_after_fork(void) {
    if (state == AIOEMU_JVM_UP || state == AIOEMU_JVM_FORKED) state = AIOEMU_JVM_FORKED;
    pthread_mutex_init(&init_lock, NULL);
    ns_thread_ready = 0;
    attached_to = NULL;                 /* the parent's JVM is not ours to use or detach from */
    if (detach_key_made) pthread_setspecific(detach_key, NULL);
    exit_hook_done = 0;
    jvm_exiting = 0;
    failure_reported = 0;
}

/* ---- JVM start (§1.2) ------------------------------------------------------------------------- */

static int add_opts_from_env(JavaVMOption *o, int n, char *buf, size_t bufsize) {
    const char *extra = getenv("AIOEMU_JVM_OPTS");
    if (!extra || !*extra) return n;
    snprintf(buf, bufsize, "%s", extra);
    for (char *save = NULL, *t = strtok_r(buf, " \t", &save); t && n < MAX_OPTIONS; t = strtok_r(NULL, " \t", &save)) {
        o[n++].optionString = t;
    }
    return n;
}

static void *create_vm(void *argp) {
    struct start_args *a = argp;
    const char *jh = getenv("AIOEMU_JAVA_HOME");
    const char *cp = getenv("AIOEMU_CLASSPATH");
    if (!jh || !*jh || !cp || !*cp) {
        snprintf(a->error, sizeof a->error,
                 "AIOEMU_JAVA_HOME and AIOEMU_CLASSPATH must be set (run the program with 'aioemu exec'); AIO calls fail with ENOSYS");
        return NULL;
    }
    char lib[4096];
    snprintf(lib, sizeof lib, "%s/lib/server/libjvm.so", jh);
    void *h = a->fresh_namespace ? dlmopen(LM_ID_NEWLM, lib, RTLD_NOW | RTLD_LOCAL) : dlopen(lib, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(a->error, sizeof a->error, "cannot load the JVM: %s", dlerror());
        return NULL;
    }
    if (a->fresh_namespace) {
        Lmid_t lm;
        if (dlinfo(h, RTLD_DI_LMID, &lm) == 0) {
            void *libc2 = dlmopen(lm, "libc.so.6", RTLD_NOW | RTLD_NOLOAD);
            if (libc2) ns_ctype_init = (void (*)(void))dlsym(libc2, "__ctype_init");
        }
        if (ns_ctype_init) { ns_ctype_init(); ns_thread_ready = 1; }
    }
    jint (*create)(JavaVM **, void **, void *) = (jint(*)(JavaVM **, void **, void *))dlsym(h, "JNI_CreateJavaVM");
    if (!create) {
        snprintf(a->error, sizeof a->error, "%.500s has no JNI_CreateJavaVM", lib);
        return NULL;
    }
    static char classpath[8192], aot[4096], extra[4096];
    snprintf(classpath, sizeof classpath, "-Djava.class.path=%s", cp);
    JavaVMOption o[MAX_OPTIONS];
    memset(o, 0, sizeof o);
    int n = 0;
    o[n++].optionString = classpath;
    o[n++].optionString = "--enable-native-access=ALL-UNNAMED";
    o[n++].optionString = "-Xrs";                              /* signals end the process as natively (§4) */
    o[n++].optionString = "-XX:+UseSerialGC";
    o[n++].optionString = "-XX:-UsePerfData";                  /* no hsperfdata file left behind by _exit */
    o[n++].optionString = "-XX:+DisableAttachMechanism";
    o[n++].optionString = "-XX:+DisplayVMOutputToStderr";      /* never the program's stdout (§1.4) */
    o[n++].optionString = "-Xlog:disable";
    o[n++].optionString = "-Xlog:all=warning:stderr";
    const char *aotfile = getenv("AIOEMU_AOT_CACHE");
    if (aotfile && *aotfile && access(aotfile, R_OK) == 0) {
        snprintf(aot, sizeof aot, "-XX:AOTCache=%s", aotfile);
        o[n++].optionString = aot;
    }
    n = add_opts_from_env(o, n, extra, sizeof extra);
    JavaVMInitArgs args = {.version = JNI_VERSION_10, .nOptions = n, .options = o, .ignoreUnrecognized = JNI_FALSE};
    JavaVM *vm;
    JNIEnv *env;
    jint rc = create(&vm, (void **)&env, &args);
    if (rc != JNI_OK) {
        snprintf(a->error, sizeof a->error, "JNI_CreateJavaVM failed (%d)%s", (int)rc,
                 rc == JNI_EEXIST ? ": a JVM already exists in this process" : "");
        return NULL;
    }
    jclass c = (*env)->FindClass(env, a->install_class);
    jmethodID m = c ? (*env)->GetStaticMethodID(env, c, "install", "(JJ)V") : NULL;
    if (!m) {
        (*env)->ExceptionClear(env);
        snprintf(a->error, sizeof a->error, "%s.install(long,long) not found on AIOEMU_CLASSPATH", a->install_class);
        (*vm)->DetachCurrentThread(vm);
        return NULL;
    }
    (*env)->CallStaticVoidMethod(env, c, m, (jlong)(intptr_t)the_table, (jlong)the_table->table_size);
    int failed = (*env)->ExceptionCheck(env);
    if (failed) {
        (*env)->ExceptionClear(env);     /* the Java side already printed its one line */
        snprintf(a->error, sizeof a->error, "the JVM bridge did not install; AIO calls fail with ENOSYS");
    }
    (*vm)->DetachCurrentThread(vm);      /* program threads attach in attach_self, as daemons (§2) */
    if (!failed) the_vm = vm;
    return failed ? NULL : (void *)1;
}

/* Under init_lock. */
static void start_locked(const char *install_class, int fresh_namespace) {
    struct ksigaction pipe_before, xfsz_before;
    raw_sigaction(SIGPIPE, NULL, &pipe_before);
    raw_sigaction(SIGXFSZ, NULL, &xfsz_before);

    the_table->jvm_exiting = &jvm_exiting;
    the_table->safe_copy = aioemu_safe_copy;
    the_table->on_exit = NULL;
    the_table->interrupting = aioemu_interrupting;
    the_table->thread_start_mask = aioemu_thread_start_mask;
    the_table->wait_signalfd = aioemu_wait_signalfd;

    struct start_args a = {.install_class = install_class, .fresh_namespace = fresh_namespace};
    pthread_attr_t attr;
    pthread_t th;
    void *ok = NULL;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 8u << 20);
    /* the start thread, and every thread the JVM starts from it, never takes a program's signal */
    sigset_t caller_mask;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, the_call_mask(), &caller_mask, _NSIG / 8);
    int created = pthread_create(&th, &attr, create_vm, &a) == 0;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &caller_mask, NULL, _NSIG / 8);
    if (created) pthread_join(th, &ok);
    else snprintf(a.error, sizeof a.error, "cannot create the JVM's start thread");
    pthread_attr_destroy(&attr);

    /* the JVM swallows SIGPIPE and SIGXFSZ even with -Xrs: give the program its own back (§5) */
    raw_sigaction(SIGPIPE, &pipe_before, NULL);
    raw_sigaction(SIGXFSZ, &xfsz_before, NULL);
    if (!ok) {
        state = AIOEMU_JVM_FAILED;
        if (fresh_namespace) {         /* the one line says why in fork terms; the JVM's reason follows only with AIOEMU_DEBUG */
            char msg[160];
            snprintf(msg, sizeof msg, "pid %d was forked after the JVM started; AIO is unavailable here", (int)getpid());
            report_once(msg);
            if (getenv("AIOEMU_DEBUG")) dprintf(2, "aioemu: (%s)\n", a.error);
        } else {
            report_once(a.error);
        }
        return;
    }
    install_fault_handler();
    jvm_pid = getpid();
    jvm_exiting = 0;
    exit_hook_done = 0;
    if (!hooks_registered) {           /* inherited across fork: register once */
        hooks_registered = 1;
        pthread_atfork(NULL, NULL, child_after_fork);
        atexit(shim_atexit);           /* after libjvm loaded: runs before its destructors (§4) */
    }
    __atomic_store_n(&state, AIOEMU_JVM_UP, __ATOMIC_RELEASE);
}

EXPORT int aioemu_jvm_start(const char *install_class, struct aioemu_bridge *table) {
    if (__atomic_load_n(&state, __ATOMIC_ACQUIRE) == AIOEMU_JVM_UP && the_table == table) {
        if (jvm_exiting) return -1;
        if (ns_ctype_init && !ns_thread_ready) { ns_ctype_init(); ns_thread_ready = 1; }
        attach_self();
        return 0;
    }
    pthread_mutex_lock(&init_lock);
    if (state == AIOEMU_JVM_NONE || state == AIOEMU_JVM_FORKED) {
        int fresh = state == AIOEMU_JVM_FORKED;
        the_table = table;
        start_locked(install_class, fresh);
    }
    int up = state == AIOEMU_JVM_UP && the_table == table && !jvm_exiting;
    pthread_mutex_unlock(&init_lock);
    if (up && ns_ctype_init && !ns_thread_ready) { ns_ctype_init(); ns_thread_ready = 1; }
    if (up) attach_self();
    return up ? 0 : -1;
}

EXPORT int aioemu_jvm_state(void) { return __atomic_load_n(&state, __ATOMIC_ACQUIRE); }

EXPORT int aioemu_jvm_exiting(void) { return jvm_exiting != 0; }
