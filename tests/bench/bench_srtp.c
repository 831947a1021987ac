/* SPDX-License-Identifier: Apache-2.0 */
/* SRTP host figures (make bench): packets per second for protect and unprotect at 32, 160 and
 * 1200-octet payloads on soft:, single packets and batches, next to peers measured in the
 * same run:
 *   - Debian's libsrtp2 (the SRTP library a user would pick instead);
 *   - the crypto floor: a tight loop doing only the raw OpenSSL crypto each packet needs, with
 *     pre-keyed EVP contexts: AES-128-CTR keystream over the payload (a new IV per packet) and
 *     HMAC-SHA1 over header + payload + ROC (EVP_MAC_init keeping the key, update, final);
 *   - the same crypto as chained libipsec-mb jobs (multi-buffer; where libipsec-mb exists).
 * Then how the cost grows: protect and unprotect batches of 1 to 1024 packets (160 octets),
 * and protect against the payload size (16 to 1200 octets).
 * Each figure is the median of REPS runs with the spread (min .. max); ratios are taken per
 * run:  soft_vs_libsrtp2_*_ratio = tco packets/s / libsrtp2 packets/s (single packets);
 *       soft_batch_vs_crypto_floor_ratio = time per packet of a tco protect batch of 64 /
 *       time per packet of the OpenSSL floor loop (below 1: faster than the floor).
 * Optional: sim: packets per second (argument "sim"; make bench takes sim: from bench_sim).
 * Output: a table on stdout and RESULT lines (tests/bench/bench_util.h). */
#include "bench_util.h"
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

#define REPS 7
#define BATCH 64
#define MAXB 1024

#define now bench_now

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

/* ---- peer 2: the crypto floor (raw OpenSSL) ------------------------------------------------------------ */
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
/* The same crypto on libipsec-mb (a second reference): one chained AES-128-CTR + HMAC-SHA1 job per packet,
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

/* mode 0 single protect, 1 single unprotect, 2 batch protect, 3 batch unprotect (batches
 * of `batch` packets, a divisor of SET) */
static double our_rate_b(tco_dev *dev, size_t plen, int mode, int n, int batch)
{
    tco_srtp *tx = our_new(dev), *rx;
    uint8_t *enc = malloc((size_t)SET * STRIDE), *hot = malloc((size_t)MAXB * STRIDE);
    size_t *lens = malloc(SET * sizeof(size_t));
    static tco_srtp_pkt pk[MAXB];
    double t = 0, t0;
    int done = 0;

    if (mode == 0 || mode == 2) {
        for (int j = 0; j < batch; j++)
            make_pkt(hot + (size_t)j * STRIDE, 0, plen);
        t0 = now();
        for (int i = 0; i < n; i += (mode == 0 ? 1 : batch)) {
            if (mode == 0) {
                size_t out;
                set_seq(hot, (uint32_t)i);
                if (tco_srtp_protect(tx, hot, 12 + plen, hot, STRIDE, &out) != TCO_OK)
                    abort();
            } else {
                for (int j = 0; j < batch; j++) {
                    uint8_t *p = hot + (size_t)j * STRIDE;
                    set_seq(p, (uint32_t)(i + j));
                    pk[j] = (tco_srtp_pkt){p, 12 + plen, p, STRIDE, 0, TCO_OK};
                }
                if (tco_srtp_protect_batch(tx, pk, batch) != TCO_OK)
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
            for (int i = 0; i < SET; i += (mode == 1 ? 1 : batch)) {
                if (mode == 1) {
                    size_t out;
                    if (tco_srtp_unprotect(rx, enc + (size_t)i * STRIDE, lens[i], hot, STRIDE,
                                           &out) != TCO_OK)
                        abort();
                } else {
                    for (int j = 0; j < batch; j++)
                        pk[j] = (tco_srtp_pkt){enc + (size_t)(i + j) * STRIDE, lens[i + j],
                                               hot + (size_t)j * STRIDE, STRIDE, 0, TCO_OK};
                    if (tco_srtp_unprotect_batch(rx, pk, batch) != TCO_OK)
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

static double our_rate(tco_dev *dev, size_t plen, int mode, int n)
{
    return our_rate_b(dev, plen, mode, n, BATCH);
}

static void row(const char *name, const bfig *f)
{
    printf("  %-34s %12.0f  (%.0f .. %.0f)\n", name, fig_med(f), fig_min(f), fig_max(f));
}

static void rrow(const char *name, const bfig *f)
{
    printf("  %-34s %12.3f  (%.3f .. %.3f)\n", name, fig_med(f), fig_min(f), fig_max(f));
}

/* RESULT name_<a>=median (and _min, _max, _reps) */
static void res(const char *name, size_t a, const bfig *f)
{
    char k[96];
    snprintf(k, sizeof(k), "%s_%zu", name, a);
    fig_result(k, f);
}

/* The three payloads: every peer, protect and unprotect. */
static void main_table(tco_dev *dev, int sim)
{
    static const size_t sizes[3] = {32, 160, 1200};
    const char *be = sim ? "sim" : "soft";
    char k[64];

    printf("SRTP AES_CM_128_HMAC_SHA1_80 on %s:, packets/s: median of %d runs (min .. max)\n", be,
           REPS);
    for (int si = 0; si < 3; si++) {
        size_t plen = sizes[si];
        int n = sim ? 2048 : (plen > 500 ? 8 * SET : 24 * SET);
        bfig lp = {0}, lu = {0}, fl = {0}, fo = {0}, sp = {0}, su = {0}, bp = {0}, bu = {0};
        bfig r_single = {0}, r_unp = {0}, r_floor = {0}, r_mb = {0}, r_bsingle = {0};

        for (int r = 0; r < REPS; r++) {
            double a, b, c, d;
            if (!sim) {
                fig_add(&lp, lib_rate(plen, 0, n));
                fig_add(&lu, lib_rate(plen, 1, n));
                fig_add(&fo, floor_rate(plen, n));
#ifdef TCO_HAVE_IPSEC_MB
                fig_add(&fl, floor_rate_mb(plen, n));
#endif
            }
            fig_add(&sp, a = our_rate(dev, plen, 0, n));
            fig_add(&su, b = our_rate(dev, plen, 1, n));
            fig_add(&bp, c = our_rate(dev, plen, 2, n));
            fig_add(&bu, d = our_rate(dev, plen, 3, n));
            (void)d;
            if (!sim) {
                fig_add(&r_single, a / lp.v[r]);
                fig_add(&r_unp, b / lu.v[r]);
                fig_add(&r_floor, fo.v[r] / c); /* time per packet: batch / floor */
                fig_add(&r_bsingle, c / lp.v[r]);
#ifdef TCO_HAVE_IPSEC_MB
                fig_add(&r_mb, fl.v[r] / c);
#endif
            }
        }
        printf("payload %zu octets\n", plen);
        if (!sim) {
            row("libsrtp2 protect", &lp);
            row("libsrtp2 unprotect", &lu);
            row("crypto floor (OpenSSL EVP loop)", &fo);
#ifdef TCO_HAVE_IPSEC_MB
            row("same crypto as libipsec-mb jobs", &fl);
#endif
        }
        row("tco protect, single", &sp);
        row("tco unprotect, single", &su);
        row("tco protect, batch of 64", &bp);
        row("tco unprotect, batch of 64", &bu);
        if (!sim) {
            rrow("single protect / libsrtp2 (pkt/s)", &r_single);
            rrow("single unprotect / libsrtp2 (pkt/s)", &r_unp);
            rrow("batch protect / floor (time)", &r_floor);
#ifdef TCO_HAVE_IPSEC_MB
            rrow("batch protect / ipsec-mb (time)", &r_mb);
#endif
            res("soft_vs_libsrtp2_protect_ratio", plen, &r_single);
            res("soft_vs_libsrtp2_unprotect_ratio", plen, &r_unp);
            res("soft_batch_vs_libsrtp2_protect_ratio", plen, &r_bsingle);
            res("soft_batch_vs_crypto_floor_ratio", plen, &r_floor);
            res("libsrtp2_protect_pps", plen, &lp);
            res("libsrtp2_unprotect_pps", plen, &lu);
            res("crypto_floor_pps", plen, &fo);
#ifdef TCO_HAVE_IPSEC_MB
            res("soft_batch_vs_ipsecmb_floor_ratio", plen, &r_mb);
            res("ipsecmb_floor_pps", plen, &fl);
#endif
        }
        snprintf(k, sizeof(k), "%s_protect_pps", be);
        res(k, plen, &sp);
        snprintf(k, sizeof(k), "%s_unprotect_pps", be);
        res(k, plen, &su);
        snprintf(k, sizeof(k), "%s_batch_protect_pps", be);
        res(k, plen, &bp);
        snprintf(k, sizeof(k), "%s_batch_unprotect_pps", be);
        res(k, plen, &bu);
        fflush(stdout);
    }
}

/* Batches of 1 .. 1024 packets of 160 octets, protect and unprotect. */
static void batch_scaling(tco_dev *dev)
{
    const size_t plen = 160;
    const int n = 24 * SET;

    printf("\nBatch size, 160 octets, tco soft: packets/s (median of %d, min .. max):\n", REPS);
    printf("  %6s %30s %30s\n", "batch", "protect", "unprotect");
    for (int b = 1; b <= MAXB; b *= 2) {
        bfig p = {0}, u = {0};
        char k[64];
        for (int r = 0; r < REPS; r++) {
            fig_add(&p, our_rate_b(dev, plen, b == 1 ? 0 : 2, n, b));
            fig_add(&u, our_rate_b(dev, plen, b == 1 ? 1 : 3, n, b));
        }
        printf("  %6d %12.0f (%7.0f .. %7.0f) %12.0f (%7.0f .. %7.0f)\n", b, fig_med(&p),
               fig_min(&p), fig_max(&p), fig_med(&u), fig_min(&u), fig_max(&u));
        snprintf(k, sizeof(k), "soft_srtp_protect_pps_160_b%d", b);
        fig_result(k, &p);
        snprintf(k, sizeof(k), "soft_srtp_unprotect_pps_160_b%d", b);
        fig_result(k, &u);
        fflush(stdout);
    }
}

/* Protect against the payload size: libsrtp2, the floor, tco single and batch of 64. */
static void payload_scaling(tco_dev *dev)
{
    static const size_t sizes[] = {16, 64, 256, 512, 1024};

    printf("\nPayload size, protect, packets/s (median of %d, min .. max):\n", REPS);
    printf("  %6s %12s %12s %12s %12s\n", "octets", "libsrtp2", "floor", "tco single",
           "tco batch");
    for (size_t si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
        size_t plen = sizes[si];
        int n = plen > 500 ? 8 * SET : 16 * SET;
        bfig lp = {0}, fo = {0}, sp = {0}, bp = {0};
        for (int r = 0; r < REPS; r++) {
            fig_add(&lp, lib_rate(plen, 0, n));
            fig_add(&fo, floor_rate(plen, n));
            fig_add(&sp, our_rate(dev, plen, 0, n));
            fig_add(&bp, our_rate(dev, plen, 2, n));
        }
        printf("  %6zu %12.0f %12.0f %12.0f %12.0f\n", plen, fig_med(&lp), fig_med(&fo),
               fig_med(&sp), fig_med(&bp));
        res("libsrtp2_protect_pps", plen, &lp);
        res("crypto_floor_pps", plen, &fo);
        res("soft_protect_pps", plen, &sp);
        res("soft_batch_protect_pps", plen, &bp);
        fflush(stdout);
    }
}

int main(int argc, char **argv)
{
    int sim = argc > 1 && strcmp(argv[1], "sim") == 0;
    double t_start = now(), la0 = bench_loadavg();
    tco_dev *dev;

    srtp_init();
    if (tco_open(&dev, sim ? "sim:" : "soft:") != TCO_OK) {
        fprintf(stderr, "cannot open %s\n", sim ? "sim:" : "soft:");
        return 1;
    }
    main_table(dev, sim);
    result("srtp_unprotect_set=%d", SET);
    result("srtp_batch=%d", BATCH);
    result("srtp_reps=%d", REPS);
    if (!sim) {
        batch_scaling(dev);
        payload_scaling(dev);
        result("bench_srtp_seconds=%.1f", now() - t_start);
        result("bench_srtp_load_start=%.2f", la0);
        result("bench_srtp_load_end=%.2f", bench_loadavg());
    }
    tco_close(dev);
    srtp_shutdown();
    return 0;
}
