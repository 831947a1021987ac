/* SPDX-License-Identifier: Apache-2.0 */
/* The usb: transport (driver/usb.c) over an emulated FT2232H: the libusb calls go through
 * tco_usb_io_override to an emulator whose far side is the simulated device (libtcosim).
 * Bulk OUT octets are pushed into the device; the device's answers come back in USB packets
 * of wMaxPacketSize, two modem-status octets in front of each, with short, status-only and
 * zero-length packets as the chip sends them. Checks: the URI, device selection and the FTDI
 * control requests at open (baud divisors included); the real remote/frame stack over the
 * emulated chip against soft: byte for byte; answers split at every position; a disconnect
 * in the middle of pipelined work (every pending operation ends with TCO_ERR_IO, nothing
 * hangs, later calls fail at once); no transfer, handle or context left behind. */
#include "tcheck.h"
#include "tco.h"
#include "tco_priv.h"
#include "tco_sim.h"
#include "transport.h"
#include "usb_io.h"

#include <dlfcn.h>
#include <time.h>
#include <unistd.h>

/* ----------------------------------------------------------------------------------------- */
/* The simulated device behind the chip */

static struct {
    void *dl;
    tco_sim *(*create)(const char *);
    void (*destroy)(tco_sim *);
    size_t (*push)(tco_sim *, const uint8_t *, size_t);
    size_t (*pull)(tco_sim *, uint8_t *, size_t);
    size_t (*tx_pending)(const tco_sim *);
    uint64_t (*run_until)(tco_sim *, size_t, uint64_t);
} S;

static int sim_load(void)
{
    const char *lib = getenv("TCO_SIM_LIB") ? getenv("TCO_SIM_LIB") : "libtcosim.so.0";

    S.dl = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
    if (S.dl == NULL)
        return -1;
    *(void **)&S.create = dlsym(S.dl, "tco_sim_create");
    *(void **)&S.destroy = dlsym(S.dl, "tco_sim_destroy");
    *(void **)&S.push = dlsym(S.dl, "tco_sim_push");
    *(void **)&S.pull = dlsym(S.dl, "tco_sim_pull");
    *(void **)&S.tx_pending = dlsym(S.dl, "tco_sim_tx_pending");
    *(void **)&S.run_until = dlsym(S.dl, "tco_sim_run_until");
    return S.create && S.destroy && S.push && S.pull && S.tx_pending && S.run_until ? 0 : -1;
}

/* ----------------------------------------------------------------------------------------- */
/* The emulated USB bus */

typedef struct emu_dev {
    struct libusb_device_descriptor desc;
    const char *serial;
    int nif;      /* channels */
    unsigned mps; /* wMaxPacketSize of the bulk endpoints: 512 high speed, 64 full speed */
    int deny;     /* libusb_open fails with LIBUSB_ERROR_ACCESS */
    int busy;     /* claim fails with LIBUSB_ERROR_BUSY */
} emu_dev;

typedef struct emu_handle {
    emu_dev *d;
    int claimed;
} emu_handle;

typedef struct ctl {
    uint8_t type, req;
    uint16_t value, index;
} ctl;

enum { POL_FULL, POL_RANDOM };

#define MAXPEND 32
#define CHIP_BUF (256u << 10)

static struct {
    emu_dev devs[6];
    int ndevs;
    tco_sim *sim;
    int ctx_live, handles_live, xfers_live, inits, detach_calls;
    emu_dev *opened; /* the device whose interface was claimed last */
    int claimed_if;
    int gone;        /* unplugged */
    int policy;
    size_t split;     /* the next transfer with data carries at most this many octets */
    uint64_t out_total, in_total, cut_out, cut_in; /* unplug when a total would pass cut_* */
    struct libusb_transfer *pend[MAXPEND];
    int cancel[MAXPEND];
    int npend;
    ctl log[32];
    int nctl;
    unsigned long status_only, zlp, data_xfers, multi_packet, wrong_ep;
    unsigned flip_ppm;     /* link faults: bits flipped per million octets, both ways */
    unsigned long flipped;
    uint8_t chip[CHIP_BUF]; /* octets the device has sent that the chip still holds */
    size_t chip_len;
} E;

static void emu_plug(void)
{
    if (E.sim != NULL)
        S.destroy(E.sim);
    E.sim = S.create(NULL);
    E.gone = 0;
    E.cut_out = E.cut_in = 0;
    E.split = 0;
    E.chip_len = 0;
    E.nctl = 0;
}

static void emu_add(uint16_t vid, uint16_t pid, const char *serial, int nif, unsigned mps)
{
    emu_dev *d = &E.devs[E.ndevs++];

    memset(d, 0, sizeof(*d));
    d->desc.bLength = 18;
    d->desc.idVendor = vid;
    d->desc.idProduct = pid;
    d->desc.iSerialNumber = serial ? 3 : 0;
    d->serial = serial;
    d->nif = nif;
    d->mps = mps;
}

static int e_init(libusb_context **ctx)
{
    static int token;
    *ctx = (libusb_context *)&token;
    E.ctx_live++;
    E.inits++;
    return 0;
}

static void e_exit(libusb_context *ctx)
{
    (void)ctx;
    E.ctx_live--;
}

static ssize_t e_list(libusb_context *ctx, libusb_device ***list)
{
    libusb_device **l = calloc((size_t)E.ndevs + 1, sizeof(*l));
    (void)ctx;
    for (int i = 0; i < E.ndevs; i++)
        l[i] = (libusb_device *)(void *)&E.devs[i];
    *list = l;
    return E.ndevs;
}

static void e_free_list(libusb_device **list, int unref)
{
    (void)unref;
    free(list);
}

static int e_desc(libusb_device *dev, struct libusb_device_descriptor *d)
{
    *d = ((emu_dev *)(void *)dev)->desc;
    return 0;
}

typedef struct emu_cfg {
    struct libusb_config_descriptor c; /* first: freed through a pointer to it */
    struct libusb_interface itf[4];
    struct libusb_interface_descriptor alt[4];
    struct libusb_endpoint_descriptor ep[4][3];
} emu_cfg;

static int e_cfg(libusb_device *dev, struct libusb_config_descriptor **out)
{
    emu_dev *d = (emu_dev *)(void *)dev;
    emu_cfg *c = calloc(1, sizeof(*c));

    c->c.bNumInterfaces = (uint8_t)d->nif;
    c->c.interface = c->itf;
    for (int i = 0; i < d->nif; i++) {
        c->itf[i].altsetting = &c->alt[i];
        c->itf[i].num_altsetting = 1;
        c->alt[i].bInterfaceNumber = (uint8_t)i;
        c->alt[i].bNumEndpoints = 3;
        c->alt[i].endpoint = c->ep[i];
        /* an interrupt endpoint first, which the transport must pass over */
        c->ep[i][0].bEndpointAddress = 0x8F;
        c->ep[i][0].bmAttributes = LIBUSB_TRANSFER_TYPE_INTERRUPT;
        c->ep[i][0].wMaxPacketSize = 8;
        c->ep[i][1].bEndpointAddress = (uint8_t)(0x81 + 2 * i);
        c->ep[i][1].bmAttributes = LIBUSB_TRANSFER_TYPE_BULK;
        c->ep[i][1].wMaxPacketSize = (uint16_t)d->mps;
        c->ep[i][2].bEndpointAddress = (uint8_t)(0x02 + 2 * i);
        c->ep[i][2].bmAttributes = LIBUSB_TRANSFER_TYPE_BULK;
        c->ep[i][2].wMaxPacketSize = (uint16_t)d->mps;
    }
    *out = &c->c;
    return 0;
}

static void e_free_cfg(struct libusb_config_descriptor *c)
{
    free(c);
}

static uint8_t e_bus(libusb_device *dev)
{
    (void)dev;
    return 1;
}

static uint8_t e_addr(libusb_device *dev)
{
    return (uint8_t)(2 + ((emu_dev *)(void *)dev - E.devs));
}

static int e_open(libusb_device *dev, libusb_device_handle **h)
{
    emu_dev *d = (emu_dev *)(void *)dev;
    emu_handle *eh;

    if (d->deny)
        return LIBUSB_ERROR_ACCESS;
    eh = calloc(1, sizeof(*eh));
    eh->d = d;
    *h = (libusb_device_handle *)(void *)eh;
    E.handles_live++;
    return 0;
}

static void e_close(libusb_device_handle *h)
{
    free(h);
    E.handles_live--;
}

static int e_string(libusb_device_handle *h, uint8_t idx, unsigned char *data, int len)
{
    emu_handle *eh = (emu_handle *)(void *)h;
    int n;

    if (idx != 3 || eh->d->serial == NULL)
        return LIBUSB_ERROR_INVALID_PARAM;
    n = (int)strlen(eh->d->serial);
    if (n > len)
        n = len;
    memcpy(data, eh->d->serial, (size_t)n);
    return n;
}

static int e_detach(libusb_device_handle *h, int enable)
{
    (void)h;
    E.detach_calls += enable == 1;
    return 0;
}

static int e_claim(libusb_device_handle *h, int iface)
{
    emu_handle *eh = (emu_handle *)(void *)h;

    if (eh->d->busy)
        return LIBUSB_ERROR_BUSY;
    if (iface >= eh->d->nif)
        return LIBUSB_ERROR_NOT_FOUND;
    eh->claimed = 1;
    E.opened = eh->d;
    E.claimed_if = iface;
    return 0;
}

static int e_release(libusb_device_handle *h, int iface)
{
    (void)iface;
    ((emu_handle *)(void *)h)->claimed = 0;
    return E.gone ? LIBUSB_ERROR_NO_DEVICE : 0;
}

static int e_control(libusb_device_handle *h, uint8_t type, uint8_t req, uint16_t value,
                     uint16_t index, unsigned char *data, uint16_t len, unsigned int timeout)
{
    (void)h, (void)data, (void)len, (void)timeout;
    if (E.gone)
        return LIBUSB_ERROR_NO_DEVICE;
    if (E.nctl < (int)TCO_ARRAY_LEN(E.log))
        E.log[E.nctl++] = (ctl){type, req, value, index};
    if (req == TCO_FTDI_RESET && value != 0)
        E.chip_len = 0; /* purge */
    return 0;
}

static struct libusb_transfer *e_alloc(int iso)
{
    (void)iso;
    E.xfers_live++;
    return calloc(1, sizeof(struct libusb_transfer));
}

static void e_free(struct libusb_transfer *x)
{
    E.xfers_live--;
    free(x);
}

static int e_submit(struct libusb_transfer *x)
{
    emu_handle *eh = (emu_handle *)(void *)x->dev_handle;
    int i = E.claimed_if;

    if (E.gone)
        return LIBUSB_ERROR_NO_DEVICE;
    if (!eh->claimed || x->type != LIBUSB_TRANSFER_TYPE_BULK ||
        (x->endpoint != 0x81 + 2 * i && x->endpoint != 0x02 + 2 * i))
        E.wrong_ep++;
    if (E.npend == MAXPEND)
        return LIBUSB_ERROR_BUSY;
    E.cancel[E.npend] = 0;
    E.pend[E.npend++] = x;
    return 0;
}

static int e_cancel(struct libusb_transfer *x)
{
    for (int i = 0; i < E.npend; i++)
        if (E.pend[i] == x) {
            E.cancel[i] = 1;
            return 0;
        }
    return LIBUSB_ERROR_NOT_FOUND;
}

/* Take pending transfer i off the list and run its callback. */
static void finish(int i, enum libusb_transfer_status st, int len)
{
    struct libusb_transfer *x = E.pend[i];

    memmove(&E.pend[i], &E.pend[i + 1], (size_t)(E.npend - i - 1) * sizeof(E.pend[0]));
    memmove(&E.cancel[i], &E.cancel[i + 1], (size_t)(E.npend - i - 1) * sizeof(E.cancel[0]));
    E.npend--;
    x->status = st;
    x->actual_length = len;
    x->callback(x);
}

static void unplug(void)
{
    E.gone = 1;
    while (E.npend > 0)
        finish(0, LIBUSB_TRANSFER_NO_DEVICE, 0);
}

/* Fill one bulk IN transfer the way the chip does: packets of mps octets, each opened by the
 * two modem-status octets; a short packet (status alone included) ends the transfer. */
static int pack_in(struct libusb_transfer *x, unsigned mps)
{
    size_t room = (size_t)x->length, off = 0, data = E.chip_len, used = 0;
    unsigned pkts = 0;
    static const uint8_t st0[] = {0x01, 0x31, 0x5A, 0xA5}, st1[] = {0x60, 0x00, 0xA5, 0x5A};

    if (E.split && data > 0) {
        data = data < E.split ? data : E.split;
        E.split = 0;
    }
    if (E.policy == POL_RANDOM && data > 0) {
        unsigned r = t_below(16);
        if (r == 0) {
            E.zlp++;
            return 0;
        }
        if (r == 1) {
            x->buffer[0] = st0[t_below(4)];
            x->buffer[1] = st1[t_below(4)];
            E.status_only++;
            return 2;
        }
    }
    for (;;) {
        size_t k = mps - 2;
        if (off + 2 > room)
            break;
        if (E.policy == POL_RANDOM && t_below(2))
            k = t_below(mps - 1); /* a short packet: 0 .. mps-3 data octets */
        if (k > data - used)
            k = data - used;
        if (off + 2 + k > room)
            k = room - off - 2;
        x->buffer[off] = st0[t_below(4)];
        x->buffer[off + 1] = st1[t_below(4)];
        memcpy(x->buffer + off + 2, E.chip + used, k);
        off += 2 + k;
        used += k;
        pkts++;
        if (k < mps - 2)
            break; /* short: the transfer ends here */
    }
    if (used == 0)
        E.status_only++;
    else
        E.data_xfers++;
    E.multi_packet += pkts > 1;
    memmove(E.chip, E.chip + used, E.chip_len - used);
    E.chip_len -= used;
    E.in_total += used;
    return (int)off;
}

static int e_events(libusb_context *ctx, struct timeval *tv, int *completed)
{
    (void)ctx, (void)tv;
    if (completed && *completed)
        return 0;
    for (int i = 0; i < E.npend;)
        if (E.cancel[i])
            finish(i, LIBUSB_TRANSFER_CANCELLED, 0);
        else
            i++;
    if (E.gone) {
        unplug();
        return 0;
    }
    /* bulk OUT: into the device */
    for (int i = 0; i < E.npend;) {
        struct libusb_transfer *x = E.pend[i];
        if (x->endpoint & 0x80) {
            i++;
            continue;
        }
        if (E.cut_out && E.out_total + (uint64_t)x->length > E.cut_out) {
            unplug();
            return 0;
        }
        for (int q = 0; E.flip_ppm && q < x->length; q++)
            if (t_below(1000000) < E.flip_ppm)
                x->buffer[q] ^= (uint8_t)(1u << t_below(8)), E.flipped++;
        S.push(E.sim, x->buffer, (size_t)x->length);
        E.out_total += (uint64_t)x->length;
        finish(i, LIBUSB_TRANSFER_COMPLETED, x->length);
    }
    /* bulk IN: the device runs for about a latency period, the chip sends what it holds */
    for (int i = 0; i < E.npend; i++) {
        struct libusb_transfer *x = E.pend[i];
        size_t n;
        if (!(x->endpoint & 0x80))
            continue;
        if (S.tx_pending(E.sim) == 0 && E.chip_len == 0)
            S.run_until(E.sim, 1, 20000);
        S.run_until(E.sim, S.tx_pending(E.sim) + 4096, 3000);
        n = S.pull(E.sim, E.chip + E.chip_len, CHIP_BUF - E.chip_len);
        for (size_t q = 0; E.flip_ppm && q < n; q++)
            if (t_below(1000000) < E.flip_ppm)
                E.chip[E.chip_len + q] ^= (uint8_t)(1u << t_below(8)), E.flipped++;
        E.chip_len += n;
        if (E.cut_in && E.in_total + E.chip_len > E.cut_in) {
            unplug();
            return 0;
        }
        finish(i, LIBUSB_TRANSFER_COMPLETED, pack_in(x, E.opened ? E.opened->mps : 512));
        break;
    }
    return 0;
}

static const tco_usb_io emu_io = {
    .init = e_init,
    .exit = e_exit,
    .get_device_list = e_list,
    .free_device_list = e_free_list,
    .get_device_descriptor = e_desc,
    .get_active_config_descriptor = e_cfg,
    .free_config_descriptor = e_free_cfg,
    .get_bus_number = e_bus,
    .get_device_address = e_addr,
    .open = e_open,
    .close = e_close,
    .get_string_descriptor_ascii = e_string,
    .set_auto_detach_kernel_driver = e_detach,
    .claim_interface = e_claim,
    .release_interface = e_release,
    .control_transfer = e_control,
    .alloc_transfer = e_alloc,
    .free_transfer = e_free,
    .submit_transfer = e_submit,
    .cancel_transfer = e_cancel,
    .handle_events_timeout_completed = e_events,
};

/* ----------------------------------------------------------------------------------------- */

static char logtxt[4096];

static void log_cb(void *user, tco_log_level level, const char *msg)
{
    (void)user, (void)level;
    size_t l = strlen(logtxt);
    snprintf(logtxt + l, sizeof(logtxt) - l, "%s\n", msg);
}

static tco_status open_usb(tco_dev **d, const char *uri)
{
    tco_open_opts o;

    memset(&o, 0, sizeof(o));
    o.log = log_cb;
    logtxt[0] = '\0';
    emu_plug();
    return tco_open_ex(d, uri, &o);
}

static int nothing_left(void)
{
    return E.ctx_live == 0 && E.handles_live == 0 && E.xfers_live == 0 && E.npend == 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The H-series baud divisors (AN232B-05 sub-divisor codes; 12 MHz clock with bit 17). */
static void t_baud(void)
{
    static const struct {
        uint32_t baud, enc, actual;
        int ok;
    } v[] = {
        {12000000, 0x20000, 12000000, 0}, /* divisor 1: encoded 0 */
        {8000000, 0x20001, 8000000, 0},   /* divisor 1.5: encoded 1 */
        {6000000, 0x20002, 6000000, 0},
        {5000000, 0x30002, 5052632, 0},   /* 2.375: code 4 for 3/8 in bits 14..16 */
        {3000000, 0x20004, 3000000, 0},
        {2000000, 0x20006, 2000000, 0},
        {1000000, 0x2000C, 1000000, 0},
        {921600, 0x2000D, 923077, 0},
        {115200, 0x2C068, 115246, 0},     /* 104.125: code 3 for 1/8 */
        {9600, 0x204E2, 9600, 0},
        {1200, 0x22710, 1200, 0},
        {300, 0x02710, 300, 0},           /* 3 MHz clock: bit 17 clear */
        {10000000, 0, 0, -1},             /* between divisors 1 and 1.5: 20 % off */
        {7000000, 0, 0, -1},
        {20000000, 0, 0, -1},
        {100, 0, 0, -1},
    };
    int bad = 0;

    for (size_t i = 0; i < TCO_ARRAY_LEN(v); i++) {
        uint32_t enc = 0, act = 0;
        int r = tco_usb_baud_divisor(v[i].baud, &enc, &act);
        if (r != v[i].ok || (r == 0 && (enc != v[i].enc || act != v[i].actual))) {
            bad++;
            fprintf(stderr, "baud %u: r %d enc %05x actual %u\n", (unsigned)v[i].baud, r,
                    (unsigned)enc, (unsigned)act);
        }
    }
    CHECK_CASES("baud divisors", bad, (int)TCO_ARRAY_LEN(v));
    /* every rate from 300 baud to 12 Mbaud that is accepted decodes (AN232B-05's table, read
     * backwards) to the rate reported, within 3 % of the one asked for */
    bad = 0;
    for (uint32_t b = 300; b <= 12000000; b += b / 97 + 1) {
        static const unsigned eighths[8] = {0, 4, 2, 1, 3, 5, 6, 7}; /* code -> eighths */
        uint32_t enc, act;
        double clk, d, rate;
        if (tco_usb_baud_divisor(b, &enc, &act) != 0)
            continue;
        clk = enc & 0x20000 ? 12e6 : 3e6;
        d = (enc & 0x1FFFF) == 0   ? 1.0
            : (enc & 0x1FFFF) == 1 ? 1.5
                                   : (enc & 0x3FFF) + eighths[(enc >> 14) & 7] / 8.0;
        rate = clk / d;
        if (d < 1.0 || (d > 1.5 && d < 2.0) || rate - act > 1.0 || act - rate > 1.0 ||
            (rate > b ? rate - b : b - rate) > 0.03 * b)
            bad++;
    }
    CHECK_CASES("accepted rates decode back, within 3 %", bad, 1);
}

static int ctl_is(int i, uint8_t req, uint16_t value, uint16_t index)
{
    return i < E.nctl && E.log[i].type == 0x40 && E.log[i].req == req &&
           E.log[i].value == value && E.log[i].index == index;
}

/* The set-up sequence for a UART channel: wIndex low octet = interface + 1. */
static int uart_seq(unsigned ch, unsigned latency, uint16_t bval, uint16_t bidx_hi)
{
    return E.nctl == 8 && ctl_is(0, 0x00, 0, (uint16_t)ch) && ctl_is(1, 0x00, 1, (uint16_t)ch) &&
           ctl_is(2, 0x00, 2, (uint16_t)ch) && ctl_is(3, 0x09, (uint16_t)latency, (uint16_t)ch) &&
           ctl_is(4, 0x0B, 0x0000, (uint16_t)ch) && ctl_is(5, 0x04, 0x0008, (uint16_t)ch) &&
           ctl_is(6, 0x02, 0x0000, (uint16_t)ch) &&
           ctl_is(7, 0x03, bval, (uint16_t)(bidx_hi << 8 | ch));
}

static void t_open(void)
{
    tco_dev *d = NULL;
    static const char *const bad_uris[] = {
        "usb:0403",          "usb:0403:60101",         "usb:04g3:6010",      "usb:?bogus=1",
        "usb:?baud=10000000", "usb:?baud=0",           "usb:?baud=x",        "usb:?iface=E",
        "usb:?latency=0",    "usb:?latency=256",       "usb:?mode=fifo&iface=B",
        "usb:?baud=1&baud=2", "usb:?mode=spi",         "usb:?timeout=0",     "usb:?serial=",
        "usb:?flow=xon",     "usb:0403:6010?baud",
    };
    int inits;

    /* malformed URIs: refused before any USB call */
    inits = E.inits;
    for (size_t i = 0; i < TCO_ARRAY_LEN(bad_uris); i++) {
        tco_status st = open_usb(&d, bad_uris[i]);
        if (st != TCO_ERR_BAD_URI)
            fprintf(stderr, "FAIL %s -> %s\n", bad_uris[i], tco_strerror(st));
        CHECK(st == TCO_ERR_BAD_URI && d == NULL);
    }
    CHECK(E.inits == inits);
    CHECK(strstr(logtxt, "usb:") != NULL);
    open_usb(&d, "usb:?baud=10000000");
    CHECK(strstr(logtxt, "baud 10000000 not achievable") != NULL);

    /* nothing on the bus: TCO_ERR_NO_DEVICE, and the log says what was looked for */
    E.ndevs = 0;
    emu_add(0x1d6b, 0x0002, NULL, 1, 64); /* a root hub */
    CHECK_ST(open_usb(&d, "usb:0403:6010"), TCO_ERR_NO_DEVICE);
    CHECK(d == NULL && strstr(logtxt, "no USB device 0403:6010 found") != NULL);
    CHECK(nothing_left());

    emu_add(0x0403, 0x6010, "FT-A1", 2, 512);
    emu_add(0x0403, 0x6010, "FT-B2", 2, 64);
    emu_add(0x0403, 0x6014, "H1", 1, 512);
    CHECK_ST(open_usb(&d, "usb:0403:6010?serial=NOPE"), TCO_ERR_NO_DEVICE);
    CHECK(strstr(logtxt, "with serial 'NOPE'") != NULL);
    CHECK(nothing_left());

    /* usb: alone = the first FT2232H, channel B, 3 Mbaud, latency 1 ms */
    E.detach_calls = 0;
    CHECK_ST(open_usb(&d, "usb:"), TCO_OK);
    CHECK(E.opened == &E.devs[1] && E.claimed_if == 1 && E.detach_calls == 1);
    CHECK(uart_seq(2, 1, 0x0004, 0x02));
    CHECK(E.wrong_ep == 0);
    tco_close(d);
    CHECK(nothing_left());

    CHECK_ST(open_usb(&d, "usb:0403:6010?baud=12000000"), TCO_OK);
    CHECK(uart_seq(2, 1, 0x0000, 0x02));
    tco_close(d);
    CHECK_ST(open_usb(&d, "usb:0403:6010?baud=115200&latency=2&serial=FT-B2"), TCO_OK);
    CHECK(E.opened == &E.devs[2] && uart_seq(2, 2, 0xC068, 0x02));
    tco_close(d);
    CHECK_ST(open_usb(&d, "usb:0403:6010?iface=A&baud=115200"), TCO_OK);
    CHECK(E.claimed_if == 0 && uart_seq(1, 1, 0xC068, 0x02) && E.wrong_ep == 0);
    tco_close(d);
    /* FT232H: one channel, A by default; no channel B */
    CHECK_ST(open_usb(&d, "usb:0403:6014"), TCO_OK);
    CHECK(E.opened == &E.devs[3] && E.claimed_if == 0 && uart_seq(1, 1, 0x0004, 0x02));
    tco_close(d);
    CHECK_ST(open_usb(&d, "usb:0403:6014?iface=B"), TCO_ERR_BAD_URI);
    CHECK(strstr(logtxt, "no channel B") != NULL && nothing_left());
    /* FIFO mode: channel A, bit mode 0x40, RTS/CTS, no baud rate */
    CHECK_ST(open_usb(&d, "usb:?mode=fifo"), TCO_OK);
    CHECK(E.claimed_if == 0 && E.nctl == 7 && ctl_is(4, 0x0B, 0x40FF, 1) && ctl_is(6, 0x02, 0, 0x0101));
    tco_close(d);
    CHECK(nothing_left());

    /* found but not usable: no permission, or another program has the channel */
    E.devs[1].deny = 1;
    CHECK_ST(open_usb(&d, "usb:0403:6010?serial=FT-A1"), TCO_ERR_IO);
    CHECK(strstr(logtxt, "LIBUSB_ERROR_ACCESS") && strstr(logtxt, "udev rule"));
    E.devs[1].deny = 0;
    E.devs[1].busy = 1;
    CHECK_ST(open_usb(&d, "usb:"), TCO_ERR_IO);
    CHECK(strstr(logtxt, "another program") != NULL);
    E.devs[1].busy = 0;
    CHECK(nothing_left());

    /* unplugged while the first command (INFO) is on its way */
    E.cut_out = 1; /* the first bulk OUT unplugs the chip */
    {
        tco_open_opts o;
        memset(&o, 0, sizeof(o));
        emu_plug();
        E.cut_out = 1;
        CHECK_ST(tco_open_ex(&d, "usb:", &o), TCO_ERR_IO);
    }
    CHECK(d == NULL && nothing_left());
}

/* The same operations on soft: and usb:, compared byte for byte. */
static int run_ops(tco_dev *h, tco_dev *s)
{
    uint8_t k16[16], k32[32], ka[20], ks[14], ctr[16], in[10240], oh[10240], os[10240];
    uint8_t mh[32], ms[32], kh[32], kso[32], fresh[16];
    size_t lh = 0, ls = 0;
    tco_slot aes, mac, kdf, ske, ska, sks;
    tco_kdf_param p[2];
    int bad = 0;
    enum { NPKT = 40 };
    static uint8_t pkt[NPKT][300], ph[NPKT][320], ps[NPKT][320], back[NPKT][320];
    tco_srtp_frame_req rh[NPKT], rs[NPKT];

    t_fill(k16, 16);
    t_fill(k32, 32);
    t_fill(ka, 20);
    t_fill(ks, 14);
    t_fill(ctr, 16);
    t_fill(in, sizeof(in));
    t_fill(fresh, sizeof(fresh));
    aes = 1, mac = 2, kdf = 3, ske = 4, ska = 5, sks = 6;
    for (int i = 0; i < 2; i++) {
        tco_dev *d = i ? s : h;
        bad += tco_key_load(d, aes, k16, 16, TCO_USE_AES) != TCO_OK;
        bad += tco_key_load(d, mac, k32, 32, TCO_USE_HMAC) != TCO_OK;
        bad += tco_key_load(d, kdf, k32, 32, TCO_USE_KDF_OUT) != TCO_OK;
        /* SRTP session keys the host loads: each in its role, the salt releasable */
        bad += tco_key_load(d, ske, k16, 16, TCO_USE_SRTP_KE) != TCO_OK;
        bad += tco_key_load(d, ska, ka, 20, TCO_USE_SRTP_KA) != TCO_OK;
        bad += tco_key_load(d, sks, ks, 14, TCO_USE_SRTP_SALT | TCO_ATTR_EXPORTABLE) != TCO_OK;
    }
    /* KDF to the host */
    p[0] = (tco_kdf_param){fresh, 16, 0, 0};
    p[1] = (tco_kdf_param){fresh, 2, 0, 0};
    bad += tco_kdf(h, kdf, 0x10, p, 2, kh) != TCO_OK || tco_kdf(s, kdf, 0x10, p, 2, kso) != TCO_OK ||
           memcmp(kh, kso, 32) != 0;
    /* AES-CTR over 10 KiB: ten frames in flight */
    bad += tco_aes_ctr(h, aes, ctr, 32, in, oh, sizeof(in)) != TCO_OK ||
           tco_aes_ctr(s, aes, ctr, 32, in, os, sizeof(in)) != TCO_OK ||
           memcmp(oh, os, sizeof(in)) != 0;
    /* HMAC-SHA-256 and -1 */
    bad += tco_hmac(h, mac, TCO_HASH_SHA256, in, 1000, mh, 32, &lh) != TCO_OK ||
           tco_hmac(s, mac, TCO_HASH_SHA256, in, 1000, ms, 32, &ls) != TCO_OK || lh != 32 ||
           ls != 32 || memcmp(mh, ms, 32) != 0;
    bad += tco_hmac(h, mac, TCO_HASH_SHA1, in, 77, mh, 32, &lh) != TCO_OK ||
           tco_hmac(s, mac, TCO_HASH_SHA1, in, 77, ms, 32, &ls) != TCO_OK || lh != 20 ||
           memcmp(mh, ms, 20) != 0;
    /* an SRTP batch, protect, then unprotect of the usb: output */
    for (int i = 0; i < NPKT; i++) {
        size_t len = 12 + t_below(280);
        t_fill(pkt[i], len);
        pkt[i][0] = 0x80;
        memset(&rh[i], 0, sizeof(rh[i]));
        rh[i].ke = ske;
        rh[i].ka = ska;
        rh[i].ks = sks;
        rh[i].tag_len = 10;
        rh[i].clear_len = 12;
        rh[i].enc_len = len - 12;
        rh[i].index = 1000u + (unsigned)i;
        rh[i].in = pkt[i];
        rh[i].in_len = len;
        rh[i].out = ph[i];
        rh[i].out_cap = sizeof(ph[i]);
        rs[i] = rh[i];
        rs[i].out = ps[i];
    }
    bad += tco_srtp_frames(h, rh, NPKT) != TCO_OK || tco_srtp_frames(s, rs, NPKT) != TCO_OK;
    for (int i = 0; i < NPKT; i++) {
        bad += rh[i].status != TCO_OK || rh[i].out_len != rs[i].out_len ||
               memcmp(ph[i], ps[i], rs[i].out_len) != 0;
        rh[i].unprotect = 1;
        rh[i].in = ph[i];
        rh[i].in_len = rh[i].out_len;
        rh[i].out = back[i];
        rh[i].enc_len = rh[i].in_len - 12 - 10;
    }
    bad += tco_srtp_frames(h, rh, NPKT) != TCO_OK;
    for (int i = 0; i < NPKT; i++)
        bad += rh[i].status != TCO_OK || rh[i].out_len != rs[i].in_len ||
               memcmp(back[i], pkt[i], rs[i].in_len) != 0;
    for (int i = 0; i < 2; i++)
        for (tco_slot sl = 1; sl <= 6; sl++)
            tco_key_erase(i ? s : h, sl);
    return bad;
}

static void t_ops(tco_dev *s)
{
    static const struct {
        const char *uri;
        int dev, policy;
    } runs[] = {
        /* timeouts long enough that a busy machine never makes the host resend */
        {"usb:?timeout=5000", 1, POL_FULL},                 /* high speed, 512-octet packets */
        {"usb:?serial=FT-B2&timeout=5000", 2, POL_FULL},    /* full speed, 64 */
        {"usb:?timeout=5000", 1, POL_RANDOM},
        {"usb:?serial=FT-B2&timeout=5000", 2, POL_RANDOM},
        {"usb:0403:6014?baud=12000000&timeout=5000", 3, POL_RANDOM},
    };

    for (size_t r = 0; r < TCO_ARRAY_LEN(runs); r++) {
        tco_dev *h = NULL;
        tco_info info;
        E.policy = runs[r].policy;
        CHECK_ST(open_usb(&h, runs[r].uri), TCO_OK);
        if (h == NULL)
            continue;
        CHECK(E.opened == &E.devs[runs[r].dev]);
        for (int rep = 0; rep < 2; rep++) {
            int bad = run_ops(h, s);
            if (bad)
                fprintf(stderr, "run %zu (%s): %d differences\n", r, runs[r].uri, bad);
            CHECK_CASES("usb: = soft:", bad, 1);
        }
        CHECK(tco_get_info(h, &info) == TCO_OK && strcmp(info.backend, "usb") == 0 &&
              info.link_retries == 0 && (info.caps & TCO_CAP_HW));
        tco_close(h);
        CHECK(nothing_left() && E.wrong_ep == 0);
    }
    E.policy = POL_FULL;
    CHECK(E.status_only > 0 && E.zlp > 0 && E.multi_packet > 0 && E.data_xfers > 0);
}

/* The send-ahead window: over a UART without flow control the host sends the next frame
 * only after the answer to the one before (window 0); with flow control, or a window that
 * holds them, several AES-CTR frames go out before the first answer comes back. */
static int sends_before_answer, answered;
static void window_tap(void *user, int dir, const uint8_t *p, size_t n)
{
    (void)user, (void)p, (void)n;
    if (dir == 1)
        answered = 1;
    else if (!answered)
        sends_before_answer++;
}

static void t_window(void)
{
    static const struct {
        const char *uri;
        int pipelined;
    } runs[] = {
        {"usb:?timeout=5000", 0},               /* uart, flow none: window 0 */
        {"usb:?timeout=5000&window=4096", 1},   /* a board FIFO that holds several frames */
        {"usb:?timeout=5000&flow=rtscts", 1},   /* flow controlled */
        {"usb:?timeout=5000&window=100", 0},    /* smaller than one frame */
    };
    uint8_t key[16], ctr[16] = {0}, in[8192], out[8192];

    t_fill(key, 16);
    t_fill(in, sizeof(in));
    for (size_t r = 0; r < TCO_ARRAY_LEN(runs); r++) {
        tco_dev *h = NULL;
        tco_slot k;
        CHECK_ST(open_usb(&h, runs[r].uri), TCO_OK);
        if (h == NULL)
            continue;
        CHECK_ST(tco_slot_alloc(h, &k), TCO_OK);
        CHECK_ST(tco_key_load(h, k, key, 16, TCO_USE_AES), TCO_OK);
        sends_before_answer = answered = 0;
        tco_wire_set_tap(h, window_tap, NULL);
        CHECK_ST(tco_aes_ctr(h, k, ctr, 64, in, out, sizeof(in)), TCO_OK); /* 8 frames */
        tco_wire_set_tap(h, NULL, NULL);
        if (runs[r].pipelined)
            CHECK(sends_before_answer > 1);
        else
            CHECK(sends_before_answer == 1);
        tco_close(h);
    }
}

/* Link faults through the emulated chip: bits flipped in both directions. Every call either
 * gives soft:'s result or reports an error; none succeeds with a wrong result. */
static void t_faults(tco_dev *s)
{
    tco_dev *h = NULL;
    uint8_t key[32], in[5000], oh[5000], os[5000], ctr[16] = {0}, mh[32], ms[32];
    int wrong = 0, okc = 0, reported = 0;
    tco_info info;

    CHECK_ST(open_usb(&h, "usb:?timeout=300"), TCO_OK);
    if (h == NULL)
        return;
    t_fill(key, 32);
    CHECK_ST(tco_key_load(s, 1, key, 16, TCO_USE_AES), TCO_OK);
    CHECK_ST(tco_key_load(s, 2, key, 32, TCO_USE_HMAC), TCO_OK);
    E.flip_ppm = 150;
    E.flipped = 0;
    for (int i = 0; i < 40; i++) {
        size_t n = 1 + t_below(3000), lh = 0, ls = 0;
        tco_status a, b;
        /* (the keys again each round: a load may itself fail on the faulty link) */
        if (tco_key_load(h, 1, key, 16, TCO_USE_AES) != TCO_OK ||
            tco_key_load(h, 2, key, 32, TCO_USE_HMAC) != TCO_OK) {
            reported++;
            continue;
        }
        t_fill(in, n);
        a = tco_aes_ctr(h, 1, ctr, 64, in, oh, n);
        b = tco_aes_ctr(s, 1, ctr, 64, in, os, n);
        if (a == TCO_OK)
            (b == TCO_OK && memcmp(oh, os, n) == 0 ? okc++ : wrong++);
        else
            reported++;
        a = tco_hmac(h, 2, TCO_HASH_SHA256, in, n < 1000 ? n : 1000, mh, 32, &lh);
        b = tco_hmac(s, 2, TCO_HASH_SHA256, in, n < 1000 ? n : 1000, ms, 32, &ls);
        if (a == TCO_OK)
            (b == TCO_OK && lh == ls && memcmp(mh, ms, lh) == 0 ? okc++ : wrong++);
        else
            reported++;
    }
    E.flip_ppm = 0;
    CHECK(tco_get_info(h, &info) == TCO_OK);
    fprintf(stderr, "usb faults: %lu bits flipped, %llu resends, %d results equal to soft:, "
            "%d errors reported, %d wrong\n", E.flipped, (unsigned long long)info.link_retries,
            okc, reported, wrong);
    CHECK(wrong == 0);
    CHECK(E.flipped > 0 && info.link_retries > 0 && okc > 40);
    tco_close(h);
    (void)tco_key_erase(s, 1);
    (void)tco_key_erase(s, 2);
}

/* Answers split between two transfers at every position. */
static void t_split(tco_dev *s)
{
    const char *uris[] = {"usb:?timeout=5000", "usb:?serial=FT-B2&timeout=5000"};

    for (int u = 0; u < 2; u++) {
        tco_dev *h = NULL;
        uint8_t k[16], blk[16], oh[200], os[200], in[200], ctr[16] = {0};
        int bad = 0, cases = 0;
        size_t n;

        E.policy = POL_FULL;
        CHECK_ST(open_usb(&h, uris[u]), TCO_OK);
        if (h == NULL)
            continue;
        t_fill(k, 16);
        t_fill(in, sizeof(in));
        tco_key_load(h, 1, k, 16, TCO_USE_AES);
        tco_key_load(s, 1, k, 16, TCO_USE_AES);
        /* AES block: a 28-octet answer */
        for (size_t at = 1; at < 28; at++) {
            E.split = at;
            t_fill(blk, 16);
            bad += tco_aes_block(h, 1, blk, oh) != TCO_OK || tco_aes_block(s, 1, blk, os) != TCO_OK ||
                   memcmp(oh, os, 16) != 0;
            cases++;
        }
        /* AES-CTR of 200 octets: a 212-octet answer over several 64-octet packets */
        for (size_t at = 1; at < 212; at++) {
            E.split = at;
            n = 1 + t_below(200);
            ctr[15] = (uint8_t)at;
            bad += tco_aes_ctr(h, 1, ctr, 32, in, oh, n) != TCO_OK ||
                   tco_aes_ctr(s, 1, ctr, 32, in, os, n) != TCO_OK || memcmp(oh, os, n) != 0;
            cases++;
        }
        CHECK_CASES(u ? "split answers, 64-octet packets" : "split answers, 512-octet packets",
                    bad, cases);
        tco_key_erase(s, 1);
        tco_close(h);
        CHECK(nothing_left());
    }
}

/* Unplugged in the middle of pipelined work. */
static void t_unplug(tco_dev *s)
{
    static uint8_t in[65536], out[65536], pk[64][200], po[64][220];
    tco_srtp_frame_req rq[64];
    uint8_t k[16], ctr[16] = {0}, blk[16], mac[32];
    size_t ml;
    int nz = 0;
    double t0;
    tco_dev *h = NULL;

    (void)s;
    /* during an AES-CTR of 64 KiB (sixteen frames in flight): answers stop mid-stream */
    E.policy = POL_RANDOM;
    /* a 5 s receive timeout: an unplug noticed only by timing out would take 5 s or more */
    CHECK_ST(open_usb(&h, "usb:?timeout=5000"), TCO_OK);
    if (h == NULL)
        return;
    t_fill(k, 16);
    t_fill(in, sizeof(in));
    tco_key_load(h, 1, k, 16, TCO_USE_AES);
    tco_key_load(h, 2, k, 16, TCO_USE_HMAC); /* one role per key */
    memset(out, 0xEE, sizeof(out));
    E.cut_in = E.in_total + 20000;
    t0 = now_s();
    CHECK_ST(tco_aes_ctr(h, 1, ctr, 32, in, out, sizeof(in)), TCO_ERR_IO);
    CHECK(now_s() - t0 < 4.0); /* no waiting for a timeout */
    for (size_t i = 0; i < sizeof(out); i++)
        nz += out[i] != 0;
    CHECK(nz == 0); /* no partial output */
    CHECK(E.gone);
    /* from now on: TCO_ERR_IO at once */
    t0 = now_s();
    CHECK_ST(tco_aes_block(h, 1, blk, blk), TCO_ERR_IO);
    CHECK_ST(tco_hmac(h, 2, TCO_HASH_SHA256, in, 100, mac, 32, &ml), TCO_ERR_IO);
    CHECK(now_s() - t0 < 0.5);
    tco_close(h);
    CHECK(nothing_left());

    /* during an SRTP batch of 64 packets, while requests are going out */
    CHECK_ST(open_usb(&h, "usb:?serial=FT-B2&timeout=5000"), TCO_OK);
    if (h == NULL)
        return;
    tco_key_load(h, 4, k, 16, TCO_USE_SRTP_KE);
    tco_key_load(h, 5, in, 20, TCO_USE_SRTP_KA);
    tco_key_load(h, 6, in + 20, 14, TCO_USE_SRTP_SALT | TCO_ATTR_EXPORTABLE);
    for (int i = 0; i < 64; i++) {
        t_fill(pk[i], 200);
        memset(&rq[i], 0, sizeof(rq[i]));
        rq[i] = (tco_srtp_frame_req){.ke = 4, .ka = 5, .ks = 6, .tag_len = 10, .clear_len = 12,
                                     .enc_len = 188, .index = (uint64_t)i, .in = pk[i],
                                     .in_len = 200, .out = po[i], .out_cap = sizeof(po[i])};
    }
    E.cut_out = E.out_total + 30 * 230; /* about 30 requests get out */
    t0 = now_s();
    CHECK_ST(tco_srtp_frames(h, rq, 64), TCO_ERR_IO);
    CHECK(now_s() - t0 < 4.0);
    {
        int ok = 0, io = 0, other = 0;
        for (int i = 0; i < 64; i++) {
            if (rq[i].status == TCO_OK)
                ok++;
            else if (rq[i].status == TCO_ERR_IO)
                io++;
            else
                other++;
        }
        /* answered before the unplug: OK; every other one: TCO_ERR_IO */
        CHECK(other == 0 && io >= 34 && ok + io == 64);
        for (int i = 1; i < 64; i++)
            CHECK(!(rq[i].status == TCO_OK && rq[i - 1].status != TCO_OK));
    }
    t0 = now_s();
    CHECK_ST(tco_srtp_frames(h, rq, 4), TCO_ERR_IO);
    CHECK(rq[0].status == TCO_ERR_IO && rq[3].status == TCO_ERR_IO);
    CHECK_ST(tco_key_load(h, 7, k, 16, TCO_USE_AES), TCO_ERR_IO);
    CHECK(now_s() - t0 < 0.5);
    tco_close(h);
    CHECK(nothing_left());
    E.policy = POL_FULL;
}

/* The transport alone: 200,000 octets from the chip while the host reads nothing fill the
 * receive ring; the IN transfers then wait and the chip holds the rest; reading it all back
 * gives every octet once, in order, with the status octets of every packet removed. */
static void t_ring(void)
{
    static uint8_t src[200000], dst[200000];
    tco_transport *t = NULL;
    size_t got = 0, held;
    char why[256];

    E.policy = POL_RANDOM;
    emu_plug();
    CHECK_ST(tco_usb_open(&t, "0403:6010?timeout=200", why, sizeof(why)), TCO_OK);
    if (t == NULL)
        return;
    t_fill(src, sizeof(src));
    memcpy(E.chip, src, sizeof(src));
    E.chip_len = sizeof(src);
    /* events handled, nothing read, until the chip's level stops moving: the ring is full */
    held = 0;
    for (int i = 0; i < 500 && held != E.chip_len; i++) {
        held = E.chip_len;
        tco_transport_usb.idle(t);
    }
    held = E.chip_len;
    if (!(held > 0 && held < sizeof(src) - 40000))
        fprintf(stderr, "chip still holds %zu of %zu\n", held, sizeof(src));
    CHECK(held > 0 && held < sizeof(src) - 40000); /* the ring took some, not all */
    while (got < sizeof(src)) {
        size_t n = 0;
        tco_status st = tco_transport_usb.recv(t, dst + got, 1 + t_below(3000), &n);
        if (st != TCO_OK)
            break;
        got += n;
    }
    CHECK(got == sizeof(src) && memcmp(src, dst, sizeof(src)) == 0);
    {
        size_t n = 0;
        CHECK_ST(tco_transport_usb.recv(t, dst, 10, &n), TCO_ERR_TIMEOUT); /* nothing more */
        CHECK(n == 0);
    }
    tco_transport_usb.close(t);
    CHECK(nothing_left());
    E.policy = POL_FULL;
}

int main(void)
{
    tco_dev *s = NULL;

    alarm(600); /* a hang is a failure, not a stuck run */
    t_seed(0x05B);
    tco_usb_io_override = &emu_io;
    t_baud();
    if (sim_load() != 0) {
        fprintf(stderr, "libtcosim not found (TCO_SIM_LIB)\n");
        CHECK(0);
        return t_done("test_usb");
    }
    t_open();
    t_ring();
    CHECK_ST(tco_open(&s, "soft:"), TCO_OK);
    if (s != NULL) {
        t_ops(s);
        t_window();
        t_faults(s);
        t_split(s);
        t_unplug(s);
        tco_close(s);
    }
    if (E.sim != NULL)
        S.destroy(E.sim);
    dlclose(S.dl);
    return t_done("test_usb");
}
