/* SPDX-License-Identifier: Apache-2.0 */
/* Lawful interception of end-to-end SRTP: two terminals set up SRTP from PMK/TEK (nonce
 * variant, X25519 variant, and a visited network with k' = KDF2); the intercept node (on
 * TCO_TEST_DEV) with a valid warrant re-derives the keys and decrypts every packet; with no
 * warrant, an expired or not yet valid one, or another target's, it releases nothing and
 * decrypts nothing. The audit log verifies, and fails after any one byte changes or any line
 * is removed. Also: the MIKEY PRF on the engine equals the PRF in process, multi-piece
 * inkeys, argument checks.
 *
 * usage: test_li   (TCO_TEST_DEV selects the intercept node's backend, default soft:) */
#include "tcheck.h"
#include "tco.h"
#include "tco_li.h"
#include "tco_srtp.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static tco_dev *dev;  /* the intercept node's device */
static tco_dev *term; /* the terminals' devices (soft:) */
static bool on_sim;
static int64_t clock_now = 1800000000;

static int64_t fake_now(void)
{
    return clock_now;
}

#define NPKT 24
#define SSRC 0x11223344u

typedef struct call {
    uint8_t rtp[NPKT][200];
    size_t rtp_len[NPKT];
    uint8_t srtp[NPKT][220];
    size_t srtp_len[NPKT];
} call;

/* Terminal A protects NPKT packets under (tek, salt); terminal B checks it can read them. */
static void make_call(const uint8_t tek[16], const uint8_t salt[14], call *c)
{
    tco_srtp_policy pol;
    tco_srtp *a = NULL, *b = NULL;
    uint8_t ks[30];
    int bad = 0;

    memset(&pol, 0, sizeof(pol));
    pol.profile = TCO_SRTP_AES128_CM_SHA1_80;
    memcpy(ks, tek, 16);
    memcpy(ks + 16, salt, 14);
    CHECK_ST(tco_srtp_create(term, &pol, &a), TCO_OK);
    CHECK_ST(tco_srtp_create(term, &pol, &b), TCO_OK);
    CHECK_ST(tco_srtp_add_key(a, ks, 30, NULL), TCO_OK);
    CHECK_ST(tco_srtp_add_key(b, ks, 30, NULL), TCO_OK);
    for (int i = 0; i < NPKT; i++) {
        uint8_t *p = c->rtp[i], out[220];
        size_t n = 12 + 20 + t_below(160), ol = 0;
        t_fill(p, n);
        p[0] = 0x80;
        p[1] = 96;
        p[2] = 0;
        p[3] = (uint8_t)i;
        p[8] = (uint8_t)(SSRC >> 24), p[9] = (uint8_t)(SSRC >> 16);
        p[10] = (uint8_t)(SSRC >> 8), p[11] = (uint8_t)SSRC;
        c->rtp_len[i] = n;
        CHECK_ST(tco_srtp_protect(a, p, n, c->srtp[i], sizeof(c->srtp[i]), &c->srtp_len[i]),
                 TCO_OK);
        if (tco_srtp_unprotect(b, c->srtp[i], c->srtp_len[i], out, sizeof(out), &ol) !=
                TCO_OK ||
            ol != n || memcmp(out, p, n) != 0)
            bad++;
    }
    CHECK_CASES("terminal B reads terminal A", bad, NPKT);
    tco_srtp_free(a);
    tco_srtp_free(b);
    OPENSSL_cleanse(ks, sizeof(ks));
}

/* The intercept side: decrypt every packet of the call with these keys; count the good. */
static int intercept(const uint8_t tek[16], const uint8_t salt[14], const call *c)
{
    tco_srtp_policy pol;
    tco_srtp *s = NULL;
    uint8_t ks[30];
    int good = 0;

    memset(&pol, 0, sizeof(pol));
    pol.profile = TCO_SRTP_AES128_CM_SHA1_80;
    memcpy(ks, tek, 16);
    memcpy(ks + 16, salt, 14);
    if (tco_srtp_create(dev, &pol, &s) != TCO_OK || tco_srtp_add_key(s, ks, 30, NULL) != TCO_OK)
        CHECK(!"intercept session");
    for (int i = 0; s != NULL && i < NPKT; i++) {
        uint8_t out[220];
        size_t ol = 0;
        if (tco_srtp_unprotect(s, c->srtp[i], c->srtp_len[i], out, sizeof(out), &ol) == TCO_OK &&
            ol == c->rtp_len[i] && memcmp(out, c->rtp[i], ol) == 0)
            good++;
    }
    tco_srtp_free(s);
    OPENSSL_cleanse(ks, sizeof(ks));
    return good;
}

static tco_li_warrant warrant(const char *id, const char *target, int64_t from, int64_t to)
{
    tco_li_warrant w;
    memset(&w, 0, sizeof(w));
    snprintf(w.id, sizeof(w.id), "%s", id);
    snprintf(w.target, sizeof(w.target), "%s", target);
    snprintf(w.authority, sizeof(w.authority), "court-7");
    w.not_before = from;
    w.not_after = to;
    return w;
}

static bool file_has_hex(const char *path, const uint8_t *b, size_t n)
{
    char hx[65], buf[4096];
    FILE *f = fopen(path, "r");
    bool found = false;
    for (size_t i = 0; i < n; i++)
        sprintf(hx + 2 * i, "%02x", b[i]);
    while (f != NULL && fgets(buf, sizeof(buf), f) != NULL)
        found |= strstr(buf, hx) != NULL;
    if (f)
        fclose(f);
    return found;
}

/* MIKEY PRF: engine = in process; pieces; chaining shape. */
static void prf_checks(void)
{
    uint8_t k[32], label[80], a[200], b[200];
    tco_slot s;
    int bad = 0;

    CHECK_ST(tco_slot_alloc(dev, &s), TCO_OK);
    for (int i = 0; i < (on_sim ? 6 : 40); i++) {
        size_t kl = t_below(2) ? 16 : 32, ll = 1 + t_below(sizeof(label) - 1);
        size_t ol = 1 + t_below(sizeof(a) - 1);
        t_fill(k, kl);
        t_fill(label, ll);
        CHECK_ST(tco_key_load(dev, s, k, kl, TCO_USE_HMAC), TCO_OK);
        CHECK_ST(tco_mikey_prf(k, kl, label, ll, a, ol), TCO_OK);
        CHECK_ST(tco_mikey_prf_slot(dev, s, label, ll, b, ol), TCO_OK);
        bad += memcmp(a, b, ol) != 0;
        /* a shorter output is a prefix of a longer one */
        if (ol > 1) {
            CHECK_ST(tco_mikey_prf(k, kl, label, ll, b, ol - 1), TCO_OK);
            bad += memcmp(a, b, ol - 1) != 0;
        }
    }
    CHECK_CASES("MIKEY PRF: engine equals in process", bad, on_sim ? 12 : 80);
    /* an inkey of several 256-bit pieces is the xor of the pieces' outputs */
    {
        uint8_t big[80], p1[48], p2[48], p3[48], whole[48];
        t_fill(big, sizeof(big));
        t_fill(label, 20);
        CHECK_ST(tco_mikey_prf(big, 80, label, 20, whole, 48), TCO_OK);
        CHECK_ST(tco_mikey_prf(big, 32, label, 20, p1, 48), TCO_OK);
        CHECK_ST(tco_mikey_prf(big + 32, 32, label, 20, p2, 48), TCO_OK);
        CHECK_ST(tco_mikey_prf(big + 64, 16, label, 20, p3, 48), TCO_OK);
        for (int i = 0; i < 48; i++)
            p1[i] ^= p2[i] ^ p3[i];
        CHECK(memcmp(p1, whole, 48) == 0);
    }
    /* the first output block is HMAC(s, A_1 || label) with A_1 = HMAC(s, label) */
    {
        uint8_t a1[20], blk[20];
        size_t n = 0;
        t_fill(k, 16);
        t_fill(label, 12);
        EVP_Q_mac(NULL, "HMAC", NULL, "SHA1", NULL, k, 16, label, 12, a1, 20, &n);
        memcpy(b, a1, 20);
        memcpy(b + 20, label, 12);
        EVP_Q_mac(NULL, "HMAC", NULL, "SHA1", NULL, k, 16, b, 32, blk, 20, &n);
        CHECK_ST(tco_mikey_prf(k, 16, label, 12, a, 20), TCO_OK);
        CHECK(memcmp(a, blk, 20) == 0);
    }
    CHECK_ST(tco_mikey_prf(k, 16, label, 4, a, 0), TCO_ERR_INVALID_ARG);
    CHECK_ST(tco_mikey_prf(k, 0, label, 4, a, 4), TCO_ERR_INVALID_ARG);
    CHECK_ST(tco_mikey_prf(k, 16, label, 4, a, TCO_MIKEY_PRF_MAX + 1), TCO_ERR_INVALID_ARG);
    CHECK_ST(tco_key_load(dev, s, k, 16, TCO_USE_AES), TCO_OK);
    CHECK_ST(tco_mikey_prf_slot(dev, s, label, 4, a, 16), TCO_ERR_USAGE);
    (void)tco_key_erase(dev, s);
    /* KDF2 = AES-128(k xor m, r) */
    {
        uint8_t kk[16], m[16], r[16], out[16], km[16], want[16];
        int n = 0;
        EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
        t_fill(kk, 16), t_fill(m, 16), t_fill(r, 16);
        for (int i = 0; i < 16; i++)
            km[i] = kk[i] ^ m[i];
        EVP_EncryptInit_ex(c, EVP_aes_128_ecb(), NULL, km, NULL);
        EVP_CIPHER_CTX_set_padding(c, 0);
        EVP_EncryptUpdate(c, want, &n, r, 16);
        EVP_CIPHER_CTX_free(c);
        CHECK_ST(tco_li_kdf2(kk, m, r, out), TCO_OK);
        CHECK(n == 16 && memcmp(out, want, 16) == 0);
    }
}

static void end_to_end(const char *log)
{
    tco_li *li = NULL;
    uint8_t k_alice[16], k_bob[16], mask[16], nonce[16], rand[16], tek[16], salt[14], pmk[16],
        pmk2[16], pmk_li[16], tek2[16], salt2[14];
    tco_slot ka;
    call c;
    tco_li_warrant w;
    const int64_t t0 = 1800000000; /* the session's time */

    unlink(log);
    {
        char head[512];
        snprintf(head, sizeof(head), "%s.head", log);
        unlink(head);
    }
    t_fill(k_alice, 16);
    t_fill(k_bob, 16);
    t_fill(mask, 16);
    CHECK_ST(tco_li_create(dev, log, fake_now, &li), TCO_OK);
    if (li == NULL)
        return;
    CHECK_ST(tco_li_add_subscriber(li, "alice", k_alice, 16, mask), TCO_OK);
    CHECK_ST(tco_li_add_subscriber(li, "bob", k_bob, 16, NULL), TCO_OK);
    CHECK_ST(tco_li_add_subscriber(li, "bob", k_bob, 16, NULL), TCO_ERR_STATE);
    w = warrant("W-1", "alice", t0 - 3600, t0 + 3600);
    CHECK_ST(tco_li_add_warrant(li, &w), TCO_OK);
    w = warrant("W-2", "carol", t0 - 3600, t0 + 3600); /* another target */
    CHECK_ST(tco_li_add_warrant(li, &w), TCO_OK);
    w = warrant("W-3", "bob", t0 - 7200, t0 - 3601); /* bob's has expired before the call */
    CHECK_ST(tco_li_add_warrant(li, &w), TCO_OK);
    w = warrant("W-4", "bad", t0, t0 - 1);
    CHECK_ST(tco_li_add_warrant(li, &w), TCO_ERR_INVALID_ARG);
    w = warrant("W 5", "alice", t0, t0);
    CHECK_ST(tco_li_add_warrant(li, &w), TCO_ERR_INVALID_ARG); /* a space in a name */

    /* 1. nonce variant: alice's terminal holds k in its own device */
    CHECK_ST(tco_slot_alloc(term, &ka), TCO_OK);
    CHECK_ST(tco_key_load(term, ka, k_alice, 16, TCO_USE_HMAC), TCO_OK);
    t_fill(nonce, 16);
    t_fill(rand, 16);
    CHECK_ST(tco_li_pmk(term, ka, nonce, 16, pmk), TCO_OK);
    CHECK_ST(tco_li_tek(pmk, 1, 0xC5B0001u, rand, 16, tek, salt), TCO_OK);
    make_call(tek, salt, &c);
    CHECK_ST(tco_li_release_pmk(li, "alice", t0, nonce, 16, pmk_li), TCO_OK);
    CHECK(memcmp(pmk_li, pmk, 16) == 0);
    CHECK_ST(tco_li_tek(pmk_li, 1, 0xC5B0001u, rand, 16, tek2, salt2), TCO_OK);
    CHECK(intercept(tek2, salt2, &c) == NPKT);
    /* refused: expired (after), not yet valid (before), another target's warrant, a target
     * with only an expired warrant, an unknown target: nothing released, nothing decrypted */
    {
        static const struct {
            const char *target;
            int64_t t;
            tco_status want;
        } no[] = {
            {"alice", 1800000000 + 3601, TCO_ERR_NO_WARRANT},
            {"alice", 1800000000 - 3601, TCO_ERR_NO_WARRANT},
            {"bob", 1800000000, TCO_ERR_NO_WARRANT},
            {"carol", 1800000000, TCO_ERR_STATE}, /* warrant, but no such subscriber */
            {"dave", 1800000000, TCO_ERR_NO_WARRANT},
        };
        for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
            memset(pmk_li, 0xEE, 16);
            CHECK_ST(tco_li_release_pmk(li, no[i].target, no[i].t, nonce, 16, pmk_li),
                     no[i].want);
            CHECK(memcmp(pmk_li, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16) == 0);
            CHECK_ST(tco_li_tek(pmk_li, 1, 0xC5B0001u, rand, 16, tek2, salt2), TCO_OK);
            CHECK(intercept(tek2, salt2, &c) == 0);
        }
        /* the edges of the validity are inside */
        CHECK_ST(tco_li_release_pmk(li, "alice", t0 + 3600, nonce, 16, pmk_li), TCO_OK);
        CHECK_ST(tco_li_release_pmk(li, "alice", t0 - 3600, nonce, 16, pmk_li), TCO_OK);
    }

    /* 2. X25519 variant: alice's x from k and rand; bob's y random */
    {
        uint8_t x[32], y[32], gx[32], gy[32], pa[16], pb[16];
        t_fill(rand, 16);
        CHECK_ST(tco_li_dh_x(term, ka, rand, 16, x), TCO_OK);
        CHECK(RAND_bytes(y, 32) == 1);
        CHECK_ST(tco_li_dh_public(x, gx), TCO_OK);
        CHECK_ST(tco_li_dh_public(y, gy), TCO_OK);
        CHECK_ST(tco_li_dh_pmk(x, gy, rand, 16, pa), TCO_OK);
        CHECK_ST(tco_li_dh_pmk(y, gx, rand, 16, pb), TCO_OK);
        CHECK(memcmp(pa, pb, 16) == 0);
        CHECK_ST(tco_li_tek(pa, 2, 0xC5B0002u, rand, 16, tek, salt), TCO_OK);
        make_call(tek, salt, &c);
        CHECK_ST(tco_li_release_dh_pmk(li, "alice", t0 + 10, rand, 16, gy, pmk_li), TCO_OK);
        CHECK(memcmp(pmk_li, pa, 16) == 0);
        CHECK_ST(tco_li_tek(pmk_li, 2, 0xC5B0002u, rand, 16, tek2, salt2), TCO_OK);
        CHECK(intercept(tek2, salt2, &c) == NPKT);
        CHECK_ST(tco_li_release_dh_pmk(li, "alice", t0 + 7200, rand, 16, gy, pmk_li),
                 TCO_ERR_NO_WARRANT);
        CHECK_ST(tco_li_tek(pmk_li, 2, 0xC5B0002u, rand, 16, tek2, salt2), TCO_OK);
        CHECK(intercept(tek2, salt2, &c) == 0);
        OPENSSL_cleanse(x, sizeof(x));
        OPENSSL_cleanse(y, sizeof(y));
    }

    /* 3. visited network: the home node hands k' = KDF2(k, m, r) over under the warrant; the
     * visited node, holding only k', intercepts a call keyed from k' */
    {
        uint8_t r[16], kp[16], kp_home[16], want[16];
        tco_li *visited = NULL;
        tco_slot kps;
        char vlog[512];
        snprintf(vlog, sizeof(vlog), "%s.visited", log);
        unlink(vlog);
        {
            char head[600];
            snprintf(head, sizeof(head), "%s.head", vlog);
            unlink(head);
        }
        t_fill(r, 16);
        CHECK_ST(tco_li_kdf2(k_alice, mask, r, want), TCO_OK);
        CHECK_ST(tco_li_release_kdf2(li, "alice", t0, r, kp_home), TCO_OK);
        CHECK(memcmp(kp_home, want, 16) == 0);
        CHECK_ST(tco_li_release_kdf2(li, "bob", t0, r, kp), TCO_ERR_NO_WARRANT);
        memcpy(kp, want, 16);
        /* alice's terminal in the visited network keys its calls from k' */
        CHECK_ST(tco_slot_alloc(term, &kps), TCO_OK);
        CHECK_ST(tco_key_load(term, kps, kp, 16, TCO_USE_HMAC), TCO_OK);
        t_fill(nonce, 16);
        t_fill(rand, 16);
        CHECK_ST(tco_li_pmk(term, kps, nonce, 16, pmk2), TCO_OK);
        CHECK_ST(tco_li_tek(pmk2, 1, 77, rand, 16, tek, salt), TCO_OK);
        make_call(tek, salt, &c);
        CHECK_ST(tco_li_create(dev, vlog, fake_now, &visited), TCO_OK);
        if (visited != NULL) {
            w = warrant("V-1", "alice", t0 - 60, t0 + 60);
            CHECK_ST(tco_li_add_subscriber(visited, "alice", kp_home, 16, NULL), TCO_OK);
            CHECK_ST(tco_li_add_warrant(visited, &w), TCO_OK);
            CHECK_ST(tco_li_release_pmk(visited, "alice", t0, nonce, 16, pmk_li), TCO_OK);
            CHECK_ST(tco_li_tek(pmk_li, 1, 77, rand, 16, tek2, salt2), TCO_OK);
            CHECK(intercept(tek2, salt2, &c) == NPKT);
            CHECK_ST(tco_li_audit_verify(vlog, NULL, NULL), TCO_OK);
            tco_li_free(visited);
        }
        (void)tco_key_erase(term, kps);
        unlink(vlog);
    }
    (void)tco_key_erase(term, ka);
    tco_li_free(li);
    /* no key material in the log */
    CHECK(!file_has_hex(log, k_alice, 16) && !file_has_hex(log, pmk, 16) &&
          !file_has_hex(log, tek, 16) && !file_has_hex(log, mask, 16));
}

/* The audit log: verifies; any single changed byte or removed line makes it fail. */
static void audit_checks(const char *log)
{
    char head[512], *text = NULL;
    uint64_t n = 0, line = 0;
    long len;
    FILE *f;
    int caught = 0, tried = 0, lines = 0;

    snprintf(head, sizeof(head), "%s.head", log);
    CHECK_ST(tco_li_audit_verify(log, &n, &line), TCO_OK);
    CHECK(n >= 15 && line == 0);
    f = fopen(log, "rb");
    if (f == NULL) {
        CHECK(!"audit log missing");
        return;
    }
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = malloc((size_t)len + 1);
    CHECK(fread(text, 1, (size_t)len, f) == (size_t)len);
    fclose(f);
    /* every byte (every 3rd on sim:, where the test is slower anyway), each changed once */
    for (long i = 0; i < len; i += on_sim ? 3 : 1) {
        char keep = text[i];
        text[i] = (char)(keep == 'x' ? 'y' : keep == '\n' ? ' ' : 'x');
        if (text[i] == keep)
            text[i] ^= 1;
        f = fopen(log, "wb");
        fwrite(text, 1, (size_t)len, f);
        fclose(f);
        tried++;
        caught += tco_li_audit_verify(log, NULL, NULL) == TCO_ERR_AUTH;
        text[i] = keep;
    }
    CHECK_CASES("audit log: a changed byte is caught", tried - caught, tried);
    /* each line removed in turn (the last one included: the head catches that) */
    for (long start = 0; start < len; lines++) {
        long end = start;
        while (end < len && text[end] != '\n')
            end++;
        end++;
        f = fopen(log, "wb");
        fwrite(text, 1, (size_t)start, f);
        fwrite(text + end, 1, (size_t)(len - end), f);
        fclose(f);
        if (tco_li_audit_verify(log, NULL, &line) != TCO_ERR_AUTH || line == 0)
            CHECK(!"audit log: a removed line is not caught");
        start = end;
    }
    CHECK(lines == (int)n);
    /* two lines swapped */
    {
        char *nl1 = strchr(text, '\n'), *nl2 = nl1 ? strchr(nl1 + 1, '\n') : NULL;
        if (nl1 && nl2) {
            f = fopen(log, "wb");
            fwrite(nl1 + 1, 1, (size_t)(nl2 - nl1), f);
            fwrite(text, 1, (size_t)(nl1 - text + 1), f);
            fwrite(nl2 + 1, 1, (size_t)(len - (nl2 + 1 - text)), f);
            fclose(f);
            CHECK_ST(tco_li_audit_verify(log, NULL, NULL), TCO_ERR_AUTH);
        }
    }
    /* restored: verifies again; a node refuses to extend a tampered log */
    f = fopen(log, "wb");
    fwrite(text, 1, (size_t)len, f);
    fclose(f);
    CHECK_ST(tco_li_audit_verify(log, NULL, NULL), TCO_OK);
    {
        tco_li *li = NULL;
        CHECK_ST(tco_li_create(dev, log, fake_now, &li), TCO_OK); /* appends node-start */
        tco_li_free(li);
        CHECK_ST(tco_li_audit_verify(log, &n, NULL), TCO_OK);
        text[len / 2] ^= 1;
        f = fopen(log, "r+b");
        fwrite(text, 1, (size_t)len, f);
        fclose(f);
        li = NULL;
        CHECK_ST(tco_li_create(dev, log, fake_now, &li), TCO_ERR_AUTH);
        CHECK(li == NULL);
    }
    /* the head file: missing or altered */
    text[len / 2] ^= 1;
    f = fopen(log, "r+b");
    fwrite(text, 1, (size_t)len, f);
    fclose(f);
    CHECK_ST(tco_li_audit_verify(log, NULL, NULL), TCO_OK);
    rename(head, "li-head.bak");
    CHECK_ST(tco_li_audit_verify(log, NULL, NULL), TCO_ERR_AUTH);
    rename("li-head.bak", head);
    CHECK_ST(tco_li_audit_verify(log, NULL, NULL), TCO_OK);
    CHECK_ST(tco_li_audit_verify("/nonexistent/li.log", NULL, NULL), TCO_ERR_IO);
    free(text);
}

int main(void)
{
    const char *uri = getenv("TCO_TEST_DEV") ? getenv("TCO_TEST_DEV") : "soft:";
    char log[256];

    t_seed(0x11A7ull);
    on_sim = strncmp(uri, "sim:", 4) == 0;
    snprintf(log, sizeof(log), "%s/tco-li-%d.log", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
             (int)getpid());
    CHECK_ST(tco_open(&dev, uri), TCO_OK);
    CHECK_ST(tco_open(&term, "soft:"), TCO_OK);
    if (dev == NULL || term == NULL)
        return t_done("test_li");
    prf_checks();
    end_to_end(log);
    audit_checks(log);
    unlink(log);
    {
        char head[300];
        snprintf(head, sizeof(head), "%s.head", log);
        unlink(head);
    }
    tco_close(dev);
    tco_close(term);
    return t_done("test_li");
}
