/* SPDX-License-Identifier: Apache-2.0 */
/* pcie transport: the device behind a PCIe DMA engine that exposes its AXI4-Stream channels as
 * character devices, as Xilinx XDMA's Linux driver does (/dev/xdma0_h2c_0 written with
 * write(), /dev/xdma0_c2h_0 read with read()). The card side is the AXI-Stream bridge in
 * front of the device core's byte stream (docs/pcie.md), so the frames of docs/protocol.md go
 * out with write() and the answers come back with read().
 *
 * URI: pcie:[PREFIX][?channel=N][&timeout=MS][&user=1]
 *      pcie:?h2c=PATH&c2h=PATH[&timeout=MS][&user=PATH]
 *   PREFIX   device prefix (default /dev/xdma0): opens PREFIX_h2c_N and PREFIX_c2h_N
 *   channel  DMA channel N, 0..3 (default 0)
 *   timeout  wait for a response octet, milliseconds (default 1000)
 *   user     check the ID register on the AXI-Lite user BAR (PREFIX_user, or PATH) and pulse
 *            the stream reset before the first frame (docs/pcie.md, "User BAR")
 *   h2c/c2h  explicit paths of the two stream devices (instead of PREFIX)
 *
 * The XDMA driver's c2h read() blocks until a packet ends (tlast, when the device is opened
 * with O_TRUNC: "eop_flush") or the buffer is full, or its own c2h timeout (module parameter,
 * default 10 s) passes; it implements no poll(). So a reader thread keeps one read() in
 * flight and fills a ring buffer; recv waits on the ring with the transport's timeout. The
 * host's sends are collected and written with one write() (one DMA transfer) when the host
 * next waits for an answer. */
#include "transport.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PCIE_DEFAULT_PREFIX "/dev/xdma0"
#define PCIE_DEFAULT_TIMEOUT_MS 1000u
#define PCIE_PATH_MAX 256u
#define RX_CHUNK 16384u  /* one c2h read() */
#define RING_CAP 131072u /* received octets not yet taken by the host */
#define TX_CAP 32768u    /* sends collected into one write() */
#define IDLE_US 2000u    /* > the device's frame TIMEOUT at any clock the core runs at */
#define DMA_ALIGN 4096u  /* buffers page-aligned: what XDMA's streaming engines accept */

/* AXI-Lite user BAR (docs/pcie.md); the register block is specified, not yet built. */
#define REG_ID 0x00u
#define REG_CTRL 0x04u
#define TCO_PCIE_ID 0x54434F31u /* "TCO1" */
#define CTRL_STREAM_RESET 0x1u

struct tco_transport {
    int h2c, c2h;
    unsigned timeout_ms;
    pthread_t reader;
    bool reader_started;
    pthread_mutex_t mu;
    pthread_cond_t have;  /* octets arrived, or the link went down */
    pthread_cond_t space; /* the host took octets out of the ring */
    bool stop, down;
    int down_err; /* errno of the failure, 0 for end of file */
    uint8_t *ring;
    size_t rhead, rlen;
    uint8_t *rxb; /* the reader's DMA buffer */
    uint8_t *txb; /* collected sends */
    size_t txn;
};

/* Zeroise a buffer that held frames (KEY_WRITE carries key octets). */
static void wipe(void *p, size_t n)
{
    memset(p, 0, n);
    __asm__ __volatile__("" : : "r"(p) : "memory"); /* keeps the memset */
}

/* ----------------------------------------------------------------------------------------- */
/* URI arguments: "?k=v&k=v" */

/* Value of key in args into out; 1 found, 0 absent, -1 too long. */
static int arg_get(const char *args, const char *key, char *out, size_t cap)
{
    size_t kl = strlen(key);
    const char *p = strchr(args, '?');

    while (p != NULL) {
        p++;
        if (strncmp(p, key, kl) == 0 && p[kl] == '=') {
            const char *v = p + kl + 1;
            size_t n = strcspn(v, "&");
            if (n + 1 > cap)
                return -1;
            memcpy(out, v, n);
            out[n] = '\0';
            return 1;
        }
        p = strchr(p, '&');
    }
    return 0;
}

/* Every option is one we know, each at most once, each with a value. */
static bool args_valid(const char *q)
{
    static const char *const keys[] = {"channel", "timeout", "user", "h2c", "c2h"};
    unsigned seen = 0;

    if (q == NULL)
        return true;
    while (q != NULL) {
        size_t i, n = strcspn(q + 1, "=&");
        q++;
        for (i = 0; i < (sizeof(keys) / sizeof(keys[0])); i++)
            if (strlen(keys[i]) == n && strncmp(q, keys[i], n) == 0 && q[n] == '=')
                break;
        if (i == (sizeof(keys) / sizeof(keys[0])) || (seen & (1u << i)))
            return false;
        seen |= 1u << i;
        q = strchr(q, '&');
    }
    return true;
}

/* A decimal option in lo..hi; 0 absent (keeps *v), 1 set, -1 malformed. */
static int arg_uint(const char *args, const char *key, unsigned lo, unsigned hi, unsigned *v)
{
    char buf[16], *end = NULL;
    unsigned long x;
    int r = arg_get(args, key, buf, sizeof(buf));

    if (r != 1)
        return r;
    errno = 0;
    x = strtoul(buf, &end, 10);
    if (end == buf || *end != '\0' || errno != 0 || buf[0] == '-' || x < lo || x > hi)
        return -1;
    *v = (unsigned)x;
    return 1;
}

/* ----------------------------------------------------------------------------------------- */
/* Link state */

static void link_down(tco_transport *t, int err)
{
    pthread_mutex_lock(&t->mu);
    if (!t->down) {
        t->down = true;
        t->down_err = err;
    }
    pthread_cond_broadcast(&t->have);
    pthread_mutex_unlock(&t->mu);
}

static bool is_down(tco_transport *t)
{
    bool d;

    pthread_mutex_lock(&t->mu);
    d = t->down;
    pthread_mutex_unlock(&t->mu);
    return d;
}

/* Errors of a c2h read() after which the next read() may well succeed: interrupted, or the
 * driver's own transfer timeout (XDMA returns ETIMEDOUT, ETIME, or leaks ERESTARTSYS = 512
 * when no packet came within c2h_timeout_ms). */
static bool read_err_transient(int e)
{
    return e == EINTR || e == EAGAIN || e == ETIMEDOUT || e == ETIME || e == 512;
}

/* The reader thread: one read() in flight, octets into the ring. It is cancelled only in
 * poll()/read(), where it holds no lock. */
static void *reader_main(void *arg)
{
    tco_transport *t = arg;
    int old;

    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
    for (;;) {
        struct pollfd pfd = {.fd = t->c2h, .events = POLLIN};
        ssize_t n = -1;
        int pr, e = 0;

        pthread_mutex_lock(&t->mu);
        while (!t->stop && RING_CAP - t->rlen < RX_CHUNK)
            pthread_cond_wait(&t->space, &t->mu);
        if (t->stop) {
            pthread_mutex_unlock(&t->mu);
            break;
        }
        pthread_mutex_unlock(&t->mu);

        /* FIFOs and drivers with poll() tell when to read; XDMA's streaming devices have no
         * poll() and always report readable, so their read() does the waiting. */
        pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old);
        pr = poll(&pfd, 1, 200);
        if (pr > 0) {
            n = read(t->c2h, t->rxb, RX_CHUNK);
            e = errno;
        } else if (pr < 0) {
            e = errno;
        }
        pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);

        if (pr == 0 || (pr < 0 && e == EINTR))
            continue;
        if (pr < 0) {
            link_down(t, e);
            break;
        }
        if (n > 0) {
            size_t m = (size_t)n;
            pthread_mutex_lock(&t->mu);
            for (size_t i = 0; i < m; i++) /* room for RX_CHUNK was checked above */
                t->ring[(t->rhead + t->rlen + i) % RING_CAP] = t->rxb[i];
            t->rlen += m;
            pthread_cond_broadcast(&t->have);
            pthread_mutex_unlock(&t->mu);
            continue;
        }
        if (n < 0 && read_err_transient(e))
            continue;
        link_down(t, n == 0 ? 0 : e); /* end of file: the card (or its driver) went away */
        break;
    }
    return NULL;
}

/* ----------------------------------------------------------------------------------------- */

/* write() everything collected, without letting a closed pipe raise SIGPIPE in the caller. */
static tco_status tx_flush(tco_transport *t)
{
    sigset_t pipe_set, old, pending;
    bool was_pending;
    size_t off = 0;
    tco_status st = TCO_OK;

    if (t->txn == 0)
        return TCO_OK;
    if (is_down(t)) {
        t->txn = 0;
        return TCO_ERR_IO;
    }
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    sigpending(&pending);
    was_pending = sigismember(&pending, SIGPIPE) == 1;
    while (off < t->txn) {
        ssize_t n = write(t->h2c, t->txb + off, t->txn - off);
        if (n > 0) {
            off += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EPIPE && !was_pending) {
            const struct timespec zero = {0, 0};
            (void)sigtimedwait(&pipe_set, NULL, &zero); /* ours: take it back */
        }
        link_down(t, n < 0 ? errno : EIO);
        st = TCO_ERR_IO;
        break;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    wipe(t->txb, t->txn);
    t->txn = 0;
    return st;
}

static void pcie_close(tco_transport *t);

/* Open one stream device: a character device, or a FIFO (the tests' stand-in for a card),
 * opened without blocking for the other end: a missing reader of h2c is a missing card.
 * O_TRUNC (eop_flush on XDMA's c2h) only ever reaches a character device. */
static int open_stream(const char *path, int flags, tco_status *st)
{
    struct stat sb;
    int fd;

    if (stat(path, &sb) != 0) {
        *st = errno == ENOENT || errno == ENOTDIR ? TCO_ERR_NO_DEVICE : TCO_ERR_IO;
        return -1;
    }
    if (!S_ISCHR(sb.st_mode) && !S_ISFIFO(sb.st_mode)) {
        *st = TCO_ERR_NO_DEVICE; /* a plain file is no card */
        return -1;
    }
    if (!S_ISCHR(sb.st_mode))
        flags &= ~O_TRUNC;
    fd = open(path, flags | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        *st = errno == ENOENT || errno == ENODEV || errno == ENXIO ? TCO_ERR_NO_DEVICE
                                                                     : TCO_ERR_IO;
        return -1;
    }
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0) {
        *st = TCO_ERR_IO;
        close(fd);
        return -1;
    }
    return fd;
}

/* The user BAR: check the ID register, pulse the stream reset. */
static tco_status user_bar(const char *path)
{
    uint32_t id = 0, ctrl = CTRL_STREAM_RESET;
    const struct timespec settle = {0, 1000000};
    int fd = open(path, O_RDWR | O_CLOEXEC);
    tco_status st = TCO_OK;

    if (fd < 0)
        return errno == ENOENT || errno == ENODEV || errno == ENXIO ? TCO_ERR_NO_DEVICE
                                                                      : TCO_ERR_IO;
    /* XDMA's user device: 32-bit registers by pread/pwrite at their offsets, host order */
    if (pread(fd, &id, 4, REG_ID) != 4)
        st = TCO_ERR_IO;
    else if (id != TCO_PCIE_ID)
        st = TCO_ERR_PROTOCOL; /* some other bitstream */
    else if (pwrite(fd, &ctrl, 4, REG_CTRL) != 4)
        st = TCO_ERR_IO;
    close(fd);
    if (st == TCO_OK)
        nanosleep(&settle, NULL);
    return st;
}

static tco_status pcie_open(tco_transport **tp, const char *args)
{
    char prefix[PCIE_PATH_MAX], h2c[PCIE_PATH_MAX + 16], c2h[PCIE_PATH_MAX + 16];
    char user[PCIE_PATH_MAX + 16], ubuf[PCIE_PATH_MAX];
    const char *q = strchr(args, '?');
    size_t plen = q ? (size_t)(q - args) : strlen(args);
    unsigned channel = 0, timeout = PCIE_DEFAULT_TIMEOUT_MS;
    int rh, rc, ru;
    tco_transport *t;
    pthread_condattr_t ca;
    tco_status st = TCO_OK;

    if (!args_valid(q) || plen >= sizeof(prefix))
        return TCO_ERR_BAD_URI;
    memcpy(prefix, args, plen);
    prefix[plen] = '\0';
    rh = arg_get(args, "h2c", h2c, PCIE_PATH_MAX);
    rc = arg_get(args, "c2h", c2h, PCIE_PATH_MAX);
    ru = arg_get(args, "user", ubuf, sizeof(ubuf));
    if (rh < 0 || rc < 0 || ru < 0 || arg_uint(args, "channel", 0, 3, &channel) < 0 ||
        arg_uint(args, "timeout", 1, 3600000, &timeout) < 0)
        return TCO_ERR_BAD_URI;
    user[0] = '\0';
    if (rh == 1 || rc == 1) {
        /* explicit paths: both, and no prefix or channel */
        char ch[16];
        if (rh != 1 || rc != 1 || plen != 0 || arg_get(args, "channel", ch, sizeof(ch)) != 0 ||
            h2c[0] == '\0' || c2h[0] == '\0')
            return TCO_ERR_BAD_URI;
        if (ru == 1 && strcmp(ubuf, "0") != 0) {
            if (strcmp(ubuf, "1") == 0)
                return TCO_ERR_BAD_URI; /* no prefix to derive it from */
            snprintf(user, sizeof(user), "%s", ubuf);
        }
    } else {
        if (plen == 0)
            strcpy(prefix, PCIE_DEFAULT_PREFIX);
        snprintf(h2c, sizeof(h2c), "%s_h2c_%u", prefix, channel);
        snprintf(c2h, sizeof(c2h), "%s_c2h_%u", prefix, channel);
        if (ru == 1) {
            if (strcmp(ubuf, "1") == 0)
                snprintf(user, sizeof(user), "%s_user", prefix);
            else if (strcmp(ubuf, "0") != 0)
                return TCO_ERR_BAD_URI;
        }
    }

    t = calloc(1, sizeof(*t));
    if (t == NULL)
        return TCO_ERR_NO_MEMORY;
    t->h2c = t->c2h = -1;
    t->timeout_ms = timeout;
    pthread_mutex_init(&t->mu, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&t->have, &ca);
    pthread_condattr_destroy(&ca);
    pthread_cond_init(&t->space, NULL);
    t->ring = malloc(RING_CAP);
    {
        void *rx = NULL, *tx = NULL;
        if (posix_memalign(&rx, DMA_ALIGN, RX_CHUNK) == 0)
            t->rxb = rx;
        if (posix_memalign(&tx, DMA_ALIGN, TX_CAP) == 0)
            t->txb = tx;
    }
    if (t->ring == NULL || t->rxb == NULL || t->txb == NULL) {
        pcie_close(t);
        return TCO_ERR_NO_MEMORY;
    }
    /* h2c first: the side whose absence shows at once (no node, or no reader on a FIFO) */
    t->h2c = open_stream(h2c, O_WRONLY, &st);
    if (t->h2c >= 0 && user[0] != '\0')
        st = user_bar(user);
    /* O_TRUNC on an XDMA c2h device: read() returns at the end of each packet (tlast) */
    if (st == TCO_OK)
        t->c2h = open_stream(c2h, O_RDONLY | O_TRUNC, &st);
    if (st == TCO_OK && pthread_create(&t->reader, NULL, reader_main, t) != 0)
        st = TCO_ERR_NO_MEMORY;
    if (st != TCO_OK) {
        pcie_close(t);
        return st;
    }
    t->reader_started = true;
    *tp = t;
    return TCO_OK;
}

static void pcie_close(tco_transport *t)
{
    if (t == NULL)
        return;
    if (t->reader_started) {
        pthread_mutex_lock(&t->mu);
        t->stop = true;
        pthread_cond_broadcast(&t->space);
        pthread_mutex_unlock(&t->mu);
        pthread_cancel(t->reader); /* out of a read() the driver may hold for seconds */
        pthread_join(t->reader, NULL);
    }
    if (t->h2c >= 0)
        close(t->h2c);
    if (t->c2h >= 0)
        close(t->c2h);
    pthread_cond_destroy(&t->have);
    pthread_cond_destroy(&t->space);
    pthread_mutex_destroy(&t->mu);
    if (t->ring != NULL)
        wipe(t->ring, RING_CAP);
    if (t->rxb != NULL)
        wipe(t->rxb, RX_CHUNK);
    if (t->txb != NULL)
        wipe(t->txb, TX_CAP);
    free(t->ring);
    free(t->rxb);
    free(t->txb);
    free(t);
}

static tco_status pcie_send(tco_transport *t, const uint8_t *p, size_t n)
{
    while (n > 0) {
        size_t take = TX_CAP - t->txn < n ? TX_CAP - t->txn : n;
        memcpy(t->txb + t->txn, p, take);
        t->txn += take;
        p += take;
        n -= take;
        if (t->txn == TX_CAP && tx_flush(t) != TCO_OK)
            return TCO_ERR_IO;
    }
    return is_down(t) ? TCO_ERR_IO : TCO_OK;
}

static tco_status pcie_recv(tco_transport *t, uint8_t *p, size_t cap, size_t *got)
{
    struct timespec dl;
    tco_status st = TCO_OK;

    *got = 0;
    if (tx_flush(t) != TCO_OK)
        return TCO_ERR_IO;
    clock_gettime(CLOCK_MONOTONIC, &dl);
    dl.tv_sec += (time_t)(t->timeout_ms / 1000u);
    dl.tv_nsec += (long)(t->timeout_ms % 1000u) * 1000000L;
    if (dl.tv_nsec >= 1000000000L) {
        dl.tv_sec++;
        dl.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&t->mu);
    while (t->rlen == 0 && !t->down) {
        if (pthread_cond_timedwait(&t->have, &t->mu, &dl) == ETIMEDOUT && t->rlen == 0) {
            st = t->down ? TCO_ERR_IO : TCO_ERR_TIMEOUT;
            break;
        }
    }
    if (t->rlen > 0) {
        size_t n = t->rlen < cap ? t->rlen : cap;
        for (size_t i = 0; i < n; i++)
            p[i] = t->ring[(t->rhead + i) % RING_CAP];
        t->rhead = (t->rhead + n) % RING_CAP;
        t->rlen -= n;
        *got = n;
        st = TCO_OK;
        pthread_cond_broadcast(&t->space);
    } else if (t->down) {
        st = TCO_ERR_IO; /* everything delivered, and nothing more will come */
    }
    pthread_mutex_unlock(&t->mu);
    return st;
}

static void pcie_idle(tco_transport *t)
{
    const struct timespec d = {0, (long)IDLE_US * 1000L};

    (void)tx_flush(t);
    nanosleep(&d, NULL);
}

static uint64_t pcie_cycles(tco_transport *t)
{
    (void)t;
    return 0;
}

const tco_transport_ops tco_transport_pcie = {
    .scheme = "pcie",
    .open = pcie_open,
    .close = pcie_close,
    .send = pcie_send,
    .recv = pcie_recv,
    .idle = pcie_idle,
    .cycles = pcie_cycles,
    .fault_stats = NULL,
};
