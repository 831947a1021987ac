/* SPDX-License-Identifier: Apache-2.0 */
/* MBMS key tree (logical key hierarchy, spec §6.2) with join/leave rekeying and the member
 * model; docs/mbms.md gives the message format. Node keys are kept as RFC 3394 blobs under a
 * storage key in a device slot and are unwrapped into slots only to be wrapped for a rekey.
 *
 * Keys and their roles (docs/mbms.md, "Keys"; the key model, docs/keys.md): one role per
 * key. Node and leaf keys are KEKs (TCO_MBMS_NODE_ATTRS: USE_WRAP, EXTRACTABLE so that they
 * can be wrapped into messages and blobs). The group key at the root is the MSK, a KDF key
 * (TCO_MBMS_GROUP_ATTRS: USE_KDF, USE_KDF_OUT for its MAC-key children, EXTRACTABLE); what
 * else the root has to do is done by keys derived from it, which members derive the same
 * way: the message tag key (usage 4) and the KEK that carries the next group key to the
 * members of a join with rekey (usage 5). The storage key is a KEK that is never
 * extractable. */
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
    uint32_t free_from; /* no free leaf below this one (joins take the lowest free leaf) */
    msgbuf uni, multi;
    uint8_t seed[32]; /* test_seed given: node keys from HMAC-SHA-256(seed, counter) */
    bool seeded;
    uint64_t drawn;
};

static uint8_t *blob_of(tco_mbms_server *s, uint32_t n)
{
    return s->blob + (size_t)n * (s->sh.key_len + 8);
}

/* The attributes of node n's key: bound into its blobs and records (the RFC 3394 IV is
 * A6A6A6A6A6A6 || attrs), so they are part of the message format. */
static uint32_t attrs_of(uint32_t n)
{
    return n == 0 ? TCO_MBMS_GROUP_ATTRS : TCO_MBMS_NODE_ATTRS;
}

/* Project usages of the traffic-key derivation K(usage, v, t) (docs/mbms.md): the traffic
 * keys (1..3) and the two keys the root needs besides the MSK itself (4, 5; t = 0). */
enum { USE_SRTP = 1, USE_DL_ENC = 2, USE_DL_AUTH = 3, USE_TAG = 4, USE_GROUP_KEK = 5 };

static void traffic_params(tco_kdf_param p[3], uint8_t buf[9], uint8_t usage, uint32_t msk_id,
                           uint32_t mtk_id);

/* K(usage, v, t) from the group key in `gk` into `dest` (dest may be gk: read first). */
static tco_status group_derive(tco_mbms_server *s, tco_slot gk, uint8_t usage, uint32_t v,
                               uint32_t t, tco_slot dest, uint32_t attrs, tco_kdf_split split)
{
    tco_kdf_param p[3];
    tco_kdf_dest d;
    uint8_t buf[9];

    traffic_params(p, buf, usage, v, t);
    memset(&d, 0, sizeof(d));
    d.split = split;
    d.slot_a = dest;
    d.attrs_a = attrs;
    return tco_kdf_derive(s->dev, gk, TCO_MBMS_FC_TRAFFIC, p, 3, &d);
}

/* The KEK of group key version v, K(5, v, 0) cut to the key length, from the group key in
 * `gk` into the same slot: the group key cannot wrap itself (it is a KDF key). */
static tco_status group_kek(tco_mbms_server *s, tco_slot gk, uint32_t v)
{
    return group_derive(s, gk, USE_GROUP_KEK, v, 0, gk, TCO_USE_WRAP,
                        s->sh.key_len == 16 ? TCO_SPLIT_MSB128 : TCO_SPLIT_FULL);
}

/* Erase a work slot and keep it reserved (tco_key_erase alone would hand the slot back to
 * the handle's allocator, and another user of the handle could be given it). */
static void wipe(tco_mbms_server *s, tco_slot slot)
{
    (void)tco_key_erase(s->dev, slot);
    tco_slot_mark(s->dev, slot, true);
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

    if (s->seeded) {
        uint8_t ctr[8], mac[32];
        size_t ml = 0;
        for (int i = 0; i < 8; i++)
            ctr[i] = (uint8_t)(s->drawn >> (56 - 8 * i));
        s->drawn++;
        if (EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, s->seed, sizeof(s->seed), ctr,
                      sizeof(ctr), mac, sizeof(mac), &ml) != NULL && ml == 32) {
            memcpy(k, mac, s->sh.key_len);
            st = tco_key_load(s->dev, slot, k, s->sh.key_len, attrs_of(n));
        }
        tco_cleanse(mac, sizeof(mac));
    } else if (RAND_bytes(k, (int)s->sh.key_len) == 1) {
        st = tco_key_load(s->dev, slot, k, s->sh.key_len, attrs_of(n));
    }
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

/* The tag key of the current group key (in `root_slot`), K(4, v, 0), into `tag_slot`. */
static tco_status tag_key(tco_mbms_server *s, tco_slot root_slot, tco_slot tag_slot)
{
    return group_derive(s, root_slot, USE_TAG, s->ver[0], 0, tag_slot, TCO_USE_HMAC,
                        TCO_SPLIT_FULL);
}

/* Close a message: group version, count, tag under the tag key in `tag_slot`. */
static tco_status msg_finish(tco_mbms_server *s, msgbuf *m, tco_slot tag_slot)
{
    uint8_t mac[32];
    size_t ml = 0;
    tco_status st;

    put32(m->p + 2, s->ver[0]);
    m->p[6] = (uint8_t)(m->count >> 8);
    m->p[7] = (uint8_t)m->count;
    st = tco_hmac(s->dev, tag_slot, TCO_HASH_SHA256, m->p, m->len, mac, sizeof(mac), &ml);
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
    if (params->test_seed_len > 0) {
        /* the seed is condensed to 32 octets so any length works */
        unsigned int dl = 0;
        if (params->test_seed == NULL ||
            EVP_Digest(params->test_seed, params->test_seed_len, s->seed, &dl, EVP_sha256(),
                       NULL) != 1) {
            free(s);
            return params->test_seed == NULL ? TCO_ERR_INVALID_ARG : TCO_ERR_CRYPTO;
        }
        s->seeded = true;
    }
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
    /* the storage key: random, a KEK that never leaves the device (not extractable) */
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

tco_status tco_mbms_group_key_to_slot(tco_mbms_server *s, tco_slot slot)
{
    if (s == NULL)
        return TCO_ERR_INVALID_ARG;
    if (s->count[0] == 0)
        return TCO_ERR_STATE;
    /* with the attributes its blob binds, and no others (the caller used to choose them, and
     * a group key unwrapped as a KEK with USE_WRAP could have been wrapped out) */
    return node_load(s, 0, slot);
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
    for (m = s->free_from; m < s->sh.max && s->count[s->sh.first_leaf + m] != 0; m++)
        ;
    if (m == s->sh.max)
        return TCO_ERR_STATE; /* full */
    leaf = s->sh.first_leaf + m;
    wl = s->sh.key_len + 8;
    st = msg_start(&s->uni, TCO_MBMS_JOIN_UNICAST, s->sh.h, wl);
    if (st == TCO_OK)
        st = msg_start(&s->multi, TCO_MBMS_JOIN_MULTICAST, s->sh.h, wl);
    if (st == TCO_OK)
        st = tco_key_load(s->dev, s->sleaf, leaf_key, len, attrs_of(leaf));
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
            if (st == TCO_OK && n == 0)
                st = group_kek(s, s->sa, v); /* the old group key's KEK wraps the new one */
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
        st = tag_key(s, s->sb, s->sa);
    if (st == TCO_OK)
        st = msg_finish(s, &s->uni, s->sa);
    if (st == TCO_OK && s->multi.count > 0)
        st = msg_finish(s, &s->multi, s->sa);
    wipe(s, s->sa);
    wipe(s, s->sb);
    wipe(s, s->sleaf);
    if (st != TCO_OK)
        return st; /* (a failed device op leaves versions that may have moved: see docs) */
    for (n = leaf;; n = parent(&s->sh, n)) {
        s->count[n]++;
        if (n == 0)
            break;
    }
    s->members++;
    s->free_from = m + 1;
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
    if (member < s->free_from)
        s->free_from = member;
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
        st = tag_key(s, s->sb, s->sa);
    if (st == TCO_OK && s->count[0] > 0)
        st = msg_finish(s, &s->multi, s->sa);
    wipe(s, s->sa);
    wipe(s, s->sb);
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

/* RFC 3394 unwrap with the IV the device uses: A6A6A6A6A6A6 || the wrapped key's
 * attributes (two octets, big-endian; tco_key_wrap). */
static bool kw_unwrap(const uint8_t *kek, size_t kl, const uint8_t *in, size_t len,
                      uint32_t attrs, uint8_t *out)
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    const uint8_t iv[8] = {0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, (uint8_t)(attrs >> 8),
                           (uint8_t)attrs};
    int a = 0, b = 0;
    bool ok;

    if (c == NULL)
        return false;
    EVP_CIPHER_CTX_set_flags(c, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    ok = EVP_DecryptInit_ex(c, kl == 16 ? EVP_aes_128_wrap() : EVP_aes_256_wrap(), NULL, kek,
                            iv) == 1 &&
         EVP_DecryptUpdate(c, out, &a, in, (int)len) == 1 &&
         EVP_DecryptFinal_ex(c, out + a, &b) == 1 && (size_t)(a + b) == len - 8;
    EVP_CIPHER_CTX_free(c);
    return ok;
}

static bool traffic_soft(const uint8_t *msk, size_t kl, uint8_t usage, uint32_t msk_id,
                         uint32_t mtk_id, uint8_t out[32]);

/* The message tag under the tag key K(4, v, 0) of group key `key` (version v). */
static bool tag_ok(const uint8_t *key, size_t kl, uint32_t v, const uint8_t *msg, size_t len,
                   const uint8_t *tag)
{
    uint8_t tk[32], mac[32];
    size_t ml = 0;
    bool ok;

    ok = traffic_soft(key, kl, USE_TAG, v, 0, tk) &&
         EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, tk, sizeof(tk), msg, len, mac,
                   sizeof(mac), &ml) != NULL &&
         ml == 32 && tco_ct_memcmp(mac, tag, TAG_LEN) == 0;
    tco_cleanse(tk, sizeof(tk));
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
    /* every message renews the group key: one that brings no newer version than the member
     * holds is a replay or came late (out of order) */
    if (m->k[0].ver != 0 && get32(msg + 2) <= m->k[0].ver)
        return TCO_ERR_REPLAY;
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
        if (wlv == 0) {
            /* under the previous group key: its KEK K(5, wv, 0) (the group key itself is a
             * KDF key on the server, not a KEK) */
            uint8_t kek[32];
            bool ok = traffic_soft(t[0].key, m->sh.key_len, USE_GROUP_KEK, wv, 0, kek) &&
                      kw_unwrap(kek, m->sh.key_len, r + REC_HDR, wl, attrs_of(n), t[lv].key);
            tco_cleanse(kek, sizeof(kek));
            if (!ok) {
                st = TCO_ERR_AUTH;
                break;
            }
        } else if (!kw_unwrap(t[wlv].key, m->sh.key_len, r + REC_HDR, wl, attrs_of(n),
                              t[lv].key)) {
            st = TCO_ERR_AUTH;
            break;
        }
        t[lv].ver = v;
        changed = true;
    }
    if (st == TCO_OK && changed &&
        (t[0].ver != get32(msg + 2) ||
         !tag_ok(t[0].key, m->sh.key_len, t[0].ver, msg, len - TAG_LEN, msg + len - TAG_LEN)))
        st = TCO_ERR_AUTH;
    if (st == TCO_OK && (!changed || t[0].ver != get32(msg + 2)))
        st = TCO_ERR_STATE; /* it cannot reach the new group key: it missed an earlier
                             * message, or it is no longer (not yet) a member */
    if (st == TCO_OK)
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

/* ----------------------------------------------------------------------------------------- */
/* Traffic keys: KDF(MSK, FC 0xF4, usage, MSK ID, MTK ID); the stream and download objects. */

#define DL_VERSION 1u
#define DL_KIND 0x44u /* 'D' */

static void traffic_params(tco_kdf_param p[3], uint8_t buf[9], uint8_t usage, uint32_t msk_id,
                           uint32_t mtk_id)
{
    buf[0] = usage;
    put32(buf + 1, msk_id);
    put32(buf + 5, mtk_id);
    memset(p, 0, 3 * sizeof(*p));
    p[0].data = buf;
    p[0].len = 1;
    p[1].data = buf + 1;
    p[1].len = 4;
    p[2].data = buf + 5;
    p[2].len = 4;
}

/* The same derivation in the member (OpenSSL): S = FC || usage || 0x0001 || v || 0x0004 ||
 * t || 0x0004. */
static bool traffic_soft(const uint8_t *msk, size_t kl, uint8_t usage, uint32_t msk_id,
                         uint32_t mtk_id, uint8_t out[32])
{
    uint8_t sbuf[16];
    size_t ml = 0;

    sbuf[0] = TCO_MBMS_FC_TRAFFIC;
    sbuf[1] = usage;
    sbuf[2] = 0;
    sbuf[3] = 1;
    put32(sbuf + 4, msk_id);
    sbuf[8] = 0;
    sbuf[9] = 4;
    put32(sbuf + 10, mtk_id);
    sbuf[14] = 0;
    sbuf[15] = 4;
    return EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, msk, kl, sbuf, sizeof(sbuf), out, 32,
                     &ml) != NULL &&
           ml == 32;
}

/* The public master salt of (v, t). */
static bool traffic_salt(uint32_t msk_id, uint32_t mtk_id, uint8_t salt[14])
{
    static const char label[] = "tco-mbms-salt";
    uint8_t in[sizeof(label) - 1 + 8], md[32];
    unsigned int dl = 0;

    memcpy(in, label, sizeof(label) - 1);
    put32(in + sizeof(label) - 1, msk_id);
    put32(in + sizeof(label) + 3, mtk_id);
    if (EVP_Digest(in, sizeof(in), md, &dl, EVP_sha256(), NULL) != 1 || dl != 32)
        return false;
    memcpy(salt, md, 14);
    return true;
}

/* Derive traffic key `usage` of (current group key, mtk_id) into `dest` with `attrs`; the
 * group key is unwrapped into work slot sa for it and erased after. */
static tco_status traffic_derive(tco_mbms_server *s, uint8_t usage, uint32_t mtk_id,
                                 tco_slot dest, uint32_t attrs, tco_kdf_split split)
{
    tco_status st;

    if (s->count[0] == 0)
        return TCO_ERR_STATE;
    st = node_load(s, 0, s->sa);
    if (st == TCO_OK)
        st = group_derive(s, s->sa, usage, s->ver[0], mtk_id, dest, attrs, split);
    wipe(s, s->sa);
    return st;
}

tco_status tco_mbms_srtp_rekey(tco_mbms_server *s, tco_srtp *srtp, uint32_t mtk_id)
{
    tco_srtp_policy pol;
    uint8_t mki[TCO_MBMS_MKI_LEN], salt[14];
    size_t kl;
    tco_slot ms;
    tco_status st;

    if (s == NULL || srtp == NULL || tco_srtp_get_policy(srtp, &pol) != TCO_OK ||
        pol.mki_len != TCO_MBMS_MKI_LEN)
        return TCO_ERR_INVALID_ARG;
    if (s->count[0] == 0)
        return TCO_ERR_STATE;
    kl = tco_srtp_key_salt_len(pol.profile) - 14;
    put32(mki, s->ver[0]);
    put32(mki + 4, mtk_id);
    if (!traffic_salt(s->ver[0], mtk_id, salt))
        return TCO_ERR_CRYPTO;
    /* the master key in a slot of its own, which the session takes over: its session keys
     * are linked to that slot, so no later key may be written there while they are in use
     * (a work slot of the server would be) */
    st = tco_slot_alloc(s->dev, &ms);
    if (st != TCO_OK)
        return st;
    st = traffic_derive(s, USE_SRTP, mtk_id, ms, TCO_USE_SRTP_KDF,
                        kl == 16 ? TCO_SPLIT_MSB128 : TCO_SPLIT_FULL);
    if (st == TCO_OK)
        st = tco_srtp_adopt_key_slot(srtp, ms, salt, mki);
    if (st != TCO_OK) {
        (void)tco_key_erase(s->dev, ms);
        return st;
    }
    st = tco_srtp_use_key(srtp, mki);
    /* the others go: old traffic keys are not sent under again */
    if (st == TCO_OK)
        st = tco_srtp_remove_other_keys(srtp);
    return st;
}

tco_status tco_mbms_member_srtp_key(const tco_mbms_member *m, uint32_t msk_id, uint32_t mtk_id,
                                    size_t master_len, uint8_t key_salt[46], size_t *len)
{
    uint8_t out[32];

    if (m == NULL || key_salt == NULL || len == NULL || (master_len != 16 && master_len != 32))
        return TCO_ERR_INVALID_ARG;
    if (m->k[0].ver == 0 || m->k[0].ver != msk_id)
        return TCO_ERR_STATE;
    if (!traffic_soft(m->k[0].key, m->sh.key_len, USE_SRTP, msk_id, mtk_id, out))
        return TCO_ERR_CRYPTO;
    memcpy(key_salt, out, master_len); /* MSB128 for AES-128, all 256 bits for AES-256 */
    tco_cleanse(out, sizeof(out));
    if (!traffic_salt(msk_id, mtk_id, key_salt + master_len))
        return TCO_ERR_CRYPTO;
    *len = master_len + 14;
    return TCO_OK;
}

/* The member's receiving end: keys installed on demand, the newest RX_KEYS kept (packets of
 * the previous traffic keys may still be on their way after a switch). */
#define RX_KEYS 3u

struct tco_mbms_rx {
    tco_mbms_member *m;
    tco_srtp *srtp;
    size_t master_len;
    uint8_t mki[RX_KEYS][TCO_MBMS_MKI_LEN]; /* installed, oldest first */
    unsigned n;
};

tco_status tco_mbms_rx_create(tco_mbms_member *m, tco_srtp *srtp, tco_mbms_rx **out)
{
    tco_srtp_policy pol;
    tco_mbms_rx *rx;

    if (m == NULL || srtp == NULL || out == NULL)
        return TCO_ERR_INVALID_ARG;
    *out = NULL;
    if (tco_srtp_get_policy(srtp, &pol) != TCO_OK || pol.mki_len != TCO_MBMS_MKI_LEN)
        return TCO_ERR_INVALID_ARG;
    rx = calloc(1, sizeof(*rx));
    if (rx == NULL)
        return TCO_ERR_NO_MEMORY;
    rx->m = m;
    rx->srtp = srtp;
    rx->master_len = tco_srtp_key_salt_len(pol.profile) - 14;
    *out = rx;
    return TCO_OK;
}

void tco_mbms_rx_free(tco_mbms_rx *rx)
{
    free(rx);
}

/* Install the key named by `mki` (derived from the member's group key). */
static tco_status rx_install(tco_mbms_rx *rx, const uint8_t *mki)
{
    uint8_t ks[46];
    size_t kl = 0;
    tco_status st;

    st = tco_mbms_member_srtp_key(rx->m, get32(mki), get32(mki + 4), rx->master_len, ks, &kl);
    if (st == TCO_ERR_STATE)
        return TCO_ERR_UNKNOWN_MKI; /* a group key it never had, or no longer has */
    if (st != TCO_OK)
        return st;
    if (rx->n == RX_KEYS) {
        /* the oldest goes; the session must not be sending under it (a receiving session
         * never sends, but its first key is its sending key) */
        (void)tco_srtp_use_key(rx->srtp, rx->mki[rx->n - 1]);
        st = tco_srtp_remove_key(rx->srtp, rx->mki[0]);
        if (st != TCO_OK && st != TCO_ERR_UNKNOWN_MKI) {
            tco_cleanse(ks, sizeof(ks));
            return st;
        }
        memmove(rx->mki[0], rx->mki[1], (size_t)(rx->n - 1) * TCO_MBMS_MKI_LEN);
        rx->n--;
    }
    st = tco_srtp_add_key(rx->srtp, ks, kl, mki);
    tco_cleanse(ks, sizeof(ks));
    if (st == TCO_OK) {
        memcpy(rx->mki[rx->n++], mki, TCO_MBMS_MKI_LEN);
        (void)tco_srtp_use_key(rx->srtp, mki);
    }
    return st;
}

tco_status tco_mbms_rx_unprotect(tco_mbms_rx *rx, const uint8_t *in, size_t len, uint8_t *out,
                                 size_t cap, size_t *out_len)
{
    const uint8_t *mki = NULL;
    uint8_t name[TCO_MBMS_MKI_LEN];
    tco_status st;

    if (rx == NULL)
        return TCO_ERR_INVALID_ARG;
    st = tco_srtp_unprotect(rx->srtp, in, len, out, cap, out_len);
    if (st != TCO_ERR_UNKNOWN_MKI)
        return st;
    st = tco_srtp_packet_mki(rx->srtp, in, len, &mki);
    if (st != TCO_OK)
        return st;
    memcpy(name, mki, sizeof(name)); /* `in` may be `out` */
    st = rx_install(rx, name);
    if (st != TCO_OK)
        return st;
    return tco_srtp_unprotect(rx->srtp, in, len, out, cap, out_len);
}

/* ----------------------------------------------------------------------------------------- */
/* Download objects */

static size_t dl_chunks(size_t len)
{
    return len == 0 ? 1 : (len + TCO_MBMS_DL_CHUNK - 1) / TCO_MBMS_DL_CHUNK;
}

size_t tco_mbms_download_size(size_t len)
{
    return TCO_MBMS_DL_HDR + len + dl_chunks(len) * TCO_MBMS_DL_TAG;
}

static void dl_header(uint8_t h[TCO_MBMS_DL_HDR], uint32_t msk_id, uint32_t mtk_id,
                      uint64_t object_id, uint32_t len)
{
    h[0] = DL_VERSION;
    h[1] = DL_KIND;
    h[2] = h[3] = 0;
    put32(h + 4, msk_id);
    put32(h + 8, mtk_id);
    put32(h + 12, (uint32_t)(object_id >> 32));
    put32(h + 16, (uint32_t)object_id);
    put32(h + 20, len);
}

tco_status tco_mbms_download_seal(tco_mbms_server *s, uint32_t mtk_id, uint64_t object_id,
                                  const uint8_t *in, size_t len, uint8_t *out, size_t cap,
                                  size_t *out_len)
{
    uint8_t ctr[16], msg[TCO_MBMS_DL_HDR + 4 + TCO_MBMS_DL_CHUNK], mac[32];
    size_t nch, done, step, ml = 0;
    tco_status st;

    if (s == NULL || out == NULL || out_len == NULL || (in == NULL && len > 0))
        return TCO_ERR_INVALID_ARG;
    *out_len = 0;
    if ((uint64_t)len >> 32)
        return TCO_ERR_RANGE;
    if (cap < tco_mbms_download_size(len))
        return TCO_ERR_BUFFER_SMALL;
    if (in != NULL && in < out + cap && out < in + len)
        return TCO_ERR_INVALID_ARG; /* overlap */
    if (s->count[0] == 0)
        return TCO_ERR_STATE;
    nch = dl_chunks(len);
    dl_header(out, s->ver[0], mtk_id, object_id, (uint32_t)len);
    st = traffic_derive(s, USE_DL_ENC, mtk_id, s->sb, TCO_USE_AES, TCO_SPLIT_MSB128);
    if (st == TCO_OK)
        st = traffic_derive(s, USE_DL_AUTH, mtk_id, s->sleaf, TCO_USE_HMAC, TCO_SPLIT_FULL);
    /* the whole object through the AES engine: one call per max_data octets (a device
     * backend keeps its frames in flight), ciphertext contiguous after the header */
    step = s->dev->max_data & ~(size_t)15;
    for (done = 0; st == TCO_OK && done < len; done += step) {
        size_t n = len - done < step ? len - done : step;
        uint64_t blk = done / 16;
        memcpy(ctr, out + 12, 8);
        for (int i = 0; i < 8; i++)
            ctr[8 + i] = (uint8_t)(blk >> (56 - 8 * i));
        st = tco_aes_ctr(s->dev, s->sb, ctr, 64, in + done, out + TCO_MBMS_DL_HDR + done, n);
    }
    /* spread the chunks out, last first, to leave room for each tag; then tag them */
    for (size_t i = nch; st == TCO_OK && i-- > 0;) {
        size_t off = i * TCO_MBMS_DL_CHUNK;
        size_t n = len - off < TCO_MBMS_DL_CHUNK ? len - off : TCO_MBMS_DL_CHUNK;
        memmove(out + TCO_MBMS_DL_HDR + i * (TCO_MBMS_DL_CHUNK + TCO_MBMS_DL_TAG),
                out + TCO_MBMS_DL_HDR + off, n);
    }
    for (size_t i = 0; st == TCO_OK && i < nch; i++) {
        size_t off = i * TCO_MBMS_DL_CHUNK;
        size_t n = len - off < TCO_MBMS_DL_CHUNK ? len - off : TCO_MBMS_DL_CHUNK;
        uint8_t *c = out + TCO_MBMS_DL_HDR + i * (TCO_MBMS_DL_CHUNK + TCO_MBMS_DL_TAG);
        memcpy(msg, out, TCO_MBMS_DL_HDR);
        put32(msg + TCO_MBMS_DL_HDR, (uint32_t)i);
        memcpy(msg + TCO_MBMS_DL_HDR + 4, c, n);
        st = tco_hmac(s->dev, s->sleaf, TCO_HASH_SHA256, msg, TCO_MBMS_DL_HDR + 4 + n, mac,
                      sizeof(mac), &ml);
        if (st == TCO_OK)
            memcpy(c + n, mac, TCO_MBMS_DL_TAG);
    }
    wipe(s, s->sb);
    wipe(s, s->sleaf);
    if (st != TCO_OK) {
        memset(out, 0, tco_mbms_download_size(len));
        return st;
    }
    *out_len = tco_mbms_download_size(len);
    return TCO_OK;
}

tco_status tco_mbms_member_download_open(const tco_mbms_member *m, const uint8_t *in,
                                         size_t len, uint8_t *out, size_t cap,
                                         size_t *out_len)
{
    uint8_t dk[32], ak[32], mac[32], iv[16];
    uint32_t msk_id, mtk_id;
    size_t olen, nch, ml = 0;
    unsigned bad = 0;
    tco_status st = TCO_OK;
    EVP_MAC *hm = NULL;
    EVP_MAC_CTX *mc = NULL;
    EVP_CIPHER_CTX *cc = NULL;
    OSSL_PARAM prm[2];

    if (m == NULL || in == NULL || out == NULL || out_len == NULL)
        return TCO_ERR_INVALID_ARG;
    *out_len = 0;
    if (len < TCO_MBMS_DL_HDR || in[0] != DL_VERSION || in[1] != DL_KIND || in[2] || in[3])
        return TCO_ERR_INVALID_ARG;
    olen = get32(in + 20);
    nch = dl_chunks(olen);
    if (len != tco_mbms_download_size(olen))
        return TCO_ERR_INVALID_ARG; /* truncated or extended */
    if (cap < olen)
        return TCO_ERR_BUFFER_SMALL;
    msk_id = get32(in + 4);
    mtk_id = get32(in + 8);
    if (m->k[0].ver == 0 || m->k[0].ver != msk_id)
        return TCO_ERR_STATE;
    if (!traffic_soft(m->k[0].key, m->sh.key_len, USE_DL_ENC, msk_id, mtk_id, dk) ||
        !traffic_soft(m->k[0].key, m->sh.key_len, USE_DL_AUTH, msk_id, mtk_id, ak))
        st = TCO_ERR_CRYPTO;
    /* every tag first: nothing is released unless the whole object verifies */
    hm = st == TCO_OK ? EVP_MAC_fetch(NULL, "HMAC", NULL) : NULL;
    mc = hm != NULL ? EVP_MAC_CTX_new(hm) : NULL;
    prm[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0);
    prm[1] = OSSL_PARAM_construct_end();
    if (st == TCO_OK && mc == NULL)
        st = TCO_ERR_CRYPTO;
    for (size_t i = 0; st == TCO_OK && i < nch; i++) {
        size_t off = i * TCO_MBMS_DL_CHUNK;
        size_t n = olen - off < TCO_MBMS_DL_CHUNK ? olen - off : TCO_MBMS_DL_CHUNK;
        const uint8_t *c = in + TCO_MBMS_DL_HDR + i * (TCO_MBMS_DL_CHUNK + TCO_MBMS_DL_TAG);
        uint8_t idx[4];
        put32(idx, (uint32_t)i);
        if (EVP_MAC_init(mc, ak, 32, prm) != 1 || EVP_MAC_update(mc, in, TCO_MBMS_DL_HDR) != 1 ||
            EVP_MAC_update(mc, idx, 4) != 1 || EVP_MAC_update(mc, c, n) != 1 ||
            EVP_MAC_final(mc, mac, &ml, sizeof(mac)) != 1 || ml != 32)
            st = TCO_ERR_CRYPTO;
        else
            bad |= (unsigned)tco_ct_memcmp(mac, c + n, TCO_MBMS_DL_TAG);
    }
    if (st == TCO_OK && bad)
        st = TCO_ERR_AUTH;
    if (st == TCO_OK) {
        int got = 0;
        memcpy(iv, in + 12, 8);
        memset(iv + 8, 0, 8);
        cc = EVP_CIPHER_CTX_new();
        if (cc == NULL || EVP_EncryptInit_ex(cc, EVP_aes_128_ctr(), NULL, dk, iv) != 1)
            st = TCO_ERR_CRYPTO;
        for (size_t i = 0; st == TCO_OK && i < nch; i++) {
            size_t off = i * TCO_MBMS_DL_CHUNK;
            size_t n = olen - off < TCO_MBMS_DL_CHUNK ? olen - off : TCO_MBMS_DL_CHUNK;
            const uint8_t *c = in + TCO_MBMS_DL_HDR + i * (TCO_MBMS_DL_CHUNK + TCO_MBMS_DL_TAG);
            if (n > 0 && (EVP_EncryptUpdate(cc, out + off, &got, c, (int)n) != 1 ||
                          (size_t)got != n))
                st = TCO_ERR_CRYPTO;
        }
        if (st != TCO_OK)
            tco_cleanse(out, olen);
    }
    EVP_CIPHER_CTX_free(cc);
    EVP_MAC_CTX_free(mc);
    EVP_MAC_free(hm);
    tco_cleanse(dk, sizeof(dk));
    tco_cleanse(ak, sizeof(ak));
    if (st == TCO_OK)
        *out_len = olen;
    return st;
}
