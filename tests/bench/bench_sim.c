/* SPDX-License-Identifier: Apache-2.0 */
/* Figures of the simulated device (make bench): simulated cycles per second on this machine,
 * operations per second through sim: one call at a time and with many frames in flight, and
 * device cycles per operation. Host figures are given next to soft: measured in the same
 * run. */
#include "frame.h"
#include "tco.h"
#include "tco_priv.h"
#include "tco_protocol.h"
#include "transport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static const uint8_t key32[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                  17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

/* One call at a time through the library: returns calls per second. */
static double lib_rate(tco_dev *d, int op, int n)
{
    tco_slot s = 0;
    uint8_t buf[64] = {0}, out[64];
    const uint8_t cnt[4] = {0, 0, 1, 2};
    tco_kdf_param p = {.data = cnt, .len = 4};
    size_t ml;
    double t0;

    tco_key_load(d, s, key32, 32, TCO_USE_AES | TCO_USE_HMAC | TCO_USE_KDF_OUT);
    t0 = now();
    for (int i = 0; i < n; i++) {
        tco_status st = op == 0   ? tco_aes_block(d, s, buf, out)
                        : op == 1 ? tco_kdf(d, s, 0x16, &p, 1, out)
                                  : tco_hmac(d, s, TCO_HASH_SHA256, buf, 64, out, 64, &ml);
        if (st != TCO_OK) {
            fprintf(stderr, "bench: %s\n", tco_strerror(st));
            exit(1);
        }
    }
    return n / (now() - t0);
}

/* Raw frames: n requests queued before the responses are read. Returns requests per second
 * and the device cycles per request (*cyc). */
static double pipelined(tco_transport *t, uint8_t op, const uint8_t *pl, size_t plen, int n,
                        double *cyc)
{
    static uint8_t fr[TCO_FRAME_MAX], rx[4096];
    tco_frame_dec dec;
    tco_frame f;
    int got = 0;
    uint64_t c0 = tco_transport_sim.cycles(t);
    double t0 = now();

    tco_frame_dec_init(&dec, TCO_P_SYNC_RSP);
    for (int i = 0; i < n; i++) {
        size_t len = tco_frame_encode(fr, sizeof(fr), TCO_P_SYNC_REQ, op, (uint16_t)i, pl, plen);
        tco_transport_sim.send(t, fr, len);
    }
    while (got < n) {
        size_t have = 0, pos = 0;
        if (tco_transport_sim.recv(t, rx, sizeof(rx), &have) != TCO_OK) {
            fprintf(stderr, "bench: timeout\n");
            exit(1);
        }
        while (pos < have) {
            size_t used = 0;
            if (tco_frame_dec_push(&dec, rx + pos, have - pos, &used, &f)) {
                if (!f.crc_ok || f.code != TCO_P_ST_OK) {
                    fprintf(stderr, "bench: status %02x\n", f.code);
                    exit(1);
                }
                got++;
            }
            pos += used;
        }
    }
    *cyc = (double)(tco_transport_sim.cycles(t) - c0) / n;
    return n / (now() - t0);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 2000;
    tco_dev *sd = NULL, *hd = NULL;
    tco_transport *t = NULL;
    static const char *names[] = {"AES block", "3GPP KDF (S = 7 octets)", "HMAC-SHA-256, 64 octets"};
    uint8_t pl[80];
    double cyc;

    if (tco_open(&sd, "soft:") != TCO_OK || tco_open(&hd, "sim:") != TCO_OK) {
        fprintf(stderr, "bench: cannot open soft: and sim:\n");
        return 1;
    }
    printf("== one call at a time through the library (calls/s; soft: = OpenSSL in process) ==\n");
    for (int op = 0; op < 3; op++) {
        double a = lib_rate(sd, op, n * 20), b = lib_rate(hd, op, n);
        printf("%-28s soft: %10.0f   sim: %8.0f   ratio soft/sim %.0f\n", names[op], a, b, a / b);
    }
    tco_close(hd);
    tco_close(sd);

    if (tco_transport_sim.open(&t, "") != TCO_OK)
        return 1;
    /* slot 0: a key for everything */
    pl[0] = 0;
    pl[1] = 0;
    pl[2] = (uint8_t)(TCO_P_ATTR_USE_AES | TCO_P_ATTR_USE_HMAC | TCO_P_ATTR_USE_KDF_OUT);
    pl[3] = 32;
    memcpy(pl + 4, key32, 32);
    pipelined(t, TCO_P_OP_KEY_WRITE, pl, 36, 1, &cyc);
    printf("\n== %d frames in flight, raw frames on the sim transport ==\n", n);
    {
        uint64_t c0 = tco_transport_sim.cycles(t);
        double t0 = now(), rate;
        memset(pl, 0, sizeof(pl));
        rate = pipelined(t, TCO_P_OP_AES_BLOCK, pl, 17, n, &cyc);
        printf("%-28s %10.0f frames/s  %7.1f device cycles per frame\n", names[0], rate, cyc);
        {
            const uint8_t k[10] = {0, 0x11, 1, 0, 0, 4, 0, 0, 0, 1};
            rate = pipelined(t, TCO_P_OP_KDF, k, 10, n, &cyc);
            printf("%-28s %10.0f frames/s  %7.1f device cycles per frame\n", names[1], rate, cyc);
        }
        pl[0] = 0;
        pl[1] = 1;
        rate = pipelined(t, TCO_P_OP_HMAC, pl, 66, n, &cyc);
        printf("%-28s %10.0f frames/s  %7.1f device cycles per frame\n", names[2], rate, cyc);
        pl[0] = 0;
        pl[1] = 3;
        {
            static uint8_t big[18 + 1024];
            memset(big, 0, sizeof(big));
            rate = pipelined(t, TCO_P_OP_AES_CTR, big, sizeof(big), n / 10, &cyc);
            printf("%-28s %10.0f frames/s  %7.1f device cycles per frame (%.2f per block)\n",
                   "AES-CTR, 1024 octets", rate, cyc, cyc / 64);
        }
        printf("\nsimulated device: %.0f cycles/s on this machine\n",
               (double)(tco_transport_sim.cycles(t) - c0) / (now() - t0));
    }
    tco_transport_sim.close(t);
    return 0;
}
