/* SPDX-License-Identifier: Apache-2.0 */
/* SRTP host figures (make bench): packets per second for protect and unprotect at 32, 160 and
 * 1200-octet payloads on soft:, single packets and batches, next to two peers measured in the
 * same run: Debian's libsrtp2 (the SRTP library a user would pick instead) and the crypto
 * floor, a tight loop doing only the AES-128-CTR and HMAC-SHA1 work of each packet with
 * pre-keyed OpenSSL contexts. Each figure is the median of REPS runs with the spread
 * (min..max); ratios are taken per run. Optional: sim: packets per second (argument "sim").
 * Output: a table on stdout and key=value lines (for build/bench/results.json). */
#include "tco.h"
#include "tco_srtp.h"

#ifdef TCO_HAVE_IPSEC_MB
#include <intel-ipsec-mb.h>
#endif
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <srtp2/srtp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REPS 5
#define BATCH 64

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

static uint8_t key[30] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA,
                          0xBB, 0xCC, 0xDD, 0xEE, 0xFF, 0x01, 0x02, 0x03, 0x04, 0x05,
                          0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F};

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

/* ---- peer 1: libsrtp2 ------------------------------------------------------------------- */
static srtp_t lib_new(int inbound)
{
    srtp_policy_t pol;
    srtp_t s;

    memset(&pol, 0, sizeof(pol));
    srtp_crypto_policy_set_rtp_default(&pol.rtp);
    srtp_crypto_policy_set_rtcp_default(&pol.rtcp);
    pol.ssrc.type = inbound ? ssrc_any_inbound : ssrc_any_outbound;
    pol.key = key;
    pol.window_size = 128;
    pol.allow_repeat_tx = 1;
    if (srtp_create(&s, &pol) != srtp_err_status_ok)
        abort();
    return s;
}

/* Every loop works on buffers that stay in cache, as the floor's do: protect rewrites the SEQ
 * of one packet buffer and protects it in place; unprotect walks a set of SET protected
 * packets (a fresh receiver per pass, made outside the timed part). */
#define SET 4096
#define STRIDE 1300

static void set_seq(uint8_t *p, uint32_t i)
{
    p[2] = (uint8_t)(i >> 8);
    p[3] = (uint8_t)i;
}

/* protect (dir 0) or unprotect (dir 1) about n packets; packets per second */
static double lib_rate(size_t plen, int dir, int n)
{
    srtp_t tx = lib_new(0), rx;
    uint8_t *enc = malloc((size_t)SET * STRIDE), buf[1400];
    int *lens = malloc(SET * sizeof(int));
    double t = 0, t0;
    int done = 0;

    if (dir == 0) {
        make_pkt(buf, 0, plen);
        t0 = now();
        for (int i = 0; i < n; i++) {
            int len = (int)(12 + plen);
            set_seq(buf, (uint32_t)i);
            if (srtp_protect(tx, buf, &len) != srtp_err_status_ok)
                abort();
        }
        t = now() - t0;
        done = n;
    } else {
        for (int i = 0; i < SET; i++) {
            int len = (int)make_pkt(enc + (size_t)i * STRIDE, (uint16_t)i, plen);
            if (srtp_protect(tx, enc + (size_t)i * STRIDE, &len) != srtp_err_status_ok)
                abort();
            lens[i] = len;
        }
        while (done < n) {
            rx = lib_new(1);
            t0 = now();
            for (int i = 0; i < SET; i++) {
                int len = lens[i];
                memcpy(buf, enc + (size_t)i * STRIDE, (size_t)len); /* its API is in place */
                if (srtp_unprotect(rx, buf, &len) != srtp_err_status_ok)
                    abort();
            }
            t += now() - t0;
            done += SET;
            srtp_dealloc(rx);
        }
    }
    srtp_dealloc(tx);
    free(enc);
    free(lens);
    return done / t;
}

/* ---- peer 2: the crypto floor ------------------------------------------------------------ */
static double floor_rate(size_t plen, int n)
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *m = EVP_MAC_CTX_new(mac);
    OSSL_PARAM params[2] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA1", 0),
        OSSL_PARAM_construct_end()};
    uint8_t iv[16] = {0}, buf[1400], tag[20];
    size_t tl;
    int outl;
    double t0;

    EVP_EncryptInit_ex2(c, EVP_aes_128_ctr(), key, NULL, NULL);
    EVP_MAC_init(m, key, 20, params);
    make_pkt(buf, 0, plen);
    t0 = now();
    for (int i = 0; i < n; i++) {
        iv[13] = (uint8_t)i;
        EVP_EncryptInit_ex2(c, NULL, NULL, iv, NULL);
        EVP_EncryptUpdate(c, buf + 12, &outl, buf + 12, (int)plen);
        EVP_MAC_init(m, NULL, 0, NULL);
        EVP_MAC_update(m, buf, 12 + plen + 4);
        EVP_MAC_final(m, tag, &tl, sizeof(tag));
    }
    double r = n / (now() - t0);
    EVP_CIPHER_CTX_free(c);
    EVP_MAC_CTX_free(m);
    EVP_MAC_free(mac);
    return r;
}

#ifdef TCO_HAVE_IPSEC_MB
/* The crypto floor on libipsec-mb: one chained AES-128-CTR + HMAC-SHA1 job per packet,
 * pre-expanded key and pad states, jobs submitted back to back (multi-buffer). */
static double floor_rate_mb(size_t plen, int n)
{
    enum { NB = 64 };
    static uint8_t buf[NB][1400], tag[NB][20];
    static DECLARE_ALIGNED(uint8_t iv[NB][16], 16);
    DECLARE_ALIGNED(uint32_t ek[60], 16);
    DECLARE_ALIGNED(uint32_t dk[60], 16);
    DECLARE_ALIGNED(uint8_t ipad[20], 16);
    DECLARE_ALIGNED(uint8_t opad[20], 16);
    DECLARE_ALIGNED(uint8_t blk[64], 16);
    IMB_MGR *m = alloc_mb_mgr(0);
    IMB_JOB *j;
    double t0;

    init_mb_mgr_auto(m, NULL);
    IMB_AES_KEYEXP_128(m, key, ek, dk);
    memset(blk, 0x36, 64);
    for (int i = 0; i < 20; i++)
        blk[i] ^= key[i];
    IMB_SHA1_ONE_BLOCK(m, blk, ipad);
    memset(blk, 0x5C, 64);
    for (int i = 0; i < 20; i++)
        blk[i] ^= key[i];
    IMB_SHA1_ONE_BLOCK(m, blk, opad);
    for (int k = 0; k < NB; k++)
        make_pkt(buf[k], 0, plen);
    t0 = now();
    for (int i = 0; i < n; i++) {
        int k = i % NB;
        iv[k][13] = (uint8_t)i;
        j = IMB_GET_NEXT_JOB(m);
        j->cipher_direction = IMB_DIR_ENCRYPT;
        j->chain_order = IMB_ORDER_CIPHER_HASH;
        j->cipher_mode = IMB_CIPHER_CNTR;
        j->enc_keys = ek;
        j->dec_keys = dk;
        j->key_len_in_bytes = 16;
        j->iv = iv[k];
        j->iv_len_in_bytes = 16;
        j->src = buf[k];
        j->dst = buf[k] + 12;
        j->cipher_start_src_offset_in_bytes = 12;
        j->msg_len_to_cipher_in_bytes = plen;
        j->hash_alg = IMB_AUTH_HMAC_SHA_1;
        j->hash_start_src_offset_in_bytes = 0;
        j->msg_len_to_hash_in_bytes = 12 + plen + 4;
        j->u.HMAC._hashed_auth_key_xor_ipad = ipad;
        j->u.HMAC._hashed_auth_key_xor_opad = opad;
        j->auth_tag_output = tag[k];
        j->auth_tag_output_len_in_bytes = 20;
        j = IMB_SUBMIT_JOB(m);
        while (j != NULL) {
            if (j->status != IMB_STATUS_COMPLETED)
                abort();
            j = IMB_GET_COMPLETED_JOB(m);
        }
    }
    while ((j = IMB_FLUSH_JOB(m)) != NULL)
        ;
    double r = n / (now() - t0);
    free_mb_mgr(m);
    return r;
}
#define FLOOR_NAME "crypto floor (libipsec-mb jobs)"
#else
#define FLOOR_NAME "crypto floor (OpenSSL EVP)"
#endif

/* ---- tco -------------------------------------------------------------------------------- */
static tco_srtp *our_new(tco_dev *dev)
{
    tco_srtp_policy pol = {0};
    tco_srtp *s;

    pol.profile = TCO_SRTP_AES128_CM_SHA1_80;
    if (tco_srtp_create(dev, &pol, &s) != TCO_OK || tco_srtp_add_key(s, key, 30, NULL) != TCO_OK)
        abort();
    return s;
}

/* mode 0 single protect, 1 single unprotect, 2 batch protect, 3 batch unprotect */
static double our_rate(tco_dev *dev, size_t plen, int mode, int n)
{
    tco_srtp *tx = our_new(dev), *rx;
    uint8_t *enc = malloc((size_t)SET * STRIDE), *hot = malloc((size_t)BATCH * STRIDE);
    size_t *lens = malloc(SET * sizeof(size_t));
    tco_srtp_pkt pk[BATCH];
    double t = 0, t0;
    int done = 0;

    if (mode == 0 || mode == 2) {
        for (int j = 0; j < BATCH; j++)
            make_pkt(hot + (size_t)j * STRIDE, 0, plen);
        t0 = now();
        for (int i = 0; i < n; i += (mode == 0 ? 1 : BATCH)) {
            if (mode == 0) {
                size_t out;
                set_seq(hot, (uint32_t)i);
                if (tco_srtp_protect(tx, hot, 12 + plen, hot, STRIDE, &out) != TCO_OK)
                    abort();
            } else {
                for (int j = 0; j < BATCH; j++) {
                    uint8_t *p = hot + (size_t)j * STRIDE;
                    set_seq(p, (uint32_t)(i + j));
                    pk[j] = (tco_srtp_pkt){p, 12 + plen, p, STRIDE, 0, TCO_OK};
                }
                if (tco_srtp_protect_batch(tx, pk, BATCH) != TCO_OK)
                    abort();
            }
        }
        t = now() - t0;
        done = n;
    } else {
        for (int i = 0; i < SET; i++) {
            size_t len = make_pkt(hot, (uint16_t)i, plen), en;
            if (tco_srtp_protect(tx, hot, len, enc + (size_t)i * STRIDE, STRIDE, &en) != TCO_OK)
                abort();
            lens[i] = en;
        }
        while (done < n) {
            rx = our_new(dev);
            t0 = now();
            for (int i = 0; i < SET; i += (mode == 1 ? 1 : BATCH)) {
                if (mode == 1) {
                    size_t out;
                    if (tco_srtp_unprotect(rx, enc + (size_t)i * STRIDE, lens[i], hot, STRIDE,
                                           &out) != TCO_OK)
                        abort();
                } else {
                    for (int j = 0; j < BATCH; j++)
                        pk[j] = (tco_srtp_pkt){enc + (size_t)(i + j) * STRIDE, lens[i + j],
                                               hot + (size_t)j * STRIDE, STRIDE, 0, TCO_OK};
                    if (tco_srtp_unprotect_batch(rx, pk, BATCH) != TCO_OK)
                        abort();
                }
            }
            t += now() - t0;
            done += SET;
            tco_srtp_free(rx);
        }
    }
    tco_srtp_free(tx);
    free(enc);
    free(hot);
    free(lens);
    return done / t;
}

typedef struct fig {
    double v[REPS];
} fig;

static double med(fig *f)
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

static void row(const char *name, fig *f)
{
    printf("  %-34s %12.0f  (%.0f .. %.0f)\n", name, med(f), fmin_(f), fmax_(f));
}

int main(int argc, char **argv)
{
    static const size_t sizes[3] = {32, 160, 1200};
    int sim = argc > 1 && strcmp(argv[1], "sim") == 0;
    tco_dev *dev;

    srtp_init();
    if (tco_open(&dev, sim ? "sim:" : "soft:") != TCO_OK) {
        fprintf(stderr, "cannot open %s\n", sim ? "sim:" : "soft:");
        return 1;
    }
    printf("SRTP AES_CM_128_HMAC_SHA1_80 on %s, packets/s: median of %d runs (min .. max)\n",
           sim ? "sim:" : "soft:", REPS);
    for (int si = 0; si < 3; si++) {
        size_t plen = sizes[si];
        int n = sim ? 2048 : (plen > 500 ? 8 * SET : 24 * SET);
        fig lp, lu, fl, fo, sp, su, bp, bu, r_single, r_batch, r_unp;

        for (int r = 0; r < REPS; r++) {
            if (!sim) {
                lp.v[r] = lib_rate(plen, 0, n);
                lu.v[r] = lib_rate(plen, 1, n);
                fo.v[r] = floor_rate(plen, n);
#ifdef TCO_HAVE_IPSEC_MB
                fl.v[r] = floor_rate_mb(plen, n);
#else
                fl.v[r] = fo.v[r];
#endif
            }
            sp.v[r] = our_rate(dev, plen, 0, n);
            su.v[r] = our_rate(dev, plen, 1, n);
            bp.v[r] = our_rate(dev, plen, 2, n);
            bu.v[r] = our_rate(dev, plen, 3, n);
            if (!sim) {
                r_single.v[r] = sp.v[r] / lp.v[r];
                r_unp.v[r] = su.v[r] / lu.v[r];
                r_batch.v[r] = bp.v[r] / fl.v[r];
            }
        }
        printf("payload %zu octets\n", plen);
        if (!sim) {
            row("libsrtp2 protect", &lp);
            row("libsrtp2 unprotect", &lu);
            row(FLOOR_NAME, &fl);
            row("OpenSSL EVP AES-CTR+HMAC-SHA1 loop", &fo);
        }
        row("tco protect, single", &sp);
        row("tco unprotect, single", &su);
        row("tco protect, batch of 64", &bp);
        row("tco unprotect, batch of 64", &bu);
        if (!sim) {
            printf("  single protect / libsrtp2     %.2f (%.2f .. %.2f)\n", med(&r_single),
                   fmin_(&r_single), fmax_(&r_single));
            printf("  single unprotect / libsrtp2   %.2f (%.2f .. %.2f)\n", med(&r_unp),
                   fmin_(&r_unp), fmax_(&r_unp));
            printf("  batch protect / crypto floor  %.2f (%.2f .. %.2f)\n", med(&r_batch),
                   fmin_(&r_batch), fmax_(&r_batch));
            printf("RESULT soft_vs_libsrtp2_protect_ratio_%zu=%.3f\n", plen, med(&r_single));
            printf("RESULT soft_vs_libsrtp2_unprotect_ratio_%zu=%.3f\n", plen, med(&r_unp));
            printf("RESULT soft_batch_vs_crypto_floor_ratio_%zu=%.3f\n", plen, med(&r_batch));
            printf("RESULT libsrtp2_protect_pps_%zu=%.0f\n", plen, med(&lp));
            printf("RESULT crypto_floor_pps_%zu=%.0f\n", plen, med(&fl));
        }
        printf("RESULT %s_protect_pps_%zu=%.0f\n", sim ? "sim" : "soft", plen, med(&sp));
        printf("RESULT %s_unprotect_pps_%zu=%.0f\n", sim ? "sim" : "soft", plen, med(&su));
        printf("RESULT %s_batch_protect_pps_%zu=%.0f\n", sim ? "sim" : "soft", plen, med(&bp));
        printf("RESULT %s_batch_unprotect_pps_%zu=%.0f\n", sim ? "sim" : "soft", plen, med(&bu));
        fflush(stdout);
    }
    tco_close(dev);
    srtp_shutdown();
    return 0;
}
