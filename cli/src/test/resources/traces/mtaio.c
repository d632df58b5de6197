// Two-thread Linux AIO workload for replay tests, raw syscalls (no libaio), x86_64.
// Build: gcc -O1 -pthread mtaio.c -o mtaio; run: mtaio DIR (DIR must exist).
// Covers: a POLL iocb completed by a pipe write while another thread waits in io_getevents (strace
// splits that call into unfinished/resumed), a timed io_getevents that times out, PWRITE/PREAD on a
// dup2'd fd, an FSYNC with IOCB_FLAG_RESFD (strace does not print its flags) and the eventfd read
// that counts it, ftruncate/fallocate/short pread at EOF, socketpair and eventfd data, an io_submit
// refused with EBADF, io_cancel of a finished iocb (EINVAL), unlink.
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static aio_context_t ctx;

static void *waiter(void *arg) {
  struct io_event ev[4];
  return (void *)syscall(SYS_io_getevents, ctx, 1, 4, ev, NULL);
}

int main(int argc, char **argv) {
  char path[4096];
  snprintf(path, sizeof path, "%s/data.bin", argc > 1 ? argv[1] : "/tmp");
  static char buf[16384] __attribute__((aligned(4096)));
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  ftruncate(fd, 65536);
  fallocate(fd, 0, 65536, 8192);
  memset(buf, 'a', sizeof buf);
  pwrite(fd, buf, 4096, 0);
  pread(fd, buf, 8192, 70000);  // 3728 bytes: the file ends at 73728
  int efd = eventfd(0, EFD_CLOEXEC), p[2], sv[2];
  pipe2(p, O_CLOEXEC);
  socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
  int d = dup(fd);
  dup2(d, 20);
  close(d);
  syscall(SYS_io_setup, 16, &ctx);
  struct iocb pc = {0}, w = {0}, r = {0}, f = {0}, bad = {0};
  struct iocb *list[4] = {&pc};
  struct io_event ev[4];
  pc.aio_lio_opcode = IOCB_CMD_POLL; pc.aio_fildes = p[0]; pc.aio_buf = POLLIN; pc.aio_data = 42;
  syscall(SYS_io_submit, ctx, 1, list);
  struct timespec ts = {0, 3000000};
  syscall(SYS_io_getevents, ctx, 1, 4, ev, &ts);  // only the POLL is in flight: times out with 0
  pthread_t t;
  pthread_create(&t, NULL, waiter, NULL);
  usleep(50000);
  write(p[1], "x", 1);  // completes the POLL the other thread waits for
  pthread_join(t, NULL);
  char c;
  read(p[0], &c, 1);
  w.aio_lio_opcode = IOCB_CMD_PWRITE; w.aio_fildes = 20; w.aio_buf = (uintptr_t)buf; w.aio_nbytes = 4096;
  w.aio_offset = 8192; w.aio_data = 1; w.aio_flags = IOCB_FLAG_RESFD; w.aio_resfd = efd;
  r.aio_lio_opcode = IOCB_CMD_PREAD; r.aio_fildes = fd; r.aio_buf = (uintptr_t)(buf + 4096); r.aio_nbytes = 4096;
  r.aio_offset = 0; r.aio_data = 2;
  f.aio_lio_opcode = IOCB_CMD_FSYNC; f.aio_fildes = fd; f.aio_data = 3; f.aio_flags = IOCB_FLAG_RESFD; f.aio_resfd = efd;
  list[0] = &w; list[1] = &r; list[2] = &f;
  syscall(SYS_io_submit, ctx, 3, list);
  syscall(SYS_io_getevents, ctx, 3, 4, ev, NULL);
  uint64_t cnt, five = 5;
  read(efd, &cnt, 8);  // 2: the PWRITE and the FSYNC
  write(sv[0], buf, 100);
  read(sv[1], buf + 8192, 100);
  write(efd, &five, 8);
  read(efd, &cnt, 8);
  bad.aio_lio_opcode = IOCB_CMD_PREAD; bad.aio_fildes = 999; bad.aio_buf = (uintptr_t)buf; bad.aio_nbytes = 10;
  list[0] = &bad;
  syscall(SYS_io_submit, ctx, 1, list);  // EBADF
  syscall(SYS_io_cancel, ctx, &r, ev);    // EINVAL: r has completed
  syscall(SYS_io_destroy, ctx);
  close(fd);
  close(20);
  unlink(path);
  return 0;
}
