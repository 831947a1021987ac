/* SPDX-License-Identifier: Apache-2.0 */
/* Bad input at the byte level against the simulated device (docs/protocol.md): flipped bits,
 * truncation, oversize, unknown opcodes, malformed payloads, bad slots, reads of
 * non-exportable keys, garbage between frames, many frames in flight. Each bad frame gets the
 * right error (or, for a damaged header, no answer) and the next good command still works. */
#include "frame.h"
#include "tcheck.h"
#include "tco_protocol.h"
#include "transport.h"

static tco_transport *tp;
static tco_frame_dec dec;
static uint8_t rbuf[256];
static size_t rhave, rpos;
static uint16_t next_rid = 100;

static void send_raw(const uint8_t *p, size_t n)
{
    CHECK(tco_transport_sim.send(tp, p, n) == TCO_OK);
}

static size_t frame(uint8_t *out, uint8_t op, uint16_t rid, const uint8_t *pl, size_t n)
{
    return tco_frame_encode(out, TCO_FRAME_MAX, TCO_P_SYNC_REQ, op, rid, pl, n);
}

/* Next response frame; returns 0 on timeout. The payload is copied to pl (if not NULL). */
static int recv_frame(tco_frame *f, uint8_t *pl)
{
    for (;;) {
        if (rpos < rhave) {
            size_t used = 0;
            int done = tco_frame_dec_push(&dec, rbuf + rpos, rhave - rpos, &used, f);
            rpos += used;
            if (done) {
                if (pl && f->len)
                    memcpy(pl, f->payload, f->len);
                return 1;
            }
            continue;
        }
        if (tco_transport_sim.recv(tp, rbuf, sizeof(rbuf), &rhave) != TCO_OK) {
            rhave = rpos = 0;
            return 0;
        }
        rpos = 0;
    }
}

/* Send one good request, expect status `want` and return the response length. */
static size_t request(uint8_t op, const uint8_t *pl, size_t n, uint8_t want, uint8_t *rsp)
{
    uint8_t buf[TCO_FRAME_MAX];
    uint16_t rid = next_rid++;
    tco_frame f;
    size_t len = frame(buf, op, rid, pl, n);

    send_raw(buf, len);
    if (!recv_frame(&f, rsp)) {
        CHECK(!"response expected");
        return 0;
    }
    if (f.code != want || f.rid != rid || !f.crc_ok)
        fprintf(stderr, "op %02x: status %02x rid %u (want %02x rid %u)\n", op, f.code, f.rid,
                want, rid);
    CHECK(f.crc_ok && f.code == want && f.rid == rid);
    CHECK(want == TCO_P_ST_OK || f.len == 0); /* errors carry no payload */
    return f.len;
}

static void info_ok(void)
{
    uint8_t rsp[32];
    CHECK(request(TCO_P_OP_INFO, NULL, 0, TCO_P_ST_OK, rsp) == 18);
}

int main(void)
{
    uint8_t buf[4 * TCO_FRAME_MAX], rsp[TCO_FRAME_MAX], pl[64];
    const uint8_t key[16] = {0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
                             0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c};
    tco_frame f;
    size_t n;

    t_seed(0xbadf4a3e);
    if (tco_transport_sim.open(&tp, "?timeout=200000") != TCO_OK) {
        CHECK(!"sim transport opens (TCO_SIM_LIB)");
        return t_done("test_badframes");
    }
    tco_frame_dec_init(&dec, TCO_P_SYNC_RSP);
    info_ok();

    /* a non-exportable key in slot 3 */
    pl[0] = 3;
    pl[1] = 0;
    pl[2] = TCO_P_ATTR_USE_AES;
    pl[3] = 16;
    memcpy(pl + 4, key, 16);
    request(TCO_P_OP_KEY_WRITE, pl, 20, TCO_P_ST_OK, rsp);

    /* flipped payload/CRC bit: BAD_CRC with the RID, nothing executed */
    for (int c = 0; c < 20; c++) {
        uint16_t rid = next_rid++;
        pl[0] = 4;
        n = frame(buf, TCO_P_OP_KEY_WRITE, rid, pl, 20);
        buf[8 + t_below((unsigned)(n - 8))] ^= (uint8_t)(1u << t_below(8));
        send_raw(buf, n);
        CHECK(recv_frame(&f, NULL) && f.code == TCO_P_ST_BAD_CRC && f.rid == rid && f.len == 0);
        pl[0] = 4;
        request(TCO_P_OP_KEY_INFO, pl, 1, TCO_P_ST_OK, rsp);
        CHECK(rsp[0] == 0); /* slot 4 still empty */
    }
    info_ok();

    /* flipped header bit: the frame is not recognised (no answer); the next one is */
    for (int c = 0; c < 20; c++) {
        uint16_t bad_rid = next_rid++;
        n = frame(buf, TCO_P_OP_INFO, bad_rid, NULL, 0);
        buf[1 + t_below(7)] ^= (uint8_t)(1u << t_below(8));
        send_raw(buf, n);
        info_ok();
    }

    /* truncated frame, then silence: TRUNCATED with the RID */
    for (int c = 0; c < 5; c++) {
        uint16_t rid = next_rid++;
        pl[0] = 3;
        n = frame(buf, TCO_P_OP_AES_BLOCK, rid, pl, 17);
        send_raw(buf, 8 + t_below((unsigned)(n - 8)));
        tco_transport_sim.idle(tp);
        CHECK(recv_frame(&f, NULL) && f.code == TCO_P_ST_TRUNCATED && f.rid == rid);
        info_ok();
    }

    /* oversize LEN: OVERSIZE at once, its "payload" is hunted through */
    {
        uint8_t h[8] = {TCO_P_SYNC_REQ, TCO_P_OP_AES_CTR, 0x0b, 0xad, 0x08, 0x00, 0, 0};
        uint16_t hc = tco_crc16(h, 6);
        h[6] = (uint8_t)(hc >> 8);
        h[7] = (uint8_t)hc;
        send_raw(h, 8);
        memset(buf, 0x11, 300);
        send_raw(buf, 300);
        CHECK(recv_frame(&f, NULL) && f.code == TCO_P_ST_OVERSIZE && f.rid == 0x0bad);
        info_ok();
    }

    /* garbage, including SYNC octets, between good frames: only the good ones answer */
    for (int c = 0; c < 10; c++) {
        size_t g = 1 + t_below(200);
        t_fill(buf, g);
        for (size_t i = 0; i < g; i += 1 + t_below(8))
            buf[i] = TCO_P_SYNC_REQ;
        send_raw(buf, g);
        info_ok();
    }

    /* unknown opcodes */
    request(0x00, NULL, 0, TCO_P_ST_BAD_OPCODE, rsp);
    request(0x7f, pl, 3, TCO_P_ST_BAD_OPCODE, rsp);
    request(0xff, NULL, 0, TCO_P_ST_BAD_OPCODE, rsp);

    /* malformed payloads */
    request(TCO_P_OP_KEY_WRITE, pl, 19, TCO_P_ST_BAD_PAYLOAD, rsp);   /* len says 16, 15 given */
    pl[3] = 0;
    request(TCO_P_OP_KEY_WRITE, pl, 4, TCO_P_ST_BAD_PAYLOAD, rsp);    /* key length 0 */
    pl[3] = 16;
    pl[1] = 0x80;                                                   /* undefined attribute */
    request(TCO_P_OP_KEY_WRITE, pl, 20, TCO_P_ST_BAD_PAYLOAD, rsp);
    pl[1] = 0;
    request(TCO_P_OP_KEY_READ, NULL, 0, TCO_P_ST_BAD_PAYLOAD, rsp);   /* no slot */
    request(TCO_P_OP_AES_BLOCK, pl, 16, TCO_P_ST_BAD_PAYLOAD, rsp);   /* short block */
    {
        uint8_t k[12] = {3, 0x16, 9}; /* 9 parameters */
        request(TCO_P_OP_KDF, k, 3, TCO_P_ST_BAD_PAYLOAD, rsp);
        k[2] = 1;
        k[3] = 2; /* unknown parameter kind */
        request(TCO_P_OP_KDF, k, 4, TCO_P_ST_BAD_PAYLOAD, rsp);
        uint8_t h[3] = {3, 3, 0}; /* hash 3 */
        request(TCO_P_OP_HMAC, h, 3, TCO_P_ST_BAD_PAYLOAD, rsp);
    }

    /* slot out of range, empty slot, usage, non-exportable read: no key bytes come back */
    pl[0] = 200;
    request(TCO_P_OP_KEY_READ, pl, 1, TCO_P_ST_NO_SLOT, rsp);
    pl[0] = 9;
    request(TCO_P_OP_KEY_READ, pl, 1, TCO_P_ST_SLOT_EMPTY, rsp);
    pl[0] = 3;
    request(TCO_P_OP_KEY_READ, pl, 1, TCO_P_ST_NOT_EXPORTABLE, rsp);
    {
        uint8_t h[4] = {3, 1, 0xaa, 0xbb};
        request(TCO_P_OP_HMAC, h, 4, TCO_P_ST_USAGE, rsp);
    }
    /* the key still works for what it may do: FIPS-197-style check of AES under slot 3 */
    memset(pl + 1, 0, 16);
    CHECK(request(TCO_P_OP_AES_BLOCK, pl, 17, TCO_P_ST_OK, rsp) == 16);

    /* many frames in flight: 64 requests sent before any response is read, answered in
     * order with their RIDs */
    {
        uint16_t first = next_rid;
        for (int i = 0; i < 64; i++) {
            n = frame(buf, TCO_P_OP_INFO, next_rid++, NULL, 0);
            send_raw(buf, n); /* the transport copies: buf can be reused */
        }
        for (int i = 0; i < 64; i++)
            CHECK(recv_frame(&f, NULL) && f.code == TCO_P_ST_OK && f.rid == (uint16_t)(first + i));
    }
    info_ok();
    tco_transport_sim.close(tp);
    return t_done("test_badframes");
}
