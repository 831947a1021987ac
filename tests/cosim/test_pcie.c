/* SPDX-License-Identifier: Apache-2.0 */
/* The pcie: transport without a card. A thread plays the card: the two XDMA stream devices
 * are FIFOs in a temporary directory; what the host writes to h2c goes into the simulated
 * device (the sim transport, libtcosim), and the device's answers go back through c2h in
 * packets of 1..512 octets with pauses between some, so the host sees answers split at any
 * point as XDMA's short reads would. On it: key load, KDF, AES-CTR over 10 KiB, HMAC and an
 * SRTP batch, compared byte for byte with soft:; the user BAR's ID check and stream reset;
 * URI errors; the card disappearing in the middle of a batch (every pending request ends
 * with TCO_ERR_IO, nothing hangs); and an auto:?fallback=soft handle on a card that dies,
 * whose health check switches it to soft: (TCO_ERR_FAILED_OVER, reported).
 *
 * usage: test_pcie   (needs TCO_SIM_LIB, as the other cosim tests) */
#include "tcheck.h"
#include "tco.h"
#include "transport.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAXPKT 512 /* largest c2h packet the emulated bridge hands over at once */

typedef struct card {
    char h2c[300], c2h[300];
    tco_transport *sim;
    pthread_t th;
    atomic_int kill;
    atomic_int gone;
    atomic_int ready; /* h2c open for reading: the host may open the card */
    atomic_int sim_err; /* the simulated device refused octets (checked by the main thread) */
    atomic_ullong out_total; /* device octets delivered to the host */
    atomic_ullong die_at;    /* disappear once this many are delivered (0: never) */
    uint64_t rng;
    uint8_t buf[65536];
} card;

static uint32_t card_rand(card *c)
{
    c->rng ^= c->rng >> 12;
    c->rng ^= c->rng << 25;
    c->rng ^= c->rng >> 27;
    return (uint32_t)((c->rng * 0x2545F4914F6CDD1Dull) >> 32);
}

/* c2h: packets of 1..MAXPKT octets, sometimes a pause; -1 when the card goes (or the host
 * closed its end). */
static int deliver(card *c, int out, const uint8_t *p, size_t n)
{
    while (n > 0) {
        size_t k = 1 + card_rand(c) % MAXPKT;
        unsigned long long die = atomic_load(&c->die_at), tot = atomic_load(&c->out_total);
        int dying = 0;

        if (k > n)
            k = n;
        if (die != 0 && tot + k >= die) {
            k = die > tot ? (size_t)(die - tot) : 0;
            dying = 1;
        }
        for (size_t off = 0; off < k;) {
            ssize_t w = write(out, p + off, k - off);
            if (w <= 0)
                return -1;
            off += (size_t)w;
        }
        atomic_fetch_add(&c->out_total, k);
        if (dying)
            return -1;
        p += k;
        n -= k;
        if (card_rand(c) % 4 == 0) {
            const struct timespec d = {0, 100000};
            nanosleep(&d, NULL);
        }
    }
    return 0;
}

static void *card_main(void *arg)
{
    card *c = arg;
    sigset_t ss;
    int in, out = -1, busy = 0;

    sigemptyset(&ss);
    sigaddset(&ss, SIGPIPE); /* the host gone: EPIPE, not a signal */
    pthread_sigmask(SIG_BLOCK, &ss, NULL);
    in = open(c->h2c, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    atomic_store(&c->ready, 1);
    while (in >= 0 && !atomic_load(&c->kill)) {
        struct pollfd pf = {.fd = in, .events = POLLIN};
        int pr;

        if (out < 0) { /* ENXIO until the host has opened c2h */
            out = open(c->c2h, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
            if (out >= 0)
                fcntl(out, F_SETFL, fcntl(out, F_GETFL) & ~O_NONBLOCK);
        }
        pr = poll(&pf, 1, busy ? 0 : 1);
        if (pr > 0 && (pf.revents & POLLIN)) {
            ssize_t n = read(in, c->buf, sizeof(c->buf));
            if (n > 0) {
                if (tco_transport_sim.send(c->sim, c->buf, (size_t)n) != TCO_OK)
                    atomic_store(&c->sim_err, 1);
                busy = 4;
                continue; /* take everything the host wrote before the clock runs */
            }
        }
        if (pr > 0 && !(pf.revents & POLLIN) && (pf.revents & (POLLHUP | POLLERR)))
            break; /* the host closed h2c */
        if (busy > 0) {
            size_t got = 0;
            (void)tco_transport_sim.recv(c->sim, c->buf, sizeof(c->buf), &got);
            if (got > 0) {
                /* the bridge collects for a while (the answer arrives an octet a cycle) */
                size_t more = 0;
                tco_transport_sim.idle(c->sim);
                (void)tco_transport_sim.recv(c->sim, c->buf + got, sizeof(c->buf) - got, &more);
                got += more;
                if (out < 0 || deliver(c, out, c->buf, got) != 0)
                    break;
                busy = 4;
            } else {
                busy--;
            }
        }
    }
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    atomic_store(&c->gone, 1);
    return NULL;
}

static int card_start(card *c, const char *h2c, const char *c2h, uint64_t seed)
{
    memset(c, 0, sizeof(*c));
    snprintf(c->h2c, sizeof(c->h2c), "%s", h2c);
    snprintf(c->c2h, sizeof(c->c2h), "%s", c2h);
    c->rng = seed;
    if (mkfifo(h2c, 0600) != 0 || mkfifo(c2h, 0600) != 0)
        return -1;
    /* the device's answers come back within a few thousand cycles; a short wait keeps the
     * card's clock from running on while nothing is asked */
    if (tco_transport_sim.open(&c->sim, "?timeout=20000") != TCO_OK)
        return -1;
    if (pthread_create(&c->th, NULL, card_main, c) != 0)
        return -1;
    while (!atomic_load(&c->ready)) {
        const struct timespec d = {0, 100000};
        nanosleep(&d, NULL);
    }
    return 0;
}

static void card_stop(card *c)
{
    atomic_store(&c->kill, 1);
    pthread_join(c->th, NULL);
    CHECK(!atomic_load(&c->sim_err));
    tco_transport_sim.close(c->sim);
    unlink(c->h2c);
    unlink(c->c2h);
}

static char log_warn[2048];

static void log_fn(void *user, tco_log_level level, const char *msg)
{
    size_t n = strlen(log_warn);
    (void)user;
    if (level <= TCO_LOG_WARN && n + strlen(msg) + 2 < sizeof(log_warn))
        snprintf(log_warn + n, sizeof(log_warn) - n, "%s\n", msg);
}

static void write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL && fwrite(p, 1, n, f) == n);
    if (f)
        fclose(f);
}

static uint32_t reg_at(const char *path, long off)
{
    uint32_t v = 0;
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL && fseek(f, off, SEEK_SET) == 0 && fread(&v, 4, 1, f) == 1);
    if (f)
        fclose(f);
    return v;
}

/* ----------------------------------------------------------------------------------------- */

#define NPKT 48

typedef struct srtp_set {
    uint8_t pkt[NPKT][256], out[NPKT][280];
    size_t len[NPKT];
    tco_srtp_frame_req r[NPKT];
} srtp_set;

static void srtp_build(srtp_set *s, int fill)
{
    for (int i = 0; i < NPKT; i++) {
        if (fill) {
            s->len[i] = 12 + t_below(200);
            t_fill(s->pkt[i], s->len[i]);
            s->pkt[i][0] = 0x80;
        }
        memset(&s->r[i], 0, sizeof(s->r[i]));
        s->r[i].ke = 3;
        s->r[i].ka = 4;
        s->r[i].ks = 5;
        s->r[i].tag_len = 10;
        s->r[i].clear_len = 12;
        s->r[i].enc_len = s->len[i] - 12;
        s->r[i].index = 1000 + (uint64_t)i;
        s->r[i].in = s->pkt[i];
        s->r[i].in_len = s->len[i];
        s->r[i].out = s->out[i];
        s->r[i].out_cap = sizeof(s->out[i]);
    }
}

static void load_both(tco_dev *a, tco_dev *b, tco_slot s, const uint8_t *k, size_t n,
                      uint32_t attrs)
{
    CHECK_ST(tco_key_load(a, s, k, n, attrs), TCO_OK);
    CHECK_ST(tco_key_load(b, s, k, n, attrs), TCO_OK);
}

/* The short sequence on the card, compared with soft:. */
static void sequence(tco_dev *sd, tco_dev *hd, srtp_set *ss, srtp_set *sh)
{
    static uint8_t in[10240], a[10240], b[10240];
    uint8_t k[32], ma[32], mb[32], ctr[16];
    size_t la = 0, lb = 0;
    const uint8_t fresh[4] = {0, 0, 1, 2};
    tco_kdf_param p = {.data = fresh, .len = 4};
    tco_kdf_dest d = {.split = TCO_SPLIT_FULL, .slot_a = 2, .attrs_a = TCO_USE_AES};
    tco_info info;

    t_fill(k, 32);
    load_both(sd, hd, 1, k, 32, TCO_USE_KDF | TCO_USE_KDF_OUT | TCO_USE_HMAC);
    CHECK_ST(tco_kdf(sd, 1, 0x16, &p, 1, ma), TCO_OK);
    CHECK_ST(tco_kdf(hd, 1, 0x16, &p, 1, mb), TCO_OK);
    CHECK(memcmp(ma, mb, 32) == 0);
    CHECK_ST(tco_kdf_derive(sd, 1, 0x16, &p, 1, &d), TCO_OK);
    CHECK_ST(tco_kdf_derive(hd, 1, 0x16, &p, 1, &d), TCO_OK);

    t_fill(in, sizeof(in));
    t_fill(ctr, 16);
    CHECK_ST(tco_aes_ctr(sd, 2, ctr, 32, in, a, sizeof(in)), TCO_OK);
    CHECK_ST(tco_aes_ctr(hd, 2, ctr, 32, in, b, sizeof(in)), TCO_OK);
    CHECK(memcmp(a, b, sizeof(in)) == 0);

    CHECK_ST(tco_hmac(sd, 1, TCO_HASH_SHA256, in, 1000, ma, 32, &la), TCO_OK);
    CHECK_ST(tco_hmac(hd, 1, TCO_HASH_SHA256, in, 1000, mb, 32, &lb), TCO_OK);
    CHECK(la == 32 && lb == 32 && memcmp(ma, mb, 32) == 0);
    CHECK_ST(tco_hmac(sd, 1, TCO_HASH_SHA1, in, 77, ma, 32, &la), TCO_OK);
    CHECK_ST(tco_hmac(hd, 1, TCO_HASH_SHA1, in, 77, mb, 32, &lb), TCO_OK);
    CHECK(la == 20 && lb == 20 && memcmp(ma, mb, 20) == 0);

    CHECK_ST(tco_get_info(hd, &info), TCO_OK);
    if (!(info.caps & TCO_CAP_SRTP)) {
        printf("device without SRTP: batch skipped\n");
        return;
    }
    t_fill(k, 32);
    /* session keys the host loads: each in its role, the salt releasable (docs/keys.md) */
    load_both(sd, hd, 3, k, 16, TCO_USE_SRTP_KE);
    load_both(sd, hd, 4, k + 8, 20, TCO_USE_SRTP_KA);
    load_both(sd, hd, 5, k + 16, 14, TCO_USE_SRTP_SALT | TCO_ATTR_EXPORTABLE);
    srtp_build(ss, 1);
    memcpy(sh->pkt, ss->pkt, sizeof(ss->pkt));
    memcpy(sh->len, ss->len, sizeof(ss->len));
    srtp_build(sh, 0);
    CHECK_ST(tco_srtp_frames(sd, ss->r, NPKT), TCO_OK);
    CHECK_ST(tco_srtp_frames(hd, sh->r, NPKT), TCO_OK);
    {
        int bad = 0;
        for (int i = 0; i < NPKT; i++)
            bad += sh->r[i].out_len != ss->r[i].out_len ||
                   memcmp(sh->out[i], ss->out[i], ss->r[i].out_len) != 0;
        CHECK_CASES("SRTP batch pcie = soft", bad, NPKT);
    }
}

/* The card goes in the middle of an SRTP batch (or, without SRTP, of a long AES-CTR). */
static void disappear(tco_dev *sd, tco_dev *hd, card *c, srtp_set *ss, srtp_set *sh)
{
    static uint8_t in[65536], out[65536];
    uint8_t ctr[16] = {0}, mac[32];
    size_t ml = 0;
    tco_info info;

    CHECK_ST(tco_get_info(hd, &info), TCO_OK);
    atomic_store(&c->die_at, atomic_load(&c->out_total) + 2500);
    if (info.caps & TCO_CAP_SRTP) {
        int io = 0, bad = 0;
        srtp_build(sh, 0);
        srtp_build(ss, 0);
        CHECK_ST(tco_srtp_frames(sd, ss->r, NPKT), TCO_OK);
        CHECK_ST(tco_srtp_frames(hd, sh->r, NPKT), TCO_ERR_IO);
        for (int i = 0; i < NPKT; i++) {
            if (sh->r[i].status == TCO_ERR_IO)
                io++;
            else if (sh->r[i].status != TCO_OK ||
                     memcmp(sh->out[i], ss->out[i], ss->r[i].out_len) != 0)
                bad++;
        }
        printf("card gone during the SRTP batch: %d of %d packets answered, %d TCO_ERR_IO\n",
               NPKT - io - bad, NPKT, io);
        CHECK(io > 0 && bad == 0);
    }
    memset(out, 0xAA, sizeof(out));
    CHECK_ST(tco_aes_ctr(hd, 2, ctr, 128, in, out, sizeof(out)), TCO_ERR_IO);
    CHECK(out[0] == 0 && out[sizeof(out) - 1] == 0); /* no partial output */
    for (int i = 0; i < 2000 && !atomic_load(&c->gone); i++) {
        const struct timespec d = {0, 1000000};
        nanosleep(&d, NULL);
    }
    CHECK(atomic_load(&c->gone));
    CHECK_ST(tco_hmac(hd, 1, TCO_HASH_SHA256, in, 10, mac, 32, &ml), TCO_ERR_IO);
    CHECK_ST(tco_key_load(hd, 6, in, 16, TCO_USE_AES), TCO_ERR_IO);
    CHECK_ST(tco_get_info(hd, &info), TCO_ERR_IO);
    CHECK_ST(tco_health_check(hd), TCO_ERR_SELFTEST); /* no fallback on a pcie: handle */
}

static void uri_errors(const char *dir)
{
    char uri[1024], h2c[128], user[128];
    uint32_t regs[2] = {0x12345678u, 0};
    tco_dev *d = NULL;

    snprintf(uri, sizeof(uri), "pcie:%s/none?channel=2", dir);
    CHECK_ST(tco_open(&d, uri), TCO_ERR_NO_DEVICE);
    snprintf(uri, sizeof(uri), "pcie:?h2c=%s/none_h2c&c2h=%s/none_c2h", dir, dir);
    CHECK_ST(tco_open(&d, uri), TCO_ERR_NO_DEVICE);
    /* a FIFO nobody reads: no card behind it */
    snprintf(h2c, sizeof(h2c), "%s/lonely_h2c", dir);
    CHECK(mkfifo(h2c, 0600) == 0);
    snprintf(uri, sizeof(uri), "pcie:?h2c=%s&c2h=%s/none_c2h", h2c, dir);
    CHECK_ST(tco_open(&d, uri), TCO_ERR_NO_DEVICE);
    /* another bitstream behind the user BAR (something reads the FIFO this time) */
    snprintf(user, sizeof(user), "%s/wrong_user", dir);
    write_file(user, regs, sizeof(regs));
    {
        int rd = open(h2c, O_RDONLY | O_NONBLOCK);
        CHECK(rd >= 0);
        snprintf(uri, sizeof(uri), "pcie:?h2c=%s&c2h=%s&user=%s", h2c, h2c, user);
        CHECK_ST(tco_open(&d, uri), TCO_ERR_PROTOCOL);
        if (rd >= 0)
            close(rd);
    }
    unlink(h2c);
    /* plain files are no card (and a c2h path is never truncated) */
    snprintf(uri, sizeof(uri), "pcie:?h2c=%s&c2h=%s", user, user);
    CHECK_ST(tco_open(&d, uri), TCO_ERR_NO_DEVICE);
    CHECK(reg_at(user, 0) == regs[0]);
    unlink(user);
    CHECK(d == NULL);
    static const char *const bad[] = {
        "pcie:?h2c=/a",           "pcie:?c2h=/a",           "pcie:/p?h2c=/a&c2h=/b",
        "pcie:?h2c=/a&c2h=/b&channel=1", "pcie:/p?channel=4", "pcie:/p?channel=x",
        "pcie:/p?timeout=0",      "pcie:/p?bogus=1",        "pcie:/p?timeout=5&timeout=6",
        "pcie:?h2c=/a&c2h=/b&user=1", "pcie:/p?user=yes",   "pcie:/p?channel",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        tco_status st = tco_open(&d, bad[i]);
        if (st != TCO_ERR_BAD_URI)
            fprintf(stderr, "%s -> %s\n", bad[i], tco_strerror(st));
        CHECK(st == TCO_ERR_BAD_URI);
    }
}

/* auto:?fallback=soft on a card that dies: the health check switches the handle to soft:. */
static void failover(const char *dir, tco_dev *sd)
{
    static card cb;
    char h2c[300], c2h[300], env[700];
    uint8_t k[16], a[64], b[64], ctr[16] = {0};
    tco_open_opts o = {.log = log_fn, .log_level = TCO_LOG_WARN};
    size_t len = 99;
    uint32_t attrs = 0;
    tco_slot s;
    tco_info info;
    tco_dev *ad = NULL;

    snprintf(h2c, sizeof(h2c), "%s/b_h2c", dir);
    snprintf(c2h, sizeof(c2h), "%s/b_c2h", dir);
    if (card_start(&cb, h2c, c2h, 77) != 0) {
        CHECK(!"card emulation starts");
        unlink(h2c);
        unlink(c2h);
        return;
    }
    snprintf(env, sizeof(env), "pcie:?h2c=%s&c2h=%s&timeout=300", h2c, c2h);
    setenv("TCO_AUTO_TRY", env, 1);
    CHECK_ST(tco_open_ex(&ad, "auto:?fallback=soft", &o), TCO_OK);
    unsetenv("TCO_AUTO_TRY");
    if (ad == NULL) {
        card_stop(&cb);
        return;
    }
    CHECK_ST(tco_get_info(ad, &info), TCO_OK);
    CHECK(strcmp(info.backend, "pcie") == 0 && info.fallback == TCO_FALLBACK_NONE);
    CHECK_ST(tco_health_check(ad), TCO_OK);

    t_fill(k, 16);
    t_fill(a, 64);
    CHECK_ST(tco_slot_alloc(ad, &s), TCO_OK);
    CHECK_ST(tco_key_load(ad, s, k, 16, TCO_USE_AES), TCO_OK);
    CHECK_ST(tco_key_load(sd, s, k, 16, TCO_USE_AES), TCO_OK);
    CHECK_ST(tco_aes_ctr(ad, s, ctr, 128, a, b, 64), TCO_OK);

    atomic_store(&cb.kill, 1); /* the card goes */
    pthread_join(cb.th, NULL);
    CHECK_ST(tco_aes_ctr(ad, s, ctr, 128, a, b, 64), TCO_ERR_IO);
    log_warn[0] = '\0';
    CHECK_ST(tco_health_check(ad), TCO_ERR_FAILED_OVER);
    CHECK(strstr(log_warn, "FALLBACK to soft:") != NULL);
    CHECK_ST(tco_get_info(ad, &info), TCO_OK);
    CHECK(strcmp(info.backend, "soft") == 0 && info.fallback == TCO_FALLBACK_FAILED);
    CHECK(!(info.caps & TCO_CAP_HW));
    /* the key stayed behind; the slot number is still ours; reload and go on */
    CHECK_ST(tco_key_info(ad, s, &len, &attrs), TCO_OK);
    CHECK(len == 0);
    CHECK_ST(tco_aes_ctr(ad, s, ctr, 128, a, b, 64), TCO_ERR_SLOT_EMPTY);
    {
        tco_slot t2;
        CHECK_ST(tco_slot_alloc(ad, &t2), TCO_OK);
        CHECK(t2 != s); /* the reservation survived the switch */
    }
    CHECK_ST(tco_key_load(ad, s, k, 16, TCO_USE_AES), TCO_OK);
    {
        uint8_t x[64];
        CHECK_ST(tco_aes_ctr(ad, s, ctr, 128, a, b, 64), TCO_OK);
        CHECK_ST(tco_aes_ctr(sd, s, ctr, 128, a, x, 64), TCO_OK);
        CHECK(memcmp(b, x, 64) == 0);
    }
    CHECK_ST(tco_health_check(ad), TCO_OK);
    tco_close(ad);
    tco_transport_sim.close(cb.sim);
    unlink(h2c);
    unlink(c2h);
}

/* The same with the periodic check: auto:?fallback=soft&health=MS runs the health check
 * before an engine call once MS have passed; the call after the card dies returns
 * TCO_ERR_FAILED_OVER without the caller calling tco_health_check itself. */
static void periodic(const char *dir)
{
    static card cc;
    char h2c[300], c2h[300], env[700];
    uint8_t k[16], a[64], b[64], ctr[16] = {0};
    tco_open_opts o = {.log = log_fn, .log_level = TCO_LOG_WARN};
    struct timespec ms5 = {0, 5000000};
    tco_slot s;
    tco_info info;
    tco_dev *ad = NULL;

    snprintf(h2c, sizeof(h2c), "%s/c_h2c", dir);
    snprintf(c2h, sizeof(c2h), "%s/c_c2h", dir);
    if (card_start(&cc, h2c, c2h, 91) != 0) {
        CHECK(!"card emulation starts");
        unlink(h2c);
        unlink(c2h);
        return;
    }
    snprintf(env, sizeof(env), "pcie:?h2c=%s&c2h=%s&timeout=300", h2c, c2h);
    setenv("TCO_AUTO_TRY", env, 1);
    CHECK_ST(tco_open_ex(&ad, "auto:?fallback=soft&health=0", &o), TCO_ERR_BAD_URI);
    CHECK_ST(tco_open_ex(&ad, "auto:?fallback=soft&health=2", &o), TCO_OK);
    unsetenv("TCO_AUTO_TRY");
    if (ad == NULL) {
        card_stop(&cc);
        return;
    }
    t_fill(k, 16);
    t_fill(a, 64);
    CHECK_ST(tco_slot_alloc(ad, &s), TCO_OK);
    CHECK_ST(tco_key_load(ad, s, k, 16, TCO_USE_AES), TCO_OK);
    nanosleep(&ms5, NULL);
    CHECK_ST(tco_aes_ctr(ad, s, ctr, 128, a, b, 64), TCO_OK); /* due: checked, passes */
    atomic_store(&cc.kill, 1); /* the card goes */
    pthread_join(cc.th, NULL);
    nanosleep(&ms5, NULL);
    log_warn[0] = '\0';
    CHECK_ST(tco_aes_ctr(ad, s, ctr, 128, a, b, 64), TCO_ERR_FAILED_OVER);
    CHECK(strstr(log_warn, "FALLBACK to soft:") != NULL);
    CHECK_ST(tco_get_info(ad, &info), TCO_OK);
    CHECK(strcmp(info.backend, "soft") == 0 && info.fallback == TCO_FALLBACK_FAILED);
    CHECK_ST(tco_key_load(ad, s, k, 16, TCO_USE_AES), TCO_OK);
    CHECK_ST(tco_aes_ctr(ad, s, ctr, 128, a, b, 64), TCO_OK);
    tco_close(ad);
    tco_transport_sim.close(cc.sim);
    unlink(h2c);
    unlink(c2h);
}

int main(void)
{
    static card ca;
    static srtp_set ss, sh;
    char dir[] = "/tmp/tco-pcie-XXXXXX", prefix[64], h2c[128], c2h[128], user[128];
    char uri[1024];
    uint32_t regs[2] = {0x54434F31u, 0}; /* ID "TCO1", CTRL */
    tco_dev *sd = NULL, *hd = NULL;
    tco_info info;

    t_seed(0x9c1e);
    if (mkdtemp(dir) == NULL) {
        CHECK(!"mkdtemp");
        return t_done("test_pcie");
    }
    CHECK_ST(tco_open(&sd, "soft:"), TCO_OK);
    uri_errors(dir);

    /* card A, opened by prefix and channel, with the user BAR */
    snprintf(prefix, sizeof(prefix), "%s/xdma0", dir);
    snprintf(h2c, sizeof(h2c), "%s_h2c_1", prefix);
    snprintf(c2h, sizeof(c2h), "%s_c2h_1", prefix);
    snprintf(user, sizeof(user), "%s_user", prefix);
    write_file(user, regs, sizeof(regs));
    if (card_start(&ca, h2c, c2h, 12345) != 0) {
        CHECK(!"card emulation starts (TCO_SIM_LIB)");
        unlink(h2c);
        unlink(c2h);
        unlink(user);
        rmdir(dir);
        return t_done("test_pcie");
    }
    snprintf(uri, sizeof(uri), "pcie:%s?channel=1&timeout=500&user=1", prefix);
    CHECK_ST(tco_open(&hd, uri), TCO_OK);
    CHECK(reg_at(user, 4) == 1); /* the stream reset was pulsed */
    if (hd != NULL) {
        CHECK_ST(tco_get_info(hd, &info), TCO_OK);
        CHECK(strcmp(info.backend, "pcie") == 0 && (info.caps & TCO_CAP_HW) &&
              info.fallback == TCO_FALLBACK_NONE);
        sequence(sd, hd, &ss, &sh);
        CHECK_ST(tco_get_info(hd, &info), TCO_OK);
        printf("card A: %llu octets back in packets of 1..%d, %llu requests resent\n",
               (unsigned long long)atomic_load(&ca.out_total), MAXPKT,
               (unsigned long long)info.link_retries);
        disappear(sd, hd, &ca, &ss, &sh);
        tco_close(hd); /* returns: every erase ends at once with TCO_ERR_IO */
    }
    card_stop(&ca);
    unlink(user);

    failover(dir, sd);
    periodic(dir);
    tco_close(sd);
    rmdir(dir);
    return t_done("test_pcie");
}
