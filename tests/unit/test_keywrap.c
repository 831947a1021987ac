/* SPDX-License-Identifier: Apache-2.0 */
/* RFC 3394 key wrap between slots: the RFC's vectors, round trips with random keys against
 * OpenSSL's AES-WRAP computed here, the usage rules, and unwrap failures that leave the
 * destination untouched. Runs on TCO_TEST_DEV (default soft:). */
#include "tcheck.h"
#include "tco.h"

#include <openssl/evp.h>

static tco_dev *dev;

/* Independent wrap with OpenSSL (the test's own reference). */
static size_t ref_wrap(const uint8_t *kek, size_t kl, const uint8_t *key, size_t n, uint8_t *out)
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int a = 0, b = 0;

    EVP_CIPHER_CTX_set_flags(c, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    EVP_EncryptInit_ex(c, kl == 16 ? EVP_aes_128_wrap() : EVP_aes_256_wrap(), NULL, kek, NULL);
    EVP_EncryptUpdate(c, out, &a, key, (int)n);
    EVP_EncryptFinal_ex(c, out + a, &b);
    EVP_CIPHER_CTX_free(c);
    return (size_t)(a + b);
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
    for (size_t i = 0; i < 2; i++) {
        uint8_t kek[32], key[32], want[40], got[40], back[32];
        size_t kl = unhex(v[i].kek, kek, 32), nl = unhex(v[i].key, key, 32);
        size_t wl = unhex(v[i].wrapped, want, 40), n = 0, bl = 0;

        CHECK_ST(tco_key_load(dev, k, kek, kl, TCO_USE_WRAP | TCO_USE_KDF_OUT), TCO_OK);
        CHECK_ST(tco_key_load(dev, w, key, nl, TCO_USE_WRAP), TCO_OK);
        CHECK_ST(tco_key_wrap(dev, k, w, got, sizeof(got), &n), TCO_OK);
        CHECK(n == wl && memcmp(got, want, wl) == 0);
        CHECK_ST(tco_key_unwrap(dev, k, want, wl, d, TCO_ATTR_EXPORTABLE), TCO_OK);
        CHECK_ST(tco_key_read(dev, d, back, sizeof(back), &bl), TCO_OK);
        CHECK(bl == nl && memcmp(back, key, nl) == 0);
    }
}

static void rules(tco_slot k, tco_slot w, tco_slot d)
{
    uint8_t key[32] = {1}, kek[16] = {2}, out[40], old[32] = {0x77}, back[32];
    size_t n = 0, bl = 0;

    CHECK_ST(tco_key_load(dev, k, kek, 16, TCO_USE_WRAP), TCO_OK);
    CHECK_ST(tco_key_load(dev, w, key, 16, TCO_USE_AES), TCO_OK); /* not wrappable */
    CHECK_ST(tco_key_wrap(dev, k, w, out, sizeof(out), &n), TCO_ERR_USAGE);
    CHECK_ST(tco_key_load(dev, w, key, 20, TCO_USE_WRAP), TCO_OK);
    CHECK_ST(tco_key_wrap(dev, k, w, out, sizeof(out), &n), TCO_ERR_KEY_LENGTH);
    CHECK_ST(tco_key_load(dev, w, key, 32, TCO_USE_WRAP), TCO_OK);
    CHECK_ST(tco_key_wrap(dev, k, w, out, 39, &n), TCO_ERR_BUFFER_SMALL);
    CHECK_ST(tco_key_wrap(dev, k, w, out, sizeof(out), &n), TCO_OK);
    CHECK(n == 40);
    CHECK_ST(tco_key_wrap(dev, k, 200, out, sizeof(out), &n), TCO_ERR_NO_SLOT);
    /* exportable destination needs USE_KDF_OUT on the KEK */
    CHECK_ST(tco_key_unwrap(dev, k, out, 40, d, TCO_ATTR_EXPORTABLE), TCO_ERR_USAGE);
    CHECK_ST(tco_key_unwrap(dev, k, out, 39, d, 0), TCO_ERR_INVALID_ARG);
    /* a failed check leaves the destination as it was */
    CHECK_ST(tco_key_load(dev, k, kek, 16, TCO_USE_WRAP | TCO_USE_KDF_OUT), TCO_OK);
    CHECK_ST(tco_key_load(dev, d, old, 32, TCO_ATTR_EXPORTABLE), TCO_OK);
    {
        int bad = 0;
        for (int bit = 0; bit < 40 * 8; bit += 7) {
            out[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            bad += tco_key_unwrap(dev, k, out, 40, d, TCO_ATTR_EXPORTABLE) != TCO_ERR_AUTH;
            out[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
        CHECK_CASES("one-bit corruptions refused", bad, 46);
    }
    CHECK_ST(tco_key_read(dev, d, back, sizeof(back), &bl), TCO_OK);
    CHECK(bl == 32 && memcmp(back, old, 32) == 0);
    /* the KEK slot as destination (written last) */
    CHECK_ST(tco_key_unwrap(dev, k, out, 40, k, TCO_USE_WRAP), TCO_OK);
    CHECK_ST(tco_key_wrap(dev, k, k, out, sizeof(out), &n), TCO_OK);
    /* empty KEK */
    CHECK_ST(tco_key_erase(dev, k), TCO_OK);
    CHECK_ST(tco_key_wrap(dev, k, w, out, sizeof(out), &n), TCO_ERR_SLOT_EMPTY);
    CHECK_ST(tco_key_unwrap(dev, k, out, 40, d, 0), TCO_ERR_SLOT_EMPTY);
}

static void random_vs_openssl(tco_slot k, tco_slot w, tco_slot d)
{
    int bad = 0, total = 200;

    for (int i = 0; i < total; i++) {
        uint8_t kek[32], key[32], want[40], got[40], back[32];
        size_t kl = t_below(2) ? 16 : 32, nl = t_below(2) ? 16 : 32, n = 0, bl = 0;
        t_fill(kek, kl);
        t_fill(key, nl);
        ref_wrap(kek, kl, key, nl, want);
        if (tco_key_load(dev, k, kek, kl, TCO_USE_WRAP | TCO_USE_KDF_OUT) != TCO_OK ||
            tco_key_load(dev, w, key, nl, TCO_USE_WRAP) != TCO_OK ||
            tco_key_wrap(dev, k, w, got, sizeof(got), &n) != TCO_OK || n != nl + 8 ||
            memcmp(got, want, n) != 0 ||
            tco_key_unwrap(dev, k, got, n, d, TCO_ATTR_EXPORTABLE | TCO_USE_WRAP) != TCO_OK ||
            tco_key_read(dev, d, back, sizeof(back), &bl) != TCO_OK || bl != nl ||
            memcmp(back, key, nl) != 0)
            bad++;
    }
    CHECK_CASES("wrap = OpenSSL AES-WRAP, unwrap round trip", bad, total);
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
