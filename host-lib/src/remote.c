/* SPDX-License-Identifier: Apache-2.0 */
/* Device backends (sim:, later usb: and pcie:): every engine op becomes one request frame
 * (docs/protocol.md) over a byte-stream transport; the device keeps the keys. Long AES-CTR
 * buffers are split into frames that are all sent before the first response is read, so
 * the device works on them back to back. */
#include "frame.h"
#include "tco_priv.h"
#include "tco_protocol.h"
#include "transport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REMOTE_MAX_DATA (16u << 20) /* per call; AES-CTR is split into frames */
#define CTR_CHUNK 1056u  /* 66 blocks: the largest multiple of 16 in an AES_CTR frame */
#define CTR_HDR 18u      /* slot, width, counter block */
#define HMAC_MAX (TCO_FRAME_MAX_PAYLOAD - 2u)
#define PIPE_DEPTH 16u   /* AES_CTR frames in flight */

typedef struct remote {
    const tco_transport_ops *tops;
    tco_transport *t;
    uint16_t rid;
    tco_frame_dec dec;
    uint16_t version;
    uint8_t tx[TCO_FRAME_MAX];
    uint8_t rx[256];
    size_t rx_have, rx_pos;
    tco_wire_tap_fn tap;
    void *tap_user;
} remote;

static remote *R(tco_dev *dev)
{
    return (remote *)dev->be;
}

void tco_wire_set_tap(tco_dev *dev, tco_wire_tap_fn fn, void *user)
{
    if (dev == NULL || dev->ops == &tco_soft_backend)
        return;
    R(dev)->tap = fn;
    R(dev)->tap_user = user;
}

/* Send one request frame; returns its RID through *rid. */
static tco_status send_req(tco_dev *dev, uint8_t op, const uint8_t *pl, size_t len,
                           uint16_t *rid)
{
    remote *r = R(dev);
    size_t n;

    r->rid = (uint16_t)(r->rid + 1);
    n = tco_frame_encode(r->tx, sizeof(r->tx), TCO_P_SYNC_REQ, op, r->rid, pl, len);
    if (n == 0)
        return TCO_ERR_RANGE;
    if (r->tap)
        r->tap(r->tap_user, 0, r->tx, n);
    *rid = r->rid;
    return r->tops->send(r->t, r->tx, n);
}

/* Next complete response frame from the stream. */
static tco_status next_frame(tco_dev *dev, tco_frame *f)
{
    remote *r = R(dev);

    for (;;) {
        if (r->rx_pos < r->rx_have) {
            size_t used = 0;
            int done = tco_frame_dec_push(&r->dec, r->rx + r->rx_pos, r->rx_have - r->rx_pos,
                                          &used, f);
            r->rx_pos += used;
            if (done)
                return TCO_OK;
            continue;
        }
        {
            size_t got = 0;
            tco_status st = r->tops->recv(r->t, r->rx, sizeof(r->rx), &got);
            if (st != TCO_OK) {
                /* lost: let the device drop any partial frame, start hunting afresh */
                tco_log(dev, TCO_LOG_ERROR, "%s: no response (%s)", dev->ops->scheme,
                        tco_strerror(st));
                tco_frame_dec_reset(&r->dec);
                r->tops->idle(r->t);
                return st;
            }
            if (r->tap)
                r->tap(r->tap_user, 1, r->rx, got);
            r->rx_have = got;
            r->rx_pos = 0;
        }
    }
}

/* Wait for the response to `rid`; copy its payload (at most cap octets) on OK. */
static tco_status wait_rsp(tco_dev *dev, uint16_t rid, uint8_t *rsp, size_t cap, size_t *rlen)
{
    tco_frame f;
    tco_status st;

    for (;;) {
        st = next_frame(dev, &f);
        if (st != TCO_OK)
            return st;
        if (f.oversize || !f.crc_ok) {
            tco_log(dev, TCO_LOG_WARN, "%s: damaged response frame dropped", dev->ops->scheme);
            continue;
        }
        if (f.rid != rid) {
            tco_log(dev, TCO_LOG_WARN, "%s: response to request %u while waiting for %u",
                    dev->ops->scheme, (unsigned)f.rid, (unsigned)rid);
            if ((uint16_t)(rid - f.rid) < 0x8000u)
                continue; /* an older request's answer: skip it */
            return TCO_ERR_PROTOCOL;
        }
        if (f.code != TCO_P_ST_OK)
            return tco_p_status_to_host(f.code);
        if (f.len > cap)
            return TCO_ERR_PROTOCOL;
        if (f.len > 0)
            memcpy(rsp, f.payload, f.len);
        if (rlen)
            *rlen = f.len;
        return TCO_OK;
    }
}

/* One request, one response; *got = the response length. */
static tco_status transact(tco_dev *dev, uint8_t op, const uint8_t *pl, size_t len, uint8_t *rsp,
                           size_t cap, size_t *got)
{
    uint16_t rid;
    tco_status st = send_req(dev, op, pl, len, &rid);

    *got = 0;
    if (st == TCO_OK)
        st = wait_rsp(dev, rid, rsp, cap, got);
    return st;
}

/* As transact, the response must be exactly `want` octets. */
static tco_status transact_n(tco_dev *dev, uint8_t op, const uint8_t *pl, size_t len,
                             uint8_t *rsp, size_t want)
{
    size_t got = 0;
    tco_status st = transact(dev, op, pl, len, rsp, want, &got);

    return st == TCO_OK && got != want ? TCO_ERR_PROTOCOL : st;
}

static tco_status remote_info_raw(tco_dev *dev, uint8_t info[18])
{
    return transact_n(dev, TCO_P_OP_INFO, NULL, 0, info, 18);
}

static void remote_free(tco_dev *dev)
{
    remote *r = R(dev);

    r->tops->close(r->t);
    tco_cleanse(r, sizeof(*r));
    free(r);
    dev->be = NULL;
}

static tco_status remote_open(tco_dev *dev, const char *args, const tco_transport_ops *tops)
{
    remote *r = calloc(1, sizeof(*r));
    uint8_t info[18];
    tco_status st;

    if (r == NULL)
        return TCO_ERR_NO_MEMORY;
    r->tops = tops;
    tco_frame_dec_init(&r->dec, TCO_P_SYNC_RSP);
    st = tops->open(&r->t, args);
    if (st != TCO_OK) {
        free(r);
        return st;
    }
    dev->be = r;
    st = remote_info_raw(dev, info);
    if (st != TCO_OK) {
        remote_free(dev);
        return st;
    }
    r->version = (uint16_t)(info[0] << 8 | info[1]);
    dev->caps = ((uint32_t)info[2] << 24 | (uint32_t)info[3] << 16 | (uint32_t)info[4] << 8 |
                 info[5]) |
                TCO_CAP_HW;
    dev->num_slots = (uint32_t)(info[6] << 8 | info[7]);
    dev->max_data = REMOTE_MAX_DATA;
    dev->max_mac = HMAC_MAX;
    dev->max_srtp = TCO_FRAME_MAX_PAYLOAD - 20u; /* 19 octets of parameters; room for a tag */
    if (r->version != TCO_P_VERSION || dev->num_slots == 0 || dev->num_slots > 256) {
        tco_log(dev, TCO_LOG_ERROR, "%s: device speaks protocol %u with %u slots, library %u",
                tops->scheme, (unsigned)r->version, (unsigned)dev->num_slots,
                (unsigned)TCO_P_VERSION);
        remote_free(dev);
        return TCO_ERR_PROTOCOL;
    }
    return TCO_OK;
}

static void remote_close(tco_dev *dev)
{
    if (R(dev) != NULL)
        remote_free(dev);
}

static tco_status remote_info(tco_dev *dev, tco_info *info)
{
    uint8_t raw[18];
    tco_status st = remote_info_raw(dev, raw);

    if (st != TCO_OK)
        return st;
    snprintf(info->version, sizeof(info->version), "tco device, protocol %u",
             (unsigned)R(dev)->version);
    info->cycles = 0;
    for (int i = 10; i < 18; i++)
        info->cycles = info->cycles << 8 | raw[i];
    return TCO_OK;
}

static tco_status remote_key_write(tco_dev *dev, tco_slot slot, const uint8_t *key, size_t len,
                                   uint32_t attrs)
{
    uint8_t pl[4 + TCO_KEY_MAX];
    tco_status st;

    pl[0] = (uint8_t)slot;
    pl[1] = (uint8_t)(attrs >> 8);
    pl[2] = (uint8_t)attrs;
    pl[3] = (uint8_t)len;
    memcpy(pl + 4, key, len);
    st = transact_n(dev, TCO_P_OP_KEY_WRITE, pl, 4 + len, NULL, 0);
    tco_cleanse(pl, sizeof(pl));
    tco_cleanse(R(dev)->tx, sizeof(R(dev)->tx)); /* the frame held the key */
    return st;
}

static tco_status remote_key_read(tco_dev *dev, tco_slot slot, uint8_t out[32], size_t *len)
{
    uint8_t pl[1] = {(uint8_t)slot};
    tco_status st = transact(dev, TCO_P_OP_KEY_READ, pl, 1, out, 32, len);

    if (st == TCO_OK && (*len == 0 || *len > TCO_KEY_MAX))
        st = TCO_ERR_PROTOCOL;
    tco_cleanse(R(dev)->rx, sizeof(R(dev)->rx));
    return st;
}

static tco_status remote_key_erase(tco_dev *dev, tco_slot slot)
{
    uint8_t pl[1] = {(uint8_t)slot};

    return transact_n(dev, TCO_P_OP_KEY_ERASE, pl, 1, NULL, 0);
}

static tco_status remote_key_info(tco_dev *dev, tco_slot slot, size_t *len, uint32_t *attrs)
{
    uint8_t pl[1] = {(uint8_t)slot}, rsp[3];
    tco_status st = transact_n(dev, TCO_P_OP_KEY_INFO, pl, 1, rsp, 3);

    if (st == TCO_OK) {
        *len = rsp[0];
        *attrs = (uint32_t)(rsp[1] << 8 | rsp[2]);
    }
    return st;
}

static tco_status remote_kdf(tco_dev *dev, tco_slot key_slot, uint8_t fc, const tco_kdf_param *p,
                             size_t np, uint8_t *out, const tco_kdf_dest *dest)
{
    uint8_t pl[TCO_FRAME_MAX_PAYLOAD];
    size_t n = 0;
    tco_status st;

    pl[n++] = (uint8_t)key_slot;
    pl[n++] = fc;
    pl[n++] = (uint8_t)np;
    if (dest != NULL) {
        pl[n++] = (uint8_t)dest->split;
        pl[n++] = (uint8_t)dest->slot_a;
        pl[n++] = (uint8_t)(dest->attrs_a >> 8);
        pl[n++] = (uint8_t)dest->attrs_a;
        pl[n++] = dest->split == TCO_SPLIT_HALVES ? (uint8_t)dest->slot_b : 0;
        pl[n++] = dest->split == TCO_SPLIT_HALVES ? (uint8_t)(dest->attrs_b >> 8) : 0;
        pl[n++] = dest->split == TCO_SPLIT_HALVES ? (uint8_t)dest->attrs_b : 0;
    }
    for (size_t i = 0; i < np; i++) {
        if (p[i].from_slot) {
            pl[n++] = 1;
            pl[n++] = (uint8_t)p[i].slot;
        } else {
            if (n + 3 + p[i].len > sizeof(pl))
                return TCO_ERR_RANGE;
            pl[n++] = 0;
            pl[n++] = (uint8_t)(p[i].len >> 8);
            pl[n++] = (uint8_t)p[i].len;
            if (p[i].len)
                memcpy(pl + n, p[i].data, p[i].len);
            n += p[i].len;
        }
    }
    if (dest != NULL)
        st = transact_n(dev, TCO_P_OP_KDF_DERIVE, pl, n, NULL, 0);
    else
        st = transact_n(dev, TCO_P_OP_KDF, pl, n, out, 32);
    tco_cleanse(pl, sizeof(pl));
    return st;
}

static tco_status remote_aes_block(tco_dev *dev, tco_slot slot, const uint8_t in[16],
                                   uint8_t out[16])
{
    uint8_t pl[17];

    pl[0] = (uint8_t)slot;
    memcpy(pl + 1, in, 16);
    return transact_n(dev, TCO_P_OP_AES_BLOCK, pl, 17, out, 16);
}

/* Add `blocks` to the low `bits` bits of a big-endian counter block (the front end has
 * already refused calls that would wrap). */
static void ctr_add(uint8_t c[16], unsigned bits, uint64_t blocks)
{
    for (int i = 15; i >= 16 - (int)(bits / 8) && blocks != 0; i--) {
        uint64_t v = (uint64_t)c[i] + (blocks & 0xFF);
        c[i] = (uint8_t)v;
        blocks = (blocks >> 8) + (v >> 8);
    }
}

static uint8_t ctr_width_code(unsigned bits)
{
    return bits == 16 ? 0 : bits == 32 ? 1 : bits == 64 ? 2 : 3;
}

/* AES-CTR: frames of up to CTR_CHUNK octets, PIPE_DEPTH in flight; output is written only
 * when every frame has come back OK. */
static tco_status remote_aes_ctr(tco_dev *dev, tco_slot slot, const uint8_t ctr[16],
                                 unsigned ctr_bits, const uint8_t *in, uint8_t *out, size_t len)
{
    uint8_t pl[CTR_HDR + CTR_CHUNK], cb[16];
    uint16_t rids[PIPE_DEPTH];
    size_t sent = 0, recvd = 0, nchunks = len ? (len + CTR_CHUNK - 1) / CTR_CHUNK : 1;
    uint8_t *tmp = NULL;
    tco_status st = TCO_OK;

    if (len > 0 && in == out) {
        tmp = malloc(len); /* in place: keep the input until all frames are back */
        if (tmp == NULL)
            return TCO_ERR_NO_MEMORY;
    }
    memcpy(cb, ctr, 16);
    pl[0] = (uint8_t)slot;
    pl[1] = ctr_width_code(ctr_bits);
    while (recvd < nchunks && st == TCO_OK) {
        while (sent < nchunks && sent - recvd < PIPE_DEPTH && st == TCO_OK) {
            size_t off = sent * CTR_CHUNK, n = len - off < CTR_CHUNK ? len - off : CTR_CHUNK;
            memcpy(pl + 2, cb, 16);
            if (n)
                memcpy(pl + CTR_HDR, in + off, n);
            st = send_req(dev, TCO_P_OP_AES_CTR, pl, CTR_HDR + n, &rids[sent % PIPE_DEPTH]);
            ctr_add(cb, ctr_bits, CTR_CHUNK / 16);
            sent++;
        }
        if (st == TCO_OK) {
            size_t off = recvd * CTR_CHUNK, n = len - off < CTR_CHUNK ? len - off : CTR_CHUNK;
            size_t got = 0;
            st = wait_rsp(dev, rids[recvd % PIPE_DEPTH], (tmp ? tmp : out) + off, n, &got);
            if (st == TCO_OK && got != n)
                st = TCO_ERR_PROTOCOL;
            recvd++;
        }
    }
    /* drain what is still in flight after an error, so the next call starts clean */
    while (recvd < sent) {
        size_t got;
        (void)wait_rsp(dev, rids[recvd % PIPE_DEPTH], pl, sizeof(pl), &got);
        recvd++;
    }
    if (tmp != NULL) {
        if (st == TCO_OK)
            memcpy(out, tmp, len);
        tco_cleanse(tmp, len);
        free(tmp);
    }
    if (st != TCO_OK && len > 0)
        memset(out, 0, len); /* no partial output */
    tco_cleanse(pl, sizeof(pl));
    return st;
}

static tco_status remote_hmac(tco_dev *dev, tco_slot slot, tco_hash hash, const uint8_t *msg,
                              size_t len, uint8_t *mac, size_t *mac_len)
{
    uint8_t pl[TCO_FRAME_MAX_PAYLOAD];
    size_t want = hash == TCO_HASH_SHA256 ? 32 : 20;
    tco_status st;

    if (len > HMAC_MAX)
        return TCO_ERR_RANGE;
    pl[0] = (uint8_t)slot;
    pl[1] = hash == TCO_HASH_SHA256 ? 1 : 2;
    if (len)
        memcpy(pl + 2, msg, len);
    st = transact_n(dev, TCO_P_OP_HMAC, pl, 2 + len, mac, want);
    if (st == TCO_OK)
        *mac_len = want;
    return st;
}

static tco_status remote_gsm_c3(tco_dev *dev, tco_slot ck_slot, tco_slot ik_slot, uint8_t kc[8])
{
    uint8_t pl[2] = {(uint8_t)ck_slot, (uint8_t)ik_slot};

    return transact_n(dev, TCO_P_OP_GSM_C3, pl, 2, kc, 8);
}

static tco_status remote_srtp_kdf(tco_dev *dev, tco_slot master, uint8_t label,
                                  const uint8_t salt[14], tco_slot dest, uint32_t dest_attrs,
                                  size_t out_len)
{
    uint8_t pl[20];

    pl[0] = (uint8_t)master;
    pl[1] = label;
    pl[2] = (uint8_t)dest;
    pl[3] = (uint8_t)(dest_attrs >> 8);
    pl[4] = (uint8_t)dest_attrs;
    pl[5] = (uint8_t)out_len;
    memcpy(pl + 6, salt, 14);
    return transact_n(dev, TCO_P_OP_SRTP_KDF, pl, sizeof(pl), NULL, 0);
}

/* One SRTP request frame: 19 octets of parameters, then the packet. */
static tco_status srtp_send(tco_dev *dev, const tco_srtp_frame_req *r, uint16_t *rid)
{
    uint8_t pl[TCO_FRAME_MAX_PAYLOAD];
    size_t n = 0;

    /* No tag (tag_len 0): the device takes 1..20, and AES-CM is its own inverse, so the
     * packet goes as a protect with a 1-octet tag that remote_srtp_frames drops. */
    pl[n++] = (uint8_t)((r->unprotect && r->tag_len ? 1 : 0) | (r->rtcp ? 2 : 0));
    pl[n++] = (uint8_t)r->ke;
    pl[n++] = (uint8_t)r->ka;
    pl[n++] = (uint8_t)r->ks;
    pl[n++] = (uint8_t)(r->tag_len ? r->tag_len : 1);
    pl[n++] = (uint8_t)(r->clear_len >> 8);
    pl[n++] = (uint8_t)r->clear_len;
    pl[n++] = (uint8_t)(r->enc_len >> 8);
    pl[n++] = (uint8_t)r->enc_len;
    for (int i = 0; i < 6; i++)
        pl[n++] = (uint8_t)(r->index >> (40 - 8 * i));
    for (int i = 0; i < 4; i++)
        pl[n++] = (uint8_t)(r->roc >> (24 - 8 * i));
    memcpy(pl + n, r->in, r->in_len);
    return send_req(dev, TCO_P_OP_SRTP, pl, n + r->in_len, rid);
}

/* SRTP packets: up to PIPE_DEPTH frames in flight, answers taken in order. A device status
 * (AUTH, a slot error) ends only its own packet; a link error ends all that remain. */
static tco_status remote_srtp_frames(tco_dev *dev, tco_srtp_frame_req *reqs, size_t n)
{
    uint16_t rids[PIPE_DEPTH];
    size_t idx[PIPE_DEPTH];
    size_t next = 0, head = 0, tail = 0; /* ring of requests in flight */
    tco_status link = TCO_OK;

    while (link == TCO_OK && (next < n || head != tail)) {
        while (next < n && tail - head < PIPE_DEPTH && link == TCO_OK) {
            if (reqs[next].status == TCO_OK) {
                link = srtp_send(dev, &reqs[next], &rids[tail % PIPE_DEPTH]);
                if (link != TCO_OK)
                    break;
                idx[tail % PIPE_DEPTH] = next;
                tail++;
            }
            next++;
        }
        if (head != tail && link == TCO_OK) {
            tco_srtp_frame_req *r = &reqs[idx[head % PIPE_DEPTH]];
            size_t want = r->unprotect ? r->in_len - r->tag_len : r->in_len + r->tag_len;
            size_t got = 0;
            tco_status st;
            if (r->tag_len == 0) {
                uint8_t tmp[TCO_FRAME_MAX_PAYLOAD];
                st = wait_rsp(dev, rids[head % PIPE_DEPTH], tmp, sizeof(tmp), &got);
                if (st == TCO_OK && got == want + 1)
                    memcpy(r->out, tmp, got = want); /* the 1-octet tag is dropped */
                tco_cleanse(tmp, sizeof(tmp));
            } else {
                st = wait_rsp(dev, rids[head % PIPE_DEPTH], r->out, want, &got);
            }
            if (st == TCO_ERR_IO || st == TCO_ERR_TIMEOUT) {
                link = st;
                break;
            }
            if (st == TCO_OK && got != want)
                st = TCO_ERR_PROTOCOL;
            r->status = st;
            if (st == TCO_OK)
                r->out_len = got;
            head++;
        }
    }
    if (link != TCO_OK) {
        for (; head != tail; head++)
            reqs[idx[head % PIPE_DEPTH]].status = link;
        for (; next < n; next++)
            if (reqs[next].status == TCO_OK)
                reqs[next].status = link;
    }
    return link;
}

static tco_status remote_key_wrap(tco_dev *dev, tco_slot kek, tco_slot key, uint8_t out[40],
                                  size_t *out_len)
{
    uint8_t pl[2] = {(uint8_t)kek, (uint8_t)key};
    tco_status st = transact(dev, TCO_P_OP_KEY_WRAP, pl, 2, out, 40, out_len);

    if (st == TCO_OK && *out_len != 24 && *out_len != 40)
        st = TCO_ERR_PROTOCOL;
    return st;
}

static tco_status remote_key_unwrap(tco_dev *dev, tco_slot kek, const uint8_t *wrapped,
                                    size_t len, tco_slot dest, uint32_t dest_attrs)
{
    uint8_t pl[4 + 40];

    pl[0] = (uint8_t)kek;
    pl[1] = (uint8_t)dest;
    pl[2] = (uint8_t)(dest_attrs >> 8);
    pl[3] = (uint8_t)dest_attrs;
    memcpy(pl + 4, wrapped, len);
    return transact_n(dev, TCO_P_OP_KEY_UNWRAP, pl, 4 + len, NULL, 0);
}

static tco_status sim_open(tco_dev *dev, const char *args)
{
    return remote_open(dev, args, &tco_transport_sim);
}

const tco_backend_ops tco_sim_backend = {
    .scheme = "sim",
    .open = sim_open,
    .close = remote_close,
    .info = remote_info,
    .key_write = remote_key_write,
    .key_read = remote_key_read,
    .key_erase = remote_key_erase,
    .key_info = remote_key_info,
    .kdf = remote_kdf,
    .aes_block = remote_aes_block,
    .aes_ctr = remote_aes_ctr,
    .hmac = remote_hmac,
    .gsm_c3 = remote_gsm_c3,
    .srtp_kdf = remote_srtp_kdf,
    .srtp_frames = remote_srtp_frames,
    .key_wrap = remote_key_wrap,
    .key_unwrap = remote_key_unwrap,
};
