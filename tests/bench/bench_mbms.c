/* SPDX-License-Identifier: Apache-2.0 */
/* MBMS figures (make bench-mbms):
 *  1. the key tree: records and octets per leave and per join with rekey, as the group grows
 *     (100 .. 100,000 members, arity 2 and 4), against the naive scheme that sends the new
 *     group key to every member one by one; and the server's time per event on soft:;
 *  2. RFC 3394 key wraps per second on soft: (tco_key_wrap / tco_key_unwrap) next to OpenSSL's
 *     EVP AES-WRAP measured in the same run;
 *  3. bulk AES-CTR: tco_aes_ctr on soft: against OpenSSL's EVP AES-128-CTR on the same
 *     buffers, and on sim: device octets per simulated cycle (the device's cycle counter, read
 *     with tco_get_info) and wall-clock octets per second.
 * Throughput figures are the median of REPS runs with the spread (min .. max); ratios are
 * taken per run. Output: tables on stdout, then a block of "RESULT key=value" lines.
 * Usage: bench_mbms [max_members] (default 100000: the largest group size measured). sim:
 * needs TCO_SIM_LIB (the Makefile sets it); without it the sim: part is skipped. */
#include "tco.h"
#include "tco_mbms.h"

#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REPS 5
#define EVENTS 50 /* leaves and joins per group size */
#define KEY_LEN 16
#define REC_LEN (16 + KEY_LEN + 8) /* record: node, version, wrapping node/version, wrap */
#define MSG_OVH (8 + 16)           /* message header and tag */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef struct fig {
    double v[REPS];
} fig;

static double med(const fig *f)
{
    double s[REPS];
    memcpy(s, f->v, sizeof(s));
    qsort(s, REPS, sizeof(double), cmp_d);
    return s[REPS / 2];
}

static double fmin_(const fig *f)
{
    double m = f->v[0];
    for (int i = 1; i < REPS; i++)
        m = f->v[i] < m ? f->v[i] : m;
    return m;
}

static double fmax_(const fig *f)
{
    double m = f->v[0];
    for (int i = 1; i < REPS; i++)
        m = f->v[i] > m ? f->v[i] : m;
    return m;
}

static void die(const char *what, tco_status st)
{
    fprintf(stderr, "bench_mbms: %s: %s\n", what, tco_strerror(st));
    exit(1);
}

static void check(const char *what, tco_status st)
{
    if (st != TCO_OK)
        die(what, st);
}

/* The RESULT lines are collected and printed as one block at the end. */
static char results[32768];
static size_t res_len;

__attribute__((format(printf, 1, 2))) static void result(const char *fmt, ...)
{
    va_list ap;
    int n;

    if (sizeof(results) - res_len > 7) {
        memcpy(results + res_len, "RESULT ", 7);
        res_len += 7;
    }
    va_start(ap, fmt);
    n = vsnprintf(results + res_len, sizeof(results) - res_len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(results) - res_len) {
        fprintf(stderr, "bench_mbms: result buffer full\n");
        exit(1);
    }
    res_len += (size_t)n;
}

static void loadavg(char *out, size_t cap)
{
    FILE *f = fopen("/proc/loadavg", "r");

    snprintf(out, cap, "?");
    if (f != NULL) {
        if (fgets(out, (int)cap, f) != NULL)
            out[strcspn(out, " ")] = '\0'; /* the 1-minute figure */
        fclose(f);
    }
}

/* xorshift64: the same event sequence in every run */
static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

static unsigned records_of(const tco_mbms_msg *m)
{
    if (m->len == 0)
        return 0;
    if (m->len < MSG_OVH || (m->len - MSG_OVH) % REC_LEN != 0 ||
        (m->len - MSG_OVH) / REC_LEN != ((unsigned)m->data[6] << 8 | m->data[7])) {
        fprintf(stderr, "bench_mbms: malformed message\n");
        exit(1);
    }
    return (unsigned)m->data[6] << 8 | m->data[7];
}

/* ---- 1. the key tree -------------------------------------------------------------------- */
typedef struct tree_fig {
    uint32_t n;
    unsigned arity, depth;
    double fill_s;                                   /* joins without rekey from 0 to n */
    double leave_rec, leave_oct, join_rec, join_oct; /* per event, averaged */
    double leave_us, join_us; /* server time per event on soft: (median of the events) */
    double leave_us_q1, leave_us_q3, join_us_q1, join_us_q3; /* quartiles of the events */
    unsigned leave_max;
} tree_fig;

static void leaf_key(uint32_t i, uint8_t k[KEY_LEN])
{
    for (int j = 0; j < KEY_LEN; j++)
        k[j] = (uint8_t)(i >> (8 * (j & 3))) ^ (uint8_t)(0x5A + j);
}

static tree_fig tree_run(tco_dev *dev, unsigned arity, uint32_t n)
{
    tco_mbms_params p = {.arity = arity, .max_members = n, .key_len = KEY_LEN};
    tco_mbms_server *s;
    tco_mbms_msg uni, multi;
    tree_fig f = {.n = n, .arity = arity};
    uint8_t k[KEY_LEN];
    uint32_t id;
    double t0, tl[EVENTS], tj[EVENTS], rl = 0, ol = 0, rj = 0, oj = 0;

    check("server create", tco_mbms_server_create(dev, &p, &s));
    f.depth = tco_mbms_depth(s);
    t0 = now();
    for (uint32_t i = 0; i < n; i++) {
        leaf_key(i, k);
        check("join (fill)", tco_mbms_join(s, k, KEY_LEN, 0, &id, &uni, &multi));
    }
    f.fill_s = now() - t0;
    /* Each event pair: a random member leaves (the group had n members), and a new member
     * joins with rekey into the leaf it left (the group had n - 1). */
    for (int e = 0; e < EVENTS; e++) {
        uint32_t r = rnd(n);
        unsigned c;
        t0 = now();
        check("leave", tco_mbms_leave(s, r, &multi));
        tl[e] = now() - t0;
        c = records_of(&multi);
        rl += c;
        ol += (double)multi.len;
        f.leave_max = c > f.leave_max ? c : f.leave_max;
        leaf_key(n + (uint32_t)e, k);
        t0 = now();
        check("join (rekey)", tco_mbms_join(s, k, KEY_LEN, 1, &id, &uni, &multi));
        tj[e] = now() - t0;
        if (id != r) {
            fprintf(stderr, "bench_mbms: join took leaf %u, expected %u\n", id, r);
            exit(1);
        }
        rj += records_of(&uni) + records_of(&multi);
        oj += (double)(uni.len + multi.len);
    }
    if (tco_mbms_members(s) != n) {
        fprintf(stderr, "bench_mbms: %u members, expected %u\n", tco_mbms_members(s), n);
        exit(1);
    }
    f.leave_rec = rl / EVENTS;
    f.leave_oct = ol / EVENTS;
    f.join_rec = rj / EVENTS;
    f.join_oct = oj / EVENTS;
    qsort(tl, EVENTS, sizeof(double), cmp_d);
    qsort(tj, EVENTS, sizeof(double), cmp_d);
    f.leave_us = tl[EVENTS / 2] * 1e6;
    f.join_us = tj[EVENTS / 2] * 1e6;
    f.leave_us_q1 = tl[EVENTS / 4] * 1e6;
    f.leave_us_q3 = tl[3 * EVENTS / 4] * 1e6;
    f.join_us_q1 = tj[EVENTS / 4] * 1e6;
    f.join_us_q3 = tj[3 * EVENTS / 4] * 1e6;
    tco_mbms_server_free(s);
    return f;
}

static void tree_part(tco_dev *dev, uint32_t max_n)
{
    static const uint32_t sizes[] = {100, 1000, 10000, 100000};
    static const unsigned arities[] = {2, 4};
    tree_fig t[8];
    int nt = 0;

    for (int a = 0; a < 2; a++)
        for (int i = 0; i < 4 && sizes[i] <= max_n; i++) {
            t[nt] = tree_run(dev, arities[a], sizes[i]);
            fflush(stdout);
            nt++;
        }
    printf("== 1. Key tree on soft: (%d-octet keys; record %d octets; message = 8 header + "
           "records + 16 tag) ==\n",
           KEY_LEN, REC_LEN);
    printf("Averages over %d random leaves (group of N) and %d joins with rekey (group of N-1 "
           "plus the joiner).\nNaive: the new group key to each member on its own: N-1 records "
           "per leave, N per join (N-1 old members + the joiner); octets = records x %d.\n\n",
           EVENTS, EVENTS, REC_LEN);
    printf("%8s %5s %5s | %9s %9s %9s %10s %8s | %9s %9s %9s %10s %8s\n", "members", "arity",
           "depth", "leave rec", "octets", "naive rec", "naive oct", "ratio", "join rec", "octets",
           "naive rec", "naive oct", "ratio");
    for (int i = 0; i < nt; i++) {
        double nl = t[i].n - 1.0, nj = t[i].n;
        printf("%8u %5u %5u | %9.1f %9.0f %9.0f %10.0f %8.1f | %9.1f %9.0f %9.0f %10.0f %8.1f\n",
               t[i].n, t[i].arity, t[i].depth, t[i].leave_rec, t[i].leave_oct, nl, nl * REC_LEN,
               nl / t[i].leave_rec, t[i].join_rec, t[i].join_oct, nj, nj * REC_LEN,
               nj / t[i].join_rec);
    }
    printf("\nServer time on soft:, median over the events (node keys unwrapped from and "
           "wrapped back to\ntheir blobs in slots); fill: joins without rekey from 0 to N "
           "members\n");
    printf("%8s %5s | %14s %14s %15s %18s\n", "members", "arity", "us per leave", "us per join",
           "fill (s)", "fill, us per join");
    for (int i = 0; i < nt; i++)
        printf("%8u %5u | %14.1f %14.1f %15.2f %18.1f\n", t[i].n, t[i].arity, t[i].leave_us,
               t[i].join_us, t[i].fill_s, t[i].fill_s / t[i].n * 1e6);
    printf("\n");
    for (int i = 0; i < nt; i++) {
        char tag[32];
        snprintf(tag, sizeof(tag), "%u_a%u", t[i].n, t[i].arity);
        result("mbms_depth_%s=%u\n", tag, t[i].depth);
        result("mbms_leave_records_%s=%.2f\n", tag, t[i].leave_rec);
        result("mbms_leave_records_max_%s=%u\n", tag, t[i].leave_max);
        result("mbms_leave_octets_%s=%.1f\n", tag, t[i].leave_oct);
        result("mbms_leave_naive_records_%s=%u\n", tag, t[i].n - 1);
        result("mbms_leave_naive_over_tree_%s=%.1f\n", tag, (t[i].n - 1.0) / t[i].leave_rec);
        result("mbms_join_records_%s=%.2f\n", tag, t[i].join_rec);
        result("mbms_join_octets_%s=%.1f\n", tag, t[i].join_oct);
        result("mbms_join_naive_records_%s=%u\n", tag, t[i].n);
        result("mbms_join_naive_over_tree_%s=%.1f\n", tag, t[i].n / t[i].join_rec);
        result("mbms_soft_leave_us_%s=%.1f\n", tag, t[i].leave_us);
        result("mbms_soft_join_rekey_us_%s=%.1f\n", tag, t[i].join_us);
        result("mbms_soft_leave_us_q1_%s=%.1f\n", tag, t[i].leave_us_q1);
        result("mbms_soft_leave_us_q3_%s=%.1f\n", tag, t[i].leave_us_q3);
        result("mbms_soft_join_rekey_us_q1_%s=%.1f\n", tag, t[i].join_us_q1);
        result("mbms_soft_join_rekey_us_q3_%s=%.1f\n", tag, t[i].join_us_q3);
        result("mbms_naive_leave_octets_min_%s=%.0f\n", tag, (t[i].n - 1.0) * REC_LEN);
        result("mbms_soft_fill_s_%s=%.6f\n", tag, t[i].fill_s);
    }
}

/* ---- 2. key wraps per second ------------------------------------------------------------ */
static const uint8_t key32[32] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA,
                                  0xBB, 0xCC, 0xDD, 0xEE, 0xFF, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05,
                                  0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F};
static const uint8_t kek32[32] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A,
                                  0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15,
                                  0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F};

/* tco_key_wrap (unwrap 0) or tco_key_unwrap (1) of an l-octet key under a kl-octet KEK; the
 * key is a node key of the tree (a KEK, extractable: TCO_MBMS_NODE_ATTRS, bound in the blob). */
static double tco_wrap_rate(tco_dev *dev, size_t l, size_t kl, int unwrap, int n)
{
    uint8_t w[40];
    size_t wl = 0;
    double t0;

    check("key load", tco_key_load(dev, 0, kek32, kl, TCO_USE_WRAP));
    check("key load", tco_key_load(dev, 1, key32, l, TCO_MBMS_NODE_ATTRS));
    check("wrap", tco_key_wrap(dev, 0, 1, w, sizeof(w), &wl));
    t0 = now();
    for (int i = 0; i < n; i++) {
        tco_status st = unwrap ? tco_key_unwrap(dev, 0, w, wl, 2, TCO_MBMS_NODE_ATTRS)
                               : tco_key_wrap(dev, 0, 1, w, sizeof(w), &wl);
        if (st != TCO_OK)
            die("wrap", st);
    }
    return n / (now() - t0);
}

/* The same on EVP AES-WRAP directly: one context, the KEK set for every wrap (as each record
 * of a rekey has its own KEK); the cipher fetched once. */
static double evp_wrap_rate(size_t l, size_t kl, int unwrap, int n)
{
    EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, kl == 16 ? "AES-128-WRAP" : "AES-256-WRAP", NULL);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    uint8_t w[40], out[40];
    int a = 0, b = 0;
    double t0;

    if (c == NULL || ctx == NULL)
        die("EVP", TCO_ERR_CRYPTO);
    EVP_CIPHER_CTX_set_flags(ctx, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    if (EVP_EncryptInit_ex2(ctx, c, kek32, NULL, NULL) != 1 ||
        EVP_EncryptUpdate(ctx, w, &a, key32, (int)l) != 1 ||
        EVP_EncryptFinal_ex(ctx, w + a, &b) != 1 || (size_t)(a + b) != l + 8)
        die("EVP wrap", TCO_ERR_CRYPTO);
    t0 = now();
    for (int i = 0; i < n; i++) {
        int ok = unwrap ? EVP_DecryptInit_ex2(ctx, c, kek32, NULL, NULL) == 1 &&
                              EVP_DecryptUpdate(ctx, out, &a, w, (int)l + 8) == 1 &&
                              EVP_DecryptFinal_ex(ctx, out + a, &b) == 1
                        : EVP_EncryptInit_ex2(ctx, c, kek32, NULL, NULL) == 1 &&
                              EVP_EncryptUpdate(ctx, out, &a, key32, (int)l) == 1 &&
                              EVP_EncryptFinal_ex(ctx, out + a, &b) == 1;
        if (!ok)
            die("EVP wrap", TCO_ERR_CRYPTO);
    }
    double r = n / (now() - t0);
    EVP_CIPHER_CTX_free(ctx);
    EVP_CIPHER_free(c);
    return r;
}

/* sim: device cycles per call from the device's cycle counter (INFO); the cycles of the
 * bracketing INFO calls are taken off (*ovh: the cycles between two INFO calls). */
static uint64_t sim_cycles(tco_dev *dev)
{
    tco_info in;
    check("info", tco_get_info(dev, &in));
    return in.cycles;
}

static double sim_info_overhead(tco_dev *dev)
{
    uint64_t c0 = sim_cycles(dev), c1 = sim_cycles(dev);
    return (double)(c1 - c0);
}

static double sim_wrap_cycles(tco_dev *dev, size_t l, size_t kl, int unwrap, int n, double ovh)
{
    uint8_t w[40];
    size_t wl = 0;
    uint64_t c0;

    check("sim key load", tco_key_load(dev, 0, kek32, kl, TCO_USE_WRAP));
    check("sim key load", tco_key_load(dev, 1, key32, l, TCO_MBMS_NODE_ATTRS));
    check("sim wrap", tco_key_wrap(dev, 0, 1, w, sizeof(w), &wl));
    c0 = sim_cycles(dev);
    for (int i = 0; i < n; i++) {
        tco_status st = unwrap ? tco_key_unwrap(dev, 0, w, wl, 2, TCO_MBMS_NODE_ATTRS)
                               : tco_key_wrap(dev, 0, 1, w, sizeof(w), &wl);
        if (st != TCO_OK)
            die("sim wrap", st);
    }
    return ((double)(sim_cycles(dev) - c0) - ovh) / n;
}

static void wrap_part(tco_dev *dev, tco_dev *sim)
{
    static const char *const op[2] = {"wrap", "unwrap"};
    /* key / KEK: 16/16 the records of a rekey, 16/32 the node-key blobs under the storage
     * key, 32/32 a tree of 32-octet keys */
    static const size_t kls[3][2] = {{16, 16}, {16, 32}, {32, 32}};
    const int n = 100000;

    printf("== 2. RFC 3394 key wrap on soft: (ops/s, median of %d (min .. max)); OpenSSL EVP "
           "AES-WRAP in the same run ==\n",
           REPS);
    printf("%-30s %12s %25s %12s %25s %8s\n", "", "tco", "(min .. max)", "EVP", "(min .. max)",
           "tco/EVP");
    for (int u = 0; u < 2; u++)
        for (int j = 0; j < 3; j++) {
            size_t l = kls[j][0], kl = kls[j][1];
            fig ft, fe, fr;
            char name[64];
            for (int r = 0; r < REPS; r++) {
                ft.v[r] = tco_wrap_rate(dev, l, kl, u, n);
                fe.v[r] = evp_wrap_rate(l, kl, u, n);
                fr.v[r] = ft.v[r] / fe.v[r];
            }
            snprintf(name, sizeof(name), "%s %zu-octet key, %zu-octet KEK", op[u], l, kl);
            printf("%-30s %12.0f %12.0f .. %10.0f %12.0f %12.0f .. %10.0f %8.2f (%.2f .. %.2f)\n",
                   name, med(&ft), fmin_(&ft), fmax_(&ft), med(&fe), fmin_(&fe), fmax_(&fe),
                   med(&fr), fmin_(&fr), fmax_(&fr));
            result("soft_key_%s_per_s_k%zu_kek%zu=%.0f\n", op[u], l, kl, med(&ft));
            result("evp_key_%s_per_s_k%zu_kek%zu=%.0f\n", op[u], l, kl, med(&fe));
            result("soft_vs_evp_key_%s_ratio_k%zu_kek%zu=%.3f\n", op[u], l, kl, med(&fr));
            result("soft_key_%s_per_s_k%zu_kek%zu_min=%.0f\n", op[u], l, kl, fmin_(&ft));
            result("soft_key_%s_per_s_k%zu_kek%zu_max=%.0f\n", op[u], l, kl, fmax_(&ft));
            result("evp_key_%s_per_s_k%zu_kek%zu_min=%.0f\n", op[u], l, kl, fmin_(&fe));
            result("evp_key_%s_per_s_k%zu_kek%zu_max=%.0f\n", op[u], l, kl, fmax_(&fe));
            result("soft_vs_evp_key_%s_ratio_k%zu_kek%zu_min=%.3f\n", op[u], l, kl, fmin_(&fr));
            result("soft_vs_evp_key_%s_ratio_k%zu_kek%zu_max=%.3f\n", op[u], l, kl, fmax_(&fr));
        }
    if (sim != NULL) {
        double ovh = sim_info_overhead(sim);
        printf("sim: device cycles per call, from its cycle counter (request in, work, answer "
               "out; INFO bracket taken off):\n");
        for (int u = 0; u < 2; u++)
            for (int j = 0; j < 3; j++) {
                size_t l = kls[j][0], kl = kls[j][1];
                double c = sim_wrap_cycles(sim, l, kl, u, 20, ovh);
                printf("  %-6s %zu-octet key, %zu-octet KEK  %8.1f cycles\n", op[u], l, kl, c);
                result("sim_key_%s_cycles_k%zu_kek%zu=%.1f\n", op[u], l, kl, c);
            }
    }
    printf("\n");
}

/* ---- 3. bulk AES-CTR -------------------------------------------------------------------- */
static double tco_ctr_rate(tco_dev *dev, uint8_t *buf, size_t len, size_t total)
{
    uint8_t ctr[16] = {0xF0, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0, 0, 0, 0, 0, 0, 0, 0};
    size_t done = 0;
    double t0;

    t0 = now();
    while (done < total) {
        ctr[7] = (uint8_t)done; /* a fresh counter block per buffer */
        check("aes_ctr", tco_aes_ctr(dev, 3, ctr, 64, buf, buf, len));
        done += len;
    }
    return (double)done / (now() - t0);
}

static double evp_ctr_rate(uint8_t *buf, size_t len, size_t total)
{
    EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, "AES-128-CTR", NULL);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    uint8_t iv[16] = {0xF0, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0, 0, 0, 0, 0, 0, 0, 0};
    size_t done = 0;
    int ol = 0;
    double t0;

    if (c == NULL || ctx == NULL || EVP_EncryptInit_ex2(ctx, c, key32, NULL, NULL) != 1)
        die("EVP", TCO_ERR_CRYPTO);
    t0 = now();
    while (done < total) {
        iv[7] = (uint8_t)done;
        if (EVP_EncryptInit_ex2(ctx, NULL, NULL, iv, NULL) != 1 ||
            EVP_EncryptUpdate(ctx, buf, &ol, buf, (int)len) != 1)
            die("EVP ctr", TCO_ERR_CRYPTO);
        done += len;
    }
    double r = (double)done / (now() - t0);
    EVP_CIPHER_CTX_free(ctx);
    EVP_CIPHER_free(c);
    return r;
}

static void ctr_part(tco_dev *dev, tco_dev *sim, double sim_ovh)
{
    static const size_t sizes[3] = {16384, 65536, 1048576};
    const size_t total = 128u << 20, evp_total = 1024u << 20; /* octets per measurement */
    uint8_t *buf = malloc(1048576);

    if (buf == NULL)
        exit(1);
    memset(buf, 0xA5, 1048576);
    check("key load", tco_key_load(dev, 3, key32, 16, TCO_USE_AES));
    printf("== 3. AES-128-CTR, in place, MB/s (10^6 octets/s), median of %d (min .. max) ==\n",
           REPS);
    printf("%-10s %9s %22s %9s %22s %8s\n", "buffer", "tco soft:", "(min .. max)", "EVP",
           "(min .. max)", "tco/EVP");
    for (int si = 0; si < 3; si++) {
        fig ft, fe, fr;
        for (int r = 0; r < REPS; r++) {
            ft.v[r] = tco_ctr_rate(dev, buf, sizes[si], total) / 1e6;
            fe.v[r] = evp_ctr_rate(buf, sizes[si], evp_total) / 1e6;
            fr.v[r] = ft.v[r] / fe.v[r];
        }
        printf("%-10zu %9.0f %10.0f .. %9.0f %9.0f %10.0f .. %9.0f %8.2f (%.2f .. %.2f)\n",
               sizes[si], med(&ft), fmin_(&ft), fmax_(&ft), med(&fe), fmin_(&fe), fmax_(&fe),
               med(&fr), fmin_(&fr), fmax_(&fr));
        result("mbms_soft_aes_ctr_MBps_%zu=%.1f\n", sizes[si], med(&ft));
        result("mbms_evp_aes_ctr_MBps_%zu=%.1f\n", sizes[si], med(&fe));
        result("mbms_soft_vs_evp_aes_ctr_ratio_%zu=%.3f\n", sizes[si], med(&fr));
        result("mbms_soft_aes_ctr_MBps_%zu_min=%.1f\n", sizes[si], fmin_(&ft));
        result("mbms_soft_aes_ctr_MBps_%zu_max=%.1f\n", sizes[si], fmax_(&ft));
        result("mbms_evp_aes_ctr_MBps_%zu_min=%.1f\n", sizes[si], fmin_(&fe));
        result("mbms_evp_aes_ctr_MBps_%zu_max=%.1f\n", sizes[si], fmax_(&fe));
        result("mbms_soft_vs_evp_aes_ctr_ratio_%zu_min=%.3f\n", sizes[si], fmin_(&fr));
        result("mbms_soft_vs_evp_aes_ctr_ratio_%zu_max=%.3f\n", sizes[si], fmax_(&fr));
    }
    if (sim != NULL) {
        const size_t len = 16384;
        fig fb, fw, fc;
        uint8_t ctr[16] = {0};
        check("sim key load", tco_key_load(sim, 3, key32, 16, TCO_USE_AES));
        for (int r = 0; r < REPS; r++) {
            uint64_t c0 = sim_cycles(sim);
            double t0 = now(), t1;
            ctr[7] = (uint8_t)r;
            check("sim aes_ctr", tco_aes_ctr(sim, 3, ctr, 64, buf, buf, len));
            t1 = now() - t0;
            fc.v[r] = (double)(sim_cycles(sim) - c0) - sim_ovh;
            fb.v[r] = len / fc.v[r];
            fw.v[r] = len / t1;
        }
        printf("sim: %zu octets per call (frames of 1,056 octets, up to 16 in flight):\n", len);
        printf("  device cycles per call  %9.0f  (%.0f .. %.0f), %.2f per 16-octet block\n",
               med(&fc), fmin_(&fc), fmax_(&fc), med(&fc) / (len / 16));
        printf("  device octets per cycle %9.3f  (%.3f .. %.3f)\n", med(&fb), fmin_(&fb),
               fmax_(&fb));
        printf("  wall clock, octets/s    %9.0f  (%.0f .. %.0f)  (the simulator's speed on "
               "this machine)\n",
               med(&fw), fmin_(&fw), fmax_(&fw));
        result("mbms_sim_aes_ctr_cycles_16384=%.0f\n", med(&fc));
        result("mbms_sim_aes_ctr_octets_per_cycle_16384=%.4f\n", med(&fb));
        result("mbms_sim_aes_ctr_wall_Bps_16384=%.0f\n", med(&fw));
        result("mbms_sim_aes_ctr_wall_Bps_16384_min=%.0f\n", fmin_(&fw));
        result("mbms_sim_aes_ctr_wall_Bps_16384_max=%.0f\n", fmax_(&fw));
    }
    printf("\n");
    free(buf);
}

int main(int argc, char **argv)
{
    uint32_t max_n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 100000;
    tco_dev *dev = NULL, *sim = NULL;
    char la0[32], la1[32];
    double t0 = now(), ovh = 0;
    tco_status st;

    loadavg(la0, sizeof(la0));
    if (tco_open(&dev, "soft:") != TCO_OK) {
        fprintf(stderr, "bench_mbms: cannot open soft:\n");
        return 1;
    }
    if (getenv("TCO_SIM_LIB") != NULL) {
        st = tco_open(&sim, "sim:");
        if (st != TCO_OK)
            die("open sim:", st);
        ovh = sim_info_overhead(sim);
    } else {
        printf("(TCO_SIM_LIB not set: sim: figures skipped)\n");
    }
    tree_part(dev, max_n);
    fflush(stdout);
    wrap_part(dev, sim);
    fflush(stdout);
    ctr_part(dev, sim, ovh);
    loadavg(la1, sizeof(la1));
    printf("machine: load average (1 min) %s at start, %s at end; %.0f s in all\n", la0, la1,
           now() - t0);
    result("mbms_events=%d\n", EVENTS);
    result("mbms_key_octets=%d\n", KEY_LEN);
    result("mbms_record_octets=%d\n", REC_LEN);
    result("mbms_msg_overhead_octets=%d\n", MSG_OVH);
    result("mbms_reps=%d\n", REPS);
    result("bench_mbms_seconds=%.1f\n", now() - t0);
    result("bench_mbms_load_start=%s\n", la0);
    result("bench_mbms_load_end=%s\n", la1);
    fputs(results, stdout);
    tco_close(sim);
    tco_close(dev);
    return 0;
}
