/* SPDX-License-Identifier: Apache-2.0 */
/* RFC 3394 key wrap between slots under the key model (docs/keys.md): the key's attributes
 * are bound into the IV (A6A6A6A6A6A6 || attrs, two octets big-endian), so the RFC's own
 * vectors (default IV A6A6A6A6A6A6A6A6) check the test's reference here and are refused by the
 * device; round trips with random keys and attributes against OpenSSL's AES-WRAP with that
 * IV computed here; the usage rules (KEK: USE_WRAP; key: EXTRACTABLE, 16 or 32 octets, not
 * WRAP_TRUSTED); unwraps with other attributes than the blob's, and corrupted blobs, refused
 * with the destination untouched. Runs on TCO_TEST_DEV (default soft:). */
#include "tcheck.h"
#include "tco.h"

#include <openssl/evp.h>

static tco_dev *dev;

/* Independent RFC 3394 wrap/unwrap with OpenSSL (the test's own reference), with the
 * device's IV for `attrs`, or the RFC's default IV when `attrs` is UINT32_MAX. */
static size_t ref_kw(int enc, const uint8_t *kek, size_t kl, const uint8_t *in, size_t n,
                     uint32_t attrs, uint8_t *out)
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    const uint8_t iv[8] = {0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6,
                           attrs == UINT32_MAX ? 0xA6 : (uint8_t)(attrs >> 8),
                           attrs == UINT32_MAX ? 0xA6 : (uint8_t)attrs};
    int a = 0, b = 0, ok;

    EVP_CIPHER_CTX_set_flags(c, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    ok = EVP_CipherInit_ex(c, kl == 16 ? EVP_aes_128_wrap() : EVP_aes_256_wrap(), NULL, kek, iv,
                           enc) == 1 &&
         EVP_CipherUpdate(c, out, &a, in, (int)n) == 1 && EVP_CipherFinal_ex(c, out + a, &b) == 1;
    EVP_CIPHER_CTX_free(c);
    return ok ? (size_t)(a + b) : 0;
}

static size_t key_len(tco_slot s)
{
    size_t n = 0;
    uint32_t a = 0;
    return tco_key_info(dev, s, &n, &a) == TCO_OK ? n : 99;
}

static void vectors(tco_slot k, tco_slot w, tco_slot d)
{
    static const struct {
        const char *kek, *key, *wrapped;
    } v[] = {
        /* RFC 3394 §4.1 and §4.6 */
        {"000102030405060708090A0B0C0D0E0F", "00112233445566778899AABBCCDDEEFF",
         "1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5"},
        {"000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
         "00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F",
         "28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21"},
    };
    const uint32_t attrs = TCO_ATTR_EXTRACTABLE | TCO_ATTR_EXPORTABLE;

    for (size_t i = 0; i < 2; i++) {
        uint8_t kek[32], key[32], want[40], got[40], ref[40], back[32];
        size_t kl = unhex(v[i].kek, kek, 32), nl = unhex(v[i].key, key, 32);
        size_t wl = unhex(v[i].wrapped, want, 40), n = 0, bl = 0;

        /* the reference is RFC 3394: the RFC's vector with its default IV */
        CHECK(ref_kw(1, kek, kl, key, nl, UINT32_MAX, ref) == wl && memcmp(ref, want, wl) == 0);
        CHECK_ST(tco_key_load(dev, k, kek, kl, TCO_USE_WRAP), TCO_OK);
        CHECK_ST(tco_key_load(dev, w, key, nl, attrs), TCO_OK);
        CHECK_ST(tco_key_wrap(dev, k, w, got, sizeof(got), &n), TCO_OK);
        CHECK(ref_kw(1, kek, kl, key, nl, attrs, ref) == wl && n == wl &&
              memcmp(got, ref, wl) == 0 && memcmp(got, want, wl) != 0);
        /* the RFC's blob has no attributes in its IV: refused, nothing written */
        CHECK_ST(tco_key_unwrap(dev, k, want, wl, d, attrs), TCO_ERR_AUTH);
        CHECK(key_len(d) == 0);
        CHECK_ST(tco_key_unwrap(dev, k, got, wl, d, attrs), TCO_OK);
        CHECK_ST(tco_key_read(dev, d, back, sizeof(back), &bl), TCO_OK);
        CHECK(bl == nl && memcmp(back, key, nl) == 0);
        CHECK_ST(tco_key_erase(dev, d), TCO_OK);
    }
}

static void rules(tco_slot k, tco_slot w, tco_slot d)
{
    uint8_t key[32] = {1}, kek[16] = {2}, out[40], old[32] = {0x77}, back[32];
    size_t n = 0, bl = 0;
    uint32_t attrs = 0;

    CHECK_ST(tco_key_load(dev, k, kek, 16, TCO_USE_WRAP), TCO_OK);
    CHECK_ST(tco_key_load(dev, w, key, 16, TCO_USE_AES), TCO_OK); /* not extractable */
    CHECK_ST(tco_key_wrap(dev, k, w, out, sizeof(out), &n), TCO_ERR_USAGE);
    /* a KEK does not make a key wrappable any more (old model: USE_WRAP on both) */
    CHECK_ST(tco_key_load(dev, w, key, 16, TCO_USE_WRAP), TCO_OK);
    CHECK_ST(tco_key_wrap(dev, k, w, out, sizeof(out), &n), TCO_ERR_USAGE);
    /* WRAP_TRUSTED: only under a TRUSTED KEK, and no KEK is TRUSTED in this version */
    CHECK_ST(tco_key_load(dev, w, key, 16, TCO_ATTR_EXTRACTABLE | TCO_ATTR_WRAP_TRUSTED),
             TCO_OK);
    CHECK_ST(tco_key_wrap(dev, k, w, out, sizeof(out), &n), TCO_ERR_USAGE);
    CHECK_ST(tco_key_load(dev, k, kek, 16, TCO_USE_WRAP | TCO_ATTR_TRUSTED), TCO_ERR_USAGE);
    /* a KEK is nothing else */
    CHECK_ST(tco_key_load(dev, k, kek, 16, TCO_USE_WRAP | TCO_USE_KDF_OUT), TCO_ERR_USAGE);
    CHECK_ST(tco_key_load(dev, k, kek, 16, TCO_USE_WRAP | TCO_USE_HMAC), TCO_ERR_USAGE);
    CHECK_ST(tco_key_load(dev, k, kek, 16, TCO_USE_AES), TCO_OK);
    CHECK_ST(tco_key_load(dev, w, key, 16, TCO_ATTR_EXTRACTABLE), TCO_OK);
    CHECK_ST(tco_key_wrap(dev, k, w, out, sizeof(out), &n), TCO_ERR_USAGE);
    CHECK_ST(tco_key_load(dev, k, kek, 16, TCO_USE_WRAP), TCO_OK);
    /* the key: 16 or 32 octets (a 20-octet HMAC key is extractable, but not wrappable) */
    CHECK_ST(tco_key_load(dev, w, key, 20, TCO_USE_HMAC | TCO_ATTR_EXTRACTABLE), TCO_OK);
    CHECK_ST(tco_key_wrap(dev, k, w, out, sizeof(out), &n), TCO_ERR_KEY_LENGTH);
    CHECK_ST(tco_key_load(dev, w, key, 32, TCO_USE_WRAP | TCO_ATTR_EXTRACTABLE), TCO_OK);
    CHECK_ST(tco_key_wrap(dev, k, w, out, 39, &n), TCO_ERR_BUFFER_SMALL);
    CHECK_ST(tco_key_wrap(dev, k, w, out, sizeof(out), &n), TCO_OK);
    CHECK(n == 40);
    CHECK_ST(tco_key_wrap(dev, k, 200, out, sizeof(out), &n), TCO_ERR_NO_SLOT);
    /* unwrap: only with the blob's attributes; other ones fail the integrity check, also a
     * mere added modifier (EXPORTABLE: the old model's way to read a key back) */
    CHECK_ST(tco_key_load(dev, d, old, 32, TCO_ATTR_EXPORTABLE), TCO_OK);
    CHECK_ST(tco_key_unwrap(dev, k, out, 40, d, TCO_ATTR_EXPORTABLE), TCO_ERR_AUTH);
    CHECK_ST(tco_key_unwrap(dev, k, out, 40, d,
                            TCO_USE_WRAP | TCO_ATTR_EXTRACTABLE | TCO_ATTR_EXPORTABLE),
             TCO_ERR_AUTH);
    CHECK_ST(tco_key_unwrap(dev, k, out, 40, d, TCO_USE_AES | TCO_ATTR_EXTRACTABLE),
             TCO_ERR_AUTH);
    CHECK_ST(tco_key_unwrap(dev, k, out, 40, d, TCO_USE_WRAP), TCO_ERR_AUTH);
    /* attributes no key may have: refused before any unwrap */
    CHECK_ST(tco_key_unwrap(dev, k, out, 40, d, TCO_USE_AES | TCO_USE_HMAC), TCO_ERR_USAGE);
    CHECK_ST(tco_key_unwrap(dev, k, out, 40, d, TCO_ATTR_TRUSTED | TCO_USE_WRAP),
             TCO_ERR_USAGE);
    CHECK_ST(tco_key_unwrap(dev, k, out, 40, d, TCO_USE_GSM_C3), TCO_ERR_KEY_LENGTH);
    CHECK_ST(tco_key_unwrap(dev, k, out, 40, d, 0x8000u), TCO_ERR_INVALID_ARG);
    CHECK_ST(tco_key_unwrap(dev, k, out, 39, d, 0), TCO_ERR_INVALID_ARG);
    CHECK_ST(tco_key_read(dev, d, back, sizeof(back), &bl), TCO_OK);
    CHECK(bl == 32 && memcmp(back, old, 32) == 0); /* untouched by every refusal */
    /* a corrupted blob leaves the destination as it was */
    {
        int bad = 0;
        for (int bit = 0; bit < 40 * 8; bit += 7) {
            out[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            bad += tco_key_unwrap(dev, k, out, 40, d, TCO_USE_WRAP | TCO_ATTR_EXTRACTABLE) !=
                   TCO_ERR_AUTH;
            out[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
        CHECK_CASES("one-bit corruptions refused", bad, 46);
    }
    CHECK_ST(tco_key_read(dev, d, back, sizeof(back), &bl), TCO_OK);
    CHECK(bl == 32 && memcmp(back, old, 32) == 0);
    /* the KEK slot as destination (written last): the unwrapped KEK, extractable, then
     * wraps itself */
    CHECK_ST(tco_key_unwrap(dev, k, out, 40, k, TCO_USE_WRAP | TCO_ATTR_EXTRACTABLE), TCO_OK);
    CHECK_ST(tco_key_info(dev, k, &bl, &attrs), TCO_OK);
    CHECK(bl == 32 && attrs == (TCO_USE_WRAP | TCO_ATTR_EXTRACTABLE));
    CHECK_ST(tco_key_wrap(dev, k, k, out, sizeof(out), &n), TCO_OK);
    /* empty KEK */
    CHECK_ST(tco_key_erase(dev, k), TCO_OK);
    CHECK_ST(tco_key_wrap(dev, k, w, out, sizeof(out), &n), TCO_ERR_SLOT_EMPTY);
    CHECK_ST(tco_key_unwrap(dev, k, out, 40, d, 0), TCO_ERR_SLOT_EMPTY);
}

/* Attribute sets a wrapped key may have (a profile, with EXTRACTABLE), by key length. */
static uint32_t random_attrs(size_t len)
{
    static const uint32_t sets[] = {
        0, TCO_USE_AES, TCO_USE_HMAC, TCO_USE_KDF, TCO_USE_KDF_OUT,
        TCO_USE_KDF | TCO_USE_KDF_OUT, TCO_USE_HMAC | TCO_USE_KDF_OUT,
        TCO_USE_HMAC | TCO_USE_KDF | TCO_USE_KDF_OUT, TCO_USE_SRTP_KDF,
        TCO_USE_SRTP_KDF | TCO_USE_KDF_OUT, TCO_USE_SRTP_KE, TCO_USE_WRAP, TCO_USE_GSM_C3,
    };
    uint32_t a;

    do
        a = sets[t_below(sizeof(sets) / sizeof(sets[0]))];
    while (a == TCO_USE_GSM_C3 && len != 16);
    return a | TCO_ATTR_EXTRACTABLE | (t_below(2) ? TCO_ATTR_EXPORTABLE : 0);
}

static void random_vs_openssl(tco_slot k, tco_slot w, tco_slot d)
{
    int bad = 0, badx = 0, badh = 0, total = 200;

    for (int i = 0; i < total; i++) {
        uint8_t kek[32], key[32], want[40], got[40], again[40], host[32];
        size_t kl = t_below(2) ? 16 : 32, nl = t_below(2) ? 16 : 32, n = 0, m = 0;
        uint32_t attrs = random_attrs(nl), other = random_attrs(nl);
        t_fill(kek, kl);
        t_fill(key, nl);
        ref_kw(1, kek, kl, key, nl, attrs, want);
        /* wrap = OpenSSL with the attributes' IV; unwrap with them gives the same key back
         * (wrapped again: the same blob, whether or not the key may be read) */
        if (tco_key_load(dev, k, kek, kl, TCO_USE_WRAP) != TCO_OK ||
            tco_key_load(dev, w, key, nl, attrs) != TCO_OK ||
            tco_key_wrap(dev, k, w, got, sizeof(got), &n) != TCO_OK || n != nl + 8 ||
            memcmp(got, want, n) != 0 || tco_key_unwrap(dev, k, got, n, d, attrs) != TCO_OK ||
            tco_key_wrap(dev, k, d, again, sizeof(again), &m) != TCO_OK || m != n ||
            memcmp(again, got, n) != 0)
            bad++;
        /* other attributes: refused, the destination untouched */
        if (other != attrs &&
            (tco_key_unwrap(dev, k, got, n, d, other) != TCO_ERR_AUTH || key_len(d) != nl))
            badx++;
        /* the host holding the KEK recovers the key with OpenSSL and that IV */
        badh += ref_kw(0, kek, kl, got, n, attrs, host) != nl || memcmp(host, key, nl) != 0;
        (void)tco_key_erase(dev, d);
    }
    CHECK_CASES("wrap = OpenSSL AES-WRAP with IV A6A6A6A6A6A6 || attrs, round trip", bad,
                total);
    CHECK_CASES("unwrap with other attributes refused", badx, total);
    CHECK_CASES("host unwrap with OpenSSL and the attributes' IV", badh, total);
}

int main(void)
{
    const char *uri = getenv("TCO_TEST_DEV") ? getenv("TCO_TEST_DEV") : "soft:";
    tco_slot k, w, d;

    t_seed(0x3394ull);
    CHECK_ST(tco_open(&dev, uri), TCO_OK);
    if (dev == NULL)
        return t_done("test_keywrap");
    {
        tco_info i;
        CHECK_ST(tco_get_info(dev, &i), TCO_OK);
        if (!(i.caps & TCO_CAP_KEY_WRAP)) {
            fprintf(stderr, "%s: no key wrap capability\n", uri);
            CHECK(0);
            tco_close(dev);
            return t_done("test_keywrap");
        }
    }
    CHECK_ST(tco_slot_alloc(dev, &k), TCO_OK);
    CHECK_ST(tco_slot_alloc(dev, &w), TCO_OK);
    CHECK_ST(tco_slot_alloc(dev, &d), TCO_OK);
    vectors(k, w, d);
    rules(k, w, d);
    random_vs_openssl(k, w, d);
    tco_close(dev);
    return t_done("test_keywrap");
}
