/* SPDX-License-Identifier: Apache-2.0 */
/* MBMS traffic: the broadcast stream (SRTP under traffic keys below the group key, MKI =
 * MSK ID || MTK ID, RFC 4771 ROC carrying) and download objects, through joins and leaves.
 * Every member present when a packet is sent decrypts it; a departed member cannot decrypt
 * packets sent after its leave, a member that joined with rekey cannot decrypt packets sent
 * before its join; a receiver that joins after several ROC wraps synchronises from the first
 * ROC-carrying packet. Download objects open for members of their group key version only,
 * and any change to one is refused with nothing written.
 *
 * usage: test_mbms_stream   (TCO_TEST_DEV selects the backend, default soft:) */
#include "tcheck.h"
#include "tco.h"
#include "tco_mbms.h"
#include "tco_srtp.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static tco_dev *dev;
static bool on_sim;

#define SSRC 0x4D424D53u
#define NMEM 12

typedef struct rxm {
    tco_dev *dev; /* the receiver's own device (a UE): soft: */
    tco_mbms_member *m;
    tco_srtp *srtp;
    tco_mbms_rx *rx;
    uint8_t leaf[32];
    uint32_t id;
    bool present;
    bool backward; /* joined with rekey: must not read what was sent before */
} rxm;

typedef struct sent {
    uint8_t *pkt; /* SRTP packet */
    size_t len;
    uint8_t *rtp; /* the RTP packet it came from */
    size_t rtp_len;
    bool *may; /* [NMEM]: member i was present when it was sent */
} sent;

static size_t make_rtp(uint8_t *p, uint16_t seq, uint32_t ts, size_t plen)
{
    p[0] = 0x80;
    p[1] = 96;
    p[2] = (uint8_t)(seq >> 8);
    p[3] = (uint8_t)seq;
    p[4] = (uint8_t)(ts >> 24);
    p[5] = (uint8_t)(ts >> 16);
    p[6] = (uint8_t)(ts >> 8);
    p[7] = (uint8_t)ts;
    p[8] = (uint8_t)(SSRC >> 24);
    p[9] = (uint8_t)(SSRC >> 16);
    p[10] = (uint8_t)(SSRC >> 8);
    p[11] = (uint8_t)SSRC;
    t_fill(p + 12, plen);
    return 12 + plen;
}

static tco_srtp *session_on(tco_dev *d, tco_srtp_profile prof, unsigned rcc, unsigned rate)
{
    tco_srtp_policy pol;
    tco_srtp *s = NULL;

    memset(&pol, 0, sizeof(pol));
    pol.profile = prof;
    pol.mki_len = TCO_MBMS_MKI_LEN;
    pol.rcc_mode = rcc;
    pol.rcc_rate = rate;
    CHECK_ST(tco_srtp_create(d, &pol, &s), TCO_OK);
    return s;
}

static tco_srtp *session(tco_srtp_profile prof, unsigned rcc, unsigned rate)
{
    return session_on(dev, prof, rcc, rate);
}

static void rx_open(rxm *r, const tco_mbms_params *p, tco_srtp_profile prof, unsigned rcc,
                    unsigned rate)
{
    CHECK_ST(tco_mbms_member_create(p, r->id, r->leaf, p->key_len, &r->m), TCO_OK);
    CHECK_ST(tco_open(&r->dev, "soft:"), TCO_OK);
    r->srtp = session_on(r->dev, prof, rcc, rate);
    CHECK_ST(tco_mbms_rx_create(r->m, r->srtp, &r->rx), TCO_OK);
}

static void rx_close(rxm *r)
{
    tco_mbms_rx_free(r->rx);
    tco_srtp_free(r->srtp);
    tco_mbms_member_free(r->m);
    tco_close(r->dev);
    r->dev = NULL;
    r->rx = NULL;
    r->srtp = NULL;
    r->m = NULL;
}

/* Joins and leaves with a new traffic key after each, packets in between; then every member
 * receiver (present or not) tries every packet sent while it existed. */
static void stream_through_events(tco_srtp_profile prof, unsigned rcc, unsigned rate,
                                  int events)
{
    tco_mbms_params p;
    tco_mbms_server *srv = NULL;
    tco_srtp *tx;
    rxm r[NMEM];
    sent *log = NULL;
    size_t nlog = 0, caplog = 0;
    uint16_t seq = (uint16_t)t_rand();
    uint32_t mtk = 1;
    int bad_present = 0, leak_after = 0, leak_before = 0, tried = 0;

    memset(&p, 0, sizeof(p));
    p.arity = 2 + t_below(2);
    p.max_members = NMEM;
    p.key_len = t_below(2) ? 16 : 32;
    memset(r, 0, sizeof(r));
    CHECK_ST(tco_mbms_server_create(dev, &p, &srv), TCO_OK);
    tx = session(prof, rcc, rate);
    if (srv == NULL || tx == NULL)
        return;
    for (int e = 0; e < events; e++) {
        uint32_t present = 0;
        tco_mbms_msg uni = {0}, multi = {0};
        int who;

        for (int i = 0; i < NMEM; i++)
            present += r[i].present;
        who = (int)t_below(NMEM);
        if (!r[who].present && r[who].m == NULL) {
            /* a join (members do not come back: a fresh leaf key each time would need a
             * fresh receiver; keep one life per slot) */
            uint32_t id = 0;
            r[who].backward = present > 0 && t_below(3) != 0;
            t_fill(r[who].leaf, p.key_len);
            CHECK_ST(tco_mbms_join(srv, r[who].leaf, p.key_len, r[who].backward, &id, &uni,
                                   &multi),
                     TCO_OK);
            r[who].id = id;
            rx_open(&r[who], &p, prof, rcc, rate);
            if (rcc == 0) {
                /* without RFC 4771 the ROC comes from key management */
                uint32_t roc = 0;
                if (tco_srtp_get_roc(tx, SSRC, &roc) == TCO_OK)
                    CHECK_ST(tco_srtp_set_roc(r[who].srtp, SSRC, roc), TCO_OK);
            }
            for (int i = 0; i < NMEM; i++)
                if (r[i].present && multi.len)
                    CHECK_ST(tco_mbms_member_process(r[i].m, multi.data, multi.len), TCO_OK);
            CHECK_ST(tco_mbms_member_process(r[who].m, uni.data, uni.len), TCO_OK);
            r[who].present = true;
        } else if (r[who].present && present > 1) {
            CHECK_ST(tco_mbms_leave(srv, r[who].id, &multi), TCO_OK);
            r[who].present = false;
            for (int i = 0; i < NMEM; i++)
                if (r[i].m != NULL && multi.len) /* departed ones hear it too, in vain */
                    CHECK_ST(tco_mbms_member_process(r[i].m, multi.data, multi.len),
                             r[i].present ? TCO_OK : TCO_ERR_STATE);
        } else {
            continue;
        }
        /* a new traffic key under the new group key, then a few packets */
        CHECK_ST(tco_mbms_srtp_rekey(srv, tx, mtk++), TCO_OK);
        for (int k = 0, n = 1 + (int)t_below(on_sim ? 4 : 12); k < n; k++) {
            uint8_t rtp[300];
            size_t rl = make_rtp(rtp, seq, (uint32_t)seq * 160u, t_below(200)), ol = 0;
            sent *sp;
            if (nlog == caplog) {
                caplog = caplog ? 2 * caplog : 64;
                log = realloc(log, caplog * sizeof(*log));
            }
            sp = &log[nlog++];
            sp->pkt = malloc(rl + 64);
            sp->rtp = malloc(rl);
            sp->may = calloc(NMEM, sizeof(bool));
            memcpy(sp->rtp, rtp, rl);
            sp->rtp_len = rl;
            CHECK_ST(tco_srtp_protect(tx, rtp, rl, sp->pkt, rl + 64, &ol), TCO_OK);
            sp->len = ol;
            for (int i = 0; i < NMEM; i++)
                sp->may[i] = r[i].present;
            /* present members receive it now (in order, as a broadcast) */
            for (int i = 0; i < NMEM; i++) {
                uint8_t out[300];
                size_t got = 0;
                tco_status st;
                if (!r[i].present)
                    continue;
                st = tco_mbms_rx_unprotect(r[i].rx, sp->pkt, sp->len, out, sizeof(out), &got);
                if (st == TCO_ERR_NO_ROC)
                    continue; /* a new receiver waits for a ROC-carrying packet */
                tried++;
                if (st != TCO_OK || got != rl || memcmp(out, rtp, rl) != 0) {
                    bad_present++;
                    fprintf(stderr, "member %d packet %zu: %s\n", i, nlog - 1,
                            tco_strerror(st));
                }
            }
            seq++;
        }
    }
    /* departed members try every packet sent after they left; members try packets sent
     * before they joined (a fresh receiver for each, so the replay window does not hide a
     * leak): none may decrypt */
    for (int i = 0; i < NMEM; i++) {
        tco_srtp *s2;
        tco_mbms_rx *rx2 = NULL;
        bool was = false;
        if (r[i].m == NULL)
            continue;
        s2 = session_on(r[i].dev, prof, rcc, rate);
        CHECK_ST(tco_mbms_rx_create(r[i].m, s2, &rx2), TCO_OK);
        (void)tco_srtp_set_roc(s2, SSRC, 0); /* let packets without ROC be tried too */
        for (size_t k = 0; k < nlog; k++) {
            uint8_t out[300];
            size_t got = 0;
            tco_status st;
            if (log[k].may[i]) {
                was = true;
                continue;
            }
            st = tco_mbms_rx_unprotect(rx2, log[k].pkt, log[k].len, out, sizeof(out), &got);
            if (st == TCO_OK && memcmp(out, log[k].rtp, log[k].rtp_len) == 0) {
                if (was)
                    leak_after++;
                else if (r[i].backward)
                    leak_before++; /* (joined without rekey: the old group key is its) */
            }
        }
        tco_mbms_rx_free(rx2);
        tco_srtp_free(s2);
    }
    CHECK(tried > 0);
    CHECK_CASES("stream: present members decrypt", bad_present, tried);
    CHECK_CASES("stream: departed members decrypt nothing sent after", leak_after, (int)nlog);
    CHECK_CASES("stream: late members decrypt nothing sent before", leak_before, (int)nlog);
    for (size_t k = 0; k < nlog; k++) {
        free(log[k].pkt);
        free(log[k].rtp);
        free(log[k].may);
    }
    free(log);
    for (int i = 0; i < NMEM; i++)
        rx_close(&r[i]);
    tco_srtp_free(tx);
    tco_mbms_server_free(srv);
}

/* A receiver that joins after several ROC wraps: nothing before the first ROC-carrying
 * packet, everything after it (across the next SEQ wrap too). */
static void late_joiner(unsigned rcc, unsigned rate)
{
    tco_mbms_params p = {2, 8, 16, NULL, 0};
    tco_mbms_server *srv = NULL;
    tco_srtp *tx;
    rxm r;
    tco_mbms_msg uni = {0}, multi = {0};
    uint8_t other[16];
    uint32_t id = 0, roc_tx = 0, roc_rx = 0;
    uint64_t first_wraps = on_sim ? 0 : 3; /* SEQ wraps really sent before the join */
    /* the receiver joins shortly before a SEQ wrap: the sender runs from seq0 to there */
    uint16_t target = (uint16_t)(0xFFFF - 2 * rate - t_below(40));
    uint16_t seq = (uint16_t)(target - 1 - t_below(on_sim ? 50 : 30000));
    int refused = 0, decrypted = 0, wrong = 0, synced_at = -1;

    memset(&r, 0, sizeof(r));
    CHECK_ST(tco_mbms_server_create(dev, &p, &srv), TCO_OK);
    tx = session(TCO_SRTP_AES128_CM_SHA1_80, rcc, rate);
    if (srv == NULL || tx == NULL)
        return;
    t_fill(other, 16);
    CHECK_ST(tco_mbms_join(srv, other, 16, 0, &id, &uni, &multi), TCO_OK);
    CHECK_ST(tco_mbms_srtp_rekey(srv, tx, 1), TCO_OK);
    /* the sender has been running for a while: its ROC is 2 (set), then it sends across
     * `first_wraps` more wraps (on sim: the ROC is set there, the SEQ wraps below are sent) */
    CHECK_ST(tco_srtp_set_roc(tx, SSRC, on_sim ? 5 : 2), TCO_OK);
    for (uint64_t k = 0, n = first_wraps * 65536 + (uint16_t)(target - seq); k < n; k++) {
        uint8_t rtp[64], pkt[128];
        size_t rl = make_rtp(rtp, seq, (uint32_t)k, 8), ol = 0;
        if (tco_srtp_protect(tx, rtp, rl, pkt, sizeof(pkt), &ol) != TCO_OK) {
            CHECK(!"sender protect");
            break;
        }
        seq++;
    }
    /* the receiver joins (with rekey: a new traffic key follows) */
    t_fill(r.leaf, 16);
    CHECK_ST(tco_mbms_join(srv, r.leaf, 16, 1, &r.id, &uni, &multi), TCO_OK);
    rx_open(&r, &p, TCO_SRTP_AES128_CM_SHA1_80, rcc, rate);
    CHECK_ST(tco_mbms_member_process(r.m, uni.data, uni.len), TCO_OK);
    CHECK_ST(tco_mbms_srtp_rekey(srv, tx, 2), TCO_OK);
    /* packets from here on, across one more SEQ wrap */
    CHECK(seq == target);
    for (int k = 0; k < (int)(4 * rate + 80); k++) {
        uint8_t rtp[80], pkt[160], out[160];
        size_t rl = make_rtp(rtp, seq, (uint32_t)k, 20), ol = 0, got = 0;
        tco_status st;
        CHECK_ST(tco_srtp_protect(tx, rtp, rl, pkt, sizeof(pkt), &ol), TCO_OK);
        st = tco_mbms_rx_unprotect(r.rx, pkt, ol, out, sizeof(out), &got);
        if (st == TCO_ERR_NO_ROC && synced_at < 0) {
            refused++;
            CHECK(got == 0);
        } else if (st == TCO_OK && got == rl && memcmp(out, rtp, rl) == 0) {
            if (synced_at < 0) {
                synced_at = k;
                CHECK(seq % rate == 0); /* the first one it takes carries the ROC */
            }
            decrypted++;
        } else {
            wrong++;
            fprintf(stderr, "late joiner packet %d (seq %u): %s\n", k, seq, tco_strerror(st));
        }
        seq++;
    }
    CHECK(synced_at >= 0 && synced_at < (int)rate);
    CHECK(refused == synced_at);
    CHECK(wrong == 0);
    CHECK(decrypted == (int)(4 * rate + 80) - synced_at);
    CHECK_ST(tco_srtp_get_roc(tx, SSRC, &roc_tx), TCO_OK);
    CHECK_ST(tco_srtp_get_roc(r.srtp, SSRC, &roc_rx), TCO_OK);
    CHECK(roc_rx == roc_tx && roc_tx >= (on_sim ? 6u : 5u));
    rx_close(&r);
    tco_srtp_free(tx);
    tco_mbms_server_free(srv);
}

/* Download objects: sizes around the chunk boundaries; tamper, truncate, wrong member. */
static void download(void)
{
    static const size_t sizes[] = {0, 1, 15, 16, 1023, 1024, 1025, 4096, 70000};
    tco_mbms_params p = {2, 4, 32, NULL, 0};
    tco_mbms_server *srv = NULL;
    tco_mbms_member *a = NULL, *b = NULL;
    tco_mbms_msg uni = {0}, multi = {0};
    uint8_t ka[32], kb[32];
    uint32_t ia = 0, ib = 0;
    int bad = 0, total = 0;

    CHECK_ST(tco_mbms_server_create(dev, &p, &srv), TCO_OK);
    if (srv == NULL)
        return;
    t_fill(ka, 32);
    t_fill(kb, 32);
    CHECK_ST(tco_mbms_join(srv, ka, 32, 0, &ia, &uni, &multi), TCO_OK);
    CHECK_ST(tco_mbms_member_create(&p, ia, ka, 32, &a), TCO_OK);
    CHECK_ST(tco_mbms_member_process(a, uni.data, uni.len), TCO_OK);
    for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
        size_t n = sizes[z], cap = tco_mbms_download_size(n), ol = 0, got = 0;
        uint8_t *in = malloc(n + 1), *obj = malloc(cap), *out = malloc(n + 1);
        uint64_t oid = t_rand();
        if (on_sim && n > 5000)
            n = 5000, cap = tco_mbms_download_size(n);
        t_fill(in, n);
        CHECK_ST(tco_mbms_download_seal(srv, 7, oid, in, n, obj, cap - 1, &ol),
                 TCO_ERR_BUFFER_SMALL);
        CHECK_ST(tco_mbms_download_seal(srv, 7, oid, in, n, obj, cap, &ol), TCO_OK);
        CHECK(ol == cap);
        total++;
        if (tco_mbms_member_download_open(a, obj, ol, out, n + 1, &got) != TCO_OK ||
            got != n || memcmp(out, in, n) != 0)
            bad++;
        /* ciphertext is not the plaintext */
        if (n >= 16)
            CHECK(memcmp(obj + TCO_MBMS_DL_HDR, in, 16) != 0);
        /* one flipped bit anywhere: refused, nothing written */
        for (int t = 0; t < 8; t++) {
            size_t at = t_below((unsigned)ol);
            uint8_t bit = (uint8_t)(1u << t_below(8));
            tco_status st;
            memset(out, 0xA5, n + 1);
            obj[at] ^= bit;
            st = tco_mbms_member_download_open(a, obj, ol, out, n + 1, &got);
            CHECK(st == TCO_ERR_AUTH || st == TCO_ERR_INVALID_ARG || st == TCO_ERR_STATE);
            for (size_t q = 0; q < n + 1; q++)
                if (out[q] != 0xA5) {
                    CHECK(!"download: output written on a refused object");
                    break;
                }
            obj[at] ^= bit;
        }
        CHECK_ST(tco_mbms_member_download_open(a, obj, ol - 1, out, n + 1, &got),
                 TCO_ERR_INVALID_ARG);
        if (n > 0)
            CHECK_ST(tco_mbms_member_download_open(a, obj, ol, out, n - 1, &got),
                     TCO_ERR_BUFFER_SMALL);
        free(in);
        free(obj);
        free(out);
    }
    CHECK_CASES("download: objects open", bad, total);
    /* a member that joined later (with rekey) cannot open an object of the old group key;
     * the earlier member can open the new one */
    {
        uint8_t in[100], obj[200], out[100];
        size_t ol = 0, got = 0;
        t_fill(in, sizeof(in));
        CHECK_ST(tco_mbms_download_seal(srv, 9, 1, in, sizeof(in), obj, sizeof(obj), &ol),
                 TCO_OK);
        CHECK_ST(tco_mbms_join(srv, kb, 32, 1, &ib, &uni, &multi), TCO_OK);
        CHECK_ST(tco_mbms_member_create(&p, ib, kb, 32, &b), TCO_OK);
        CHECK_ST(tco_mbms_member_process(b, uni.data, uni.len), TCO_OK);
        CHECK_ST(tco_mbms_member_process(a, multi.data, multi.len), TCO_OK);
        CHECK_ST(tco_mbms_member_download_open(b, obj, ol, out, sizeof(out), &got),
                 TCO_ERR_STATE);
        CHECK_ST(tco_mbms_download_seal(srv, 9, 2, in, sizeof(in), obj, sizeof(obj), &ol),
                 TCO_OK);
        CHECK_ST(tco_mbms_member_download_open(a, obj, ol, out, sizeof(out), &got), TCO_OK);
        CHECK(got == sizeof(in) && memcmp(out, in, sizeof(in)) == 0);
        CHECK_ST(tco_mbms_member_download_open(b, obj, ol, out, sizeof(out), &got), TCO_OK);
        /* after a leaves, a cannot open the next object */
        CHECK_ST(tco_mbms_leave(srv, ia, &multi), TCO_OK);
        CHECK_ST(tco_mbms_member_process(a, multi.data, multi.len), TCO_ERR_STATE);
        CHECK_ST(tco_mbms_member_process(b, multi.data, multi.len), TCO_OK);
        CHECK_ST(tco_mbms_download_seal(srv, 10, 3, in, sizeof(in), obj, sizeof(obj), &ol),
                 TCO_OK);
        CHECK_ST(tco_mbms_member_download_open(a, obj, ol, out, sizeof(out), &got),
                 TCO_ERR_STATE);
        CHECK_ST(tco_mbms_member_download_open(b, obj, ol, out, sizeof(out), &got), TCO_OK);
    }
    /* bad arguments */
    {
        uint8_t buf[64];
        size_t ol = 0;
        tco_mbms_server *empty = NULL;
        CHECK_ST(tco_mbms_server_create(dev, &p, &empty), TCO_OK);
        CHECK_ST(tco_mbms_download_seal(empty, 1, 1, buf, 4, buf + 8, 56, &ol), TCO_ERR_STATE);
        CHECK_ST(tco_mbms_download_seal(srv, 1, 1, NULL, 4, buf, 64, &ol), TCO_ERR_INVALID_ARG);
        CHECK_ST(tco_mbms_download_seal(srv, 1, 1, buf, 4, buf + 2, 60, &ol),
                 TCO_ERR_INVALID_ARG);
        tco_mbms_server_free(empty);
    }
    tco_mbms_member_free(a);
    tco_mbms_member_free(b);
    tco_mbms_server_free(srv);
}

/* Traffic-key API misuse. */
static void misuse(void)
{
    tco_mbms_params p = {2, 4, 16, NULL, 0};
    tco_mbms_server *srv = NULL;
    tco_mbms_member *m = NULL;
    tco_srtp_policy pol;
    tco_srtp *s = NULL;
    tco_mbms_rx *rx = NULL;
    uint8_t k[16], ks[46];
    size_t kl = 0;

    memset(&pol, 0, sizeof(pol));
    pol.profile = TCO_SRTP_AES128_CM_SHA1_80;
    pol.mki_len = 4;
    CHECK_ST(tco_mbms_server_create(dev, &p, &srv), TCO_OK);
    CHECK_ST(tco_srtp_create(dev, &pol, &s), TCO_OK);
    t_fill(k, 16);
    CHECK_ST(tco_mbms_member_create(&p, 0, k, 16, &m), TCO_OK);
    CHECK_ST(tco_mbms_srtp_rekey(srv, s, 1), TCO_ERR_INVALID_ARG); /* MKI is not 8 octets */
    CHECK_ST(tco_mbms_rx_create(m, s, &rx), TCO_ERR_INVALID_ARG);
    tco_srtp_free(s);
    pol.mki_len = TCO_MBMS_MKI_LEN;
    CHECK_ST(tco_srtp_create(dev, &pol, &s), TCO_OK);
    CHECK_ST(tco_mbms_srtp_rekey(srv, s, 1), TCO_ERR_STATE); /* no group key yet */
    CHECK_ST(tco_mbms_member_srtp_key(m, 1, 1, 16, ks, &kl), TCO_ERR_STATE);
    CHECK_ST(tco_mbms_member_srtp_key(m, 1, 1, 24, ks, &kl), TCO_ERR_INVALID_ARG);
    tco_srtp_free(s);
    tco_mbms_member_free(m);
    tco_mbms_server_free(srv);
}

int main(void)
{
    const char *uri = getenv("TCO_TEST_DEV") ? getenv("TCO_TEST_DEV") : "soft:";

    t_seed(0x5EA3ull);
    on_sim = strncmp(uri, "sim:", 4) == 0;
    CHECK_ST(tco_open(&dev, uri), TCO_OK);
    if (dev == NULL)
        return t_done("test_mbms_stream");
    misuse();
    stream_through_events(TCO_SRTP_AES128_CM_SHA1_80, 0, 0, on_sim ? 10 : 60);
    stream_through_events(TCO_SRTP_AES256_CM_SHA1_80, TCO_SRTP_RCCM2, 4, on_sim ? 10 : 60);
    stream_through_events(TCO_SRTP_AES128_CM_SHA1_80, TCO_SRTP_RCCM3, 8, on_sim ? 8 : 40);
    late_joiner(TCO_SRTP_RCCM1, 16);
    late_joiner(TCO_SRTP_RCCM2, 8);
    late_joiner(TCO_SRTP_RCCM3, 32);
    download();
    tco_close(dev);
    return t_done("test_mbms_stream");
}
