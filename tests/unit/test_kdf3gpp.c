/* SPDX-License-Identifier: Apache-2.0 */
/* Random cases for every derivation, each computed a second way here: S written out byte by
 * byte and OpenSSL's one-shot HMAC() (not the library's EVP_MAC path). */
#include "tcheck.h"
#include "tco.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#define CASES 1000

static tco_dev *dev;

/* Reference 3GPP KDF: HMAC-SHA-256(key, FC || P0 || L0 || ...). */
static void ref_kdf(const uint8_t *key, size_t klen, uint8_t fc, const uint8_t *const *p,
                    const size_t *pl, size_t np, uint8_t out[32])
{
    uint8_t s[2048];
    size_t n = 0;
    unsigned ol = 0;

    s[n++] = fc;
    for (size_t i = 0; i < np; i++) {
        memcpy(s + n, p[i], pl[i]);
        n += pl[i];
        s[n++] = (uint8_t)(pl[i] >> 8);
        s[n++] = (uint8_t)pl[i];
    }
    HMAC(EVP_sha256(), key, (int)klen, s, n, out, &ol);
}

static int read_key(tco_slot s, uint8_t *out, size_t want)
{
    size_t n = 0;
    return tco_key_read(dev, s, out, 32, &n) == TCO_OK && n == want;
}

/* tco_kdf with host parameters and slot parameters; random keys, FCs, lengths. Under the
 * key model the key and a slot parameter are 16 or 32 octets (other lengths are refused at
 * load), and a slot parameter of output to the host needs TCO_USE_KDF_OUT as the key does. */
static void t_generic(void)
{
    tco_slot ks, ps;
    int bad = 0, badlen = 0;

    tco_slot_alloc(dev, &ks);
    tco_slot_alloc(dev, &ps);
    for (int c = 0; c < CASES; c++) {
        uint8_t key[32], pk[32], bufs[4][80], out[32], ref[32];
        const uint8_t *pp[5];
        size_t pl[5], klen = t_below(2) ? 16 : 32, np = t_below(5), pkl = t_below(2) ? 16 : 32;
        size_t other = 1 + t_below(32); /* a length the KDF profiles refuse, unless 16, 32 */
        tco_kdf_param p[5];
        uint8_t fc = (uint8_t)t_below(0xff);
        size_t slot_at = np ? t_below((unsigned)np + 1) : 0; /* index of a slot param */
        int use_slot_param = np > 0 && (c & 1);

        t_fill(key, klen);
        t_fill(pk, pkl);
        memset(p, 0, sizeof(p));
        for (size_t i = 0; i < np; i++) {
            pl[i] = t_below(80);
            t_fill(bufs[i], pl[i]);
            pp[i] = bufs[i];
            p[i].data = bufs[i];
            p[i].len = pl[i];
        }
        if (use_slot_param && slot_at < np) {
            p[slot_at].from_slot = 1;
            p[slot_at].slot = ps;
            p[slot_at].data = NULL;
            pp[slot_at] = pk;
            pl[slot_at] = pkl;
        }
        badlen += tco_key_load(dev, ks, key, other, TCO_USE_KDF_OUT) !=
                  (other == 16 || other == 32 ? TCO_OK : TCO_ERR_KEY_LENGTH);
        if (tco_key_load(dev, ks, key, klen, TCO_USE_KDF_OUT) != TCO_OK ||
            tco_key_load(dev, ps, pk, pkl, TCO_USE_KDF) != TCO_OK ||
            (use_slot_param && slot_at < np &&
             tco_kdf(dev, ks, fc, p, np, out) != TCO_ERR_USAGE) ||
            tco_key_load(dev, ps, pk, pkl, TCO_USE_KDF_OUT) != TCO_OK ||
            tco_kdf(dev, ks, fc, p, np, out) != TCO_OK) {
            bad++;
            continue;
        }
        ref_kdf(key, klen, fc, pp, pl, np, ref);
        bad += memcmp(out, ref, 32) != 0;
    }
    CHECK_CASES("generic KDF", bad, CASES);
    CHECK_CASES("KDF keys of 16 or 32 octets only", badlen, CASES);

    /* every split of tco_kdf_derive */
    bad = 0;
    for (int c = 0; c < CASES; c++) {
        uint8_t key[32], prm[20], ref[32], a[32], b[32];
        const uint8_t *pp[1] = {prm};
        size_t pl[1] = {t_below(20)};
        tco_kdf_param p = {.data = prm, .len = pl[0]};
        tco_slot sa, sb;
        tco_kdf_dest d;
        uint8_t fc = (uint8_t)t_below(0xff);

        t_fill(key, 32);
        t_fill(prm, pl[0]);
        tco_slot_alloc(dev, &sa);
        tco_slot_alloc(dev, &sb);
        memset(&d, 0, sizeof(d));
        d.split = (tco_kdf_split)(c % 4);
        d.slot_a = sa;
        d.slot_b = sb;
        d.attrs_a = d.attrs_b = TCO_ATTR_EXPORTABLE;
        ref_kdf(key, 32, fc, pp, pl, 1, ref);
        if (tco_key_load(dev, ks, key, 32, TCO_USE_KDF | TCO_USE_KDF_OUT) != TCO_OK ||
            tco_kdf_derive(dev, ks, fc, &p, 1, &d) != TCO_OK) {
            bad++;
        } else if (d.split == TCO_SPLIT_FULL) {
            bad += !read_key(sa, a, 32) || memcmp(a, ref, 32) != 0;
        } else if (d.split == TCO_SPLIT_HALVES) {
            bad += !read_key(sa, a, 16) || !read_key(sb, b, 16) || memcmp(a, ref, 16) != 0 ||
                   memcmp(b, ref + 16, 16) != 0;
        } else if (d.split == TCO_SPLIT_MSB128) {
            bad += !read_key(sa, a, 16) || memcmp(a, ref, 16) != 0;
        } else {
            bad += !read_key(sa, a, 16) || memcmp(a, ref + 16, 16) != 0;
        }
        tco_key_erase(dev, sa);
        tco_key_erase(dev, sb);
    }
    CHECK_CASES("KDF into slots, all splits", bad, CASES);
    tco_key_erase(dev, ks);
    tco_key_erase(dev, ps);
}

static void be32(uint8_t b[4], uint32_t v)
{
    b[0] = (uint8_t)(v >> 24);
    b[1] = (uint8_t)(v >> 16);
    b[2] = (uint8_t)(v >> 8);
    b[3] = (uint8_t)v;
}

/* TS 33.401 A.8 / A.13 and c3, through the low-level call and through the flow. */
static void t_ckik_prime(void)
{
    tco_slot ks, ck, ik;
    int bad = 0, badflow = 0;

    tco_slot_alloc(dev, &ks);
    tco_slot_alloc(dev, &ck);
    tco_slot_alloc(dev, &ik);
    for (int c = 0; c < CASES; c++) {
        uint8_t kasme[32], cnt[4], ref[32], a[16], b[16], kc[8];
        const uint8_t *pp[1] = {cnt};
        size_t pl[1] = {4};
        uint32_t count = (uint32_t)(t_rand() & TCO_NAS_COUNT_MAX);
        int idle = c & 1;

        t_fill(kasme, 32);
        be32(cnt, count);
        ref_kdf(kasme, 32, idle ? 0x1b : 0x16, pp, pl, 1, ref);
        if (tco_key_load(dev, ks, kasme, 32, TCO_USE_KDF | TCO_USE_KDF_OUT) != TCO_OK ||
            tco_derive_ckik_prime(dev, ks, idle ? TCO_TRANSFER_IDLE : TCO_TRANSFER_HANDOVER,
                                  count, ck, TCO_ATTR_EXPORTABLE | TCO_USE_GSM_C3, ik,
                                  TCO_ATTR_EXPORTABLE | TCO_USE_GSM_C3) != TCO_OK ||
            !read_key(ck, a, 16) || !read_key(ik, b, 16) ||
            tco_gsm_c3(dev, ck, ik, kc) != TCO_OK) {
            bad++;
            continue;
        }
        bad += memcmp(a, ref, 16) != 0 || memcmp(b, ref + 16, 16) != 0;
        for (int i = 0; i < 8; i++)
            bad += kc[i] != (ref[i] ^ ref[8 + i] ^ ref[16 + i] ^ ref[24 + i]);

        /* the same through the UE side of the flow, GERAN target */
        {
            tco_eps_ctx *ue = NULL;
            tco_mapped_keys mk;
            uint8_t x[16];
            tco_status st = tco_eps_ctx_new(dev, TCO_ROLE_UE, ks, idle ? 0 : count,
                                            idle ? count : 0, 1, &ue);
            if (st == TCO_OK)
                st = tco_eps_transfer_start(ue, idle ? TCO_TRANSFER_IDLE : TCO_TRANSFER_HANDOVER,
                                            TCO_RAT_GERAN, count, &mk);
            if (st != TCO_OK || mk.count != count || !mk.have_kc || !read_key(mk.ck_slot, x, 16) ||
                memcmp(x, ref, 16) != 0 || memcmp(mk.kc, kc, 8) != 0)
                badflow++;
            tco_eps_ctx_free(ue);
        }
    }
    CHECK_CASES("CK'/IK' (A.8/A.13) and c3", bad, CASES);
    CHECK_CASES("UE flow to GERAN", badflow, CASES);
    tco_key_erase(dev, ks);
    tco_key_erase(dev, ck);
    tco_key_erase(dev, ik);
}

/* Project HSPA+ hierarchy: K_RNC, the K_RNC* chain, CK_U/IK_U. */
static void t_hspa(void)
{
    static const size_t fresh_lens[] = {0, 4, 16, 1, 32};
    tco_slot root;
    int bad_krnc = 0, bad_chain = 0, bad_air = 0;

    tco_slot_alloc(dev, &root);
    for (int c = 0; c < CASES; c++) {
        uint8_t ckik[32], fresh[32], chain[32], next[32], got[32], air[2][32];
        const uint8_t *pp[2];
        size_t pl[2], fl = fresh_lens[c % 5];
        unsigned ncc = t_below(9), alg_e = t_below(256), alg_i = t_below(256), cur = 99;
        tco_hspa *h = NULL;
        tco_slot kslot, cku, iku;

        t_fill(ckik, 32);
        t_fill(fresh, fl);
        /* reference chain */
        pp[0] = fresh;
        pl[0] = fl;
        ref_kdf(ckik, 32, 0xf0, pp, pl, 1, chain);
        if (tco_key_load(dev, root, ckik, 32, TCO_USE_KDF | TCO_USE_KDF_OUT) != TCO_OK ||
            tco_hspa_new(dev, root, fresh, fl, 1, &h) != TCO_OK ||
            tco_hspa_current(h, &cur, &kslot) != TCO_OK || !read_key(kslot, got, 32)) {
            bad_krnc++;
            tco_hspa_free(h);
            continue;
        }
        bad_krnc += cur != 0 || memcmp(got, chain, 32) != 0;
        for (unsigned n = 1; n <= ncc; n++) {
            uint8_t n8 = (uint8_t)n;
            pp[0] = chain;
            pl[0] = 32;
            pp[1] = &n8;
            pl[1] = 1;
            ref_kdf(ckik, 32, 0xf1, pp, pl, 2, next);
            memcpy(chain, next, 32);
        }
        /* walk there through a truncated NCC (3 bits; a jump of 8 would be ambiguous, so
         * the full 8 bits then) on odd cases, stepwise on even */
        if (c & 1) {
            unsigned bits = ncc < 8 ? 3 : 8;
            if (tco_hspa_sync(h, ncc & ((1u << bits) - 1), bits) != TCO_OK)
                bad_chain++;
        } else {
            for (unsigned n = 0; n < ncc; n++)
                bad_chain += tco_hspa_step(h) != TCO_OK;
        }
        if (tco_hspa_current(h, &cur, &kslot) != TCO_OK || cur != ncc || !read_key(kslot, got, 32) ||
            memcmp(got, chain, 32) != 0)
            bad_chain++;
        for (int t = 0; t < 2; t++) {
            uint8_t ty = (uint8_t)(t + 1), al = (uint8_t)(t ? alg_i : alg_e);
            pp[0] = &ty;
            pl[0] = 1;
            pp[1] = &al;
            pl[1] = 1;
            ref_kdf(chain, 32, 0xf2, pp, pl, 2, air[t]);
        }
        if (tco_hspa_air_keys(h, alg_e, alg_i, TCO_ATTR_EXPORTABLE, &cku, &iku) != TCO_OK ||
            !read_key(cku, got, 16) || memcmp(got, air[0] + 16, 16) != 0 ||
            !read_key(iku, got, 16) || memcmp(got, air[1] + 16, 16) != 0)
            bad_air++;
        tco_key_erase(dev, cku);
        tco_key_erase(dev, iku);
        tco_hspa_free(h);
    }
    CHECK_CASES("K_RNC (FC 0xF0)", bad_krnc, CASES);
    CHECK_CASES("K_RNC* chain (FC 0xF1)", bad_chain, CASES);
    CHECK_CASES("CK_U/IK_U (FC 0xF2)", bad_air, CASES);
    tco_key_erase(dev, root);
}

int main(void)
{
    const char *uri = getenv("TCO_TEST_DEV") ? getenv("TCO_TEST_DEV") : "soft:";
    tco_info info;

    t_seed(0x7c05eed2026ull);
    CHECK_ST(tco_open(&dev, uri), TCO_OK);
    if (dev == NULL)
        return t_done("test_kdf3gpp");
    t_generic();
    t_ckik_prime();
    t_hspa();
    /* every slot came back: nothing leaked by the flows */
    CHECK_ST(tco_get_info(dev, &info), TCO_OK);
    {
        int used = 0;
        for (tco_slot s = 0; s < info.num_slots; s++) {
            size_t len = 1;
            uint32_t a = 0;
            tco_key_info(dev, s, &len, &a);
            used += len != 0;
        }
        CHECK(used == 0);
    }
    tco_close(dev);
    return t_done("test_kdf3gpp");
}
