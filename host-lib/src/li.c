/* SPDX-License-Identifier: Apache-2.0 */
/* MIKEY PRF, the PMK/TEK/KDF2 derivations of spec §4.3, the X25519 variant, and the lawful
 * intercept node with its warrants and hash-chained audit log (docs/li.md). */
#include "tco_li.h"
#include "tco_priv.h"

#include <errno.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SHA1_LEN 20u
#define PIECE 32u /* RFC 3830: inkey in 256-bit pieces */

/* ----------------------------------------------------------------------------------------- */
/* MIKEY PRF */

/* One HMAC-SHA-1: key in a slot, or (dev NULL) host bytes. */
typedef struct prf_key {
    tco_dev *dev;
    tco_slot slot;
    const uint8_t *key;
    size_t len;
    EVP_MAC_CTX *ctx; /* host key: a context set up once */
} prf_key;

static tco_status prf_hmac(prf_key *k, const uint8_t *a, size_t al, const uint8_t *b,
                           size_t bl, uint8_t mac[SHA1_LEN])
{
    if (k->dev != NULL) {
        uint8_t buf[SHA1_LEN + TCO_MIKEY_PRF_MAX + 64], full[32];
        size_t ml = 0;
        tco_status st;
        if (al + bl > sizeof(buf))
            return TCO_ERR_RANGE;
        memcpy(buf, a, al);
        if (bl)
            memcpy(buf + al, b, bl);
        st = tco_hmac(k->dev, k->slot, TCO_HASH_SHA1, buf, al + bl, full, sizeof(full), &ml);
        if (st == TCO_OK && ml != SHA1_LEN)
            st = TCO_ERR_PROTOCOL;
        if (st == TCO_OK)
            memcpy(mac, full, SHA1_LEN);
        tco_cleanse(full, sizeof(full));
        return st;
    } else {
        size_t ml = 0;
        OSSL_PARAM p[2];
        p[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA1", 0);
        p[1] = OSSL_PARAM_construct_end();
        if (EVP_MAC_init(k->ctx, k->key, k->len, p) != 1 || EVP_MAC_update(k->ctx, a, al) != 1 ||
            (bl && EVP_MAC_update(k->ctx, b, bl) != 1) ||
            EVP_MAC_final(k->ctx, mac, &ml, SHA1_LEN) != 1 || ml != SHA1_LEN)
            return TCO_ERR_CRYPTO;
        return TCO_OK;
    }
}

/* P(s, label, m) xor-ed into out (out_len octets). */
static tco_status prf_p_xor(prf_key *k, const uint8_t *label, size_t ll, uint8_t *out,
                            size_t out_len)
{
    uint8_t a[SHA1_LEN], blk[SHA1_LEN];
    tco_status st = TCO_OK;

    /* A_1 = HMAC(s, A_0 = label); A_i = HMAC(s, A_(i-1)); block i = HMAC(s, A_i || label) */
    st = prf_hmac(k, label, ll, NULL, 0, a);
    for (size_t off = 0; st == TCO_OK && off < out_len; off += SHA1_LEN) {
        size_t n = out_len - off < SHA1_LEN ? out_len - off : SHA1_LEN;
        st = prf_hmac(k, a, SHA1_LEN, label, ll, blk);
        for (size_t i = 0; st == TCO_OK && i < n; i++)
            out[off + i] ^= blk[i];
        if (st == TCO_OK && off + SHA1_LEN < out_len)
            st = prf_hmac(k, a, SHA1_LEN, NULL, 0, a);
    }
    tco_cleanse(a, sizeof(a));
    tco_cleanse(blk, sizeof(blk));
    return st;
}

tco_status tco_mikey_prf(const uint8_t *inkey, size_t inkey_len, const uint8_t *label,
                         size_t label_len, uint8_t *out, size_t out_len)
{
    EVP_MAC *mac;
    prf_key k;
    tco_status st = TCO_OK;

    if (inkey == NULL || inkey_len == 0 || (label == NULL && label_len > 0) || out == NULL ||
        out_len == 0 || out_len > TCO_MIKEY_PRF_MAX)
        return TCO_ERR_INVALID_ARG;
    memset(&k, 0, sizeof(k));
    mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    k.ctx = mac != NULL ? EVP_MAC_CTX_new(mac) : NULL;
    if (k.ctx == NULL) {
        EVP_MAC_free(mac);
        return TCO_ERR_CRYPTO;
    }
    memset(out, 0, out_len);
    for (size_t off = 0; st == TCO_OK && off < inkey_len; off += PIECE) {
        k.key = inkey + off;
        k.len = inkey_len - off < PIECE ? inkey_len - off : PIECE;
        st = prf_p_xor(&k, label, label_len, out, out_len);
    }
    EVP_MAC_CTX_free(k.ctx);
    EVP_MAC_free(mac);
    if (st != TCO_OK)
        tco_cleanse(out, out_len);
    return st;
}

tco_status tco_mikey_prf_slot(tco_dev *dev, tco_slot inkey, const uint8_t *label,
                              size_t label_len, uint8_t *out, size_t out_len)
{
    prf_key k;
    tco_status st;

    if (dev == NULL || (label == NULL && label_len > 0) || out == NULL || out_len == 0 ||
        out_len > TCO_MIKEY_PRF_MAX)
        return TCO_ERR_INVALID_ARG;
    if (SHA1_LEN + label_len > dev->max_mac)
        return TCO_ERR_RANGE;
    memset(&k, 0, sizeof(k));
    k.dev = dev;
    k.slot = inkey;
    memset(out, 0, out_len);
    st = prf_p_xor(&k, label, label_len, out, out_len); /* a slot holds at most one piece */
    if (st != TCO_OK)
        tco_cleanse(out, out_len);
    return st;
}

/* ----------------------------------------------------------------------------------------- */
/* Session keys */

tco_status tco_li_pmk(tco_dev *dev, tco_slot k_slot, const uint8_t *nonce, size_t nonce_len,
                      uint8_t pmk[16])
{
    if (nonce == NULL || nonce_len == 0)
        return TCO_ERR_INVALID_ARG;
    return tco_mikey_prf_slot(dev, k_slot, nonce, nonce_len, pmk, 16);
}

tco_status tco_li_tek(const uint8_t pmk[16], uint8_t cs_id, uint32_t csb_id,
                      const uint8_t *rand, size_t rand_len, uint8_t tek[16], uint8_t salt[14])
{
    uint8_t label[9 + 1000];
    tco_status st;

    if (pmk == NULL || rand == NULL || tek == NULL || salt == NULL || rand_len < 16 ||
        rand_len > 1000)
        return TCO_ERR_INVALID_ARG;
    label[4] = cs_id;
    label[5] = (uint8_t)(csb_id >> 24);
    label[6] = (uint8_t)(csb_id >> 16);
    label[7] = (uint8_t)(csb_id >> 8);
    label[8] = (uint8_t)csb_id;
    memcpy(label + 9, rand, rand_len);
    label[0] = 0x2A, label[1] = 0xD0, label[2] = 0x1C, label[3] = 0x64; /* TEK */
    st = tco_mikey_prf(pmk, 16, label, 9 + rand_len, tek, 16);
    label[0] = 0x39, label[1] = 0xA2, label[2] = 0xC1, label[3] = 0x4B; /* salt */
    if (st == TCO_OK)
        st = tco_mikey_prf(pmk, 16, label, 9 + rand_len, salt, 14);
    if (st != TCO_OK) {
        tco_cleanse(tek, 16);
        tco_cleanse(salt, 14);
    }
    return st;
}

tco_status tco_li_kdf2(const uint8_t k[16], const uint8_t m[16], const uint8_t r[16],
                       uint8_t out[16])
{
    uint8_t km[16];
    EVP_CIPHER_CTX *c;
    int n = 0;
    tco_status st = TCO_OK;

    if (k == NULL || m == NULL || r == NULL || out == NULL)
        return TCO_ERR_INVALID_ARG;
    for (int i = 0; i < 16; i++)
        km[i] = k[i] ^ m[i];
    c = EVP_CIPHER_CTX_new();
    if (c == NULL || EVP_EncryptInit_ex(c, EVP_aes_128_ecb(), NULL, km, NULL) != 1 ||
        EVP_CIPHER_CTX_set_padding(c, 0) != 1 || EVP_EncryptUpdate(c, out, &n, r, 16) != 1 ||
        n != 16)
        st = TCO_ERR_CRYPTO;
    EVP_CIPHER_CTX_free(c);
    tco_cleanse(km, sizeof(km));
    return st;
}

tco_status tco_li_dh_x(tco_dev *dev, tco_slot k_slot, const uint8_t *rand, size_t rand_len,
                       uint8_t x[32])
{
    if (rand == NULL || rand_len == 0 || x == NULL)
        return TCO_ERR_INVALID_ARG;
    return tco_mikey_prf_slot(dev, k_slot, rand, rand_len, x, 32);
}

tco_status tco_li_dh_public(const uint8_t priv[32], uint8_t pub[32])
{
    EVP_PKEY *k;
    size_t n = 32;
    tco_status st = TCO_OK;

    if (priv == NULL || pub == NULL)
        return TCO_ERR_INVALID_ARG;
    k = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, priv, 32);
    if (k == NULL || EVP_PKEY_get_raw_public_key(k, pub, &n) != 1 || n != 32)
        st = TCO_ERR_CRYPTO;
    EVP_PKEY_free(k);
    return st;
}

tco_status tco_li_dh_pmk(const uint8_t priv[32], const uint8_t peer_pub[32],
                         const uint8_t *rand, size_t rand_len, uint8_t pmk[16])
{
    EVP_PKEY *k, *p;
    EVP_PKEY_CTX *c = NULL;
    uint8_t z[32];
    size_t zl = sizeof(z);
    tco_status st = TCO_ERR_CRYPTO;

    if (priv == NULL || peer_pub == NULL || rand == NULL || rand_len == 0 || pmk == NULL)
        return TCO_ERR_INVALID_ARG;
    k = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, priv, 32);
    p = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, peer_pub, 32);
    if (k != NULL && p != NULL)
        c = EVP_PKEY_CTX_new(k, NULL);
    /* (OpenSSL refuses a shared secret of all zeros: a low-order peer value) */
    if (c != NULL && EVP_PKEY_derive_init(c) == 1 && EVP_PKEY_derive_set_peer(c, p) == 1 &&
        EVP_PKEY_derive(c, z, &zl) == 1 && zl == 32)
        st = tco_mikey_prf(z, 32, rand, rand_len, pmk, 16);
    EVP_PKEY_CTX_free(c);
    EVP_PKEY_free(k);
    EVP_PKEY_free(p);
    tco_cleanse(z, sizeof(z));
    return st;
}

/* ----------------------------------------------------------------------------------------- */
/* Audit log: one line per entry,
 *   seq=N time=T event=E target=X warrant=W detail=D prev=H hash=H'
 * H' = SHA-256(H (32 octets) || the line up to and including "prev=H "); prev of entry 0 is
 * 64 zeros. The head file holds "entries=N hash=H'" of the last entry. */

#define HASH_HEX 64u
#define LINE_MAX_LEN 1024u

typedef struct subscriber {
    char target[TCO_LI_ID_MAX + 1];
    tco_slot k;     /* TCO_USE_HMAC */
    tco_slot km;    /* k xor m, TCO_USE_AES (has_km) */
    bool has_km;
} subscriber;

struct tco_li {
    tco_dev *dev;
    char *path, *head_path;
    int64_t (*now)(void);
    uint64_t seq;
    uint8_t last[32];
    subscriber *subs;
    size_t nsubs;
    tco_li_warrant *warrants;
    size_t nwarrants;
};

static void to_hex(const uint8_t *b, size_t n, char *out)
{
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hx[b[i] >> 4];
        out[2 * i + 1] = hx[b[i] & 15];
    }
    out[2 * n] = '\0';
}

static bool from_hex(const char *s, uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int v = 0;
        for (int j = 0; j < 2; j++) {
            char c = s[2 * i + j];
            v <<= 4;
            if (c >= '0' && c <= '9')
                v |= c - '0';
            else if (c >= 'a' && c <= 'f')
                v |= c - 'a' + 10;
            else
                return false;
        }
        b[i] = (uint8_t)v;
    }
    return true;
}

static bool chain_hash(const uint8_t prev[32], const char *text, size_t len, uint8_t out[32])
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    unsigned int n = 0;
    bool ok = c != NULL && EVP_DigestInit_ex(c, EVP_sha256(), NULL) == 1 &&
              EVP_DigestUpdate(c, prev, 32) == 1 && EVP_DigestUpdate(c, text, len) == 1 &&
              EVP_DigestFinal_ex(c, out, &n) == 1 && n == 32;
    EVP_MD_CTX_free(c);
    return ok;
}

/* Names in the log: printable ASCII without spaces or '=' (checked when they come in). */
static bool name_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > TCO_LI_ID_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] <= ' ' || s[i] > '~' || s[i] == '=')
            return false;
    return true;
}

static tco_status write_head(const tco_li *li)
{
    char tmp[4096], hx[HASH_HEX + 1];
    FILE *f;
    int ok;

    if (snprintf(tmp, sizeof(tmp), "%s.tmp", li->head_path) >= (int)sizeof(tmp))
        return TCO_ERR_IO;
    f = fopen(tmp, "w");
    if (f == NULL)
        return TCO_ERR_IO;
    to_hex(li->last, 32, hx);
    ok = fprintf(f, "entries=%llu hash=%s\n", (unsigned long long)li->seq, hx) > 0;
    ok &= fflush(f) == 0;
    ok &= fclose(f) == 0;
    if (!ok || rename(tmp, li->head_path) != 0)
        return TCO_ERR_IO;
    return TCO_OK;
}

/* Append one entry (and the head). */
static tco_status audit(tco_li *li, const char *event, const char *target, const char *warrant,
                        const char *detail)
{
    char line[LINE_MAX_LEN], hx[HASH_HEX + 1];
    uint8_t h[32];
    int n;
    FILE *f;
    bool ok;

    to_hex(li->last, 32, hx);
    n = snprintf(line, sizeof(line), "seq=%llu time=%lld event=%s target=%s warrant=%s "
                 "detail=%s prev=%s ",
                 (unsigned long long)li->seq, (long long)li->now(), event,
                 target ? target : "-", warrant ? warrant : "-", detail ? detail : "-", hx);
    if (n < 0 || (size_t)n + HASH_HEX + 8 >= sizeof(line))
        return TCO_ERR_IO;
    if (!chain_hash(li->last, line, (size_t)n, h))
        return TCO_ERR_CRYPTO;
    to_hex(h, 32, hx);
    f = fopen(li->path, "a");
    if (f == NULL)
        return TCO_ERR_IO;
    ok = fprintf(f, "%shash=%s\n", line, hx) > 0;
    ok &= fflush(f) == 0;
    ok &= fclose(f) == 0;
    if (!ok)
        return TCO_ERR_IO;
    memcpy(li->last, h, 32);
    li->seq++;
    return write_head(li);
}

tco_status tco_li_audit_verify(const char *audit_path, uint64_t *entries, uint64_t *line)
{
    char buf[LINE_MAX_LEN + 2], head[4096], want[128], hx[HASH_HEX + 1];
    uint8_t prev[32] = {0}, h[32], got[32];
    uint64_t seq = 0, ln = 0;
    FILE *f;
    tco_status st = TCO_OK;

    if (entries)
        *entries = 0;
    if (line)
        *line = 0;
    if (audit_path == NULL)
        return TCO_ERR_INVALID_ARG;
    f = fopen(audit_path, "r");
    if (f == NULL)
        return TCO_ERR_IO;
    while (st == TCO_OK && fgets(buf, sizeof(buf), f) != NULL) {
        size_t len = strlen(buf);
        char *ph, *pp;
        unsigned long long s = 0;
        ln++;
        /* whole line, ends in "prev=<64> hash=<64>\n", seq first and in order */
        if (len == 0 || buf[len - 1] != '\n' || len < 2 * HASH_HEX + 13 ||
            sscanf(buf, "seq=%llu ", &s) != 1 || s != seq) {
            st = TCO_ERR_AUTH;
            break;
        }
        buf[--len] = '\0';
        ph = buf + len - HASH_HEX - 5;
        pp = ph - HASH_HEX - 7; /* " prev=" + 64 hex + " " */
        if (strncmp(ph, "hash=", 5) != 0 || strncmp(pp, " prev=", 6) != 0 ||
            !from_hex(pp + 6, got, 32) || memcmp(got, prev, 32) != 0 ||
            !from_hex(ph + 5, got, 32) || !chain_hash(prev, buf, (size_t)(ph - buf), h) ||
            memcmp(h, got, 32) != 0) {
            st = TCO_ERR_AUTH;
            break;
        }
        memcpy(prev, h, 32);
        seq++;
    }
    if (st == TCO_OK && ferror(f))
        st = TCO_ERR_IO;
    fclose(f);
    if (st == TCO_OK) {
        /* the head: the count and the last hash (a removed last entry shows here) */
        FILE *hf;
        if (snprintf(head, sizeof(head), "%s.head", audit_path) >= (int)sizeof(head))
            return TCO_ERR_INVALID_ARG;
        hf = fopen(head, "r");
        to_hex(prev, 32, hx);
        snprintf(want, sizeof(want), "entries=%llu hash=%s\n", (unsigned long long)seq, hx);
        if (hf == NULL) {
            st = TCO_ERR_AUTH; /* the head is part of the log */
        } else {
            if (fgets(buf, sizeof(buf), hf) == NULL || strcmp(buf, want) != 0 ||
                fgetc(hf) != EOF)
                st = TCO_ERR_AUTH;
            fclose(hf);
        }
        if (st != TCO_OK)
            ln++; /* the failure is after the last line: a missing tail or a bad head */
    }
    if (entries)
        *entries = seq;
    if (line && st != TCO_OK)
        *line = ln;
    return st;
}

static int64_t wall_now(void)
{
    return (int64_t)time(NULL);
}

tco_status tco_li_create(tco_dev *dev, const char *audit_path, int64_t (*now)(void),
                         tco_li **out)
{
    tco_li *li;
    size_t pl;
    FILE *f;
    tco_status st;

    if (dev == NULL || audit_path == NULL || out == NULL || audit_path[0] == '\0')
        return TCO_ERR_INVALID_ARG;
    *out = NULL;
    li = calloc(1, sizeof(*li));
    pl = strlen(audit_path);
    if (li == NULL || (li->path = malloc(pl + 1)) == NULL ||
        (li->head_path = malloc(pl + 6)) == NULL) {
        if (li)
            free(li->path);
        free(li);
        return TCO_ERR_NO_MEMORY;
    }
    memcpy(li->path, audit_path, pl + 1);
    memcpy(li->head_path, audit_path, pl);
    memcpy(li->head_path + pl, ".head", 6);
    li->dev = dev;
    li->now = now ? now : wall_now;
    f = fopen(audit_path, "r");
    if (f != NULL) {
        /* an existing log must verify before it is extended; take its chain head */
        char buf[LINE_MAX_LEN + 2], *ph = NULL;
        uint64_t n = 0;
        fclose(f);
        st = tco_li_audit_verify(audit_path, &n, NULL);
        if (st != TCO_OK) {
            tco_li_free(li);
            return st;
        }
        f = fopen(audit_path, "r");
        while (f != NULL && fgets(buf, sizeof(buf), f) != NULL)
            ph = strstr(buf, " hash=");
        if (n > 0 && (ph == NULL || !from_hex(ph + 6, li->last, 32)))
            st = TCO_ERR_AUTH;
        if (f)
            fclose(f);
        li->seq = n;
        if (st != TCO_OK) {
            tco_li_free(li);
            return st;
        }
    } else if (errno != ENOENT) {
        tco_li_free(li);
        return TCO_ERR_IO;
    } else {
        st = write_head(li); /* an empty log has a head too */
        if (st == TCO_OK) {
            f = fopen(audit_path, "a");
            st = f != NULL && fclose(f) == 0 ? TCO_OK : TCO_ERR_IO;
        }
        if (st != TCO_OK) {
            tco_li_free(li);
            return st;
        }
    }
    st = audit(li, "node-start", NULL, NULL, NULL);
    if (st != TCO_OK) {
        tco_li_free(li);
        return st;
    }
    *out = li;
    return TCO_OK;
}

void tco_li_free(tco_li *li)
{
    if (li == NULL)
        return;
    for (size_t i = 0; i < li->nsubs; i++) {
        (void)tco_key_erase(li->dev, li->subs[i].k);
        if (li->subs[i].has_km)
            (void)tco_key_erase(li->dev, li->subs[i].km);
    }
    free(li->subs);
    free(li->warrants);
    free(li->path);
    free(li->head_path);
    tco_cleanse(li, sizeof(*li));
    free(li);
}

static subscriber *sub_find(tco_li *li, const char *target)
{
    for (size_t i = 0; i < li->nsubs; i++)
        if (strcmp(li->subs[i].target, target) == 0)
            return &li->subs[i];
    return NULL;
}

tco_status tco_li_add_subscriber(tco_li *li, const char *target, const uint8_t *k, size_t len,
                                 const uint8_t *m)
{
    subscriber s, *grown;
    tco_status st;

    if (li == NULL || !name_ok(target) || k == NULL)
        return TCO_ERR_INVALID_ARG;
    if (len != 16 && len != 32)
        return TCO_ERR_KEY_LENGTH;
    if (m != NULL && len != 16)
        return TCO_ERR_KEY_LENGTH; /* KDF2 is AES-128 */
    if (sub_find(li, target) != NULL)
        return TCO_ERR_STATE;
    memset(&s, 0, sizeof(s));
    strcpy(s.target, target);
    st = tco_slot_alloc(li->dev, &s.k);
    if (st == TCO_OK)
        st = tco_key_load(li->dev, s.k, k, len, TCO_USE_HMAC);
    if (st == TCO_OK && m != NULL) {
        uint8_t km[16];
        for (int i = 0; i < 16; i++)
            km[i] = k[i] ^ m[i];
        st = tco_slot_alloc(li->dev, &s.km);
        if (st == TCO_OK) {
            s.has_km = true;
            st = tco_key_load(li->dev, s.km, km, 16, TCO_USE_AES);
        }
        tco_cleanse(km, sizeof(km));
    }
    grown = st == TCO_OK ? realloc(li->subs, (li->nsubs + 1) * sizeof(*grown)) : NULL;
    if (st == TCO_OK && grown == NULL)
        st = TCO_ERR_NO_MEMORY;
    if (st == TCO_OK)
        st = audit(li, "subscriber-add", target, NULL, m ? "k,kdf2-mask" : "k");
    if (st != TCO_OK) {
        (void)tco_key_erase(li->dev, s.k);
        if (s.has_km)
            (void)tco_key_erase(li->dev, s.km);
        if (grown != NULL)
            li->subs = grown;
        return st;
    }
    li->subs = grown;
    li->subs[li->nsubs++] = s;
    return TCO_OK;
}

tco_status tco_li_add_warrant(tco_li *li, const tco_li_warrant *w)
{
    tco_li_warrant *grown;
    char detail[128];
    tco_status st;

    if (li == NULL || w == NULL || !name_ok(w->id) || !name_ok(w->target) ||
        !name_ok(w->authority) || w->not_after < w->not_before)
        return TCO_ERR_INVALID_ARG;
    grown = realloc(li->warrants, (li->nwarrants + 1) * sizeof(*grown));
    if (grown == NULL)
        return TCO_ERR_NO_MEMORY;
    li->warrants = grown;
    snprintf(detail, sizeof(detail), "authority:%s,valid:%lld..%lld", w->authority,
             (long long)w->not_before, (long long)w->not_after);
    st = audit(li, "warrant-add", w->target, w->id, detail);
    if (st == TCO_OK)
        li->warrants[li->nwarrants++] = *w;
    return st;
}

/* The warrant that covers `target` at `t`, or NULL. */
static const tco_li_warrant *warrant_for(const tco_li *li, const char *target, int64_t t)
{
    for (size_t i = 0; i < li->nwarrants; i++) {
        const tco_li_warrant *w = &li->warrants[i];
        if (strcmp(w->target, target) == 0 && t >= w->not_before && t <= w->not_after)
            return w;
    }
    return NULL;
}

/* The common gate of every release: a subscriber, a warrant, an audit entry. On OK, *sub is
 * the subscriber and the release entry is written; otherwise the refusal entry is. */
static tco_status gate(tco_li *li, const char *what, const char *target, int64_t t,
                       bool need_km, subscriber **sub)
{
    const tco_li_warrant *w;
    char detail[96];
    tco_status st;

    if (!name_ok(target))
        return TCO_ERR_INVALID_ARG;
    *sub = sub_find(li, target);
    if (*sub != NULL && need_km && !(*sub)->has_km)
        *sub = NULL; /* provisioned without the KDF2 mask: nothing to release */
    w = warrant_for(li, target, t);
    snprintf(detail, sizeof(detail), "%s,session-time:%lld", what, (long long)t);
    if (w == NULL || *sub == NULL) {
        st = audit(li, w == NULL ? "refuse-no-warrant" : "refuse-no-subscriber", target,
                   w ? w->id : NULL, detail);
        if (st != TCO_OK)
            return st;
        return w == NULL ? TCO_ERR_NO_WARRANT : TCO_ERR_STATE;
    }
    return audit(li, "release", target, w->id, detail);
}

tco_status tco_li_release_pmk(tco_li *li, const char *target, int64_t session_time,
                              const uint8_t *nonce, size_t nonce_len, uint8_t pmk[16])
{
    subscriber *s;
    tco_status st;

    if (li == NULL || nonce == NULL || nonce_len == 0 || pmk == NULL)
        return TCO_ERR_INVALID_ARG;
    memset(pmk, 0, 16);
    st = gate(li, "pmk", target, session_time, false, &s);
    if (st == TCO_OK)
        st = tco_li_pmk(li->dev, s->k, nonce, nonce_len, pmk);
    return st;
}

tco_status tco_li_release_dh_pmk(tco_li *li, const char *target, int64_t session_time,
                                 const uint8_t *rand, size_t rand_len,
                                 const uint8_t peer_pub[32], uint8_t pmk[16])
{
    subscriber *s;
    uint8_t x[32];
    tco_status st;

    if (li == NULL || rand == NULL || rand_len == 0 || peer_pub == NULL || pmk == NULL)
        return TCO_ERR_INVALID_ARG;
    memset(pmk, 0, 16);
    st = gate(li, "dh-pmk", target, session_time, false, &s);
    if (st == TCO_OK)
        st = tco_li_dh_x(li->dev, s->k, rand, rand_len, x);
    if (st == TCO_OK)
        st = tco_li_dh_pmk(x, peer_pub, rand, rand_len, pmk);
    tco_cleanse(x, sizeof(x));
    return st;
}

tco_status tco_li_release_kdf2(tco_li *li, const char *target, int64_t session_time,
                               const uint8_t r[16], uint8_t k_prime[16])
{
    subscriber *s;
    tco_status st;

    if (li == NULL || r == NULL || k_prime == NULL)
        return TCO_ERR_INVALID_ARG;
    memset(k_prime, 0, 16);
    st = gate(li, "kdf2", target, session_time, true, &s);
    if (st == TCO_OK)
        st = tco_aes_block(li->dev, s->km, r, k_prime); /* AES(k xor m, r) in the device */
    return st;
}
