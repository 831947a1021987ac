/* SPDX-License-Identifier: Apache-2.0 */
/* SRTP/SRTCP module: RFC 3711 B.2/B.3 vectors through the engine ops, round trips over
 * random header shapes and profiles, ROC and replay rules, every bad-input error (nothing
 * released, state unchanged), batches against single calls, MKI key switching, lifetime,
 * and a large stream table. Runs on the backend named by TCO_TEST_DEV (default soft:). */
#include "tcheck.h"

#include <openssl/evp.h>
#include <stdbool.h>
#include "tco.h"
#include "tco_srtp.h"

static tco_dev *dev;

/* ----------------------------------------------------------------------------------------- */
static void test_vectors(void)
{
    uint8_t mk[32], salt[14], want[32], got[48], buf[64];
    tco_slot m, d, ke, ka, ks;
    size_t n = 0;
    uint32_t attrs = 0;

    unhex("e1f97a0d3e018be0d64fa32c06de4139", mk, 16);
    unhex("0ec675ad498afeebb6960b3aabe6", salt, 14);
    CHECK_ST(tco_slot_alloc(dev, &m), TCO_OK);
    CHECK_ST(tco_slot_alloc(dev, &d), TCO_OK);
    CHECK_ST(tco_key_load(dev, m, mk, 16, TCO_USE_SRTP_KDF | TCO_USE_KDF_OUT), TCO_OK);
    /* B.3: each label into an exportable slot, read back; the label fixes the role (added by
     * the library) and the length (k_e: the master's, k_a 20, k_s 14) */
    CHECK_ST(tco_srtp_kdf(dev, m, 0, salt, d, TCO_ATTR_EXPORTABLE), TCO_OK);
    CHECK_ST(tco_key_read(dev, d, got, sizeof(got), &n), TCO_OK);
    unhex("c61e7a93744f39ee10734afe3ff7a087", want, 16);
    CHECK(n == 16 && memcmp(got, want, 16) == 0);
    CHECK_ST(tco_key_info(dev, d, &n, &attrs), TCO_OK);
    CHECK(attrs == (TCO_USE_SRTP_KE | TCO_ATTR_EXPORTABLE));
    CHECK_ST(tco_srtp_kdf(dev, m, 2, salt, d, TCO_USE_SRTP_SALT | TCO_ATTR_EXPORTABLE), TCO_OK);
    CHECK_ST(tco_key_read(dev, d, got, sizeof(got), &n), TCO_OK);
    unhex("30cbbc08863d8c85d49db34a9ae1", want, 14);
    CHECK(n == 14 && memcmp(got, want, 14) == 0);
    CHECK_ST(tco_srtp_kdf(dev, m, 1, salt, d, TCO_ATTR_EXPORTABLE), TCO_OK);
    CHECK_ST(tco_key_read(dev, d, got, sizeof(got), &n), TCO_OK);
    unhex("cebe321f6ff7716b6fd4ab49af256a156d38baa4", want, 20);
    CHECK(n == 20 && memcmp(got, want, 20) == 0);
    CHECK_ST(tco_key_info(dev, d, &n, &attrs), TCO_OK);
    CHECK(attrs == (TCO_USE_SRTP_KA | TCO_ATTR_EXPORTABLE));
    /* a 32-octet master key (RFC 6188): k_e is 32 octets, the AES-256 keystream of the
     * label's IV (computed here with OpenSSL); k_a and k_s keep 20 and 14 */
    {
        uint8_t iv[32] = {0};
        int ol = 0;
        EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
        t_fill(mk, 32);
        memcpy(iv, salt, 14);
        memcpy(iv + 16, iv, 16);
        iv[31] = 1;
        CHECK(c != NULL && EVP_EncryptInit_ex(c, EVP_aes_256_ecb(), NULL, mk, NULL) == 1 &&
              EVP_CIPHER_CTX_set_padding(c, 0) == 1 &&
              EVP_EncryptUpdate(c, want, &ol, iv, 32) == 1 && ol == 32);
        EVP_CIPHER_CTX_free(c);
        CHECK_ST(tco_key_load(dev, m, mk, 32, TCO_USE_SRTP_KDF | TCO_USE_KDF_OUT), TCO_OK);
        CHECK_ST(tco_srtp_kdf(dev, m, 0, salt, d, TCO_ATTR_EXPORTABLE), TCO_OK);
        CHECK_ST(tco_key_read(dev, d, got, sizeof(got), &n), TCO_OK);
        CHECK(n == 32 && memcmp(got, want, 32) == 0);
        CHECK_ST(tco_srtp_kdf(dev, m, 4, salt, d, TCO_ATTR_EXPORTABLE), TCO_OK);
        CHECK_ST(tco_key_info(dev, d, &n, &attrs), TCO_OK);
        CHECK(n == 20);
        CHECK_ST(tco_srtp_kdf(dev, m, 5, salt, d, TCO_ATTR_EXPORTABLE), TCO_OK);
        CHECK_ST(tco_key_info(dev, d, &n, &attrs), TCO_OK);
        CHECK(n == 14);
        unhex("e1f97a0d3e018be0d64fa32c06de4139", mk, 16);
    }
    /* the rules: no releasable output without USE_KDF_OUT on the master; labels 0..5; the
     * role of the label and nothing else (old: any out_len and TCO_USE_SRTP for every key);
     * the master needs USE_SRTP_KDF and 16 or 32 octets; the destination is not the master */
    CHECK_ST(tco_key_load(dev, m, mk, 16, TCO_USE_SRTP_KDF), TCO_OK);
    CHECK_ST(tco_srtp_kdf(dev, m, 0, salt, d, TCO_ATTR_EXPORTABLE), TCO_ERR_USAGE);
    CHECK_ST(tco_srtp_kdf(dev, m, 2, salt, d, TCO_ATTR_EXTRACTABLE), TCO_ERR_USAGE);
    CHECK_ST(tco_srtp_kdf(dev, m, 6, salt, d, 0), TCO_ERR_RANGE);
    CHECK_ST(tco_srtp_kdf(dev, m, 0, salt, d, TCO_USE_SRTP_KA), TCO_ERR_USAGE);
    CHECK_ST(tco_srtp_kdf(dev, m, 1, salt, d, TCO_USE_SRTP_KE), TCO_ERR_USAGE);
    CHECK_ST(tco_srtp_kdf(dev, m, 0, salt, d, TCO_USE_SRTP_KE | TCO_USE_AES), TCO_ERR_USAGE);
    CHECK_ST(tco_srtp_kdf(dev, m, 0, salt, d, TCO_ATTR_TRUSTED), TCO_ERR_USAGE);
    CHECK_ST(tco_srtp_kdf(dev, m, 0, salt, m, 0), TCO_ERR_INVALID_ARG);
    CHECK_ST(tco_srtp_kdf(dev, m, 0, salt, d, 0), TCO_OK);
    CHECK_ST(tco_key_info(dev, d, &n, &attrs), TCO_OK);
    CHECK(n == 16 && attrs == TCO_USE_SRTP_KE);
    CHECK_ST(tco_srtp_kdf(dev, d, 0, salt, m, 0), TCO_ERR_USAGE);
    CHECK_ST(tco_key_load(dev, m, mk, 15, TCO_USE_SRTP_KDF), TCO_ERR_KEY_LENGTH);
    CHECK_ST(tco_key_load(dev, m, mk, 20, TCO_USE_SRTP_KDF), TCO_ERR_KEY_LENGTH);
    CHECK_ST(tco_key_erase(dev, m), TCO_OK);
    CHECK_ST(tco_key_erase(dev, d), TCO_OK);

    /* B.2 keystream: SSRC 0, index 0, payload of zeros encrypts to the keystream. Keys the
     * host loads: the salt must be releasable (exportable here), since no k_e is linked with
     * it; k_a is 20 octets */
    CHECK_ST(tco_slot_alloc(dev, &ke), TCO_OK);
    CHECK_ST(tco_slot_alloc(dev, &ka), TCO_OK);
    CHECK_ST(tco_slot_alloc(dev, &ks), TCO_OK);
    unhex("2b7e151628aed2a6abf7158809cf4f3c", mk, 16);
    unhex("f0f1f2f3f4f5f6f7f8f9fafbfcfd", salt, 14);
    CHECK_ST(tco_key_load(dev, ke, mk, 16, TCO_USE_SRTP_KE), TCO_OK);
    CHECK_ST(tco_key_load(dev, ka, mk, 20, TCO_USE_SRTP_KA), TCO_OK);
    CHECK_ST(tco_key_load(dev, ks, salt, 14, TCO_USE_SRTP_SALT | TCO_ATTR_EXPORTABLE), TCO_OK);
    memset(buf, 0, sizeof(buf));
    buf[0] = 0x80;
    {
        uint8_t out[64 + 20];
        tco_srtp_frame_req r = {0};
        r.ke = ke;
        r.ka = ka;
        r.ks = ks;
        r.tag_len = 10;
        r.clear_len = 12;
        r.enc_len = 48;
        r.in = buf;
        r.in_len = 60;
        r.out = out;
        r.out_cap = sizeof(out);
        CHECK_ST(tco_srtp_frame(dev, &r), TCO_OK);
        unhex("e03ead0935c95e80e166b16dd92b4eb4d23513162b02d0f72a43a2fe4a5f97ab"
              "41e95b3bb0a2e8dd477901e4fca894c0",
              got, 32 + 16);
        CHECK(r.out_len == 70 && memcmp(out + 12, got, 48) == 0);
        /* each key in its role: a k_a with HMAC, or with the k_e's role, is refused; keys
         * of other lengths cannot be loaded for the roles (old: a 13-octet salt reached
         * tco_srtp_frame, which refused its length) */
        CHECK_ST(tco_key_load(dev, ka, mk, 16, TCO_USE_HMAC), TCO_OK);
        CHECK_ST(tco_srtp_frame(dev, &r), TCO_ERR_USAGE);
        CHECK_ST(tco_key_load(dev, ka, mk, 16, TCO_USE_SRTP_KE), TCO_OK);
        CHECK_ST(tco_srtp_frame(dev, &r), TCO_ERR_USAGE);
        CHECK_ST(tco_key_load(dev, ka, mk, 16, TCO_USE_SRTP_KA), TCO_ERR_KEY_LENGTH);
        CHECK_ST(tco_key_load(dev, ka, mk, 20, TCO_USE_SRTP_KA), TCO_OK);
        CHECK_ST(tco_key_load(dev, ks, salt, 13, TCO_USE_SRTP_SALT), TCO_ERR_KEY_LENGTH);
        CHECK_ST(tco_key_load(dev, ks, mk, 16, TCO_USE_SRTP_SALT), TCO_ERR_KEY_LENGTH);
        /* a salt the host may not know beside a k_e it chose: the keystream would give the
         * salt away, so refused */
        CHECK_ST(tco_key_load(dev, ks, salt, 14, TCO_USE_SRTP_SALT), TCO_OK);
        CHECK_ST(tco_srtp_frame(dev, &r), TCO_ERR_USAGE);
        CHECK_ST(tco_key_erase(dev, ks), TCO_OK);
        CHECK_ST(tco_srtp_frame(dev, &r), TCO_ERR_SLOT_EMPTY);
        r.tag_len = 21;
        CHECK_ST(tco_srtp_frame(dev, &r), TCO_ERR_INVALID_ARG);
        r.tag_len = 10;
        r.out_cap = 69;
        CHECK_ST(tco_srtp_frame(dev, &r), TCO_ERR_BUFFER_SMALL);
    }
    tco_key_erase(dev, ke);
    tco_key_erase(dev, ka);
    tco_key_erase(dev, ks);
}

/* ----------------------------------------------------------------------------------------- */
/* A random RTP packet: CSRCs and an extension sometimes, payload of `plen` octets. */
static size_t make_rtp(uint8_t *p, uint16_t seq, uint32_t ssrc, size_t plen)
{
    unsigned cc = t_below(4) == 0 ? t_below(16) : 0;
    bool x = t_below(4) == 0;
    size_t n = 12;

    p[0] = (uint8_t)(0x80 | (x ? 0x10 : 0) | cc);
    p[1] = (uint8_t)(t_below(128) | (t_below(8) == 0 ? 0x80 : 0));
    p[2] = (uint8_t)(seq >> 8);
    p[3] = (uint8_t)seq;
    t_fill(p + 4, 4);
    p[8] = (uint8_t)(ssrc >> 24);
    p[9] = (uint8_t)(ssrc >> 16);
    p[10] = (uint8_t)(ssrc >> 8);
    p[11] = (uint8_t)ssrc;
    t_fill(p + n, 4 * cc);
    n += 4 * cc;
    if (x) {
        unsigned words = t_below(5);
        p[n] = 0xBE;
        p[n + 1] = 0xDE;
        p[n + 2] = 0;
        p[n + 3] = (uint8_t)words;
        t_fill(p + n + 4, 4 * words);
        n += 4 + 4 * words;
    }
    t_fill(p + n, plen);
    return n + plen;
}

static tco_srtp *session(tco_srtp_profile prof, size_t mki_len, unsigned window,
                         const uint8_t *key, const uint8_t *mki)
{
    tco_srtp_policy pol = {0};
    tco_srtp *s = NULL;

    pol.profile = prof;
    pol.mki_len = mki_len;
    pol.window = window;
    if (tco_srtp_create(dev, &pol, &s) != TCO_OK)
        return NULL;
    if (tco_srtp_add_key(s, key, tco_srtp_key_salt_len(prof), mki) != TCO_OK) {
        tco_srtp_free(s);
        return NULL;
    }
    return s;
}

static void test_roundtrip(void)
{
    static const tco_srtp_profile profs[] = {TCO_SRTP_AES128_CM_SHA1_80,
                                             TCO_SRTP_AES128_CM_SHA1_32,
                                             TCO_SRTP_AES256_CM_SHA1_80};
    int bad = 0, total = 0;

    for (size_t pi = 0; pi < 3; pi++) {
        for (size_t mki_len = 0; mki_len <= 4; mki_len += 4) {
            uint8_t key[46], mki[4] = {1, 2, 3, 4};
            uint8_t pkt[1600], enc[1700], dec[1700];
            tco_srtp *tx, *rx;
            uint16_t seq = (uint16_t)t_rand();
            uint32_t ssrc = (uint32_t)t_rand();

            t_fill(key, sizeof(key));
            tx = session(profs[pi], mki_len, 0, key, mki);
            rx = session(profs[pi], mki_len, 0, key, mki);
            CHECK(tx != NULL && rx != NULL);
            if (tx == NULL || rx == NULL)
                return;
            for (int i = 0; i < 200; i++, seq++) {
                size_t plen = t_below(4) ? t_below(200) : t_below(1200);
                size_t n = make_rtp(pkt, seq, ssrc, plen), en = 0, dn = 0;
                size_t want = n + mki_len + tco_srtp_tag_len(profs[pi]);
                tco_status a = tco_srtp_protect(tx, pkt, n, enc, sizeof(enc), &en);
                tco_status b = tco_srtp_unprotect(rx, enc, en, dec, sizeof(dec), &dn);
                total++;
                if (a != TCO_OK || b != TCO_OK || en != want || dn != n ||
                    memcmp(dec, pkt, n) != 0 || (mki_len && memcmp(enc + n, mki, 4) != 0) ||
                    (n > 12 && plen > 8 && memcmp(enc + n - plen, pkt + n - plen, plen) == 0))
                    bad++;
                /* in place */
                memcpy(enc, pkt, n);
                seq++;
                enc[2] = (uint8_t)(seq >> 8);
                enc[3] = (uint8_t)seq;
                memcpy(pkt, enc, n);
                a = tco_srtp_protect(tx, enc, n, enc, sizeof(enc), &en);
                b = tco_srtp_unprotect(rx, enc, en, enc, sizeof(enc), &dn);
                if (a != TCO_OK || b != TCO_OK || dn != n || memcmp(enc, pkt, n) != 0)
                    bad++;
            }
            /* SRTCP both ways, E = 1 */
            for (int i = 0; i < 50; i++) {
                size_t n = 8 + 4 * t_below(40), en = 0, dn = 0;
                t_fill(pkt, n);
                pkt[0] = (uint8_t)(0x80 | (pkt[0] & 0x1F));
                tco_status a = tco_srtcp_protect(tx, pkt, n, enc, sizeof(enc), &en);
                tco_status b = tco_srtcp_unprotect(rx, enc, en, dec, sizeof(dec), &dn);
                total++;
                if (a != TCO_OK || b != TCO_OK || en != n + 4 + mki_len + 10 || dn != n ||
                    memcmp(dec, pkt, n) != 0 || (enc[n] & 0x80) == 0 ||
                    (n > 16 && memcmp(enc + 8, pkt + 8, n - 8) == 0))
                    bad++;
            }
            tco_srtp_free(tx);
            tco_srtp_free(rx);
        }
    }
    CHECK_CASES("protect/unprotect round trips", bad, total);
}

/* ----------------------------------------------------------------------------------------- */
/* Protect a packet with given SEQ/SSRC (payload 20 octets) on tx; returns its length. */
static size_t prot(tco_srtp *tx, uint16_t seq, uint32_t ssrc, uint8_t *out, size_t cap)
{
    uint8_t pkt[64];
    size_t n, en = 0;

    memset(pkt, 0, sizeof(pkt));
    pkt[0] = 0x80;
    pkt[1] = 96;
    pkt[2] = (uint8_t)(seq >> 8);
    pkt[3] = (uint8_t)seq;
    pkt[8] = (uint8_t)(ssrc >> 24);
    pkt[9] = (uint8_t)(ssrc >> 16);
    pkt[10] = (uint8_t)(ssrc >> 8);
    pkt[11] = (uint8_t)ssrc;
    memset(pkt + 12, 0x5A, 20);
    n = 32;
    if (tco_srtp_protect(tx, pkt, n, out, cap, &en) != TCO_OK)
        return 0;
    return en;
}

static void test_roc_replay(void)
{
    uint8_t key[30], p[128], d[128], sentinel[128];
    tco_srtp *tx, *rx;
    size_t n, dn;
    uint32_t roc = 99;

    t_fill(key, sizeof(key));
    tx = session(TCO_SRTP_AES128_CM_SHA1_80, 0, 0, key, NULL);
    rx = session(TCO_SRTP_AES128_CM_SHA1_80, 0, 0, key, NULL);
    CHECK(tx && rx);
    if (!tx || !rx)
        return;
    /* the sender's ROC follows SEQ wraps */
    CHECK_ST(tco_srtp_set_roc(tx, 7, 3), TCO_OK);
    CHECK_ST(tco_srtp_set_roc(rx, 7, 3), TCO_OK);
    for (uint32_t seq = 65530; seq < 65546; seq++) {
        n = prot(tx, (uint16_t)seq, 7, p, sizeof(p));
        CHECK(n == 42);
        CHECK_ST(tco_srtp_unprotect(rx, p, n, d, sizeof(d), &dn), TCO_OK);
    }
    CHECK_ST(tco_srtp_get_roc(tx, 7, &roc), TCO_OK);
    CHECK(roc == 4);
    CHECK_ST(tco_srtp_get_roc(rx, 7, &roc), TCO_OK);
    CHECK(roc == 4);
    CHECK_ST(tco_srtp_get_roc(rx, 8, &roc), TCO_ERR_STATE);
    /* a late packet from before the wrap (v = ROC - 1) still decrypts, once */
    {
        uint8_t late[128];
        size_t ln;
        tco_srtp *tx2 = session(TCO_SRTP_AES128_CM_SHA1_80, 0, 0, key, NULL);
        CHECK_ST(tco_srtp_set_roc(tx2, 7, 3), TCO_OK);
        ln = prot(tx2, 65528, 7, late, sizeof(late));
        CHECK_ST(tco_srtp_unprotect(rx, late, ln, d, sizeof(d), &dn), TCO_OK);
        CHECK_ST(tco_srtp_unprotect(rx, late, ln, d, sizeof(d), &dn), TCO_ERR_REPLAY);
        tco_srtp_free(tx2);
    }
    /* sender refuses to reuse an index */
    CHECK(prot(tx, 5, 7, p, sizeof(p)) == 0);
    /* replay, too old, far ahead */
    n = prot(tx, 200, 7, p, sizeof(p));
    CHECK_ST(tco_srtp_unprotect(rx, p, n, d, sizeof(d), &dn), TCO_OK);
    CHECK_ST(tco_srtp_unprotect(rx, p, n, d, sizeof(d), &dn), TCO_ERR_REPLAY);
    {
        uint8_t old[128];
        size_t on;
        n = prot(tx, 300, 7, p, sizeof(p));
        on = prot(tx, 301, 7, old, sizeof(old));
        CHECK_ST(tco_srtp_unprotect(rx, p, n, d, sizeof(d), &dn), TCO_OK);
        n = prot(tx, 300 + 128, 7, p, sizeof(p));
        CHECK_ST(tco_srtp_unprotect(rx, p, n, d, sizeof(d), &dn), TCO_OK);
        /* 301 is within the window (top 428, window 128): accepted */
        CHECK_ST(tco_srtp_unprotect(rx, old, on, d, sizeof(d), &dn), TCO_OK);
        n = prot(tx, 600, 7, p, sizeof(p));
        CHECK_ST(tco_srtp_unprotect(rx, p, n, d, sizeof(d), &dn), TCO_OK);
    }
    {
        /* an index behind the window: sender sends 700, then a packet 200 behind */
        uint8_t old[128];
        size_t on = prot(tx, 650, 7, old, sizeof(old));
        n = prot(tx, 900, 7, p, sizeof(p));
        CHECK_ST(tco_srtp_unprotect(rx, p, n, d, sizeof(d), &dn), TCO_OK);
        CHECK_ST(tco_srtp_unprotect(rx, old, on, d, sizeof(d), &dn), TCO_ERR_TOO_OLD);
    }

    /* bad input: a distinct error each, nothing written, state unchanged */
    n = prot(tx, 1000, 7, p, sizeof(p));
    memset(sentinel, 0xEE, sizeof(sentinel));
    memcpy(d, sentinel, sizeof(d));
    CHECK_ST(tco_srtp_unprotect(rx, p, 11, d, sizeof(d), &dn), TCO_ERR_TRUNCATED);
    {
        uint8_t q[128];
        memcpy(q, p, n);
        q[0] = 0x40;
        CHECK_ST(tco_srtp_unprotect(rx, q, n, d, sizeof(d), &dn), TCO_ERR_BAD_VERSION);
        memcpy(q, p, n);
        q[0] |= 0x0F; /* 15 CSRCs: header 72 octets, packet 42 */
        CHECK_ST(tco_srtp_unprotect(rx, q, n, d, sizeof(d), &dn), TCO_ERR_TRUNCATED);
        CHECK_ST(tco_srtp_unprotect(rx, p, 12 + 9, d, sizeof(d), &dn), TCO_ERR_TOO_SHORT);
        memcpy(q, p, n);
        q[20] ^= 0x01; /* ciphertext bit */
        CHECK_ST(tco_srtp_unprotect(rx, q, n, d, sizeof(d), &dn), TCO_ERR_AUTH);
        memcpy(q, p, n);
        q[n - 1] ^= 0x80; /* tag bit */
        CHECK_ST(tco_srtp_unprotect(rx, q, n, d, sizeof(d), &dn), TCO_ERR_AUTH);
        memcpy(q, p, n);
        q[1] ^= 0x80; /* marker bit: header is authenticated */
        CHECK_ST(tco_srtp_unprotect(rx, q, n, d, sizeof(d), &dn), TCO_ERR_AUTH);
        CHECK_ST(tco_srtp_unprotect(rx, p, n, d, 31, &dn), TCO_ERR_BUFFER_SMALL);
        CHECK(memcmp(d, sentinel, sizeof(d)) == 0 && dn == 0);
        /* in place, a failed tag leaves the packet as it was */
        memcpy(q, p, n);
        q[25] ^= 0x10;
        memcpy(sentinel, q, n);
        CHECK_ST(tco_srtp_unprotect(rx, q, n, q, sizeof(q), &dn), TCO_ERR_AUTH);
        CHECK(memcmp(q, sentinel, n) == 0);
    }
    /* the good packet still goes through after all the failures: state was untouched */
    CHECK_ST(tco_srtp_unprotect(rx, p, n, d, sizeof(d), &dn), TCO_OK);
    CHECK(tco_srtp_stream_count(rx) == 1); /* SSRC 7 only: get_roc of 8 made no context */
    tco_srtp_free(tx);
    tco_srtp_free(rx);
}

/* ----------------------------------------------------------------------------------------- */
static void test_batch(void)
{
    enum { N = 300 };
    static uint8_t in[N][256], a[N][300], b[N][300];
    static size_t len[N];
    uint8_t key[30];
    tco_srtp *t1, *t2, *r1;
    tco_srtp_pkt pk[N];
    int bad = 0;

    t_fill(key, sizeof(key));
    t1 = session(TCO_SRTP_AES128_CM_SHA1_80, 0, 0, key, NULL);
    t2 = session(TCO_SRTP_AES128_CM_SHA1_80, 0, 0, key, NULL);
    r1 = session(TCO_SRTP_AES128_CM_SHA1_80, 0, 0, key, NULL);
    CHECK(t1 && t2 && r1);
    if (!t1 || !t2 || !r1)
        return;
    /* several streams interleaved, a duplicate, a SEQ wrap inside the batch */
    for (int i = 0; i < N; i++) {
        uint32_t ssrc = 100 + (uint32_t)(i % 5);
        uint16_t seq = (uint16_t)(65400 + i / 5);
        if (i == 77)
            seq = (uint16_t)(65400 + 70 / 5), ssrc = 100; /* duplicate of packet 70 */
        len[i] = make_rtp(in[i], seq, ssrc, t_below(200));
    }
    for (int i = 0; i < N; i++) {
        size_t en = 0;
        tco_status st = tco_srtp_protect(t1, in[i], len[i], a[i], sizeof(a[i]), &en);
        pk[i] = (tco_srtp_pkt){in[i], len[i], b[i], sizeof(b[i]), 0, TCO_OK};
        (void)st;
        len[i] = st == TCO_OK ? en : 0;
    }
    CHECK_ST(tco_srtp_protect_batch(t2, pk, N), TCO_ERR_REPLAY);
    for (int i = 0; i < N; i++) {
        bool want_ok = len[i] != 0;
        if (want_ok != (pk[i].status == TCO_OK) ||
            (want_ok && (pk[i].out_len != len[i] || memcmp(a[i], b[i], len[i]) != 0)))
            bad++;
    }
    CHECK(pk[77].status == TCO_ERR_REPLAY && pk[77].out_len == 0);
    CHECK_CASES("batch protect = single protects", bad, N);
    /* unprotect batch with one tampered packet and one replay */
    bad = 0;
    b[10][len[10] - 1] ^= 1;
    for (int i = 0; i < N; i++)
        pk[i] = (tco_srtp_pkt){b[i], len[i], b[i], sizeof(b[i]), 0, TCO_OK};
    memcpy(in[77], b[70], len[70]); /* a replay of packet 70 (70 is decrypted in place) */
    pk[77].in = in[77];
    pk[77].len = len[70];
    pk[77].out = a[77];
    CHECK_ST(tco_srtp_unprotect_batch(r1, pk, N), TCO_ERR_AUTH);
    for (int i = 0; i < N; i++) {
        tco_status want = i == 10 ? TCO_ERR_AUTH : i == 77 ? TCO_ERR_REPLAY : TCO_OK;
        if (pk[i].status != want)
            bad++, fprintf(stderr, "packet %d: %s\n", i, tco_strerror(pk[i].status));
        else if (want == TCO_OK && i != 77 && (pk[i].out_len + 10 != len[i] ||
                                    memcmp(b[i], in[i], pk[i].out_len) != 0))
            bad++;
    }
    CHECK_CASES("batch unprotect statuses and plaintext", bad, N);
    tco_srtp_free(t1);
    tco_srtp_free(t2);
    tco_srtp_free(r1);
}

/* Property: a batch gives exactly what the same single calls give, over random streams with
 * SEQ wraps, jumps, duplicates, reordering and tampering, batches across the 64-packet chunk. */
static void test_batch_equiv(void)
{
    enum { NP = 150 };
    static uint8_t plain[NP][128], enc[NP][160], o1[NP][160], o2[NP][160];
    static size_t plen[NP], elen[NP], olen[NP];
    static tco_status ost[NP];
    int bad = 0, total = 0;

    for (int trial = 0; trial < 120; trial++) {
        uint8_t key[30];
        tco_srtp *t1, *t2, *tx, *r1, *r2;
        tco_srtp_pkt pk[NP];
        uint16_t seq[3];
        uint32_t nss = 1 + t_below(3);
        size_t n = 1 + t_below(NP);

        size_t mk = trial % 3 == 2 ? 4 : 0; /* a third of the trials with an MKI */
        uint8_t mki[4] = {1, 2, 3, 4};

        t_fill(key, 30);
        /* four sessions at a time: a key takes seven slots, a device has 32 */
        t1 = session(TCO_SRTP_AES128_CM_SHA1_80, mk, 0, key, mki);
        t2 = session(TCO_SRTP_AES128_CM_SHA1_80, mk, 0, key, mki);
        r1 = session(TCO_SRTP_AES128_CM_SHA1_80, mk, 0, key, mki);
        r2 = session(TCO_SRTP_AES128_CM_SHA1_80, mk, 0, key, mki);
        if (!t1 || !t2 || !r1 || !r2) {
            CHECK(!"four SRTP sessions");
            tco_srtp_free(t1);
            tco_srtp_free(t2);
            tco_srtp_free(r1);
            tco_srtp_free(r2);
            return;
        }
        for (uint32_t k = 0; k < 3; k++)
            seq[k] = (uint16_t)(t_below(3) ? 65535 - t_below(80) : t_rand());
        for (size_t i = 0; i < n; i++) {
            uint32_t k = t_below(nss);
            unsigned r = t_below(40);
            uint16_t sq = seq[k];
            if (r == 0)
                seq[k] = (uint16_t)(seq[k] + 20000 + t_below(20000)); /* a long gap */
            else if (r == 1 && i > 0)
                sq = (uint16_t)(sq - 1 - t_below(5)); /* late or duplicate */
            seq[k]++;
            plen[i] = make_rtp(plain[i], sq, 0x100 + k, t_below(60));
        }
        /* protect: singles on t1, one batch on t2 (out of place) */
        for (size_t i = 0; i < n; i++) {
            size_t ol = 0;
            tco_status st = tco_srtp_protect(t1, plain[i], plen[i], o1[i], 160, &ol);
            pk[i] = (tco_srtp_pkt){plain[i], plen[i], o2[i], 160, 0, TCO_OK};
            elen[i] = st == TCO_OK ? ol : 0;
            ost[i] = st;
        }
        (void)tco_srtp_protect_batch(t2, pk, n);
        for (size_t i = 0; i < n; i++, total++) {
            if (ost[i] != pk[i].status || pk[i].out_len != elen[i] ||
                memcmp(o1[i], o2[i], elen[i]) != 0) {
                if (bad < 5)
                    fprintf(stderr, "trial %d protect %zu (seq %u): single %s, batch %s\n",
                            trial, i, (unsigned)(plain[i][2] << 8 | plain[i][3]),
                            tco_strerror(ost[i]), tco_strerror(pk[i].status));
                bad++;
            }
        }
        /* unprotect: the wire (protected by tx, a fresh sender made in t1's and t2's slots:
         * everything sent, some tampered, reordered) */
        tco_srtp_free(t1);
        tco_srtp_free(t2);
        t1 = t2 = NULL;
        tx = session(TCO_SRTP_AES128_CM_SHA1_80, mk, 0, key, mki);
        if (tx == NULL) {
            CHECK(!"the sending SRTP session");
            tco_srtp_free(r1);
            tco_srtp_free(r2);
            return;
        }
        for (size_t i = 0; i < n; i++) {
            size_t ol = 0;
            tco_status st = tco_srtp_protect(tx, plain[i], plen[i], enc[i], 160, &ol);
            elen[i] = st == TCO_OK ? ol : plen[i] + 10; /* refused: send garbage instead */
            if (st != TCO_OK)
                memcpy(enc[i], plain[i], plen[i]);
            if (t_below(20) == 0)
                enc[i][elen[i] - 1] ^= 1;
        }
        for (size_t i = 0; i + 1 < n; i++) {
            if (t_below(10) == 0) { /* swap neighbours */
                uint8_t tmp[160];
                size_t tl = elen[i];
                memcpy(tmp, enc[i], 160);
                memcpy(enc[i], enc[i + 1], 160);
                memcpy(enc[i + 1], tmp, 160);
                elen[i] = elen[i + 1];
                elen[i + 1] = tl;
            }
        }
        for (size_t i = 0; i < n; i++) {
            size_t ol = 0;
            tco_status st = tco_srtp_unprotect(r1, enc[i], elen[i], o1[i], 160, &ol);
            ost[i] = st;
            olen[i] = ol;
            memcpy(o2[i], enc[i], elen[i]);
            pk[i] = (tco_srtp_pkt){o2[i], elen[i], o2[i], 160, 0, TCO_OK}; /* in place */
        }
        (void)tco_srtp_unprotect_batch(r2, pk, n);
        for (size_t i = 0; i < n; i++, total++) {
            if (ost[i] != pk[i].status ||
                (pk[i].status == TCO_OK &&
                 (pk[i].out_len != olen[i] || memcmp(o1[i], o2[i], pk[i].out_len) != 0))) {
                if (bad < 5)
                    fprintf(stderr, "trial %d packet %zu: single %s, batch %s\n", trial, i,
                            tco_strerror(ost[i]), tco_strerror(pk[i].status));
                bad++;
            }
        }
        tco_srtp_free(t1);
        tco_srtp_free(t2);
        tco_srtp_free(tx);
        tco_srtp_free(r1);
        tco_srtp_free(r2);
    }
    CHECK_CASES("batches equal single calls (random streams)", bad, total);
    {
        /* the two cases found in review: a new SSRC wrapping inside one batch, and a long
         * gap then a wrap in a protect batch */
        uint8_t key[30], p[3][160], e[3][200];
        size_t el[3];
        tco_srtp *tx, *rx;
        tco_srtp_pkt pk[3];
        static const uint16_t sq[3] = {65534, 65535, 0};
        t_fill(key, 30);
        tx = session(TCO_SRTP_AES128_CM_SHA1_80, 0, 0, key, NULL);
        rx = session(TCO_SRTP_AES128_CM_SHA1_80, 0, 0, key, NULL);
        for (int i = 0; i < 3; i++) {
            size_t n = make_rtp(p[i], sq[i], 77, 10);
            CHECK_ST(tco_srtp_protect(tx, p[i], n, e[i], 200, &el[i]), TCO_OK);
            pk[i] = (tco_srtp_pkt){e[i], el[i], e[i], 200, 0, TCO_OK};
        }
        CHECK_ST(tco_srtp_unprotect_batch(rx, pk, 3), TCO_OK);
        tco_srtp_free(tx);
        tco_srtp_free(rx);
        tx = session(TCO_SRTP_AES128_CM_SHA1_80, 0, 0, key, NULL);
        CHECK(prot(tx, 30000, 9, e[0], 200) == 42);
        make_rtp(p[0], 62000, 9, 10);
        make_rtp(p[1], 0, 9, 10);
        pk[0] = (tco_srtp_pkt){p[0], 12 + 10, e[0], 200, 0, TCO_OK};
        pk[1] = (tco_srtp_pkt){p[1], 12 + 10, e[1], 200, 0, TCO_OK};
        p[0][0] = p[1][0] = 0x80; /* plain headers: 12 octets */
        CHECK_ST(tco_srtp_protect_batch(tx, pk, 2), TCO_OK);
        tco_srtp_free(tx);
    }
}

/* ----------------------------------------------------------------------------------------- */
static void test_mki_lifetime_streams(void)
{
    uint8_t k1[30], k2[30], m1[4] = {0, 0, 0, 1}, m2[4] = {0, 0, 0, 2}, m3[4] = {9, 9, 9, 9};
    uint8_t p[128], d[128];
    tco_srtp_policy pol = {0};
    tco_srtp *tx, *rx;
    size_t n, dn;

    t_fill(k1, 30);
    t_fill(k2, 30);
    pol.profile = TCO_SRTP_AES128_CM_SHA1_32;
    pol.mki_len = 4;
    CHECK_ST(tco_srtp_create(dev, &pol, &tx), TCO_OK);
    CHECK_ST(tco_srtp_create(dev, &pol, &rx), TCO_OK);
    CHECK_ST(tco_srtp_add_key(tx, k1, 30, m1), TCO_OK);
    CHECK_ST(tco_srtp_add_key(tx, k2, 30, m2), TCO_OK);
    CHECK_ST(tco_srtp_add_key(tx, k2, 30, m2), TCO_ERR_STATE);
    CHECK_ST(tco_srtp_add_key(tx, k2, 29, m3), TCO_ERR_KEY_LENGTH);
    CHECK_ST(tco_srtp_add_key(rx, k1, 30, m1), TCO_OK);
    CHECK_ST(tco_srtp_add_key(rx, k2, 30, m2), TCO_OK);
    n = prot(tx, 1, 5, p, sizeof(p));
    CHECK(n == 32 + 4 + 4 && memcmp(p + 32, m1, 4) == 0);
    CHECK_ST(tco_srtp_unprotect(rx, p, n, d, sizeof(d), &dn), TCO_OK);
    CHECK_ST(tco_srtp_use_key(tx, m2), TCO_OK);
    n = prot(tx, 2, 5, p, sizeof(p));
    CHECK(memcmp(p + 32, m2, 4) == 0);
    CHECK_ST(tco_srtp_unprotect(rx, p, n, d, sizeof(d), &dn), TCO_OK);
    CHECK(dn == 32);
    n = prot(tx, 3, 5, p, sizeof(p));
    memcpy(p + 32, m3, 4);
    CHECK_ST(tco_srtp_unprotect(rx, p, n, d, sizeof(d), &dn), TCO_ERR_UNKNOWN_MKI);
    memcpy(p + 32, m1, 4); /* right packet, wrong key named */
    CHECK_ST(tco_srtp_unprotect(rx, p, n, d, sizeof(d), &dn), TCO_ERR_AUTH);
    memcpy(p + 32, m2, 4);
    CHECK_ST(tco_srtp_unprotect(rx, p, n, p, sizeof(p), &dn), TCO_OK); /* in place + MKI */
    CHECK(dn == 32 && p[12] == 0x5A && p[31] == 0x5A);
    CHECK_ST(tco_srtp_remove_key(tx, m2), TCO_ERR_STATE);
    CHECK_ST(tco_srtp_remove_key(rx, m1), TCO_ERR_STATE); /* rx's sending key */
    CHECK_ST(tco_srtp_use_key(rx, m2), TCO_OK);
    CHECK_ST(tco_srtp_remove_key(rx, m1), TCO_OK);
    CHECK_ST(tco_srtp_use_key(rx, m1), TCO_ERR_UNKNOWN_MKI);
    tco_srtp_free(tx);
    tco_srtp_free(rx);

    /* lifetime: a small limit stands in for 2^48 */
    pol.profile = TCO_SRTP_AES128_CM_SHA1_80;
    pol.mki_len = 0;
    pol.max_packets = 3;
    pol.max_rtcp_packets = 2;
    CHECK_ST(tco_srtp_create(dev, &pol, &tx), TCO_OK);
    CHECK_ST(tco_srtp_add_key(tx, k1, 30, NULL), TCO_OK);
    CHECK_ST(tco_srtp_add_key(tx, k2, 30, NULL), TCO_ERR_STATE); /* no MKI: one key */
    for (int i = 0; i < 3; i++)
        CHECK(prot(tx, (uint16_t)i, 1, p, sizeof(p)) == 42);
    {
        uint8_t q[32] = {0x80, 96, 0, 9, 0, 0, 0, 0, 0, 0, 0, 1};
        CHECK_ST(tco_srtp_protect(tx, q, 12, p, sizeof(p), &n), TCO_ERR_KEY_EXHAUSTED);
        q[1] = 200;
        CHECK_ST(tco_srtcp_protect(tx, q, 8, p, sizeof(p), &n), TCO_OK);
        CHECK_ST(tco_srtcp_protect(tx, q, 8, p, sizeof(p), &n), TCO_OK);
        CHECK_ST(tco_srtcp_protect(tx, q, 8, p, sizeof(p), &n), TCO_ERR_KEY_EXHAUSTED);
        CHECK_ST(tco_srtcp_protect(tx, q, 8, p, 8 + 4 + 9, &n), TCO_ERR_BUFFER_SMALL);
    }
    tco_srtp_free(tx);
    pol.max_packets = 1ull << 49;
    CHECK_ST(tco_srtp_create(dev, &pol, &tx), TCO_ERR_RANGE);
    pol.max_packets = 0;
    pol.window = 100;
    CHECK_ST(tco_srtp_create(dev, &pol, &tx), TCO_ERR_INVALID_ARG);

    /* many streams: contexts found by SSRC, each with its own ROC */
    pol.window = 1024;
    CHECK_ST(tco_srtp_create(dev, &pol, &tx), TCO_OK);
    CHECK_ST(tco_srtp_add_key(tx, k1, 30, NULL), TCO_OK);
    {
        int bad = 0;
        uint32_t r;
        for (uint32_t i = 0; i < 20000; i++)
            if (tco_srtp_set_roc(tx, i * 2654435761u, i) != TCO_OK)
                bad++;
        for (uint32_t i = 0; i < 20000; i++)
            if (tco_srtp_get_roc(tx, i * 2654435761u, &r) != TCO_OK || r != i)
                bad++;
        CHECK_CASES("20000 stream contexts", bad, 40000);
        CHECK(tco_srtp_stream_count(tx) == 20000);
    }
    tco_srtp_free(tx);
}

/* SRTCP specifics: E = 0, index replay, tamper, truncation. */
/* ----------------------------------------------------------------------------------------- */
/* Master slots (docs/srtp.md, "Keys"): the session keys are linked to their master slot,
 * which is what lets tco_srtp_frame use their salt; a new key written into that slot drops
 * the link. tco_srtp_add_key and tco_srtp_adopt_key_slot keep the (erased) master slot
 * reserved while the key lives, so other users of the handle, loading keys into the slots
 * they are given, never break a session; with tco_srtp_add_key_slot the slot stays the
 * caller's, who may erase it but not reuse it. */
static bool slot_reserved(tco_slot want)
{
    tco_slot got[64];
    size_t n = 0;
    bool found = false;

    while (n < 64 && tco_slot_alloc(dev, &got[n]) == TCO_OK) {
        if (got[n] == want)
            found = true;
        n++;
    }
    while (n > 0)
        (void)tco_key_erase(dev, got[--n]);
    return !found;
}

static void test_master_slots(void)
{
    static const uint8_t mki1[4] = {0, 0, 0, 1}, mki2[4] = {0, 0, 0, 2}, mki3[4] = {0, 0, 0, 3};
    uint8_t key[30], junk[32], salt[14], pkt[200], out[240], back[240];
    size_t n = 0, m = 0, len = 0;
    uint32_t attrs = 0;
    tco_slot other[4], ms, ms2;
    tco_srtp *tx, *rx;
    int bad = 0;

    t_fill(key, sizeof(key));
    t_fill(junk, sizeof(junk));
    tx = session(TCO_SRTP_AES128_CM_SHA1_80, 4, 0, key, mki1);
    rx = session(TCO_SRTP_AES128_CM_SHA1_80, 4, 0, key, mki1);
    CHECK(tx != NULL && rx != NULL);
    if (tx == NULL || rx == NULL)
        return;
    t_fill(key, sizeof(key));
    CHECK_ST(tco_srtp_add_key(tx, key, sizeof(key), mki2), TCO_OK);
    CHECK_ST(tco_srtp_add_key(rx, key, sizeof(key), mki2), TCO_OK);
    /* someone else on the handle takes slots and loads keys into them: the sessions go on
     * (four keys of seven slots and these four fill a 32-slot device) */
    for (int i = 0; i < 4; i++) {
        CHECK_ST(tco_slot_alloc(dev, &other[i]), TCO_OK);
        CHECK_ST(tco_key_load(dev, other[i], junk, 16, TCO_USE_AES), TCO_OK);
    }
    for (int k = 0; k < 2; k++) {
        CHECK_ST(tco_srtp_use_key(tx, k ? mki2 : mki1), TCO_OK);
        for (uint16_t seq = 0; seq < 20; seq++) {
            n = make_rtp(pkt, (uint16_t)(100 * k + seq), 0x1234, 40);
            bad += tco_srtp_protect(tx, pkt, n, out, sizeof(out), &m) != TCO_OK ||
                   tco_srtp_unprotect(rx, out, m, back, sizeof(back), &len) != TCO_OK ||
                   len != n || memcmp(back, pkt, n) != 0;
        }
    }
    CHECK_CASES("two keys added with tco_srtp_add_key survive keys loaded elsewhere", bad, 40);
    for (int i = 0; i < 4; i++)
        (void)tco_key_erase(dev, other[i]);
    tco_srtp_free(rx); /* room for the keys below */
    rx = NULL;

    /* add_key_slot: the caller's master slot; erasing it keeps the session working,
     * writing another key into it drops the link and the session's packets are refused */
    CHECK_ST(tco_slot_alloc(dev, &ms), TCO_OK);
    t_fill(salt, sizeof(salt));
    CHECK_ST(tco_key_load(dev, ms, key, 16, TCO_USE_SRTP_KDF), TCO_OK);
    CHECK_ST(tco_srtp_add_key_slot(tx, ms, salt, mki3), TCO_OK);
    CHECK_ST(tco_key_info(dev, ms, &len, &attrs), TCO_OK);
    CHECK(len == 16); /* left in place */
    CHECK_ST(tco_srtp_use_key(tx, mki3), TCO_OK);
    n = make_rtp(pkt, 300, 0x1234, 40);
    CHECK_ST(tco_srtp_protect(tx, pkt, n, out, sizeof(out), &m), TCO_OK);
    CHECK_ST(tco_key_erase(dev, ms), TCO_OK);
    CHECK_ST(tco_srtp_protect(tx, pkt, n, out, sizeof(out), &m), TCO_ERR_REPLAY);
    n = make_rtp(pkt, 301, 0x1234, 40);
    CHECK_ST(tco_srtp_protect(tx, pkt, n, out, sizeof(out), &m), TCO_OK);
    CHECK_ST(tco_key_load(dev, ms, junk, 16, TCO_USE_AES), TCO_OK);
    n = make_rtp(pkt, 302, 0x1234, 40);
    CHECK_ST(tco_srtp_protect(tx, pkt, n, out, sizeof(out), &m), TCO_ERR_USAGE);
    CHECK_ST(tco_srtp_use_key(tx, mki1), TCO_OK);
    CHECK_ST(tco_srtp_remove_key(tx, mki3), TCO_OK);
    CHECK_ST(tco_key_erase(dev, ms), TCO_OK);

    /* adopt_key_slot: the session erases the master key and keeps the slot until the key
     * goes; a master of the wrong length or role is refused and the slot left as it was */
    CHECK_ST(tco_slot_alloc(dev, &ms2), TCO_OK);
    CHECK_ST(tco_key_load(dev, ms2, key, 16, TCO_USE_SRTP_KDF), TCO_OK);
    CHECK_ST(tco_srtp_adopt_key_slot(tx, ms2, salt, mki3), TCO_OK);
    CHECK_ST(tco_key_info(dev, ms2, &len, &attrs), TCO_OK);
    CHECK(len == 0 && slot_reserved(ms2));
    CHECK_ST(tco_srtp_use_key(tx, mki3), TCO_OK);
    n = make_rtp(pkt, 400, 0x1234, 40);
    CHECK_ST(tco_srtp_protect(tx, pkt, n, out, sizeof(out), &m), TCO_OK);
    CHECK_ST(tco_srtp_use_key(tx, mki1), TCO_OK);
    CHECK_ST(tco_srtp_remove_key(tx, mki3), TCO_OK);
    CHECK(!slot_reserved(ms2)); /* handed back */
    CHECK_ST(tco_slot_alloc(dev, &ms2), TCO_OK);
    CHECK_ST(tco_key_load(dev, ms2, junk, 32, TCO_USE_SRTP_KDF), TCO_OK); /* AES-128 profile */
    CHECK_ST(tco_srtp_adopt_key_slot(tx, ms2, salt, mki3), TCO_ERR_KEY_LENGTH);
    CHECK_ST(tco_key_info(dev, ms2, &len, &attrs), TCO_OK);
    CHECK(len == 32 && attrs == TCO_USE_SRTP_KDF && slot_reserved(ms2));
    CHECK_ST(tco_key_load(dev, ms2, key, 16, TCO_USE_AES), TCO_OK);
    CHECK_ST(tco_srtp_adopt_key_slot(tx, ms2, salt, mki3), TCO_ERR_USAGE);
    CHECK_ST(tco_key_info(dev, ms2, &len, &attrs), TCO_OK);
    CHECK(len == 16 && attrs == TCO_USE_AES && slot_reserved(ms2));
    CHECK_ST(tco_key_erase(dev, ms2), TCO_OK);
    CHECK_ST(tco_srtp_add_key_slot(tx, ms2, salt, mki3), TCO_ERR_SLOT_EMPTY);
    tco_srtp_free(tx);
    tco_srtp_free(rx);
}

static void test_srtcp(void)
{
    uint8_t key[30], p[128], e[160], d[160];
    tco_srtp_policy pol = {0};
    tco_srtp *tx, *rx;
    size_t en, dn;

    t_fill(key, 30);
    pol.profile = TCO_SRTP_AES128_CM_SHA1_32; /* SRTCP keeps the 80-bit tag */
    pol.rtcp_cleartext = 1;
    CHECK_ST(tco_srtp_create(dev, &pol, &tx), TCO_OK);
    pol.rtcp_cleartext = 0;
    CHECK_ST(tco_srtp_create(dev, &pol, &rx), TCO_OK);
    CHECK_ST(tco_srtp_add_key(tx, key, 30, NULL), TCO_OK);
    CHECK_ST(tco_srtp_add_key(rx, key, 30, NULL), TCO_OK);
    t_fill(p, 40);
    p[0] = 0x81;
    p[1] = 200;
    CHECK_ST(tco_srtcp_set_index(tx, 0, 5), TCO_OK); /* wrong SSRC: another context */
    CHECK_ST(tco_srtcp_protect(tx, p, 40, e, sizeof(e), &en), TCO_OK);
    CHECK(en == 40 + 4 + 10 && memcmp(e, p, 40) == 0 && e[40] == 0 && e[43] == 0);
    CHECK_ST(tco_srtcp_unprotect(rx, e, en, d, sizeof(d), &dn), TCO_OK);
    CHECK(dn == 40 && memcmp(d, p, 40) == 0);
    CHECK_ST(tco_srtcp_unprotect(rx, e, en, d, sizeof(d), &dn), TCO_ERR_REPLAY);
    CHECK_ST(tco_srtcp_protect(tx, p, 40, e, sizeof(e), &en), TCO_OK);
    e[43] ^= 0; /* index 1 */
    e[40] |= 0x80; /* E flipped: authenticated, so the tag fails */
    CHECK_ST(tco_srtcp_unprotect(rx, e, en, d, sizeof(d), &dn), TCO_ERR_AUTH);
    e[40] &= 0x7F;
    CHECK_ST(tco_srtcp_unprotect(rx, e, 8 + 4 + 9, d, sizeof(d), &dn), TCO_ERR_TOO_SHORT);
    CHECK_ST(tco_srtcp_unprotect(rx, e, 7, d, sizeof(d), &dn), TCO_ERR_TRUNCATED);
    CHECK_ST(tco_srtcp_unprotect(rx, e, en, e, en, &dn), TCO_OK); /* in place */
    CHECK(dn == 40 && memcmp(e, p, 40) == 0);
    tco_srtp_free(tx);
    tco_srtp_free(rx);
}

/* CS bearer: RFC 4867 sizes, the UE's checks of codec frames, the mapper's refusals. */
static void test_cs(void)
{
    static const size_t amr[9] = {12, 13, 15, 17, 19, 20, 26, 31, 5};
    static const size_t wb[10] = {17, 23, 32, 36, 40, 46, 50, 58, 60, 5};
    uint8_t key[30], cod[64] = {0xF0}, frame[128], pkt[128];
    tco_cs_call call = {TCO_CODEC_AMR, 97, 0x1234, 100, 5000, 4, 0};
    tco_srtp *tx, *rx;
    tco_cs_ue *ue = NULL;
    tco_cs_map *gw = NULL;
    size_t n = 0, m = 0;
    int bad = 0;

    for (unsigned ft = 0; ft < 9; ft++)
        bad += tco_amr_payload_len(TCO_CODEC_AMR, ft) != amr[ft] + 2;
    for (unsigned ft = 0; ft < 10; ft++)
        bad += tco_amr_payload_len(TCO_CODEC_AMR_WB, ft) != wb[ft] + 2;
    bad += tco_amr_payload_len(TCO_CODEC_AMR, 15) != 2 || tco_amr_payload_len(TCO_CODEC_AMR, 9);
    bad += tco_amr_payload_len(TCO_CODEC_AMR_WB, 14) != 2 || tco_amr_payload_len(0, 1) != 0;
    CHECK_CASES("RFC 4867 frame sizes", bad, 23);

    t_fill(key, 30);
    tx = session(TCO_SRTP_AES128_CM_SHA1_32, 0, 0, key, NULL);
    rx = session(TCO_SRTP_AES128_CM_SHA1_32, 0, 0, key, NULL);
    CHECK_ST(tco_cs_ue_create(tx, rx, &call, &call, &ue), TCO_OK);
    CHECK_ST(tco_cs_map_create(&call, &gw), TCO_OK);
    if (ue == NULL || gw == NULL)
        return;
    cod[1] = 7 << 3 | 4; /* AMR 12.2 */
    CHECK_ST(tco_cs_ue_send(ue, 1, cod, 33, frame, sizeof(frame), &n), TCO_OK);
    CHECK(n == 40); /* the budget of the spec: 2 + 1 + 33 + 4 */
    CHECK(frame[0] == 0 && frame[1] == 100 && frame[2] == 0x80);
    CHECK_ST(tco_cs_ue_send(ue, 0, cod, 32, frame, sizeof(frame), &n), TCO_ERR_INVALID_ARG);
    cod[1] = 15 << 3; /* NO_DATA: 9 octets on the bearer */
    CHECK_ST(tco_cs_ue_send(ue, 0, cod, 2, frame, sizeof(frame), &n), TCO_OK);
    CHECK(n == 9 && frame[1] == 101 && frame[2] == 0);
    cod[1] = 0x80 | 7 << 3; /* F = 1: more frames follow, not one per slot */
    CHECK_ST(tco_cs_ue_send(ue, 0, cod, 33, frame, sizeof(frame), &n), TCO_ERR_INVALID_ARG);
    /* the gateway rebuilds header: TS of slot 1 = 5000 + 160 */
    CHECK_ST(tco_cs_ue_send(ue, 0, (uint8_t[]){0xF0, 15 << 3}, 2, frame, sizeof(frame), &n),
             TCO_OK);
    CHECK_ST(tco_cs_to_srtp(gw, frame, n, pkt, sizeof(pkt), &m), TCO_OK);
    CHECK(m == 12 + 2 + 4 && pkt[0] == 0x80 && pkt[1] == 97 && pkt[3] == 102 &&
          ((uint32_t)pkt[4] << 24 | (uint32_t)pkt[5] << 16 | (uint32_t)pkt[6] << 8 | pkt[7]) ==
              5000 + 2 * 160);
    frame[2] = 0x40; /* MKI flag on a call without MKI */
    CHECK_ST(tco_cs_to_srtp(gw, frame, n, pkt, sizeof(pkt), &m), TCO_ERR_NOT_MAPPABLE);
    frame[2] = 0x01; /* reserved bit */
    CHECK_ST(tco_cs_to_srtp(gw, frame, n, pkt, sizeof(pkt), &m), TCO_ERR_NOT_MAPPABLE);
    CHECK_ST(tco_cs_to_srtp(gw, frame, 8, pkt, sizeof(pkt), &m), TCO_ERR_TRUNCATED);
    frame[2] = 0;
    CHECK_ST(tco_cs_to_srtp(gw, frame, n, pkt, 17, &m), TCO_ERR_BUFFER_SMALL);
    tco_cs_map_free(gw);
    tco_cs_ue_free(ue);
    tco_srtp_free(tx);
    tco_srtp_free(rx);
}

int main(void)
{
    const char *uri = getenv("TCO_TEST_DEV") ? getenv("TCO_TEST_DEV") : "soft:";

    t_seed(0x5E7A11CEull);
    if (tco_open(&dev, uri) != TCO_OK) {
        fprintf(stderr, "cannot open %s\n", uri);
        return 1;
    }
    test_vectors();
    test_roundtrip();
    test_roc_replay();
    test_batch();
    test_batch_equiv();
    test_mki_lifetime_streams();
    test_master_slots();
    test_srtcp();
    test_cs();
    tco_close(dev);
    return t_done("test_srtp");
}
