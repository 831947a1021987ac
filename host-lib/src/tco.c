/* SPDX-License-Identifier: Apache-2.0 */
/* tco front end: handle lifetime, argument checks, dispatch of engine ops to the backend. */
#include "tco_priv.h"
#include "tco_protocol.h"

#include <openssl/crypto.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const tco_backend_ops *const backends[] = {
    &tco_soft_backend,
    &tco_sim_backend,
    &tco_pcie_backend,
    &tco_usb_backend,
};

const char *tco_strerror(tco_status st)
{
    switch (st) {
    case TCO_OK: return "success";
    case TCO_ERR_INVALID_ARG: return "invalid argument";
    case TCO_ERR_KEY_LENGTH: return "key length not accepted";
    case TCO_ERR_RANGE: return "parameter out of range";
    case TCO_ERR_NO_SLOT: return "no such key slot";
    case TCO_ERR_SLOT_EMPTY: return "key slot is empty";
    case TCO_ERR_USAGE: return "key usage not allowed";
    case TCO_ERR_NOT_EXPORTABLE: return "key is not exportable";
    case TCO_ERR_BUFFER_SMALL: return "output buffer too small";
    case TCO_ERR_NO_MEMORY: return "out of memory";
    case TCO_ERR_UNSUPPORTED: return "not supported";
    case TCO_ERR_BAD_URI: return "malformed device URI";
    case TCO_ERR_SELFTEST: return "known-answer self-test failed";
    case TCO_ERR_CRYPTO: return "crypto provider error";
    case TCO_ERR_IO: return "device I/O error";
    case TCO_ERR_TIMEOUT: return "device timeout";
    case TCO_ERR_PROTOCOL: return "device protocol error";
    case TCO_ERR_NO_FREE_SLOT: return "no free key slot";
    case TCO_ERR_STATE: return "not allowed in the current state";
    case TCO_ERR_AUTH: return "authentication failed";
    case TCO_ERR_REPLAY: return "replayed packet";
    case TCO_ERR_TRUNCATED: return "packet truncated";
    case TCO_ERR_BAD_VERSION: return "wrong RTP/RTCP version";
    case TCO_ERR_TOO_SHORT: return "packet too short for its tag";
    case TCO_ERR_TOO_OLD: return "packet index behind the replay window";
    case TCO_ERR_KEY_EXHAUSTED: return "master key lifetime exhausted";
    case TCO_ERR_UNKNOWN_MKI: return "unknown MKI";
    case TCO_ERR_NOT_MAPPABLE: return "packet does not fit the CS-bearer mapping";
    case TCO_ERR_NO_ROC: return "ROC not known yet: waiting for a packet that carries it";
    case TCO_ERR_NO_WARRANT: return "no valid warrant for this target at this time";
    case TCO_ERR_FAILED_OVER: return "device failed; now on soft: with empty slots (reload keys)";
    case TCO_ERR_NO_DEVICE: return "no device found";
    }
    return "unknown status";
}

void tco_log(tco_dev *dev, tco_log_level level, const char *fmt, ...)
{
    char line[256];
    va_list ap;

    if (dev == NULL || dev->log == NULL || level > dev->log_level)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    dev->log(dev->log_user, level, line);
}

void tco_cleanse(void *p, size_t n)
{
    OPENSSL_cleanse(p, n); /* memset the compiler cannot drop, at memset speed */
}

int tco_ct_memcmp(const void *a, const void *b, size_t n)
{
    const volatile uint8_t *x = a, *y = b;
    uint8_t acc = 0;

    for (size_t i = 0; i < n; i++)
        acc |= (uint8_t)(x[i] ^ y[i]);
    return acc != 0;
}

tco_status tco_open(tco_dev **dev, const char *uri)
{
    return tco_open_ex(dev, uri, NULL);
}

const tco_backend_ops *tco_backend_find(const char *scheme, size_t slen)
{
    for (size_t i = 0; i < TCO_ARRAY_LEN(backends); i++) {
        if (strlen(backends[i]->scheme) == slen && memcmp(backends[i]->scheme, scheme, slen) == 0)
            return backends[i];
    }
    return NULL;
}

tco_status tco_dev_open(tco_dev *dev, const tco_backend_ops *ops, const char *args)
{
    tco_status st;

    dev->ops = ops;
    dev->link_retries = 0; /* (auto: may have tried another device on this handle) */
    st = ops->open(dev, args);
    if (st != TCO_OK) {
        tco_log(dev, st == TCO_ERR_NO_DEVICE ? TCO_LOG_INFO : TCO_LOG_ERROR,
                "%s: open failed: %s", ops->scheme, tco_strerror(st));
        dev->ops = NULL;
        dev->be = NULL;
        return st;
    }
    dev->slot_used = calloc(dev->num_slots, 1);
    if (dev->slot_used == NULL) {
        ops->close(dev);
        dev->ops = NULL;
        return TCO_ERR_NO_MEMORY;
    }
    st = tco_run_selftest(dev);
    if (st != TCO_OK) {
        tco_log(dev, TCO_LOG_ERROR, "%s: self-test failed, device not opened", ops->scheme);
        tco_dev_release(dev, false);
        return TCO_ERR_SELFTEST;
    }
    tco_log(dev, TCO_LOG_INFO, "%s: opened, %u slots, self-test passed", ops->scheme,
            dev->num_slots);
    return TCO_OK;
}

void tco_dev_release(tco_dev *dev, bool stop_on_link_error)
{
    for (tco_slot s = 0; s < dev->num_slots; s++) {
        tco_status st = dev->ops->key_erase(dev, s);
        if (stop_on_link_error && (st == TCO_ERR_IO || st == TCO_ERR_TIMEOUT))
            break; /* the device is unreachable: the rest would only wait */
    }
    dev->ops->close(dev);
    free(dev->slot_used);
    dev->slot_used = NULL;
    dev->ops = NULL;
    dev->be = NULL;
    dev->num_slots = dev->caps = dev->max_data = dev->max_mac = dev->max_srtp = 0;
}

tco_status tco_open_ex(tco_dev **devp, const char *uri, const tco_open_opts *opts)
{
    const tco_backend_ops *ops = NULL;
    const char *colon;
    size_t slen;
    tco_dev *dev;
    tco_status st;

    if (devp == NULL)
        return TCO_ERR_INVALID_ARG;
    *devp = NULL;
    if (uri == NULL)
        return TCO_ERR_INVALID_ARG;
    colon = strchr(uri, ':');
    if (colon == NULL || colon == uri)
        return TCO_ERR_BAD_URI;
    slen = (size_t)(colon - uri);
    ops = tco_backend_find(uri, slen);
    if (ops == NULL && !(slen == 4 && memcmp(uri, "auto", 4) == 0))
        return TCO_ERR_UNSUPPORTED;

    dev = calloc(1, sizeof(*dev));
    if (dev == NULL)
        return TCO_ERR_NO_MEMORY;
    if (opts != NULL) {
        dev->log = opts->log;
        dev->log_user = opts->log_user;
        dev->log_level = opts->log_level;
    }
    st = ops != NULL ? tco_dev_open(dev, ops, colon + 1) : tco_auto_open(dev, colon + 1);
    if (st != TCO_OK) {
        free(dev);
        return st;
    }
    *devp = dev;
    return TCO_OK;
}

void tco_close(tco_dev *dev)
{
    if (dev == NULL)
        return;
    tco_dev_release(dev, false);
    free(dev);
}

tco_status tco_get_info(tco_dev *dev, tco_info *info)
{
    tco_info tmp;
    tco_status st;

    if (dev == NULL || info == NULL)
        return TCO_ERR_INVALID_ARG;
    memset(&tmp, 0, sizeof(tmp));
    snprintf(tmp.backend, sizeof(tmp.backend), "%s", dev->ops->scheme);
    tmp.caps = dev->caps;
    tmp.num_slots = dev->num_slots;
    tmp.max_data = dev->max_data;
    tmp.max_mac = dev->max_mac;
    st = dev->ops->info(dev, &tmp);
    tmp.link_retries = dev->link_retries; /* (after the info request: it may have resent) */
    tmp.fallback = dev->fallback;
    if (st == TCO_OK)
        *info = tmp;
    return st;
}

tco_status tco_selftest(tco_dev *dev)
{
    if (dev == NULL)
        return TCO_ERR_INVALID_ARG;
    return tco_run_selftest(dev);
}

uint64_t tco_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* auto:?health=MS: before an engine call, the periodic health check when it is due. A
 * failed device on a handle with fallback allowed is switched to soft: and the call returns
 * TCO_ERR_FAILED_OVER without running (the caller reloads its keys and calls again). */
static tco_status health_tick(tco_dev *dev)
{
    uint64_t now;
    tco_status st;

    if (dev->health_ns == 0 || dev->in_health)
        return TCO_OK; /* (the self-test's own calls do not tick) */
    now = tco_now_ns();
    if (now - dev->health_last_ns < dev->health_ns)
        return TCO_OK;
    st = tco_health_check(dev);
    dev->health_last_ns = tco_now_ns();
    return st == TCO_ERR_FAILED_OVER ? st : TCO_OK;
}

tco_status tco_health_check(tco_dev *dev)
{
    tco_status st;

    if (dev == NULL)
        return TCO_ERR_INVALID_ARG;
    dev->in_health = true;
    st = tco_run_selftest(dev);
    dev->in_health = false;
    if (st == TCO_OK || st == TCO_ERR_NO_FREE_SLOT)
        return st;
    tco_log(dev, TCO_LOG_ERROR, "%s: health check: self-test failed", dev->ops->scheme);
    if (!dev->auto_fallback || dev->ops == &tco_soft_backend)
        return TCO_ERR_SELFTEST;
    return tco_auto_failover(dev);
}

/* ---------------------------------------------------------------------------------------- */
/* Slots */

void tco_slot_mark(tco_dev *dev, tco_slot slot, bool used)
{
    dev->slot_used[slot] = used ? 1 : 0;
}

tco_status tco_slot_alloc(tco_dev *dev, tco_slot *slot)
{
    if (dev == NULL || slot == NULL)
        return TCO_ERR_INVALID_ARG;
    return tco_slot_alloc_n(dev, slot, 1);
}

tco_status tco_slot_alloc_n(tco_dev *dev, tco_slot *slots, size_t n)
{
    size_t got = 0;

    for (tco_slot s = 0; s < dev->num_slots && got < n; s++) {
        if (!dev->slot_used[s]) {
            dev->slot_used[s] = 1;
            slots[got++] = s;
        }
    }
    if (got < n) {
        while (got > 0)
            dev->slot_used[slots[--got]] = 0;
        return TCO_ERR_NO_FREE_SLOT;
    }
    return TCO_OK;
}

static bool attrs_valid(uint32_t attrs)
{
    return (attrs & ~(uint32_t)TCO_ATTR_ALL) == 0;
}

tco_status tco_key_load(tco_dev *dev, tco_slot slot, const uint8_t *key, size_t len,
                        uint32_t attrs)
{
    tco_status st;

    if (dev == NULL || key == NULL || !attrs_valid(attrs))
        return TCO_ERR_INVALID_ARG;
    if (slot >= dev->num_slots)
        return TCO_ERR_NO_SLOT;
    if (len == 0 || len > TCO_KEY_MAX)
        return TCO_ERR_KEY_LENGTH;
    st = dev->ops->key_write(dev, slot, key, len, attrs);
    if (st == TCO_OK)
        tco_slot_mark(dev, slot, true);
    return st;
}

tco_status tco_key_read(tco_dev *dev, tco_slot slot, uint8_t *out, size_t cap, size_t *len)
{
    uint8_t tmp[32];
    size_t n = 0;
    tco_status st;

    if (dev == NULL || out == NULL || len == NULL)
        return TCO_ERR_INVALID_ARG;
    if (slot >= dev->num_slots)
        return TCO_ERR_NO_SLOT;
    st = dev->ops->key_read(dev, slot, tmp, &n);
    if (st == TCO_OK) {
        if (n > cap) {
            st = TCO_ERR_BUFFER_SMALL;
        } else {
            memcpy(out, tmp, n);
            *len = n;
        }
    }
    tco_cleanse(tmp, sizeof(tmp));
    return st;
}

tco_status tco_key_erase(tco_dev *dev, tco_slot slot)
{
    tco_status st;

    if (dev == NULL)
        return TCO_ERR_INVALID_ARG;
    if (slot >= dev->num_slots)
        return TCO_ERR_NO_SLOT;
    st = dev->ops->key_erase(dev, slot);
    if (st == TCO_OK)
        tco_slot_mark(dev, slot, false);
    return st;
}

tco_status tco_key_info(tco_dev *dev, tco_slot slot, size_t *len, uint32_t *attrs)
{
    if (dev == NULL || len == NULL || attrs == NULL)
        return TCO_ERR_INVALID_ARG;
    if (slot >= dev->num_slots)
        return TCO_ERR_NO_SLOT;
    return dev->ops->key_info(dev, slot, len, attrs);
}

/* ---------------------------------------------------------------------------------------- */
/* Engine ops */

static tco_status check_kdf_args(tco_dev *dev, tco_slot key_slot, uint8_t fc,
                                 const tco_kdf_param *p, size_t np)
{
    size_t slen = 1;

    if (np > 0 && p == NULL)
        return TCO_ERR_INVALID_ARG;
    if (key_slot >= dev->num_slots)
        return TCO_ERR_NO_SLOT;
    if (fc == 0xFF || np > TCO_KDF_MAX_PARAMS)
        return TCO_ERR_RANGE;
    for (size_t i = 0; i < np; i++) {
        if (p[i].from_slot) {
            if (p[i].slot >= dev->num_slots)
                return TCO_ERR_NO_SLOT;
            /* the length comes from the slot; checked by the backend */
            slen += 32 + 2;
        } else {
            if (p[i].len > 0 && p[i].data == NULL)
                return TCO_ERR_INVALID_ARG;
            if (p[i].len > 0xFFFF)
                return TCO_ERR_RANGE;
            slen += p[i].len + 2;
        }
        if (slen > TCO_KDF_MAX_S)
            return TCO_ERR_RANGE;
    }
    return TCO_OK;
}

tco_status tco_kdf(tco_dev *dev, tco_slot key_slot, uint8_t fc, const tco_kdf_param *p,
                   size_t np, uint8_t out[32])
{
    uint8_t tmp[32];
    tco_status st;

    if (dev == NULL || out == NULL)
        return TCO_ERR_INVALID_ARG;
    st = check_kdf_args(dev, key_slot, fc, p, np);
    if (st != TCO_OK)
        return st;
    if ((st = health_tick(dev)) != TCO_OK)
        return st;
    st = dev->ops->kdf(dev, key_slot, fc, p, np, tmp, NULL);
    if (st == TCO_OK)
        memcpy(out, tmp, 32);
    tco_cleanse(tmp, sizeof(tmp));
    return st;
}

tco_status tco_kdf_derive(tco_dev *dev, tco_slot key_slot, uint8_t fc, const tco_kdf_param *p,
                          size_t np, const tco_kdf_dest *dest)
{
    tco_status st;

    if (dev == NULL || dest == NULL)
        return TCO_ERR_INVALID_ARG;
    if (dest->split > TCO_SPLIT_LSB128 || !attrs_valid(dest->attrs_a))
        return TCO_ERR_INVALID_ARG;
    if (dest->split == TCO_SPLIT_HALVES) {
        if (!attrs_valid(dest->attrs_b))
            return TCO_ERR_INVALID_ARG;
        if (dest->slot_b >= dev->num_slots)
            return TCO_ERR_NO_SLOT;
        if (dest->slot_b == dest->slot_a)
            return TCO_ERR_INVALID_ARG;
    }
    if (dest->slot_a >= dev->num_slots)
        return TCO_ERR_NO_SLOT;
    st = check_kdf_args(dev, key_slot, fc, p, np);
    if (st != TCO_OK)
        return st;
    if ((st = health_tick(dev)) != TCO_OK)
        return st;
    st = dev->ops->kdf(dev, key_slot, fc, p, np, NULL, dest);
    if (st == TCO_OK) {
        tco_slot_mark(dev, dest->slot_a, true);
        if (dest->split == TCO_SPLIT_HALVES)
            tco_slot_mark(dev, dest->slot_b, true);
    }
    return st;
}

tco_status tco_aes_block(tco_dev *dev, tco_slot slot, const uint8_t in[16], uint8_t out[16])
{
    if (dev == NULL || in == NULL || out == NULL)
        return TCO_ERR_INVALID_ARG;
    if (slot >= dev->num_slots)
        return TCO_ERR_NO_SLOT;
    {
        tco_status ht = health_tick(dev);
        if (ht != TCO_OK)
            return ht;
    }
    return dev->ops->aes_block(dev, slot, in, out);
}

tco_status tco_aes_ctr(tco_dev *dev, tco_slot slot, const uint8_t ctr[16], unsigned ctr_bits,
                       const uint8_t *in, uint8_t *out, size_t len)
{
    if (dev == NULL || ctr == NULL || ((in == NULL || out == NULL) && len > 0))
        return TCO_ERR_INVALID_ARG;
    if (ctr_bits != 16 && ctr_bits != 32 && ctr_bits != 64 && ctr_bits != 128)
        return TCO_ERR_INVALID_ARG;
    if (in != out && len > 0 && in < out + len && out < in + len)
        return TCO_ERR_INVALID_ARG; /* partial overlap */
    if (slot >= dev->num_slots)
        return TCO_ERR_NO_SLOT;
    if (len > dev->max_data)
        return TCO_ERR_RANGE;
    if (len > 0) {
        /* the low ctr_bits of the counter must not wrap inside this call */
        uint64_t blocks = (len + 15) / 16, room = 0;
        if (ctr_bits >= 64) {
            room = UINT64_MAX; /* 2^64 blocks cannot be asked for */
            if (ctr_bits == 64) {
                uint64_t c = 0;
                for (int i = 8; i < 16; i++)
                    c = (c << 8) | ctr[i];
                room = UINT64_MAX - c + 1; /* 0 means 2^64 */
                if (room == 0)
                    room = UINT64_MAX;
            }
        } else {
            uint64_t c = 0;
            for (unsigned i = 16 - ctr_bits / 8; i < 16; i++)
                c = (c << 8) | ctr[i];
            room = (1ull << ctr_bits) - c;
        }
        if (blocks > room)
            return TCO_ERR_RANGE;
    }
    {
        tco_status ht = health_tick(dev);
        if (ht != TCO_OK)
            return ht;
    }
    return dev->ops->aes_ctr(dev, slot, ctr, ctr_bits, in, out, len);
}

tco_status tco_hmac(tco_dev *dev, tco_slot slot, tco_hash hash, const uint8_t *msg, size_t len,
                    uint8_t *mac, size_t cap, size_t *mac_len)
{
    uint8_t tmp[32];
    size_t n = 0;
    tco_status st;

    if (dev == NULL || mac == NULL || mac_len == NULL || (msg == NULL && len > 0))
        return TCO_ERR_INVALID_ARG;
    if (hash != TCO_HASH_SHA256 && hash != TCO_HASH_SHA1)
        return TCO_ERR_INVALID_ARG;
    if (cap < (hash == TCO_HASH_SHA256 ? 32u : 20u))
        return TCO_ERR_BUFFER_SMALL;
    if (slot >= dev->num_slots)
        return TCO_ERR_NO_SLOT;
    if (len > dev->max_mac)
        return TCO_ERR_RANGE;
    /* a device built without the hash (e.g. the HX8K build has no SHA-1) would answer it as a
     * malformed request; say what it is */
    if (!(dev->caps & (hash == TCO_HASH_SHA256 ? TCO_CAP_HMAC_SHA256 : TCO_CAP_HMAC_SHA1)))
        return TCO_ERR_UNSUPPORTED;
    if ((st = health_tick(dev)) != TCO_OK)
        return st;
    st = dev->ops->hmac(dev, slot, hash, msg, len, tmp, &n);
    if (st == TCO_OK) {
        memcpy(mac, tmp, n);
        *mac_len = n;
    }
    return st;
}

tco_status tco_gsm_c3(tco_dev *dev, tco_slot ck_slot, tco_slot ik_slot, uint8_t kc[8])
{
    uint8_t tmp[8];
    tco_status st;

    if (dev == NULL || kc == NULL)
        return TCO_ERR_INVALID_ARG;
    if (ck_slot >= dev->num_slots || ik_slot >= dev->num_slots)
        return TCO_ERR_NO_SLOT;
    if ((st = health_tick(dev)) != TCO_OK)
        return st;
    st = dev->ops->gsm_c3(dev, ck_slot, ik_slot, tmp);
    if (st == TCO_OK)
        memcpy(kc, tmp, 8);
    tco_cleanse(tmp, sizeof(tmp));
    return st;
}

tco_status tco_srtp_kdf(tco_dev *dev, tco_slot master_slot, uint8_t label,
                        const uint8_t master_salt[14], tco_slot dest_slot, uint32_t dest_attrs)
{
    if (dev == NULL || master_salt == NULL || !attrs_valid(dest_attrs))
        return TCO_ERR_INVALID_ARG;
    if (!(dev->caps & TCO_CAP_SRTP))
        return TCO_ERR_UNSUPPORTED;
    if (label > 5)
        return TCO_ERR_RANGE;
    if (master_slot >= dev->num_slots || dest_slot >= dev->num_slots)
        return TCO_ERR_NO_SLOT;
    if (dest_slot == master_slot)
        return TCO_ERR_INVALID_ARG; /* the session keys are linked to the master */
    /* the label fixes the role: add it; another usage bit is the device's USAGE refusal */
    if ((dest_attrs & TCO_ATTR_ALL & ~(TCO_ATTR_EXPORTABLE | TCO_ATTR_EXTRACTABLE |
                                        TCO_ATTR_WRAP_TRUSTED | TCO_ATTR_TRUSTED)) == 0)
        dest_attrs |= tco_p_srtp_role(label);
    tco_status st = dev->ops->srtp_kdf(dev, master_slot, label, master_salt, dest_slot,
                                       dest_attrs);
    if (st == TCO_OK)
        tco_slot_mark(dev, dest_slot, true);
    return st;
}

/* Everything about one SRTP request that needs no device state. */
static tco_status check_srtp_req(const tco_dev *dev, const tco_srtp_frame_req *r)
{
    size_t need;

    if (r->in == NULL || r->out == NULL)
        return TCO_ERR_INVALID_ARG;
    if (r->tag_len > 20 || r->clear_len < (r->rtcp ? 8u : 12u))
        return TCO_ERR_INVALID_ARG;
    if (r->in != r->out && r->in < r->out + r->out_cap && r->out < r->in + r->in_len)
        return TCO_ERR_INVALID_ARG; /* partial overlap */
    if (r->index >> (r->rtcp ? 31 : 48))
        return TCO_ERR_RANGE;
    if (r->clear_len > r->in_len || r->enc_len > r->in_len - r->clear_len ||
        (r->unprotect && r->tag_len > r->in_len - r->clear_len - r->enc_len))
        return TCO_ERR_INVALID_ARG;
    if (r->in_len > dev->max_srtp)
        return TCO_ERR_RANGE;
    need = r->unprotect ? r->in_len - r->tag_len : r->in_len + r->tag_len;
    if (r->out_cap < need)
        return TCO_ERR_BUFFER_SMALL;
    if (r->ke >= dev->num_slots || r->ka >= dev->num_slots || r->ks >= dev->num_slots)
        return TCO_ERR_NO_SLOT;
    return TCO_OK;
}

tco_status tco_srtp_frame(tco_dev *dev, tco_srtp_frame_req *req)
{
    tco_status st;

    if (dev == NULL || req == NULL)
        return TCO_ERR_INVALID_ARG;
    if (!(dev->caps & TCO_CAP_SRTP))
        return TCO_ERR_UNSUPPORTED;
    req->out_len = 0;
    req->status = check_srtp_req(dev, req);
    if (req->status != TCO_OK)
        return req->status;
    if ((st = health_tick(dev)) != TCO_OK)
        return st;
    st = dev->ops->srtp_frames(dev, req, 1);
    return st != TCO_OK ? st : req->status;
}

tco_status tco_srtp_frames(tco_dev *dev, tco_srtp_frame_req *reqs, size_t n)
{
    tco_status st, first = TCO_OK;
    size_t todo = 0;

    if (dev == NULL || (reqs == NULL && n > 0))
        return TCO_ERR_INVALID_ARG;
    if (!(dev->caps & TCO_CAP_SRTP))
        return TCO_ERR_UNSUPPORTED;
    for (size_t i = 0; i < n; i++) {
        reqs[i].out_len = 0;
        reqs[i].status = check_srtp_req(dev, &reqs[i]);
        todo += reqs[i].status == TCO_OK;
    }
    if (todo == 0 && n > 0)
        return reqs[0].status;
    if ((st = health_tick(dev)) != TCO_OK)
        return st;
    st = dev->ops->srtp_frames(dev, reqs, n);
    if (st != TCO_OK)
        return st;
    for (size_t i = 0; i < n && first == TCO_OK; i++)
        first = reqs[i].status;
    return first;
}

tco_status tco_key_wrap(tco_dev *dev, tco_slot kek_slot, tco_slot key_slot, uint8_t *out,
                        size_t cap, size_t *out_len)
{
    uint8_t tmp[40];
    size_t n = 0;
    tco_status st;

    if (dev == NULL || out == NULL || out_len == NULL)
        return TCO_ERR_INVALID_ARG;
    *out_len = 0;
    if (!(dev->caps & TCO_CAP_KEY_WRAP))
        return TCO_ERR_UNSUPPORTED;
    if (kek_slot >= dev->num_slots || key_slot >= dev->num_slots)
        return TCO_ERR_NO_SLOT;
    if ((st = health_tick(dev)) != TCO_OK)
        return st;
    st = dev->ops->key_wrap(dev, kek_slot, key_slot, tmp, &n);
    if (st == TCO_OK && cap < n)
        st = TCO_ERR_BUFFER_SMALL;
    if (st == TCO_OK) {
        memcpy(out, tmp, n);
        *out_len = n;
    }
    return st;
}

tco_status tco_key_unwrap(tco_dev *dev, tco_slot kek_slot, const uint8_t *wrapped, size_t len,
                          tco_slot dest_slot, uint32_t dest_attrs)
{
    tco_status st;

    if (dev == NULL || wrapped == NULL || (len != 24 && len != 40) || !attrs_valid(dest_attrs))
        return TCO_ERR_INVALID_ARG;
    if (!(dev->caps & TCO_CAP_KEY_WRAP))
        return TCO_ERR_UNSUPPORTED;
    if (kek_slot >= dev->num_slots || dest_slot >= dev->num_slots)
        return TCO_ERR_NO_SLOT;
    if ((st = health_tick(dev)) != TCO_OK)
        return st;
    st = dev->ops->key_unwrap(dev, kek_slot, wrapped, len, dest_slot, dest_attrs);
    if (st == TCO_OK)
        tco_slot_mark(dev, dest_slot, true);
    return st;
}
