/* SPDX-License-Identifier: Apache-2.0 */
/* soft: against raw OpenSSL (make bench): how the library's cost grows with the payload, and
 * what it adds to the crypto it calls.
 *
 *  1. AES-128-CTR, HMAC-SHA-256 and HMAC-SHA-1, octets per second for payloads of 16 octets to
 *     64 KiB: tco_aes_ctr / tco_hmac on soft: (key in a slot) against OpenSSL EVP on the same
 *     buffer (one pre-keyed context: a new IV per buffer for CTR; EVP_MAC_init with the key
 *     kept, update, final for HMAC);
 *  2. 3GPP KDF derivations per second (S = 7 octets, the KeNB layout, 32-octet key): tco_kdf
 *     on soft: against a plain OpenSSL loop computing HMAC-SHA-256(key, S) over the same S
 *     with a pre-keyed EVP_MAC context.
 *
 * Each figure: REPS repetitions, each timed for at least MIN_T seconds; median (min .. max).
 * Ratios tco / OpenSSL are taken per repetition (the two loops run back to back). Output: a
 * table, then RESULT lines (tests/bench/bench_util.h). */
#include "bench_util.h"
#include "tco.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <stdint.h>

#define REPS 7
#define MIN_T 0.03

static const uint8_t key32[32] = {0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78, 0x87, 0x96, 0xa5,
                                  0xb4, 0xc3, 0xd2, 0xe1, 0xf0, 0x01, 0x12, 0x23, 0x34, 0x45, 0x56,
                                  0x67, 0x78, 0x89, 0x9a, 0xab, 0xbc, 0xcd, 0xde, 0xef, 0xf0};

static void die(const char *what)
{
    fprintf(stderr, "bench_crypto: %s failed\n", what);
    exit(1);
}

static void check(const char *what, tco_status st)
{
    if (st != TCO_OK) {
        fprintf(stderr, "bench_crypto: %s: %s\n", what, tco_strerror(st));
        exit(1);
    }
}

enum { ALG_CTR, ALG_H256, ALG_H1, ALG_KDF, ALGS };
static const char *const alg_key[ALGS] = {"aes_ctr", "hmac_sha256", "hmac_sha1", "kdf"};
static const char *const alg_name[ALGS] = {"AES-128-CTR", "HMAC-SHA-256", "HMAC-SHA-1",
                                           "3GPP KDF, S = 7"};

typedef struct ctx {
    tco_dev *dev;
    EVP_CIPHER_CTX *c;
    EVP_MAC_CTX *h256, *h1;
    uint8_t *buf;
    uint8_t ctr[16];
    uint32_t iter;
} ctx;

/* One operation of `alg` over len octets; tco (which 0) or OpenSSL (which 1). */
static void op(ctx *x, int alg, int which, size_t len)
{
    uint8_t mac[32];
    size_t ml;
    int ol;

    x->iter++;
    switch (alg) {
    case ALG_CTR:
        x->ctr[7] = (uint8_t)x->iter; /* a fresh counter block per buffer */
        x->ctr[6] = (uint8_t)(x->iter >> 8);
        if (which == 0)
            check("tco_aes_ctr", tco_aes_ctr(x->dev, 0, x->ctr, 64, x->buf, x->buf, len));
        else if (EVP_EncryptInit_ex2(x->c, NULL, NULL, x->ctr, NULL) != 1 ||
                 EVP_EncryptUpdate(x->c, x->buf, &ol, x->buf, (int)len) != 1)
            die("EVP AES-CTR");
        break;
    case ALG_H256:
    case ALG_H1: {
        EVP_MAC_CTX *m = alg == ALG_H256 ? x->h256 : x->h1;
        if (which == 0)
            check("tco_hmac", tco_hmac(x->dev, 1, alg == ALG_H256 ? TCO_HASH_SHA256 : TCO_HASH_SHA1,
                                       x->buf, len, mac, sizeof(mac), &ml));
        else if (EVP_MAC_init(m, NULL, 0, NULL) != 1 || EVP_MAC_update(m, x->buf, len) != 1 ||
                 EVP_MAC_final(m, mac, &ml, sizeof(mac)) != 1)
            die("EVP HMAC");
        break;
    }
    case ALG_KDF: {
        /* S = FC || P0 || L0, P0 = 4 octets (the KeNB layout: FC 0x11, uplink NAS COUNT) */
        uint8_t s[7] = {0x11, 0, 0, (uint8_t)(x->iter >> 8), (uint8_t)x->iter, 0, 4};
        tco_kdf_param p = {.data = s + 1, .len = 4};
        if (which == 0)
            check("tco_kdf", tco_kdf(x->dev, 1, 0x11, &p, 1, mac));
        else if (EVP_MAC_init(x->h256, NULL, 0, NULL) != 1 ||
                 EVP_MAC_update(x->h256, s, sizeof(s)) != 1 ||
                 EVP_MAC_final(x->h256, mac, &ml, sizeof(mac)) != 1)
            die("EVP HMAC (KDF)");
        break;
    }
    default:
        break;
    }
}

/* Operations per second, timed for at least MIN_T. */
static double rate(ctx *x, int alg, int which, size_t len)
{
    long n = 0, chunk = 1;
    double t0, t;

    op(x, alg, which, len); /* warm */
    t0 = bench_now();
    do {
        for (long i = 0; i < chunk; i++)
            op(x, alg, which, len);
        n += chunk;
        t = bench_now() - t0;
        if (chunk < (1 << 20))
            chunk *= 2;
    } while (t < MIN_T);
    return (double)n / t;
}

static EVP_MAC_CTX *hmac_ctx(EVP_MAC *mac, const char *digest)
{
    EVP_MAC_CTX *m = EVP_MAC_CTX_new(mac);
    OSSL_PARAM params[2] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)digest, 0),
        OSSL_PARAM_construct_end()};
    if (m == NULL || EVP_MAC_init(m, key32, 32, params) != 1)
        die("EVP_MAC_init");
    return m;
}

int main(void)
{
    static const size_t sizes[] = {16, 64, 256, 1024, 4096, 16384, 65536};
    const int ns = (int)(sizeof(sizes) / sizeof(sizes[0]));
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    ctx x = {0};
    double t_start = bench_now(), la0 = bench_loadavg();

    if (tco_open(&x.dev, "soft:") != TCO_OK)
        die("tco_open soft:");
    check("key load", tco_key_load(x.dev, 0, key32, 16, TCO_USE_AES));
    check("key load", tco_key_load(x.dev, 1, key32, 32, TCO_USE_HMAC | TCO_USE_KDF_OUT));
    x.c = EVP_CIPHER_CTX_new();
    if (mac == NULL || x.c == NULL ||
        EVP_EncryptInit_ex2(x.c, EVP_aes_128_ctr(), key32, NULL, NULL) != 1)
        die("EVP setup");
    x.h256 = hmac_ctx(mac, "SHA256");
    x.h1 = hmac_ctx(mac, "SHA1");
    x.buf = malloc(65536);
    if (x.buf == NULL)
        die("malloc");
    memset(x.buf, 0x5A, 65536);
    memcpy(x.ctr, (const uint8_t[16]){0xF0, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0, 0}, 16);

    printf("soft: against OpenSSL EVP, median of %d repetitions (min .. max), each >= %.0f ms\n",
           REPS, MIN_T * 1e3);
    printf("%-14s %8s | %22s | %22s | %s\n", "", "octets", "tco soft: MB/s", "OpenSSL MB/s",
           "tco / OpenSSL");
    for (int a = 0; a < ALG_KDF; a++)
        for (int si = 0; si < ns; si++) {
            size_t len = sizes[si];
            bfig ft = {0}, fe = {0}, fr = {0};
            char k[96];
            for (int r = 0; r < REPS; r++) {
                double t = rate(&x, a, 0, len) * (double)len, e = rate(&x, a, 1, len) * (double)len;
                fig_add(&ft, t);
                fig_add(&fe, e);
                fig_add(&fr, t / e);
            }
            printf("%-14s %8zu | %8.1f (%5.1f .. %5.1f) | %8.1f (%5.1f .. %5.1f) | %.3f (%.3f .. %.3f)\n",
                   alg_name[a], len, fig_med(&ft) / 1e6, fig_min(&ft) / 1e6, fig_max(&ft) / 1e6,
                   fig_med(&fe) / 1e6, fig_min(&fe) / 1e6, fig_max(&fe) / 1e6, fig_med(&fr),
                   fig_min(&fr), fig_max(&fr));
            snprintf(k, sizeof(k), "soft_%s_Bps_%zu", alg_key[a], len);
            fig_result(k, &ft);
            snprintf(k, sizeof(k), "evp_%s_Bps_%zu", alg_key[a], len);
            fig_result(k, &fe);
            snprintf(k, sizeof(k), "soft_vs_evp_%s_ratio_%zu", alg_key[a], len);
            fig_result(k, &fr);
            fflush(stdout);
        }
    {
        bfig ft = {0}, fe = {0}, fr = {0};
        for (int r = 0; r < REPS; r++) {
            double t = rate(&x, ALG_KDF, 0, 0), e = rate(&x, ALG_KDF, 1, 0);
            fig_add(&ft, t);
            fig_add(&fe, e);
            fig_add(&fr, t / e);
        }
        printf("\n3GPP KDF (S = 7 octets), derivations/s: tco soft: %.0f (%.0f .. %.0f); plain "
               "OpenSSL HMAC-SHA-256 loop %.0f (%.0f .. %.0f); tco / OpenSSL %.3f (%.3f .. %.3f)\n",
               fig_med(&ft), fig_min(&ft), fig_max(&ft), fig_med(&fe), fig_min(&fe),
               fig_max(&fe), fig_med(&fr), fig_min(&fr), fig_max(&fr));
        fig_result("soft_kdf_per_s", &ft);
        fig_result("evp_hmac_kdf_per_s", &fe);
        fig_result("soft_vs_evp_kdf_ratio", &fr);
    }
    result("crypto_min_time_ms=%.0f", MIN_T * 1e3);
    result("crypto_reps=%d", REPS);
    result("bench_crypto_seconds=%.1f", bench_now() - t_start);
    result("bench_crypto_load_start=%.2f", la0);
    result("bench_crypto_load_end=%.2f", bench_loadavg());
    EVP_MAC_CTX_free(x.h256);
    EVP_MAC_CTX_free(x.h1);
    EVP_MAC_free(mac);
    EVP_CIPHER_CTX_free(x.c);
    free(x.buf);
    tco_close(x.dev);
    return 0;
}
