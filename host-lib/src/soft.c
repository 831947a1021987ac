/* SPDX-License-Identifier: Apache-2.0 */
/* soft backend: the device model on OpenSSL 3 EVP, in process. It keeps the key-slot table
 * and enforces usage attributes exactly as the RTL device does; it is the reference every
 * hardware result is compared with. */
#include "tco_priv.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SOFT_SLOTS 64u
#define SOFT_MAX_DATA (16u << 20) /* 16 MiB per call */
#define CTR_CHUNK_BLOCKS 64u      /* counter blocks encrypted per EVP call */

typedef struct soft_slot {
    uint8_t key[TCO_KEY_MAX];
    uint8_t len; /* 0 = empty */
    uint32_t attrs;
    /* SRTP fast path: contexts keyed once on first use, freed when the slot changes. */
    EVP_CIPHER_CTX *ctr; /* AES-CTR under this key (k_e) */
    EVP_MAC_CTX *mac;    /* HMAC-SHA1 under this key (k_a) */
} soft_slot;

typedef struct soft_dev {
    soft_slot slot[SOFT_SLOTS];
    bool fault_aes; /* "soft:?fault=aes": every AES output has one bit flipped (tests the
                       self-test's refusal to open a faulty engine) */
    EVP_CIPHER *aes128_ecb;
    EVP_CIPHER *aes256_ecb;
    EVP_CIPHER *aes128_ctr;
    EVP_CIPHER *aes256_ctr;
    EVP_MAC *hmac;
} soft_dev;

static soft_dev *S(tco_dev *dev)
{
    return (soft_dev *)dev->be;
}

/* Zeroise a slot and free its keyed contexts (OpenSSL cleanses their key schedules). */
static void slot_clear(soft_slot *s)
{
    EVP_CIPHER_CTX_free(s->ctr);
    EVP_MAC_CTX_free(s->mac);
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
    sd->hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (sd->aes128_ecb == NULL || sd->aes256_ecb == NULL || sd->aes128_ctr == NULL ||
        sd->aes256_ctr == NULL || sd->hmac == NULL) {
        EVP_CIPHER_free(sd->aes128_ecb);
        EVP_CIPHER_free(sd->aes256_ecb);
        EVP_CIPHER_free(sd->aes128_ctr);
        EVP_CIPHER_free(sd->aes256_ctr);
        EVP_MAC_free(sd->hmac);
        free(sd);
        return TCO_ERR_CRYPTO;
    }
    dev->be = sd;
    dev->num_slots = SOFT_SLOTS;
    dev->max_data = SOFT_MAX_DATA;
    dev->max_mac = SOFT_MAX_DATA;
    dev->max_srtp = 65535; /* an RTP packet in one UDP datagram */
    dev->caps = TCO_CAP_AES128 | TCO_CAP_AES256 | TCO_CAP_AES_CTR | TCO_CAP_HMAC_SHA256 |
                TCO_CAP_HMAC_SHA1 | TCO_CAP_KDF | TCO_CAP_KDF_SLOT_PARAM | TCO_CAP_GSM_C3 |
                TCO_CAP_SRTP;
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
    EVP_MAC_free(sd->hmac);
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

static tco_status soft_key_write(tco_dev *dev, tco_slot slot, const uint8_t *key, size_t len,
                                 uint32_t attrs)
{
    soft_slot *s = &S(dev)->slot[slot];

    slot_clear(s);
    memcpy(s->key, key, len);
    s->len = (uint8_t)len;
    s->attrs = attrs;
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
    slot_clear(&S(dev)->slot[slot]);
    return TCO_OK;
}

static tco_status soft_key_info(tco_dev *dev, tco_slot slot, size_t *len, uint32_t *attrs)
{
    const soft_slot *s = &S(dev)->slot[slot];

    *len = s->len;
    *attrs = s->len ? s->attrs : 0;
    return TCO_OK;
}

/* HMAC (RFC 2104) with EVP_MAC; digest is "SHA256" or "SHA1". */
static tco_status soft_hmac_raw(soft_dev *sd, const char *digest, const uint8_t *key,
                                size_t klen, const uint8_t *msg, size_t len, uint8_t *mac,
                                size_t *mac_len)
{
    OSSL_PARAM params[2];
    EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(sd->hmac);
    tco_status st = TCO_ERR_CRYPTO;
    size_t n = 0;

    if (ctx == NULL)
        return TCO_ERR_NO_MEMORY;
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)digest, 0);
    params[1] = OSSL_PARAM_construct_end();
    if (EVP_MAC_init(ctx, key, klen, params) == 1 && EVP_MAC_update(ctx, msg, len) == 1 &&
        EVP_MAC_final(ctx, mac, &n, 32) == 1) {
        *mac_len = n;
        st = TCO_OK;
    }
    EVP_MAC_CTX_free(ctx);
    return st;
}

/* TS 33.220 Annex B.2: S = FC || P0 || L0 || ... || Pn || Ln; out = HMAC-SHA-256(Key, S). */
static tco_status soft_kdf(tco_dev *dev, tco_slot key_slot, uint8_t fc, const tco_kdf_param *p,
                           size_t np, uint8_t *out, const tco_kdf_dest *dest)
{
    soft_dev *sd = S(dev);
    uint8_t s[TCO_KDF_MAX_S], res[32];
    const soft_slot *key, *ps;
    size_t slen = 0, rlen = 0;
    tco_status st;

    /* The device's check order: every slot's presence first, then every usage rule. */
    if (S(dev)->slot[key_slot].len == 0)
        return TCO_ERR_SLOT_EMPTY;
    for (size_t i = 0; i < np; i++)
        if (p[i].from_slot && S(dev)->slot[p[i].slot].len == 0)
            return TCO_ERR_SLOT_EMPTY;
    st = use_slot(dev, key_slot, out ? TCO_USE_KDF_OUT : TCO_USE_KDF, &key);
    if (st != TCO_OK)
        return st;
    if (dest != NULL) {
        bool exp = (dest->attrs_a & TCO_ATTR_EXPORTABLE) ||
                   (dest->split == TCO_SPLIT_HALVES && (dest->attrs_b & TCO_ATTR_EXPORTABLE));
        if (exp && !(key->attrs & TCO_USE_KDF_OUT))
            return TCO_ERR_USAGE;
    }
    s[slen++] = fc;
    for (size_t i = 0; i < np; i++) {
        const uint8_t *d = p[i].data;
        size_t n = p[i].len;
        if (p[i].from_slot) {
            st = use_slot(dev, p[i].slot, TCO_USE_KDF, &ps);
            if (st != TCO_OK)
                goto out;
            d = ps->key;
            n = ps->len;
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
    st = soft_hmac_raw(sd, "SHA256", key->key, key->len, s, slen, res, &rlen);
    if (st != TCO_OK)
        goto out;
    if (out != NULL) {
        memcpy(out, res, 32);
    } else {
        switch (dest->split) {
        case TCO_SPLIT_FULL: soft_key_write(dev, dest->slot_a, res, 32, dest->attrs_a); break;
        case TCO_SPLIT_HALVES:
            soft_key_write(dev, dest->slot_a, res, 16, dest->attrs_a);
            soft_key_write(dev, dest->slot_b, res + 16, 16, dest->attrs_b);
            break;
        case TCO_SPLIT_MSB128: soft_key_write(dev, dest->slot_a, res, 16, dest->attrs_a); break;
        case TCO_SPLIT_LSB128:
            soft_key_write(dev, dest->slot_a, res + 16, 16, dest->attrs_a);
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
    tco_status st = use_slot(dev, slot, TCO_USE_AES, &k);

    if (st != TCO_OK)
        return st;
    if (k->len != 16 && k->len != 32)
        return TCO_ERR_KEY_LENGTH;
    st = soft_ecb(S(dev), k, in, tmp, 1);
    if (st == TCO_OK)
        memcpy(out, tmp, 16);
    return st;
}

/* Add one to the low `bits` bits of a big-endian counter block. */
static void ctr_inc(uint8_t c[16], unsigned bits)
{
    for (int i = 15; i >= 16 - (int)(bits / 8); i--) {
        if (++c[i] != 0)
            break;
    }
}

/* Counter mode (SP 800-38A §6.5; RFC 3711 §4.1.1 with a 16-bit counter): keystream blocks
 * E_K(T_j), T_{j+1} = T_j + 1 in the low ctr_bits, XORed over the data. */
static tco_status soft_aes_ctr(tco_dev *dev, tco_slot slot, const uint8_t ctr[16],
                               unsigned ctr_bits, const uint8_t *in, uint8_t *out, size_t len)
{
    uint8_t cb[16], blocks[CTR_CHUNK_BLOCKS * 16], ks[CTR_CHUNK_BLOCKS * 16];
    const soft_slot *k;
    tco_status st = use_slot(dev, slot, TCO_USE_AES, &k);
    size_t done = 0;

    if (st != TCO_OK)
        return st;
    if (k->len != 16 && k->len != 32)
        return TCO_ERR_KEY_LENGTH;
    memcpy(cb, ctr, 16);
    while (done < len && st == TCO_OK) {
        size_t n = len - done, nb;
        if (n > sizeof(ks))
            n = sizeof(ks);
        nb = (n + 15) / 16;
        for (size_t j = 0; j < nb; j++) {
            memcpy(blocks + 16 * j, cb, 16);
            ctr_inc(cb, ctr_bits);
        }
        st = soft_ecb(S(dev), k, blocks, ks, nb);
        if (st == TCO_OK) {
            for (size_t j = 0; j < n; j++)
                out[done + j] = in[done + j] ^ ks[j];
            done += n;
        }
    }
    tco_cleanse(ks, sizeof(ks));
    if (st != TCO_OK && len > 0)
        memset(out, 0, len); /* no partial output */
    return st;
}

static tco_status soft_hmac(tco_dev *dev, tco_slot slot, tco_hash hash, const uint8_t *msg,
                            size_t len, uint8_t *mac, size_t *mac_len)
{
    static const uint8_t empty[1] = {0};
    const soft_slot *k;
    tco_status st = use_slot(dev, slot, TCO_USE_HMAC, &k);

    if (st != TCO_OK)
        return st;
    return soft_hmac_raw(S(dev), hash == TCO_HASH_SHA256 ? "SHA256" : "SHA1", k->key, k->len,
                         msg ? msg : empty, len, mac, mac_len);
}

/* TS 33.102 §6.8.1.2, conversion function c3: Kc = CK1 ^ CK2 ^ IK1 ^ IK2 (64-bit halves). */
static tco_status soft_gsm_c3(tco_dev *dev, tco_slot ck_slot, tco_slot ik_slot, uint8_t kc[8])
{
    const soft_slot *ck, *ik;
    tco_status st;

    if (S(dev)->slot[ck_slot].len == 0 || S(dev)->slot[ik_slot].len == 0)
        return TCO_ERR_SLOT_EMPTY; /* presence of both before usage, as the device checks */
    st = use_slot(dev, ck_slot, TCO_USE_GSM_C3, &ck);
    if (st == TCO_OK)
        st = use_slot(dev, ik_slot, TCO_USE_GSM_C3, &ik);
    if (st != TCO_OK)
        return st;
    if (ck->len != 16 || ik->len != 16)
        return TCO_ERR_KEY_LENGTH;
    for (int i = 0; i < 8; i++)
        kc[i] = ck->key[i] ^ ck->key[i + 8] ^ ik->key[i] ^ ik->key[i + 8];
    return TCO_OK;
}

/* RFC 3711 §4.3 with kdr = 0: key = AES-CM keystream under the master key from
 * IV = (salt XOR label at octet 7) || 00 00. */
static tco_status soft_srtp_kdf(tco_dev *dev, tco_slot master, uint8_t label,
                                const uint8_t salt[14], tco_slot dest, uint32_t dest_attrs,
                                size_t out_len)
{
    uint8_t iv[32] = {0}, ks[32];
    const soft_slot *mk;
    tco_status st;

    if (S(dev)->slot[master].len == 0)
        return TCO_ERR_SLOT_EMPTY;
    st = use_slot(dev, master, TCO_USE_SRTP_KDF, &mk);
    if (st != TCO_OK)
        return st;
    if ((dest_attrs & TCO_ATTR_EXPORTABLE) && !(mk->attrs & TCO_USE_KDF_OUT))
        return TCO_ERR_USAGE;
    if (mk->len != 16 && mk->len != 32)
        return TCO_ERR_KEY_LENGTH;
    memcpy(iv, salt, 14);
    iv[7] ^= label;
    memcpy(iv + 16, iv, 16);
    iv[31] = 1; /* second counter block */
    st = soft_ecb(S(dev), mk, iv, ks, (out_len + 15) / 16);
    if (st == TCO_OK)
        soft_key_write(dev, dest, ks, out_len, dest_attrs);
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
    if (!(ke->attrs & TCO_USE_SRTP) || !(ka->attrs & TCO_USE_SRTP) ||
        !(ks->attrs & TCO_USE_SRTP))
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
        st = srtp_mac(ka, r->in, alen, roc, elen, mac);
        if (st == TCO_OK && tco_ct_memcmp(mac, r->in + alen, r->tag_len) != 0)
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

static tco_status soft_srtp_frames(tco_dev *dev, tco_srtp_frame_req *reqs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (reqs[i].status == TCO_OK)
            reqs[i].status = soft_srtp_one(dev, &reqs[i]);
    return TCO_OK;
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
};
