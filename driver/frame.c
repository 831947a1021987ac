/* SPDX-License-Identifier: Apache-2.0 */
/* tco wire frames: encoder and incremental decoder (see frame.h). */
#include "frame.h"

#include <string.h>

uint16_t tco_crc16(const uint8_t *p, size_t n)
{
    uint16_t c = 0xFFFF;

    while (n--) {
        c ^= (uint16_t)(*p++ << 8);
        for (int i = 0; i < 8; i++)
            c = (uint16_t)((c & 0x8000) ? (c << 1) ^ 0x1021 : c << 1);
    }
    return c;
}

static uint16_t hcrc_of(const uint8_t *h)
{
    return (uint16_t)(h[6] << 8 | h[7]);
}

uint32_t tco_crc32(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
    while (n--) {
        crc ^= *p++;
        for (int i = 0; i < 8; i++)
            crc = (crc & 1) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
    }
    return ~crc;
}

size_t tco_frame_encode(uint8_t *out, size_t cap, uint8_t sync, uint8_t code, uint16_t rid,
                        const uint8_t *payload, size_t len)
{
    size_t total = TCO_FRAME_HDR + len + TCO_FRAME_TRAILER;
    uint32_t crc;

    if (len > TCO_FRAME_MAX_PAYLOAD || total > cap)
        return 0;
    out[0] = sync;
    out[1] = code;
    out[2] = (uint8_t)(rid >> 8);
    out[3] = (uint8_t)rid;
    out[4] = (uint8_t)(len >> 8);
    out[5] = (uint8_t)len;
    {
        uint16_t h = tco_crc16(out, 6);
        out[6] = (uint8_t)(h >> 8);
        out[7] = (uint8_t)h;
    }
    if (len > 0)
        memcpy(out + TCO_FRAME_HDR, payload, len);
    crc = tco_crc32(0, out, TCO_FRAME_HDR + len);
    out[TCO_FRAME_HDR + len + 0] = (uint8_t)(crc >> 24);
    out[TCO_FRAME_HDR + len + 1] = (uint8_t)(crc >> 16);
    out[TCO_FRAME_HDR + len + 2] = (uint8_t)(crc >> 8);
    out[TCO_FRAME_HDR + len + 3] = (uint8_t)crc;
    return total;
}

void tco_frame_dec_init(tco_frame_dec *d, uint8_t sync)
{
    d->sync = sync;
    d->have = 0;
}

int tco_frame_dec_reset(tco_frame_dec *d)
{
    int pending = d->have > 0;

    d->have = 0;
    return pending;
}

/* Drop the first octet of the candidate and re-scan the rest for a header start. */
static void slide(tco_frame_dec *d)
{
    size_t i = 1;

    while (i < d->have && d->buf[i] != d->sync)
        i++;
    memmove(d->buf, d->buf + i, d->have - i);
    d->have -= i;
}

static size_t frame_len(const tco_frame_dec *d)
{
    return ((size_t)d->buf[4] << 8) | d->buf[5];
}

int tco_frame_dec_push(tco_frame_dec *d, const uint8_t *p, size_t n, size_t *used,
                       tco_frame *f)
{
    size_t i = 0;

    for (;;) {
        /* header: hunt until SYNC and HCRC agree */
        while (d->have < TCO_FRAME_HDR) {
            if (d->have == 0) {
                while (i < n && p[i] != d->sync)
                    i++;
            }
            if (i == n) {
                *used = n;
                return 0;
            }
            d->buf[d->have++] = p[i++];
            if (d->have == TCO_FRAME_HDR && tco_crc16(d->buf, 6) != hcrc_of(d->buf))
                slide(d);
        }
        if (frame_len(d) > TCO_FRAME_MAX_PAYLOAD) {
            memset(f, 0, sizeof(*f));
            f->code = d->buf[1];
            f->rid = (uint16_t)(d->buf[2] << 8 | d->buf[3]);
            f->len = (uint16_t)frame_len(d);
            f->oversize = 1;
            d->have = 0; /* payload octets are hunted through, not collected */
            *used = i;
            return 1;
        }
        {
            size_t total = TCO_FRAME_HDR + frame_len(d) + TCO_FRAME_TRAILER;
            size_t take = total - d->have;
            if (take > n - i)
                take = n - i;
            memcpy(d->buf + d->have, p + i, take);
            d->have += take;
            i += take;
            if (d->have < total) {
                *used = i;
                return 0;
            }
            {
                size_t len = frame_len(d);
                const uint8_t *t = d->buf + TCO_FRAME_HDR + len;
                uint32_t want = (uint32_t)t[0] << 24 | (uint32_t)t[1] << 16 |
                                (uint32_t)t[2] << 8 | t[3];
                memset(f, 0, sizeof(*f));
                f->code = d->buf[1];
                f->rid = (uint16_t)(d->buf[2] << 8 | d->buf[3]);
                f->len = (uint16_t)len;
                f->crc_ok = tco_crc32(0, d->buf, TCO_FRAME_HDR + len) == want;
                f->payload = d->buf + TCO_FRAME_HDR;
                d->have = 0;
                *used = i;
                return 1;
            }
        }
    }
}
