/* SPDX-License-Identifier: Apache-2.0 */
/* Every branch of the mobility state machines: E-UTRAN -> UTRAN/GERAN transfer on both sides,
 * SRNC relocation with HSPA+ enhanced keys (seed FIG. 7 steps 700-713), the K_RNC* chain. */
#include "tcheck.h"
#include "tco.h"

static tco_dev *net_dev, *ue_dev, *sgsn_dev, *rnc_dev;

static const uint8_t kasme[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                  17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

static int rd(tco_dev *d, tco_slot s, uint8_t *out, size_t want)
{
    size_t n = 0;
    return tco_key_read(d, s, out, 32, &n) == TCO_OK && n == want;
}

static int slot_empty(tco_dev *d, tco_slot s)
{
    size_t len = 1;
    uint32_t a = 0;
    return tco_key_info(d, s, &len, &a) == TCO_OK && len == 0;
}

static void erase_mk(tco_dev *d, const tco_mapped_keys *m)
{
    tco_key_erase(d, m->ck_slot);
    tco_key_erase(d, m->ik_slot);
}

static void t_eps(void)
{
    tco_slot kn, ku;
    tco_eps_ctx *net = NULL, *ue = NULL;
    tco_mapped_keys m1, m2, u1, u2;
    uint8_t a[16], b[16], c[16], kc[8];
    uint32_t dl, ul;

    tco_slot_alloc(net_dev, &kn);
    tco_slot_alloc(ue_dev, &ku);
    CHECK_ST(tco_key_load(net_dev, kn, kasme, 32, TCO_USE_KDF | TCO_USE_KDF_OUT), TCO_OK);
    CHECK_ST(tco_key_load(ue_dev, ku, kasme, 32, TCO_USE_KDF | TCO_USE_KDF_OUT), TCO_OK);
    CHECK_ST(tco_eps_ctx_new(net_dev, TCO_ROLE_NETWORK, kn, 100, 50, 1, &net), TCO_OK);
    CHECK_ST(tco_eps_ctx_new(ue_dev, TCO_ROLE_UE, ku, 100, 50, 1, &ue), TCO_OK);
    CHECK(tco_eps_state_get(net) == TCO_EPS_ACTIVE);

    /* handover to UTRAN: MME uses its DL COUNT (ignores the argument), then steps it */
    CHECK_ST(tco_eps_transfer_complete(net), TCO_ERR_STATE);
    CHECK_ST(tco_eps_transfer_cancel(net), TCO_ERR_STATE);
    CHECK_ST(tco_eps_transfer_start(net, TCO_TRANSFER_HANDOVER, TCO_RAT_UTRAN, 7777, &m1), TCO_OK);
    CHECK(m1.count == 100 && !m1.have_kc);
    CHECK(tco_eps_state_get(net) == TCO_EPS_MAPPED);
    CHECK_ST(tco_eps_counts(net, &dl, &ul), TCO_OK);
    CHECK(dl == 101 && ul == 50);
    CHECK_ST(tco_eps_transfer_start(net, TCO_TRANSFER_HANDOVER, TCO_RAT_UTRAN, 0, &m2),
             TCO_ERR_STATE);
    /* UE takes the COUNT from the handover command */
    CHECK_ST(tco_eps_transfer_start(ue, TCO_TRANSFER_HANDOVER, TCO_RAT_UTRAN, m1.count, &u1),
             TCO_OK);
    CHECK(rd(net_dev, m1.ck_slot, a, 16) && rd(ue_dev, u1.ck_slot, b, 16) && memcmp(a, b, 16) == 0);
    CHECK(rd(net_dev, m1.ik_slot, a, 16) && rd(ue_dev, u1.ik_slot, b, 16) && memcmp(a, b, 16) == 0);
    CHECK_ST(tco_eps_transfer_complete(net), TCO_OK);
    CHECK_ST(tco_eps_transfer_complete(ue), TCO_OK);
    CHECK(!slot_empty(net_dev, m1.ck_slot)); /* the caller owns them after complete */
    rd(net_dev, m1.ck_slot, c, 16);
    erase_mk(net_dev, &m1);
    erase_mk(ue_dev, &u1);

    /* a second transfer uses a later COUNT and gives different keys */
    CHECK_ST(tco_eps_transfer_start(net, TCO_TRANSFER_HANDOVER, TCO_RAT_UTRAN, 0, &m2), TCO_OK);
    CHECK(m2.count == 101);
    CHECK(rd(net_dev, m2.ck_slot, a, 16) && memcmp(a, c, 16) != 0);
    /* the UE refuses an old COUNT (would repeat keys) and stays ACTIVE */
    CHECK_ST(tco_eps_transfer_start(ue, TCO_TRANSFER_HANDOVER, TCO_RAT_UTRAN, 100, &u2),
             TCO_ERR_REPLAY);
    CHECK(tco_eps_state_get(ue) == TCO_EPS_ACTIVE);
    CHECK_ST(tco_eps_transfer_start(ue, TCO_TRANSFER_HANDOVER, TCO_RAT_UTRAN, m2.count, &u2),
             TCO_OK);
    CHECK(rd(ue_dev, u2.ck_slot, b, 16) && memcmp(a, b, 16) == 0);
    /* cancel erases CK'/IK'; the COUNT stays stepped */
    CHECK_ST(tco_eps_transfer_cancel(net), TCO_OK);
    CHECK(slot_empty(net_dev, m2.ck_slot) && slot_empty(net_dev, m2.ik_slot));
    CHECK_ST(tco_eps_transfer_cancel(ue), TCO_OK);
    CHECK_ST(tco_eps_counts(net, &dl, &ul), TCO_OK);
    CHECK(dl == 102);

    /* idle-mode RAU to GERAN: UE picks its UL COUNT, derives Kc; MME hands CK'/IK' to SGSN */
    CHECK_ST(tco_eps_transfer_start(ue, TCO_TRANSFER_IDLE, TCO_RAT_GERAN, 0, &u1), TCO_OK);
    CHECK(u1.count == 50 && u1.have_kc);
    CHECK_ST(tco_eps_transfer_start(net, TCO_TRANSFER_IDLE, TCO_RAT_GERAN, 49, &m1),
             TCO_ERR_REPLAY);
    CHECK_ST(tco_eps_transfer_start(net, TCO_TRANSFER_IDLE, TCO_RAT_GERAN, u1.count, &m1), TCO_OK);
    CHECK(!m1.have_kc);
    CHECK(rd(net_dev, m1.ck_slot, a, 16) && rd(net_dev, m1.ik_slot, b, 16));
    CHECK_ST(tco_sgsn_geran_kc(sgsn_dev, a, b, kc), TCO_OK);
    CHECK(memcmp(kc, u1.kc, 8) == 0);
    CHECK_ST(tco_eps_counts(ue, &dl, &ul), TCO_OK);
    CHECK(ul == 51);
    CHECK_ST(tco_eps_counts(net, &dl, &ul), TCO_OK);
    CHECK(ul == 51);
    /* idle-mode and handover keys for the same COUNT value differ (FC 0x1B vs 0x16) */
    CHECK_ST(tco_eps_transfer_complete(net), TCO_OK);
    erase_mk(net_dev, &m1);
    CHECK_ST(tco_eps_transfer_complete(ue), TCO_OK);
    erase_mk(ue_dev, &u1);
    {
        tco_slot s1, s2;
        uint8_t h[16], i[16];
        tco_slot_alloc(net_dev, &s1);
        tco_slot_alloc(net_dev, &s2);
        CHECK_ST(tco_derive_ckik_prime(net_dev, kn, TCO_TRANSFER_HANDOVER, 5, s1,
                                       TCO_ATTR_EXPORTABLE, s2, TCO_ATTR_EXPORTABLE), TCO_OK);
        rd(net_dev, s1, h, 16);
        CHECK_ST(tco_derive_ckik_prime(net_dev, kn, TCO_TRANSFER_IDLE, 5, s1,
                                       TCO_ATTR_EXPORTABLE, s2, TCO_ATTR_EXPORTABLE), TCO_OK);
        rd(net_dev, s1, i, 16);
        CHECK(memcmp(h, i, 16) != 0);
        tco_key_erase(net_dev, s1);
        tco_key_erase(net_dev, s2);
    }
    /* freeing a MAPPED context erases its keys */
    CHECK_ST(tco_eps_transfer_start(net, TCO_TRANSFER_HANDOVER, TCO_RAT_UTRAN, 0, &m1), TCO_OK);
    tco_eps_ctx_free(net);
    CHECK(slot_empty(net_dev, m1.ck_slot) && slot_empty(net_dev, m1.ik_slot));
    tco_eps_ctx_free(ue);

    /* non-exportable context: keys stay in the device, c3 still works */
    CHECK_ST(tco_eps_ctx_new(ue_dev, TCO_ROLE_UE, ku, 0, 0, 0, &ue), TCO_OK);
    CHECK_ST(tco_eps_transfer_start(ue, TCO_TRANSFER_IDLE, TCO_RAT_GERAN, 0, &u1), TCO_OK);
    CHECK(u1.have_kc);
    {
        size_t n = 0;
        CHECK_ST(tco_key_read(ue_dev, u1.ck_slot, a, 16, &n), TCO_ERR_NOT_EXPORTABLE);
    }
    tco_eps_ctx_free(ue);

    /* COUNT exhaustion: the last COUNT works once, then a new K_ASME is needed */
    CHECK_ST(tco_eps_ctx_new(net_dev, TCO_ROLE_NETWORK, kn, TCO_NAS_COUNT_MAX, 0, 1, &net), TCO_OK);
    CHECK_ST(tco_eps_transfer_start(net, TCO_TRANSFER_HANDOVER, TCO_RAT_UTRAN, 0, &m1), TCO_OK);
    CHECK(m1.count == TCO_NAS_COUNT_MAX);
    CHECK_ST(tco_eps_transfer_complete(net), TCO_OK);
    erase_mk(net_dev, &m1);
    CHECK_ST(tco_eps_transfer_start(net, TCO_TRANSFER_HANDOVER, TCO_RAT_UTRAN, 0, &m1),
             TCO_ERR_RANGE);
    CHECK(tco_eps_state_get(net) == TCO_EPS_ACTIVE);
    tco_eps_ctx_free(net);

    /* no free slot: the transfer fails cleanly, state and COUNT unchanged */
    CHECK_ST(tco_eps_ctx_new(net_dev, TCO_ROLE_NETWORK, kn, 10, 0, 1, &net), TCO_OK);
    {
        tco_slot hog[128];
        size_t nh = 0;
        while (nh < 128 && tco_slot_alloc(net_dev, &hog[nh]) == TCO_OK)
            nh++;
        CHECK_ST(tco_eps_transfer_start(net, TCO_TRANSFER_HANDOVER, TCO_RAT_UTRAN, 0, &m1),
                 TCO_ERR_NO_FREE_SLOT);
        CHECK(tco_eps_state_get(net) == TCO_EPS_ACTIVE);
        CHECK_ST(tco_eps_counts(net, &dl, &ul), TCO_OK);
        CHECK(dl == 10);
        while (nh > 0)
            tco_key_erase(net_dev, hog[--nh]);
    }
    tco_eps_ctx_free(net);
    tco_key_erase(net_dev, kn);
    tco_key_erase(ue_dev, ku);
}

/* --------------------------------------------------------------------------------------- */

static uint8_t ckik[32];

typedef struct rnc_fix {
    tco_rnc *rnc;
    tco_slot root;
} rnc_fix;

static void rnc_setup(rnc_fix *f, int enhanced)
{
    CHECK_ST(tco_slot_alloc(rnc_dev, &f->root), TCO_OK);
    CHECK_ST(tco_key_load(rnc_dev, f->root, ckik, 32, TCO_USE_KDF | TCO_USE_KDF_OUT), TCO_OK);
    CHECK_ST(tco_rnc_new(rnc_dev, enhanced, 1, 2, &f->rnc), TCO_OK);
}

static void rnc_teardown(rnc_fix *f)
{
    tco_rnc_free(f->rnc);
    tco_key_erase(rnc_dev, f->root);
}

static void request(rnc_fix *f, tco_ue_cap cap, tco_status want)
{
    tco_reloc_request r;

    memset(&r, 0, sizeof(r));
    r.ckik_slot = f->root;
    r.ue_cap = cap;
    CHECK_ST(tco_rnc_relocation_request(f->rnc, &r), want);
}

static void expect_legacy(rnc_fix *f)
{
    tco_air_keys k;
    tco_slot ck = 99, ik = 99;
    unsigned ncc;

    CHECK_ST(tco_rnc_keys(f->rnc, &k, &ck, &ik, &ncc), TCO_OK);
    CHECK(k == TCO_AIR_LEGACY && ck == f->root && ik == f->root);
}

/* Load a K_RNC* exported by the core node into the RNC's device. */
static tco_slot give_krnc(tco_dev *cn, tco_hspa *h, unsigned *ncc)
{
    uint8_t k[32];
    tco_slot s, d;
    size_t n = 0;

    tco_hspa_current(h, ncc, &s);
    CHECK_ST(tco_key_read(cn, s, k, 32, &n), TCO_OK);
    CHECK_ST(tco_slot_alloc(rnc_dev, &d), TCO_OK);
    CHECK_ST(tco_key_load(rnc_dev, d, k, 32, TCO_USE_KDF | TCO_USE_KDF_OUT), TCO_OK);
    memset(k, 0, sizeof(k));
    return d;
}

/* Compare the RNC's CK_U/IK_U with the UE's, derived from its own chain. */
static void expect_enhanced_agree(rnc_fix *f, tco_hspa *ue, unsigned want_ncc)
{
    tco_air_keys k;
    tco_slot ck, ik, uck, uik;
    unsigned ncc, uncc;
    uint8_t a[16], b[16];

    CHECK_ST(tco_rnc_keys(f->rnc, &k, &ck, &ik, &ncc), TCO_OK);
    CHECK(k == TCO_AIR_ENHANCED && ncc == want_ncc);
    CHECK_ST(tco_hspa_current(ue, &uncc, &uck), TCO_OK);
    CHECK(uncc == want_ncc);
    CHECK_ST(tco_hspa_air_keys(ue, 1, 2, TCO_ATTR_EXPORTABLE, &uck, &uik), TCO_OK);
    CHECK(rd(rnc_dev, ck, a, 16) && rd(ue_dev, uck, b, 16) && memcmp(a, b, 16) == 0);
    CHECK(rd(rnc_dev, ik, a, 16) && rd(ue_dev, uik, b, 16) && memcmp(a, b, 16) == 0);
    /* CK_U differs from IK_U and from legacy CK */
    CHECK(rd(rnc_dev, ck, a, 16) && memcmp(a, b, 16) != 0 && memcmp(a, ckik, 16) != 0);
    tco_key_erase(ue_dev, uck);
    tco_key_erase(ue_dev, uik);
}

static void t_rnc(void)
{
    tco_slot cn_root, ue_root, k;
    tco_hspa *cn = NULL, *ue = NULL;
    rnc_fix f;
    unsigned ncc;
    int notify = 7;

    for (int i = 0; i < 32; i++)
        ckik[i] = (uint8_t)(0x40 + 3 * i);
    tco_slot_alloc(sgsn_dev, &cn_root);
    tco_slot_alloc(ue_dev, &ue_root);
    CHECK_ST(tco_key_load(sgsn_dev, cn_root, ckik, 32, TCO_USE_KDF | TCO_USE_KDF_OUT), TCO_OK);
    CHECK_ST(tco_key_load(ue_dev, ue_root, ckik, 32, TCO_USE_KDF | TCO_USE_KDF_OUT), TCO_OK);

    /* 700 -> 713: legacy target RNC stays on legacy keys whatever the UE is */
    for (int cap = 0; cap < 3; cap++) {
        rnc_setup(&f, 0);
        CHECK(tco_rnc_state_get(f.rnc) == TCO_RNC_IDLE);
        CHECK_ST(tco_rnc_ue_message(f.rnc, TCO_UE_CAP_ENHANCED, &notify), TCO_ERR_STATE);
        request(&f, (tco_ue_cap)cap, TCO_OK);
        CHECK(tco_rnc_state_get(f.rnc) == TCO_RNC_LEGACY);
        CHECK_ST(tco_rnc_ue_message(f.rnc, TCO_UE_CAP_ENHANCED, &notify), TCO_OK);
        CHECK(notify == 0 && tco_rnc_state_get(f.rnc) == TCO_RNC_LEGACY);
        CHECK_ST(tco_rnc_security_mode(f.rnc, f.root, 0), TCO_ERR_STATE);
        expect_legacy(&f);
        rnc_teardown(&f);
    }

    /* RNC+ told the UE is legacy: legacy keys */
    rnc_setup(&f, 1);
    request(&f, TCO_UE_CAP_LEGACY, TCO_OK);
    CHECK(tco_rnc_state_get(f.rnc) == TCO_RNC_LEGACY);
    expect_legacy(&f);
    request(&f, TCO_UE_CAP_LEGACY, TCO_ERR_STATE); /* one relocation per object */
    rnc_teardown(&f);

    /* 701 -> 703 -> 706 (legacy UE) -> 713 */
    rnc_setup(&f, 1);
    request(&f, TCO_UE_CAP_UNKNOWN, TCO_OK);
    CHECK(tco_rnc_state_get(f.rnc) == TCO_RNC_LEGACY_PENDING);
    expect_legacy(&f);
    CHECK_ST(tco_rnc_security_mode(f.rnc, f.root, 0), TCO_ERR_STATE); /* too early */
    CHECK_ST(tco_rnc_ue_message(f.rnc, TCO_UE_CAP_LEGACY, &notify), TCO_OK);
    CHECK(notify == 0 && tco_rnc_state_get(f.rnc) == TCO_RNC_LEGACY);
    expect_legacy(&f);
    rnc_teardown(&f);

    /* 709: the UE's message still does not tell -> stay on legacy keys */
    rnc_setup(&f, 1);
    request(&f, TCO_UE_CAP_UNKNOWN, TCO_OK);
    CHECK_ST(tco_rnc_ue_message(f.rnc, TCO_UE_CAP_UNKNOWN, &notify), TCO_OK);
    CHECK(notify == 0 && tco_rnc_state_get(f.rnc) == TCO_RNC_LEGACY);
    rnc_teardown(&f);

    /* 703 -> 710 -> SMC (810-813): enhanced keys take over, UE agrees */
    CHECK_ST(tco_hspa_new(sgsn_dev, cn_root, NULL, 0, 1, &cn), TCO_OK);
    CHECK_ST(tco_hspa_new(ue_dev, ue_root, NULL, 0, 0, &ue), TCO_OK);
    rnc_setup(&f, 1);
    request(&f, TCO_UE_CAP_UNKNOWN, TCO_OK);
    CHECK_ST(tco_rnc_ue_message(f.rnc, TCO_UE_CAP_ENHANCED, &notify), TCO_OK);
    CHECK(notify == 1 && tco_rnc_state_get(f.rnc) == TCO_RNC_SMC_PENDING);
    expect_legacy(&f); /* still legacy until the security mode command */
    k = give_krnc(sgsn_dev, cn, &ncc);
    CHECK(ncc == 0);
    CHECK_ST(tco_rnc_security_mode(f.rnc, k, ncc), TCO_OK);
    CHECK(tco_rnc_state_get(f.rnc) == TCO_RNC_ENHANCED);
    /* UE-side keys stay in the UE's device; compare through an exportable UE chain */
    {
        tco_hspa *uex = NULL;
        CHECK_ST(tco_hspa_new(ue_dev, ue_root, NULL, 0, 1, &uex), TCO_OK);
        expect_enhanced_agree(&f, uex, 0);
        tco_hspa_free(uex);
    }
    {
        tco_slot a, b;
        uint8_t x[32];
        size_t n;
        CHECK_ST(tco_hspa_air_keys(ue, 1, 2, 0, &a, &b), TCO_OK);
        CHECK_ST(tco_key_read(ue_dev, a, x, 32, &n), TCO_ERR_NOT_EXPORTABLE);
        tco_hspa_current(ue, &ncc, &a);
        CHECK_ST(tco_key_read(ue_dev, a, x, 32, &n), TCO_ERR_NOT_EXPORTABLE);
        tco_key_erase(ue_dev, b);
    }
    /* a second security mode command in ENHANCED rekeys with a later K_RNC* */
    CHECK_ST(tco_hspa_step(cn), TCO_OK);
    tco_key_erase(rnc_dev, k);
    k = give_krnc(sgsn_dev, cn, &ncc);
    CHECK_ST(tco_rnc_security_mode(f.rnc, k, ncc), TCO_OK);
    {
        tco_hspa *uex = NULL;
        CHECK_ST(tco_hspa_new(ue_dev, ue_root, NULL, 0, 1, &uex), TCO_OK);
        CHECK_ST(tco_hspa_sync(uex, 1, 3), TCO_OK);
        expect_enhanced_agree(&f, uex, 1);
        tco_hspa_free(uex);
    }
    tco_key_erase(rnc_dev, k);
    rnc_teardown(&f);

    /* enhanced UE named in the request but no K_RNC*: legacy until SMC */
    rnc_setup(&f, 1);
    request(&f, TCO_UE_CAP_ENHANCED, TCO_OK);
    CHECK(tco_rnc_state_get(f.rnc) == TCO_RNC_SMC_PENDING);
    expect_legacy(&f);
    rnc_teardown(&f);

    /* relocation inside the enhanced network: each hop steps NCC; the UE follows a 3-bit NCC
     * (through a wrap of the 3 bits: hops to NCC 2..10) */
    {
        tco_hspa *uex = NULL;
        CHECK_ST(tco_hspa_new(ue_dev, ue_root, NULL, 0, 1, &uex), TCO_OK);
        for (int hop = 0; hop < 9; hop++) {
            tco_reloc_request r;
            CHECK_ST(tco_hspa_step(cn), TCO_OK);
            rnc_setup(&f, 1);
            k = give_krnc(sgsn_dev, cn, &ncc);
            CHECK(ncc == (unsigned)hop + 2);
            memset(&r, 0, sizeof(r));
            r.ckik_slot = f.root;
            r.ue_cap = TCO_UE_CAP_ENHANCED;
            r.have_k_rnc_star = 1;
            r.k_rnc_star_slot = k;
            r.ncc = ncc;
            CHECK_ST(tco_rnc_relocation_request(f.rnc, &r), TCO_OK);
            CHECK(tco_rnc_state_get(f.rnc) == TCO_RNC_ENHANCED);
            CHECK_ST(tco_hspa_sync(uex, ncc & 7u, 3), TCO_OK);
            expect_enhanced_agree(&f, uex, ncc);
            tco_key_erase(rnc_dev, k);
            rnc_teardown(&f);
        }
        tco_hspa_free(uex);
    }

    /* chain end: NCC 255 is the last; stepping on or syncing past it is refused */
    {
        tco_hspa *h = NULL;
        unsigned n;
        tco_slot cur;
        CHECK_ST(tco_hspa_new(ue_dev, ue_root, NULL, 0, 0, &h), TCO_OK);
        CHECK_ST(tco_hspa_sync(h, 254, 8), TCO_OK);
        CHECK_ST(tco_hspa_sync(h, 3, 3), TCO_ERR_RANGE); /* next match would be 259 */
        CHECK_ST(tco_hspa_current(h, &n, &cur), TCO_OK);
        CHECK(n == 254);
        CHECK_ST(tco_hspa_step(h), TCO_OK);
        CHECK_ST(tco_hspa_step(h), TCO_ERR_RANGE);
        CHECK_ST(tco_hspa_current(h, &n, &cur), TCO_OK);
        CHECK(n == 255 && !slot_empty(ue_dev, cur));
        CHECK_ST(tco_hspa_sync(h, 8, 3), TCO_ERR_INVALID_ARG); /* 8 does not fit 3 bits */
        tco_hspa_free(h);
        CHECK(slot_empty(ue_dev, cur));
    }
    /* different freshness F gives a different K_RNC */
    {
        tco_hspa *h1 = NULL, *h2 = NULL;
        const uint8_t f16[16] = {1};
        tco_slot s1, s2;
        uint8_t x[32], y[32];
        unsigned n;
        CHECK_ST(tco_hspa_new(sgsn_dev, cn_root, NULL, 0, 1, &h1), TCO_OK);
        CHECK_ST(tco_hspa_new(sgsn_dev, cn_root, f16, 16, 1, &h2), TCO_OK);
        tco_hspa_current(h1, &n, &s1);
        tco_hspa_current(h2, &n, &s2);
        CHECK(rd(sgsn_dev, s1, x, 32) && rd(sgsn_dev, s2, y, 32) && memcmp(x, y, 32) != 0);
        tco_hspa_free(h1);
        tco_hspa_free(h2);
    }
    tco_hspa_free(cn);
    tco_hspa_free(ue);
    tco_key_erase(sgsn_dev, cn_root);
    tco_key_erase(ue_dev, ue_root);
}

int main(void)
{
    const char *uri = getenv("TCO_TEST_DEV") ? getenv("TCO_TEST_DEV") : "soft:";

    CHECK_ST(tco_open(&net_dev, uri), TCO_OK);
    CHECK_ST(tco_open(&ue_dev, uri), TCO_OK);
    CHECK_ST(tco_open(&sgsn_dev, uri), TCO_OK);
    CHECK_ST(tco_open(&rnc_dev, uri), TCO_OK);
    if (!net_dev || !ue_dev || !sgsn_dev || !rnc_dev)
        return t_done("test_flows");
    t_eps();
    t_rnc();
    tco_close(net_dev);
    tco_close(ue_dev);
    tco_close(sgsn_dev);
    tco_close(rnc_dev);
    return t_done("test_flows");
}
