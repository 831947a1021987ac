/* SPDX-License-Identifier: Apache-2.0 */
/* soft backend: the device model on OpenSSL 3 EVP, in process. It keeps the key-slot table
 * and enforces the key model (docs/keys.md; the rule table of driver/protocol.def, through
 * the generated tco_p_* functions) exactly as the RTL device does, in the device's check
 * order; it is the reference every hardware result is compared with. */
#include "tco_priv.h"
#include "tco_protocol.h"

#ifdef TCO_HAVE_IPSEC_MB
#include <intel-ipsec-mb.h>
#endif
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SOFT_SLOTS 64u
#define SOFT_MAX_DATA (16u << 20) /* 16 MiB per call */

typedef struct soft_slot {
    uint8_t key[TCO_KEY_MAX];
    uint8_t len; /* 0 = empty */
    uint32_t attrs;
    bool linked;   /* derived from the current key of slot `parent` (docs/keys.md, links) */
    tco_slot parent;
    /* SRTP fast path: contexts keyed once on first use, freed when the slot changes. */
    EVP_CIPHER_CTX *ctr; /* AES block function under this key (k_e) */
    EVP_CIPHER_CTX *ctrm; /* AES-CTR mode under this key (tco_aes_ctr) */
    EVP_MAC_CTX *mac;    /* HMAC-SHA1 under this key (k_a) */
    EVP_MAC_CTX *hm;     /* tco_hmac / tco_kdf: HMAC under this key with the hash of its last
                            use (hm_sha1), its pads computed once, as the device caches them */
    bool hm_sha1;
    struct mb_key *mb;   /* libipsec-mb: expanded AES key and HMAC pad states */
} soft_slot;

#ifdef TCO_HAVE_IPSEC_MB
/* Per-slot key material for libipsec-mb jobs (16-octet aligned as the library wants). */
typedef struct mb_key {
    DECLARE_ALIGNED(uint32_t enc[60], 16);
    DECLARE_ALIGNED(uint32_t dec[60], 16);
    DECLARE_ALIGNED(uint8_t ipad[20], 16);
    DECLARE_ALIGNED(uint8_t opad[20], 16);
    bool aes, hmac; /* which parts are set */
} mb_key;

#define MB_CHUNK 64u /* jobs submitted before the results are collected */
/* What a job needs until it completes. */
typedef struct mb_slotbuf {
    DECLARE_ALIGNED(uint8_t iv[16], 16);
    uint8_t tag[20];
    size_t sc_off; /* unprotect: offset of A || ROC in the scratch */
} mb_slotbuf;
#endif

typedef struct soft_dev {
    soft_slot slot[SOFT_SLOTS];
    bool fault_aes; /* "soft:?fault=aes": every AES output has one bit flipped (tests the
                       self-test's refusal to open a faulty engine) */
    EVP_CIPHER *aes128_ecb;
    EVP_CIPHER *aes256_ecb;
    EVP_CIPHER *aes128_ctr;
    EVP_CIPHER *aes256_ctr;
    EVP_CIPHER *aes128_wrap;
    EVP_CIPHER *aes256_wrap;
    EVP_MAC *hmac;
#ifdef TCO_HAVE_IPSEC_MB
    IMB_MGR *mb;            /* NULL: the OpenSSL path only */
    mb_slotbuf job[MB_CHUNK];
    uint8_t *scratch;
    size_t scratch_len;
#endif
} soft_dev;

static soft_dev *S(tco_dev *dev)
{
    return (soft_dev *)dev->be;
}

/* Zeroise a slot and free its keyed contexts (OpenSSL cleanses their key schedules). */
static void slot_clear(soft_slot *s)
{
    EVP_CIPHER_CTX_free(s->ctr);
    EVP_CIPHER_CTX_free(s->ctrm);
    EVP_MAC_CTX_free(s->mac);
    EVP_MAC_CTX_free(s->hm);
#ifdef TCO_HAVE_IPSEC_MB
    if (s->mb != NULL) {
        tco_cleanse(s->mb, sizeof(*s->mb)); /* SEC: key schedule and pad states */
        free(s->mb);
    }
#endif
    tco_cleanse(s, sizeof(*s)); /* SEC: key wipe */
}

static tco_status soft_open(tco_dev *dev, const char *args)
{
    soft_dev *sd;

    bool fault = false;

    if (strcmp(args, "?fault=aes") == 0)
        fault = true;
    else if (args[0] != '\0')
        return TCO_ERR_BAD_URI; /* "soft:" takes no other arguments */
    sd = calloc(1, sizeof(*sd));
    if (sd == NULL)
        return TCO_ERR_NO_MEMORY;
    sd->fault_aes = fault;
    sd->aes128_ecb = EVP_CIPHER_fetch(NULL, "AES-128-ECB", NULL);
    sd->aes256_ecb = EVP_CIPHER_fetch(NULL, "AES-256-ECB", NULL);
    sd->aes128_ctr = EVP_CIPHER_fetch(NULL, "AES-128-CTR", NULL);
    sd->aes256_ctr = EVP_CIPHER_fetch(NULL, "AES-256-CTR", NULL);
    sd->aes128_wrap = EVP_CIPHER_fetch(NULL, "AES-128-WRAP", NULL);
    sd->aes256_wrap = EVP_CIPHER_fetch(NULL, "AES-256-WRAP", NULL);
    sd->hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (sd->aes128_ecb == NULL || sd->aes256_ecb == NULL || sd->aes128_ctr == NULL ||
        sd->aes256_ctr == NULL || sd->aes128_wrap == NULL || sd->aes256_wrap == NULL ||
        sd->hmac == NULL) {
        EVP_CIPHER_free(sd->aes128_wrap);
        EVP_CIPHER_free(sd->aes256_wrap);
        EVP_CIPHER_free(sd->aes128_ecb);
        EVP_CIPHER_free(sd->aes256_ecb);
        EVP_CIPHER_free(sd->aes128_ctr);
        EVP_CIPHER_free(sd->aes256_ctr);
        EVP_MAC_free(sd->hmac);
        free(sd);
        return TCO_ERR_CRYPTO;
    }
#ifdef TCO_HAVE_IPSEC_MB
    if (getenv("TCO_SOFT_NO_IPSEC_MB") == NULL) {
        sd->mb = alloc_mb_mgr(0);
        if (sd->mb != NULL)
            init_mb_mgr_auto(sd->mb, NULL);
    }
#endif
    dev->be = sd;
    dev->num_slots = SOFT_SLOTS;
    dev->max_data = SOFT_MAX_DATA;
    dev->max_mac = SOFT_MAX_DATA;
    dev->max_srtp = 65535; /* an RTP packet in one UDP datagram */
    dev->caps = TCO_CAP_AES128 | TCO_CAP_AES256 | TCO_CAP_AES_CTR | TCO_CAP_HMAC_SHA256 |
                TCO_CAP_HMAC_SHA1 | TCO_CAP_KDF | TCO_CAP_KDF_SLOT_PARAM | TCO_CAP_GSM_C3 |
                TCO_CAP_SRTP | TCO_CAP_KEY_WRAP;
    return TCO_OK;
}

static void soft_close(tco_dev *dev)
{
    soft_dev *sd = S(dev);

    if (sd == NULL)
        return;
    for (unsigned i = 0; i < SOFT_SLOTS; i++)
        slot_clear(&sd->slot[i]);
    EVP_CIPHER_free(sd->aes128_ecb);
    EVP_CIPHER_free(sd->aes256_ecb);
    EVP_CIPHER_free(sd->aes128_ctr);
    EVP_CIPHER_free(sd->aes256_ctr);
    EVP_CIPHER_free(sd->aes128_wrap);
    EVP_CIPHER_free(sd->aes256_wrap);
    EVP_MAC_free(sd->hmac);
#ifdef TCO_HAVE_IPSEC_MB
    if (sd->mb != NULL)
        free_mb_mgr(sd->mb);
    if (sd->scratch != NULL) {
        tco_cleanse(sd->scratch, sd->scratch_len);
        free(sd->scratch);
    }
    tco_cleanse(sd->job, sizeof(sd->job));
#endif
    free(sd);
    dev->be = NULL;
}

static tco_status soft_info(tco_dev *dev, tco_info *info)
{
    (void)dev;
    snprintf(info->version, sizeof(info->version), "tco %s / %s", TCO_VERSION,
             OPENSSL_VERSION_TEXT + 8 /* skip "OpenSSL " */);
    info->cycles = 0;
    return TCO_OK;
}

/* Fetch a slot the operation may use: present and with every bit of `need`. */
static tco_status use_slot(tco_dev *dev, tco_slot slot, uint32_t need, const soft_slot **out)
{
    const soft_slot *s = &S(dev)->slot[slot];

    if (s->len == 0)
        return TCO_ERR_SLOT_EMPTY;
    if ((s->attrs & need) != need)
        return TCO_ERR_USAGE;
    *out = s;
    return TCO_OK;
}

/* Write a slot (the key model's checks have passed): the old key is wiped, the slot gets
 * its link (parent slot, or none), and when a new key is written (not an erase) every slot
 * linked to this one loses its link: a link means "derived from the last key written to the
 * parent slot" (an erased parent keeps its children linked, so a session may drop its master
 * key and keep its session keys usable). */
static void slot_store(tco_dev *dev, tco_slot slot, const uint8_t *key, size_t len,
                       uint32_t attrs, bool linked, tco_slot parent)
{
    soft_dev *sd = S(dev);
    soft_slot *s = &sd->slot[slot];

    slot_clear(s);
    for (unsigned i = 0; i < SOFT_SLOTS && len > 0; i++)
        if (sd->slot[i].linked && sd->slot[i].parent == slot)
            sd->slot[i].linked = false;
    if (len > 0)
        memcpy(s->key, key, len);
    s->len = (uint8_t)len;
    s->attrs = len ? attrs : 0;
    s->linked = linked && parent != slot;
    s->parent = parent;
}

/* Two keys linked to one parent. */
static bool same_parent(const soft_slot *a, const soft_slot *b)
{
    return a->linked && b->linked && a->parent == b->parent;
}

static tco_status soft_key_write(tco_dev *dev, tco_slot slot, const uint8_t *key, size_t len,
                                 uint32_t attrs)
{
    tco_status st = tco_p_attrs_check(attrs, len);

    if (st != TCO_OK)
        return st;
    slot_store(dev, slot, key, len, attrs, false, 0);
    return TCO_OK;
}

static tco_status soft_key_read(tco_dev *dev, tco_slot slot, uint8_t out[32], size_t *len)
{
    const soft_slot *s = &S(dev)->slot[slot];

    if (s->len == 0)
        return TCO_ERR_SLOT_EMPTY;
    if (!(s->attrs & TCO_ATTR_EXPORTABLE))
        return TCO_ERR_NOT_EXPORTABLE;
    memcpy(out, s->key, s->len);
    *len = s->len;
    return TCO_OK;
}

static tco_status soft_key_erase(tco_dev *dev, tco_slot slot)
{
    slot_store(dev, slot, NULL, 0, 0, false, 0);
    return TCO_OK;
}

static tco_status soft_key_info(tco_dev *dev, tco_slot slot, size_t *len, uint32_t *attrs)
{
    const soft_slot *s = &S(dev)->slot[slot];

    *len = s->len;
    *attrs = s->len ? s->attrs : 0;
    return TCO_OK;
}

/* HMAC (RFC 2104) with EVP_MAC under the key of slot k, SHA-1 or SHA-256. The slot keeps a
 * context keyed for the hash of its last use; EVP_MAC_init with no key restarts it from the
 * cached pads. A change of hash keys it anew, and slot_clear frees it when the slot changes. */
static tco_status soft_hmac_slot(soft_dev *sd, soft_slot *k, bool sha1, const uint8_t *msg,
                                 size_t len, uint8_t *mac, size_t *mac_len)
{
    size_t n = 0;

    if (k->hm != NULL && k->hm_sha1 != sha1) {
        EVP_MAC_CTX_free(k->hm);
        k->hm = NULL;
    }
    if (k->hm == NULL) {
        OSSL_PARAM params[2];

        k->hm = EVP_MAC_CTX_new(sd->hmac);
        if (k->hm == NULL)
            return TCO_ERR_NO_MEMORY;
        params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
                                                     (char *)(sha1 ? "SHA1" : "SHA256"), 0);
        params[1] = OSSL_PARAM_construct_end();
        if (EVP_MAC_init(k->hm, k->key, k->len, params) != 1) {
            EVP_MAC_CTX_free(k->hm);
            k->hm = NULL;
            return TCO_ERR_CRYPTO;
        }
        k->hm_sha1 = sha1;
    } else if (EVP_MAC_init(k->hm, NULL, 0, NULL) != 1) {
        return TCO_ERR_CRYPTO;
    }
    if (EVP_MAC_update(k->hm, msg, len) != 1 || EVP_MAC_final(k->hm, mac, &n, 32) != 1)
        return TCO_ERR_CRYPTO;
    *mac_len = n;
    return TCO_OK;
}

/* TS 33.220 Annex B.2: S = FC || P0 || L0 || ... || Pn || Ln; out = HMAC-SHA-256(Key, S). */
static tco_status soft_kdf(tco_dev *dev, tco_slot key_slot, uint8_t fc, const tco_kdf_param *p,
                           size_t np, uint8_t *out, const tco_kdf_dest *dest)
{
    soft_dev *sd = S(dev);
    uint8_t s[TCO_KDF_MAX_S], res[32];
    size_t slen = 0, rlen = 0;
    bool link = true; /* no slot parameter: the destinations are linked to the key slot */
    tco_status st = TCO_OK;

    /* The device's check order: every slot's presence first, then every usage rule (the
     * key, the slot parameters, the destinations' profiles, inheritance), then lengths. */
    if (S(dev)->slot[key_slot].len == 0)
        return TCO_ERR_SLOT_EMPTY;
    for (size_t i = 0; i < np; i++)
        if (p[i].from_slot && S(dev)->slot[p[i].slot].len == 0)
            return TCO_ERR_SLOT_EMPTY;
    {
        uint32_t need = out ? TCO_P_NEED_KDF_KEY : TCO_P_NEED_KDF_DERIVE_KEY;
        uint32_t pneed = out ? TCO_P_NEED_KDF_PARAM : TCO_P_NEED_KDF_DERIVE_PARAM;
        const soft_slot *k = &S(dev)->slot[key_slot];
        bool rel = (k->attrs & TCO_USE_KDF_OUT) != 0, lenbad = k->len != 16 && k->len != 32;
        tco_status dst = TCO_OK;

        if ((k->attrs & need) != need)
            return TCO_ERR_USAGE;
        for (size_t i = 0; i < np; i++) {
            const soft_slot *q = &S(dev)->slot[p[i].slot];
            if (!p[i].from_slot)
                continue;
            if ((q->attrs & pneed) != pneed)
                return TCO_ERR_USAGE;
            rel = rel && (q->attrs & TCO_USE_KDF_OUT);
            lenbad = lenbad || (q->len != 16 && q->len != 32);
        }
        if (dest != NULL) {
            bool two = dest->split == TCO_SPLIT_HALVES;
            tco_status sa = tco_p_attrs_check(dest->attrs_a,
                                              dest->split == TCO_SPLIT_FULL ? 32 : 16);
            tco_status sb = two ? tco_p_attrs_check(dest->attrs_b, 16) : TCO_OK;
            if (sa == TCO_ERR_USAGE || sb == TCO_ERR_USAGE ||
                !tco_p_inherit_ok(rel, dest->attrs_a) ||
                (two && !tco_p_inherit_ok(rel, dest->attrs_b)))
                return TCO_ERR_USAGE;
            dst = sa != TCO_OK ? sa : sb;
        }
        if (lenbad)
            return TCO_ERR_KEY_LENGTH;
        if (dst != TCO_OK)
            return dst;
    }
    /* a destination in the key slot replaces the parent: then no destination is linked */
    if (dest != NULL && (dest->slot_a == key_slot ||
                         (dest->split == TCO_SPLIT_HALVES && dest->slot_b == key_slot)))
        link = false;
    s[slen++] = fc;
    for (size_t i = 0; i < np; i++) {
        const uint8_t *d = p[i].data;
        size_t n = p[i].len;
        if (p[i].from_slot) {
            d = S(dev)->slot[p[i].slot].key;
            n = S(dev)->slot[p[i].slot].len;
            link = false;
        }
        if (slen + n + 2 > sizeof(s)) {
            st = TCO_ERR_RANGE;
            goto out;
        }
        if (n > 0)
            memcpy(s + slen, d, n);
        slen += n;
        s[slen++] = (uint8_t)(n >> 8);
        s[slen++] = (uint8_t)n;
    }
    st = soft_hmac_slot(sd, &sd->slot[key_slot], false, s, slen, res, &rlen);
    if (st != TCO_OK)
        goto out;
    if (out != NULL) {
        memcpy(out, res, 32);
    } else {
        switch (dest->split) {
        case TCO_SPLIT_FULL:
            slot_store(dev, dest->slot_a, res, 32, dest->attrs_a, link, key_slot);
            break;
        case TCO_SPLIT_HALVES:
            slot_store(dev, dest->slot_a, res, 16, dest->attrs_a, link, key_slot);
            slot_store(dev, dest->slot_b, res + 16, 16, dest->attrs_b, link, key_slot);
            break;
        case TCO_SPLIT_MSB128:
            slot_store(dev, dest->slot_a, res, 16, dest->attrs_a, link, key_slot);
            break;
        case TCO_SPLIT_LSB128:
            slot_store(dev, dest->slot_a, res + 16, 16, dest->attrs_a, link, key_slot);
            break;
        }
    }
out:
    tco_cleanse(s, sizeof(s));
    tco_cleanse(res, sizeof(res));
    return st;
}

/* ECB-encrypt `nblocks` independent blocks (the AES block function, FIPS-197). */
static tco_status soft_ecb(soft_dev *sd, const soft_slot *k, const uint8_t *in, uint8_t *out,
                           size_t nblocks)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    const EVP_CIPHER *c = k->len == 16 ? sd->aes128_ecb : sd->aes256_ecb;
    tco_status st = TCO_ERR_CRYPTO;
    int n = 0;

    if (ctx == NULL)
        return TCO_ERR_NO_MEMORY;
    if (EVP_EncryptInit_ex2(ctx, c, k->key, NULL, NULL) == 1 &&
        EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
        EVP_EncryptUpdate(ctx, out, &n, in, (int)(nblocks * 16)) == 1 &&
        (size_t)n == nblocks * 16)
        st = TCO_OK;
    if (st == TCO_OK && sd->fault_aes)
        out[0] ^= 0x01;
    EVP_CIPHER_CTX_free(ctx);
    return st;
}

static tco_status soft_aes_block(tco_dev *dev, tco_slot slot, const uint8_t in[16],
                                 uint8_t out[16])
{
    const soft_slot *k;
    uint8_t tmp[16];
    tco_status st = use_slot(dev, slot, TCO_P_NEED_AES_BLOCK_KEY, &k);

    if (st != TCO_OK)
        return st;
    if (k->len != 16 && k->len != 32)
        return TCO_ERR_KEY_LENGTH;
    st = soft_ecb(S(dev), k, in, tmp, 1);
    if (st == TCO_OK)
        memcpy(out, tmp, 16);
    return st;
}

/* Counter mode (SP 800-38A §6.5; RFC 3711 §4.1.1 with a 16-bit counter): keystream blocks
 * E_K(T_j), T_{j+1} = T_j + 1 in the low ctr_bits, XORed over the data. It runs as OpenSSL's
 * CTR mode over the whole buffer. OpenSSL increments all 128 bits of
 * the counter block; tco_aes_ctr refuses a call in which the low ctr_bits would wrap, so no
 * carry ever leaves them and the keystream is the one of a ctr_bits-wide counter. */
static tco_status soft_aes_ctr(tco_dev *dev, tco_slot slot, const uint8_t ctr[16],
                               unsigned ctr_bits, const uint8_t *in, uint8_t *out, size_t len)
{
    soft_dev *sd = S(dev);
    const soft_slot *kc;
    soft_slot *k;
    tco_status st = use_slot(dev, slot, TCO_P_NEED_AES_CTR_KEY, &kc);
    size_t done = 0;

    (void)ctr_bits;
    if (st != TCO_OK)
        return st;
    if (kc->len != 16 && kc->len != 32)
        return TCO_ERR_KEY_LENGTH;
    k = &sd->slot[slot];
    if (k->ctrm == NULL) {
        /* keyed once per slot key; each call only sets its counter block */
        k->ctrm = EVP_CIPHER_CTX_new();
        if (k->ctrm == NULL)
            return TCO_ERR_NO_MEMORY;
        if (EVP_EncryptInit_ex2(k->ctrm, k->len == 16 ? sd->aes128_ctr : sd->aes256_ctr, k->key,
                                NULL, NULL) != 1) {
            EVP_CIPHER_CTX_free(k->ctrm);
            k->ctrm = NULL;
            return TCO_ERR_CRYPTO;
        }
    }
    if (EVP_EncryptInit_ex2(k->ctrm, NULL, NULL, ctr, NULL) != 1)
        st = TCO_ERR_CRYPTO;
    while (st == TCO_OK && done < len) {
        int n = 0, m = len - done > (1u << 30) ? 1 << 30 : (int)(len - done);
        if (EVP_EncryptUpdate(k->ctrm, out + done, &n, in + done, m) != 1 || n != m)
            st = TCO_ERR_CRYPTO;
        done += (size_t)m;
    }
    if (st == TCO_OK && sd->fault_aes && len > 0)
        out[0] ^= 0x01;
    if (st != TCO_OK && len > 0)
        memset(out, 0, len); /* no partial output */
    return st;
}

static tco_status soft_hmac(tco_dev *dev, tco_slot slot, tco_hash hash, const uint8_t *msg,
                            size_t len, uint8_t *mac, size_t *mac_len)
{
    static const uint8_t empty[1] = {0};
    const soft_slot *k;
    tco_status st = use_slot(dev, slot, TCO_P_NEED_HMAC_KEY, &k);

    if (st != TCO_OK)
        return st;
    /* the slot itself, not the const view: it keeps the keyed context */
    return soft_hmac_slot(S(dev), &S(dev)->slot[slot], hash == TCO_HASH_SHA1, msg ? msg : empty,
                          len, mac, mac_len);
}

/* TS 33.102 §6.8.1.2, conversion function c3: Kc = CK1 ^ CK2 ^ IK1 ^ IK2 (64-bit halves). */
static tco_status soft_gsm_c3(tco_dev *dev, tco_slot ck_slot, tco_slot ik_slot, uint8_t kc[8])
{
    const soft_slot *ck, *ik;
    tco_status st;

    if (S(dev)->slot[ck_slot].len == 0 || S(dev)->slot[ik_slot].len == 0)
        return TCO_ERR_SLOT_EMPTY; /* presence of both before usage, as the device checks */
    st = use_slot(dev, ck_slot, TCO_P_NEED_GSM_C3_KEY, &ck);
    if (st == TCO_OK)
        st = use_slot(dev, ik_slot, TCO_P_NEED_GSM_C3_KEY, &ik);
    if (st != TCO_OK)
        return st;
    /* Kc is a function of the keys themselves: both known to the host anyway, or both
     * derived from one parent (a host-loaded partner would reveal CK1 ^ CK2) */
    if (!(tco_p_releasable(ck->attrs) && tco_p_releasable(ik->attrs)) && !same_parent(ck, ik))
        return TCO_ERR_USAGE;
    if (ck->len != 16 || ik->len != 16)
        return TCO_ERR_KEY_LENGTH;
    for (int i = 0; i < 8; i++)
        kc[i] = ck->key[i] ^ ck->key[i + 8] ^ ik->key[i] ^ ik->key[i + 8];
    return TCO_OK;
}

/* RFC 3711 §4.3 with kdr = 0: key = AES-CM keystream under the master key from
 * IV = (salt XOR label at octet 7) || 00 00. */
static tco_status soft_srtp_kdf(tco_dev *dev, tco_slot master, uint8_t label,
                                const uint8_t salt[14], tco_slot dest, uint32_t dest_attrs)
{
    uint8_t iv[32] = {0}, ks[32];
    const soft_slot *mk;
    size_t out_len;
    tco_status st;

    if (S(dev)->slot[master].len == 0)
        return TCO_ERR_SLOT_EMPTY;
    st = use_slot(dev, master, TCO_P_NEED_SRTP_KDF_MASTER, &mk);
    if (st != TCO_OK)
        return st;
    /* the label fixes the destination's usage; inheritance from the master */
    if ((dest_attrs & TCO_P_USAGE_MASK) != tco_p_srtp_role(label) ||
        (dest_attrs & TCO_ATTR_TRUSTED) ||
        !tco_p_inherit_ok((mk->attrs & TCO_USE_KDF_OUT) != 0, dest_attrs))
        return TCO_ERR_USAGE;
    if (mk->len != 16 && mk->len != 32)
        return TCO_ERR_KEY_LENGTH;
    out_len = tco_p_srtp_len(label) ? tco_p_srtp_len(label) : mk->len;
    memcpy(iv, salt, 14);
    iv[7] ^= label;
    memcpy(iv + 16, iv, 16);
    iv[31] = 1; /* second counter block */
    st = soft_ecb(S(dev), mk, iv, ks, (out_len + 15) / 16);
    if (st == TCO_OK)
        slot_store(dev, dest, ks, out_len, dest_attrs, true, master);
    tco_cleanse(ks, sizeof(ks));
    return st;
}

/* Keyed contexts of the SRTP fast path, made on first use of a slot: the AES block function
 * (ECB over counter blocks this code builds, so no per-packet IV setup) and HMAC-SHA1. */
static tco_status srtp_ctr_ctx(soft_dev *sd, soft_slot *k)
{
    if (k->ctr != NULL)
        return TCO_OK;
    k->ctr = EVP_CIPHER_CTX_new();
    if (k->ctr == NULL)
        return TCO_ERR_NO_MEMORY;
    if (EVP_EncryptInit_ex2(k->ctr, k->len == 16 ? sd->aes128_ecb : sd->aes256_ecb, k->key,
                            NULL, NULL) != 1 ||
        EVP_CIPHER_CTX_set_padding(k->ctr, 0) != 1) {
        EVP_CIPHER_CTX_free(k->ctr);
        k->ctr = NULL;
        return TCO_ERR_CRYPTO;
    }
    return TCO_OK;
}

static tco_status srtp_mac_ctx(soft_dev *sd, soft_slot *k)
{
    OSSL_PARAM params[2];

    if (k->mac != NULL)
        return TCO_OK;
    k->mac = EVP_MAC_CTX_new(sd->hmac);
    if (k->mac == NULL)
        return TCO_ERR_NO_MEMORY;
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA1", 0);
    params[1] = OSSL_PARAM_construct_end();
    if (EVP_MAC_init(k->mac, k->key, k->len, params) != 1) {
        EVP_MAC_CTX_free(k->mac);
        k->mac = NULL;
        return TCO_ERR_CRYPTO;
    }
    return TCO_OK;
}

/* HMAC-SHA1(k_a, a || extra), full 20 octets; the context keeps its key for the next one. */
static tco_status srtp_mac(soft_slot *ka, const uint8_t *a, size_t alen, const uint8_t *extra,
                           size_t elen, uint8_t mac[20])
{
    size_t n = 0;

    if (EVP_MAC_init(ka->mac, NULL, 0, NULL) != 1 || EVP_MAC_update(ka->mac, a, alen) != 1 ||
        (elen && EVP_MAC_update(ka->mac, extra, elen) != 1) ||
        EVP_MAC_final(ka->mac, mac, &n, 20) != 1 || n != 20)
        return TCO_ERR_CRYPTO;
    return TCO_OK;
}

/* AES-CM over len octets from IV = k_s XOR (SSRC, index) || 0, with a 16-bit block counter
 * (RFC 3711 §4.1.1): counter blocks built here, encrypted CM_CHUNK at a time, XORed in. */
#define CM_CHUNK 32u
static tco_status srtp_cm(soft_dev *sd, soft_slot *ke, const soft_slot *ks, const uint8_t *pkt,
                          bool rtcp, uint64_t index, const uint8_t *in, uint8_t *out,
                          size_t len)
{
    uint8_t iv[16], cb[CM_CHUNK * 16], ksb[CM_CHUNK * 16];
    const uint8_t *ssrc = pkt + (rtcp ? 4 : 8);
    unsigned j = 0;
    size_t done = 0;
    int n = 0;

    memcpy(iv, ks->key, 14);
    iv[14] = iv[15] = 0;
    for (int i = 0; i < 4; i++)
        iv[4 + i] ^= ssrc[i];
    for (int i = 0; i < 6; i++)
        iv[8 + i] ^= (uint8_t)(index >> (40 - 8 * i));
    while (done < len) {
        size_t m = len - done < sizeof(cb) ? len - done : sizeof(cb);
        size_t nb = (m + 15) / 16;
        for (size_t b = 0; b < nb; b++, j++) {
            memcpy(cb + 16 * b, iv, 16);
            cb[16 * b + 14] = (uint8_t)(j >> 8);
            cb[16 * b + 15] = (uint8_t)j;
        }
        if (EVP_EncryptUpdate(ke->ctr, ksb, &n, cb, (int)(nb * 16)) != 1 ||
            (size_t)n != nb * 16)
            return TCO_ERR_CRYPTO;
        {
            size_t i = 0;
            for (; i + 8 <= m; i += 8) { /* word at a time; in and out may be the same */
                uint64_t a, b;
                memcpy(&a, in + done + i, 8);
                memcpy(&b, ksb + i, 8);
                a ^= b;
                memcpy(out + done + i, &a, 8);
            }
            for (; i < m; i++)
                out[done + i] = in[done + i] ^ ksb[i];
        }
        done += m;
    }
    if (sd->fault_aes && len > 0)
        out[0] ^= 0x01;
    /* ksb is not wiped: it is plaintext XOR ciphertext, both in the caller's buffers */
    return TCO_OK;
}

/* The key model's SRTP rule: each key in its role, and a salt the host may not know only
 * with a k_e from the same master (the keystream of a host-known k_e reveals the salt). */
static bool srtp_keys_ok(const soft_slot *ke, const soft_slot *ka, const soft_slot *ks)
{
    return (ke->attrs & TCO_P_NEED_SRTP_KE) == TCO_P_NEED_SRTP_KE &&
           (ka->attrs & TCO_P_NEED_SRTP_KA) == TCO_P_NEED_SRTP_KA &&
           (ks->attrs & TCO_P_NEED_SRTP_KS) == TCO_P_NEED_SRTP_KS &&
           (tco_p_releasable(ks->attrs) || same_parent(ke, ks));
}

/* One SRTP/SRTCP packet, in the device's check order (docs/protocol.md, SRTP). */
static tco_status soft_srtp_one(tco_dev *dev, tco_srtp_frame_req *r)
{
    soft_dev *sd = S(dev);
    soft_slot *ke = &sd->slot[r->ke], *ka = &sd->slot[r->ka], *ks = &sd->slot[r->ks];
    uint8_t roc[4], mac[20];
    size_t alen = r->unprotect ? r->in_len - r->tag_len : r->in_len;
    size_t elen = r->rtcp ? 0 : 4;
    tco_status st;

    if (ke->len == 0 || ka->len == 0 || ks->len == 0)
        return TCO_ERR_SLOT_EMPTY;
    if (!srtp_keys_ok(ke, ka, ks))
        return TCO_ERR_USAGE;
    if ((ke->len != 16 && ke->len != 32) || ks->len != 14)
        return TCO_ERR_KEY_LENGTH;
    st = srtp_ctr_ctx(sd, ke);
    if (st == TCO_OK)
        st = srtp_mac_ctx(sd, ka);
    if (st != TCO_OK)
        return st;
    roc[0] = (uint8_t)(r->roc >> 24);
    roc[1] = (uint8_t)(r->roc >> 16);
    roc[2] = (uint8_t)(r->roc >> 8);
    roc[3] = (uint8_t)r->roc;
    if (!r->unprotect) {
        /* encrypt into out (header and trailer copied), then tag the ciphertext */
        if (r->out != r->in)
            memcpy(r->out, r->in, r->in_len);
        st = srtp_cm(sd, ke, ks, r->in, r->rtcp, r->index, r->in + r->clear_len,
                     r->out + r->clear_len, r->enc_len);
        if (st == TCO_OK && r->tag_len == 0) {
            r->out_len = alen; /* no tag (RFC 4771 packets without a MAC) */
            return TCO_OK;
        }
        if (st == TCO_OK && elen <= r->tag_len) {
            /* the ROC goes where the tag will be: one MAC update instead of two */
            memcpy(r->out + alen, roc, elen);
            st = srtp_mac(ka, r->out, alen + elen, NULL, 0, mac);
        } else if (st == TCO_OK) {
            st = srtp_mac(ka, r->out, alen, roc, elen, mac);
        }
        if (st == TCO_OK) {
            memcpy(r->out + alen, mac, r->tag_len);
            r->out_len = alen + r->tag_len;
        } else {
            memset(r->out, 0, r->in_len + r->tag_len);
        }
    } else {
        if (r->tag_len > 0)
            st = srtp_mac(ka, r->in, alen, roc, elen, mac);
        if (st == TCO_OK && r->tag_len > 0 && tco_ct_memcmp(mac, r->in + alen, r->tag_len) != 0)
            st = TCO_ERR_AUTH; /* nothing written */
        if (st == TCO_OK) {
            if (r->out != r->in)
                memcpy(r->out, r->in, alen);
            st = srtp_cm(sd, ke, ks, r->in, r->rtcp, r->index, r->in + r->clear_len,
                         r->out + r->clear_len, r->enc_len);
            if (st == TCO_OK)
                r->out_len = alen;
            else
                memset(r->out, 0, alen);
        }
    }
    return st; /* (the MAC is no secret: it is sent, or compared with one received) */
}

#ifdef TCO_HAVE_IPSEC_MB
/* libipsec-mb key material of a slot (AES key schedule or HMAC-SHA1 pad states). */
static tco_status mb_key_get(soft_dev *sd, soft_slot *k, bool aes, mb_key **out)
{
    if (k->mb == NULL) {
        k->mb = aligned_alloc(16, sizeof(mb_key));
        if (k->mb == NULL)
            return TCO_ERR_NO_MEMORY;
        memset(k->mb, 0, sizeof(mb_key));
    }
    if (aes && !k->mb->aes) {
        if (k->len == 16)
            IMB_AES_KEYEXP_128(sd->mb, k->key, k->mb->enc, k->mb->dec);
        else
            IMB_AES_KEYEXP_256(sd->mb, k->key, k->mb->enc, k->mb->dec);
        k->mb->aes = true;
    }
    if (!aes && !k->mb->hmac) {
        DECLARE_ALIGNED(uint8_t blk[64], 16);
        memset(blk, 0x36, 64);
        for (unsigned i = 0; i < k->len; i++)
            blk[i] ^= k->key[i];
        IMB_SHA1_ONE_BLOCK(sd->mb, blk, k->mb->ipad);
        memset(blk, 0x5C, 64);
        for (unsigned i = 0; i < k->len; i++)
            blk[i] ^= k->key[i];
        IMB_SHA1_ONE_BLOCK(sd->mb, blk, k->mb->opad);
        tco_cleanse(blk, sizeof(blk));
        k->mb->hmac = true;
    }
    *out = k->mb;
    return TCO_OK;
}

/* The device's checks for one request (docs/protocol.md, SRTP), then the keys. */
static tco_status mb_check(tco_dev *dev, const tco_srtp_frame_req *r, mb_key **ke,
                           mb_key **ka)
{
    soft_dev *sd = S(dev);
    soft_slot *e = &sd->slot[r->ke], *a = &sd->slot[r->ka], *s = &sd->slot[r->ks];
    tco_status st;

    if (e->len == 0 || a->len == 0 || s->len == 0)
        return TCO_ERR_SLOT_EMPTY;
    if (!srtp_keys_ok(e, a, s))
        return TCO_ERR_USAGE;
    if ((e->len != 16 && e->len != 32) || s->len != 14)
        return TCO_ERR_KEY_LENGTH;
    st = mb_key_get(sd, e, true, ke);
    if (st == TCO_OK)
        st = mb_key_get(sd, a, false, ka);
    return st;
}

/* A batch on libipsec-mb: one chained job per packet (AES-CTR then HMAC-SHA1 for protect,
 * HMAC-SHA1 then AES-CTR for unprotect), MB_CHUNK jobs submitted before collecting, so the
 * library works on several packets at once. Same results as soft_srtp_one. */
static void mb_frames(tco_dev *dev, tco_srtp_frame_req *reqs, size_t n)
{
    soft_dev *sd = S(dev);
    size_t idx[MB_CHUNK];

    for (size_t base = 0; base < n; base += MB_CHUNK) {
        size_t m = n - base < MB_CHUNK ? n - base : MB_CHUNK, sc_need = 0, k = 0, got = 0;
        tco_slot c_ke = UINT32_MAX, c_ka = UINT32_MAX, c_ks = UINT32_MAX; /* checked last */
        mb_key *c_e = NULL, *c_a = NULL;
        IMB_JOB *j;

        for (size_t i = 0; i < m; i++) {
            const tco_srtp_frame_req *r = &reqs[base + i];
            if (r->status == TCO_OK && r->unprotect)
                sc_need += r->in_len + 4;
        }
        if (sc_need > sd->scratch_len) {
            uint8_t *p = malloc(sc_need);
            if (p == NULL) {
                for (size_t i = 0; i < m; i++)
                    if (reqs[base + i].status == TCO_OK)
                        reqs[base + i].status = TCO_ERR_NO_MEMORY;
                continue;
            }
            if (sd->scratch != NULL) {
                tco_cleanse(sd->scratch, sd->scratch_len);
                free(sd->scratch);
            }
            sd->scratch = p;
            sd->scratch_len = sc_need;
        }
        sc_need = 0;
        for (size_t i = 0; i < m; i++) {
            tco_srtp_frame_req *r = &reqs[base + i];
            mb_slotbuf *b = &sd->job[k];
            const soft_slot *ks;
            size_t alen, elen;
            const uint8_t *ssrc;
            uint8_t *buf;
            mb_key *ke, *ka;

            if (r->status != TCO_OK)
                continue; /* refused before, or not to be run */
            ks = &sd->slot[r->ks];
            alen = r->unprotect ? r->in_len - r->tag_len : r->in_len;
            elen = r->rtcp ? 0 : 4;
            if (r->ke == c_ke && r->ka == c_ka && r->ks == c_ks) {
                ke = c_e; /* the same slots as the packet before: already checked */
                ka = c_a;
            } else {
                r->status = mb_check(dev, r, &ke, &ka);
                if (r->status != TCO_OK)
                    continue;
                c_ke = r->ke, c_ka = r->ka, c_ks = r->ks, c_e = ke, c_a = ka;
            }
            if ((!r->unprotect && r->tag_len < elen) || r->tag_len == 0) {
                r->status = soft_srtp_one(dev, r); /* no room for the ROC: the EVP path */
                continue;
            }
            if (r->unprotect) {
                b->sc_off = sc_need;
                buf = sd->scratch + sc_need;
                sc_need += alen + elen;
                memcpy(buf, r->in, alen);
            } else {
                buf = r->out;
                if (r->out != r->in)
                    memcpy(buf, r->in, alen);
            }
            ssrc = buf + (r->rtcp ? 4 : 8);
            if (elen) { /* SRTP: ROC after A (protect: in the tag's room, overwritten) */
                buf[alen] = (uint8_t)(r->roc >> 24);
                buf[alen + 1] = (uint8_t)(r->roc >> 16);
                buf[alen + 2] = (uint8_t)(r->roc >> 8);
                buf[alen + 3] = (uint8_t)r->roc;
            }
            memcpy(b->iv, ks->key, 14);
            b->iv[14] = b->iv[15] = 0;
            for (int q = 0; q < 4; q++)
                b->iv[4 + q] ^= ssrc[q];
            for (int q = 0; q < 6; q++)
                b->iv[8 + q] ^= (uint8_t)(r->index >> (40 - 8 * q));
            j = IMB_GET_NEXT_JOB(sd->mb);
            j->cipher_direction = r->unprotect ? IMB_DIR_DECRYPT : IMB_DIR_ENCRYPT;
            j->chain_order = r->unprotect ? IMB_ORDER_HASH_CIPHER : IMB_ORDER_CIPHER_HASH;
            j->cipher_mode = r->enc_len ? IMB_CIPHER_CNTR : IMB_CIPHER_NULL;
            j->enc_keys = ke->enc;
            j->dec_keys = ke->enc; /* CTR decrypts with the encryption schedule */
            j->key_len_in_bytes = sd->slot[r->ke].len;
            j->iv = b->iv;
            j->iv_len_in_bytes = 16;
            j->src = buf;
            j->dst = buf + r->clear_len;
            j->cipher_start_src_offset_in_bytes = r->clear_len;
            j->msg_len_to_cipher_in_bytes = r->enc_len;
            j->hash_alg = IMB_AUTH_HMAC_SHA_1;
            j->hash_start_src_offset_in_bytes = 0;
            j->msg_len_to_hash_in_bytes = alen + elen;
            j->u.HMAC._hashed_auth_key_xor_ipad = ka->ipad;
            j->u.HMAC._hashed_auth_key_xor_opad = ka->opad;
            j->auth_tag_output = b->tag;
            j->auth_tag_output_len_in_bytes = 20;
            j->user_data = r;
            idx[k++] = base + i;
            /* the fields were checked above (tco_srtp_frame's rules): skip the library's
             * own validation of each job */
            j = IMB_SUBMIT_JOB_NOCHECK(sd->mb);
            while (j != NULL) {
                got++;
                ((tco_srtp_frame_req *)j->user_data)->status =
                    j->status == IMB_STATUS_COMPLETED ? TCO_OK : TCO_ERR_CRYPTO;
                j = IMB_GET_COMPLETED_JOB(sd->mb);
            }
        }
        while ((j = IMB_FLUSH_JOB(sd->mb)) != NULL) {
            got++;
            ((tco_srtp_frame_req *)j->user_data)->status =
                j->status == IMB_STATUS_COMPLETED ? TCO_OK : TCO_ERR_CRYPTO;
        }
        /* finish each packet: tag into place, or verify and release */
        for (size_t q = 0; q < k; q++) {
            tco_srtp_frame_req *r = &reqs[idx[q]];
            mb_slotbuf *b = &sd->job[q];
            size_t alen = r->unprotect ? r->in_len - r->tag_len : r->in_len;
            uint8_t *buf = r->unprotect ? sd->scratch + b->sc_off : r->out;

            if (r->status == TCO_OK && sd->fault_aes && r->enc_len)
                buf[r->clear_len] ^= 0x01;
            if (r->status != TCO_OK) {
                tco_cleanse(buf, alen);
            } else if (!r->unprotect) {
                if (r->tag_len == 10) /* the common sizes as fixed copies */
                    memcpy(r->out + alen, b->tag, 10);
                else if (r->tag_len == 4)
                    memcpy(r->out + alen, b->tag, 4);
                else
                    memcpy(r->out + alen, b->tag, r->tag_len);
                r->out_len = alen + r->tag_len;
            } else if (tco_ct_memcmp(b->tag, r->in + alen, r->tag_len) != 0) {
                r->status = TCO_ERR_AUTH; /* the plaintext stays in the scratch, wiped */
                tco_cleanse(buf, alen);
            } else {
                memcpy(r->out, buf, alen);
                tco_cleanse(buf, alen);
                r->out_len = alen;
            }
        }
        (void)got;
    }
}
#endif

static tco_status soft_srtp_frames(tco_dev *dev, tco_srtp_frame_req *reqs, size_t n)
{
#ifdef TCO_HAVE_IPSEC_MB
    if (S(dev)->mb != NULL && n > 1) { /* one packet alone: the EVP path has less latency */
        mb_frames(dev, reqs, n);
        return TCO_OK;
    }
#endif
    for (size_t i = 0; i < n; i++)
        if (reqs[i].status == TCO_OK)
            reqs[i].status = soft_srtp_one(dev, &reqs[i]);
    return TCO_OK;
}

/* RFC 3394 on OpenSSL's AES-WRAP ciphers (dir 1 wrap, 0 unwrap) with the IV that binds the
 * wrapped key's attributes: A6A6A6A6A6A6 || attrs (two octets, big-endian). */
static tco_status soft_kw(soft_dev *sd, const soft_slot *kek, int dir, uint32_t attrs,
                          const uint8_t *in, size_t len, uint8_t *out, size_t *out_len)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    tco_status st = dir ? TCO_ERR_CRYPTO : TCO_ERR_AUTH; /* unwrap: a failure is the check */
    uint8_t iv[8] = {0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, (uint8_t)(attrs >> 8),
                     (uint8_t)attrs};
    int n = 0, f = 0;

    if (ctx == NULL)
        return TCO_ERR_NO_MEMORY;
    EVP_CIPHER_CTX_set_flags(ctx, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    if (EVP_CipherInit_ex2(ctx, kek->len == 16 ? sd->aes128_wrap : sd->aes256_wrap, kek->key,
                           iv, dir, NULL) == 1 &&
        EVP_CipherUpdate(ctx, out, &n, in, (int)len) == 1 &&
        EVP_CipherFinal_ex(ctx, out + n, &f) == 1) {
        *out_len = (size_t)(n + f);
        st = TCO_OK;
    }
    EVP_CIPHER_CTX_free(ctx);
    return st;
}

static tco_status soft_key_wrap(tco_dev *dev, tco_slot kek, tco_slot key, uint8_t out[40],
                                size_t *out_len)
{
    const soft_slot *k, *w;
    tco_status st;

    if (S(dev)->slot[kek].len == 0 || S(dev)->slot[key].len == 0)
        return TCO_ERR_SLOT_EMPTY;
    st = use_slot(dev, kek, TCO_P_NEED_KEY_WRAP_KEK, &k);
    if (st == TCO_OK)
        st = use_slot(dev, key, TCO_P_NEED_KEY_WRAP_KEY, &w);
    if (st != TCO_OK)
        return st;
    /* a key marked so leaves only under a KEK created on the device */
    if ((w->attrs & TCO_ATTR_WRAP_TRUSTED) && !(k->attrs & TCO_ATTR_TRUSTED))
        return TCO_ERR_USAGE;
    if ((k->len != 16 && k->len != 32) || (w->len != 16 && w->len != 32))
        return TCO_ERR_KEY_LENGTH;
    return soft_kw(S(dev), k, 1, w->attrs, w->key, w->len, out, out_len);
}

static tco_status soft_key_unwrap(tco_dev *dev, tco_slot kek, const uint8_t *wrapped, size_t len,
                                  tco_slot dest, uint32_t dest_attrs)
{
    uint8_t key[40];
    const soft_slot *k;
    size_t n = 0;
    tco_status st, ast;

    if (S(dev)->slot[kek].len == 0)
        return TCO_ERR_SLOT_EMPTY;
    st = use_slot(dev, kek, TCO_P_NEED_KEY_UNWRAP_KEK, &k);
    if (st != TCO_OK)
        return st;
    ast = tco_p_attrs_check(dest_attrs, len - 8);
    if (ast == TCO_ERR_USAGE)
        return ast;
    if (k->len != 16 && k->len != 32)
        return TCO_ERR_KEY_LENGTH;
    if (ast != TCO_OK)
        return ast;
    st = soft_kw(S(dev), k, 0, dest_attrs, wrapped, len, key, &n);
    if (st == TCO_OK && n != len - 8)
        st = TCO_ERR_AUTH;
    if (st == TCO_OK)
        slot_store(dev, dest, key, n, dest_attrs, false, 0);
    tco_cleanse(key, sizeof(key));
    return st;
}

const tco_backend_ops tco_soft_backend = {
    .scheme = "soft",
    .open = soft_open,
    .close = soft_close,
    .info = soft_info,
    .key_write = soft_key_write,
    .key_read = soft_key_read,
    .key_erase = soft_key_erase,
    .key_info = soft_key_info,
    .kdf = soft_kdf,
    .aes_block = soft_aes_block,
    .aes_ctr = soft_aes_ctr,
    .hmac = soft_hmac,
    .gsm_c3 = soft_gsm_c3,
    .srtp_kdf = soft_srtp_kdf,
    .srtp_frames = soft_srtp_frames,
    .key_wrap = soft_key_wrap,
    .key_unwrap = soft_key_unwrap,
};
