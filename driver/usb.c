/* SPDX-License-Identifier: Apache-2.0 */
/* usb transport: an FTDI FT2232H / FT232H / FT4232H channel driven directly with libusb-1.0
 * (no libftdi, no ftdi_sio). docs/usb.md describes it.
 *
 * URI: usb:[VID:PID][?serial=S&iface=A|B|C|D&baud=N&latency=MS&mode=uart|fifo&flow=none|rtscts
 *      &window=N&timeout=MS]
 *   VID:PID  hex, default 0403:6010 (FT2232H); the first match, or the one with serial S
 *   iface    channel; default B on a chip with two or more channels (iCEBreaker and the
 *            iCE40-HX8K breakout: A programs the flash, B is the UART to the FPGA), A otherwise
 *            and in fifo mode
 *   baud     UART rate, default 3000000; refused when no divisor comes within 3 %
 *   latency  the chip's latency timer, 1..255 ms, default 1
 *   mode     uart (default) or fifo (FT245 synchronous FIFO, bit mode 0x40; channel A only)
 *   flow     none (default in uart mode) or rtscts (default in fifo mode)
 *   window   octets of requests the board's receive FIFO holds beyond the one the device is
 *            working on; the host keeps its frames in flight within it. Default: 0 on a
 *            serial line without flow control (one request at a time), unlimited with
 *            flow control or in fifo mode
 *   timeout  ms to wait for a response octet before TCO_ERR_TIMEOUT, default 1000
 *
 * Transfers are asynchronous: USB_IN_XFERS bulk IN transfers stay submitted so the chip's
 * buffer is always being emptied; their payload (each USB packet of wMaxPacketSize starts with
 * two modem-status octets, removed here) goes into a ring that recv reads. send copies the
 * octets into one of USB_OUT_XFERS bulk OUT transfers and returns once it is submitted; it
 * waits only when all are busy. libusb events are handled only inside send, recv, idle and
 * close, on the calling thread (the handle's one-thread-at-a-time rule covers it). */
#include "transport.h"
#include "usb_io.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define USB_DEFAULT_VID 0x0403u
#define USB_DEFAULT_PID 0x6010u
#define USB_DEFAULT_BAUD 3000000u
#define USB_DEFAULT_LATENCY 1u
#define USB_DEFAULT_TIMEOUT 1000u /* ms */
#define USB_CTRL_TIMEOUT 1000u    /* ms, per control request */
#define USB_CLOSE_WAIT 1000u      /* ms for cancelled transfers to come back */
#define USB_IN_XFERS 4
#define USB_IN_SIZE 4096u  /* per IN transfer, rounded down to a multiple of wMaxPacketSize */
#define USB_OUT_XFERS 4
#define USB_OUT_SIZE 4096u /* a frame is at most 1548 octets; longer sends are split */
#define USB_RING (64u << 10)
#define FTDI_CHIP_BUF 4096u /* FT2232H: 4 KiB per channel each way */

typedef struct usb_slot {
    tco_transport *t;
    struct libusb_transfer *x;
    uint8_t *buf;
    bool active; /* submitted, its callback has not run yet */
    bool parked; /* IN: done, waiting for room in the ring before it is submitted again */
} usb_slot;

struct tco_transport {
    const tco_usb_io *io;
    libusb_context *ctx;
    libusb_device_handle *h;
    int iface; /* 0 = A, 1 = B, ... */
    bool claimed;
    uint8_t ep_in, ep_out;
    unsigned mps; /* wMaxPacketSize of the IN endpoint */
    unsigned in_size;
    unsigned timeout_ms, idle_ms;
    bool dead;    /* disconnected or a fatal transfer error: TCO_ERR_IO from now on */
    size_t window; /* see tco_transport_ops.window */
    bool closing;
    int wake;     /* set by callbacks: something for a waiter to look at */
    usb_slot in[USB_IN_XFERS], out[USB_OUT_XFERS];
    uint8_t *ring;
    size_t ring_head, ring_len;
};

const tco_usb_io *tco_usb_io_override;

static const tco_usb_io usb_libusb = {
    .init = libusb_init,
    .exit = libusb_exit,
    .get_device_list = libusb_get_device_list,
    .free_device_list = libusb_free_device_list,
    .get_device_descriptor = libusb_get_device_descriptor,
    .get_active_config_descriptor = libusb_get_active_config_descriptor,
    .free_config_descriptor = libusb_free_config_descriptor,
    .get_bus_number = libusb_get_bus_number,
    .get_device_address = libusb_get_device_address,
    .open = libusb_open,
    .close = libusb_close,
    .get_string_descriptor_ascii = libusb_get_string_descriptor_ascii,
    .set_auto_detach_kernel_driver = libusb_set_auto_detach_kernel_driver,
    .claim_interface = libusb_claim_interface,
    .release_interface = libusb_release_interface,
    .control_transfer = libusb_control_transfer,
    .alloc_transfer = libusb_alloc_transfer,
    .free_transfer = libusb_free_transfer,
    .submit_transfer = libusb_submit_transfer,
    .cancel_transfer = libusb_cancel_transfer,
    .handle_events_timeout_completed = libusb_handle_events_timeout_completed,
};

static void wipe(void *p, size_t n)
{
    volatile uint8_t *v = p;
    while (n--)
        *v++ = 0;
}

/* ----------------------------------------------------------------------------------------- */
/* Baud rate. The H chips divide either 12 MHz (120 MHz / 10: bit 17 of the encoded divisor
 * set) or 3 MHz (48 MHz / 16: bit 17 clear) by n + f/8: n in bits 0..13, the eighths f as a
 * 3-bit code in bits 14..16 (AN232B-05: 0, 1/2, 1/4, 1/8, 3/8, 5/8, 3/4, 7/8 for codes
 * 0..7). Between 1 and 2 only 1.5 exists; 1 is encoded as 0 and 1.5 as 1. wValue takes bits
 * 0..15, the high octet of wIndex bits 16..23 (its low octet is the channel). */
int tco_usb_baud_divisor(uint32_t baud, uint32_t *enc, uint32_t *actual)
{
    static const uint8_t code[8] = {0, 3, 2, 4, 1, 5, 6, 7}; /* eighths -> sub-divisor code */
    uint64_t base = 12000000u, d8, lo, hi;
    uint32_t clk10 = 1u << 17, e, a;

    if (baud == 0) {
        *enc = 0;
        *actual = 0;
        return -1;
    }
    d8 = (8 * base + baud / 2) / baud; /* the divisor in eighths, to the nearest */
    if (d8 > 0x1FFFFu) {                /* below ~732 baud: the 3 MHz clock */
        base = 3000000u;
        clk10 = 0;
        d8 = (8 * base + baud / 2) / baud;
        if (d8 > 0x1FFFFu)
            d8 = 0x1FFFFu;
    }
    /* the nearest divisor that exists: 1, 1.5, or 2 and above */
    lo = d8 < 12 ? 8 : d8 < 16 ? 12 : d8;
    hi = d8 <= 8 ? 8 : d8 <= 12 ? 12 : d8 < 16 ? 16 : d8;
    {
        uint64_t rlo = (8 * base + lo / 2) / lo, rhi = (8 * base + hi / 2) / hi;
        uint64_t elo = rlo > baud ? rlo - baud : baud - rlo, ehi = rhi > baud ? rhi - baud : baud - rhi;
        d8 = ehi < elo ? hi : lo;
        a = (uint32_t)(ehi < elo ? rhi : rlo);
    }
    if (d8 == 8)
        e = 0;
    else if (d8 == 12)
        e = 1;
    else
        e = (uint32_t)(d8 >> 3) | (uint32_t)code[d8 & 7] << 14;
    *enc = e | clk10;
    *actual = a;
    return (uint64_t)(a > baud ? a - baud : baud - a) * 100 > (uint64_t)baud * 3 ? -1 : 0;
}

/* ----------------------------------------------------------------------------------------- */
/* URI */

typedef struct usb_cfg {
    unsigned vid, pid;
    char serial[128];
    bool have_serial;
    int iface; /* -1: default */
    uint32_t baud, baud_enc, baud_actual;
    unsigned latency, timeout_ms;
    bool fifo;
    int flow; /* -1: default, 0 none, 1 RTS/CTS */
    long window; /* -1: default; octets the board's receive FIFO holds (no flow control) */
} usb_cfg;

static void say(char *why, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void say(char *why, size_t cap, const char *fmt, ...)
{
    va_list ap;

    if (why == NULL || cap == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(why, cap, fmt, ap);
    va_end(ap);
}

static int parse_hex4(const char *s, unsigned *v)
{
    unsigned x = 0;

    for (int i = 0; i < 4; i++) {
        char c = s[i];
        x <<= 4;
        if (c >= '0' && c <= '9')
            x |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            x |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            x |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    *v = x;
    return 0;
}

static int parse_uint(const char *s, size_t n, unsigned long max, unsigned long *v)
{
    unsigned long x = 0;

    if (n == 0 || n > 10)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        x = x * 10 + (unsigned long)(s[i] - '0');
    }
    if (x > max)
        return -1;
    *v = x;
    return 0;
}

static tco_status parse_uri(const char *args, usb_cfg *c, char *why, size_t cap)
{
    const char *p = args;
    unsigned seen = 0;

    memset(c, 0, sizeof(*c));
    c->vid = USB_DEFAULT_VID;
    c->pid = USB_DEFAULT_PID;
    c->iface = -1;
    c->baud = USB_DEFAULT_BAUD;
    c->latency = USB_DEFAULT_LATENCY;
    c->timeout_ms = USB_DEFAULT_TIMEOUT;
    c->flow = -1;
    c->window = -1;
    if (*p != '\0' && *p != '?') {
        if (parse_hex4(p, &c->vid) != 0 || p[4] != ':' || parse_hex4(p + 5, &c->pid) != 0 ||
            (p[9] != '\0' && p[9] != '?')) {
            say(why, cap, "malformed URI 'usb:%s' (want usb:VID:PID[?options], hex)", args);
            return TCO_ERR_BAD_URI;
        }
        p += 9;
    }
    if (*p == '?')
        p++;
    while (*p) {
        const char *eq = strchr(p, '='), *amp = strchr(p, '&');
        const char *v;
        size_t kl, vl;
        unsigned long x;
        unsigned bit;
        int bad = 0;

        if (amp == NULL)
            amp = p + strlen(p);
        if (eq == NULL || eq > amp) {
            say(why, cap, "malformed option '%.*s' (want key=value)", (int)(amp - p), p);
            return TCO_ERR_BAD_URI;
        }
        kl = (size_t)(eq - p);
        v = eq + 1;
        vl = (size_t)(amp - v);
#define KEY(s) (kl == sizeof(s) - 1 && memcmp(p, s, kl) == 0)
        if (KEY("serial")) {
            bit = 1;
            if (vl == 0 || vl >= sizeof(c->serial))
                bad = 1;
            else {
                memcpy(c->serial, v, vl);
                c->serial[vl] = '\0';
                c->have_serial = true;
            }
        } else if (KEY("iface")) {
            bit = 2;
            if (vl == 1 && ((*v >= 'A' && *v <= 'D') || (*v >= 'a' && *v <= 'd')))
                c->iface = (*v | 0x20) - 'a';
            else
                bad = 1;
        } else if (KEY("baud")) {
            bit = 4;
            bad = parse_uint(v, vl, 100000000ul, &x) != 0 || x == 0;
            if (!bad)
                c->baud = (uint32_t)x;
        } else if (KEY("latency")) {
            bit = 8;
            bad = parse_uint(v, vl, 255, &x) != 0 || x == 0;
            if (!bad)
                c->latency = (unsigned)x;
        } else if (KEY("mode")) {
            bit = 16;
            if (vl == 4 && memcmp(v, "uart", 4) == 0)
                c->fifo = false;
            else if (vl == 4 && memcmp(v, "fifo", 4) == 0)
                c->fifo = true;
            else
                bad = 1;
        } else if (KEY("flow")) {
            bit = 32;
            if (vl == 4 && memcmp(v, "none", 4) == 0)
                c->flow = 0;
            else if (vl == 6 && memcmp(v, "rtscts", 6) == 0)
                c->flow = 1;
            else
                bad = 1;
        } else if (KEY("window")) {
            bit = 128;
            bad = parse_uint(v, vl, 1ul << 20, &x) != 0;
            if (!bad)
                c->window = (long)x;
        } else if (KEY("timeout")) {
            bit = 64;
            bad = parse_uint(v, vl, 3600000ul, &x) != 0 || x == 0;
            if (!bad)
                c->timeout_ms = (unsigned)x;
        } else {
            say(why, cap,
                "unknown option '%.*s' (serial, iface, baud, latency, mode, flow, window, timeout)",
                (int)kl, p);
            return TCO_ERR_BAD_URI;
        }
#undef KEY
        if (bad || (seen & bit)) {
            say(why, cap, "%s option '%.*s'", bad ? "bad value in" : "repeated", (int)(amp - p), p);
            return TCO_ERR_BAD_URI;
        }
        seen |= bit;
        p = *amp ? amp + 1 : amp;
    }
    if (c->fifo && c->iface > 0) {
        say(why, cap, "mode=fifo needs channel A (the synchronous FIFO exists only there)");
        return TCO_ERR_BAD_URI;
    }
    if (c->flow < 0)
        c->flow = c->fifo ? 1 : 0;
    if (c->window < 0) /* flow controlled: any; a bare serial line: nothing beyond the oldest */
        c->window = c->fifo || c->flow ? -2 : 0;
    if (tco_usb_baud_divisor(c->baud, &c->baud_enc, &c->baud_actual) != 0 && !c->fifo) {
        say(why, cap, "baud %lu not achievable: the nearest is %lu (more than 3 %% off)",
            (unsigned long)c->baud, (unsigned long)c->baud_actual);
        return TCO_ERR_BAD_URI;
    }
    return TCO_OK;
}

/* ----------------------------------------------------------------------------------------- */
/* The receive ring and the transfer callbacks */

static size_t ring_free(const tco_transport *t)
{
    return USB_RING - t->ring_len;
}

static void ring_put(tco_transport *t, const uint8_t *p, size_t n)
{
    size_t tail = (t->ring_head + t->ring_len) % USB_RING;

    if (n > ring_free(t))
        n = ring_free(t); /* cannot happen: a transfer is submitted only with room for it
                             beside those in flight (in_room) */
    for (size_t i = 0; i < n;) {
        size_t run = USB_RING - tail < n - i ? USB_RING - tail : n - i;
        memcpy(t->ring + tail, p + i, run);
        tail = (tail + run) % USB_RING;
        i += run;
    }
    t->ring_len += n;
}

static size_t ring_get(tco_transport *t, uint8_t *p, size_t cap)
{
    size_t n = cap < t->ring_len ? cap : t->ring_len;

    for (size_t i = 0; i < n;) {
        size_t run = USB_RING - t->ring_head < n - i ? USB_RING - t->ring_head : n - i;
        memcpy(p + i, t->ring + t->ring_head, run);
        wipe(t->ring + t->ring_head, run);
        t->ring_head = (t->ring_head + run) % USB_RING;
        i += run;
    }
    t->ring_len -= n;
    if (t->ring_len == 0)
        t->ring_head = 0;
    return n;
}

static void in_cb(struct libusb_transfer *x);
static void out_cb(struct libusb_transfer *x);

/* Room in the ring for one more IN transfer, beside what those in flight may bring. */
static bool in_room(const tco_transport *t)
{
    size_t busy = 0;

    for (int i = 0; i < USB_IN_XFERS; i++)
        busy += t->in[i].active ? t->in_size : 0;
    return ring_free(t) >= busy + t->in_size;
}

static void in_submit(usb_slot *s)
{
    tco_transport *t = s->t;

    s->parked = false;
    libusb_fill_bulk_transfer(s->x, t->h, t->ep_in, s->buf, (int)t->in_size, in_cb, s, 0);
    if (t->io->submit_transfer(s->x) == 0) {
        s->active = true;
    } else {
        t->dead = true; /* no IN transfer, no answers: say so rather than wait for ever */
        t->wake = 1;
    }
}

/* The payload of one IN transfer: a packet per wMaxPacketSize octets (the last may be short),
 * each opened by two modem-status octets; a packet of the status alone carries no data. */
static void take_packets(tco_transport *t, const uint8_t *b, size_t len)
{
    for (size_t off = 0; off < len; off += t->mps) {
        size_t n = len - off < t->mps ? len - off : t->mps;
        if (n > 2) {
            ring_put(t, b + off + 2, n - 2);
            t->wake = 1;
        }
    }
}

static void in_cb(struct libusb_transfer *x)
{
    usb_slot *s = x->user_data;
    tco_transport *t = s->t;

    s->active = false;
    switch (x->status) {
    case LIBUSB_TRANSFER_COMPLETED:
    case LIBUSB_TRANSFER_TIMED_OUT:
        take_packets(t, x->buffer, (size_t)x->actual_length);
        wipe(x->buffer, (size_t)x->actual_length);
        break;
    case LIBUSB_TRANSFER_CANCELLED:
        return;
    default: /* NO_DEVICE (unplugged), ERROR, STALL, OVERFLOW */
        t->dead = true;
        t->wake = 1;
        return;
    }
    if (t->closing || t->dead)
        return;
    if (in_room(t))
        in_submit(s);
    else
        s->parked = true; /* recv submits it again once it has made room */
}

static void out_cb(struct libusb_transfer *x)
{
    usb_slot *s = x->user_data;
    tco_transport *t = s->t;

    s->active = false;
    wipe(s->buf, USB_OUT_SIZE); /* a KEY_WRITE frame holds a key */
    t->wake = 1;
    if (x->status == LIBUSB_TRANSFER_CANCELLED && t->closing)
        return;
    if (x->status != LIBUSB_TRANSFER_COMPLETED || x->actual_length != x->length)
        t->dead = true; /* octets lost on the way out: the link is not usable */
}

/* ----------------------------------------------------------------------------------------- */
/* Waiting */

static uint64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

typedef bool (*usb_cond)(const tco_transport *t);

static bool have_data(const tco_transport *t)
{
    return t->ring_len > 0;
}

static bool out_free(const tco_transport *t)
{
    for (int i = 0; i < USB_OUT_XFERS; i++)
        if (!t->out[i].active)
            return true;
    return false;
}

static bool out_idle(const tco_transport *t)
{
    for (int i = 0; i < USB_OUT_XFERS; i++)
        if (t->out[i].active)
            return false;
    return true;
}

static bool all_idle(const tco_transport *t)
{
    for (int i = 0; i < USB_IN_XFERS; i++)
        if (t->in[i].active)
            return false;
    return out_idle(t);
}

static bool never(const tco_transport *t)
{
    (void)t;
    return false;
}

/* Handle libusb events until cond holds, the link dies (unless even_dead) or ms pass. */
static void pump(tco_transport *t, usb_cond cond, unsigned ms, bool even_dead)
{
    uint64_t end = now_ms() + ms;

    while (!cond(t) && (even_dead || !t->dead)) {
        uint64_t now = now_ms();
        struct timeval tv;
        int r;

        if (now >= end)
            break;
        tv.tv_sec = (time_t)((end - now) / 1000u);
        tv.tv_usec = (suseconds_t)((end - now) % 1000u * 1000u);
        t->wake = 0;
        r = t->io->handle_events_timeout_completed(t->ctx, &tv, &t->wake);
        if (r == LIBUSB_ERROR_NO_DEVICE || (r < 0 && r != LIBUSB_ERROR_INTERRUPTED &&
                                            r != LIBUSB_ERROR_TIMEOUT)) {
            t->dead = true;
            if (!even_dead)
                break;
        }
    }
}

/* ----------------------------------------------------------------------------------------- */
/* Transport operations */

static tco_status usb_send(tco_transport *t, const uint8_t *p, size_t n)
{
    while (n > 0) {
        usb_slot *s = NULL;
        size_t take = n < USB_OUT_SIZE ? n : USB_OUT_SIZE;

        if (t->dead)
            return TCO_ERR_IO;
        if (!out_free(t))
            pump(t, out_free, t->timeout_ms, false);
        if (t->dead)
            return TCO_ERR_IO;
        for (int i = 0; i < USB_OUT_XFERS && s == NULL; i++)
            if (!t->out[i].active)
                s = &t->out[i];
        if (s == NULL)
            return TCO_ERR_TIMEOUT; /* the chip took nothing for timeout ms */
        memcpy(s->buf, p, take);
        libusb_fill_bulk_transfer(s->x, t->h, t->ep_out, s->buf, (int)take, out_cb, s, 0);
        if (t->io->submit_transfer(s->x) != 0) {
            wipe(s->buf, take);
            t->dead = true;
            return TCO_ERR_IO;
        }
        s->active = true;
        p += take;
        n -= take;
    }
    return t->dead ? TCO_ERR_IO : TCO_OK;
}

static void unpark(tco_transport *t)
{
    for (int i = 0; i < USB_IN_XFERS && !t->dead; i++)
        if (t->in[i].parked && in_room(t))
            in_submit(&t->in[i]);
}

static tco_status usb_recv(tco_transport *t, uint8_t *p, size_t cap, size_t *got)
{
    *got = 0;
    if (t->ring_len == 0 && !t->dead)
        pump(t, have_data, t->timeout_ms, false);
    if (t->ring_len > 0) { /* octets that came before a disconnect are still delivered */
        *got = ring_get(t, p, cap);
        unpark(t);
        return TCO_OK;
    }
    return t->dead ? TCO_ERR_IO : TCO_ERR_TIMEOUT;
}

static void usb_idle(tco_transport *t)
{
    if (t->dead)
        return;
    pump(t, out_idle, t->timeout_ms, false); /* everything sent has left the host */
    pump(t, never, t->idle_ms, false);       /* and the chip, and the device timed out */
}

static uint64_t usb_cycles(tco_transport *t)
{
    (void)t;
    return 0;
}

static void usb_close(tco_transport *t)
{
    if (t == NULL)
        return;
    t->closing = true;
    if (t->h != NULL) {
        for (int i = 0; i < USB_IN_XFERS; i++)
            if (t->in[i].active)
                t->io->cancel_transfer(t->in[i].x);
        for (int i = 0; i < USB_OUT_XFERS; i++)
            if (t->out[i].active)
                t->io->cancel_transfer(t->out[i].x);
        pump(t, all_idle, USB_CLOSE_WAIT, true);
        if (t->claimed)
            t->io->release_interface(t->h, t->iface);
    }
    /* a transfer still in flight now is left alone (its memory too): freeing it could not
     * be undone if libusb still completed it */
    for (int i = 0; i < USB_IN_XFERS + USB_OUT_XFERS; i++) {
        usb_slot *s = i < USB_IN_XFERS ? &t->in[i] : &t->out[i - USB_IN_XFERS];
        if (s->active)
            continue;
        if (s->x != NULL)
            t->io->free_transfer(s->x);
        if (s->buf != NULL) {
            wipe(s->buf, i < USB_IN_XFERS ? USB_IN_SIZE : USB_OUT_SIZE);
            free(s->buf);
        }
    }
    if (t->h != NULL)
        t->io->close(t->h);
    if (t->ctx != NULL)
        t->io->exit(t->ctx);
    if (t->ring != NULL) {
        wipe(t->ring, USB_RING);
        free(t->ring);
    }
    free(t);
}

static int ftdi_req(tco_transport *t, uint8_t req, uint16_t value, uint16_t index_hi)
{
    return t->io->control_transfer(t->h, TCO_FTDI_REQ_OUT, req, value,
                                   (uint16_t)(index_hi << 8 | (unsigned)(t->iface + 1)), NULL, 0,
                                   USB_CTRL_TIMEOUT);
}

/* Find the device: the first VID:PID match, or the one whose serial string is c->serial. */
static tco_status find_device(tco_transport *t, const usb_cfg *c, libusb_device **devp,
                              char *why, size_t cap)
{
    libusb_device **list = NULL;
    ssize_t n = t->io->get_device_list(t->ctx, &list);
    int matched = 0, last_err = 0;
    unsigned bus = 0, addr = 0;
    char serial_txt[160] = "";

    if (c->have_serial)
        snprintf(serial_txt, sizeof(serial_txt), " with serial '%s'", c->serial);
    if (n < 0) {
        say(why, cap, "cannot list USB devices: %s", libusb_error_name((int)n));
        return TCO_ERR_IO;
    }
    for (ssize_t i = 0; i < n && t->h == NULL; i++) {
        struct libusb_device_descriptor d;
        libusb_device_handle *h = NULL;
        int r;

        if (t->io->get_device_descriptor(list[i], &d) != 0 || d.idVendor != c->vid ||
            d.idProduct != c->pid)
            continue;
        matched++;
        r = t->io->open(list[i], &h);
        if (r != 0) {
            last_err = r;
            bus = t->io->get_bus_number(list[i]);
            addr = t->io->get_device_address(list[i]);
            continue;
        }
        if (c->have_serial) {
            unsigned char s[128];
            int sl = d.iSerialNumber ? t->io->get_string_descriptor_ascii(h, d.iSerialNumber, s,
                                                                          (int)sizeof(s) - 1)
                                     : -1;
            if (sl < 0 || (size_t)sl != strlen(c->serial) || memcmp(s, c->serial, (size_t)sl) != 0) {
                t->io->close(h);
                continue;
            }
        }
        t->h = h;
        *devp = list[i];
    }
    if (t->h == NULL) {
        if (matched > 0 && last_err != 0)
            say(why, cap, "USB device %04x:%04x (bus %03u device %03u) found but not opened: %s%s",
                c->vid, c->pid, bus, addr, libusb_error_name(last_err),
                last_err == LIBUSB_ERROR_ACCESS
                    ? " (no permission: install the udev rule, see docs/usb.md)"
                    : "");
        else
            say(why, cap, "no USB device %04x:%04x%s found", c->vid, c->pid, serial_txt);
        t->io->free_device_list(list, 1);
        return matched > 0 && last_err != 0 ? TCO_ERR_IO : TCO_ERR_NO_DEVICE;
    }
    /* the handle holds its own reference to the device, used below for the descriptor */
    t->io->free_device_list(list, 1);
    return TCO_OK;
}

/* Channel and endpoints from the active configuration. */
static tco_status find_endpoints(tco_transport *t, const usb_cfg *c, libusb_device *dev,
                                 char *why, size_t cap)
{
    struct libusb_config_descriptor *cd = NULL;
    const struct libusb_interface_descriptor *id;
    int r = t->io->get_active_config_descriptor(dev, &cd);

    if (r != 0) {
        say(why, cap, "cannot read the configuration descriptor: %s", libusb_error_name(r));
        return TCO_ERR_IO;
    }
    t->iface = c->iface >= 0 ? c->iface : (cd->bNumInterfaces >= 2 && !c->fifo ? 1 : 0);
    if (t->iface >= cd->bNumInterfaces || cd->interface[t->iface].num_altsetting < 1) {
        say(why, cap, "%04x:%04x has no channel %c (%u interfaces)", c->vid, c->pid,
            'A' + t->iface, (unsigned)cd->bNumInterfaces);
        t->io->free_config_descriptor(cd);
        return TCO_ERR_BAD_URI;
    }
    id = &cd->interface[t->iface].altsetting[0];
    for (int i = 0; i < id->bNumEndpoints; i++) {
        const struct libusb_endpoint_descriptor *e = &id->endpoint[i];
        if ((e->bmAttributes & 3) != LIBUSB_TRANSFER_TYPE_BULK)
            continue;
        if ((e->bEndpointAddress & LIBUSB_ENDPOINT_IN) && t->ep_in == 0) {
            t->ep_in = e->bEndpointAddress;
            t->mps = e->wMaxPacketSize & 0x7FFu;
        } else if (!(e->bEndpointAddress & LIBUSB_ENDPOINT_IN) && t->ep_out == 0) {
            t->ep_out = e->bEndpointAddress;
        }
    }
    t->io->free_config_descriptor(cd);
    if (t->ep_in == 0 || t->ep_out == 0 || t->mps <= 2 || t->mps > USB_IN_SIZE) {
        say(why, cap, "channel %c of %04x:%04x has no usable bulk endpoints", 'A' + t->iface,
            c->vid, c->pid);
        return TCO_ERR_IO;
    }
    t->in_size = USB_IN_SIZE / t->mps * t->mps;
    return TCO_OK;
}

/* The FTDI set-up sequence; docs/usb.md lists it. */
static tco_status ftdi_setup(tco_transport *t, const usb_cfg *c, char *why, size_t cap)
{
    static const char *const what[] = {"reset", "purge RX", "purge TX", "latency timer",
                                       "bit mode", "8N1", "flow control", "baud rate"};
    struct {
        uint8_t req;
        uint16_t value, index_hi;
    } seq[8] = {
        {TCO_FTDI_RESET, 0, 0},
        {TCO_FTDI_RESET, 1, 0},
        {TCO_FTDI_RESET, 2, 0},
        {TCO_FTDI_SET_LATENCY, (uint16_t)c->latency, 0},
        {TCO_FTDI_SET_BITMODE, (uint16_t)(c->fifo ? 0x40FF : 0x0000), 0},
        {TCO_FTDI_SET_DATA, 0x0008, 0},
        {TCO_FTDI_SET_FLOW, 0, (uint16_t)(c->flow ? 1 : 0)},
        {TCO_FTDI_SET_BAUD, (uint16_t)(c->baud_enc & 0xFFFF), (uint16_t)(c->baud_enc >> 16)},
    };
    int n = c->fifo ? 7 : 8; /* no baud rate in FIFO mode */

    for (int i = 0; i < n; i++) {
        int r = ftdi_req(t, seq[i].req, seq[i].value, seq[i].index_hi);
        if (r < 0) {
            say(why, cap, "FTDI %s request on channel %c failed: %s", what[i], 'A' + t->iface,
                libusb_error_name(r));
            return TCO_ERR_IO;
        }
    }
    return TCO_OK;
}

tco_status tco_usb_open(tco_transport **tp, const char *args, char *why, size_t cap)
{
    usb_cfg c;
    tco_transport *t;
    libusb_device *dev = NULL;
    tco_status st;
    int r;

    say(why, cap, "%s", "");
    st = parse_uri(args, &c, why, cap);
    if (st != TCO_OK)
        return st;
    t = calloc(1, sizeof(*t));
    if (t == NULL || (t->ring = malloc(USB_RING)) == NULL) {
        free(t);
        return TCO_ERR_NO_MEMORY;
    }
    t->io = tco_usb_io_override ? tco_usb_io_override : &usb_libusb;
    t->timeout_ms = c.timeout_ms;
    t->window = c.window == -2 ? SIZE_MAX : (size_t)c.window;
    /* the device drops a partial frame after 4096 core cycles (well under 1 ms on a board);
     * before that the chip's buffer must have gone out on the line */
    t->idle_ms = c.fifo ? 2u : 2u + (unsigned)((FTDI_CHIP_BUF * 10ull * 1000u + c.baud_actual - 1) /
                                               c.baud_actual);
    r = t->io->init(&t->ctx);
    if (r != 0) {
        t->ctx = NULL;
        say(why, cap, "libusb_init failed: %s (no USB access here)", libusb_error_name(r));
        usb_close(t);
        return TCO_ERR_NO_DEVICE; /* for auto:, no USB is no device */
    }
    st = find_device(t, &c, &dev, why, cap);
    if (st == TCO_OK)
        st = find_endpoints(t, &c, dev, why, cap);
    if (st == TCO_OK) {
        r = t->io->set_auto_detach_kernel_driver(t->h, 1); /* ftdi_sio lets go of it */
        if (r != 0 && r != LIBUSB_ERROR_NOT_SUPPORTED) {
            say(why, cap, "cannot detach the kernel driver: %s", libusb_error_name(r));
            st = TCO_ERR_IO;
        }
    }
    if (st == TCO_OK) {
        r = t->io->claim_interface(t->h, t->iface);
        if (r != 0) {
            say(why, cap, "cannot claim channel %c of %04x:%04x: %s%s", 'A' + t->iface, c.vid,
                c.pid, libusb_error_name(r),
                r == LIBUSB_ERROR_BUSY ? " (another program has it open)" : "");
            st = TCO_ERR_IO;
        } else {
            t->claimed = true;
        }
    }
    if (st == TCO_OK)
        st = ftdi_setup(t, &c, why, cap);
    for (int i = 0; i < USB_IN_XFERS + USB_OUT_XFERS && st == TCO_OK; i++) {
        usb_slot *s = i < USB_IN_XFERS ? &t->in[i] : &t->out[i - USB_IN_XFERS];
        s->t = t;
        s->x = t->io->alloc_transfer(0);
        s->buf = calloc(1, i < USB_IN_XFERS ? USB_IN_SIZE : USB_OUT_SIZE);
        if (s->x == NULL || s->buf == NULL)
            st = TCO_ERR_NO_MEMORY;
    }
    for (int i = 0; i < USB_IN_XFERS && st == TCO_OK; i++) {
        in_submit(&t->in[i]);
        if (t->dead) {
            say(why, cap, "cannot start the bulk IN transfers");
            st = TCO_ERR_IO;
        }
    }
    if (st == TCO_OK) {
        /* whatever a previous session left in the device or the chip: drain and drop */
        pump(t, never, t->idle_ms, false);
        while (t->ring_len > 0) {
            uint8_t sink[256];
            ring_get(t, sink, sizeof(sink));
        }
        unpark(t);
        if (t->dead) {
            say(why, cap, "%04x:%04x went away while starting", c.vid, c.pid);
            st = TCO_ERR_IO;
        }
    }
    if (st != TCO_OK) {
        usb_close(t);
        return st;
    }
    *tp = t;
    return TCO_OK;
}

static tco_status usb_open(tco_transport **tp, const char *args)
{
    return tco_usb_open(tp, args, NULL, 0);
}

static size_t usb_window(tco_transport *t)
{
    return t->window;
}

const tco_transport_ops tco_transport_usb = {
    .scheme = "usb",
    .open = usb_open,
    .close = usb_close,
    .send = usb_send,
    .recv = usb_recv,
    .idle = usb_idle,
    .cycles = usb_cycles,
    .window = usb_window,
    .fault_stats = NULL,
};
