/* SPDX-License-Identifier: Apache-2.0 */
/* Frame codec: CRC check values, encode/decode round trips, hunting through garbage,
 * corrupted and oversized frames, byte-at-a-time feeding. */
#include "frame.h"
#include "tcheck.h"

static int decode_all(tco_frame_dec *d, const uint8_t *p, size_t n, tco_frame *out, int max)
{
    int got = 0;
    size_t used = 0;

    while (n > 0 && got < max) {
        if (tco_frame_dec_push(d, p, n, &used, &out[got]))
            got++;
        p += used;
        n -= used;
    }
    return got;
}

int main(void)
{
    uint8_t buf[4 * TCO_FRAME_MAX], pl[TCO_FRAME_MAX_PAYLOAD + 1];
    tco_frame f[8];
    tco_frame_dec d;
    size_t n, m;

    t_seed(0xf4a3e);
    /* standard check values */
    CHECK(tco_crc32(0, (const uint8_t *)"123456789", 9) == 0xCBF43926u);
    CHECK(tco_crc16((const uint8_t *)"123456789", 9) == 0x29B1);
    CHECK(tco_crc32(tco_crc32(0, (const uint8_t *)"1234", 4), (const uint8_t *)"56789", 5) ==
          0xCBF43926u);

    /* INFO request, RID 1: print it for docs/protocol.md */
    n = tco_frame_encode(buf, sizeof(buf), 0xA5, 0x01, 1, NULL, 0);
    CHECK(n == 12);
    printf("INFO rid 1:");
    for (size_t i = 0; i < n; i++)
        printf(" %02x", buf[i]);
    printf("\n");
    {
        const uint8_t erase[1] = {3};
        n = tco_frame_encode(buf, sizeof(buf), 0xA5, 0x12, 0x0203, erase, 1);
        printf("KEY_ERASE slot 3 rid 0x0203:");
        for (size_t i = 0; i < n; i++)
            printf(" %02x", buf[i]);
        printf("\n");
        n = tco_frame_encode(buf, sizeof(buf), 0x5A, 0x00, 0x0203, NULL, 0);
        printf("response OK rid 0x0203:");
        for (size_t i = 0; i < n; i++)
            printf(" %02x", buf[i]);
        printf("\n");
    }

    /* round trips of random frames, fed whole and byte by byte */
    {
        int bad = 0;
        for (int c = 0; c < 2000; c++) {
            size_t len = t_below(c % 10 ? 64 : TCO_FRAME_MAX_PAYLOAD + 1);
            uint16_t rid = (uint16_t)t_rand();
            uint8_t op = (uint8_t)t_rand();
            t_fill(pl, len);
            n = tco_frame_encode(buf, sizeof(buf), 0xA5, op, rid, pl, len);
            tco_frame_dec_init(&d, 0xA5);
            if (c & 1) {
                int got = 0;
                for (size_t i = 0; i < n; i++) {
                    size_t used;
                    got += tco_frame_dec_push(&d, buf + i, 1, &used, &f[0]);
                }
                bad += got != 1;
            } else {
                bad += decode_all(&d, buf, n, f, 1) != 1;
            }
            bad += !f[0].crc_ok || f[0].oversize || f[0].rid != rid || f[0].code != op ||
                   f[0].len != len || (len && memcmp(f[0].payload, pl, len) != 0);
        }
        CHECK_CASES("round trips", bad, 2000);
    }
    /* too large to encode */
    CHECK(tco_frame_encode(buf, sizeof(buf), 0xA5, 1, 1, pl, TCO_FRAME_MAX_PAYLOAD + 1) == 0);
    CHECK(tco_frame_encode(buf, 10, 0xA5, 1, 1, NULL, 0) == 0);

    /* garbage (including SYNC octets) before, between and after two frames */
    {
        int bad = 0;
        for (int c = 0; c < 500; c++) {
            size_t g1 = t_below(40), g2 = t_below(40), len = t_below(50);
            t_fill(buf, g1);
            for (size_t i = 0; i < g1; i++)
                if (t_below(4) == 0)
                    buf[i] = 0xA5;
            t_fill(pl, len);
            n = g1 + tco_frame_encode(buf + g1, sizeof(buf) - g1, 0xA5, 0x30, 7, pl, len);
            t_fill(buf + n, g2);
            n += g2;
            n += tco_frame_encode(buf + n, sizeof(buf) - n, 0xA5, 0x31, 8, pl, len);
            tco_frame_dec_init(&d, 0xA5);
            m = (size_t)decode_all(&d, buf, n, f, 8);
            /* both good frames come out, in order, intact (a false header in the garbage
             * is possible with probability ~2^-16 per position: tolerate an extra frame
             * only if it carries a bad CRC) */
            {
                size_t k = 0, goods = 0;
                for (; k < m; k++) {
                    if (f[k].crc_ok && !f[k].oversize) {
                        goods++;
                        bad += (goods == 1 && f[k].rid != 7) || (goods == 2 && f[k].rid != 8);
                    }
                }
                bad += goods != 2;
            }
        }
        CHECK_CASES("hunting through garbage", bad, 500);
    }

    /* one flipped bit in the payload or CRC: header good, CRC fails, RID reported; a flipped
     * header bit: the header is skipped and the next frame still decodes */
    {
        int bad = 0;
        for (int c = 0; c < 1000; c++) {
            size_t len = 1 + t_below(60), n1, pos;
            t_fill(pl, len);
            n1 = tco_frame_encode(buf, sizeof(buf), 0xA5, 0x40, 0x1234, pl, len);
            n = n1 + tco_frame_encode(buf + n1, sizeof(buf) - n1, 0xA5, 0x41, 0x1235, pl, len);
            pos = t_below((unsigned)n1);
            buf[pos] ^= (uint8_t)(1u << t_below(8));
            tco_frame_dec_init(&d, 0xA5);
            m = (size_t)decode_all(&d, buf, n, f, 8);
            if (pos >= TCO_FRAME_HDR) {
                bad += m != 2 || f[0].crc_ok || f[0].rid != 0x1234 || !f[1].crc_ok ||
                       f[1].rid != 0x1235;
            } else {
                /* the corrupted header may not start a frame; the second frame must be the
                 * last one out and good */
                bad += m < 1 || !f[m - 1].crc_ok || f[m - 1].rid != 0x1235;
            }
        }
        CHECK_CASES("bit flips", bad, 1000);
    }

    /* oversized LEN: reported at once with its RID, then the next frame decodes */
    {
        uint8_t h[8] = {0xA5, 0x31, 0x00, 0x09, 0x10, 0x00, 0, 0};
        uint16_t hc = tco_crc16(h, 6);
        h[6] = (uint8_t)(hc >> 8);
        h[7] = (uint8_t)hc;
        memcpy(buf, h, 8);
        memset(buf + 8, 0x00, 100); /* some of its "payload" */
        n = 108 + tco_frame_encode(buf + 108, sizeof(buf) - 108, 0xA5, 0x01, 10, NULL, 0);
        tco_frame_dec_init(&d, 0xA5);
        m = (size_t)decode_all(&d, buf, n, f, 8);
        CHECK(m == 2 && f[0].oversize && f[0].rid == 9 && f[0].len == 0x1000);
        CHECK(m == 2 && f[1].crc_ok && f[1].rid == 10);
    }

    /* truncated frame then reset (the receive timeout) */
    {
        size_t used;
        n = tco_frame_encode(buf, sizeof(buf), 0xA5, 0x30, 5, pl, 17);
        tco_frame_dec_init(&d, 0xA5);
        CHECK(tco_frame_dec_push(&d, buf, n - 3, &used, &f[0]) == 0 && used == n - 3);
        CHECK(tco_frame_dec_reset(&d) == 1);
        CHECK(tco_frame_dec_reset(&d) == 0);
        CHECK(tco_frame_dec_push(&d, buf, n, &used, &f[0]) == 1 && f[0].crc_ok && used == n);
    }
    return t_done("test_frame");
}
