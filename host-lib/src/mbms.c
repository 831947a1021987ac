/* SPDX-License-Identifier: Apache-2.0 */
/* MBMS key tree (logical key hierarchy, spec §6.2) with join/leave rekeying and the member
 * model; docs/mbms.md gives the message format. Node keys are kept as RFC 3394 blobs under a
 * storage key in a device slot and are unwrapped into slots only to be wrapped for a rekey. */
#include "tco_mbms.h"
#include "tco_priv.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

#define MSG_VERSION 1u
#define HDR_LEN 8u   /* version, kind, group version (4), record count (2) */
#define REC_HDR 16u  /* node, version, wrapping node, wrapping version */
#define TAG_LEN 16u  /* HMAC-SHA-256 truncated to 128 bits */
#define MAX_DEPTH 32u

/* ----------------------------------------------------------------------------------------- */
/* Tree shape: heap numbering, root 0, children of n are a·n+1 .. a·n+a. */

typedef struct shape {
    unsigned a, h;
    uint32_t first_leaf, nodes, max;
    size_t key_len;
} shape;

static tco_status shape_make(const tco_mbms_params *p, shape *sh)
{
    uint64_t leaves = 1;

    if (p == NULL)
        return TCO_ERR_INVALID_ARG;
    sh->a = p->arity ? p->arity : 2;
    sh->key_len = p->key_len ? p->key_len : 16;
    if (sh->a < 2 || sh->a > 16 || p->max_members == 0 || p->max_members > (1u << 24) ||
        (sh->key_len != 16 && sh->key_len != 32))
        return TCO_ERR_INVALID_ARG;
    sh->h = 0;
    while (leaves < p->max_members) {
        leaves *= sh->a;
        sh->h++;
    }
    if (sh->h == 0) { /* one member still gets a group key above its leaf */
        leaves = sh->a;
        sh->h = 1;
    }
    sh->first_leaf = (uint32_t)((leaves - 1) / (sh->a - 1));
    sh->nodes = sh->first_leaf + (uint32_t)leaves;
    sh->max = p->max_members;
    return TCO_OK;
}

static uint32_t parent(const shape *sh, uint32_t n)
{
    return (n - 1) / sh->a;
}

/* ----------------------------------------------------------------------------------------- */
/* Message building */

typedef struct msgbuf {
    uint8_t *p;
    size_t len, cap;
    uint16_t count;
} msgbuf;

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static tco_status msg_start(msgbuf *m, uint8_t kind, size_t max_records, size_t wl)
{
    size_t need = HDR_LEN + max_records * (REC_HDR + wl) + TAG_LEN;

    if (m->cap < need) {
        uint8_t *p = realloc(m->p, need);
        if (p == NULL)
            return TCO_ERR_NO_MEMORY;
        m->p = p;
        m->cap = need;
    }
    m->p[0] = MSG_VERSION;
    m->p[1] = kind;
    m->len = HDR_LEN;
    m->count = 0;
    return TCO_OK;
}

struct tco_mbms_server {
    tco_dev *dev;
    shape sh;
    tco_slot store, sa, sb, sleaf; /* storage key; work slots */
    uint32_t *ver;                 /* per node: key version, 0 = no key */
    uint32_t *count;               /* per node: members below (leaf: 0/1) */
    uint8_t *blob;                 /* per node: key wrapped under the storage key */
    uint32_t members;
    msgbuf uni, multi;
};

static uint8_t *blob_of(tco_mbms_server *s, uint32_t n)
{
    return s->blob + (size_t)n * (s->sh.key_len + 8);
}

static uint32_t attrs_of(uint32_t n)
{
    return n == 0 ? TCO_USE_WRAP | TCO_USE_HMAC : TCO_USE_WRAP; /* root also tags messages */
}

/* Node n's current key into a work slot. */
static tco_status node_load(tco_mbms_server *s, uint32_t n, tco_slot slot)
{
    return tco_key_unwrap(s->dev, s->store, blob_of(s, n), s->sh.key_len + 8, slot,
                          attrs_of(n));
}

/* Store the key in `slot` as node n's, version v. */
static tco_status node_store(tco_mbms_server *s, uint32_t n, tco_slot slot, uint32_t v)
{
    size_t wl = 0;
    tco_status st = tco_key_wrap(s->dev, s->store, slot, blob_of(s, n), s->sh.key_len + 8, &wl);

    if (st == TCO_OK)
        s->ver[n] = v;
    return st;
}

/* A fresh random key for node n into `slot` (not yet stored). */
static tco_status node_fresh(tco_mbms_server *s, uint32_t n, tco_slot slot)
{
    uint8_t k[32];
    tco_status st = TCO_ERR_CRYPTO;

    if (RAND_bytes(k, (int)s->sh.key_len) == 1)
        st = tco_key_load(s->dev, slot, k, s->sh.key_len, attrs_of(n));
    tco_cleanse(k, sizeof(k));
    return st;
}

/* Record: node n gets the key in `key_slot` (version v), wrapped under the key in
 * `kek_slot` (node wn, version wv). */
static tco_status rec_add(tco_mbms_server *s, msgbuf *m, uint32_t n, uint32_t v, uint32_t wn,
                          uint32_t wv, tco_slot kek_slot, tco_slot key_slot)
{
    uint8_t *r = m->p + m->len;
    size_t wl = 0;
    tco_status st;

    put32(r, n);
    put32(r + 4, v);
    put32(r + 8, wn);
    put32(r + 12, wv);
    st = tco_key_wrap(s->dev, kek_slot, key_slot, r + REC_HDR, s->sh.key_len + 8, &wl);
    if (st == TCO_OK) {
        m->len += REC_HDR + wl;
        m->count++;
    }
    return st;
}

/* Close a message: group version, count, tag under the group key in `root_slot`. */
static tco_status msg_finish(tco_mbms_server *s, msgbuf *m, tco_slot root_slot)
{
    uint8_t mac[32];
    size_t ml = 0;
    tco_status st;

    put32(m->p + 2, s->ver[0]);
    m->p[6] = (uint8_t)(m->count >> 8);
    m->p[7] = (uint8_t)m->count;
    st = tco_hmac(s->dev, root_slot, TCO_HASH_SHA256, m->p, m->len, mac, sizeof(mac), &ml);
    if (st == TCO_OK) {
        memcpy(m->p + m->len, mac, TAG_LEN);
        m->len += TAG_LEN;
    }
    return st;
}

tco_status tco_mbms_server_create(tco_dev *dev, const tco_mbms_params *params,
                                  tco_mbms_server **out)
{
    tco_mbms_server *s;
    tco_slot sl[4];
    uint8_t k[32];
    tco_status st;

    if (dev == NULL || out == NULL)
        return TCO_ERR_INVALID_ARG;
    *out = NULL;
    s = calloc(1, sizeof(*s));
    if (s == NULL)
        return TCO_ERR_NO_MEMORY;
    st = shape_make(params, &s->sh);
    if (st == TCO_OK && !(dev->caps & TCO_CAP_KEY_WRAP))
        st = TCO_ERR_UNSUPPORTED;
    if (st != TCO_OK) {
        free(s);
        return st;
    }
    s->dev = dev;
    s->ver = calloc(s->sh.nodes, sizeof(uint32_t));
    s->count = calloc(s->sh.nodes, sizeof(uint32_t));
    s->blob = calloc(s->sh.nodes, s->sh.key_len + 8);
    if (s->ver == NULL || s->count == NULL || s->blob == NULL) {
        tco_mbms_server_free(s);
        return TCO_ERR_NO_MEMORY;
    }
    st = tco_slot_alloc_n(dev, sl, 4);
    if (st != TCO_OK) {
        free(s->ver);
        free(s->count);
        free(s->blob);
        free(s);
        return st;
    }
    s->store = sl[0];
    s->sa = sl[1];
    s->sb = sl[2];
    s->sleaf = sl[3];
    /* the storage key: random, never leaves the device */
    st = RAND_bytes(k, 32) == 1 ? tco_key_load(dev, s->store, k, 32, TCO_USE_WRAP)
                                : TCO_ERR_CRYPTO;
    tco_cleanse(k, sizeof(k));
    if (st != TCO_OK) {
        tco_mbms_server_free(s);
        return st;
    }
    *out = s;
    return TCO_OK;
}

void tco_mbms_server_free(tco_mbms_server *s)
{
    if (s == NULL)
        return;
    if (s->dev != NULL && s->ver != NULL && s->count != NULL && s->blob != NULL) {
        (void)tco_key_erase(s->dev, s->store);
        (void)tco_key_erase(s->dev, s->sa);
        (void)tco_key_erase(s->dev, s->sb);
        (void)tco_key_erase(s->dev, s->sleaf);
    }
    if (s->blob != NULL)
        tco_cleanse(s->blob, (size_t)s->sh.nodes * (s->sh.key_len + 8));
    free(s->blob);
    free(s->ver);
    free(s->count);
    if (s->uni.p)
        tco_cleanse(s->uni.p, s->uni.cap);
    if (s->multi.p)
        tco_cleanse(s->multi.p, s->multi.cap);
    free(s->uni.p);
    free(s->multi.p);
    tco_cleanse(s, sizeof(*s));
    free(s);
}

uint32_t tco_mbms_group_version(const tco_mbms_server *s)
{
    return s ? s->ver[0] : 0;
}

uint32_t tco_mbms_members(const tco_mbms_server *s)
{
    return s ? s->members : 0;
}

unsigned tco_mbms_depth(const tco_mbms_server *s)
{
    return s ? s->sh.h : 0;
}

tco_status tco_mbms_group_key_to_slot(tco_mbms_server *s, tco_slot slot, uint32_t attrs)
{
    if (s == NULL)
        return TCO_ERR_INVALID_ARG;
    if (s->count[0] == 0)
        return TCO_ERR_STATE;
    return tco_key_unwrap(s->dev, s->store, blob_of(s, 0), s->sh.key_len + 8, slot, attrs);
}

tco_status tco_mbms_join(tco_mbms_server *s, const uint8_t *leaf_key, size_t len, int rekey,
                         uint32_t *member, tco_mbms_msg *unicast, tco_mbms_msg *multicast)
{
    uint32_t leaf, m, n;
    size_t wl;
    tco_status st;

    if (s == NULL || leaf_key == NULL || member == NULL || unicast == NULL ||
        multicast == NULL)
        return TCO_ERR_INVALID_ARG;
    unicast->len = multicast->len = 0;
    if (len != s->sh.key_len)
        return TCO_ERR_KEY_LENGTH;
    for (m = 0; m < s->sh.max && s->count[s->sh.first_leaf + m] != 0; m++)
        ;
    if (m == s->sh.max)
        return TCO_ERR_STATE; /* full */
    leaf = s->sh.first_leaf + m;
    wl = s->sh.key_len + 8;
    st = msg_start(&s->uni, TCO_MBMS_JOIN_UNICAST, s->sh.h, wl);
    if (st == TCO_OK)
        st = msg_start(&s->multi, TCO_MBMS_JOIN_MULTICAST, s->sh.h, wl);
    if (st == TCO_OK)
        st = tco_key_load(s->dev, s->sleaf, leaf_key, len, TCO_USE_WRAP);
    if (st == TCO_OK)
        st = node_store(s, leaf, s->sleaf, s->ver[leaf] + 1);
    /* bottom-up along the path; B ends up holding the group key */
    for (n = leaf; st == TCO_OK && n != 0;) {
        n = parent(&s->sh, n);
        if (s->count[n] != 0 && !rekey) { /* members below n hold its key: keep it */
            st = node_load(s, n, s->sb);
        } else if (s->count[n] != 0) {
            uint32_t v = s->ver[n];
            st = node_load(s, n, s->sa); /* old key */
            if (st == TCO_OK)
                st = node_fresh(s, n, s->sb);
            if (st == TCO_OK)
                st = rec_add(s, &s->multi, n, v + 1, n, v, s->sa, s->sb);
            if (st == TCO_OK)
                st = node_store(s, n, s->sb, v + 1);
        } else {
            /* first member below n: a fresh key; the version still counts up, so nobody
             * who held an earlier key of n can mistake it for this one */
            st = node_fresh(s, n, s->sb);
            if (st == TCO_OK)
                st = node_store(s, n, s->sb, s->ver[n] + 1);
        }
        if (st == TCO_OK)
            st = rec_add(s, &s->uni, n, s->ver[n], leaf, s->ver[leaf], s->sleaf, s->sb);
    }
    if (st == TCO_OK)
        st = msg_finish(s, &s->uni, s->sb);
    if (st == TCO_OK && s->multi.count > 0)
        st = msg_finish(s, &s->multi, s->sb);
    (void)tco_key_erase(s->dev, s->sa);
    (void)tco_key_erase(s->dev, s->sb);
    (void)tco_key_erase(s->dev, s->sleaf);
    if (st != TCO_OK)
        return st; /* (a failed device op leaves versions that may have moved: see docs) */
    for (n = leaf;; n = parent(&s->sh, n)) {
        s->count[n]++;
        if (n == 0)
            break;
    }
    s->members++;
    *member = m;
    unicast->data = s->uni.p;
    unicast->len = s->uni.len;
    multicast->data = s->multi.p;
    multicast->len = s->multi.count > 0 ? s->multi.len : 0;
    return TCO_OK;
}

tco_status tco_mbms_leave(tco_mbms_server *s, uint32_t member, tco_mbms_msg *multicast)
{
    uint32_t leaf, n;
    size_t wl;
    tco_status st;

    if (s == NULL || multicast == NULL)
        return TCO_ERR_INVALID_ARG;
    multicast->len = 0;
    if (member >= s->sh.max || s->count[s->sh.first_leaf + member] == 0)
        return TCO_ERR_STATE;
    leaf = s->sh.first_leaf + member;
    wl = s->sh.key_len + 8;
    st = msg_start(&s->multi, TCO_MBMS_LEAVE, (size_t)s->sh.h * s->sh.a, wl);
    if (st != TCO_OK)
        return st;
    /* cut the leaf */
    for (n = leaf;; n = parent(&s->sh, n)) {
        s->count[n]--;
        if (n == 0)
            break;
    }
    s->members--;
    tco_cleanse(blob_of(s, leaf), wl);
    for (n = leaf; st == TCO_OK && n != 0;) {
        n = parent(&s->sh, n);
        if (s->count[n] == 0) { /* nobody left below: the key goes (its version stays) */
            tco_cleanse(blob_of(s, n), wl);
            continue;
        }
        st = node_fresh(s, n, s->sb);
        for (uint32_t c = s->sh.a * n + 1; st == TCO_OK && c <= s->sh.a * n + s->sh.a; c++) {
            if (s->count[c] == 0)
                continue;
            st = node_load(s, c, s->sa); /* the child's current key (renewed if on the path) */
            if (st == TCO_OK)
                st = rec_add(s, &s->multi, n, s->ver[n] + 1, c, s->ver[c], s->sa, s->sb);
        }
        if (st == TCO_OK)
            st = node_store(s, n, s->sb, s->ver[n] + 1);
    }
    if (st == TCO_OK && s->count[0] > 0)
        st = msg_finish(s, &s->multi, s->sb);
    (void)tco_key_erase(s->dev, s->sa);
    (void)tco_key_erase(s->dev, s->sb);
    if (st != TCO_OK)
        return st;
    multicast->data = s->multi.p;
    multicast->len = s->count[0] > 0 ? s->multi.len : 0;
    return TCO_OK;
}

/* ----------------------------------------------------------------------------------------- */
/* Member model: its leaf and path keys, levels 0 (root) .. h (leaf). */

typedef struct held {
    uint32_t node, ver;
    uint8_t key[32];
} held;

struct tco_mbms_member {
    shape sh;
    held k[MAX_DEPTH + 1];
};

tco_status tco_mbms_member_create(const tco_mbms_params *params, uint32_t member,
                                  const uint8_t *leaf_key, size_t len, tco_mbms_member **out)
{
    tco_mbms_member *m;
    uint32_t n;
    tco_status st;

    if (leaf_key == NULL || out == NULL)
        return TCO_ERR_INVALID_ARG;
    m = calloc(1, sizeof(*m));
    if (m == NULL)
        return TCO_ERR_NO_MEMORY;
    st = shape_make(params, &m->sh);
    if (st == TCO_OK && (member >= m->sh.max || m->sh.h > MAX_DEPTH))
        st = TCO_ERR_INVALID_ARG;
    if (st == TCO_OK && len != m->sh.key_len)
        st = TCO_ERR_KEY_LENGTH;
    if (st != TCO_OK) {
        free(m);
        return st;
    }
    n = m->sh.first_leaf + member;
    for (int lv = (int)m->sh.h; lv >= 0; lv--) {
        m->k[lv].node = n;
        n = lv > 0 ? parent(&m->sh, n) : 0;
    }
    memcpy(m->k[m->sh.h].key, leaf_key, len);
    m->k[m->sh.h].ver = 0; /* the leaf key's version is learnt from the first message */
    *out = m;
    return TCO_OK;
}

void tco_mbms_member_free(tco_mbms_member *m)
{
    if (m == NULL)
        return;
    tco_cleanse(m, sizeof(*m));
    free(m);
}

/* Level of node n on the member's path, or -1. */
static int level_of(const tco_mbms_member *m, uint32_t n)
{
    for (unsigned lv = 0; lv <= m->sh.h; lv++)
        if (m->k[lv].node == n)
            return (int)lv;
    return -1;
}

static bool kw_unwrap(const uint8_t *kek, size_t kl, const uint8_t *in, size_t len,
                      uint8_t *out)
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int a = 0, b = 0;
    bool ok;

    if (c == NULL)
        return false;
    EVP_CIPHER_CTX_set_flags(c, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    ok = EVP_DecryptInit_ex(c, kl == 16 ? EVP_aes_128_wrap() : EVP_aes_256_wrap(), NULL, kek,
                            NULL) == 1 &&
         EVP_DecryptUpdate(c, out, &a, in, (int)len) == 1 &&
         EVP_DecryptFinal_ex(c, out + a, &b) == 1 && (size_t)(a + b) == len - 8;
    EVP_CIPHER_CTX_free(c);
    return ok;
}

static bool tag_ok(const uint8_t *key, size_t kl, const uint8_t *msg, size_t len,
                   const uint8_t *tag)
{
    uint8_t mac[32];
    size_t ml = 0;
    bool ok;

    ok = EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, key, kl, msg, len, mac, sizeof(mac),
                   &ml) != NULL &&
         ml == 32 && tco_ct_memcmp(mac, tag, TAG_LEN) == 0;
    tco_cleanse(mac, sizeof(mac));
    return ok;
}

tco_status tco_mbms_member_process(tco_mbms_member *m, const uint8_t *msg, size_t len)
{
    held t[MAX_DEPTH + 1];
    size_t wl, rl, count;
    bool changed = false;
    tco_status st = TCO_OK;

    if (m == NULL || msg == NULL)
        return TCO_ERR_INVALID_ARG;
    wl = m->sh.key_len + 8;
    rl = REC_HDR + wl;
    if (len < HDR_LEN + TAG_LEN || msg[0] != MSG_VERSION || msg[1] < 1 || msg[1] > 3)
        return TCO_ERR_INVALID_ARG;
    count = (size_t)msg[6] << 8 | msg[7];
    if (len != HDR_LEN + count * rl + TAG_LEN)
        return TCO_ERR_INVALID_ARG;
    memcpy(t, m->k, sizeof(t));
    for (size_t i = 0; i < count && st == TCO_OK; i++) {
        const uint8_t *r = msg + HDR_LEN + i * rl;
        uint32_t n = get32(r), v = get32(r + 4), wn = get32(r + 8), wv = get32(r + 12);
        int lv = level_of(m, n), wlv = level_of(m, wn);
        if (lv < 0 || wlv < 0 || v <= t[lv].ver)
            continue; /* not on my path, wrapped under a key I do not have, or not newer */
        if (wlv == (int)m->sh.h && t[wlv].ver == 0)
            t[wlv].ver = wv; /* my leaf key: its version as the server numbers it */
        if (t[wlv].ver != wv || (wlv != (int)m->sh.h && t[wlv].ver == 0))
            continue;
        if (!kw_unwrap(t[wlv].key, m->sh.key_len, r + REC_HDR, wl, t[lv].key)) {
            st = TCO_ERR_AUTH;
            break;
        }
        t[lv].ver = v;
        changed = true;
    }
    if (st == TCO_OK && changed &&
        (t[0].ver != get32(msg + 2) ||
         !tag_ok(t[0].key, m->sh.key_len, msg, len - TAG_LEN, msg + len - TAG_LEN)))
        st = TCO_ERR_AUTH;
    if (st == TCO_OK && changed)
        memcpy(m->k, t, sizeof(t));
    tco_cleanse(t, sizeof(t));
    return st;
}

tco_status tco_mbms_member_group_key(const tco_mbms_member *m, uint8_t key[32], size_t *len,
                                     uint32_t *version)
{
    if (m == NULL || key == NULL || len == NULL || version == NULL)
        return TCO_ERR_INVALID_ARG;
    if (m->k[0].ver == 0)
        return TCO_ERR_STATE;
    memcpy(key, m->k[0].key, m->sh.key_len);
    *len = m->sh.key_len;
    *version = m->k[0].ver;
    return TCO_OK;
}

uint32_t tco_mbms_member_key_version(const tco_mbms_member *m, uint32_t node)
{
    int lv = m ? level_of(m, node) : -1;
    return lv < 0 ? 0 : m->k[lv].ver;
}
