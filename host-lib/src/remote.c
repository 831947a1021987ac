/* SPDX-License-Identifier: Apache-2.0 */
/* Device backends (sim:, usb:, pcie:): every engine op becomes one request frame
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

void tco_wire_fault_stats(tco_dev *dev, uint64_t st[6])
{
    memset(st, 0, 6 * sizeof(uint64_t));
    if (dev != NULL && dev->ops != &tco_soft_backend && R(dev)->tops->fault_stats != NULL)
        R(dev)->tops->fault_stats(R(dev)->t, st);
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

/* How waiting for one response ended. */
typedef enum wait_kind {
    W_DONE,    /* the device answered the request: a final status (OK or a device error) */
    W_NOT_RUN, /* the device refused the frame unexecuted (BAD_CRC, TRUNCATED, OVERSIZE) */
    W_LOST,    /* no answer (timeout, damaged or missing response): executed or not, unknown */
} wait_kind;

static bool not_run_code(uint8_t code)
{
    return code == TCO_P_ST_BAD_CRC || code == TCO_P_ST_TRUNCATED || code == TCO_P_ST_OVERSIZE;
}

/* After a lost exchange: drop any partial frame on both sides, start hunting afresh. */
static void resync(tco_dev *dev)
{
    remote *r = R(dev);

    tco_frame_dec_reset(&r->dec);
    r->rx_have = r->rx_pos = 0;
    r->tops->idle(r->t);
}

/* Wait for the response to `rid`; copy its payload (at most cap octets) on OK. */
static tco_status wait_rsp(tco_dev *dev, uint16_t rid, uint8_t *rsp, size_t cap, size_t *rlen,
                           wait_kind *kind)
{
    tco_frame f;
    tco_status st;

    *kind = W_LOST;
    for (;;) {
        st = next_frame(dev, &f);
        if (st != TCO_OK)
            return st;
        if (f.oversize || !f.crc_ok) {
            tco_log(dev, TCO_LOG_WARN, "%s: damaged response frame dropped", dev->ops->scheme);
            continue;
        }
        if (f.rid != rid) {
            if ((uint16_t)(rid - f.rid) < 0x8000u)
                continue; /* an older request's answer (late, or a duplicate): skip it */
            tco_log(dev, TCO_LOG_WARN, "%s: response to request %u while waiting for %u",
                    dev->ops->scheme, (unsigned)f.rid, (unsigned)rid);
            return TCO_ERR_PROTOCOL; /* ours was lost on the way */
        }
        if (not_run_code(f.code)) {
            *kind = W_NOT_RUN;
            return TCO_ERR_PROTOCOL;
        }
        *kind = W_DONE;
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

/* Is it safe to send this request again when its first outcome is unknown? Everything is,
 * except a command that writes a slot it also reads (a KDF into its own key or parameter
 * slot, an unwrap into its KEK slot; an SRTP_KDF into its master slot is refused by the key
 * model): run twice, it would derive from its own output. */
static bool idempotent(uint8_t op, const uint8_t *pl, size_t len)
{
    if (op == TCO_P_OP_KDF_DERIVE && len >= 10) {
        uint8_t a = pl[4], b = pl[7], halves = pl[3] == TCO_SPLIT_HALVES;
        size_t n = 10;
        if (a == pl[0] || (halves && b == pl[0]))
            return false;
        for (unsigned i = 0; i < pl[2] && n < len; i++) {
            if (pl[n] == 1 && n + 1 < len) {
                if (pl[n + 1] == a || (halves && pl[n + 1] == b))
                    return false;
                n += 2;
            } else if (n + 3 <= len) {
                n += 3 + ((size_t)pl[n + 1] << 8 | pl[n + 2]);
            } else {
                break;
            }
        }
        return true;
    }
    if (op == TCO_P_OP_KEY_UNWRAP && len >= 2)
        return pl[0] != pl[1];
    return true;
}

#define RETRIES 4 /* sends of one request after the first, on link faults */

/* One request, one response; *got = the response length. Link faults are retried with a new
 * request id: always when the device said it did not run the frame, and when the outcome is
 * unknown only if the request is idempotent (else TCO_ERR_IO: reported, never guessed). */
static tco_status transact(tco_dev *dev, uint8_t op, const uint8_t *pl, size_t len, uint8_t *rsp,
                           size_t cap, size_t *got)
{
    tco_status st = TCO_ERR_IO;

    for (int attempt = 0; attempt <= RETRIES; attempt++) {
        uint16_t rid;
        wait_kind k = W_LOST;
        *got = 0;
        st = send_req(dev, op, pl, len, &rid);
        if (st == TCO_OK)
            st = wait_rsp(dev, rid, rsp, cap, got, &k);
        else if (st != TCO_ERR_TIMEOUT)
            return st; /* the transport itself failed (disconnect): nothing to retry on */
        if (k == W_DONE)
            return st;
        if (st == TCO_ERR_IO)
            return st;
        resync(dev);
        if (k == W_LOST && !idempotent(op, pl, len)) {
            tco_log(dev, TCO_LOG_ERROR,
                    "%s: request %u lost (%s); not idempotent, not resent: outcome unknown",
                    dev->ops->scheme, (unsigned)rid, tco_strerror(st));
            return TCO_ERR_IO;
        }
        dev->link_retries++;
        tco_log(dev, TCO_LOG_WARN, "%s: request %u %s (%s); resending", dev->ops->scheme,
                (unsigned)rid, k == W_NOT_RUN ? "refused by the device" : "lost",
                tco_strerror(st));
    }
    tco_log(dev, TCO_LOG_ERROR, "%s: link fault persists after %d resends", dev->ops->scheme,
            RETRIES);
    return TCO_ERR_IO;
}

/* As transact, the response must be exactly `want` octets. */
static tco_status transact_n(tco_dev *dev, uint8_t op, const uint8_t *pl, size_t len,
                             uint8_t *rsp, size_t want)
{
    size_t got = 0;
    tco_status st = transact(dev, op, pl, len, rsp, want, &got);

    return st == TCO_OK && got != want ? TCO_ERR_PROTOCOL : st;
}

/* ----------------------------------------------------------------------------------------- */
/* Pipelines: n requests of one opcode, up to PIPE_DEPTH in flight, answers matched by id. An
 * answer that never comes (lost, damaged, refused unexecuted) leaves its item to be resent
 * alone afterwards through transact; the items of a pipeline are all idempotent (AES_CTR and
 * SRTP are pure functions of their payload and the keys). */

typedef struct pipe_ops {
    uint8_t op;
    void *ctx;
    bool (*want)(void *ctx, size_t i);                         /* send item i at all? */
    size_t (*build)(void *ctx, size_t i, uint8_t *pl);         /* its payload, length back */
    tco_status (*take)(void *ctx, size_t i, const uint8_t *p, size_t n); /* an OK answer */
    void (*done)(void *ctx, size_t i, tco_status st);          /* its final status */
} pipe_ops;

static tco_status pipe_run(tco_dev *dev, const pipe_ops *po, size_t n)
{
    uint16_t rids[PIPE_DEPTH];
    size_t idx[PIPE_DEPTH], flen[PIPE_DEPTH], next = 0, head = 0, tail = 0;
    size_t window = R(dev)->tops->window ? R(dev)->tops->window(R(dev)->t) : SIZE_MAX;
    uint8_t *pl = malloc(TCO_FRAME_MAX_PAYLOAD), *rb = malloc(TCO_FRAME_MAX_PAYLOAD);
    bool *redo = calloc(n ? n : 1, sizeof(bool));
    tco_status link = TCO_OK;

    if (pl == NULL || rb == NULL || redo == NULL) {
        free(pl);
        free(rb);
        free(redo);
        return TCO_ERR_NO_MEMORY;
    }
    while (link == TCO_OK && (next < n || head != tail)) {
        tco_frame f;
        tco_status st;
        size_t j;

        while (next < n && tail - head < PIPE_DEPTH) {
            if (po->want(po->ctx, next)) {
                size_t len = po->build(po->ctx, next, pl), behind = 0;
                /* a device without flow control buffers only `window` octets beyond the
                 * request it is working on: keep the frames after the oldest within it */
                for (size_t q = head + 1; q < tail; q++)
                    behind += flen[q % PIPE_DEPTH];
                if (head != tail && window != SIZE_MAX &&
                    behind + len + (TCO_FRAME_HDR + TCO_FRAME_TRAILER) > window)
                    break;
                flen[tail % PIPE_DEPTH] = len + (TCO_FRAME_HDR + TCO_FRAME_TRAILER);
                st = send_req(dev, po->op, pl, len, &rids[tail % PIPE_DEPTH]);
                if (st != TCO_OK && st != TCO_ERR_TIMEOUT) {
                    link = st;
                    break;
                }
                idx[tail % PIPE_DEPTH] = next;
                tail++;
            }
            next++;
        }
        if (link != TCO_OK || head == tail)
            continue;
        st = next_frame(dev, &f);
        if (st == TCO_ERR_IO) {
            link = st;
            break;
        }
        if (st != TCO_OK) {
            /* nothing more comes: everything in flight is lost */
            for (; head != tail; head++)
                redo[idx[head % PIPE_DEPTH]] = true;
            resync(dev);
            continue;
        }
        if (f.oversize || !f.crc_ok) {
            tco_log(dev, TCO_LOG_WARN, "%s: damaged response frame dropped", dev->ops->scheme);
            continue;
        }
        for (j = head; j != tail && rids[j % PIPE_DEPTH] != f.rid; j++)
            ;
        if (j == tail)
            continue; /* not one in flight: a late or duplicated answer to an older request */
        for (; head != j; head++)
            redo[idx[head % PIPE_DEPTH]] = true; /* answers in order: these were lost */
        {
            size_t i = idx[head % PIPE_DEPTH];
            if (not_run_code(f.code))
                redo[i] = true;
            else if (f.code != TCO_P_ST_OK)
                po->done(po->ctx, i, tco_p_status_to_host(f.code));
            else
                po->done(po->ctx, i, po->take(po->ctx, i, f.payload, f.len));
            head++;
        }
    }
    if (link != TCO_OK) {
        for (; head != tail; head++)
            po->done(po->ctx, idx[head % PIPE_DEPTH], link);
        for (; next < n; next++)
            if (po->want(po->ctx, next))
                po->done(po->ctx, next, link);
    }
    /* the items whose answer never came: alone, with transact's resends */
    for (size_t i = 0; i < n; i++) {
        size_t len, got = 0;
        tco_status st;
        if (!redo[i])
            continue;
        if (link != TCO_OK) {
            po->done(po->ctx, i, link);
            continue;
        }
        dev->link_retries++;
        len = po->build(po->ctx, i, pl);
        st = transact(dev, po->op, pl, len, rb, TCO_FRAME_MAX_PAYLOAD, &got);
        if (st == TCO_OK)
            st = po->take(po->ctx, i, rb, got);
        if (st == TCO_ERR_IO || st == TCO_ERR_TIMEOUT)
            link = st;
        po->done(po->ctx, i, st);
    }
    tco_cleanse(pl, TCO_FRAME_MAX_PAYLOAD);
    tco_cleanse(rb, TCO_FRAME_MAX_PAYLOAD);
    free(pl);
    free(rb);
    free(redo);
    return link;
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

/* Bring the device up over t, an opened transport (closed again on failure). */
static tco_status remote_attach(tco_dev *dev, const tco_transport_ops *tops, tco_transport *t)
{
    remote *r = calloc(1, sizeof(*r));
    uint8_t info[18];
    tco_status st;

    if (r == NULL) {
        tops->close(t);
        return TCO_ERR_NO_MEMORY;
    }
    r->tops = tops;
    r->t = t;
    tco_frame_dec_init(&r->dec, TCO_P_SYNC_RSP);
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

static tco_status remote_open(tco_dev *dev, const char *args, const tco_transport_ops *tops)
{
    tco_transport *t = NULL;
    tco_status st = tops->open(&t, args);

    return st != TCO_OK ? st : remote_attach(dev, tops, t);
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
typedef struct ctr_job {
    tco_slot slot;
    unsigned bits;
    uint8_t ctr[16];
    const uint8_t *in;
    uint8_t *out;
    size_t len;
    tco_status first;
} ctr_job;

static bool ctr_want(void *c, size_t i)
{
    (void)c, (void)i;
    return true;
}

static size_t ctr_build(void *c, size_t i, uint8_t *pl)
{
    ctr_job *j = c;
    size_t off = i * CTR_CHUNK, n = j->len - off < CTR_CHUNK ? j->len - off : CTR_CHUNK;

    pl[0] = (uint8_t)j->slot;
    pl[1] = ctr_width_code(j->bits);
    memcpy(pl + 2, j->ctr, 16);
    ctr_add(pl + 2, j->bits, (uint64_t)i * (CTR_CHUNK / 16));
    if (n)
        memcpy(pl + CTR_HDR, j->in + off, n);
    return CTR_HDR + n;
}

static tco_status ctr_take(void *c, size_t i, const uint8_t *p, size_t got)
{
    ctr_job *j = c;
    size_t off = i * CTR_CHUNK, n = j->len - off < CTR_CHUNK ? j->len - off : CTR_CHUNK;

    if (got != n)
        return TCO_ERR_PROTOCOL;
    if (n)
        memcpy(j->out + off, p, n);
    return TCO_OK;
}

static void ctr_done(void *c, size_t i, tco_status st)
{
    ctr_job *j = c;
    (void)i;
    if (j->first == TCO_OK)
        j->first = st;
}

static tco_status remote_aes_ctr(tco_dev *dev, tco_slot slot, const uint8_t ctr[16],
                                 unsigned ctr_bits, const uint8_t *in, uint8_t *out, size_t len)
{
    ctr_job j;
    pipe_ops po = {TCO_P_OP_AES_CTR, &j, ctr_want, ctr_build, ctr_take, ctr_done};
    size_t nchunks = len ? (len + CTR_CHUNK - 1) / CTR_CHUNK : 1;
    uint8_t *tmp = NULL;
    tco_status link;

    if (len > 0 && in == out) {
        tmp = malloc(len); /* in place: keep the input until all frames are back */
        if (tmp == NULL)
            return TCO_ERR_NO_MEMORY;
    }
    memset(&j, 0, sizeof(j));
    j.slot = slot;
    j.bits = ctr_bits;
    memcpy(j.ctr, ctr, 16);
    j.in = in;
    j.out = tmp ? tmp : out;
    j.len = len;
    link = pipe_run(dev, &po, nchunks);
    if (j.first == TCO_OK && link != TCO_OK)
        j.first = link;
    if (tmp != NULL) {
        if (j.first == TCO_OK)
            memcpy(out, tmp, len);
        tco_cleanse(tmp, len);
        free(tmp);
    }
    if (j.first != TCO_OK && len > 0)
        memset(out, 0, len); /* no partial output */
    return j.first;
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
                                  const uint8_t salt[14], tco_slot dest, uint32_t dest_attrs)
{
    uint8_t pl[20];

    pl[0] = (uint8_t)master;
    pl[1] = label;
    pl[2] = (uint8_t)dest;
    pl[3] = (uint8_t)(dest_attrs >> 8);
    pl[4] = (uint8_t)dest_attrs;
    pl[5] = 0; /* reserved (the label fixes the length) */
    memcpy(pl + 6, salt, 14);
    return transact_n(dev, TCO_P_OP_SRTP_KDF, pl, sizeof(pl), NULL, 0);
}

/* One SRTP request payload: 19 octets of parameters, then the packet. */
static size_t srtp_build(void *c, size_t i, uint8_t *pl)
{
    const tco_srtp_frame_req *r = (const tco_srtp_frame_req *)c + i;
    size_t n = 0;

    /* No tag (tag_len 0): the device takes 1..20, and AES-CM is its own inverse, so the
     * packet goes as a protect with a 1-octet tag that srtp_take drops. */
    pl[n++] = (uint8_t)((r->unprotect && r->tag_len ? 1 : 0) | (r->rtcp ? 2 : 0));
    pl[n++] = (uint8_t)r->ke;
    pl[n++] = (uint8_t)r->ka;
    pl[n++] = (uint8_t)r->ks;
    pl[n++] = (uint8_t)(r->tag_len ? r->tag_len : 1);
    pl[n++] = (uint8_t)(r->clear_len >> 8);
    pl[n++] = (uint8_t)r->clear_len;
    pl[n++] = (uint8_t)(r->enc_len >> 8);
    pl[n++] = (uint8_t)r->enc_len;
    for (int k = 0; k < 6; k++)
        pl[n++] = (uint8_t)(r->index >> (40 - 8 * k));
    for (int k = 0; k < 4; k++)
        pl[n++] = (uint8_t)(r->roc >> (24 - 8 * k));
    memcpy(pl + n, r->in, r->in_len);
    return n + r->in_len;
}

static bool srtp_want(void *c, size_t i)
{
    return ((tco_srtp_frame_req *)c)[i].status == TCO_OK; /* refused before: not sent */
}

static tco_status srtp_take(void *c, size_t i, const uint8_t *p, size_t got)
{
    tco_srtp_frame_req *r = (tco_srtp_frame_req *)c + i;
    size_t want = r->unprotect ? r->in_len - r->tag_len : r->in_len + r->tag_len;

    if (got != want + (r->tag_len == 0 ? 1u : 0u))
        return TCO_ERR_PROTOCOL;
    memcpy(r->out, p, want); /* (without the 1-octet tag of a tag-less request) */
    r->out_len = want;
    return TCO_OK;
}

static void srtp_done(void *c, size_t i, tco_status st)
{
    ((tco_srtp_frame_req *)c)[i].status = st;
}

/* SRTP packets: up to PIPE_DEPTH frames in flight. A device status (AUTH, a slot error) ends
 * only its own packet; a link that stays down ends all that remain. */
static tco_status remote_srtp_frames(tco_dev *dev, tco_srtp_frame_req *reqs, size_t n)
{
    pipe_ops po = {TCO_P_OP_SRTP, reqs, srtp_want, srtp_build, srtp_take, srtp_done};

    return pipe_run(dev, &po, n);
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

/* The backends on the remote layer differ in their scheme and how they open the transport. */
#define REMOTE_BACKEND(scheme_, open_)                                                       \
    {                                                                                        \
        .scheme = (scheme_), .open = (open_), .close = remote_close, .info = remote_info,     \
        .key_write = remote_key_write, .key_read = remote_key_read,                          \
        .key_erase = remote_key_erase, .key_info = remote_key_info, .kdf = remote_kdf,       \
        .aes_block = remote_aes_block, .aes_ctr = remote_aes_ctr, .hmac = remote_hmac,       \
        .gsm_c3 = remote_gsm_c3, .srtp_kdf = remote_srtp_kdf,                                \
        .srtp_frames = remote_srtp_frames, .key_wrap = remote_key_wrap,                      \
        .key_unwrap = remote_key_unwrap,                                                     \
    }

static tco_status sim_open(tco_dev *dev, const char *args)
{
    return remote_open(dev, args, &tco_transport_sim);
}

const tco_backend_ops tco_sim_backend = REMOTE_BACKEND("sim", sim_open);

/* usb: an FTDI chip through libusb (driver/usb.c, docs/usb.md); the transport says why an
 * open failed (no such VID:PID, no permission, busy), and that goes to the log. */
static tco_status usb_open(tco_dev *dev, const char *args)
{
    char why[256];
    tco_transport *t = NULL;
    tco_status st = tco_usb_open(&t, args, why, sizeof(why));

    if (st != TCO_OK) {
        tco_log(dev, TCO_LOG_ERROR, "usb: %s", why[0] ? why : tco_strerror(st));
        return st;
    }
    return remote_attach(dev, &tco_transport_usb, t);
}

const tco_backend_ops tco_usb_backend = REMOTE_BACKEND("usb", usb_open);

/* pcie: an XDMA-style card, its AXI-Stream channels as character devices (driver/pcie.c,
 * docs/pcie.md). */
static tco_status pcie_open(tco_dev *dev, const char *args)
{
    return remote_open(dev, args, &tco_transport_pcie);
}

const tco_backend_ops tco_pcie_backend = REMOTE_BACKEND("pcie", pcie_open);
