/*
 * Reaping completions straight from the ring in user space, after libaio harness/cases/17.t
 * (USER_GETEVENTS: copy io_events[head], then head = (head + 1) % nr) and 19.t (obj == &iocb
 * read from the ring), with LNX-8, 13, 14 and 78: the header at the ctx address (magic,
 * features, header length), head and tail as indices, the kernel honouring a head moved by user
 * space, and libaio's {0,0} shortcut on an empty ring. Written anew for aioemu.
 */
#include "aioprog.h"
#include <stdint.h>
#include <time.h>

struct aio_ring {                 /* the kernel's ring header, as libaio's 17.t declares it */
    unsigned id, nr, head, tail;
    unsigned magic, compat_features, incompat_features, header_length;
    struct io_event io_events[];
};

/* the number of events published in the ring, waiting (bounded) until WANT are there */
static unsigned ring_avail(volatile struct aio_ring *ring, unsigned want) {
    unsigned avail = 0;
    for (int i = 0; i < 500; i++) {
        unsigned head = ring->head, tail = __atomic_load_n(&ring->tail, __ATOMIC_ACQUIRE);
        avail = (tail + ring->nr - head) % ring->nr;
        if (avail >= want) break;
        struct timespec ms10 = {0, 10 * 1000 * 1000};
        nanosleep(&ms10, NULL);
    }
    return avail;
}

/* one event from the ring, as 17.t's user_getevents does */
static struct io_event ring_pop(volatile struct aio_ring *ring) {
    unsigned head = ring->head;
    struct io_event ev = ((struct aio_ring *)ring)->io_events[head];
    __atomic_store_n(&ring->head, (head + 1) % ring->nr, __ATOMIC_RELEASE);
    return ev;
}

int main(int argc, char **argv) {
    usage_check(argc);
    io_context_t ctx = 0;
    printf("io_setup(8): %s\n", rv(io_setup(8, &ctx)));
    volatile struct aio_ring *ring = (volatile struct aio_ring *)ctx;
    printf("header: id %u, magic ok %s, compat_features %u, incompat_features %u, header_length %u, head %u, tail %u\n",
           ring->id, yes(ring->magic == 0xa10a10a1u), ring->compat_features, ring->incompat_features, ring->header_length,
           ring->head, ring->tail);
    printf("ring.nr >= 8: %s\n", yes(ring->nr >= 8));

    int fd = temp_file(argv[1], "ring.dat", O_RDWR);
    if (write(fd, "0123456789abcdefghijklmnopqrstuv", 32) != 32) return 2;
    static struct iocb cbs[4];
    struct iocb *list[4];
    static char bufs[4][8];
    for (int i = 0; i < 4; i++) {
        io_prep_pread(&cbs[i], fd, bufs[i], 8, i * 8);
        cbs[i].data = (void *)(long)(100 + i);
        list[i] = &cbs[i];
    }
    printf("io_submit(4 preads): %s\n", rv(io_submit(ctx, 4, list)));
    printf("events in the ring: %u\n", ring_avail(ring, 4));
    int ok = 0;
    unsigned seen = 0;
    for (int i = 0; i < 4; i++) {
        struct io_event ev = ring_pop(ring);
        long k = (long)ev.data - 100;
        if (k >= 0 && k < 4 && ev.obj == &cbs[k] && ev.res == 8 && ev.res2 == 0 && memcmp(bufs[k], "0123456789abcdefghijklmnopqrstuv" + k * 8, 8) == 0)
            ok++;
        seen |= 1u << (k & 31);
    }
    printf("reaped in user space: %d/4 with data, obj, res and buffer right, distinct: %s\n", ok, yes(seen == 0xf));
    printf("head == tail: %s\n", yes(ring->head == ring->tail));
    struct io_event evs[4];
    struct timespec zero = {0, 0}, ms20 = {0, 20 * 1000 * 1000};
    printf("io_getevents(0, 4, {0,0}) after user reaping: %s\n", rv(io_getevents(ctx, 0, 4, evs, &zero)));
    printf("io_getevents(1, 4, 20 ms) after user reaping: %s\n", rv(io_getevents(ctx, 1, 4, evs, &ms20)));

    /* mixed: user space takes one, the kernel hands out the rest */
    printf("io_submit(3 preads): %s\n", rv(io_submit(ctx, 3, list)));
    printf("events in the ring: %u\n", ring_avail(ring, 3));
    struct io_event first = ring_pop(ring);
    printf("user space took one: res %s\n", rv((long)first.res));
    int n = io_getevents(ctx, 0, 4, evs, &zero);
    printf("io_getevents(0, 4, {0,0}) returns the other two: %s, the one taken is not among them: %s\n", rv(n),
           yes(n == 2 && evs[0].obj != first.obj && evs[1].obj != first.obj));

    /* wrapping around: 3 x (ring.nr / 2) events go through the ring, head and tail stay below nr */
    unsigned nr = ring->nr, rounds = 3 * (nr / 2), bounded = 1;
    int reaped = 0;
    for (unsigned i = 0; i < rounds; i++) {
        struct iocb *one[1] = {&cbs[0]};
        if (io_submit(ctx, 1, one) != 1) break;
        if (ring_avail(ring, 1) < 1) break;
        ring_pop(ring);
        reaped++;
        bounded &= ring->head < nr && ring->tail < nr;
    }
    printf("3 x nr/2 events through the ring: all reaped %s, head and tail always < nr: %s, head == tail: %s\n",
           yes((unsigned)reaped == rounds), yes(bounded), yes(ring->head == ring->tail));
    printf("head == (7 + 3 x (nr/2)) %% nr: %s\n", yes(ring->head == (7 + rounds) % nr));
    printf("io_destroy: %s\n", rv(io_destroy(ctx)));
    return 0;
}
