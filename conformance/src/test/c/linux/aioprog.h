/*
 * Shared by the ported libaio programs: deterministic printing of libaio results (-errno as a
 * name, never a number that differs between hosts) and temp-file helpers under argv[1].
 * The programs use only libaio's public API (<libaio.h>), so they build against the system
 * libaio and against aioemu's header alike.
 */
#ifndef AIOPROG_H
#define AIOPROG_H
#define _GNU_SOURCE
#include <libaio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static inline const char *errname(int e) {
    switch (e) {
    case EPERM: return "EPERM";     case ENOENT: return "ENOENT";   case EINTR: return "EINTR";
    case EIO: return "EIO";         case EBADF: return "EBADF";     case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";   case EFAULT: return "EFAULT";   case EINVAL: return "EINVAL";
    case EFBIG: return "EFBIG";     case ENOSPC: return "ENOSPC";   case ESPIPE: return "ESPIPE";
    case EPIPE: return "EPIPE";     case ENOSYS: return "ENOSYS";   case EOPNOTSUPP: return "EOPNOTSUPP";
    case ECANCELED: return "ECANCELED"; case EINPROGRESS: return "EINPROGRESS"; case EISDIR: return "EISDIR";
    case ECONNRESET: return "ECONNRESET";
    default: return "E?";
    }
}

/* A libaio return value or an event's res: a count, or -ERRNAME. */
static inline const char *rv(long r) {
    static char bufs[8][32];
    static int next;
    char *b = bufs[next++ % 8];
    if (r < 0) snprintf(b, 32, "-%s", errname((int)-r));
    else snprintf(b, 32, "%ld", r);
    return b;
}

/* A fresh file DIR/NAME opened with FLAGS (O_CREAT|O_TRUNC added); exits 2 if it cannot be made. */
static inline int temp_file(const char *dir, const char *name, int flags) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, flags | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) { perror(path); exit(2); }
    return fd;
}

static inline char *temp_path(const char *dir, const char *name) {
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

/* Fills BUF with a pattern that depends on SEED, so misplaced blocks show up. */
static inline void pattern(char *buf, size_t n, unsigned seed) {
    for (size_t i = 0; i < n; i++) buf[i] = (char)('A' + (i * 7 + seed * 13) % 26);
}

static inline int same_pattern(const char *buf, size_t n, unsigned seed) {
    for (size_t i = 0; i < n; i++) if (buf[i] != (char)('A' + (i * 7 + seed * 13) % 26)) return 0;
    return 1;
}

/* Reaps exactly one event with a 5 s bound (a hang becomes a printed line, not a stuck test). */
static inline int reap_one(io_context_t ctx, struct io_event *ev) {
    struct timespec ts = {5, 0};
    return io_getevents(ctx, 1, 1, ev, &ts);
}

static inline const char *yes(int b) { return b ? "yes" : "no"; }

/* CLOCK_MONOTONIC in ms, and the calling thread's CPU time in ms: how long a wait took, and
   whether it spun while it waited. */
static inline long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

static inline long thread_cpu_ms(void) {
    struct rusage u;
    getrusage(RUSAGE_THREAD, &u);
    return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000L + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1000L;
}

static inline void usage_check(int argc) {
    if (argc < 2) { fprintf(stderr, "usage: prog TEMPDIR\n"); exit(2); }
    setvbuf(stdout, NULL, _IOLBF, 0);
}
#endif
