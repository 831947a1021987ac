/* SPDX-License-Identifier: Apache-2.0 */
/* The usb: transport with the real libusb-1.0, one level further down than test_usb.c: the
 * USB device is emulated at the usbdevfs level by umockdev (a sysfs entry with an FT2232H's
 * descriptors, and an ioctl handler for /dev/bus/usb/001/002), and the far side of the chip
 * is the simulated device (libtcosim). libusb enumerates through sysfs/udev, opens the node,
 * claims channel B, sends the FTDI control requests as control URBs and runs its event loop
 * over bulk URBs. Checks the control requests at open, then key loads, AES-CTR and HMAC
 * against soft:, and unplugging (URBs reaped with -ENODEV).
 * The program runs itself again under umockdev-wrapper (LD_PRELOAD) when it is not there. */
#include "tcheck.h"
#include "tco.h"
#include "tco_priv.h"
#include "tco_sim.h"

#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <linux/usbdevice_fs.h>
#include <umockdev.h>
#include <unistd.h>

/* the simulated device */
static struct {
    void *dl;
    tco_sim *sim;
    size_t (*push)(tco_sim *, const uint8_t *, size_t);
    size_t (*pull)(tco_sim *, uint8_t *, size_t);
    size_t (*tx_pending)(const tco_sim *);
    uint64_t (*run_until)(tco_sim *, size_t, uint64_t);
} S;

/* The emulated chip: URBs submitted and not yet reaped. Everything below runs on umockdev's
 * ioctl thread; the test thread reads the results after the ioctls they come from. */
#define NURB 32
static struct {
    UMockdevIoctlData *urb[NURB], *buf[NURB];
    int done[NURB]; /* reapable */
    int n;
    uint16_t setup[32][4]; /* control requests: bmRequestType<<8|bRequest, wValue, wIndex, wLength */
    int nsetup;
    int gone, unknown;
    unsigned long in_data, status_only;
    uint8_t chip[1 << 16];
    size_t chip_len;
} U;

static void urb_drop(int i)
{
    g_object_unref(U.urb[i]);
    if (U.buf[i])
        g_object_unref(U.buf[i]);
    memmove(&U.urb[i], &U.urb[i + 1], (size_t)(U.n - i - 1) * sizeof(U.urb[0]));
    memmove(&U.buf[i], &U.buf[i + 1], (size_t)(U.n - i - 1) * sizeof(U.buf[0]));
    memmove(&U.done[i], &U.done[i + 1], (size_t)(U.n - i - 1) * sizeof(U.done[0]));
    U.n--;
}

/* Fill an IN URB: packets of 512 octets, two modem-status octets in front of each. */
static void fill_in(struct usbdevfs_urb *u, uint8_t *b)
{
    size_t off = 0, used = 0;

    if (U.chip_len == 0 && S.tx_pending(S.sim) == 0)
        S.run_until(S.sim, 1, 20000);
    S.run_until(S.sim, S.tx_pending(S.sim) + 4096, 3000);
    U.chip_len += S.pull(S.sim, U.chip + U.chip_len, sizeof(U.chip) - U.chip_len);
    while (off + 2 <= (size_t)u->buffer_length) {
        size_t k = U.chip_len - used < 510 ? U.chip_len - used : 510;
        if (off + 2 + k > (size_t)u->buffer_length)
            k = (size_t)u->buffer_length - off - 2;
        b[off] = 0x31;
        b[off + 1] = 0x60;
        memcpy(b + off + 2, U.chip + used, k);
        off += 2 + k;
        used += k;
        if (k < 510)
            break;
    }
    memmove(U.chip, U.chip + used, U.chip_len - used);
    U.chip_len -= used;
    if (used)
        U.in_data++;
    else
        U.status_only++;
    u->actual_length = (int)off;
    u->status = 0;
}

static gboolean on_ioctl(UMockdevIoctlBase *base, UMockdevIoctlClient *c, gpointer user)
{
    gulong req = umockdev_ioctl_client_get_request(c);
    UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(c);

    (void)base, (void)user;
    if (req == USBDEVFS_GET_CAPABILITIES) {
        uint32_t caps = USBDEVFS_CAP_BULK_CONTINUATION | USBDEVFS_CAP_NO_PACKET_SIZE_LIM |
                        USBDEVFS_CAP_REAP_AFTER_DISCONNECT;
        UMockdevIoctlData *d = umockdev_ioctl_data_resolve(arg, 0, sizeof(caps), NULL);
        memcpy(d->data, &caps, sizeof(caps));
        g_object_unref(d);
        umockdev_ioctl_client_complete(c, 0, 0);
    } else if (req == USBDEVFS_CLAIMINTERFACE || req == USBDEVFS_RELEASEINTERFACE ||
               req == USBDEVFS_DISCONNECT_CLAIM || req == USBDEVFS_IOCTL) {
        umockdev_ioctl_client_complete(c, U.gone ? -1 : 0, U.gone ? ENODEV : 0);
    } else if (req == USBDEVFS_GETDRIVER) {
        umockdev_ioctl_client_complete(c, -1, ENODATA); /* no kernel driver bound */
    } else if (req == USBDEVFS_SUBMITURB) {
        UMockdevIoctlData *ud, *bd = NULL;
        struct usbdevfs_urb *u;
        if (U.gone || U.n == NURB) {
            umockdev_ioctl_client_complete(c, -1, U.gone ? ENODEV : ENOMEM);
            return TRUE;
        }
        ud = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), NULL);
        u = (struct usbdevfs_urb *)(void *)ud->data;
        if (u->buffer_length > 0)
            bd = umockdev_ioctl_data_resolve(ud, offsetof(struct usbdevfs_urb, buffer),
                                             (gsize)u->buffer_length, NULL);
        U.urb[U.n] = ud;
        U.buf[U.n] = bd;
        U.done[U.n] = 0;
        if (u->type == USBDEVFS_URB_TYPE_CONTROL && bd && U.nsetup < 32) {
            uint8_t *s = bd->data;
            U.setup[U.nsetup][0] = (uint16_t)(s[0] << 8 | s[1]);
            U.setup[U.nsetup][1] = (uint16_t)(s[2] | s[3] << 8);
            U.setup[U.nsetup][2] = (uint16_t)(s[4] | s[5] << 8);
            U.setup[U.nsetup][3] = (uint16_t)(s[6] | s[7] << 8);
            U.nsetup++;
            u->actual_length = 0;
            u->status = 0;
            U.done[U.n] = 1;
        } else if (u->type == USBDEVFS_URB_TYPE_BULK && !(u->endpoint & 0x80)) {
            S.push(S.sim, bd ? bd->data : NULL, (size_t)u->buffer_length);
            u->actual_length = u->buffer_length;
            u->status = 0;
            U.done[U.n] = 1;
        }
        U.n++;
        umockdev_ioctl_client_complete(c, 0, 0);
    } else if (req == USBDEVFS_DISCARDURB) {
        gulong addr = 0;
        int i;
        memcpy(&addr, arg->data, sizeof(addr) < (size_t)arg->data_len ? sizeof(addr) : (size_t)arg->data_len);
        for (i = 0; i < U.n && U.urb[i]->client_addr != addr; i++)
            ;
        if (i == U.n || U.done[i]) {
            umockdev_ioctl_client_complete(c, -1, EINVAL);
        } else {
            ((struct usbdevfs_urb *)(void *)U.urb[i]->data)->status = -ENOENT;
            ((struct usbdevfs_urb *)(void *)U.urb[i]->data)->actual_length = 0;
            U.done[i] = 1;
            umockdev_ioctl_client_complete(c, 0, 0);
        }
    } else if (req == USBDEVFS_REAPURB || req == USBDEVFS_REAPURBNDELAY) {
        int i;
        for (i = 0; i < U.n && !U.done[i]; i++)
            ;
        if (i == U.n && U.gone) {
            for (i = 0; i < U.n; i++)
                ((struct usbdevfs_urb *)(void *)U.urb[i]->data)->status = -ENODEV;
            i = 0;
        } else if (i == U.n) {
            for (i = 0; i < U.n && !(((struct usbdevfs_urb *)(void *)U.urb[i]->data)->endpoint & 0x80 &&
                                    ((struct usbdevfs_urb *)(void *)U.urb[i]->data)->type == USBDEVFS_URB_TYPE_BULK); i++)
                ;
            if (i < U.n)
                fill_in((struct usbdevfs_urb *)(void *)U.urb[i]->data, U.buf[i]->data);
        }
        if (i == U.n) {
            umockdev_ioctl_client_complete(c, -1, U.gone ? ENODEV : EAGAIN);
        } else {
            UMockdevIoctlData *pp = umockdev_ioctl_data_resolve(arg, 0, sizeof(void *), NULL);
            umockdev_ioctl_data_set_ptr(pp, 0, U.urb[i]);
            g_object_unref(pp);
            urb_drop(i);
            umockdev_ioctl_client_complete(c, 0, 0);
        }
    } else {
        U.unknown++;
        fprintf(stderr, "unhandled usbdevfs ioctl %lx\n", (unsigned long)req);
        umockdev_ioctl_client_complete(c, -1, ENOTTY);
    }
    return TRUE;
}

static const uint8_t ft2232h[] = {
    /* device: USB 2.0, max packet 64 on EP0, 0403:6010, bcdDevice 7.00, strings 1 2 3 */
    0x12, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x40, 0x03, 0x04, 0x10, 0x60, 0x00, 0x07, 0x01,
    0x02, 0x03, 0x01,
    /* configuration: 2 interfaces, bus powered */
    0x09, 0x02, 0x37, 0x00, 0x02, 0x01, 0x00, 0x80, 0x32,
    /* channel A: bulk IN 0x81, OUT 0x02, 512 octets */
    0x09, 0x04, 0x00, 0x00, 0x02, 0xFF, 0xFF, 0xFF, 0x02, 0x07, 0x05, 0x81, 0x02, 0x00, 0x02,
    0x00, 0x07, 0x05, 0x02, 0x02, 0x00, 0x02, 0x00,
    /* channel B: bulk IN 0x83, OUT 0x04 */
    0x09, 0x04, 0x01, 0x00, 0x02, 0xFF, 0xFF, 0xFF, 0x02, 0x07, 0x05, 0x83, 0x02, 0x00, 0x02,
    0x00, 0x07, 0x05, 0x04, 0x02, 0x00, 0x02, 0x00,
};

static int setup_is(int i, uint16_t rt_req, uint16_t value, uint16_t index)
{
    return i < U.nsetup && U.setup[i][0] == rt_req && U.setup[i][1] == value &&
           U.setup[i][2] == index && U.setup[i][3] == 0;
}

int main(int argc, char **argv)
{
    UMockdevTestbed *tb;
    UMockdevIoctlBase *h;
    GString *txt;
    GError *err = NULL;
    tco_dev *d = NULL, *s = NULL;
    tco_sim *(*create)(const char *);
    const char *lib = getenv("TCO_SIM_LIB") ? getenv("TCO_SIM_LIB") : "libtcosim.so.0";

    (void)argc;
    if (getenv("TCO_UMOCKDEV_WRAPPED") == NULL) {
        /* under ASan the preload library comes before the ASan runtime: allow that */
        const char *a = getenv("ASAN_OPTIONS");
        char *opts = g_strdup_printf("%s%sverify_asan_link_order=0", a ? a : "", a ? ":" : "");
        setenv("ASAN_OPTIONS", opts, 1);
        setenv("TCO_UMOCKDEV_WRAPPED", "1", 1);
        g_free(opts);
        execvp("umockdev-wrapper", (char *const[]){"umockdev-wrapper", argv[0], NULL});
        fprintf(stderr, "umockdev-wrapper: %s (apt-get install umockdev)\n", strerror(errno));
        CHECK(0);
        return t_done("test_usb_umockdev");
    }
    alarm(300);
    t_seed(0x0B0D);
    S.dl = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
    CHECK(S.dl != NULL);
    if (S.dl == NULL)
        return t_done("test_usb_umockdev");
    *(void **)&create = dlsym(S.dl, "tco_sim_create");
    *(void **)&S.push = dlsym(S.dl, "tco_sim_push");
    *(void **)&S.pull = dlsym(S.dl, "tco_sim_pull");
    *(void **)&S.tx_pending = dlsym(S.dl, "tco_sim_tx_pending");
    *(void **)&S.run_until = dlsym(S.dl, "tco_sim_run_until");
    S.sim = create(NULL);

    /* an FT2232H on bus 1, address 2, as udev and sysfs show it */
    tb = umockdev_testbed_new();
    txt = g_string_new("P: /devices/pci0000:00/0000:00:14.0/usb1/1-1\nN: bus/usb/001/002\n"
                       "E: DEVNAME=/dev/bus/usb/001/002\nE: DEVTYPE=usb_device\nE: SUBSYSTEM=usb\n"
                       "E: BUSNUM=001\nE: DEVNUM=002\nE: PRODUCT=403/6010/700\n"
                       "A: idVendor=0403\nA: idProduct=6010\nA: busnum=1\nA: devnum=2\n"
                       "A: speed=480\nA: dev=189:1\nA: bConfigurationValue=1\n"
                       "A: bNumConfigurations=1\nA: serial=FT-A1\nH: descriptors=");
    for (size_t i = 0; i < sizeof(ft2232h); i++)
        g_string_append_printf(txt, "%02X", ft2232h[i]);
    g_string_append(txt, "\n");
    CHECK(umockdev_testbed_add_from_string(tb, txt->str, &err));
    g_string_free(txt, TRUE);
    h = umockdev_ioctl_base_new();
    g_signal_connect(h, "handle-ioctl", G_CALLBACK(on_ioctl), NULL);
    CHECK(umockdev_testbed_attach_ioctl(tb, "/dev/bus/usb/001/002", h, &err));

    /* another VID:PID: not found, through real enumeration */
    CHECK_ST(tco_open(&d, "usb:0403:6014"), TCO_ERR_NO_DEVICE);
    CHECK_ST(tco_open(&s, "soft:"), TCO_OK);
    CHECK_ST(tco_open(&d, "usb:0403:6010"), TCO_OK);
    /* the FTDI set-up: vendor OUT requests to channel B (wIndex low octet 2), 3 Mbaud */
    CHECK(U.nsetup >= 8);
    CHECK(setup_is(0, 0x4000, 0, 2) && setup_is(1, 0x4000, 1, 2) && setup_is(2, 0x4000, 2, 2));
    CHECK(setup_is(3, 0x4009, 1, 2) && setup_is(4, 0x400B, 0, 2) && setup_is(5, 0x4004, 8, 2));
    CHECK(setup_is(6, 0x4002, 0, 2) && setup_is(7, 0x4003, 0x0004, 0x0202));
    if (d != NULL && s != NULL) {
        uint8_t k[16], mk[32], ctr[16], in[3000], oh[3000], os[3000], mh[32], ms[32];
        size_t lh = 0, ls = 0;
        t_fill(k, 16);
        t_fill(mk, 32);
        t_fill(ctr, 16);
        t_fill(in, sizeof(in));
        for (int i = 0; i < 2; i++) {
            CHECK_ST(tco_key_load(i ? s : d, 1, k, 16, TCO_USE_AES), TCO_OK);
            CHECK_ST(tco_key_load(i ? s : d, 2, mk, 32, TCO_USE_HMAC), TCO_OK);
        }
        CHECK_ST(tco_aes_ctr(d, 1, ctr, 32, in, oh, sizeof(in)), TCO_OK);
        CHECK_ST(tco_aes_ctr(s, 1, ctr, 32, in, os, sizeof(in)), TCO_OK);
        CHECK(memcmp(oh, os, sizeof(in)) == 0);
        CHECK_ST(tco_hmac(d, 2, TCO_HASH_SHA256, in, 500, mh, 32, &lh), TCO_OK);
        CHECK_ST(tco_hmac(s, 2, TCO_HASH_SHA256, in, 500, ms, 32, &ls), TCO_OK);
        CHECK(lh == 32 && ls == 32 && memcmp(mh, ms, 32) == 0);
        CHECK(U.in_data > 0 && U.unknown == 0);
        /* unplugged: the URBs in flight come back -ENODEV, calls fail with TCO_ERR_IO */
        U.gone = 1;
        CHECK_ST(tco_aes_ctr(d, 1, ctr, 32, in, oh, sizeof(in)), TCO_ERR_IO);
        CHECK_ST(tco_hmac(d, 2, TCO_HASH_SHA256, in, 500, mh, 32, &lh), TCO_ERR_IO);
    }
    tco_close(d);
    tco_close(s);
    umockdev_testbed_detach_ioctl(tb, "/dev/bus/usb/001/002", NULL);
    g_object_unref(h);
    g_object_unref(tb);
    return t_done("test_usb_umockdev");
}
