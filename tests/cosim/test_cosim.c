/* SPDX-License-Identifier: Apache-2.0 */
/* Co-simulation: the same random host-library calls on soft: (OpenSSL) and sim: (the RTL
 * device under Verilator), compared status for status and byte for byte. Engine ops with
 * random keys, attributes, slots (including bad ones), lengths across frame boundaries; then
 * the kdf3gpp derivations and the mobility flows.
 *
 * usage: test_cosim [OPS]   (default 2500; `make cosim-long` runs more) */
#include "tcheck.h"
#include "tco.h"

#define NSLOT 32 /* the device's slot count; slots >= 64 are out of range on both */

static tco_dev *sd, *hd; /* soft, hardware (sim) */
static int ops;

static const char *op_name;

#define BOTH(call_s, call_h, out_s, out_h, n)                                                \
    do {                                                                                     \
        tco_status a_ = (call_s), b_ = (call_h);                                             \
        int same_ = a_ == b_ && (a_ != TCO_OK || (n) == 0 || memcmp(out_s, out_h, n) == 0);  \
        ops++;                                                                               \
        if (!same_)                                                                          \
            fprintf(stderr, "op %d %s: soft %s, sim %s%s\n", ops, op_name, tco_strerror(a_),   \
                    tco_strerror(b_), a_ == b_ ? " (outputs differ)" : "");                  \
        CHECK(same_);                                                                        \
    } while (0)

/* Attributes: mostly one of the key model's profiles (docs/keys.md) with random modifiers, so
 * that the operations run; one in eight random bits, which mostly no key may have (refused
 * alike: TCO_ERR_USAGE for a usage set of no profile or TRUSTED). */
static uint32_t rand_attrs(void)
{
    static const uint32_t prof[] = {
        0, TCO_USE_AES, TCO_USE_HMAC, TCO_USE_KDF, TCO_USE_KDF_OUT,
        TCO_USE_KDF | TCO_USE_KDF_OUT, TCO_USE_HMAC | TCO_USE_KDF_OUT,
        TCO_USE_HMAC | TCO_USE_KDF | TCO_USE_KDF_OUT, TCO_USE_GSM_C3, TCO_USE_SRTP_KDF,
        TCO_USE_SRTP_KDF | TCO_USE_KDF_OUT, TCO_USE_SRTP_KE, TCO_USE_SRTP_KA,
        TCO_USE_SRTP_SALT, TCO_USE_WRAP,
    };
    static const uint32_t mods[] = {TCO_ATTR_EXPORTABLE, TCO_ATTR_EXTRACTABLE,
                                    TCO_ATTR_WRAP_TRUSTED};
    uint32_t a;

    if (t_below(8) == 0)
        return (uint32_t)t_rand() & TCO_ATTR_ALL;
    a = prof[t_below(sizeof(prof) / sizeof(prof[0]))];
    for (size_t i = 0; i < 3; i++)
        if (t_below(3) == 0)
            a |= mods[i];
    return a;
}

static tco_slot rand_slot(void)
{
    return t_below(40) == 0 ? 64 + t_below(200) : t_below(NSLOT);
}

static size_t rand_key_len(void)
{
    static const size_t l[] = {16, 32, 16, 32, 20, 14, 1, 24, 31}; /* the model's and others */
    return l[t_below(9)];
}

static void op_load(void)
{
    uint8_t k[32];
    size_t n = rand_key_len();
    tco_slot s = rand_slot();
    uint32_t a = rand_attrs();

    op_name = "key_load";
    t_fill(k, n);
    BOTH(tco_key_load(sd, s, k, n, a), tco_key_load(hd, s, k, n, a), k, k, 0);
}

static void op_read_info_erase(void)
{
    uint8_t a[32], b[32];
    size_t la = 0, lb = 0;
    uint32_t aa = 0, ab = 0;
    tco_slot s = rand_slot();

    op_name = "key_read";
    memset(a, 0, sizeof(a));
    memset(b, 0, sizeof(b));
    BOTH(tco_key_read(sd, s, a, 32, &la), tco_key_read(hd, s, b, 32, &lb), a, b, 32);
    CHECK(la == lb);
    op_name = "key_info";
    BOTH(tco_key_info(sd, s, &la, &aa), tco_key_info(hd, s, &lb, &ab), a, a, 0);
    CHECK(la == lb && aa == ab);
    if (t_below(4) == 0) {
        op_name = "key_erase";
        BOTH(tco_key_erase(sd, s), tco_key_erase(hd, s), a, a, 0);
    }
}

static void op_kdf(void)
{
    uint8_t bufs[4][80], a[32], b[32];
    tco_kdf_param p[4];
    size_t np = t_below(5);
    uint8_t fc = (uint8_t)t_below(0xff);
    tco_slot ks = rand_slot();

    memset(p, 0, sizeof(p));
    for (size_t i = 0; i < np; i++) {
        if (t_below(4) == 0) {
            p[i].from_slot = 1;
            p[i].slot = rand_slot();
        } else {
            p[i].len = t_below(4) == 0 ? 0 : t_below(80);
            t_fill(bufs[i], p[i].len);
            p[i].data = bufs[i];
        }
    }
    if (t_below(2)) {
        op_name = "kdf";
        BOTH(tco_kdf(sd, ks, fc, p, np, a), tco_kdf(hd, ks, fc, p, np, b), a, b, 32);
    } else {
        tco_kdf_dest d;
        memset(&d, 0, sizeof(d));
        d.split = (tco_kdf_split)t_below(4);
        d.slot_a = t_below(NSLOT);
        d.attrs_a = rand_attrs();
        do
            d.slot_b = t_below(NSLOT);
        while (d.slot_b == d.slot_a);
        d.attrs_b = rand_attrs();
        op_name = "kdf_derive";
        BOTH(tco_kdf_derive(sd, ks, fc, p, np, &d), tco_kdf_derive(hd, ks, fc, p, np, &d), a, a,
             0);
    }
}

static void op_aes(void)
{
    static uint8_t in[5000], a[5000], b[5000];
    static const unsigned widths[] = {16, 32, 64, 128};
    uint8_t ctr[16];
    tco_slot s = rand_slot();
    size_t n;
    unsigned w = widths[t_below(4)];

    t_fill(ctr, 16);
    if (t_below(3) == 0) {
        op_name = "aes_block";
        BOTH(tco_aes_block(sd, s, ctr, a), tco_aes_block(hd, s, ctr, b), a, b, 16);
        return;
    }
    n = t_below(6) == 0 ? t_below(5000) : t_below(200);
    if (t_below(8) == 0) { /* near the end of a short counter: wraps are refused on both */
        memset(ctr + 14, 0xff, 2);
        ctr[15] = (uint8_t)(0xff - t_below(4));
    }
    t_fill(in, n);
    memset(a, 0, n);
    memset(b, 0, n);
    op_name = "aes_ctr";
    BOTH(tco_aes_ctr(sd, s, ctr, w, in, a, n), tco_aes_ctr(hd, s, ctr, w, in, b, n), a, b, n);
    if (n > 0 && t_below(4) == 0) { /* in place */
        memcpy(a, in, n);
        memcpy(b, in, n);
        op_name = "aes_ctr in place";
        BOTH(tco_aes_ctr(sd, s, ctr, w, a, a, n), tco_aes_ctr(hd, s, ctr, w, b, b, n), a, b, n);
    }
}

static void op_hmac(void)
{
    static uint8_t msg[1100];
    uint8_t a[32], b[32];
    size_t n = t_below(5) == 0 ? t_below(1087) : t_below(130), la = 0, lb = 0;
    tco_hash h = t_below(2) ? TCO_HASH_SHA256 : TCO_HASH_SHA1;
    tco_slot s = rand_slot();

    t_fill(msg, n);
    op_name = "hmac";
    BOTH(tco_hmac(sd, s, h, msg, n, a, 32, &la), tco_hmac(hd, s, h, msg, n, b, 32, &lb), a, b,
         la);
}

static void op_c3(void)
{
    uint8_t a[8], b[8];
    tco_slot x = rand_slot(), y = rand_slot();

    op_name = "gsm_c3";
    BOTH(tco_gsm_c3(sd, x, y, a), tco_gsm_c3(hd, x, y, b), a, b, 8);
}

/* kdf3gpp and flows on both backends, results exported and compared. */
static void flows(int rounds)
{
    for (int r = 0; r < rounds; r++) {
        uint8_t kasme[32], a[32], b[32];
        size_t la, lb;
        tco_slot ks = 0;
        tco_eps_ctx *es = NULL, *eh = NULL;
        tco_mapped_keys ms, mh;
        tco_hspa *hs = NULL, *hh = NULL;
        uint32_t count = (uint32_t)(t_rand() & TCO_NAS_COUNT_MAX);
        tco_transfer kind = t_below(2) ? TCO_TRANSFER_IDLE : TCO_TRANSFER_HANDOVER;
        tco_rat rat = t_below(2) ? TCO_RAT_GERAN : TCO_RAT_UTRAN;
        unsigned ncc = t_below(6);

        t_fill(kasme, 32);
        op_name = "flow: load";
        BOTH(tco_key_load(sd, ks, kasme, 32, TCO_USE_KDF | TCO_USE_KDF_OUT),
             tco_key_load(hd, ks, kasme, 32, TCO_USE_KDF | TCO_USE_KDF_OUT), a, a, 0);
        op_name = "flow: eps transfer (UE)";
        CHECK(tco_eps_ctx_new(sd, TCO_ROLE_UE, ks, count, count, 1, &es) == TCO_OK);
        CHECK(tco_eps_ctx_new(hd, TCO_ROLE_UE, ks, count, count, 1, &eh) == TCO_OK);
        BOTH(tco_eps_transfer_start(es, kind, rat, count, &ms),
             tco_eps_transfer_start(eh, kind, rat, count, &mh), &ms.kc, &mh.kc,
             ms.have_kc ? 8u : 0u);
        la = lb = 0;
        op_name = "flow: CK'";
        BOTH(tco_key_read(sd, ms.ck_slot, a, 32, &la), tco_key_read(hd, mh.ck_slot, b, 32, &lb),
             a, b, 16);
        op_name = "flow: IK'";
        BOTH(tco_key_read(sd, ms.ik_slot, a, 32, &la), tco_key_read(hd, mh.ik_slot, b, 32, &lb),
             a, b, 16);
        tco_eps_ctx_free(es);
        tco_eps_ctx_free(eh);

        /* HSPA+: CK||IK = the K_ASME bytes here; freshness, walk to NCC, air keys */
        {
            uint8_t fresh[16];
            size_t fl = t_below(2) ? 16 : 0;
            tco_status a1, b1;
            t_fill(fresh, fl);
            op_name = "flow: hspa chain";
            a1 = tco_hspa_new(sd, ks, fresh, fl, 1, &hs);
            b1 = tco_hspa_new(hd, ks, fresh, fl, 1, &hh);
            BOTH(a1, b1, a, a, 0);
        }
        if (hs && hh) {
            tco_slot s1, s2;
            unsigned n1, n2;
            op_name = "flow: hspa sync";
            BOTH(tco_hspa_sync(hs, ncc, 8), tco_hspa_sync(hh, ncc, 8), a, a, 0);
            CHECK(tco_hspa_current(hs, &n1, &s1) == TCO_OK && tco_hspa_current(hh, &n2, &s2) == TCO_OK);
            CHECK(n1 == n2);
            op_name = "flow: K_RNC*";
            BOTH(tco_key_read(sd, s1, a, 32, &la), tco_key_read(hd, s2, b, 32, &lb), a, b, 32);
            op_name = "flow: CK_U/IK_U";
            {
                tco_slot c1, i1, c2, i2;
                unsigned alg = t_below(3);
                BOTH(tco_hspa_air_keys(hs, alg, alg, TCO_ATTR_EXPORTABLE, &c1, &i1),
                     tco_hspa_air_keys(hh, alg, alg, TCO_ATTR_EXPORTABLE, &c2, &i2), a, a, 0);
                BOTH(tco_key_read(sd, c1, a, 32, &la), tco_key_read(hd, c2, b, 32, &lb), a, b, 16);
                BOTH(tco_key_read(sd, i1, a, 32, &la), tco_key_read(hd, i2, b, 32, &lb), a, b, 16);
                tco_key_erase(sd, c1);
                tco_key_erase(sd, i1);
                tco_key_erase(hd, c2);
                tco_key_erase(hd, i2);
            }
        }
        tco_hspa_free(hs);
        tco_hspa_free(hh);
    }
}

int main(int argc, char **argv)
{
    const char *hw = getenv("TCO_COSIM_DEV") ? getenv("TCO_COSIM_DEV") : "sim:";
    int n = argc > 1 ? atoi(argv[1]) : 2500;
    tco_info is, ih;

    t_seed(0xc051a2026ull);
    CHECK_ST(tco_open(&sd, "soft:"), TCO_OK);
    CHECK_ST(tco_open(&hd, hw), TCO_OK);
    if (sd == NULL || hd == NULL)
        return t_done("test_cosim");
    CHECK_ST(tco_get_info(hd, &ih), TCO_OK);
    CHECK_ST(tco_get_info(sd, &is), TCO_OK);
    CHECK(ih.num_slots == NSLOT && (ih.caps & TCO_CAP_HW));
    {
        /* the same capabilities; soft: may run ahead of a device build without KEY_WRAP
         * (the WRAP = 0 build), never the other way round */
        uint32_t extra = is.caps ^ (ih.caps & ~(uint32_t)TCO_CAP_HW);
        CHECK(extra == 0 || (extra == TCO_CAP_KEY_WRAP && (is.caps & TCO_CAP_KEY_WRAP)));
        if (extra != 0)
            fprintf(stderr, "note: %s has no KEY_WRAP; soft: has\n", hw);
    }
    /* every slot starts empty on both; the random ops below share one slot map */
    while (ops < n) {
        switch (t_below(8)) {
        case 0:
        case 1: op_load(); break;
        case 2: op_read_info_erase(); break;
        case 3: op_kdf(); break;
        case 4: op_aes(); break;
        case 5: op_hmac(); break;
        case 6: op_c3(); break;
        default: op_kdf(); break;
        }
    }
    for (tco_slot s = 0; s < NSLOT; s++) {
        tco_key_erase(sd, s);
        tco_key_erase(hd, s);
    }
    flows(n / 50);
    printf("cosim: %d operations compared (soft: vs %s)\n", ops, hw);
    tco_close(sd);
    tco_close(hd);
    return t_done("test_cosim");
}
