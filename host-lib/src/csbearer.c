/* SPDX-License-Identifier: Apache-2.0 */
/* IMS media over a CS bearer (docs/csbearer.md): the CS frame carries SEQ, FLAGS, the
 * optional MKI, the SRTP-encrypted AMR payload and the tag; the RTP header is rebuilt from
 * the call's fixed fields, SEQ and the timestamp SEQ implies (one frame per 20 ms slot). */
#include "tco_srtp.h"
#include "tco_priv.h"

#include <stdlib.h>
#include <string.h>

#define RTP_HDR 12u
#define CS_HDR 3u /* SEQ, FLAGS */
#define MAX_PAYLOAD 64u

/* RFC 4867 Table 1 / TS 26.101, 26.201: speech octets per frame type (octet-aligned);
 * -1 = no size defined here. */
static const int amr_octets[16] = {12, 13, 15, 17, 19, 20, 26, 31, 5, -1, -1, -1, -1, -1, -1, 0};
static const int amrwb_octets[16] = {17, 23, 32, 36, 40, 46, 50, 58, 60, 5, -1, -1, -1, -1, 0, 0};

size_t tco_amr_payload_len(tco_cs_codec codec, unsigned ft)
{
    int n;

    if (ft > 15 || (codec != TCO_CODEC_AMR && codec != TCO_CODEC_AMR_WB))
        return 0;
    n = codec == TCO_CODEC_AMR ? amr_octets[ft] : amrwb_octets[ft];
    return n < 0 ? 0 : (size_t)n + 2; /* CMR and TOC octets */
}

struct tco_cs_map {
    tco_cs_call call;
    uint64_t last; /* highest packet index seen (48 bits) */
};

static bool call_valid(const tco_cs_call *c)
{
    return c != NULL && (c->codec == TCO_CODEC_AMR || c->codec == TCO_CODEC_AMR_WB) &&
           c->pt < 128 && (c->tag_len == 4 || c->tag_len == 10);
}

tco_status tco_cs_map_create(const tco_cs_call *call, tco_cs_map **out)
{
    tco_cs_map *m;

    if (out == NULL || !call_valid(call))
        return TCO_ERR_INVALID_ARG;
    m = calloc(1, sizeof(*m));
    if (m == NULL)
        return TCO_ERR_NO_MEMORY;
    m->call = *call;
    m->last = call->seq0; /* ROC 0 at the first slot */
    *out = m;
    return TCO_OK;
}

void tco_cs_map_free(tco_cs_map *m)
{
    free(m);
}

/* RFC 3711 §3.3.1 estimate of the index of SEQ from the highest index seen. */
static uint64_t map_index(const tco_cs_map *m, uint16_t seq)
{
    uint32_t roc = (uint32_t)(m->last >> 16), v = roc;
    uint16_t s_l = (uint16_t)m->last;

    if (s_l < 32768) {
        if ((int)seq - (int)s_l > 32768)
            v = roc - 1;
    } else if ((int)s_l - 32768 > (int)seq) {
        v = roc + 1;
    }
    return ((uint64_t)v << 16 | seq) & 0xFFFFFFFFFFFFull;
}

/* RTP timestamp of packet index i: one frame per slot, TS0 at SEQ0. */
static uint32_t map_ts(const tco_cs_map *m, uint64_t i)
{
    uint32_t step = m->call.codec == TCO_CODEC_AMR ? 160u : 320u;
    return m->call.ts0 + step * (uint32_t)(i - m->call.seq0);
}

static void map_seen(tco_cs_map *m, uint64_t i)
{
    if (i > m->last && i - m->last < (1ull << 47))
        m->last = i;
}

tco_status tco_cs_to_srtp(tco_cs_map *m, const uint8_t *frame, size_t len, uint8_t *pkt,
                          size_t cap, size_t *pkt_len)
{
    size_t mki, tag, pay;
    uint16_t seq;
    uint64_t i;
    uint32_t ts, ssrc;
    uint8_t flags;

    if (m == NULL || frame == NULL || pkt == NULL || pkt_len == NULL)
        return TCO_ERR_INVALID_ARG;
    *pkt_len = 0;
    if (frame == pkt)
        return TCO_ERR_INVALID_ARG;
    mki = m->call.mki ? TCO_CS_MKI_LEN : 0;
    tag = m->call.tag_len;
    if (len < CS_HDR + mki + 2 + tag)
        return TCO_ERR_TRUNCATED;
    flags = frame[2];
    if ((flags & ~(TCO_CS_FLAG_M | TCO_CS_FLAG_MKI)) != 0 ||
        !(flags & TCO_CS_FLAG_MKI) != !m->call.mki)
        return TCO_ERR_NOT_MAPPABLE;
    pay = len - CS_HDR - mki - tag;
    if (cap < RTP_HDR + pay + mki + tag)
        return TCO_ERR_BUFFER_SMALL;
    seq = (uint16_t)(frame[0] << 8 | frame[1]);
    i = map_index(m, seq);
    ts = map_ts(m, i);
    ssrc = m->call.ssrc;
    pkt[0] = 0x80;
    pkt[1] = (uint8_t)((flags & TCO_CS_FLAG_M ? 0x80 : 0) | m->call.pt);
    pkt[2] = frame[0];
    pkt[3] = frame[1];
    pkt[4] = (uint8_t)(ts >> 24);
    pkt[5] = (uint8_t)(ts >> 16);
    pkt[6] = (uint8_t)(ts >> 8);
    pkt[7] = (uint8_t)ts;
    pkt[8] = (uint8_t)(ssrc >> 24);
    pkt[9] = (uint8_t)(ssrc >> 16);
    pkt[10] = (uint8_t)(ssrc >> 8);
    pkt[11] = (uint8_t)ssrc;
    memcpy(pkt + RTP_HDR, frame + CS_HDR + mki, pay);            /* encrypted payload */
    memcpy(pkt + RTP_HDR + pay, frame + CS_HDR, mki);            /* MKI after it */
    memcpy(pkt + RTP_HDR + pay + mki, frame + len - tag, tag);   /* tag last */
    map_seen(m, i);
    *pkt_len = RTP_HDR + pay + mki + tag;
    return TCO_OK;
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

tco_status tco_srtp_to_cs(tco_cs_map *m, const uint8_t *pkt, size_t len, uint8_t *frame,
                          size_t cap, size_t *frame_len)
{
    size_t mki, tag, pay;
    uint16_t seq;
    uint64_t i;

    if (m == NULL || pkt == NULL || frame == NULL || frame_len == NULL || frame == pkt)
        return TCO_ERR_INVALID_ARG;
    *frame_len = 0;
    if (len < RTP_HDR)
        return TCO_ERR_TRUNCATED;
    if (pkt[0] >> 6 != 2)
        return TCO_ERR_BAD_VERSION;
    /* only the header the far end rebuilds can cross: P = X = CC = 0, the call's PT/SSRC */
    if ((pkt[0] & 0x3F) != 0 || (pkt[1] & 0x7F) != m->call.pt || rd32(pkt + 8) != m->call.ssrc)
        return TCO_ERR_NOT_MAPPABLE;
    mki = m->call.mki ? TCO_CS_MKI_LEN : 0;
    tag = m->call.tag_len;
    if (len < RTP_HDR + 2 + mki + tag)
        return TCO_ERR_TRUNCATED;
    seq = (uint16_t)(pkt[2] << 8 | pkt[3]);
    i = map_index(m, seq);
    if (rd32(pkt + 4) != map_ts(m, i))
        return TCO_ERR_NOT_MAPPABLE; /* timestamp not the slot's: DTX gap or foreign stream */
    pay = len - RTP_HDR - mki - tag;
    if (cap < CS_HDR + mki + pay + tag)
        return TCO_ERR_BUFFER_SMALL;
    frame[0] = pkt[2];
    frame[1] = pkt[3];
    frame[2] = (uint8_t)((pkt[1] & 0x80 ? TCO_CS_FLAG_M : 0) | (mki ? TCO_CS_FLAG_MKI : 0));
    memcpy(frame + CS_HDR, pkt + RTP_HDR + pay, mki);
    memcpy(frame + CS_HDR + mki, pkt + RTP_HDR, pay);
    memcpy(frame + CS_HDR + mki + pay, pkt + len - tag, tag);
    map_seen(m, i);
    *frame_len = CS_HDR + mki + pay + tag;
    return TCO_OK;
}

/* ----------------------------------------------------------------------------------------- */
/* UE */

struct tco_cs_ue {
    tco_srtp *tx, *rx;
    tco_cs_map *up, *down;
    uint64_t slot; /* slots sent */
};

tco_status tco_cs_ue_create(tco_srtp *tx, tco_srtp *rx, const tco_cs_call *up,
                            const tco_cs_call *down, tco_cs_ue **out)
{
    tco_cs_ue *ue;
    tco_status st;

    if (tx == NULL || rx == NULL || out == NULL || !call_valid(up) || !call_valid(down))
        return TCO_ERR_INVALID_ARG;
    ue = calloc(1, sizeof(*ue));
    if (ue == NULL)
        return TCO_ERR_NO_MEMORY;
    ue->tx = tx;
    ue->rx = rx;
    st = tco_cs_map_create(up, &ue->up);
    if (st == TCO_OK)
        st = tco_cs_map_create(down, &ue->down);
    if (st != TCO_OK) {
        tco_cs_ue_free(ue);
        return st;
    }
    *out = ue;
    return TCO_OK;
}

void tco_cs_ue_free(tco_cs_ue *ue)
{
    if (ue == NULL)
        return;
    tco_cs_map_free(ue->up);
    tco_cs_map_free(ue->down);
    free(ue);
}

tco_status tco_cs_ue_send(tco_cs_ue *ue, int marker, const uint8_t *payload, size_t len,
                          uint8_t *frame, size_t cap, size_t *frame_len)
{
    uint8_t pkt[RTP_HDR + MAX_PAYLOAD + TCO_CS_MKI_LEN + 10];
    const tco_cs_call *c;
    uint16_t seq;
    uint32_t ts;
    size_t plen = 0;
    tco_status st;

    if (ue == NULL || payload == NULL || frame == NULL || frame_len == NULL)
        return TCO_ERR_INVALID_ARG;
    *frame_len = 0;
    c = &ue->up->call;
    /* one octet-aligned frame: CMR, TOC with F = 0, the frame type's speech octets */
    if (len < 2 || (payload[1] & 0x80) != 0 ||
        tco_amr_payload_len(c->codec, (payload[1] >> 3) & 0x0F) != len)
        return TCO_ERR_INVALID_ARG;
    seq = (uint16_t)(c->seq0 + ue->slot);
    ts = map_ts(ue->up, c->seq0 + ue->slot);
    pkt[0] = 0x80;
    pkt[1] = (uint8_t)((marker ? 0x80 : 0) | c->pt);
    pkt[2] = (uint8_t)(seq >> 8);
    pkt[3] = (uint8_t)seq;
    pkt[4] = (uint8_t)(ts >> 24);
    pkt[5] = (uint8_t)(ts >> 16);
    pkt[6] = (uint8_t)(ts >> 8);
    pkt[7] = (uint8_t)ts;
    pkt[8] = (uint8_t)(c->ssrc >> 24);
    pkt[9] = (uint8_t)(c->ssrc >> 16);
    pkt[10] = (uint8_t)(c->ssrc >> 8);
    pkt[11] = (uint8_t)c->ssrc;
    memcpy(pkt + RTP_HDR, payload, len);
    st = tco_srtp_protect(ue->tx, pkt, RTP_HDR + len, pkt, sizeof(pkt), &plen);
    if (st == TCO_OK)
        st = tco_srtp_to_cs(ue->up, pkt, plen, frame, cap, frame_len);
    if (st == TCO_OK)
        ue->slot++;
    tco_cleanse(pkt, sizeof(pkt));
    return st;
}

tco_status tco_cs_ue_recv(tco_cs_ue *ue, const uint8_t *frame, size_t len, uint8_t *payload,
                          size_t cap, size_t *payload_len, int *marker)
{
    uint8_t pkt[RTP_HDR + MAX_PAYLOAD + TCO_CS_MKI_LEN + 10];
    size_t plen = 0, n = 0;
    tco_status st;

    if (ue == NULL || frame == NULL || payload == NULL || payload_len == NULL)
        return TCO_ERR_INVALID_ARG;
    *payload_len = 0;
    st = tco_cs_to_srtp(ue->down, frame, len, pkt, sizeof(pkt), &plen);
    if (st == TCO_OK)
        st = tco_srtp_unprotect(ue->rx, pkt, plen, pkt, sizeof(pkt), &n);
    if (st == TCO_OK && cap < n - RTP_HDR)
        st = TCO_ERR_BUFFER_SMALL;
    if (st == TCO_OK) {
        memcpy(payload, pkt + RTP_HDR, n - RTP_HDR);
        *payload_len = n - RTP_HDR;
        if (marker)
            *marker = pkt[1] >> 7;
    }
    tco_cleanse(pkt, sizeof(pkt));
    return st;
}
