/* SPDX-License-Identifier: Apache-2.0 */
/* SRTP/SRTCP (RFC 3711, RFC 6188): stream bookkeeping on the host, packet transforms on the
 * engine (tco_srtp_frame). docs/srtp.md describes the model; the receiver order is RFC 3711
 * §3.3 (docs: spec §5.7): index, key by MKI, replay, tag, decrypt, then state. */
#include "tco_srtp.h"
#include "tco_priv.h"

#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

#define RTP_HDR 12u
#define RTCP_HDR 8u
#define SRTCP_TAG 10u
#define DEFAULT_WINDOW 128u
#define MAX_BATCH_CHUNK 64u /* packets prepared per engine call */

typedef struct srtp_key {
    bool used;
    uint8_t mki[TCO_SRTP_MAX_MKI];
    tco_slot slot[6]; /* SRTP k_e, k_a, k_s; SRTCP k_e, k_a, k_s (labels 0..5) */
    bool own_master;  /* `master` is the session's: erased, but kept reserved (add_key) */
    tco_slot master;
    uint64_t packets; /* SRTP packets processed under this key */
    uint32_t rtcp_packets;
} srtp_key;

/* Replay window: `top` is the highest index accepted; bit k of bits[] marks top - k. */
typedef struct replay {
    bool seen;
    uint64_t top;
} replay;

typedef struct stream {
    uint32_t ssrc;
    uint32_t roc0;      /* ROC from key management, used until the first packet */
    bool roc_set;       /* roc0 was given (tco_srtp_set_roc): an RFC 4771 receiver may start */
    uint32_t rtcp_next; /* sender's next SRTCP index */
    replay rtp, rtcp;
    uint64_t bits[]; /* window/64 words for SRTP, then window/64 for SRTCP */
} stream;

struct tco_srtp {
    tco_dev *dev;
    tco_srtp_policy pol;
    size_t key_len;   /* 16 or 32 */
    size_t tag_len;   /* SRTP tag */
    unsigned rcc_rate; /* RFC 4771 R (pol.rcc_mode != 0) */
    unsigned words;   /* window / 64 */
    uint64_t max_packets;
    uint32_t max_rtcp;
    srtp_key key[TCO_SRTP_MAX_KEYS];
    int send_key; /* index into key[], -1 before the first add */
    /* SSRC -> stream, open addressing with a keyed hash (SSRCs are chosen by peers) */
    stream **tab;
    size_t tab_size, count;
    uint64_t hash_key;
    uint8_t *scratch; /* MKI packets: authenticated portion || tag made contiguous */
    size_t scratch_len;
};

/* ----------------------------------------------------------------------------------------- */
/* Profiles */

static const struct {
    tco_srtp_profile p;
    const char *name;
    size_t key_len, tag_len;
} profiles[] = {
    {TCO_SRTP_AES128_CM_SHA1_80, "AES_CM_128_HMAC_SHA1_80", 16, 10},
    {TCO_SRTP_AES128_CM_SHA1_32, "AES_CM_128_HMAC_SHA1_32", 16, 4},
    {TCO_SRTP_AES256_CM_SHA1_80, "AES_256_CM_HMAC_SHA1_80", 32, 10},
};

tco_status tco_srtp_profile_by_name(const char *name, tco_srtp_profile *profile)
{
    if (name == NULL || profile == NULL)
        return TCO_ERR_INVALID_ARG;
    for (size_t i = 0; i < TCO_ARRAY_LEN(profiles); i++) {
        if (strcmp(name, profiles[i].name) == 0) {
            *profile = profiles[i].p;
            return TCO_OK;
        }
    }
    return TCO_ERR_INVALID_ARG;
}

static int prof_index(tco_srtp_profile p)
{
    for (size_t i = 0; i < TCO_ARRAY_LEN(profiles); i++)
        if (profiles[i].p == p)
            return (int)i;
    return -1;
}

const char *tco_srtp_profile_name(tco_srtp_profile profile)
{
    int i = prof_index(profile);
    return i < 0 ? NULL : profiles[i].name;
}

size_t tco_srtp_key_salt_len(tco_srtp_profile profile)
{
    int i = prof_index(profile);
    return i < 0 ? 0 : profiles[i].key_len + TCO_SRTP_SALT_LEN;
}

size_t tco_srtp_tag_len(tco_srtp_profile profile)
{
    int i = prof_index(profile);
    return i < 0 ? 0 : profiles[i].tag_len;
}

/* ----------------------------------------------------------------------------------------- */
/* Stream table */

static size_t slot_of(const tco_srtp *s, uint32_t ssrc)
{
    uint64_t h = ((uint64_t)ssrc ^ s->hash_key) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 32;
    return (size_t)(h & (s->tab_size - 1));
}

static stream *find(const tco_srtp *s, uint32_t ssrc)
{
    for (size_t i = slot_of(s, ssrc);; i = (i + 1) & (s->tab_size - 1)) {
        stream *st = s->tab[i];
        if (st == NULL || st->ssrc == ssrc)
            return st;
    }
}

static tco_status grow(tco_srtp *s)
{
    size_t old = s->tab_size, n = old * 2;
    stream **t = calloc(n, sizeof(*t)), **o = s->tab;

    if (t == NULL)
        return TCO_ERR_NO_MEMORY;
    s->tab = t;
    s->tab_size = n;
    for (size_t i = 0; i < old; i++) {
        if (o[i] != NULL) {
            size_t j = slot_of(s, o[i]->ssrc);
            while (t[j] != NULL)
                j = (j + 1) & (n - 1);
            t[j] = o[i];
        }
    }
    free(o);
    return TCO_OK;
}

/* Find or create the context of an SSRC. */
static tco_status get_stream(tco_srtp *s, uint32_t ssrc, stream **out)
{
    stream *st = find(s, ssrc);
    size_t j;

    if (st != NULL) {
        *out = st;
        return TCO_OK;
    }
    if (s->pol.max_streams && s->count >= s->pol.max_streams)
        return TCO_ERR_NO_MEMORY;
    if ((s->count + 1) * 2 > s->tab_size && grow(s) != TCO_OK)
        return TCO_ERR_NO_MEMORY;
    st = calloc(1, sizeof(*st) + 2 * s->words * sizeof(uint64_t));
    if (st == NULL)
        return TCO_ERR_NO_MEMORY;
    st->ssrc = ssrc;
    j = slot_of(s, ssrc);
    while (s->tab[j] != NULL)
        j = (j + 1) & (s->tab_size - 1);
    s->tab[j] = st;
    s->count++;
    *out = st;
    return TCO_OK;
}

size_t tco_srtp_stream_count(const tco_srtp *s)
{
    return s ? s->count : 0;
}

/* ----------------------------------------------------------------------------------------- */
/* Replay window (RFC 3711 §3.3.2) */

static tco_status replay_check(const replay *r, const uint64_t *bits, unsigned words,
                               uint64_t idx)
{
    uint64_t d;

    if (!r->seen || idx > r->top)
        return TCO_OK;
    d = r->top - idx;
    if (d >= (uint64_t)words * 64)
        return TCO_ERR_TOO_OLD;
    if (bits[d / 64] >> (d % 64) & 1)
        return TCO_ERR_REPLAY;
    return TCO_OK;
}

static void replay_mark(replay *r, uint64_t *bits, unsigned words, uint64_t idx)
{
    if (!r->seen) {
        memset(bits, 0, words * sizeof(uint64_t));
        r->seen = true;
        r->top = idx;
    } else if (idx > r->top) {
        uint64_t sh = idx - r->top;
        if (sh >= (uint64_t)words * 64) {
            memset(bits, 0, words * sizeof(uint64_t));
        } else {
            unsigned ws = (unsigned)(sh / 64), bs = (unsigned)(sh % 64);
            for (int i = (int)words - 1; i >= 0; i--) {
                uint64_t v = 0;
                if (i - (int)ws >= 0) {
                    v = bits[i - ws] << bs;
                    if (bs && i - (int)ws - 1 >= 0)
                        v |= bits[i - ws - 1] >> (64 - bs);
                }
                bits[i] = v;
            }
        }
        r->top = idx;
    }
    {
        uint64_t d = r->top - idx;
        bits[d / 64] |= 1ull << (d % 64);
    }
}

/* Index values that are not indices: the ROC would leave its 32 bits. */
#define IDX_BEFORE_ZERO UINT64_MAX       /* ROC - 1 with ROC 0 */
#define IDX_ROC_WRAP (UINT64_MAX - 1)    /* ROC + 1 with ROC 2^32 - 1: the key is used up */

/* RFC 3711 §3.3.1 / Appendix A (spec §5.3): index of SEQ given the highest index so far
 * (`seen` false: none yet, the ROC is roc0). */
static uint64_t estimate_top(bool seen, uint64_t top, uint32_t roc0, uint16_t seq)
{
    uint32_t roc;
    uint16_t s_l;

    if (!seen)
        return (uint64_t)roc0 << 16 | seq;
    roc = (uint32_t)(top >> 16);
    s_l = (uint16_t)top;
    if (s_l < 32768) {
        if ((int)seq - (int)s_l > 32768)
            return roc == 0 ? IDX_BEFORE_ZERO : (uint64_t)(roc - 1) << 16 | seq;
    } else if ((int)s_l - 32768 > (int)seq) {
        return roc == UINT32_MAX ? IDX_ROC_WRAP : (uint64_t)(roc + 1) << 16 | seq;
    }
    return (uint64_t)roc << 16 | seq;
}

static uint64_t estimate(const stream *st, uint16_t seq)
{
    if (st == NULL)
        return estimate_top(false, 0, 0, seq);
    return estimate_top(st->rtp.seen, st->rtp.top, st->roc0, seq);
}

/* ----------------------------------------------------------------------------------------- */
/* Session and keys */

tco_status tco_srtp_create(tco_dev *dev, const tco_srtp_policy *policy, tco_srtp **out)
{
    tco_srtp *s;
    int pi;

    if (dev == NULL || policy == NULL || out == NULL)
        return TCO_ERR_INVALID_ARG;
    *out = NULL;
    pi = prof_index(policy->profile);
    if (pi < 0 || policy->mki_len > TCO_SRTP_MAX_MKI)
        return TCO_ERR_INVALID_ARG;
    if (policy->window != 0 && (policy->window < 64 || policy->window > TCO_SRTP_MAX_WINDOW ||
                                policy->window % 64 != 0))
        return TCO_ERR_INVALID_ARG;
    if (policy->max_packets > (1ull << 48))
        return TCO_ERR_RANGE;
    if (policy->max_rtcp_packets > (1u << 31))
        return TCO_ERR_RANGE;
    if (policy->rcc_mode > TCO_SRTP_RCCM3 || policy->rcc_rate > 65535 ||
        ((policy->rcc_mode == TCO_SRTP_RCCM1 || policy->rcc_mode == TCO_SRTP_RCCM2) &&
         profiles[pi].tag_len <= 4))
        return TCO_ERR_INVALID_ARG; /* modes 1, 2: the ROC takes 4 octets of the tag */
    if (!(dev->caps & TCO_CAP_SRTP))
        return TCO_ERR_UNSUPPORTED;
    s = calloc(1, sizeof(*s));
    if (s == NULL)
        return TCO_ERR_NO_MEMORY;
    s->dev = dev;
    s->pol = *policy;
    s->key_len = profiles[pi].key_len;
    s->tag_len = profiles[pi].tag_len;
    s->rcc_rate = policy->rcc_rate ? policy->rcc_rate : 1;
    s->words = (policy->window ? policy->window : DEFAULT_WINDOW) / 64;
    s->max_packets = policy->max_packets ? policy->max_packets : 1ull << 48;
    s->max_rtcp = policy->max_rtcp_packets ? policy->max_rtcp_packets : 1u << 31;
    s->send_key = -1;
    s->tab_size = 16;
    s->tab = calloc(s->tab_size, sizeof(*s->tab));
    if (s->tab == NULL || RAND_bytes((unsigned char *)&s->hash_key, sizeof(s->hash_key)) != 1) {
        tco_status st = s->tab == NULL ? TCO_ERR_NO_MEMORY : TCO_ERR_CRYPTO;
        free(s->tab);
        free(s);
        return st;
    }
    *out = s;
    return TCO_OK;
}

static void key_erase(tco_srtp *s, srtp_key *k)
{
    for (int i = 0; i < 6; i++)
        (void)tco_key_erase(s->dev, k->slot[i]);
    if (k->own_master)
        (void)tco_key_erase(s->dev, k->master); /* (empty already) hands the slot back */
    tco_cleanse(k, sizeof(*k));
}

void tco_srtp_free(tco_srtp *s)
{
    if (s == NULL)
        return;
    for (unsigned i = 0; i < TCO_SRTP_MAX_KEYS; i++)
        if (s->key[i].used)
            key_erase(s, &s->key[i]);
    for (size_t i = 0; i < s->tab_size; i++)
        free(s->tab[i]);
    free(s->tab);
    if (s->scratch) {
        tco_cleanse(s->scratch, s->scratch_len);
        free(s->scratch);
    }
    tco_cleanse(s, sizeof(*s));
    free(s);
}

static int key_by_mki(const tco_srtp *s, const uint8_t *mki)
{
    for (unsigned i = 0; i < TCO_SRTP_MAX_KEYS; i++)
        if (s->key[i].used && (s->pol.mki_len == 0 || memcmp(s->key[i].mki, mki,
                                                             s->pol.mki_len) == 0))
            return (int)i;
    return -1;
}

/* Derive the six session keys from the master key in `master` into fresh slots. Each label
 * gives its key its role and length (k_e, k_a, k_s), and all six are linked to the master
 * slot: that link is what lets tco_srtp_frame use the salt, which is not releasable
 * (docs/keys.md). A new key written into the master slot would drop the link, so with `own`
 * the session takes the master slot over: the master key is erased at once (an erase keeps
 * the links) and the slot stays reserved until the key is removed, so that the handle's
 * allocator never hands it to anyone else meanwhile. */
static tco_status add_key(tco_srtp *s, tco_slot master, const uint8_t salt[14],
                          const uint8_t *mki, bool own)
{
    srtp_key k;
    int free_i = -1;
    size_t mlen = 0;
    uint32_t mattrs = 0;
    tco_status st;

    if (s->pol.mki_len > 0 && mki == NULL)
        return TCO_ERR_INVALID_ARG;
    for (unsigned i = 0; i < TCO_SRTP_MAX_KEYS; i++) {
        if (!s->key[i].used && free_i < 0)
            free_i = (int)i;
        if (s->key[i].used && (s->pol.mki_len == 0 ||
                               memcmp(s->key[i].mki, mki, s->pol.mki_len) == 0))
            return TCO_ERR_STATE; /* a second key needs an MKI to tell them apart */
    }
    if (free_i < 0)
        return TCO_ERR_STATE;
    /* the master key of the profile's length (a 32-octet master under an AES-128 profile
     * would give AES-256 session keys the peer does not use) */
    st = tco_key_info(s->dev, master, &mlen, &mattrs);
    if (st == TCO_OK && mlen == 0)
        st = TCO_ERR_SLOT_EMPTY;
    if (st == TCO_OK && mlen != s->key_len)
        st = TCO_ERR_KEY_LENGTH;
    if (st != TCO_OK)
        return st;
    memset(&k, 0, sizeof(k));
    st = tco_slot_alloc_n(s->dev, k.slot, 6);
    if (st != TCO_OK)
        return st;
    for (uint8_t label = 0; label < 6 && st == TCO_OK; label++)
        st = tco_srtp_kdf(s->dev, master, label, salt, k.slot[label], 0);
    if (st != TCO_OK) {
        for (int i = 0; i < 6; i++)
            (void)tco_key_erase(s->dev, k.slot[i]);
        return st;
    }
    if (own) {
        (void)tco_key_erase(s->dev, master);
        tco_slot_mark(s->dev, master, true);
        k.own_master = true;
        k.master = master;
    }
    k.used = true;
    if (s->pol.mki_len)
        memcpy(k.mki, mki, s->pol.mki_len);
    s->key[free_i] = k;
    if (s->send_key < 0)
        s->send_key = free_i;
    return TCO_OK;
}

tco_status tco_srtp_add_key(tco_srtp *s, const uint8_t *key_salt, size_t len,
                            const uint8_t *mki)
{
    tco_slot master;
    tco_status st;

    if (s == NULL || key_salt == NULL)
        return TCO_ERR_INVALID_ARG;
    if (len != s->key_len + TCO_SRTP_SALT_LEN)
        return TCO_ERR_KEY_LENGTH;
    st = tco_slot_alloc(s->dev, &master);
    if (st != TCO_OK)
        return st;
    st = tco_key_load(s->dev, master, key_salt, s->key_len, TCO_USE_SRTP_KDF);
    if (st == TCO_OK)
        st = add_key(s, master, key_salt + s->key_len, mki, true);
    if (st != TCO_OK)
        (void)tco_key_erase(s->dev, master);
    return st;
}

tco_status tco_srtp_add_key_slot(tco_srtp *s, tco_slot master_slot, const uint8_t salt[14],
                                 const uint8_t *mki)
{
    if (s == NULL || salt == NULL)
        return TCO_ERR_INVALID_ARG;
    return add_key(s, master_slot, salt, mki, false);
}

tco_status tco_srtp_adopt_key_slot(tco_srtp *s, tco_slot master_slot, const uint8_t salt[14],
                                   const uint8_t *mki)
{
    if (s == NULL || salt == NULL)
        return TCO_ERR_INVALID_ARG;
    return add_key(s, master_slot, salt, mki, true);
}

tco_status tco_srtp_use_key(tco_srtp *s, const uint8_t *mki)
{
    int k;

    if (s == NULL || (mki == NULL && s->pol.mki_len))
        return TCO_ERR_INVALID_ARG;
    k = key_by_mki(s, mki);
    if (k < 0)
        return TCO_ERR_UNKNOWN_MKI;
    s->send_key = k;
    return TCO_OK;
}

tco_status tco_srtp_remove_key(tco_srtp *s, const uint8_t *mki)
{
    int k;

    if (s == NULL || (mki == NULL && s->pol.mki_len))
        return TCO_ERR_INVALID_ARG;
    k = key_by_mki(s, mki);
    if (k < 0)
        return TCO_ERR_UNKNOWN_MKI;
    if (k == s->send_key)
        return TCO_ERR_STATE;
    key_erase(s, &s->key[k]);
    return TCO_OK;
}

tco_status tco_srtp_remove_other_keys(tco_srtp *s)
{
    if (s == NULL)
        return TCO_ERR_INVALID_ARG;
    for (int i = 0; i < (int)TCO_SRTP_MAX_KEYS; i++)
        if (s->key[i].used && i != s->send_key)
            key_erase(s, &s->key[i]);
    return TCO_OK;
}

tco_status tco_srtp_get_roc(tco_srtp *s, uint32_t ssrc, uint32_t *roc)
{
    stream *st;

    if (s == NULL || roc == NULL)
        return TCO_ERR_INVALID_ARG;
    st = find(s, ssrc);
    if (st == NULL)
        return TCO_ERR_STATE;
    *roc = st->rtp.seen ? (uint32_t)(st->rtp.top >> 16) : st->roc0;
    return TCO_OK;
}

tco_status tco_srtp_set_roc(tco_srtp *s, uint32_t ssrc, uint32_t roc)
{
    stream *st;
    tco_status r;

    if (s == NULL)
        return TCO_ERR_INVALID_ARG;
    r = get_stream(s, ssrc, &st);
    if (r != TCO_OK)
        return r;
    st->roc0 = roc;
    st->roc_set = true;
    if (st->rtp.seen) {
        /* new ROC, same SEQ; the window restarts there (older indices are not comparable) */
        st->rtp.top = (uint64_t)roc << 16 | (st->rtp.top & 0xFFFF);
        memset(st->bits, 0, s->words * sizeof(uint64_t));
        st->bits[0] = 1;
    }
    return TCO_OK;
}

tco_status tco_srtcp_set_index(tco_srtp *s, uint32_t ssrc, uint32_t index)
{
    stream *st;
    tco_status r;

    if (s == NULL)
        return TCO_ERR_INVALID_ARG;
    if (index >> 31)
        return TCO_ERR_RANGE;
    r = get_stream(s, ssrc, &st);
    if (r == TCO_OK)
        st->rtcp_next = index;
    return r;
}

/* ----------------------------------------------------------------------------------------- */
/* Packets */

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* RTP header length (RFC 3550 §5.1, §5.3.1): 12 + 4 CC + extension. */
static tco_status rtp_header(const uint8_t *p, size_t len, size_t *hlen)
{
    size_t h;

    if (len < RTP_HDR)
        return TCO_ERR_TRUNCATED;
    if (p[0] >> 6 != 2)
        return TCO_ERR_BAD_VERSION;
    h = RTP_HDR + 4u * (p[0] & 0x0F);
    if (p[0] & 0x10) {
        if (len < h + 4)
            return TCO_ERR_TRUNCATED;
        h += 4 + 4u * ((size_t)p[h + 2] << 8 | p[h + 3]);
    }
    if (h > len)
        return TCO_ERR_TRUNCATED;
    *hlen = h;
    return TCO_OK;
}

/* A batch's view of a stream while it is prepared: the highest index the packets before
 * would leave if they all succeed (so a SEQ wrap inside a batch is estimated as single calls
 * would). */
typedef struct overlay {
    uint32_t ssrc;
    bool seen;
    uint64_t top;
} overlay;

typedef struct batch_view {
    overlay o[64];
    size_t n, last;
    bool staged; /* unprotect of several packets: the engine writes into scratch, the
                  * commit copies out (a packet that fails at commit writes nothing) */
} batch_view;

/* The overlay entry of an SSRC, made from the stream (or its absence) on first use. */
static overlay *view_get(batch_view *v, const stream *st, uint32_t ssrc)
{
    if (v->n > 0 && v->o[v->last].ssrc == ssrc)
        return &v->o[v->last];
    for (size_t i = 0; i < v->n; i++) {
        if (v->o[i].ssrc == ssrc) {
            v->last = i;
            return &v->o[i];
        }
    }
    v->last = v->n++;
    v->o[v->last].ssrc = ssrc;
    v->o[v->last].seen = st != NULL && st->rtp.seen;
    v->o[v->last].top = st != NULL ? st->rtp.top : 0;
    return &v->o[v->last];
}

/* What one packet of a batch needs between the engine call and the commit. */
typedef struct pending {
    tco_srtp_pkt *pkt;
    stream *st;      /* NULL: no context yet when prepared */
    uint64_t st_top; /* highest index the estimate assumed (UINT64_MAX: none) */
    int key;
    uint32_t ssrc;
    uint64_t index;
    size_t mki_len, tag_len; /* tag_len: the MAC (RFC 4771: without the ROC) */
    size_t roc_len;          /* 4: the packet carries the ROC (RFC 4771) */
    bool roc_carried;        /* unprotect: the index comes from the ROC in the packet */
    bool via_scratch;
    bool deferred; /* failed only under the batch's assumption: decided at commit, alone */
} pending;

static tco_status scratch_reserve(tco_srtp *s, size_t n)
{
    uint8_t *p;

    if (s->scratch_len >= n)
        return TCO_OK;
    p = malloc(n);
    if (p == NULL)
        return TCO_ERR_NO_MEMORY;
    if (s->scratch) {
        tco_cleanse(s->scratch, s->scratch_len);
        free(s->scratch);
    }
    s->scratch = p;
    s->scratch_len = n;
    return TCO_OK;
}

/* Trailer of a packet with this SEQ: ROC octets (RFC 4771) and MAC octets. */
static void layout(const tco_srtp *s, uint16_t seq, size_t *roc_len, size_t *mac_len)
{
    unsigned mode = s->pol.rcc_mode;

    *roc_len = 0;
    *mac_len = s->tag_len;
    if (mode == 0)
        return;
    if (seq % s->rcc_rate == 0) {
        *roc_len = 4;
        *mac_len = mode == TCO_SRTP_RCCM3 ? 0 : s->tag_len - 4;
    } else if (mode != TCO_SRTP_RCCM2) {
        *mac_len = 0;
    }
}

/* An RFC 4771 receiver knows a stream's ROC once a ROC-carrying packet was accepted or the
 * ROC was set; before that it cannot place a packet without one. */
static bool roc_known(const stream *st)
{
    return st != NULL && (st->rtp.seen || st->roc_set);
}

/* Protect, step 1: parse, index, key, replay; fill the engine request. */
static tco_status rtp_prepare_1(tco_srtp *s, bool unprotect, tco_srtp_pkt *p, pending *pd,
                                tco_srtp_frame_req *r, uint8_t *scratch, size_t scratch_off,
                                batch_view *bv)
{
    overlay *ov;
    size_t hlen, mki = s->pol.mki_len, tag, rl, body;
    const stream *st;
    const srtp_key *k;
    uint16_t seq;
    tco_status e;

    if (p->in == NULL || p->out == NULL)
        return TCO_ERR_INVALID_ARG;
    if (p->in != p->out && p->in < p->out + p->cap && p->out < p->in + p->len)
        return TCO_ERR_INVALID_ARG; /* partial overlap */
    e = rtp_header(p->in, p->len, &hlen);
    if (e != TCO_OK)
        return e;
    seq = (uint16_t)(p->in[2] << 8 | p->in[3]);
    layout(s, seq, &rl, &tag);
    if (unprotect) {
        if (p->len < hlen + mki + rl + tag)
            return TCO_ERR_TOO_SHORT;
        body = p->len - mki - rl - tag;
        if (p->cap < body)
            return TCO_ERR_BUFFER_SMALL;
    } else {
        body = p->len;
        if (p->cap < p->len + mki + rl + tag)
            return TCO_ERR_BUFFER_SMALL;
    }
    pd->pkt = p;
    pd->ssrc = rd32(p->in + 8);
    pd->mki_len = mki;
    pd->tag_len = tag;
    pd->roc_len = rl;
    pd->roc_carried = unprotect && rl != 0;
    pd->via_scratch = false;
    st = find(s, pd->ssrc);
    pd->st = (stream *)st;
    ov = view_get(bv, st, pd->ssrc);
    pd->st_top = ov->seen ? ov->top : UINT64_MAX; /* the highest index the estimate used */
    if (pd->roc_carried) {
        /* RFC 4771: the index from the sender's ROC (the tag covers it) */
        pd->index = (uint64_t)rd32(p->in + body + mki) << 16 | seq;
        /* its replay check still rests on the packets before it in the batch */
        pd->deferred = ov->seen != (st != NULL && st->rtp.seen) ||
                       (ov->seen && ov->top != st->rtp.top);
    } else {
        pd->index = estimate_top(ov->seen, ov->top, st ? st->roc0 : 0, seq);
        /* does the estimate rest on earlier packets of this batch (not yet committed)? */
        pd->deferred = ov->seen != (st != NULL && st->rtp.seen) ||
                       (ov->seen && ov->top != st->rtp.top);
        if (unprotect && s->pol.rcc_mode && !ov->seen && !roc_known(st))
            return TCO_ERR_NO_ROC;
    }
    if (pd->index == IDX_ROC_WRAP)
        return TCO_ERR_KEY_EXHAUSTED; /* 2^48 indices: RFC 3711 §9.2 */
    if (pd->index == IDX_BEFORE_ZERO)
        return TCO_ERR_TOO_OLD;
    if (unprotect) {
        pd->key = key_by_mki(s, p->in + body);
        if (pd->key < 0)
            return TCO_ERR_UNKNOWN_MKI;
    } else {
        pd->key = s->send_key;
        if (pd->key < 0)
            return TCO_ERR_STATE;
    }
    k = &s->key[pd->key];
    if (k->packets >= s->max_packets)
        return TCO_ERR_KEY_EXHAUSTED;
    if (st != NULL) {
        e = replay_check(&st->rtp, st->bits, s->words, pd->index);
        if (e != TCO_OK)
            return e;
    }
    r->unprotect = unprotect;
    r->rtcp = 0;
    r->out_len = 0;
    r->status = TCO_OK;
    r->ke = k->slot[0];
    r->ka = k->slot[1];
    r->ks = k->slot[2];
    r->tag_len = (unsigned)tag;
    r->clear_len = hlen;
    r->enc_len = body - hlen;
    r->index = pd->index;
    r->roc = (uint32_t)(pd->index >> 16);
    r->in = p->in;
    r->out = p->out;
    if (unprotect) {
        uint8_t *sc = scratch + scratch_off; /* 2 * p->len octets for this packet */
        r->in_len = body + tag;
        r->out_cap = p->cap;
        if ((mki || rl) && tag) {
            /* authenticated portion || MAC, contiguous for the engine */
            memcpy(sc, p->in, body);
            memcpy(sc + body, p->in + body + mki + rl, tag);
            r->in = sc;
            pd->via_scratch = true;
            if (p->out == p->in)
                r->out = sc; /* out then overlaps in only through the copy */
        }
        if (bv->staged) {
            /* a batch: the packet may still fail at its commit, after the engine ran; its
             * output waits in scratch so that then nothing was written (nor, in place, the
             * input touched), as with a single call */
            r->out = sc + p->len;
            r->out_cap = body;
            pd->via_scratch = true;
        }
    } else {
        r->in_len = p->len;
        r->out_cap = p->len + tag;
    }
    if (r->in_len > s->dev->max_srtp)
        return TCO_ERR_RANGE; /* longer than the engine takes in one frame */
    if (!ov->seen || pd->index > ov->top) {
        ov->seen = true;
        ov->top = pd->index;
    }
    return TCO_OK;
}

/* Any failure of a packet whose estimate rested on earlier packets of the batch (not yet
 * committed) is decided at its commit, alone, against the real state then; a packet that
 * passes runs now and its commit re-checks everything. */
static tco_status rtp_prepare(tco_srtp *s, bool unprotect, tco_srtp_pkt *p, pending *pd,
                              tco_srtp_frame_req *r, uint8_t *scratch, size_t scratch_off,
                              batch_view *bv)
{
    tco_status e;

    pd->deferred = false;
    e = rtp_prepare_1(s, unprotect, p, pd, r, scratch, scratch_off, bv);
    if (e == TCO_OK)
        pd->deferred = false;
    else if (pd->deferred)
        e = TCO_ERR_STATE;
    return e;
}

/* Step 3: the engine answered OK; check again against the state as it is now (earlier
 * packets of the batch may have moved it), then update. Returns the packet's status. */
static tco_status rtp_commit(tco_srtp *s, bool unprotect, pending *pd,
                             const tco_srtp_frame_req *r)
{
    tco_srtp_pkt *p = pd->pkt;
    srtp_key *k = &s->key[pd->key];
    stream *st = pd->st != NULL ? pd->st : find(s, pd->ssrc);
    uint16_t seq = (uint16_t)(p->in[2] << 8 | p->in[3]);
    tco_status e;
    uint64_t now = pd->index;

    /* The checks of a single call, in its order, against the state as the packets before
     * left it: the batch assumed they would all succeed. The estimate depends only on the
     * highest index (and roc0, fixed meanwhile): recompute only if that is not as assumed. */
    if (!pd->roc_carried) {
        if (unprotect && s->pol.rcc_mode && !roc_known(st))
            return TCO_ERR_NO_ROC; /* the batch assumed an earlier packet would set it */
        if ((st != NULL && st->rtp.seen ? st->rtp.top : UINT64_MAX) != pd->st_top)
            now = estimate(st, seq);
    }
    if (now >= IDX_ROC_WRAP)
        return now == IDX_ROC_WRAP ? TCO_ERR_KEY_EXHAUSTED : TCO_ERR_TOO_OLD;
    if (!k->used || k->packets >= s->max_packets)
        return TCO_ERR_KEY_EXHAUSTED;
    e = st != NULL ? replay_check(&st->rtp, st->bits, s->words, now) : TCO_OK;
    if (e != TCO_OK)
        return e;
    if (now != pd->index) {
        /* The engine ran the packet under another index than a single call would use now.
         * Unprotect: if its tag verified under the assumed index (the tag covers the ROC), it
         * fails under `now`; if it failed, it may pass under `now`: redo it (a failed
         * unprotect wrote nothing). Protect: redo it. */
        if (unprotect && r->status == TCO_OK && pd->tag_len > 0)
            return TCO_ERR_AUTH; /* (a packet without a tag proves nothing: redo it) */
        return TCO_ERR_STATE; /* the caller redoes it alone */
    }
    if (r->status != TCO_OK)
        return r->status;
    if (st == NULL) {
        e = get_stream(s, pd->ssrc, &st);
        if (e != TCO_OK)
            return e;
    }
    replay_mark(&st->rtp, st->bits, s->words, pd->index);
    k->packets++;
    if (unprotect) {
        if (pd->via_scratch && r->out != p->out)
            memcpy(p->out, r->out, r->out_len); /* in place with an MKI */
        p->out_len = r->out_len;
    } else {
        size_t alen = p->len;
        if (pd->mki_len || pd->roc_len) {
            uint8_t *t = p->out + alen + pd->mki_len;
            uint32_t roc = (uint32_t)(pd->index >> 16);
            memmove(t + pd->roc_len, p->out + alen, pd->tag_len);
            memcpy(p->out + alen, k->mki, pd->mki_len);
            if (pd->roc_len) { /* RFC 4771: TAG = ROC || MAC */
                t[0] = (uint8_t)(roc >> 24);
                t[1] = (uint8_t)(roc >> 16);
                t[2] = (uint8_t)(roc >> 8);
                t[3] = (uint8_t)roc;
            }
        }
        p->out_len = alen + pd->mki_len + pd->roc_len + pd->tag_len;
    }
    return TCO_OK;
}

/* Wipe what the engine wrote for a packet that is not released. */
static void discard(pending *pd, const tco_srtp_frame_req *r)
{
    if (r->out_len > 0)
        tco_cleanse(r->out, r->out_len);
    pd->pkt->out_len = 0;
}

static tco_status rtp_run(tco_srtp *s, bool unprotect, tco_srtp_pkt *pkts, size_t n);

/* A packet whose index estimate changed under earlier packets of its batch: run it alone. */
static tco_status rtp_redo(tco_srtp *s, bool unprotect, tco_srtp_pkt *p)
{
    return rtp_run(s, unprotect, p, 1);
}

static tco_status rtp_run(tco_srtp *s, bool unprotect, tco_srtp_pkt *pkts, size_t n)
{
    pending pd[MAX_BATCH_CHUNK];
    tco_srtp_frame_req rq[MAX_BATCH_CHUNK];
    tco_status first = TCO_OK;

    if (s == NULL || (pkts == NULL && n > 0))
        return TCO_ERR_INVALID_ARG;
    for (size_t base = 0; base < n; base += MAX_BATCH_CHUNK) {
        size_t m = n - base < MAX_BATCH_CHUNK ? n - base : MAX_BATCH_CHUNK, need = 0, off = 0;
        size_t todo = 0;
        tco_status link;

        uint8_t *sc = NULL; /* this chunk's own (a redo inside it makes its own) */

        if (unprotect) {
            for (size_t i = 0; i < m; i++)
                need += 2 * pkts[base + i].len;
            sc = malloc(need ? need : 1);
            if (sc == NULL) {
                for (size_t i = 0; i < m; i++)
                    pkts[base + i].status = TCO_ERR_NO_MEMORY;
                if (first == TCO_OK)
                    first = TCO_ERR_NO_MEMORY;
                continue;
            }
        }
        batch_view bv;
        bv.n = bv.last = 0;
        bv.staged = unprotect && m > 1;
        for (size_t i = 0; i < m; i++) {
            tco_srtp_pkt *p = &pkts[base + i];
            p->out_len = 0;
            p->status = rtp_prepare(s, unprotect, p, &pd[todo], &rq[todo], sc, off, &bv);
            if (p->status == TCO_OK) {
                off += 2 * p->len;
                todo++;
            } else if (p->status == TCO_ERR_STATE && pd[todo].deferred) {
                rq[todo].status = TCO_ERR_STATE; /* not sent to the engine */
                rq[todo].out_len = 0;
                todo++;
            }
        }
        link = todo ? s->dev->ops->srtp_frames(s->dev, rq, todo) : TCO_OK;
        if (link != TCO_OK) {
            bool ended = false;
            for (size_t i = 0; i < todo; i++)
                ended |= rq[i].status == TCO_ERR_IO || rq[i].status == TCO_ERR_TIMEOUT;
            if (ended) {
                for (size_t i = 0; i < todo; i++) {
                    pd[i].pkt->status = rq[i].status != TCO_OK ? rq[i].status : link;
                    discard(&pd[i], &rq[i]);
                }
                for (size_t i = base + m; i < n; i++)
                    pkts[i].status = link; /* not attempted */
                if (sc != NULL) {
                    tco_cleanse(sc, need);
                    free(sc);
                }
                return link;
            }
        }
        for (size_t i = 0; i < todo; i++) {
            tco_status e = pd[i].deferred ? TCO_ERR_STATE : rtp_commit(s, unprotect, &pd[i], &rq[i]);
            if (e != TCO_OK)
                discard(&pd[i], &rq[i]);
            if (e == TCO_ERR_STATE &&
                (unprotect || pd[i].deferred || pd[i].pkt->in != pd[i].pkt->out))
                e = rtp_redo(s, unprotect, pd[i].pkt); /* protect in place: input is gone */
            pd[i].pkt->status = e;
        }
        if (sc != NULL) {
            tco_cleanse(sc, need); /* held plaintext of packets that failed */
            free(sc);
        }
        for (size_t i = 0; i < m && first == TCO_OK; i++)
            first = pkts[base + i].status;
    }
    return first;
}

tco_status tco_srtp_protect_batch(tco_srtp *s, tco_srtp_pkt *pkts, size_t n)
{
    return rtp_run(s, false, pkts, n);
}

tco_status tco_srtp_unprotect_batch(tco_srtp *s, tco_srtp_pkt *pkts, size_t n)
{
    return rtp_run(s, true, pkts, n);
}

tco_status tco_srtp_get_policy(const tco_srtp *s, tco_srtp_policy *policy)
{
    if (s == NULL || policy == NULL)
        return TCO_ERR_INVALID_ARG;
    *policy = s->pol;
    return TCO_OK;
}

tco_status tco_srtp_packet_mki(const tco_srtp *s, const uint8_t *pkt, size_t len,
                               const uint8_t **mki)
{
    size_t hlen, rl, tag;
    tco_status e;

    if (s == NULL || pkt == NULL || mki == NULL)
        return TCO_ERR_INVALID_ARG;
    if (s->pol.mki_len == 0)
        return TCO_ERR_STATE;
    e = rtp_header(pkt, len, &hlen);
    if (e != TCO_OK)
        return e;
    layout(s, (uint16_t)(pkt[2] << 8 | pkt[3]), &rl, &tag);
    if (len < hlen + s->pol.mki_len + rl + tag)
        return TCO_ERR_TOO_SHORT;
    *mki = pkt + len - tag - rl - s->pol.mki_len;
    return TCO_OK;
}

static tco_status one(tco_srtp *s, bool unprotect, const uint8_t *in, size_t len, uint8_t *out,
                      size_t cap, size_t *out_len)
{
    tco_srtp_pkt p = {in, len, out, cap, 0, TCO_OK};
    tco_status st;

    if (out_len == NULL)
        return TCO_ERR_INVALID_ARG;
    *out_len = 0;
    st = rtp_run(s, unprotect, &p, 1);
    if (st == TCO_OK)
        *out_len = p.out_len;
    return st;
}

tco_status tco_srtp_protect(tco_srtp *s, const uint8_t *in, size_t len, uint8_t *out,
                            size_t cap, size_t *out_len)
{
    return one(s, false, in, len, out, cap, out_len);
}

tco_status tco_srtp_unprotect(tco_srtp *s, const uint8_t *in, size_t len, uint8_t *out,
                              size_t cap, size_t *out_len)
{
    return one(s, true, in, len, out, cap, out_len);
}

/* ----------------------------------------------------------------------------------------- */
/* SRTCP (RFC 3711 §3.4) */

tco_status tco_srtcp_protect(tco_srtp *s, const uint8_t *in, size_t len, uint8_t *out,
                             size_t cap, size_t *out_len)
{
    size_t mki, need;
    tco_srtp_frame_req r;
    srtp_key *k;
    stream *st;
    uint32_t idx;
    bool enc;
    tco_status e;

    if (s == NULL || in == NULL || out == NULL || out_len == NULL)
        return TCO_ERR_INVALID_ARG;
    *out_len = 0;
    if (len < RTCP_HDR)
        return TCO_ERR_TRUNCATED;
    if (in[0] >> 6 != 2)
        return TCO_ERR_BAD_VERSION;
    mki = s->pol.mki_len;
    need = len + 4 + mki + SRTCP_TAG;
    if (cap < need)
        return TCO_ERR_BUFFER_SMALL;
    if (in != out && in < out + cap && out < in + len)
        return TCO_ERR_INVALID_ARG;
    if (s->send_key < 0)
        return TCO_ERR_STATE;
    k = &s->key[s->send_key];
    if (k->rtcp_packets >= s->max_rtcp)
        return TCO_ERR_KEY_EXHAUSTED;
    e = get_stream(s, rd32(in + 4), &st);
    if (e != TCO_OK)
        return e;
    idx = st->rtcp_next;
    if (idx >> 31)
        return TCO_ERR_KEY_EXHAUSTED; /* the 31-bit index is used up */
    enc = !s->pol.rtcp_cleartext;
    if (out != in)
        memmove(out, in, len);
    out[len] = (uint8_t)((enc ? 0x80 : 0) | (idx >> 24));
    out[len + 1] = (uint8_t)(idx >> 16);
    out[len + 2] = (uint8_t)(idx >> 8);
    out[len + 3] = (uint8_t)idx;
    memset(&r, 0, sizeof(r));
    r.rtcp = 1;
    r.ke = k->slot[3];
    r.ka = k->slot[4];
    r.ks = k->slot[5];
    r.tag_len = SRTCP_TAG;
    r.clear_len = RTCP_HDR;
    r.enc_len = enc ? len - RTCP_HDR : 0;
    r.index = idx;
    r.in = out;
    r.in_len = len + 4;
    r.out = out;
    r.out_cap = len + 4 + SRTCP_TAG;
    e = tco_srtp_frame(s->dev, &r);
    if (e != TCO_OK) {
        tco_cleanse(out, len + 4);
        return e;
    }
    if (mki) {
        memmove(out + len + 4 + mki, out + len + 4, SRTCP_TAG);
        memcpy(out + len + 4, k->mki, mki);
    }
    st->rtcp_next = idx + 1;
    k->rtcp_packets++;
    *out_len = need;
    return TCO_OK;
}

tco_status tco_srtcp_unprotect(tco_srtp *s, const uint8_t *in, size_t len, uint8_t *out,
                               size_t cap, size_t *out_len)
{
    size_t mki, alen;
    tco_srtp_frame_req r;
    srtp_key *k;
    stream *st;
    uint32_t word, idx;
    const uint8_t *src = in;
    int ki;
    tco_status e;

    if (s == NULL || in == NULL || out == NULL || out_len == NULL)
        return TCO_ERR_INVALID_ARG;
    *out_len = 0;
    if (len < RTCP_HDR)
        return TCO_ERR_TRUNCATED;
    if (in[0] >> 6 != 2)
        return TCO_ERR_BAD_VERSION;
    mki = s->pol.mki_len;
    if (len < RTCP_HDR + 4 + mki + SRTCP_TAG)
        return TCO_ERR_TOO_SHORT;
    alen = len - mki - SRTCP_TAG; /* authenticated portion, ends with E || index */
    if (cap < alen - 4)
        return TCO_ERR_BUFFER_SMALL;
    if (in != out && in < out + cap && out < in + len)
        return TCO_ERR_INVALID_ARG;
    ki = key_by_mki(s, in + alen);
    if (ki < 0)
        return TCO_ERR_UNKNOWN_MKI;
    k = &s->key[ki];
    if (k->rtcp_packets >= s->max_rtcp)
        return TCO_ERR_KEY_EXHAUSTED;
    word = rd32(in + alen - 4);
    idx = word & 0x7FFFFFFFu;
    st = find(s, rd32(in + 4));
    if (st != NULL) {
        e = replay_check(&st->rtcp, st->bits + s->words, s->words, idx);
        if (e != TCO_OK)
            return e;
    }
    if (mki) {
        e = scratch_reserve(s, alen + SRTCP_TAG);
        if (e != TCO_OK)
            return e;
        memcpy(s->scratch, in, alen);
        memcpy(s->scratch + alen, in + alen + mki, SRTCP_TAG);
        src = s->scratch;
    }
    memset(&r, 0, sizeof(r));
    r.unprotect = 1;
    r.rtcp = 1;
    r.ke = k->slot[3];
    r.ka = k->slot[4];
    r.ks = k->slot[5];
    r.tag_len = SRTCP_TAG;
    r.clear_len = RTCP_HDR;
    r.enc_len = (word >> 31) ? alen - 4 - RTCP_HDR : 0;
    r.index = idx;
    r.in = src;
    r.in_len = alen + SRTCP_TAG;
    /* the engine writes A (with the trailer); in place it may use the packet itself */
    r.out = (src == in && out == in) ? out : (mki ? s->scratch : out);
    r.out_cap = (r.out == out) ? cap : s->scratch_len;
    if (r.out == out && cap < alen) {
        /* no room for the trailer in the caller's buffer: go through the scratch */
        e = scratch_reserve(s, alen + SRTCP_TAG);
        if (e != TCO_OK)
            return e;
        if (src != s->scratch) {
            memcpy(s->scratch, in, alen + SRTCP_TAG);
            r.in = s->scratch;
        }
        r.out = s->scratch;
        r.out_cap = s->scratch_len;
    }
    e = tco_srtp_frame(s->dev, &r);
    if (e != TCO_OK)
        return e;
    if (st == NULL) {
        e = get_stream(s, rd32(in + 4), &st);
        if (e != TCO_OK) {
            tco_cleanse(r.out, r.out_len);
            return e;
        }
    }
    replay_mark(&st->rtcp, st->bits + s->words, s->words, idx);
    k->rtcp_packets++;
    if (r.out != out)
        memcpy(out, r.out, alen - 4);
    if (r.out != out)
        tco_cleanse(r.out, r.out_len);
    *out_len = alen - 4;
    return TCO_OK;
}
