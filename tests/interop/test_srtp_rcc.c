/* SPDX-License-Identifier: Apache-2.0 */
/* RFC 4771 ROC carrying (rcc_mode 1, 2, 3; R = rcc_rate) against libsrtp2 (Debian's
 * libsrtp2-dev). libsrtp2 has no RFC 4771, but every RCC packet is its RFC 3711 packet of the
 * same RTP packet, key and index with the trailer rearranged (docs/srtp.md): libsrtp2 gives
 * header || ciphertext || [MKI] || tag (n octets), and
 *   SEQ % R == 0, modes 1, 2: header || ciphertext || [MKI] || ROC (4) || tag[0, n - 4)
 *   SEQ % R == 0, mode 3:     header || ciphertext || [MKI] || ROC (4)
 *   other, mode 2:            the libsrtp2 packet unchanged
 *   other, modes 1, 3:        header || ciphertext || [MKI]
 * For every mode, R in {1, 4, 16}, AES_CM_128_HMAC_SHA1_80 and AES_256_CM_HMAC_SHA1_80 (and
 * AES_CM_128_HMAC_SHA1_32 in mode 3), with and without a 4-octet MKI:
 *   - our sender equals those packets byte for byte, across several SEQ/ROC wraps;
 *   - our receiver gives back the RTP packets, of ours and of libsrtp2's;
 *   - a receiver that joins late (no ROC) refuses packets without ROC (TCO_ERR_NO_ROC,
 *     nothing written) until the first ROC packet, then follows across the next wraps;
 *   - tampered ROC packets (ROC field, MAC, payload), tampered tags, truncated packets and
 *     replays are refused and leave the receiver as it was;
 *   - unprotect batches over a late join with replays, reordering, tampering and truncation
 *     give what the same single calls give.
 * Runs on TCO_TEST_DEV (default soft:); on sim: with fewer packets. */
#include "tcheck.h"
#include "tco.h"
#include "tco_srtp.h"

#include <srtp2/srtp.h>
#include <stdarg.h>
#include <stdbool.h>

#define PKT_MAX 1600
#define SENTINEL 0xA5
#define WINDOW 128 /* the default replay window of both libraries */

static tco_dev *dev;
static bool on_sim;

typedef struct lprof {
    tco_srtp_profile ours;
    void (*rtp)(srtp_crypto_policy_t *);
    void (*rtcp)(srtp_crypto_policy_t *);
} lprof;

static const lprof profs[] = {
    {TCO_SRTP_AES128_CM_SHA1_80, srtp_crypto_policy_set_rtp_default,
     srtp_crypto_policy_set_rtp_default},
    {TCO_SRTP_AES256_CM_SHA1_80, srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80,
     srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80},
    {TCO_SRTP_AES128_CM_SHA1_32, srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32,
     srtp_crypto_policy_set_rtp_default},
};

/* One configuration: profile, RFC 4771 mode and rate, MKI, keys. */
typedef struct cfg {
    const lprof *p;
    unsigned mode, rate;
    size_t mki_len, tag; /* tag: the profile's SRTP tag length n */
    uint8_t key[46], mki[4];
    char name[96];
} cfg;

/* An RTP packet, its index and its protected form. */
typedef struct rpkt {
    uint64_t idx;
    uint32_t ssrc;
    size_t pn, n;
    uint8_t plain[PKT_MAX], prot[PKT_MAX];
} rpkt;

static int diag_left = 40;

/* A first few details of what went wrong (the counted checks give the totals). */
static void note(const cfg *c, const char *fmt, ...)
{
    va_list ap;

    if (diag_left <= 0)
        return;
    diag_left--;
    fprintf(stderr, "  [%s] ", c ? c->name : "-");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static void wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t rand_ssrc(uint32_t other)
{
    uint32_t s;

    do
        s = (uint32_t)t_rand();
    while (s == other);
    return s;
}

/* ----------------------------------------------------------------------------------------- */
/* Packet shapes */

static size_t make_rtp(uint8_t *p, uint16_t seq, uint32_t ssrc, size_t plen)
{
    unsigned cc = t_below(3) == 0 ? t_below(16) : 0;
    bool x = t_below(3) == 0;
    size_t n = 12;

    p[0] = (uint8_t)(0x80 | (x ? 0x10 : 0) | (t_below(8) == 0 ? 0x20 : 0) | cc);
    p[1] = (uint8_t)(t_below(128) | (t_below(4) == 0 ? 0x80 : 0));
    p[2] = (uint8_t)(seq >> 8);
    p[3] = (uint8_t)seq;
    t_fill(p + 4, 4);
    wr32(p + 8, ssrc);
    t_fill(p + n, 4 * cc);
    n += 4 * cc;
    if (x) {
        unsigned words = t_below(6);
        t_fill(p + n, 2);
        p[n + 2] = 0;
        p[n + 3] = (uint8_t)words;
        t_fill(p + n + 4, 4 * words);
        n += 4 + 4 * words;
    }
    t_fill(p + n, plen);
    return n + plen;
}

static size_t payload_len(void)
{
    return t_below(5) ? 20 + t_below(200) : t_below(1300);
}

/* RTP header length of a well-formed packet. */
static size_t hdr_len(const uint8_t *p)
{
    size_t h = 12 + 4u * (p[0] & 0x0F);

    if (p[0] & 0x10)
        h += 4 + 4u * ((size_t)p[h + 2] << 8 | p[h + 3]);
    return h;
}

static bool roc_pkt(const cfg *c, uint64_t idx)
{
    return (uint16_t)idx % c->rate == 0;
}

/* Octets of MAC a packet carries. */
static size_t mac_len(const cfg *c, bool with_roc)
{
    if (with_roc)
        return c->mode == TCO_SRTP_RCCM3 ? 0 : c->tag - 4;
    return c->mode == TCO_SRTP_RCCM2 ? c->tag : 0;
}

/* Octets after the encrypted payload: [MKI] || [ROC] || MAC. */
static size_t trailer_len(const cfg *c, bool with_roc)
{
    return c->mki_len + (with_roc ? 4 : 0) + mac_len(c, with_roc);
}

/* A sender's index sequence: runs of at least R consecutive packets (so each run has a ROC
 * packet), each followed by a forward jump (lost packets) below 0x7000, still inside the 2^15
 * of the index estimate; a few hundred packets cross several SEQ wraps. */
typedef struct seqgen {
    uint64_t i;
    unsigned left, rate, jump_min, jump_max;
} seqgen;

static seqgen seq_from(uint64_t start, unsigned first_run, unsigned rate)
{
    seqgen g;

    g.i = start;
    g.left = first_run;
    g.rate = rate;
    g.jump_min = on_sim ? 0x3000 : 1;
    g.jump_max = on_sim ? 0x7000 : 0x6000;
    return g;
}

static uint64_t seq_next(seqgen *g)
{
    uint64_t r = g->i;

    if (g->left > 1) {
        g->left--;
        g->i++;
    } else {
        g->i += g->jump_min + t_below(g->jump_max - g->jump_min);
        g->left = g->rate + t_below(on_sim ? 4 : g->rate + 8);
    }
    return r;
}

/* ----------------------------------------------------------------------------------------- */
/* Sessions */

/* A libsrtp2 sender for one SSRC starting at ROC `roc`. */
static srtp_t lib_sender(cfg *c, uint32_t ssrc, uint32_t roc)
{
    srtp_policy_t pol;
    srtp_master_key_t mk, *keys[1] = {&mk};
    srtp_t s = NULL;

    memset(&pol, 0, sizeof(pol));
    c->p->rtp(&pol.rtp);
    c->p->rtcp(&pol.rtcp);
    pol.ssrc.type = ssrc_specific;
    pol.ssrc.value = ssrc;
    pol.window_size = WINDOW;
    if (c->mki_len) {
        mk.key = c->key;
        mk.mki_id = c->mki;
        mk.mki_size = (unsigned)c->mki_len;
        pol.keys = keys;
        pol.num_master_keys = 1;
    } else {
        pol.key = c->key;
    }
    if (srtp_create(&s, &pol) != srtp_err_status_ok)
        return NULL;
    if (roc != 0 && srtp_set_stream_roc(s, ssrc, roc) != srtp_err_status_ok) {
        srtp_dealloc(s);
        return NULL;
    }
    return s;
}

static tco_srtp *our_session(const cfg *c)
{
    tco_srtp_policy pol = {0};
    tco_srtp *s = NULL;

    pol.profile = c->p->ours;
    pol.mki_len = c->mki_len;
    pol.rcc_mode = c->mode;
    pol.rcc_rate = c->rate;
    if (tco_srtp_create(dev, &pol, &s) != TCO_OK)
        return NULL;
    if (tco_srtp_add_key(s, c->key, tco_srtp_key_salt_len(c->p->ours),
                         c->mki_len ? c->mki : NULL) != TCO_OK) {
        tco_srtp_free(s);
        return NULL;
    }
    return s;
}

/* libsrtp2's RFC 3711 packet (body || [MKI] || tag) rearranged as the RFC 4771 packet of
 * index idx. */
static size_t rcc_from_rfc3711(const cfg *c, const uint8_t *rfc, size_t len, uint64_t idx,
                               uint8_t *out)
{
    size_t pre = len - c->tag, n = pre;

    memcpy(out, rfc, pre);
    if (roc_pkt(c, idx)) {
        wr32(out + n, (uint32_t)(idx >> 16));
        n += 4;
        if (c->mode != TCO_SRTP_RCCM3) {
            memcpy(out + n, rfc + pre, c->tag - 4);
            n += c->tag - 4;
        }
    } else if (c->mode == TCO_SRTP_RCCM2) {
        memcpy(out + n, rfc + pre, c->tag);
        n += c->tag;
    }
    return n;
}

/* The reference packet: libsrtp2 protects `plain` (it follows the sender's sequence and keeps
 * its own ROC, checked against idx), rearranged as RFC 4771. */
static bool lib_rcc(const cfg *c, srtp_t ls, const uint8_t *plain, size_t pn, uint64_t idx,
                    uint32_t ssrc, uint8_t *out, size_t *out_n)
{
    uint8_t buf[PKT_MAX];
    int len = (int)pn;
    uint32_t roc = 0;
    srtp_err_status_t e;

    memcpy(buf, plain, pn);
    e = c->mki_len ? srtp_protect_mki(ls, buf, &len, 1, 0) : srtp_protect(ls, buf, &len);
    if (e != srtp_err_status_ok || (size_t)len != pn + c->mki_len + c->tag ||
        srtp_get_stream_roc(ls, ssrc, &roc) != srtp_err_status_ok || roc != idx >> 16) {
        note(c, "libsrtp2 reference: status %d len %d roc %u for index %#llx", (int)e, len, roc,
             (unsigned long long)idx);
        return false;
    }
    *out_n = rcc_from_rfc3711(c, buf, (size_t)len, idx, out);
    return true;
}

/* A new RTP packet of index idx protected on `tx`; checked against the reference from `ref`
 * (NULL: layout only). 0 if equal, 1 our error, 2 reference error, 3 different. */
static int send_one(const cfg *c, tco_srtp *tx, srtp_t ref, rpkt *p, uint64_t idx, uint32_t ssrc,
                    size_t plen)
{
    uint8_t want[PKT_MAX];
    size_t wn = 0;
    tco_status st;

    p->idx = idx;
    p->ssrc = ssrc;
    p->pn = make_rtp(p->plain, (uint16_t)idx, ssrc, plen);
    st = tco_srtp_protect(tx, p->plain, p->pn, p->prot, sizeof(p->prot), &p->n);
    if (st != TCO_OK) {
        note(c, "protect index %#llx: %s", (unsigned long long)idx, tco_strerror(st));
        return 1;
    }
    if (p->n != p->pn + trailer_len(c, roc_pkt(c, idx))) {
        note(c, "protect index %#llx: %zu octets from %zu", (unsigned long long)idx, p->n, p->pn);
        return 3;
    }
    if (ref == NULL)
        return 0;
    if (!lib_rcc(c, ref, p->plain, p->pn, idx, ssrc, want, &wn))
        return 2;
    if (wn != p->n || memcmp(want, p->prot, wn) != 0) {
        note(c, "protect index %#llx (%s packet): differs from libsrtp2's", (unsigned long long)idx,
             roc_pkt(c, idx) ? "ROC" : "other");
        return 3;
    }
    return 0;
}

static bool all_sentinel(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (b[i] != SENTINEL)
            return false;
    return true;
}

/* Unprotect into a sentinel-filled buffer; on an error, check nothing was written. */
static tco_status unprot(const cfg *c, tco_srtp *rx, const uint8_t *in, size_t n, uint8_t *out,
                         size_t *out_n, bool *wrote_on_error)
{
    tco_status st;

    memset(out, SENTINEL, PKT_MAX);
    *out_n = 12345;
    st = tco_srtp_unprotect(rx, in, n, out, PKT_MAX, out_n);
    *wrote_on_error = st != TCO_OK && (!all_sentinel(out, PKT_MAX) || *out_n != 0);
    if (*wrote_on_error)
        note(c, "unprotect failed (%s) but wrote to out", tco_strerror(st));
    return st;
}

/* Unprotect a packet that must give back `p`. */
static bool recv_ok(const cfg *c, tco_srtp *rx, const rpkt *p, bool in_place)
{
    uint8_t buf[PKT_MAX];
    size_t dn = 0;
    tco_status st;

    if (in_place) {
        memcpy(buf, p->prot, p->n);
        st = tco_srtp_unprotect(rx, buf, p->n, buf, sizeof(buf), &dn);
    } else {
        st = tco_srtp_unprotect(rx, p->prot, p->n, buf, sizeof(buf), &dn);
    }
    if (st != TCO_OK || dn != p->pn || memcmp(buf, p->plain, dn) != 0) {
        note(c, "unprotect index %#llx (%s packet%s): %s, %zu octets", (unsigned long long)p->idx,
             roc_pkt(c, p->idx) ? "ROC" : "other", in_place ? ", in place" : "", tco_strerror(st),
             dn);
        return false;
    }
    return true;
}

static uint32_t roc_of(tco_srtp *s, uint32_t ssrc)
{
    uint32_t roc = 0xDEADBEEF;

    if (tco_srtp_get_roc(s, ssrc, &roc) != TCO_OK)
        return 0xDEADBEEF;
    return roc;
}

/* ----------------------------------------------------------------------------------------- */
/* 1, 2: ours -> packets equal to libsrtp2's, unprotected by ours; libsrtp2 -> ours. */

static void test_send_receive(cfg *c)
{
    int n = on_sim ? 24 : 300, bad_send = 0, bad_ref = 0, bad_a = 0, bad_b = 0, bad_nr = 0;
    int no_roc = 0, synced_at = -1;
    uint32_t ssrc_a = rand_ssrc(0), ssrc_b = rand_ssrc(ssrc_a), roc_b = 1 + t_below(1000);
    tco_srtp *tx = our_session(c), *rx = our_session(c);
    srtp_t lib_a = lib_sender(c, ssrc_a, 0), lib_b = lib_sender(c, ssrc_b, roc_b);
    rpkt *pa = malloc(sizeof(*pa)), *pb = calloc((size_t)n, sizeof(*pb));
    /* both start just before a SEQ wrap, with a first run across it */
    seqgen ga = seq_from(0xFFFF - t_below(16), 20 + t_below(40), c->rate);
    seqgen gb = seq_from((uint64_t)roc_b << 16 | (0xFFFF - t_below(16)), 20 + t_below(40), c->rate);
    bool have_roc = false;

    CHECK(tx && rx && lib_a && lib_b && pa && pb);
    if (!tx || !rx || !lib_a || !lib_b || !pa || !pb)
        goto out;
    /* stream a: the receiver has its ROC from key management; stream b: it has none */
    CHECK_ST(tco_srtp_set_roc(rx, ssrc_a, 0), TCO_OK);
    for (int i = 0; i < n; i++) {
        int r = send_one(c, tx, lib_a, pa, seq_next(&ga), ssrc_a, payload_len());
        bad_send += r == 1 || r == 3;
        bad_ref += r == 2;
        if (r != 1 && !recv_ok(c, rx, pa, i % 2))
            bad_a++;
    }
    /* libsrtp2 sends stream b; a few neighbours (index apart < 32) arrive swapped */
    for (int i = 0; i < n; i++) {
        rpkt *p = &pb[i];

        p->idx = seq_next(&gb);
        p->ssrc = ssrc_b;
        p->pn = make_rtp(p->plain, (uint16_t)p->idx, ssrc_b, payload_len());
        if (!lib_rcc(c, lib_b, p->plain, p->pn, p->idx, ssrc_b, p->prot, &p->n))
            bad_ref++;
    }
    for (int i = 0; i + 1 < n; i++) {
        if (t_below(8) == 0 && pb[i + 1].idx - pb[i].idx < 32) {
            rpkt t = pb[i];
            pb[i] = pb[i + 1];
            pb[i + 1] = t;
            i++;
        }
    }
    for (int i = 0; i < n; i++) {
        rpkt *p = &pb[i];
        uint8_t out[PKT_MAX];
        size_t dn;
        bool wrote;

        if (!have_roc && !roc_pkt(c, p->idx)) {
            /* no ROC yet: refused, nothing written, no stream context made */
            tco_status st = unprot(c, rx, p->prot, p->n, out, &dn, &wrote);
            bad_nr += st != TCO_ERR_NO_ROC || wrote ||
                      tco_srtp_get_roc(rx, ssrc_b, &(uint32_t){0}) != TCO_ERR_STATE;
            if (st != TCO_ERR_NO_ROC)
                note(c, "stream b before its first ROC packet: %s", tco_strerror(st));
            no_roc++;
            continue;
        }
        if (!recv_ok(c, rx, p, t_below(3) == 0)) {
            bad_b++;
        } else if (!have_roc) {
            have_roc = true;
            synced_at = i;
        }
    }
    if (c->rate == 1)
        CHECK(no_roc == 0 && synced_at == 0);
    CHECK(synced_at >= 0);
    CHECK(roc_of(rx, ssrc_a) == roc_of(tx, ssrc_a) &&
          roc_of(tx, ssrc_a) == (uint32_t)(pa->idx >> 16));
    CHECK(roc_of(rx, ssrc_b) == (uint32_t)(pb[n - 1].idx >> 16) ||
          roc_of(rx, ssrc_b) == (uint32_t)(pb[n - 2].idx >> 16));
    CHECK_CASES("ours -> RFC 4771 packet from libsrtp2, byte for byte", bad_send, n);
    CHECK_CASES("libsrtp2 reference follows the sequence", bad_ref, 2 * n);
    CHECK_CASES("ours -> ours (receiver with the ROC from key management)", bad_a, n);
    CHECK_CASES("libsrtp2 -> ours (receiver without ROC, after the first ROC packet)", bad_b,
                n - no_roc);
    CHECK_CASES("libsrtp2 -> ours before the first ROC packet: TCO_ERR_NO_ROC, nothing written",
                bad_nr, no_roc > 0 ? no_roc : 1);
out:
    free(pa);
    free(pb);
    if (lib_a)
        srtp_dealloc(lib_a);
    if (lib_b)
        srtp_dealloc(lib_b);
    tco_srtp_free(tx);
    tco_srtp_free(rx);
}

/* ----------------------------------------------------------------------------------------- */
/* 4: tampered, truncated and replayed packets on a receiver that has the ROC. */

/* Expected status of a ROC packet whose ROC field says `roc` on a receiver whose highest
 * index is top: RFC 3711 §3.3 checks replay (and age) before the tag. */
static tco_status tampered_roc_status(uint32_t roc, uint16_t seq, uint64_t top)
{
    uint64_t fi = (uint64_t)roc << 16 | seq;

    if (fi <= top && top - fi >= WINDOW)
        return TCO_ERR_TOO_OLD;
    return TCO_ERR_AUTH;
}

static void check_refused(const cfg *c, tco_srtp *rx, uint32_t ssrc, const uint8_t *in, size_t n,
                          tco_status want, uint32_t roc_before, int *bad, const char *what)
{
    uint8_t out[PKT_MAX];
    size_t dn;
    bool wrote;
    tco_status st = unprot(c, rx, in, n, out, &dn, &wrote);

    if (st != want || wrote || roc_of(rx, ssrc) != roc_before) {
        note(c, "%s: %s (want %s), ROC %u -> %u", what, tco_strerror(st), tco_strerror(want),
             roc_before, roc_of(rx, ssrc));
        (*bad)++;
    }
}

/* `tx` and `ref` have sent on ssrc up to index *cur; `rx` has received up to index `top`
 * (so it has the ROC). A ROC packet P and (R > 1) the packet Q after it, tampered with. */
static void test_integrity(cfg *c, tco_srtp *tx, srtp_t ref, tco_srtp *rx, uint32_t ssrc,
                           uint64_t *cur, uint64_t top)
{
    rpkt *p = malloc(sizeof(*p)), *q = malloc(sizeof(*q));
    uint8_t buf[PKT_MAX], out[PKT_MAX];
    uint64_t ip = *cur + 1;
    int bad = 0, cases = 0, bad_send = 0;
    bool auth = c->mode != TCO_SRTP_RCCM3, have_q = c->rate > 1;
    uint32_t roc0 = roc_of(rx, ssrc);
    size_t hp, mp, roc_off, dn;
    unsigned nflip = on_sim ? 4 : 32;

    if (p == NULL || q == NULL) {
        CHECK(!"memory");
        goto out;
    }
    while (!roc_pkt(c, ip))
        ip++;
    bad_send += send_one(c, tx, ref, p, ip, ssrc, 1 + t_below(300)) != 0;
    if (have_q)
        bad_send += send_one(c, tx, ref, q, ip + 1, ssrc, 1 + t_below(300)) != 0;
    *cur = have_q ? ip + 1 : ip;
    CHECK_CASES("integrity packets equal libsrtp2's", bad_send, have_q ? 2 : 1);
    hp = hdr_len(p->prot);
    mp = mac_len(c, true);
    roc_off = p->n - mp - 4;

    if (auth) {
        /* the ROC field: every bit (a few on sim:) */
        for (unsigned k = 0; k < nflip; k++) {
            unsigned b = on_sim ? t_below(32) : k;
            uint32_t roc = (uint32_t)(p->idx >> 16) ^ (1u << b);
            memcpy(buf, p->prot, p->n);
            wr32(buf + roc_off, roc);
            check_refused(c, rx, ssrc, buf, p->n, tampered_roc_status(roc, (uint16_t)p->idx, top),
                          roc0, &bad, "ROC field bit flipped");
            cases++;
        }
        /* the MAC */
        for (unsigned k = 0; k < (on_sim ? 4 : 8 * mp); k++) {
            unsigned b = on_sim ? t_below((unsigned)(8 * mp)) : k;
            memcpy(buf, p->prot, p->n);
            buf[p->n - mp + b / 8] ^= (uint8_t)(1u << (b % 8));
            check_refused(c, rx, ssrc, buf, p->n, TCO_ERR_AUTH, roc0, &bad, "MAC bit flipped");
            cases++;
        }
        /* the payload, else the timestamp (both authenticated) */
        for (unsigned k = 0; k < (on_sim ? 2u : 8u); k++) {
            size_t body = p->n - trailer_len(c, true);
            size_t at = body > hp ? hp + t_below((unsigned)(body - hp)) : 4 + t_below(4);
            memcpy(buf, p->prot, p->n);
            buf[at] ^= (uint8_t)(1u << t_below(8));
            check_refused(c, rx, ssrc, buf, p->n, TCO_ERR_AUTH, roc0, &bad,
                          "ROC packet body bit flipped");
            cases++;
        }
    }
    /* truncated: shorter than header + MKI + ROC + MAC */
    for (size_t len = hp; len < hp + trailer_len(c, true); len++) {
        check_refused(c, rx, ssrc, p->prot, len, TCO_ERR_TOO_SHORT, roc0, &bad,
                      "ROC packet truncated");
        cases++;
    }
    /* then the packet itself is fine, and only once */
    if (!recv_ok(c, rx, p, false))
        bad++;
    if (roc_of(rx, ssrc) != (uint32_t)(p->idx >> 16) || roc_of(tx, ssrc) != roc_of(rx, ssrc))
        bad++, note(c, "ROC after the good ROC packet: %u, sender %u", roc_of(rx, ssrc),
                    roc_of(tx, ssrc));
    roc0 = roc_of(rx, ssrc);
    check_refused(c, rx, ssrc, p->prot, p->n, TCO_ERR_REPLAY, roc0, &bad, "ROC packet replayed");
    memcpy(buf, p->prot, p->n);
    CHECK_ST(tco_srtp_unprotect(rx, buf, p->n, buf, sizeof(buf), &dn), TCO_ERR_REPLAY);
    CHECK(memcmp(buf, p->prot, p->n) == 0); /* in place: the input stays as it was */
    cases += 2;
    if (have_q) {
        size_t hq = hdr_len(q->prot), tq = trailer_len(c, false), body = q->n - tq;

        for (size_t len = hq; len < hq + tq; len++) {
            check_refused(c, rx, ssrc, q->prot, len, TCO_ERR_TOO_SHORT, roc0, &bad,
                          "other packet truncated");
            cases++;
        }
        if (c->mode == TCO_SRTP_RCCM2) {
            for (unsigned k = 0; k < (on_sim ? 2u : 16u); k++) {
                memcpy(buf, q->prot, q->n);
                buf[q->n - 1 - t_below((unsigned)c->tag)] ^= (uint8_t)(1u << t_below(8));
                check_refused(c, rx, ssrc, buf, q->n, TCO_ERR_AUTH, roc0, &bad,
                              "other packet's tag bit flipped");
                cases++;
            }
            if (!recv_ok(c, rx, q, true))
                bad++;
        } else if (body > hq) {
            /* no tag on this packet (modes 1, 3): a flipped payload bit goes through */
            size_t at = hq + t_below((unsigned)(body - hq));
            uint8_t mask = (uint8_t)(1u << t_below(8));
            memcpy(buf, q->prot, q->n);
            buf[at] ^= mask;
            memset(out, SENTINEL, sizeof(out));
            if (tco_srtp_unprotect(rx, buf, q->n, out, sizeof(out), &dn) != TCO_OK || dn != q->pn ||
                (out[at] ^= mask, memcmp(out, q->plain, dn) != 0))
                bad++, note(c, "other packet without tag, payload bit flipped: not as sent "
                               "but for that bit");
        } else if (!recv_ok(c, rx, q, false)) {
            bad++;
        }
        cases++;
        check_refused(c, rx, ssrc, q->prot, q->n, TCO_ERR_REPLAY, roc_of(rx, ssrc), &bad,
                      "other packet replayed");
        cases++;
    }
    CHECK_CASES("tampered, truncated, replayed: refused, receiver unchanged", bad, cases);
out:
    free(p);
    free(q);
}

/* ----------------------------------------------------------------------------------------- */
/* 3: a receiver that joins late, after several wraps of a sender that started at ROC 5. */

static void test_late_join(cfg *c)
{
    size_t cap = 4096, n = 0, j, k;
    rpkt *pk = malloc(cap * sizeof(*pk));
    uint32_t ssrc = rand_ssrc(0);
    tco_srtp *tx = our_session(c), *late = our_session(c);
    srtp_t ref = lib_sender(c, ssrc, 5);
    seqgen g = seq_from(5ull << 16 | t_below(65536), c->rate + t_below(c->rate + 8), c->rate);
    int bad_send = 0, bad_ref = 0, bad_recv = 0, bad_nr = 0, no_roc = 0, forged = 0;
    long synced = -1;
    size_t nr_pkt = SIZE_MAX; /* a packet refused with NO_ROC, sent again later */

    CHECK(pk && tx && late && ref);
    if (!pk || !tx || !late || !ref)
        goto out;
    CHECK_ST(tco_srtp_set_roc(tx, ssrc, 5), TCO_OK);
    /* the sender: ROC 5 into 9 (wraps 5-6, 6-7 before the join, 7-8, 8-9 after) */
    for (unsigned extra = c->rate + 2; n < cap && ((g.i >> 16) < 9 || extra-- > 0); n++) {
        int r =
            send_one(c, tx, ref, &pk[n], seq_next(&g), ssrc, on_sim ? t_below(200) : payload_len());
        bad_send += r == 1 || r == 3;
        bad_ref += r == 2;
    }
    CHECK(n < cap && roc_of(tx, ssrc) >= 9 && roc_of(tx, ssrc) == (uint32_t)(pk[n - 1].idx >> 16));
    CHECK_CASES("ours from ROC 5 across wraps -> libsrtp2's packets", bad_send + bad_ref, (int)n);
    /* the join: a random packet of ROC 7; a non-ROC packet first where there are some */
    {
        size_t lo = 0, hi;
        while (lo < n && (pk[lo].idx >> 16) < 7)
            lo++;
        hi = lo;
        while (hi < n && (pk[hi].idx >> 16) < 8)
            hi++;
        CHECK(hi > lo);
        if (hi <= lo)
            goto out;
        j = lo + t_below((unsigned)(hi - lo));
        for (k = 0; k < 16 && c->rate > 1 && j + 1 < hi && roc_pkt(c, pk[j].idx); k++)
            j++;
    }
    CHECK_ST(tco_srtp_get_roc(late, ssrc, &(uint32_t){0}), TCO_ERR_STATE);
    for (k = j; k < n; k++) {
        rpkt *p = &pk[k];
        uint8_t out[PKT_MAX], buf[PKT_MAX];
        size_t dn;
        bool wrote;
        tco_status st;

        if (synced < 0 && !roc_pkt(c, p->idx)) {
            st = unprot(c, late, p->prot, p->n, out, &dn, &wrote);
            if (st != TCO_ERR_NO_ROC || wrote) {
                bad_nr++;
                note(c, "late join, index %#llx before the first ROC packet: %s",
                     (unsigned long long)p->idx, tco_strerror(st));
            }
            no_roc++;
            nr_pkt = k;
            continue;
        }
        if (synced < 0 && c->mode != TCO_SRTP_RCCM3) {
            /* first a forged copy (ROC field changed): refused, and it teaches nothing */
            uint32_t roc = (uint32_t)(p->idx >> 16) ^ (1u << t_below(32));
            memcpy(buf, p->prot, p->n);
            wr32(buf + p->n - mac_len(c, true) - 4, roc);
            st = unprot(c, late, buf, p->n, out, &dn, &wrote);
            forged++;
            if (st != TCO_ERR_AUTH || wrote ||
                tco_srtp_get_roc(late, ssrc, &(uint32_t){0}) != TCO_ERR_STATE) {
                bad_nr++;
                note(c, "late join, forged first ROC packet: %s", tco_strerror(st));
            }
            if (nr_pkt != SIZE_MAX) {
                st = unprot(c, late, pk[nr_pkt].prot, pk[nr_pkt].n, out, &dn, &wrote);
                forged++;
                if (st != TCO_ERR_NO_ROC || wrote) {
                    bad_nr++;
                    note(c, "late join, after a forged ROC packet: %s", tco_strerror(st));
                }
            }
        }
        if (!recv_ok(c, late, p, t_below(4) == 0))
            bad_recv++;
        else if (synced < 0)
            synced = (long)k;
    }
    CHECK(synced >= 0);
    if (synced >= 0) {
        /* it followed across at least one more wrap after it synchronised */
        CHECK((pk[n - 1].idx >> 16) > (pk[synced].idx >> 16));
        CHECK(c->rate > 1 || no_roc == 0);
    }
    CHECK(roc_of(late, ssrc) == roc_of(tx, ssrc) &&
          roc_of(tx, ssrc) == (uint32_t)(pk[n - 1].idx >> 16));
    CHECK_CASES("late joiner: NO_ROC (nothing written) before the first ROC packet, forged "
                "ROC packets refused",
                bad_nr, no_roc + forged > 0 ? no_roc + forged : 1);
    CHECK_CASES("late joiner: every packet from the first ROC packet on", bad_recv,
                (int)(n - j) - no_roc);
    {
        uint64_t cur = pk[n - 1].idx;
        test_integrity(c, tx, ref, late, ssrc, &cur, pk[n - 1].idx);
    }
out:
    free(pk);
    if (ref)
        srtp_dealloc(ref);
    tco_srtp_free(tx);
    tco_srtp_free(late);
}

/* Soft: only. Every packet from ROC 5 SEQ ~0xFF00 to ROC 9 (four wraps, ~200000 packets), a
 * receiver joining at a random packet of ROC 7: no jumps, every SEQ. */
static void test_late_join_dense(cfg *c)
{
    uint32_t ssrc = rand_ssrc(0);
    tco_srtp *tx = our_session(c), *late = our_session(c);
    srtp_t ref = lib_sender(c, ssrc, 5);
    rpkt *p = malloc(sizeof(*p));
    uint64_t i = 5ull << 16 | (0xFFFF - t_below(256)), end = 9ull << 16 | 0x100;
    uint64_t join = 7ull << 16 | t_below(65536) | (c->rate > 1), synced = 0; /* not a ROC packet */
    long sent = 0, bad_send = 0, bad_recv = 0, bad_nr = 0, no_roc = 0, recvd = 0;

    CHECK(tx && late && ref && p);
    if (!tx || !late || !ref || !p)
        goto out;
    CHECK_ST(tco_srtp_set_roc(tx, ssrc, 5), TCO_OK);
    for (; i < end; i++) {
        int r = send_one(c, tx, ref, p, i, ssrc, 8 + t_below(40));
        sent++;
        if (r != 0) {
            bad_send++;
            continue;
        }
        if (i < join)
            continue;
        if (synced == 0 && !roc_pkt(c, i)) {
            uint8_t out[PKT_MAX];
            size_t dn;
            bool wrote;
            no_roc++;
            bad_nr += unprot(c, late, p->prot, p->n, out, &dn, &wrote) != TCO_ERR_NO_ROC || wrote;
            continue;
        }
        recvd++;
        if (!recv_ok(c, late, p, (i & 1) != 0))
            bad_recv++;
        else if (synced == 0)
            synced = i;
    }
    fprintf(stderr, "%s: dense, %ld packets sent, receiver from %#llx, %ld NO_ROC\n", c->name, sent,
            (unsigned long long)join, no_roc);
    CHECK(synced != 0 && (synced >> 16) == 7 && no_roc == (long)(synced - join));
    CHECK(roc_of(late, ssrc) == 9 && roc_of(tx, ssrc) == 9);
    CHECK_CASES("dense: ours -> libsrtp2's packets, four wraps", (int)bad_send, (int)sent);
    CHECK_CASES("dense: late joiner NO_ROC", (int)bad_nr, (int)(no_roc ? no_roc : 1));
    CHECK_CASES("dense: late joiner receives every packet after the first ROC packet",
                (int)bad_recv, (int)recvd);
out:
    free(p);
    if (ref)
        srtp_dealloc(ref);
    tco_srtp_free(tx);
    tco_srtp_free(late);
}

/* ----------------------------------------------------------------------------------------- */
/* 6: batches against single calls, over a late join with replays, reordering, tampering and
 * truncation, two streams interleaved (one joined late, one with its ROC set). */

typedef struct fed {
    const rpkt *src; /* the packet it came from */
    bool changed;    /* tampered or truncated */
    size_t n;
    uint8_t in[PKT_MAX];
} fed;

/* A copy with one bit flipped where the receiver's state cannot move under it: anywhere after
 * the header in modes 1, 2 (the MAC covers the ROC field; mode 1 packets without ROC, which
 * nothing protects, only in the MKI or payload), in mode 3 only in the MKI or payload (not
 * the ROC field, which nothing protects). A changed SEQ could move the index far. */
static bool tamper(const cfg *c, const rpkt *p, fed *f)
{
    size_t h = hdr_len(p->prot), at;
    bool with_roc = roc_pkt(c, p->idx);

    if (c->mode == TCO_SRTP_RCCM3 || (c->mode == TCO_SRTP_RCCM1 && !with_roc)) {
        size_t end = p->n - (with_roc ? 4 : 0); /* mode 3: no MAC after the ROC */
        if (end <= h)
            return false;
        at = h + t_below((unsigned)(end - h));
    } else {
        at = h + t_below((unsigned)(p->n - h));
    }
    f->src = p;
    f->changed = true;
    f->n = p->n;
    memcpy(f->in, p->prot, p->n);
    f->in[at] ^= (uint8_t)(1u << t_below(8));
    return true;
}

static void test_batches(cfg *c)
{
    int total = on_sim ? 60 : 500, nf = 0, bad = 0, bad_buf = 0, bad_plain = 0, bad_ret = 0;
    int counts[32] = {0};
    rpkt *pk = calloc((size_t)total, sizeof(*pk));
    fed *fd = calloc((size_t)total * 2 + 8, sizeof(*fd));
    uint32_t ssrc[2];
    seqgen g[2];
    tco_srtp *tx = our_session(c), *rb = our_session(c), *rs = our_session(c);
    size_t j = 0;

    ssrc[0] = rand_ssrc(0);
    ssrc[1] = rand_ssrc(ssrc[0]);
    g[0] = seq_from(5ull << 16 | (0xFFFF - t_below(300)), c->rate + t_below(40), c->rate);
    g[1] = seq_from(2ull << 16 | t_below(65536), c->rate + t_below(40), c->rate);
    CHECK(pk && fd && tx && rb && rs);
    if (!pk || !fd || !tx || !rb || !rs)
        goto out;
    CHECK_ST(tco_srtp_set_roc(tx, ssrc[0], 5), TCO_OK);
    CHECK_ST(tco_srtp_set_roc(tx, ssrc[1], 2), TCO_OK);
    for (int i = 0; i < total; i++) {
        int s = t_below(3) == 0;
        bad += send_one(c, tx, NULL, &pk[i], seq_next(&g[s]), ssrc[s],
                        on_sim ? t_below(200) : payload_len()) != 0;
    }
    CHECK_CASES("batch test packets protected", bad, total);
    bad = 0;
    /* start on stream 0 with a packet without ROC (when R > 1) */
    for (int tries = 0; tries < 1000; tries++) {
        j = t_below((unsigned)total / 4);
        if (pk[j].ssrc == ssrc[0] && (c->rate == 1 || !roc_pkt(c, pk[j].idx)))
            break;
    }
    /* stream 1: the receivers have its ROC from key management */
    for (size_t k = j; k < (size_t)total; k++) {
        if (pk[k].ssrc == ssrc[1]) {
            CHECK_ST(tco_srtp_set_roc(rb, ssrc[1], (uint32_t)(pk[k].idx >> 16)), TCO_OK);
            CHECK_ST(tco_srtp_set_roc(rs, ssrc[1], (uint32_t)(pk[k].idx >> 16)), TCO_OK);
            break;
        }
    }
    /* what arrives: the packets from j, some swapped with the one before, replays of earlier
     * ones, tampered and truncated copies */
    for (size_t k = j; k < (size_t)total; k++) {
        unsigned r = t_below(100);
        fed *f = &fd[nf];

        f->src = &pk[k];
        f->changed = false;
        f->n = pk[k].n;
        memcpy(f->in, pk[k].prot, pk[k].n);
        nf++;
        if (r < 10 && nf >= 3 && f[-1].src->ssrc == f->src->ssrc &&
            f->src->idx - f[-1].src->idx < 32) {
            fed t = f[-1];
            f[-1] = *f;
            *f = t;
        } else if (r < 18 && k > j) {
            /* a replay of one of the last packets, not older than 0x7000 in its stream (a
             * packet without MAC that old would be placed in another ROC, modes 1, 3) */
            const rpkt *o = &pk[k - 1 - t_below((unsigned)(k - j < 24 ? k - j : 24))];
            size_t last = k;
            while (pk[last].ssrc != o->ssrc)
                last--;
            if (pk[last].idx - o->idx < 0x7000) {
                f = &fd[nf++];
                f->src = o;
                f->changed = false;
                f->n = o->n;
                memcpy(f->in, o->prot, o->n);
            }
        } else if (r < 26) {
            if (tamper(c, &pk[k], &fd[nf]))
                nf++;
        } else if (r < 30) {
            /* truncated; in mode 3 a ROC packet only below its trailer (cut elsewhere its
             * ROC field would be read from other octets, and nothing protects it) */
            size_t lim = pk[k].n;
            if (c->mode == TCO_SRTP_RCCM3 && roc_pkt(c, pk[k].idx))
                lim = hdr_len(pk[k].prot) + trailer_len(c, true);
            f = &fd[nf++];
            f->src = &pk[k];
            f->changed = true;
            f->n = t_below((unsigned)lim);
            memcpy(f->in, pk[k].prot, f->n);
        }
    }
    /* in batches of 1..100 (1..20 on sim:), the first one past stream 0's first ROC packet */
    {
        int first = 0, at = 0;
        while (first < nf && !(fd[first].src->ssrc == ssrc[0] && roc_pkt(c, fd[first].src->idx)))
            first++;
        while (at < nf) {
            int m = 1 + (int)t_below(on_sim ? 20 : 100);
            tco_srtp_pkt bp[100];
            uint8_t(*bo)[PKT_MAX];
            tco_status ret, want_ret = TCO_OK;

            if (at == 0 && m < first + 4)
                m = first + 4 < 100 ? first + 4 : 100;
            if (m > nf - at)
                m = nf - at;
            bo = malloc(sizeof(*bo) * (size_t)m * 2);
            if (bo == NULL) {
                CHECK(!"memory");
                break;
            }
            for (int b = 0; b < m; b++) {
                fed *f = &fd[at + b];
                bool in_place = t_below(3) == 0;
                uint8_t *ob = bo[2 * b], *os = bo[2 * b + 1];

                if (in_place) {
                    memcpy(ob, f->in, f->n);
                    memset(ob + f->n, SENTINEL, PKT_MAX - f->n);
                    memcpy(os, ob, PKT_MAX);
                } else {
                    memset(ob, SENTINEL, PKT_MAX);
                    memset(os, SENTINEL, PKT_MAX);
                }
                bp[b].in = in_place ? ob : f->in;
                bp[b].len = f->n;
                bp[b].out = ob;
                bp[b].cap = PKT_MAX;
                bp[b].out_len = 777;
                bp[b].status = (tco_status)-1;
            }
            ret = tco_srtp_unprotect_batch(rb, bp, (size_t)m);
            for (int b = 0; b < m; b++) {
                fed *f = &fd[at + b];
                uint8_t *os = bo[2 * b + 1];
                bool in_place = bp[b].in == bp[b].out;
                size_t dn = 0;
                tco_status st =
                    tco_srtp_unprotect(rs, in_place ? os : f->in, f->n, os, PKT_MAX, &dn);

                if (want_ret == TCO_OK)
                    want_ret = st;
                if ((unsigned)st < 32)
                    counts[st]++;
                if (bp[b].status != st || (st == TCO_OK && bp[b].out_len != dn) ||
                    (st != TCO_OK && bp[b].out_len != 0)) {
                    bad++;
                    note(c,
                         "batch packet %d (index %#llx%s%s): batch %s out_len %zu, single %s "
                         "out_len %zu",
                         at + b, (unsigned long long)f->src->idx, f->changed ? ", changed" : "",
                         in_place ? ", in place" : "", tco_strerror(bp[b].status), bp[b].out_len,
                         tco_strerror(st), dn);
                } else if (memcmp(bp[b].out, os, PKT_MAX) != 0) {
                    /* the buffer after the batch differs from the one after the single
                     * call: for a failure, the batch wrote where the single call wrote
                     * nothing */
                    bad_buf++;
                    if (st == TCO_OK)
                        bad++, note(c, "batch packet %d: OK but output differs", at + b);
                }
                if (st == TCO_OK && !f->changed &&
                    (dn != f->src->pn || memcmp(os, f->src->plain, dn) != 0))
                    bad_plain++;
            }
            if (ret != want_ret)
                bad_ret++, note(c, "batch returned %s, first failure %s", tco_strerror(ret),
                                tco_strerror(want_ret));
            free(bo);
            at += m;
        }
    }
    CHECK(roc_of(rb, ssrc[0]) == roc_of(rs, ssrc[0]) && roc_of(rb, ssrc[1]) == roc_of(rs, ssrc[1]));
    CHECK(counts[TCO_OK] > 0 && counts[TCO_ERR_REPLAY] + counts[TCO_ERR_TOO_OLD] > 0);
    if (c->rate > 1)
        CHECK(counts[TCO_ERR_NO_ROC] > 0);
    CHECK_CASES("batch statuses and out_len as single calls", bad, nf);
    CHECK_CASES("batch: buffers as single calls leave them (a failure writes nothing)", bad_buf,
                nf);
    CHECK_CASES("batch: unchanged packets that pass give the RTP packet", bad_plain, nf);
    CHECK_CASES("batch return value: the first failure", bad_ret, 1);
out:
    free(pk);
    free(fd);
    tco_srtp_free(tx);
    tco_srtp_free(rb);
    tco_srtp_free(rs);
}

/* ----------------------------------------------------------------------------------------- */
/* 5: policies */

static void test_create(void)
{
    tco_srtp_policy pol = {0};
    tco_srtp *s = (tco_srtp *)&pol;
    uint8_t key[30], pkt[64] = {0x80, 0, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4}, out[128];
    size_t n;

    t_fill(key, sizeof(key));
    pol.profile = TCO_SRTP_AES128_CM_SHA1_32;
    for (unsigned m = TCO_SRTP_RCCM1; m <= TCO_SRTP_RCCM2; m++) {
        pol.rcc_mode = m;
        pol.rcc_rate = 1 + t_below(16);
        s = (tco_srtp *)&pol;
        CHECK_ST(tco_srtp_create(dev, &pol, &s), TCO_ERR_INVALID_ARG);
        CHECK(s == NULL);
    }
    pol.rcc_mode = TCO_SRTP_RCCM3;
    CHECK_ST(tco_srtp_create(dev, &pol, &s), TCO_OK);
    tco_srtp_free(s);
    for (int pi = 0; pi < 3; pi++) {
        pol.profile = profs[pi].ours;
        pol.rcc_mode = 4;
        pol.rcc_rate = 1;
        CHECK_ST(tco_srtp_create(dev, &pol, &s), TCO_ERR_INVALID_ARG);
        pol.rcc_mode = 1000;
        CHECK_ST(tco_srtp_create(dev, &pol, &s), TCO_ERR_INVALID_ARG);
        pol.rcc_mode = TCO_SRTP_RCCM3;
        pol.rcc_rate = 65536;
        CHECK_ST(tco_srtp_create(dev, &pol, &s), TCO_ERR_INVALID_ARG);
        pol.rcc_rate = 65535;
        CHECK_ST(tco_srtp_create(dev, &pol, &s), TCO_OK);
        tco_srtp_free(s);
    }
    /* rcc_rate 0 is R = 1: every packet carries the ROC (mode 1: ROC || 6 octets of MAC) */
    pol.profile = TCO_SRTP_AES128_CM_SHA1_80;
    pol.rcc_mode = TCO_SRTP_RCCM1;
    pol.rcc_rate = 0;
    CHECK_ST(tco_srtp_create(dev, &pol, &s), TCO_OK);
    if (s) {
        CHECK_ST(tco_srtp_add_key(s, key, 30, NULL), TCO_OK);
        for (uint16_t seq = 1; seq < 4; seq++) {
            pkt[3] = (uint8_t)seq;
            CHECK_ST(tco_srtp_protect(s, pkt, 40, out, sizeof(out), &n), TCO_OK);
            CHECK(n == 40 + 4 + 6 && out[40] == 0 && out[43] == 0);
        }
        tco_srtp_free(s);
    }
}

static void make_cfg(cfg *c, const lprof *p, unsigned mode, unsigned rate, size_t mki_len)
{
    memset(c, 0, sizeof(*c));
    c->p = p;
    c->mode = mode;
    c->rate = rate;
    c->mki_len = mki_len;
    c->tag = tco_srtp_tag_len(p->ours);
    t_fill(c->key, sizeof(c->key));
    t_fill(c->mki, sizeof(c->mki));
    snprintf(c->name, sizeof(c->name), "%s RCCm%u R=%u mki %zu", tco_srtp_profile_name(p->ours),
             mode, rate, mki_len);
}

/* Two batches the random test above runs into, written out. Each is checked against the same
 * calls one by one on a twin receiver, and against the status RFC 3711/4771 give. */
static void test_batch_corners(void)
{
    cfg c;
    uint32_t ssrc = rand_ssrc(0);
    rpkt *pk = calloc(4, sizeof(*pk));
    tco_srtp *tx, *rb, *rs;
    uint8_t ob[2][PKT_MAX], os[PKT_MAX], fake[PKT_MAX];
    tco_srtp_pkt bp[2];
    size_t dn;

    if (pk == NULL)
        return;
    /* 1. A replay of a ROC packet after a packet that moves the window past it: one by one
     * the replay is behind the window (TCO_ERR_TOO_OLD); the batch must not decide it
     * against the state before the first packet (TCO_ERR_REPLAY). */
    make_cfg(&c, &profs[0], TCO_SRTP_RCCM2, 1, 0);
    tx = our_session(&c);
    rb = our_session(&c);
    rs = our_session(&c);
    CHECK(tx && rb && rs);
    if (tx && rb && rs) {
        CHECK_ST(tco_srtp_set_roc(tx, ssrc, 3), TCO_OK);
        CHECK(send_one(&c, tx, NULL, &pk[0], 3ull << 16 | 100, ssrc, 40) == 0);
        CHECK(send_one(&c, tx, NULL, &pk[1], 3ull << 16 | 300, ssrc, 40) == 0);
        CHECK(recv_ok(&c, rb, &pk[0], false) && recv_ok(&c, rs, &pk[0], false));
        CHECK(recv_ok(&c, rs, &pk[1], false));
        CHECK_ST(tco_srtp_unprotect(rs, pk[0].prot, pk[0].n, os, PKT_MAX, &dn), TCO_ERR_TOO_OLD);
        bp[0] = (tco_srtp_pkt){pk[1].prot, pk[1].n, ob[0], PKT_MAX, 0, TCO_OK};
        bp[1] = (tco_srtp_pkt){pk[0].prot, pk[0].n, ob[1], PKT_MAX, 0, TCO_OK};
        CHECK_ST(tco_srtp_unprotect_batch(rb, bp, 2), TCO_ERR_TOO_OLD);
        CHECK_ST(bp[0].status, TCO_OK);
        CHECK_ST(bp[1].status, TCO_ERR_TOO_OLD); /* srtp.c gives TCO_ERR_REPLAY */
    }
    tco_srtp_free(tx);
    tco_srtp_free(rb);
    tco_srtp_free(rs);
    /* 2. Mode 1: a ROC packet with a forged ROC field (higher), then the next packet, which
     * has no tag. One by one: AUTH, then OK (placed by the receiver's own ROC). The batch
     * estimated the second packet from the forged index; at commit it must run it again
     * under the real one, not call it an authentication failure (it has no tag). */
    make_cfg(&c, &profs[0], TCO_SRTP_RCCM1, 4, 0);
    tx = our_session(&c);
    rb = our_session(&c);
    rs = our_session(&c);
    CHECK(tx && rb && rs);
    if (tx && rb && rs) {
        CHECK_ST(tco_srtp_set_roc(tx, ssrc, 3), TCO_OK);
        CHECK(send_one(&c, tx, NULL, &pk[0], 3ull << 16 | 96, ssrc, 40) == 0);
        CHECK(send_one(&c, tx, NULL, &pk[1], 3ull << 16 | 100, ssrc, 40) == 0);
        CHECK(send_one(&c, tx, NULL, &pk[2], 3ull << 16 | 101, ssrc, 40) == 0);
        CHECK(recv_ok(&c, rb, &pk[0], false) && recv_ok(&c, rs, &pk[0], false));
        memcpy(fake, pk[1].prot, pk[1].n);
        wr32(fake + pk[1].n - 10, 7); /* ROC 3 -> 7 (the 6-octet MAC is after it) */
        CHECK_ST(tco_srtp_unprotect(rs, fake, pk[1].n, os, PKT_MAX, &dn), TCO_ERR_AUTH);
        CHECK(recv_ok(&c, rs, &pk[2], false));
        bp[0] = (tco_srtp_pkt){fake, pk[1].n, ob[0], PKT_MAX, 0, TCO_OK};
        bp[1] = (tco_srtp_pkt){pk[2].prot, pk[2].n, ob[1], PKT_MAX, 0, TCO_OK};
        CHECK_ST(tco_srtp_unprotect_batch(rb, bp, 2), TCO_ERR_AUTH);
        CHECK_ST(bp[0].status, TCO_ERR_AUTH);
        CHECK_ST(bp[1].status, TCO_OK); /* srtp.c gives TCO_ERR_AUTH */
        CHECK(bp[1].status != TCO_OK ||
              (bp[1].out_len == pk[2].pn && memcmp(ob[1], pk[2].plain, pk[2].pn) == 0));
        /* the same in place: the packet's input must survive for the second run */
        CHECK(send_one(&c, tx, NULL, &pk[3], 3ull << 16 | 102, ssrc, 40) == 0);
        CHECK_ST(tco_srtp_unprotect(rs, fake, pk[1].n, os, PKT_MAX, &dn), TCO_ERR_AUTH);
        CHECK(recv_ok(&c, rs, &pk[3], true));
        memcpy(ob[1], pk[3].prot, pk[3].n);
        bp[0] = (tco_srtp_pkt){fake, pk[1].n, ob[0], PKT_MAX, 0, TCO_OK};
        bp[1] = (tco_srtp_pkt){ob[1], pk[3].n, ob[1], PKT_MAX, 0, TCO_OK};
        CHECK_ST(tco_srtp_unprotect_batch(rb, bp, 2), TCO_ERR_AUTH);
        CHECK_ST(bp[1].status, TCO_OK);
        CHECK(bp[1].status != TCO_OK ||
              (bp[1].out_len == pk[3].pn && memcmp(ob[1], pk[3].plain, pk[3].pn) == 0));
        CHECK(roc_of(rb, ssrc) == 3 && roc_of(rs, ssrc) == 3);
    }
    tco_srtp_free(tx);
    tco_srtp_free(rb);
    tco_srtp_free(rs);
    free(pk);
}

/* ----------------------------------------------------------------------------------------- */

static void run_config(cfg *c)
{
    int before = t_fail;

    diag_left = 8;
    test_send_receive(c);
    test_late_join(c);
    test_batches(c);
    fprintf(stderr, "%s: %s\n", c->name, t_fail == before ? "ok" : "FAILED");
}

int main(void)
{
    const char *uri = getenv("TCO_TEST_DEV") ? getenv("TCO_TEST_DEV") : "soft:";
    static const unsigned rates[] = {1, 4, 16};
    int configs = 0;

    t_seed(0x4771ull);
    on_sim = strncmp(uri, "sim:", 4) == 0;
    if (srtp_init() != srtp_err_status_ok) {
        fprintf(stderr, "srtp_init failed\n");
        return 1;
    }
    CHECK_ST(tco_open(&dev, uri), TCO_OK);
    if (dev == NULL)
        return t_done("test_srtp_rcc");
    test_create();
    test_batch_corners();
    for (size_t pi = 0; pi < sizeof(profs) / sizeof(profs[0]); pi++) {
        for (unsigned mode = TCO_SRTP_RCCM1; mode <= TCO_SRTP_RCCM3; mode++) {
            if (tco_srtp_tag_len(profs[pi].ours) == 4 && mode != TCO_SRTP_RCCM3)
                continue; /* refused (test_create) */
            for (size_t ri = 0; ri < sizeof(rates) / sizeof(rates[0]); ri++) {
                for (size_t mki_len = 0; mki_len <= 4; mki_len += 4) {
                    cfg c;
                    make_cfg(&c, &profs[pi], mode, rates[ri], mki_len);
                    run_config(&c);
                    configs++;
                }
            }
        }
    }
    if (!on_sim) {
        /* every SEQ across four wraps, two configurations */
        cfg c;
        make_cfg(&c, &profs[0], TCO_SRTP_RCCM1, 16, 4);
        test_late_join_dense(&c);
        make_cfg(&c, &profs[1], TCO_SRTP_RCCM2, 4, 0);
        test_late_join_dense(&c);
    }
    printf("%d configurations on %s\n", configs, uri);
    tco_close(dev);
    srtp_shutdown();
    return t_done("test_srtp_rcc");
}
