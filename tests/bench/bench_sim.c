/* SPDX-License-Identifier: Apache-2.0 */
/* Figures of the simulated device (make bench):
 *  1. operations per second through the library, one call at a time, sim: next to soft:
 *     (ratio per repetition), and the device cycles of each call;
 *  2. device cycles through the library (the device's cycle counter, read with INFO; the
 *     INFO frames around a measurement taken off): KDF with its key's HMAC pads cached and not
 *     (the first use after a key load), HMAC, SRTP protect/unprotect per packet at 32, 160 and
 *     1200 octets, SRTP protect batches of 1 to 1024 packets, AES-CTR and HMAC-SHA-256 over
 *     16 octets up to 64 KiB (HMAC: up to the largest message the device takes);
 *  3. raw frames on the sim transport with many in flight: frames per second, device cycles
 *     and wire octets (request and response) per frame, and the simulator's speed (simulated
 *     cycles per second of wall clock on this machine).
 * Wall-clock figures are the median of REPS repetitions (min .. max); cycle counts are exact
 * and the same in every repetition (checked). Output: tables, then RESULT lines. */
#include "bench_util.h"
#include "frame.h"
#include "tco.h"
#include "tco_priv.h"
#include "tco_protocol.h"
#include "tco_srtp.h"
#include "transport.h"

#include <stdint.h>

#define REPS 5

static const uint8_t key32[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                  17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
static uint8_t srtp_master[30] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA,
                                  0xBB, 0xCC, 0xDD, 0xEE, 0xFF, 0x01, 0x02, 0x03, 0x04, 0x05,
                                  0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F};

static void check(const char *what, tco_status st)
{
    if (st != TCO_OK) {
        fprintf(stderr, "bench_sim: %s: %s\n", what, tco_strerror(st));
        exit(1);
    }
}

/* ---- 1. one call at a time --------------------------------------------------------------- */
enum { OP_AES, OP_KDF, OP_HMAC, NOPS };
static const char *const op_name[NOPS] = {"AES block", "3GPP KDF (S = 7 octets)",
                                          "HMAC-SHA-256, 64 octets"};
static const char *const op_key[NOPS] = {"aes_block", "kdf", "hmac_sha256_64"};

static void lib_call(tco_dev *d, int op)
{
    static uint8_t buf[64], out[64];
    static const uint8_t cnt[4] = {0, 0, 1, 2};
    tco_kdf_param p = {.data = cnt, .len = 4};
    size_t ml;
    tco_status st = op == OP_AES   ? tco_aes_block(d, 1, buf, out) /* AES-128, as the RTL bench */
                    : op == OP_KDF ? tco_kdf(d, 0, 0x16, &p, 1, out)
                                   : tco_hmac(d, 0, TCO_HASH_SHA256, buf, 64, out, 64, &ml);
    check(op_name[op], st);
}

static double lib_rate(tco_dev *d, int op, int n)
{
    double t0;
    lib_call(d, op); /* warm (pads cached) */
    t0 = bench_now();
    for (int i = 0; i < n; i++)
        lib_call(d, op);
    return n / (bench_now() - t0);
}

/* ---- device cycles through the library -------------------------------------------------- */
static uint64_t cyc(tco_dev *d)
{
    tco_info in;
    check("info", tco_get_info(d, &in));
    return in.cycles;
}

static double info_ovh; /* cycles between two INFO calls */

/* cycles of the calls between two reads, the INFO frames taken off */
static double since(tco_dev *d, uint64_t c0)
{
    return (double)(cyc(d) - c0) - info_ovh;
}

/* ---- SRTP through the library ------------------------------------------------------------ */
static size_t make_pkt(uint8_t *p, uint16_t seq, size_t plen)
{
    memset(p, 0, 12 + plen);
    p[0] = 0x80;
    p[1] = 96;
    p[2] = (uint8_t)(seq >> 8);
    p[3] = (uint8_t)seq;
    p[8] = 0xCA;
    p[9] = 0xFE;
    for (size_t i = 0; i < plen; i++)
        p[12 + i] = (uint8_t)i;
    return 12 + plen;
}

static tco_srtp *srtp_new(tco_dev *d)
{
    tco_srtp_policy pol = {0};
    tco_srtp *s;
    pol.profile = TCO_SRTP_AES128_CM_SHA1_80;
    check("srtp create", tco_srtp_create(d, &pol, &s));
    check("srtp key", tco_srtp_add_key(s, srtp_master, 30, NULL));
    return s;
}

#define SRTP_STRIDE 1300
#define SRTP_MAXB 1024

/* Per packet: device cycles and wall-clock packets/s of n single protects (dir 0) or
 * unprotects (dir 1), or batches of `batch` packets (batch > 0). */
static void srtp_lib(tco_dev *d, size_t plen, int dir, int batch, int n, double *cycles,
                     double *pps)
{
    static uint8_t pk[SRTP_MAXB][SRTP_STRIDE], enc[SRTP_MAXB][SRTP_STRIDE];
    static size_t elen[SRTP_MAXB];
    static tco_srtp_pkt v[SRTP_MAXB];
    tco_srtp *tx = srtp_new(d), *rx = NULL;
    uint64_t c0;
    double t0;
    size_t out;
    int m = n > SRTP_MAXB ? SRTP_MAXB : n;

    if (dir == 1) { /* protected packets to take apart, made before the measurement */
        for (int i = 0; i < m; i++) {
            size_t len = make_pkt(pk[0], (uint16_t)(100 + i), plen);
            check("srtp protect", tco_srtp_protect(tx, pk[0], len, enc[i], SRTP_STRIDE, &elen[i]));
        }
        rx = srtp_new(d);
        /* one packet first: the receiver's keys are derived and its pads cached */
        check("srtp unprotect", tco_srtp_unprotect(rx, enc[0], elen[0], pk[0], SRTP_STRIDE, &out));
        n = m - 1;
    }
    if (dir == 0) {
        /* one packet first: the session's keys are derived and its pads cached (dir 1: the
         * packets made above did that; a packet far behind them would be refused) */
        size_t len = make_pkt(pk[0], 1, plen);
        check("srtp protect", tco_srtp_protect(tx, pk[0], len, pk[0], SRTP_STRIDE, &out));
    }
    c0 = cyc(d);
    t0 = bench_now();
    if (dir == 1 && batch > 0) {
        for (int done = 1; done <= n; done += batch) {
            int k = n - done + 1 < batch ? n - done + 1 : batch;
            for (int j = 0; j < k; j++)
                v[j] = (tco_srtp_pkt){enc[done + j], elen[done + j], pk[j], SRTP_STRIDE, 0, TCO_OK};
            check("srtp unprotect batch", tco_srtp_unprotect_batch(rx, v, (size_t)k));
            for (int j = 0; j < k; j++)
                check("srtp batch item", v[j].status);
        }
    } else if (dir == 1) {
        for (int i = 1; i <= n; i++)
            check("srtp unprotect", tco_srtp_unprotect(rx, enc[i], elen[i], pk[0], SRTP_STRIDE, &out));
    } else if (batch == 0) {
        for (int i = 0; i < n; i++) {
            size_t len = make_pkt(pk[0], (uint16_t)(2 + i), plen);
            check("srtp protect", tco_srtp_protect(tx, pk[0], len, pk[0], SRTP_STRIDE, &out));
        }
    } else {
        for (int done = 0; done < n; done += batch) {
            for (int j = 0; j < batch; j++) {
                size_t len = make_pkt(pk[j], (uint16_t)(2 + done + j), plen);
                v[j] = (tco_srtp_pkt){pk[j], len, pk[j], SRTP_STRIDE, 0, TCO_OK};
            }
            check("srtp protect batch", tco_srtp_protect_batch(tx, v, (size_t)batch));
            for (int j = 0; j < batch; j++)
                check("srtp batch item", v[j].status);
        }
    }
    *pps = n / (bench_now() - t0);
    *cycles = since(d, c0) / n;
    tco_srtp_free(tx);
    tco_srtp_free(rx);
}

/* ---- 3. raw frames ------------------------------------------------------------------------ */
typedef struct raw_fig {
    double rate;         /* frames per second */
    double cycles;       /* device cycles per frame */
    double req_octets;   /* octets of a request frame on the wire */
    double rsp_octets;   /* octets of a response frame on the wire */
    uint64_t total_cycles;
} raw_fig;

/* n requests queued before the responses are read. */
static raw_fig pipelined(tco_transport *t, uint8_t op, const uint8_t *pl, size_t plen, int n)
{
    static uint8_t fr[TCO_FRAME_MAX], rx[4096];
    tco_frame_dec dec;
    tco_frame f;
    int got = 0;
    size_t sent = 0, recvd = 0;
    uint64_t c0 = tco_transport_sim.cycles(t);
    double t0 = bench_now();
    raw_fig r;

    tco_frame_dec_init(&dec, TCO_P_SYNC_RSP);
    for (int i = 0; i < n; i++) {
        size_t len = tco_frame_encode(fr, sizeof(fr), TCO_P_SYNC_REQ, op, (uint16_t)i, pl, plen);
        if (len == 0) {
            fprintf(stderr, "bench_sim: frame too long\n");
            exit(1);
        }
        sent += len;
        tco_transport_sim.send(t, fr, len);
    }
    while (got < n) {
        size_t have = 0, pos = 0;
        if (tco_transport_sim.recv(t, rx, sizeof(rx), &have) != TCO_OK) {
            fprintf(stderr, "bench_sim: timeout\n");
            exit(1);
        }
        recvd += have;
        while (pos < have) {
            size_t used = 0;
            if (tco_frame_dec_push(&dec, rx + pos, have - pos, &used, &f)) {
                if (!f.crc_ok || f.code != TCO_P_ST_OK) {
                    fprintf(stderr, "bench_sim: op %02x status %02x\n", op, f.code);
                    exit(1);
                }
                got++;
            }
            pos += used;
        }
    }
    r.rate = n / (bench_now() - t0);
    r.total_cycles = tco_transport_sim.cycles(t) - c0;
    r.cycles = (double)r.total_cycles / n;
    r.req_octets = (double)sent / n;
    r.rsp_octets = (double)recvd / n;
    return r;
}

static void key_write(tco_transport *t, uint8_t slot, uint32_t attrs, const uint8_t *k, size_t len)
{
    uint8_t pl[4 + 32];
    pl[0] = slot;
    pl[1] = (uint8_t)(attrs >> 8);
    pl[2] = (uint8_t)attrs;
    pl[3] = (uint8_t)len;
    memcpy(pl + 4, k, len);
    pipelined(t, TCO_P_OP_KEY_WRITE, pl, 4 + len, 1);
}

/* The raw-frame workloads. */
enum { RAW_AES, RAW_KDF, RAW_HMAC, RAW_CTR, RAW_SRTP32, RAW_SRTP160, RAW_SRTP1200, NRAW };
static const char *const raw_name[NRAW] = {
    "AES block", "3GPP KDF (S = 7 octets)", "HMAC-SHA-256, 64 octets", "AES-CTR, 1024 octets",
    "SRTP protect, 32 octets", "SRTP protect, 160 octets", "SRTP protect, 1200 octets"};
static const char *const raw_key[NRAW] = {"aes_block", "kdf", "hmac_sha256_64", "aes_ctr_1024",
                                          "srtp_protect_32", "srtp_protect_160",
                                          "srtp_protect_1200"};

static raw_fig raw_run(tco_transport *t, int w, int n)
{
    static uint8_t pl[19 + 12 + 1200];
    memset(pl, 0, sizeof(pl));
    switch (w) {
    case RAW_AES:
        pl[0] = 1; /* slot 1 (AES-128), block */
        return pipelined(t, TCO_P_OP_AES_BLOCK, pl, 17, n);
    case RAW_KDF: {
        const uint8_t k[10] = {0, 0x11, 1, 0, 0, 4, 0, 0, 0, 1};
        return pipelined(t, TCO_P_OP_KDF, k, 10, n);
    }
    case RAW_HMAC:
        pl[1] = 1; /* slot 0, SHA-256, 64 octets */
        return pipelined(t, TCO_P_OP_HMAC, pl, 66, n);
    case RAW_CTR: {
        static uint8_t big[18 + 1024];
        memset(big, 0, sizeof(big));
        big[0] = 2; /* slot 2 (AES-256), 64-bit counter */
        big[1] = 3;
        return pipelined(t, TCO_P_OP_AES_CTR, big, sizeof(big), n / 10 > 0 ? n / 10 : 1);
    }
    default: {
        /* SRTP protect: mode 0, k_e slot 4, k_a slot 5, k_s slot 6, tag 10, clear 12,
         * enc = payload, index 0, ROC 0, then the packet */
        size_t plen = w == RAW_SRTP32 ? 32 : w == RAW_SRTP160 ? 160 : 1200;
        pl[0] = 0;
        pl[1] = 4;
        pl[2] = 5;
        pl[3] = 6;
        pl[4] = 10;
        pl[5] = 0;
        pl[6] = 12;
        pl[7] = (uint8_t)(plen >> 8);
        pl[8] = (uint8_t)plen;
        make_pkt(pl + 19, 7, plen);
        return pipelined(t, TCO_P_OP_SRTP, pl, 19 + 12 + plen,
                         plen > 500 ? n / 20 : plen > 100 ? n / 5 : n / 2);
    }
    }
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 1000;
    tco_dev *sd = NULL, *hd = NULL;
    tco_transport *t = NULL;
    double t_start = bench_now(), la0 = bench_loadavg();
    tco_info info;

    if (tco_open(&sd, "soft:") != TCO_OK || tco_open(&hd, "sim:") != TCO_OK) {
        fprintf(stderr, "bench_sim: cannot open soft: and sim: (TCO_SIM_LIB)\n");
        return 1;
    }
    {
        uint64_t a = cyc(hd), b = cyc(hd);
        info_ovh = (double)(b - a);
    }
    check("info", tco_get_info(hd, &info));

    /* ---- 1 ---- */
    printf("== 1. One call at a time through the library, calls/s: median of %d (min .. max); "
           "soft: = OpenSSL in process ==\n",
           REPS);
    /* one role per key (docs/keys.md): slot 0 for the hash engine, slot 1 for AES */
    check("key load", tco_key_load(sd, 0, key32, 32, TCO_USE_HMAC | TCO_USE_KDF_OUT));
    check("key load", tco_key_load(hd, 0, key32, 32, TCO_USE_HMAC | TCO_USE_KDF_OUT));
    check("key load", tco_key_load(sd, 1, key32, 16, TCO_USE_AES));
    check("key load", tco_key_load(hd, 1, key32, 16, TCO_USE_AES));
    for (int op = 0; op < NOPS; op++) {
        bfig fs = {0}, fh = {0}, fr = {0};
        char k[64];
        uint64_t c0;
        double c;
        for (int r = 0; r < REPS; r++) {
            double a = lib_rate(sd, op, n * 20), b = lib_rate(hd, op, n / 2);
            fig_add(&fs, a);
            fig_add(&fh, b);
            fig_add(&fr, a / b);
        }
        c0 = cyc(hd);
        for (int i = 0; i < 10; i++)
            lib_call(hd, op);
        c = since(hd, c0) / 10;
        printf("%-26s soft: %10.0f (%.0f .. %.0f)  sim: %7.0f (%.0f .. %.0f)  soft/sim %.0f "
               "(%.0f .. %.0f)  %6.1f device cycles per call\n",
               op_name[op], fig_med(&fs), fig_min(&fs), fig_max(&fs), fig_med(&fh), fig_min(&fh),
               fig_max(&fh), fig_med(&fr), fig_min(&fr), fig_max(&fr), c);
        snprintf(k, sizeof(k), "soft_%s_per_s", op_key[op]);
        fig_result(k, &fs);
        snprintf(k, sizeof(k), "sim_%s_per_s", op_key[op]);
        fig_result(k, &fh);
        snprintf(k, sizeof(k), "soft_vs_sim_%s_ratio", op_key[op]);
        fig_result(k, &fr);
        result("sim_lib_%s_cycles=%.1f", op_key[op], c);
        fflush(stdout);
    }

    /* ---- 2 ---- */
    printf("\n== 2. Device cycles per call through the library on sim: (the device's cycle "
           "counter) ==\n");
    {
        static const uint8_t cnt[4] = {0, 0, 1, 2};
        tco_kdf_param p = {.data = cnt, .len = 4};
        uint8_t out[64], msg[64] = {0};
        size_t ml;
        double fresh = 0, cached = 0, h1;
        uint64_t c0;
        for (int i = 0; i < 5; i++) { /* a new key each time: its pads are not cached */
            uint8_t k[32];
            memcpy(k, key32, 32);
            k[0] = (uint8_t)(0x40 + i);
            check("key load", tco_key_load(hd, 7, k, 32, TCO_USE_HMAC | TCO_USE_KDF_OUT));
            c0 = cyc(hd);
            check("kdf", tco_kdf(hd, 7, 0x16, &p, 1, out));
            fresh += since(hd, c0) / 5;
            c0 = cyc(hd);
            check("kdf", tco_kdf(hd, 7, 0x16, &p, 1, out));
            cached += since(hd, c0) / 5;
        }
        check("key load", tco_key_load(hd, 8, key32, 32, TCO_USE_HMAC));
        check("hmac", tco_hmac(hd, 8, TCO_HASH_SHA1, msg, 64, out, 64, &ml));
        c0 = cyc(hd);
        check("hmac", tco_hmac(hd, 8, TCO_HASH_SHA1, msg, 64, out, 64, &ml));
        h1 = since(hd, c0);
        printf("3GPP KDF, S = 7 octets: %.1f cycles with the key's pads cached, %.1f on the "
               "first use after a key load\nHMAC-SHA-1, 64 octets: %.1f cycles\n",
               cached, fresh, h1);
        result("sim_lib_kdf_cached_cycles=%.1f", cached);
        result("sim_lib_kdf_fresh_cycles=%.1f", fresh);
        result("sim_lib_hmac_sha1_64_cycles=%.1f", h1);
    }
    {
        static const size_t sz[3] = {32, 160, 1200};
        printf("SRTP AES_CM_128_HMAC_SHA1_80 on sim:, one packet per call (20 packets):\n");
        for (int i = 0; i < 3; i++) {
            double cp, pp, cu, pu;
            srtp_lib(hd, sz[i], 0, 0, 20, &cp, &pp);
            srtp_lib(hd, sz[i], 1, 0, 21, &cu, &pu);
            printf("  %4zu octets: protect %7.1f cycles (%5.0f packets/s wall clock), unprotect "
                   "%7.1f cycles (%5.0f/s)\n",
                   sz[i], cp, pp, cu, pu);
            result("sim_lib_srtp_protect_cycles_%zu=%.1f", sz[i], cp);
            result("sim_lib_srtp_unprotect_cycles_%zu=%.1f", sz[i], cu);
            result("sim_srtp_protect_pps_%zu=%.1f", sz[i], pp);
            result("sim_srtp_unprotect_pps_%zu=%.1f", sz[i], pu);
        }
        printf("SRTP protect batches on sim:, 160 octets (device cycles per packet):\n");
        for (int b = 1; b <= SRTP_MAXB; b *= 4) {
            double c, p;
            srtp_lib(hd, 160, 0, b, b < 16 ? 16 : b, &c, &p);
            printf("  batch %4d: %7.1f cycles per packet, %5.0f packets/s wall clock\n", b, c, p);
            result("sim_srtp_batch_protect_cycles_160_b%d=%.1f", b, c);
            result("sim_srtp_batch_protect_pps_160_b%d=%.1f", b, p);
        }
        {
            double c, p;
            srtp_lib(hd, 160, 1, 64, 257, &c, &p);
            printf("SRTP unprotect batches of 64 on sim:, 160 octets: %7.1f cycles per packet, "
                   "%5.0f packets/s wall clock\n", c, p);
            result("sim_srtp_batch_unprotect_cycles_160_b64=%.1f", c);
            result("sim_srtp_batch_unprotect_pps_160_b64=%.1f", p);
        }
    }
    {
        static const size_t sz[] = {16, 64, 256, 1024, 4096, 16384, 65536};
        static uint8_t buf[65536], out[64];
        uint8_t ctr[16] = {0};
        size_t ml;
        check("key load", tco_key_load(hd, 9, key32, 16, TCO_USE_AES));
        check("key load", tco_key_load(hd, 10, key32, 32, TCO_USE_HMAC));
        check("hmac", tco_hmac(hd, 10, TCO_HASH_SHA256, buf, 16, out, 64, &ml)); /* pads */
        printf("Payload size on sim: (device cycles per call; max_data %u, max_mac %u octets):\n",
               info.max_data, info.max_mac);
        for (size_t i = 0; i < sizeof(sz) / sizeof(sz[0]); i++) {
            uint64_t c0 = cyc(hd);
            double c, h = 0;
            ctr[7] = (uint8_t)i;
            check("aes_ctr", tco_aes_ctr(hd, 9, ctr, 64, buf, buf, sz[i]));
            c = since(hd, c0);
            if (sz[i] <= info.max_mac) {
                c0 = cyc(hd);
                check("hmac", tco_hmac(hd, 10, TCO_HASH_SHA256, buf, sz[i], out, 64, &ml));
                h = since(hd, c0);
                printf("  %6zu octets: AES-CTR %9.0f cycles (%.3f octets per cycle), HMAC-SHA-256 "
                       "%7.0f cycles (%.3f octets per cycle)\n",
                       sz[i], c, sz[i] / c, h, sz[i] / h);
                result("sim_hmac_sha256_cycles_%zu=%.0f", sz[i], h);
                result("sim_hmac_sha256_octets_per_cycle_%zu=%.4f", sz[i], sz[i] / h);
            } else {
                printf("  %6zu octets: AES-CTR %9.0f cycles (%.3f octets per cycle)\n", sz[i], c,
                       sz[i] / c);
            }
            result("sim_aes_ctr_cycles_%zu=%.0f", sz[i], c);
            result("sim_aes_ctr_octets_per_cycle_%zu=%.4f", sz[i], sz[i] / c);
        }
        result("sim_max_data=%u", info.max_data);
        result("sim_max_mac=%u", info.max_mac);
    }
    tco_close(hd);
    tco_close(sd);
    fflush(stdout);

    /* ---- 3 ---- */
    if (tco_transport_sim.open(&t, "") != TCO_OK)
        return 1;
    {
        static const uint8_t k16[16] = {0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
                                        0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c};
        /* one role per key (docs/keys.md); the host-loaded salt is releasable */
        key_write(t, 0, TCO_P_ATTR_USE_HMAC | TCO_P_ATTR_USE_KDF_OUT, key32, 32); /* KDF, HMAC */
        key_write(t, 1, TCO_P_ATTR_USE_AES, k16, 16);         /* AES-128 block */
        key_write(t, 2, TCO_P_ATTR_USE_AES, key32, 32);       /* AES-256 CTR */
        key_write(t, 4, TCO_P_ATTR_USE_SRTP_KE, k16, 16);     /* k_e */
        key_write(t, 5, TCO_P_ATTR_USE_SRTP_KA, key32, 20);   /* k_a */
        key_write(t, 6, TCO_P_ATTR_USE_SRTP_SALT | TCO_P_ATTR_EXPORTABLE, key32, 14); /* k_s */
    }
    printf("\n== 3. Raw frames on the sim transport, all of a kind queued before the answers "
           "are read; median of %d (min .. max) ==\n",
           REPS);
    {
        bfig rate[NRAW], simspeed = {0};
        raw_fig last[NRAW];
        double drift = 0;
        memset(rate, 0, sizeof(rate));
        for (int w = 0; w < NRAW; w++) /* warm: pads cached, frames of each kind seen */
            raw_run(t, w, 20);
        for (int r = 0; r < REPS; r++) {
            uint64_t tot = 0;
            double t0 = bench_now();
            for (int w = 0; w < NRAW; w++) {
                raw_fig f = raw_run(t, w, n);
                if (r > 0 && f.rsp_octets != last[w].rsp_octets) {
                    fprintf(stderr, "bench_sim: %s: response size differs between runs\n",
                            raw_name[w]);
                    return 1;
                }
                if (r > 0 && f.cycles - last[w].cycles > drift)
                    drift = f.cycles - last[w].cycles;
                if (r > 0 && last[w].cycles - f.cycles > drift)
                    drift = last[w].cycles - f.cycles;
                last[w] = f;
                fig_add(&rate[w], f.rate);
                tot += f.total_cycles;
            }
            fig_add(&simspeed, (double)tot / (bench_now() - t0));
        }
        printf("%-26s %22s %12s %10s %10s\n", "", "frames/s (min .. max)", "cycles/frame",
               "req octets", "rsp octets");
        for (int w = 0; w < NRAW; w++) {
            char k[64];
            printf("%-26s %7.0f (%5.0f .. %5.0f) %12.1f %10.0f %10.0f\n", raw_name[w],
                   fig_med(&rate[w]), fig_min(&rate[w]), fig_max(&rate[w]), last[w].cycles,
                   last[w].req_octets, last[w].rsp_octets);
            snprintf(k, sizeof(k), "sim_raw_%s_frames_per_s", raw_key[w]);
            fig_result(k, &rate[w]);
            result("sim_raw_%s_cycles=%.2f", raw_key[w], last[w].cycles);
            result("sim_raw_%s_req_octets=%.0f", raw_key[w], last[w].req_octets);
            result("sim_raw_%s_rsp_octets=%.0f", raw_key[w], last[w].rsp_octets);
        }
        printf("(device cycles per frame: largest difference between repetitions %.2f)\n", drift);
        result("sim_raw_cycles_drift=%.3f", drift);
        printf("\nsimulated device: %.0f cycles/s on this machine (%.0f .. %.0f)\n",
               fig_med(&simspeed), fig_min(&simspeed), fig_max(&simspeed));
        fig_result("sim_cycles_per_second", &simspeed);
    }
    tco_transport_sim.close(t);
    result("sim_reps=%d", REPS);
    result("bench_sim_seconds=%.1f", bench_now() - t_start);
    result("bench_sim_load_start=%.2f", la0);
    result("bench_sim_load_end=%.2f", bench_loadavg());
    return 0;
}
