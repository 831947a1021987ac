/* SPDX-License-Identifier: Apache-2.0 */
/* The key model (docs/keys.md), rule by rule, through the public API: on soft:, and on sim:
 * when TCO_SIM_LIB is set (the device enforces the same rule table). Each rule is checked
 * against the test's own statement of it, not the generated tco_p_* functions:
 *  - profiles: every usage set with every length at tco_key_load (one of the model's profiles
 *    and a length it accepts, else TCO_ERR_USAGE resp. TCO_ERR_KEY_LENGTH), with every
 *    combination of the modifiers; TRUSTED refused; a refused load leaves the slot alone;
 *  - needs: every operation's role against every profile (the key must have the bits);
 *  - inheritance: tco_kdf_derive (key and slot parameter) and tco_srtp_kdf destinations may
 *    be releasable or carry KDF_OUT or HMAC only under parents that all have KDF_OUT;
 *  - tco_srtp_kdf: the label fixes role and length, dest = master refused;
 *  - links: c3 of linked siblings (their Kc checked), refused with a host-loaded partner,
 *    without a link (a slot parameter, a destination in the key slot), after the parent slot
 *    was rewritten (by a load, a derivation, an unwrap); kept when it was only erased; the
 *    SRTP frame rule (salt releasable, or linked with k_e to one master);
 *  - wrap and unwrap: the KEK's and the key's needs, WRAP_TRUSTED refused, lengths, the
 *    attributes bound into the blob (the blob is OpenSSL's RFC 3394 wrap with IV
 *    A6A6A6A6A6A6 || attrs, OpenSSL's unwrap with that IV gives the key back, other
 *    attributes give TCO_ERR_AUTH with the destination untouched);
 *  - TRUSTED refused everywhere a key is made.
 *
 * usage: test_keymodel [URI...]   (default: soft:, then sim: if TCO_SIM_LIB is set) */
#include "tcheck.h"
#include "tco.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdbool.h>

static tco_dev *dev;
static const char *uri;
static tco_slot S[12]; /* work slots */
static uint8_t K[64];  /* key material: a key of length n is K[0..n), others K + i */

/* ----------------------------------------------------------------------------------------- */
/* The model, as the test states it */

#define L14 1u
#define L16 2u
#define L20 4u
#define L32 8u

static const struct {
    const char *name;
    uint32_t use;
    unsigned lens;
} prof[] = {
    {"STORE", 0, L14 | L16 | L20 | L32},
    {"AES", TCO_USE_AES, L16 | L32},
    {"MAC", TCO_USE_HMAC, L16 | L20 | L32},
    {"KDF", TCO_USE_KDF, L16 | L32},
    {"KDF_HOST", TCO_USE_KDF_OUT, L16 | L32},
    {"KDF_REL", TCO_USE_KDF | TCO_USE_KDF_OUT, L16 | L32},
    {"KDF_MAC", TCO_USE_HMAC | TCO_USE_KDF_OUT, L16 | L32},
    {"KDF_ALL", TCO_USE_HMAC | TCO_USE_KDF | TCO_USE_KDF_OUT, L16 | L32},
    {"C3", TCO_USE_GSM_C3, L16},
    {"SRTP_MK", TCO_USE_SRTP_KDF, L16 | L32},
    {"SRTP_MK_REL", TCO_USE_SRTP_KDF | TCO_USE_KDF_OUT, L16 | L32},
    {"SRTP_KE", TCO_USE_SRTP_KE, L16 | L32},
    {"SRTP_KA", TCO_USE_SRTP_KA, L20},
    {"SRTP_SALT", TCO_USE_SRTP_SALT, L14},
    {"KEK", TCO_USE_WRAP, L16 | L32},
};
#define NPROF (sizeof(prof) / sizeof(prof[0]))

static const uint32_t usage_bits[] = {
    TCO_USE_AES,      TCO_USE_HMAC,     TCO_USE_KDF,     TCO_USE_KDF_OUT,  TCO_USE_GSM_C3,
    TCO_USE_SRTP_KDF, TCO_USE_SRTP_KE,  TCO_USE_WRAP,    TCO_USE_SRTP_KA,  TCO_USE_SRTP_SALT,
};
#define USAGE_ALL                                                                            \
    (TCO_USE_AES | TCO_USE_HMAC | TCO_USE_KDF | TCO_USE_KDF_OUT | TCO_USE_GSM_C3 |           \
     TCO_USE_SRTP_KDF | TCO_USE_SRTP_KE | TCO_USE_WRAP | TCO_USE_SRTP_KA | TCO_USE_SRTP_SALT)

static unsigned len_bit(size_t n)
{
    return n == 14 ? L14 : n == 16 ? L16 : n == 20 ? L20 : n == 32 ? L32 : 0;
}

/* The profile of a usage set, or -1. */
static int profile_of(uint32_t attrs)
{
    for (size_t i = 0; i < NPROF; i++)
        if ((attrs & USAGE_ALL) == prof[i].use)
            return (int)i;
    return -1;
}

/* What tco_key_load must answer for these attributes and length (1..32 octets). */
static tco_status load_answer(uint32_t attrs, size_t n)
{
    int p = profile_of(attrs);

    if (p < 0 || (attrs & TCO_ATTR_TRUSTED))
        return TCO_ERR_USAGE;
    return (prof[p].lens & len_bit(n)) ? TCO_OK : TCO_ERR_KEY_LENGTH;
}

/* The host may learn a key with these attributes. */
static bool releasable(uint32_t a)
{
    return (a & TCO_ATTR_EXPORTABLE) ||
           ((a & TCO_ATTR_EXTRACTABLE) && !(a & TCO_ATTR_WRAP_TRUSTED));
}

/* Inheritance: the child of parents that do not all have KDF_OUT. */
static bool inherit_ok(bool parents_rel, uint32_t child)
{
    return parents_rel ||
           (!releasable(child) && !(child & (TCO_USE_KDF_OUT | TCO_USE_HMAC)));
}

/* A length profile p accepts, 16 if it can (the operations' common length). */
static size_t some_len(size_t p)
{
    return (prof[p].lens & L16) ? 16 : (prof[p].lens & L20) ? 20 : (prof[p].lens & L32) ? 32 : 14;
}

/* ----------------------------------------------------------------------------------------- */
/* Helpers */

static tco_status ld(tco_slot s, uint32_t attrs, size_t n)
{
    return tco_key_load(dev, s, K, n, attrs);
}

static size_t slot_len(tco_slot s, uint32_t *attrs)
{
    size_t n = 0;
    uint32_t a = 0;

    if (tco_key_info(dev, s, &n, &a) != TCO_OK)
        return 99;
    if (attrs != NULL)
        *attrs = a;
    return n;
}

/* Does slot s hold K[0..n) (exportable)? */
static bool holds(tco_slot s, const uint8_t *want, size_t n)
{
    uint8_t b[32];
    size_t len = 0;

    return tco_key_read(dev, s, b, sizeof(b), &len) == TCO_OK && len == n &&
           memcmp(b, want, n) == 0;
}

/* 3GPP KDF on the host: HMAC-SHA-256(key, FC || P0 || L0) with one host parameter. */
static void ref_kdf(const uint8_t *key, size_t kl, uint8_t fc, const uint8_t *p, size_t pl,
                    uint8_t out[32])
{
    uint8_t s[64];
    unsigned ol = 0;

    s[0] = fc;
    memcpy(s + 1, p, pl);
    s[1 + pl] = (uint8_t)(pl >> 8);
    s[2 + pl] = (uint8_t)pl;
    HMAC(EVP_sha256(), key, (int)kl, s, 3 + pl, out, &ol);
}

/* RFC 3394 with OpenSSL and the IV of the key model, A6A6A6A6A6A6 || attrs. */
static size_t ref_kw(int enc, const uint8_t *kek, size_t kl, const uint8_t *in, size_t n,
                     uint32_t attrs, uint8_t *out)
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    const uint8_t iv[8] = {0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, (uint8_t)(attrs >> 8),
                           (uint8_t)attrs};
    int a = 0, b = 0, ok;

    EVP_CIPHER_CTX_set_flags(c, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    ok = EVP_CipherInit_ex(c, kl == 16 ? EVP_aes_128_wrap() : EVP_aes_256_wrap(), NULL, kek, iv,
                           enc) == 1 &&
         EVP_CipherUpdate(c, out, &a, in, (int)n) == 1 && EVP_CipherFinal_ex(c, out + a, &b) == 1;
    EVP_CIPHER_CTX_free(c);
    return ok ? (size_t)(a + b) : 0;
}

/* One SRTP protect of a fixed 40-octet RTP packet with the keys in ke, ka, ks. */
static tco_status frame(tco_slot ke, tco_slot ka, tco_slot ks)
{
    uint8_t in[40] = {0x80, 0x60, 0, 1, 0, 0, 0, 9, 0x12, 0x34, 0x56, 0x78}, out[64];
    tco_srtp_frame_req r;

    memset(&r, 0, sizeof(r));
    r.ke = ke;
    r.ka = ka;
    r.ks = ks;
    r.tag_len = 10;
    r.clear_len = 12;
    r.enc_len = 28;
    r.in = in;
    r.in_len = sizeof(in);
    r.out = out;
    r.out_cap = sizeof(out);
    return tco_srtp_frame(dev, &r);
}

static const uint8_t salt14[14] = {0x0e, 0xc6, 0x75, 0xad, 0x49, 0x8a, 0xfe, 0xeb,
                                   0xb6, 0x96, 0x0b, 0x3a, 0xab, 0xe6};
static const uint8_t cnt4[4] = {0, 0, 1, 2};

/* ----------------------------------------------------------------------------------------- */
/* Profiles and lengths at tco_key_load */

static void t_profiles(void)
{
    static const size_t lens[] = {1, 8, 13, 14, 15, 16, 17, 19, 20, 21, 24, 31, 32};
    static const uint32_t mods[] = {TCO_ATTR_EXPORTABLE, TCO_ATTR_EXTRACTABLE,
                                    TCO_ATTR_WRAP_TRUSTED};
    int bad = 0, total = 0;

    /* every usage set (the ten usage bits), at every profile length and one other */
    for (uint32_t m = 0; m < (1u << 10); m++) {
        static const size_t ul[] = {14, 15, 16, 20, 32};
        uint32_t u = 0;
        for (int b = 0; b < 10; b++)
            if (m & (1u << b))
                u |= usage_bits[b];
        for (size_t i = 0; i < sizeof(ul) / sizeof(ul[0]); i++, total++) {
            tco_status st = ld(S[0], u, ul[i]), want = load_answer(u, ul[i]);
            if (st != want && bad++ < 8)
                fprintf(stderr, "%s: load attrs %#x, %zu octets: %s, want %s\n", uri,
                        (unsigned)u, ul[i], tco_strerror(st), tco_strerror(want));
        }
    }
    CHECK_CASES("every usage set at tco_key_load: a profile or TCO_ERR_USAGE", bad, total);

    /* every profile with every length 1..32 listed and every modifier combination */
    bad = total = 0;
    for (size_t p = 0; p < NPROF; p++)
        for (uint32_t mm = 0; mm < 8; mm++) {
            uint32_t a = prof[p].use;
            for (int b = 0; b < 3; b++)
                if (mm & (1u << b))
                    a |= mods[b];
            for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++, total++) {
                tco_status st = ld(S[0], a, lens[i]), want = load_answer(a, lens[i]);
                uint32_t got = 0;
                if (st == TCO_OK && (slot_len(S[0], &got) != lens[i] || got != a))
                    st = TCO_ERR_PROTOCOL; /* stored with other attributes or length */
                if (st != want && bad++ < 8)
                    fprintf(stderr, "%s: load %s attrs %#x, %zu octets: %s, want %s\n", uri,
                            prof[p].name, (unsigned)a, lens[i], tco_strerror(st),
                            tco_strerror(want));
            }
        }
    CHECK_CASES("each profile's lengths, with any modifiers", bad, total);

    /* TRUSTED with every profile, at a length the profile takes */
    bad = 0;
    for (size_t p = 0; p < NPROF; p++)
        bad += ld(S[0], prof[p].use | TCO_ATTR_TRUSTED, some_len(p)) != TCO_ERR_USAGE;
    CHECK_CASES("TRUSTED refused by tco_key_load", bad, (int)NPROF);

    /* the front end: lengths 0 and 33, bits beyond TCO_ATTR_ALL */
    CHECK_ST(ld(S[0], TCO_USE_AES, 0), TCO_ERR_KEY_LENGTH);
    CHECK_ST(tco_key_load(dev, S[0], K, 33, TCO_USE_AES), TCO_ERR_KEY_LENGTH);
    CHECK_ST(ld(S[0], TCO_ATTR_ALL + 1, 16), TCO_ERR_INVALID_ARG);

    /* a refused load leaves the slot as it was */
    CHECK_ST(ld(S[0], TCO_ATTR_EXPORTABLE, 20), TCO_OK);
    CHECK_ST(tco_key_load(dev, S[0], K + 1, 16, TCO_USE_AES | TCO_USE_HMAC), TCO_ERR_USAGE);
    CHECK_ST(tco_key_load(dev, S[0], K + 1, 20, TCO_USE_AES), TCO_ERR_KEY_LENGTH);
    CHECK_ST(tco_key_load(dev, S[0], K + 1, 16, TCO_USE_AES | TCO_ATTR_TRUSTED), TCO_ERR_USAGE);
    CHECK(holds(S[0], K, 20));
}

/* ----------------------------------------------------------------------------------------- */
/* Each operation's need, against every profile in the role (with EXPORTABLE, so that c3 and
 * the SRTP salt rule, which want releasable host keys, do not interfere) */

enum { OP_READ, OP_AES, OP_CTR, OP_HMAC, OP_KDF, OP_KDF_P, OP_DRV, OP_DRV_P, OP_C3, OP_SKDF,
       OP_KE, OP_KA, OP_KS, OP_WRAP_KEK, OP_UNWRAP_KEK, NOPS };
static const char *const op_names[NOPS] = {
    "key_read", "aes_block", "aes_ctr", "hmac", "kdf key", "kdf param", "kdf_derive key",
    "kdf_derive param", "gsm_c3", "srtp_kdf master", "srtp k_e", "srtp k_a", "srtp k_s",
    "key_wrap kek", "key_unwrap kek"};
static const uint32_t op_need[NOPS] = {
    TCO_ATTR_EXPORTABLE, TCO_USE_AES, TCO_USE_AES, TCO_USE_HMAC, TCO_USE_KDF_OUT,
    TCO_USE_KDF_OUT, TCO_USE_KDF, TCO_USE_KDF, TCO_USE_GSM_C3, TCO_USE_SRTP_KDF,
    TCO_USE_SRTP_KE, TCO_USE_SRTP_KA, TCO_USE_SRTP_SALT, TCO_USE_WRAP, TCO_USE_WRAP};

/* Run op with the key under test in slot x (the other roles in S[4..]). */
static tco_status run_op(int op, tco_slot x, const uint8_t *blob, size_t blen)
{
    uint8_t out[64], in[32] = {0};
    size_t n = 0;
    tco_kdf_param par = {.data = cnt4, .len = 4}, sp = {.from_slot = 1, .slot = x};
    tco_kdf_dest d = {.split = TCO_SPLIT_MSB128, .slot_a = S[8]};

    switch (op) {
    case OP_READ: return tco_key_read(dev, x, out, sizeof(out), &n);
    case OP_AES: return tco_aes_block(dev, x, in, out);
    case OP_CTR: return tco_aes_ctr(dev, x, in, 128, in, out, 32);
    case OP_HMAC: return tco_hmac(dev, x, TCO_HASH_SHA256, in, 8, out, sizeof(out), &n);
    case OP_KDF: return tco_kdf(dev, x, 0x10, &par, 1, out);
    case OP_KDF_P: return tco_kdf(dev, S[4], 0x10, &sp, 1, out); /* S[4]: KDF_ALL key */
    case OP_DRV: return tco_kdf_derive(dev, x, 0x10, &par, 1, &d);
    case OP_DRV_P: return tco_kdf_derive(dev, S[4], 0x10, &sp, 1, &d);
    case OP_C3: return tco_gsm_c3(dev, x, S[5], out); /* S[5]: C3, exportable */
    case OP_SKDF: return tco_srtp_kdf(dev, x, 0, salt14, S[8], 0);
    case OP_KE: return frame(x, S[6], S[7]);             /* S[6]: k_a; S[7]: salt (exp.) */
    case OP_KA: return frame(S[9], x, S[7]);             /* S[9]: k_e */
    case OP_KS: return frame(S[9], S[6], x);
    case OP_WRAP_KEK: return tco_key_wrap(dev, x, S[10], out, sizeof(out), &n); /* S[10]: ext. */
    case OP_UNWRAP_KEK: return tco_key_unwrap(dev, x, blob, blen, S[8], TCO_USE_AES |
                                              TCO_ATTR_EXTRACTABLE);
    }
    return TCO_ERR_INVALID_ARG;
}

static void t_needs(void)
{
    uint8_t blob[40];
    size_t blen = 0;
    uint32_t ext = TCO_USE_AES | TCO_ATTR_EXTRACTABLE;

    /* the partners of each role */
    CHECK_ST(ld(S[4], TCO_USE_HMAC | TCO_USE_KDF | TCO_USE_KDF_OUT, 32), TCO_OK);
    CHECK_ST(tco_key_load(dev, S[5], K + 3, 16, TCO_USE_GSM_C3 | TCO_ATTR_EXPORTABLE), TCO_OK);
    CHECK_ST(tco_key_load(dev, S[6], K + 1, 20, TCO_USE_SRTP_KA), TCO_OK);
    CHECK_ST(tco_key_load(dev, S[7], K + 2, 14, TCO_USE_SRTP_SALT | TCO_ATTR_EXPORTABLE), TCO_OK);
    CHECK_ST(tco_key_load(dev, S[9], K + 4, 16, TCO_USE_SRTP_KE), TCO_OK);
    CHECK_ST(tco_key_load(dev, S[10], K + 5, 16, ext), TCO_OK);
    /* a blob of an AES key under the KEK value K[0..16), made on the host */
    blen = ref_kw(1, K, 16, K + 6, 16, ext, blob);
    CHECK(blen == 24);
    for (int op = 0; op < NOPS; op++) {
        int bad = 0;
        char name[64];
        for (size_t p = 0; p < NPROF; p++) {
            uint32_t a = prof[p].use | (op == OP_READ ? 0 : TCO_ATTR_EXPORTABLE);
            size_t n = some_len(p);
            tco_status st, want = (a & op_need[op]) == op_need[op] ? TCO_OK : TCO_ERR_USAGE;
            if (op == OP_READ)
                want = TCO_ERR_NOT_EXPORTABLE;
            if (ld(S[3], a, n) != TCO_OK) {
                bad++;
                continue;
            }
            st = run_op(op, S[3], blob, blen);
            if (st != want && bad++ < 4)
                fprintf(stderr, "%s: %s with a %s key: %s, want %s\n", uri, op_names[op],
                        prof[p].name, tco_strerror(st), tco_strerror(want));
            if (op == OP_READ) { /* and exportable: read */
                bad += ld(S[3], a | TCO_ATTR_EXPORTABLE, n) != TCO_OK ||
                       run_op(op, S[3], blob, blen) != TCO_OK;
                bad += ld(S[3], a | TCO_ATTR_EXTRACTABLE, n) != TCO_OK ||
                       run_op(op, S[3], blob, blen) != TCO_ERR_NOT_EXPORTABLE;
            }
        }
        snprintf(name, sizeof(name), "%s needs its bits, every profile", op_names[op]);
        CHECK_CASES(name, bad, (int)NPROF);
    }
    /* the key to wrap needs EXTRACTABLE, whatever its profile */
    {
        int bad = 0;
        for (size_t p = 0; p < NPROF; p++) {
            uint8_t out[40];
            size_t n = some_len(p), wl = 0;
            tco_status want = n == 16 || n == 32 ? TCO_OK : TCO_ERR_KEY_LENGTH;
            CHECK_ST(ld(S[2], TCO_USE_WRAP, 16), TCO_OK);
            bad += ld(S[3], prof[p].use | TCO_ATTR_EXPORTABLE, n) != TCO_OK ||
                   tco_key_wrap(dev, S[2], S[3], out, sizeof(out), &wl) != TCO_ERR_USAGE;
            bad += ld(S[3], prof[p].use | TCO_ATTR_EXTRACTABLE, n) != TCO_OK ||
                   tco_key_wrap(dev, S[2], S[3], out, sizeof(out), &wl) != want;
        }
        CHECK_CASES("key_wrap: the key needs EXTRACTABLE (and 16 or 32 octets)", bad,
                    (int)NPROF * 2);
    }
}

/* ----------------------------------------------------------------------------------------- */
/* Inheritance */

static const uint32_t child_sets[] = {
    0, TCO_ATTR_EXPORTABLE, TCO_ATTR_EXTRACTABLE, TCO_ATTR_EXTRACTABLE | TCO_ATTR_WRAP_TRUSTED,
    TCO_ATTR_EXPORTABLE | TCO_ATTR_WRAP_TRUSTED, TCO_ATTR_WRAP_TRUSTED, TCO_USE_AES,
    TCO_USE_AES | TCO_ATTR_EXTRACTABLE, TCO_USE_HMAC, TCO_USE_KDF, TCO_USE_KDF_OUT,
    TCO_USE_KDF | TCO_USE_KDF_OUT, TCO_USE_HMAC | TCO_USE_KDF_OUT,
    TCO_USE_HMAC | TCO_USE_KDF | TCO_USE_KDF_OUT, TCO_USE_SRTP_KDF,
    TCO_USE_SRTP_KDF | TCO_USE_KDF_OUT, TCO_USE_SRTP_KE, TCO_USE_WRAP,
    TCO_USE_WRAP | TCO_ATTR_EXTRACTABLE, TCO_USE_GSM_C3, TCO_USE_GSM_C3 | TCO_ATTR_EXPORTABLE,
    TCO_USE_SRTP_KA, TCO_USE_SRTP_SALT, TCO_USE_AES | TCO_USE_HMAC,
};
#define NCHILD (sizeof(child_sets) / sizeof(child_sets[0]))

/* What tco_kdf_derive must answer for a destination of `n` octets with attributes a. */
static tco_status derive_answer(bool parents_rel, uint32_t a, size_t n)
{
    tco_status st = load_answer(a, n);

    if (st == TCO_ERR_USAGE || !inherit_ok(parents_rel, a))
        return TCO_ERR_USAGE; /* usage (profile, inheritance) before length */
    return st;
}

static void t_inherit_kdf(void)
{
    int bad = 0, total = 0;

    for (int c = 0; c < 8; c++) {
        bool key_rel = c & 1, with_param = c & 2, par_rel = c & 4;
        bool parents_rel = key_rel && (!with_param || par_rel);
        tco_kdf_param p[2] = {{.data = cnt4, .len = 4}, {.from_slot = 1, .slot = S[1]}};
        if (!with_param && par_rel)
            continue;
        CHECK_ST(ld(S[0], TCO_USE_KDF | (key_rel ? TCO_USE_KDF_OUT : 0), 32), TCO_OK);
        CHECK_ST(tco_key_load(dev, S[1], K + 8, 16, TCO_USE_KDF | (par_rel ? TCO_USE_KDF_OUT : 0)),
                 TCO_OK);
        for (size_t i = 0; i < NCHILD; i++) {
            for (int full = 0; full < 2; full++, total++) {
                tco_kdf_dest d = {.split = full ? TCO_SPLIT_FULL : TCO_SPLIT_LSB128,
                                  .slot_a = S[2], .attrs_a = child_sets[i]};
                tco_status want = derive_answer(parents_rel, child_sets[i], full ? 32 : 16);
                tco_status st;
                CHECK_ST(tco_key_load(dev, S[2], K + 16, 16, TCO_ATTR_EXPORTABLE), TCO_OK);
                st = tco_kdf_derive(dev, S[0], 0x10, p, with_param ? 2 : 1, &d);
                if (st != TCO_OK && !holds(S[2], K + 16, 16))
                    st = TCO_ERR_PROTOCOL; /* a refusal wrote the destination */
                if (st != want && bad++ < 8)
                    fprintf(stderr, "%s: derive (key%s, %s) -> %#x %s: %s, want %s\n", uri,
                            key_rel ? " KDF_OUT" : "",
                            with_param ? (par_rel ? "param KDF_OUT" : "param KDF") : "no param",
                            (unsigned)child_sets[i], full ? "FULL" : "LSB128", tco_strerror(st),
                            tco_strerror(want));
            }
        }
        /* HALVES: both destinations are checked before either is written */
        {
            tco_kdf_dest d = {.split = TCO_SPLIT_HALVES, .slot_a = S[2], .attrs_a = 0,
                              .slot_b = S[3], .attrs_b = TCO_ATTR_EXPORTABLE};
            CHECK_ST(tco_key_load(dev, S[2], K + 16, 16, TCO_ATTR_EXPORTABLE), TCO_OK);
            CHECK_ST(tco_kdf_derive(dev, S[0], 0x10, p, with_param ? 2 : 1, &d),
                     parents_rel ? TCO_OK : TCO_ERR_USAGE);
            if (!parents_rel)
                CHECK(holds(S[2], K + 16, 16));
        }
    }
    CHECK_CASES("tco_kdf_derive inheritance from the key and a slot parameter", bad, total);
    /* the values: an exportable child of a KDF_OUT parent is the 3GPP KDF */
    {
        uint8_t ref[32];
        tco_kdf_param p = {.data = cnt4, .len = 4};
        tco_kdf_dest d = {.split = TCO_SPLIT_FULL, .slot_a = S[2], .attrs_a = TCO_ATTR_EXPORTABLE};
        CHECK_ST(ld(S[0], TCO_USE_KDF | TCO_USE_KDF_OUT, 32), TCO_OK);
        CHECK_ST(tco_kdf_derive(dev, S[0], 0x10, &p, 1, &d), TCO_OK);
        ref_kdf(K, 32, 0x10, cnt4, 4, ref);
        CHECK(holds(S[2], ref, 32));
    }
}

static void t_srtp_kdf(void)
{
    static const uint32_t mods[] = {0, TCO_ATTR_EXPORTABLE, TCO_ATTR_EXTRACTABLE,
                                    TCO_ATTR_EXTRACTABLE | TCO_ATTR_WRAP_TRUSTED,
                                    TCO_ATTR_EXPORTABLE | TCO_ATTR_EXTRACTABLE};
    static const uint32_t role[3] = {TCO_USE_SRTP_KE, TCO_USE_SRTP_KA, TCO_USE_SRTP_SALT};
    int bad = 0, total = 0;

    for (int c = 0; c < 4; c++) {
        bool rel = c & 1;
        size_t ml = c & 2 ? 32 : 16;
        CHECK_ST(ld(S[0], TCO_USE_SRTP_KDF | (rel ? TCO_USE_KDF_OUT : 0), ml), TCO_OK);
        for (uint8_t label = 0; label < 6; label++) {
            size_t want_len = label % 3 == 0 ? ml : label % 3 == 1 ? 20 : 14;
            for (size_t m = 0; m < sizeof(mods) / sizeof(mods[0]); m++) {
                for (int explicit_role = 0; explicit_role < 2; explicit_role++, total++) {
                    uint32_t a = mods[m] | (explicit_role ? role[label % 3] : 0), got = 0;
                    tco_status want = inherit_ok(rel, mods[m]) ? TCO_OK : TCO_ERR_USAGE;
                    tco_status st = tco_srtp_kdf(dev, S[0], label, salt14, S[1], a);
                    if (st == TCO_OK && (slot_len(S[1], &got) != want_len ||
                                         got != (mods[m] | role[label % 3])))
                        st = TCO_ERR_PROTOCOL;
                    if (st != want && bad++ < 8)
                        fprintf(stderr, "%s: srtp_kdf (master %zu%s) label %u attrs %#x: %s, "
                                        "want %s\n", uri, ml, rel ? " KDF_OUT" : "", label,
                                (unsigned)a, tco_strerror(st), tco_strerror(want));
                }
            }
            /* another usage bit, or another label's role: refused */
            total += 3;
            bad += tco_srtp_kdf(dev, S[0], label, salt14, S[1], role[(label + 1) % 3]) !=
                   TCO_ERR_USAGE;
            bad += tco_srtp_kdf(dev, S[0], label, salt14, S[1],
                                role[label % 3] | TCO_USE_AES) != TCO_ERR_USAGE;
            bad += tco_srtp_kdf(dev, S[0], label, salt14, S[1], TCO_USE_KDF_OUT) !=
                   TCO_ERR_USAGE;
        }
    }
    CHECK_CASES("tco_srtp_kdf: role and length by label, inheritance from the master", bad,
                total);
    CHECK_ST(tco_srtp_kdf(dev, S[0], 6, salt14, S[1], 0), TCO_ERR_RANGE);
    CHECK_ST(tco_srtp_kdf(dev, S[0], 0, salt14, S[0], 0), TCO_ERR_INVALID_ARG);
    /* the value of an exportable k_s: RFC 3711 B.3 */
    {
        static const uint8_t mk[16] = {0xe1, 0xf9, 0x7a, 0x0d, 0x3e, 0x01, 0x8b, 0xe0,
                                       0xd6, 0x4f, 0xa3, 0x2c, 0x06, 0xde, 0x41, 0x39};
        static const uint8_t ks[14] = {0x30, 0xcb, 0xbc, 0x08, 0x86, 0x3d, 0x8c,
                                       0x85, 0xd4, 0x9d, 0xb3, 0x4a, 0x9a, 0xe1};
        CHECK_ST(tco_key_load(dev, S[0], mk, 16, TCO_USE_SRTP_KDF | TCO_USE_KDF_OUT), TCO_OK);
        CHECK_ST(tco_srtp_kdf(dev, S[0], 2, salt14, S[1], TCO_ATTR_EXPORTABLE), TCO_OK);
        CHECK(holds(S[1], ks, 14));
    }
}

/* ----------------------------------------------------------------------------------------- */
/* Links: c3 and the SRTP salt rule */

/* CK', IK' = the halves of KDF(S[0], 0x10, cnt4) as linked siblings in S[1], S[2] (C3, not
 * releasable); `want_kc` gets their Kc computed here from K[0..32). */
static tco_status siblings(uint8_t want_kc[8])
{
    uint8_t r[32];
    tco_kdf_param p = {.data = cnt4, .len = 4};
    tco_kdf_dest d = {.split = TCO_SPLIT_HALVES, .slot_a = S[1], .attrs_a = TCO_USE_GSM_C3,
                      .slot_b = S[2], .attrs_b = TCO_USE_GSM_C3};
    tco_status st = ld(S[0], TCO_USE_KDF, 32);

    if (st == TCO_OK)
        st = tco_kdf_derive(dev, S[0], 0x10, &p, 1, &d);
    ref_kdf(K, 32, 0x10, cnt4, 4, r);
    for (int i = 0; i < 8; i++)
        want_kc[i] = r[i] ^ r[i + 8] ^ r[16 + i] ^ r[24 + i];
    return st;
}

static void t_links_c3(void)
{
    uint8_t kc[8], want[8];

    /* linked siblings: c3 runs, and Kc is the fold of the two halves */
    CHECK_ST(siblings(want), TCO_OK);
    memset(kc, 0, 8);
    CHECK_ST(tco_gsm_c3(dev, S[1], S[2], kc), TCO_OK);
    CHECK(memcmp(kc, want, 8) == 0);
    /* CK' and IK' from two derivations of the same parent key: linked to one parent */
    {
        tco_kdf_param p = {.data = cnt4, .len = 4};
        tco_kdf_dest da = {.split = TCO_SPLIT_MSB128, .slot_a = S[1], .attrs_a = TCO_USE_GSM_C3};
        tco_kdf_dest db = {.split = TCO_SPLIT_LSB128, .slot_a = S[2], .attrs_a = TCO_USE_GSM_C3};
        CHECK_ST(tco_kdf_derive(dev, S[0], 0x10, &p, 1, &da), TCO_OK);
        CHECK_ST(tco_kdf_derive(dev, S[0], 0x10, &p, 1, &db), TCO_OK);
        CHECK_ST(tco_gsm_c3(dev, S[1], S[2], kc), TCO_OK);
        CHECK(memcmp(kc, want, 8) == 0);
    }
    /* a host-loaded partner of a secret sibling: refused, releasable or not */
    CHECK_ST(tco_key_load(dev, S[3], K + 1, 16, TCO_USE_GSM_C3), TCO_OK);
    CHECK_ST(tco_gsm_c3(dev, S[1], S[3], kc), TCO_ERR_USAGE);
    CHECK_ST(tco_gsm_c3(dev, S[3], S[2], kc), TCO_ERR_USAGE);
    CHECK_ST(tco_key_load(dev, S[3], K + 1, 16, TCO_USE_GSM_C3 | TCO_ATTR_EXPORTABLE), TCO_OK);
    CHECK_ST(tco_gsm_c3(dev, S[1], S[3], kc), TCO_ERR_USAGE);
    /* two host-loaded keys: only if both are releasable */
    CHECK_ST(tco_key_load(dev, S[4], K + 2, 16, TCO_USE_GSM_C3), TCO_OK);
    CHECK_ST(tco_gsm_c3(dev, S[3], S[4], kc), TCO_ERR_USAGE);
    CHECK_ST(tco_key_load(dev, S[4], K + 2, 16, TCO_USE_GSM_C3 | TCO_ATTR_EXTRACTABLE), TCO_OK);
    CHECK_ST(tco_gsm_c3(dev, S[3], S[4], kc), TCO_OK);
    CHECK_ST(tco_key_load(dev, S[4], K + 2, 16, TCO_USE_GSM_C3 | TCO_ATTR_EXTRACTABLE |
                                                   TCO_ATTR_WRAP_TRUSTED), TCO_OK);
    CHECK_ST(tco_gsm_c3(dev, S[3], S[4], kc), TCO_ERR_USAGE); /* not releasable */
    /* siblings of different parents: refused */
    {
        tco_kdf_param p = {.data = cnt4, .len = 4};
        tco_kdf_dest d = {.split = TCO_SPLIT_MSB128, .slot_a = S[2], .attrs_a = TCO_USE_GSM_C3};
        CHECK_ST(siblings(want), TCO_OK);
        CHECK_ST(tco_key_load(dev, S[5], K + 3, 32, TCO_USE_KDF), TCO_OK);
        CHECK_ST(tco_kdf_derive(dev, S[5], 0x10, &p, 1, &d), TCO_OK);
        CHECK_ST(tco_gsm_c3(dev, S[1], S[2], kc), TCO_ERR_USAGE);
    }
    /* a derivation with a slot parameter links nothing */
    {
        tco_kdf_param p[2] = {{.data = cnt4, .len = 4}, {.from_slot = 1, .slot = S[5]}};
        tco_kdf_dest d = {.split = TCO_SPLIT_HALVES, .slot_a = S[1], .attrs_a = TCO_USE_GSM_C3,
                          .slot_b = S[2], .attrs_b = TCO_USE_GSM_C3};
        CHECK_ST(ld(S[0], TCO_USE_KDF, 32), TCO_OK);
        CHECK_ST(tco_kdf_derive(dev, S[0], 0x10, p, 2, &d), TCO_OK);
        CHECK_ST(tco_gsm_c3(dev, S[1], S[2], kc), TCO_ERR_USAGE);
    }
    /* a destination in the key slot: neither destination is linked */
    {
        tco_kdf_param p = {.data = cnt4, .len = 4};
        tco_kdf_dest d = {.split = TCO_SPLIT_HALVES, .slot_a = S[0], .attrs_a = TCO_USE_GSM_C3,
                          .slot_b = S[2], .attrs_b = TCO_USE_GSM_C3};
        CHECK_ST(ld(S[0], TCO_USE_KDF, 32), TCO_OK);
        CHECK_ST(tco_kdf_derive(dev, S[0], 0x10, &p, 1, &d), TCO_OK);
        CHECK_ST(tco_gsm_c3(dev, S[0], S[2], kc), TCO_ERR_USAGE);
    }
    /* the parent slot rewritten: the link is gone. By a load (even of the same key), by a
     * derivation into it, by an unwrap into it */
    CHECK_ST(siblings(want), TCO_OK);
    CHECK_ST(ld(S[0], TCO_USE_KDF, 32), TCO_OK);
    CHECK_ST(tco_gsm_c3(dev, S[1], S[2], kc), TCO_ERR_USAGE);
    {
        tco_kdf_param p = {.data = cnt4, .len = 4};
        tco_kdf_dest d = {.split = TCO_SPLIT_FULL, .slot_a = S[0], .attrs_a = TCO_USE_KDF};
        CHECK_ST(siblings(want), TCO_OK);
        CHECK_ST(tco_key_load(dev, S[5], K + 3, 32, TCO_USE_KDF), TCO_OK);
        CHECK_ST(tco_kdf_derive(dev, S[5], 0x10, &p, 1, &d), TCO_OK);
        CHECK_ST(tco_gsm_c3(dev, S[1], S[2], kc), TCO_ERR_USAGE);
    }
    {
        uint8_t blob[40];
        size_t bl = ref_kw(1, K + 4, 16, K, 32, TCO_USE_KDF | TCO_ATTR_EXTRACTABLE, blob);
        CHECK_ST(siblings(want), TCO_OK);
        CHECK_ST(tco_key_load(dev, S[5], K + 4, 16, TCO_USE_WRAP), TCO_OK);
        CHECK_ST(tco_key_unwrap(dev, S[5], blob, bl, S[0], TCO_USE_KDF | TCO_ATTR_EXTRACTABLE),
                 TCO_OK);
        CHECK_ST(tco_gsm_c3(dev, S[1], S[2], kc), TCO_ERR_USAGE);
    }
    /* the parent slot only erased: the link stays (the siblings were made from the key it
     * held; nothing new was written) */
    CHECK_ST(siblings(want), TCO_OK);
    CHECK_ST(tco_key_erase(dev, S[0]), TCO_OK);
    CHECK_ST(tco_gsm_c3(dev, S[1], S[2], kc), TCO_OK);
    CHECK(memcmp(kc, want, 8) == 0);
    /* ... until a key is written there again */
    CHECK_ST(ld(S[0], TCO_USE_AES, 16), TCO_OK);
    CHECK_ST(tco_gsm_c3(dev, S[1], S[2], kc), TCO_ERR_USAGE);
    /* rewriting a sibling does not link the new key */
    CHECK_ST(siblings(want), TCO_OK);
    CHECK_ST(tco_key_load(dev, S[2], K + 5, 16, TCO_USE_GSM_C3), TCO_OK);
    CHECK_ST(tco_gsm_c3(dev, S[1], S[2], kc), TCO_ERR_USAGE);
}

/* SRTP session keys k_e (S[1]), k_a (S[2]), k_s (S[3]) from the master in S[0]. */
static tco_status session(uint32_t master_attrs, uint32_t salt_mods)
{
    tco_status st = ld(S[0], master_attrs, 16);

    if (st == TCO_OK)
        st = tco_srtp_kdf(dev, S[0], 0, salt14, S[1], 0);
    if (st == TCO_OK)
        st = tco_srtp_kdf(dev, S[0], 1, salt14, S[2], 0);
    if (st == TCO_OK)
        st = tco_srtp_kdf(dev, S[0], 2, salt14, S[3], salt_mods);
    return st;
}

static void t_links_srtp(void)
{
    /* k_e and k_s from one master: the salt need not be releasable */
    CHECK_ST(session(TCO_USE_SRTP_KDF, 0), TCO_OK);
    CHECK_ST(frame(S[1], S[2], S[3]), TCO_OK);
    /* the master erased: the session goes on (tco_srtp_add_key does this) */
    CHECK_ST(tco_key_erase(dev, S[0]), TCO_OK);
    CHECK_ST(frame(S[1], S[2], S[3]), TCO_OK);
    /* the master slot written again: the salt loses its k_e */
    CHECK_ST(ld(S[0], TCO_USE_SRTP_KDF, 16), TCO_OK);
    CHECK_ST(frame(S[1], S[2], S[3]), TCO_ERR_USAGE);
    /* a k_e of another master, or one the host loaded, with a secret salt: refused */
    CHECK_ST(session(TCO_USE_SRTP_KDF, 0), TCO_OK);
    CHECK_ST(tco_key_load(dev, S[5], K + 7, 16, TCO_USE_SRTP_KDF), TCO_OK);
    CHECK_ST(tco_srtp_kdf(dev, S[5], 0, salt14, S[4], 0), TCO_OK);
    CHECK_ST(frame(S[4], S[2], S[3]), TCO_ERR_USAGE);
    CHECK_ST(tco_key_load(dev, S[4], K + 7, 16, TCO_USE_SRTP_KE), TCO_OK);
    CHECK_ST(frame(S[4], S[2], S[3]), TCO_ERR_USAGE);
    /* ... but k_a may come from anywhere */
    CHECK_ST(tco_key_load(dev, S[6], K + 8, 20, TCO_USE_SRTP_KA), TCO_OK);
    CHECK_ST(frame(S[1], S[6], S[3]), TCO_OK);
    /* a releasable salt goes with any k_e: host-loaded exportable, or derived extractable
     * (the master then needs KDF_OUT) */
    CHECK_ST(tco_key_load(dev, S[7], salt14, 14, TCO_USE_SRTP_SALT | TCO_ATTR_EXPORTABLE),
             TCO_OK);
    CHECK_ST(frame(S[4], S[2], S[7]), TCO_OK);
    CHECK_ST(tco_key_load(dev, S[7], salt14, 14, TCO_USE_SRTP_SALT | TCO_ATTR_EXTRACTABLE |
                                                     TCO_ATTR_WRAP_TRUSTED), TCO_OK);
    CHECK_ST(frame(S[4], S[2], S[7]), TCO_ERR_USAGE);
    CHECK_ST(session(TCO_USE_SRTP_KDF, TCO_ATTR_EXTRACTABLE), TCO_ERR_USAGE);
    CHECK_ST(session(TCO_USE_SRTP_KDF | TCO_USE_KDF_OUT, TCO_ATTR_EXTRACTABLE), TCO_OK);
    CHECK_ST(frame(S[4], S[2], S[3]), TCO_OK);
}

/* ----------------------------------------------------------------------------------------- */
/* Wrap and unwrap */

static void t_wrap(void)
{
    static const uint32_t sets[] = {
        TCO_ATTR_EXTRACTABLE, TCO_ATTR_EXTRACTABLE | TCO_ATTR_EXPORTABLE,
        TCO_USE_AES | TCO_ATTR_EXTRACTABLE, TCO_USE_HMAC | TCO_ATTR_EXTRACTABLE,
        TCO_USE_KDF | TCO_ATTR_EXTRACTABLE, TCO_USE_WRAP | TCO_ATTR_EXTRACTABLE,
        TCO_USE_SRTP_KDF | TCO_ATTR_EXTRACTABLE, TCO_USE_GSM_C3 | TCO_ATTR_EXTRACTABLE,
        TCO_USE_SRTP_KE | TCO_ATTR_EXTRACTABLE,
        TCO_USE_HMAC | TCO_USE_KDF | TCO_USE_KDF_OUT | TCO_ATTR_EXTRACTABLE,
    };
    uint8_t out[40], ref[40], host[32], blob[40];
    size_t n = 0;
    int bad = 0, badx = 0, total = 0;

    /* the KEK: USE_WRAP and nothing else; a WRAP key is not wrappable unless extractable */
    CHECK_ST(ld(S[0], TCO_USE_WRAP | TCO_USE_HMAC, 16), TCO_ERR_USAGE);
    CHECK_ST(ld(S[0], TCO_USE_WRAP | TCO_USE_AES, 16), TCO_ERR_USAGE);
    CHECK_ST(ld(S[0], TCO_USE_WRAP | TCO_USE_KDF_OUT, 16), TCO_ERR_USAGE);
    CHECK_ST(ld(S[0], TCO_USE_WRAP, 16), TCO_OK);
    CHECK_ST(tco_key_load(dev, S[1], K + 16, 16, TCO_USE_WRAP), TCO_OK);
    CHECK_ST(tco_key_wrap(dev, S[0], S[1], out, sizeof(out), &n), TCO_ERR_USAGE);
    /* WRAP_TRUSTED: only under a TRUSTED KEK, which no call can make */
    CHECK_ST(tco_key_load(dev, S[1], K + 16, 16, TCO_ATTR_EXTRACTABLE | TCO_ATTR_WRAP_TRUSTED),
             TCO_OK);
    CHECK_ST(tco_key_wrap(dev, S[0], S[1], out, sizeof(out), &n), TCO_ERR_USAGE);
    CHECK_ST(tco_key_load(dev, S[1], K + 16, 16, TCO_USE_AES | TCO_ATTR_EXTRACTABLE |
                                                    TCO_ATTR_WRAP_TRUSTED), TCO_OK);
    CHECK_ST(tco_key_wrap(dev, S[0], S[1], out, sizeof(out), &n), TCO_ERR_USAGE);
    /* lengths: the key 16 or 32 octets (14- and 20-octet keys are extractable, not
     * wrappable); the output buffer */
    CHECK_ST(tco_key_load(dev, S[1], K, 14, TCO_ATTR_EXTRACTABLE), TCO_OK);
    CHECK_ST(tco_key_wrap(dev, S[0], S[1], out, sizeof(out), &n), TCO_ERR_KEY_LENGTH);
    CHECK_ST(tco_key_load(dev, S[1], K, 20, TCO_USE_HMAC | TCO_ATTR_EXTRACTABLE), TCO_OK);
    CHECK_ST(tco_key_wrap(dev, S[0], S[1], out, sizeof(out), &n), TCO_ERR_KEY_LENGTH);
    CHECK_ST(tco_key_load(dev, S[1], K, 32, TCO_ATTR_EXTRACTABLE), TCO_OK);
    CHECK_ST(tco_key_wrap(dev, S[0], S[1], out, 39, &n), TCO_ERR_BUFFER_SMALL);

    /* the attributes bound in the blob, for keys of each kind and both KEK lengths */
    for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
        for (int c = 0; c < 4; c++, total++) {
            size_t kl = c & 1 ? 32 : 16, nl = (c & 2) && sets[i] != (TCO_USE_GSM_C3 |
                                                                      TCO_ATTR_EXTRACTABLE)
                                                  ? 32 : 16;
            uint32_t a = sets[i], other = sets[(i + 1) % (sizeof(sets) / sizeof(sets[0]))];
            uint32_t got = 0;
            /* other attributes fail the integrity check, unless they fit no key of this
             * length (then that is the answer, before any unwrap) */
            tco_status want_other =
                load_answer(other, nl) == TCO_OK ? TCO_ERR_AUTH : load_answer(other, nl);
            CHECK_ST(tco_key_load(dev, S[0], K + 1, kl, TCO_USE_WRAP), TCO_OK);
            if (tco_key_load(dev, S[1], K + 7, nl, a) != TCO_OK ||
                tco_key_wrap(dev, S[0], S[1], out, sizeof(out), &n) != TCO_OK || n != nl + 8 ||
                ref_kw(1, K + 1, kl, K + 7, nl, a, ref) != n || memcmp(out, ref, n) != 0 ||
                ref_kw(0, K + 1, kl, out, n, a, host) != nl || memcmp(host, K + 7, nl) != 0) {
                if (bad++ < 4)
                    fprintf(stderr, "%s: wrap of a %zu-octet key, attrs %#x, under a %zu-octet "
                                    "KEK: not OpenSSL's RFC 3394 with IV A6A6A6A6A6A6 || attrs\n",
                            uri, nl, (unsigned)a, kl);
                continue;
            }
            /* other attributes: TCO_ERR_AUTH, the destination untouched; the blob's own:
             * the key with exactly those attributes */
            CHECK_ST(tco_key_load(dev, S[2], K + 9, 20, TCO_ATTR_EXPORTABLE), TCO_OK);
            if (tco_key_unwrap(dev, S[0], out, n, S[2], other) != want_other ||
                tco_key_unwrap(dev, S[0], out, n, S[2], a | TCO_ATTR_EXPORTABLE) !=
                    (a & TCO_ATTR_EXPORTABLE ? TCO_OK : TCO_ERR_AUTH) ||
                (!(a & TCO_ATTR_EXPORTABLE) && !holds(S[2], K + 9, 20)) ||
                tco_key_unwrap(dev, S[0], out, n, S[2], a) != TCO_OK ||
                slot_len(S[2], &got) != nl || got != a) {
                if (badx++ < 4)
                    fprintf(stderr, "%s: unwrap of a %zu-octet key, attrs %#x (other %#x): "
                                    "wrong answer\n", uri, nl, (unsigned)a, (unsigned)other);
            }
        }
    }
    CHECK_CASES("wrap = RFC 3394 with IV A6A6A6A6A6A6 || attrs; the host unwraps with it",
                bad, total);
    CHECK_CASES("unwrap only with the blob's attributes; a refusal writes nothing", badx,
                total);

    /* a key wrapped under a KEK the host knows: OpenSSL's unwrap with the IV recovers it */
    CHECK_ST(tco_key_load(dev, S[0], K, 32, TCO_USE_WRAP), TCO_OK);
    CHECK_ST(tco_key_load(dev, S[1], K + 3, 16, TCO_USE_SRTP_KDF | TCO_ATTR_EXTRACTABLE), TCO_OK);
    CHECK_ST(tco_key_wrap(dev, S[0], S[1], out, sizeof(out), &n), TCO_OK);
    CHECK(ref_kw(0, K, 32, out, n, TCO_USE_SRTP_KDF | TCO_ATTR_EXTRACTABLE, host) == 16 &&
          memcmp(host, K + 3, 16) == 0);
    CHECK(ref_kw(0, K, 32, out, n, TCO_USE_SRTP_KDF, host) == 0); /* other IV: fails */

    /* unwrap: the KEK needs USE_WRAP; the requested attributes must be a profile for the
     * key's length, without TRUSTED (checked before the integrity check) */
    CHECK_ST(tco_key_load(dev, S[3], K, 32, TCO_USE_AES), TCO_OK);
    CHECK_ST(tco_key_load(dev, S[2], K + 9, 20, TCO_ATTR_EXPORTABLE), TCO_OK);
    CHECK_ST(tco_key_unwrap(dev, S[3], out, n, S[2], TCO_USE_SRTP_KDF | TCO_ATTR_EXTRACTABLE),
             TCO_ERR_USAGE);
    CHECK_ST(tco_key_unwrap(dev, S[0], out, n, S[2], TCO_USE_AES | TCO_USE_HMAC),
             TCO_ERR_USAGE);
    CHECK_ST(tco_key_unwrap(dev, S[0], out, n, S[2], TCO_USE_SRTP_KA), TCO_ERR_KEY_LENGTH);
    CHECK_ST(tco_key_unwrap(dev, S[0], out, n - 1, S[2], 0), TCO_ERR_INVALID_ARG);
    CHECK(holds(S[2], K + 9, 20));
    /* an unwrapped key carries no link: two C3 keys unwrapped are a pair only if releasable */
    {
        uint8_t b1[40], b2[40], kc[8];
        size_t l1 = ref_kw(1, K, 32, K + 1, 16, TCO_USE_GSM_C3, b1);
        size_t l2 = ref_kw(1, K, 32, K + 2, 16, TCO_USE_GSM_C3, b2);
        CHECK_ST(tco_key_unwrap(dev, S[0], b1, l1, S[4], TCO_USE_GSM_C3), TCO_OK);
        CHECK_ST(tco_key_unwrap(dev, S[0], b2, l2, S[5], TCO_USE_GSM_C3), TCO_OK);
        CHECK_ST(tco_gsm_c3(dev, S[4], S[5], kc), TCO_ERR_USAGE);
    }
    /* a blob of the old model (the RFC's default IV) does not open with any attributes */
    memcpy(blob, out, n);
    {
        EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
        int a = 0, b = 0;
        EVP_CIPHER_CTX_set_flags(c, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
        CHECK(EVP_EncryptInit_ex(c, EVP_aes_256_wrap(), NULL, K, NULL) == 1 &&
              EVP_EncryptUpdate(c, blob, &a, K + 3, 16) == 1 &&
              EVP_EncryptFinal_ex(c, blob + a, &b) == 1 && a + b == 24);
        EVP_CIPHER_CTX_free(c);
        bad = 0;
        for (size_t p = 0; p < NPROF; p++)
            if (prof[p].lens & L16)
                bad += tco_key_unwrap(dev, S[0], blob, 24, S[2],
                                      prof[p].use | TCO_ATTR_EXTRACTABLE) != TCO_ERR_AUTH;
        CHECK_CASES("a default-IV blob opens with no attributes", bad, 13);
    }
}

/* ----------------------------------------------------------------------------------------- */
/* TRUSTED: no call makes a TRUSTED key */

static void t_trusted(void)
{
    uint8_t blob[40];
    size_t n;
    tco_kdf_param p = {.data = cnt4, .len = 4};
    tco_kdf_dest d = {.split = TCO_SPLIT_FULL, .slot_a = S[1],
                      .attrs_a = TCO_USE_WRAP | TCO_ATTR_TRUSTED};
    tco_kdf_dest h = {.split = TCO_SPLIT_HALVES, .slot_a = S[1], .attrs_a = 0, .slot_b = S[2],
                      .attrs_b = TCO_ATTR_TRUSTED};

    CHECK_ST(ld(S[0], TCO_USE_WRAP | TCO_ATTR_TRUSTED, 16), TCO_ERR_USAGE);
    CHECK_ST(ld(S[0], TCO_ATTR_TRUSTED, 16), TCO_ERR_USAGE);
    CHECK_ST(ld(S[0], TCO_USE_KDF | TCO_USE_KDF_OUT, 32), TCO_OK);
    CHECK_ST(tco_kdf_derive(dev, S[0], 0x10, &p, 1, &d), TCO_ERR_USAGE);
    CHECK_ST(tco_kdf_derive(dev, S[0], 0x10, &p, 1, &h), TCO_ERR_USAGE);
    CHECK_ST(ld(S[0], TCO_USE_SRTP_KDF | TCO_USE_KDF_OUT, 16), TCO_OK);
    CHECK_ST(tco_srtp_kdf(dev, S[0], 0, salt14, S[1], TCO_ATTR_TRUSTED), TCO_ERR_USAGE);
    /* a blob the host made for a TRUSTED KEK (its IV has the TRUSTED bit): refused before
     * the integrity check, so such a key never exists */
    CHECK_ST(ld(S[0], TCO_USE_WRAP, 16), TCO_OK);
    n = ref_kw(1, K, 16, K + 5, 16, TCO_USE_WRAP | TCO_ATTR_TRUSTED, blob);
    CHECK_ST(tco_key_unwrap(dev, S[0], blob, n, S[1], TCO_USE_WRAP | TCO_ATTR_TRUSTED),
             TCO_ERR_USAGE);
    n = ref_kw(1, K, 16, K + 5, 16, TCO_ATTR_TRUSTED, blob);
    CHECK_ST(tco_key_unwrap(dev, S[0], blob, n, S[1], TCO_ATTR_TRUSTED), TCO_ERR_USAGE);
}

/* ----------------------------------------------------------------------------------------- */

static void run(const char *u)
{
    tco_info info;
    tco_status st;
    int before = t_fail;

    uri = u;
    st = tco_open(&dev, u);
    CHECK_ST(st, TCO_OK);
    if (st != TCO_OK) {
        fprintf(stderr, "%s: cannot open: %s\n", u, tco_strerror(st));
        return;
    }
    CHECK_ST(tco_get_info(dev, &info), TCO_OK);
    for (size_t i = 0; i < sizeof(S) / sizeof(S[0]); i++)
        CHECK_ST(tco_slot_alloc(dev, &S[i]), TCO_OK);
    t_profiles();
    t_needs();
    t_inherit_kdf();
    t_links_c3();
    if (info.caps & TCO_CAP_SRTP) {
        t_srtp_kdf();
        t_links_srtp();
    } else {
        printf("%s: no SRTP engine: the SRTP rules skipped\n", u);
    }
    if (info.caps & TCO_CAP_KEY_WRAP)
        t_wrap();
    else
        printf("%s: no key-wrap engine: the wrap rules skipped\n", u);
    t_trusted();
    tco_close(dev);
    dev = NULL;
    printf("%s: %s\n", u, t_fail == before ? "every rule holds" : "RULES BROKEN (above)");
}

int main(int argc, char **argv)
{
    for (int i = 0; i < 64; i++)
        K[i] = (uint8_t)(0x40 + 7 * i);
    if (argc > 1) {
        for (int i = 1; i < argc; i++)
            run(argv[i]);
        return t_done("test_keymodel");
    }
    run("soft:");
    if (getenv("TCO_SIM_LIB") != NULL)
        run("sim:");
    else
        printf("sim: skipped (TCO_SIM_LIB is not set)\n");
    return t_done("test_keymodel");
}
