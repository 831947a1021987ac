/* SPDX-License-Identifier: Apache-2.0 */
/* tco wire frames: encoder and incremental decoder, shared by every transport.
 *
 *   off  size  field
 *   0    1     SYNC    0xA5 request, 0x5A response
 *   1    1     OP      opcode (request) / STATUS (response)
 *   2    2     RID     request id, big-endian; a response echoes its request's RID
 *   4    2     LEN     payload length, big-endian, 0 .. TCO_P_MAX_PAYLOAD
 *   6    2     HCRC    CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) over octets 0..5
 *   8    LEN   payload
 *   8+LEN 4    CRC     CRC-32 (IEEE 802.3, as zlib) over octets 0 .. 7+LEN, big-endian
 *
 * The header CRC lets a receiver find frame starts in any byte stream: it slides over the
 * input one octet at a time until SYNC and HCRC agree (docs/protocol.md). */
#ifndef TCO_FRAME_H
#define TCO_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define TCO_FRAME_HDR 8u
#define TCO_FRAME_TRAILER 4u
#define TCO_FRAME_MAX_PAYLOAD 1536u
#define TCO_FRAME_MAX (TCO_FRAME_HDR + TCO_FRAME_MAX_PAYLOAD + TCO_FRAME_TRAILER)

uint16_t tco_crc16(const uint8_t *p, size_t n);
uint32_t tco_crc32(uint32_t crc, const uint8_t *p, size_t n); /* crc = 0 to start */

/* Encode one frame into out (capacity cap). Returns its length, or 0 if it does not fit or
 * len > TCO_FRAME_MAX_PAYLOAD. */
size_t tco_frame_encode(uint8_t *out, size_t cap, uint8_t sync, uint8_t code, uint16_t rid,
                        const uint8_t *payload, size_t len);

typedef struct tco_frame {
    uint8_t code;   /* OP or STATUS */
    uint16_t rid;
    uint16_t len;
    int crc_ok;     /* 0: the CRC-32 failed (header was good) */
    int oversize;   /* LEN above the maximum: no payload was collected */
    const uint8_t *payload; /* points into the decoder; valid until the next push */
} tco_frame;

typedef struct tco_frame_dec {
    uint8_t sync;   /* which SYNC octet starts a frame */
    size_t have;    /* octets of the current candidate frame in buf */
    uint8_t buf[TCO_FRAME_MAX];
} tco_frame_dec;

void tco_frame_dec_init(tco_frame_dec *d, uint8_t sync);

/* Feed octets. Stops after one complete frame: returns 1 and fills *f, with *used octets
 * consumed (feed the rest again); returns 0 when all n octets were consumed without a
 * complete frame. Octets that cannot start a valid header are skipped. */
int tco_frame_dec_push(tco_frame_dec *d, const uint8_t *p, size_t n, size_t *used,
                       tco_frame *f);

/* Drop a partial frame (after a receive timeout). Returns 1 if one was pending. */
int tco_frame_dec_reset(tco_frame_dec *d);

#endif
