/* SPDX-License-Identifier: Apache-2.0 */
/* Known-answer self-test, run through the engine ops on every backend at open. */
#include "tco_priv.h"

#include <string.h>

/* FIPS-197 Appendix C.1 / C.3. */
static const uint8_t kat_key256[32] = {
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
    0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f};
static const uint8_t kat_pt[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                   0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
static const uint8_t kat_aes128[16] = {0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
                                       0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a};
static const uint8_t kat_aes256[16] = {0x8e, 0xa2, 0xb7, 0xca, 0x51, 0x67, 0x45, 0xbf,
                                       0xea, 0xfc, 0x49, 0x90, 0x4b, 0x49, 0x60, 0x89};

/* SP 800-38A F.5.1, blocks 1-2 (a carry crosses from octet 15 into octet 14). */
static const uint8_t kat_ctr_key[16] = {0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
                                        0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c};
static const uint8_t kat_ctr_iv[16] = {0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,
                                       0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff};
static const uint8_t kat_ctr_pt[32] = {
    0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96, 0xe9, 0x3d, 0x7e, 0x11, 0x73, 0x93, 0x17, 0x2a,
    0xae, 0x2d, 0x8a, 0x57, 0x1e, 0x03, 0xac, 0x9c, 0x9e, 0xb7, 0x6f, 0xac, 0x45, 0xaf, 0x8e, 0x51};
static const uint8_t kat_ctr_ct[32] = {
    0x87, 0x4d, 0x61, 0x91, 0xb6, 0x20, 0xe3, 0x26, 0x1b, 0xef, 0x68, 0x64, 0x99, 0x0d, 0xb6, 0xce,
    0x98, 0x06, 0xf6, 0x6b, 0x79, 0x70, 0xfd, 0xff, 0x86, 0x17, 0x18, 0x7b, 0xb9, 0xff, 0xfd, 0xff};

/* HMAC with key 00..0f over "abc" and the 3GPP KDF with key 00..1f over
 * S = 16 00000102 0004 (the A.8 layout of shared vectors §10); computed once with Python's
 * hmac/hashlib, an implementation independent of this library and of OpenSSL's EVP path. */
static const uint8_t kat_hmac256[32] = {
    0xd6, 0x01, 0xcc, 0x17, 0x75, 0x59, 0xb0, 0x24, 0x84, 0x59, 0x78, 0x7f, 0x7e, 0x80, 0x4e, 0xd7,
    0xf2, 0x76, 0x89, 0xb5, 0x99, 0x5c, 0x59, 0xb6, 0x61, 0x80, 0x2d, 0x96, 0x82, 0xfd, 0xf8, 0xd2};
static const uint8_t kat_hmac1[20] = {0x2a, 0x29, 0x85, 0x40, 0x23, 0xba, 0x2e, 0xf1, 0x49, 0x0f,
                                      0x8c, 0xd8, 0x97, 0xa8, 0xcc, 0x6b, 0x55, 0x7b, 0x2a, 0x12};
static const uint8_t kat_kdf[32] = {
    0x4d, 0x32, 0x2a, 0x1e, 0x2f, 0x12, 0xca, 0x0a, 0xa4, 0xf4, 0x32, 0x20, 0xe8, 0x37, 0xb3, 0xcf,
    0xfc, 0xec, 0xad, 0xb5, 0x7c, 0x91, 0x38, 0xe9, 0x67, 0x54, 0x11, 0x03, 0xd8, 0x8f, 0xa8, 0x42};

/* Stops at the first wrong answer: a device that no longer answers costs one timeout, not
 * one per step. */
#define KAT(cond)                                                                            \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            tco_cleanse(buf, sizeof(buf));                                                   \
            return 1;                                                                        \
        }                                                                                    \
    } while (0)

/* Each engine's answers are checked when the device reports the engine (INFO capabilities):
 * a board build without the hash engine, SHA-1 or AES (docs/boards.md) opens, and the calls
 * it cannot serve return TCO_ERR_UNSUPPORTED. A device that reports no engine fails. */
static int kat_run(tco_dev *dev, tco_slot s)
{
    /* one key, one role (docs/keys.md): the known key is loaded for AES, then for the
     * hash engine (HMAC with KDF output to the host) */
    const uint32_t aes = TCO_USE_AES, mac = TCO_USE_HMAC | TCO_USE_KDF_OUT;
    const uint32_t caps = dev->caps;
    static const uint8_t count[4] = {0x00, 0x00, 0x01, 0x02};
    const tco_kdf_param p0 = {.data = count, .len = 4};
    uint8_t buf[32];
    size_t n = 0;

    KAT((caps & (TCO_CAP_AES128 | TCO_CAP_AES256 | TCO_CAP_AES_CTR | TCO_CAP_HMAC_SHA256 |
                 TCO_CAP_HMAC_SHA1 | TCO_CAP_KDF)) != 0);
    if (caps & TCO_CAP_AES128) {
        KAT(tco_key_load(dev, s, kat_key256, 16, aes) == TCO_OK);
        KAT(tco_aes_block(dev, s, kat_pt, buf) == TCO_OK && memcmp(buf, kat_aes128, 16) == 0);
    }
    if (caps & (TCO_CAP_HMAC_SHA256 | TCO_CAP_HMAC_SHA1))
        KAT(tco_key_load(dev, s, kat_key256, 16, mac) == TCO_OK);
    if (caps & TCO_CAP_HMAC_SHA256)
        KAT(tco_hmac(dev, s, TCO_HASH_SHA256, (const uint8_t *)"abc", 3, buf, 32, &n) == TCO_OK &&
            n == 32 && memcmp(buf, kat_hmac256, 32) == 0);
    if (caps & TCO_CAP_HMAC_SHA1)
        KAT(tco_hmac(dev, s, TCO_HASH_SHA1, (const uint8_t *)"abc", 3, buf, 32, &n) == TCO_OK &&
            n == 20 && memcmp(buf, kat_hmac1, 20) == 0);
    if (caps & TCO_CAP_AES256) {
        KAT(tco_key_load(dev, s, kat_key256, 32, aes) == TCO_OK);
        KAT(tco_aes_block(dev, s, kat_pt, buf) == TCO_OK && memcmp(buf, kat_aes256, 16) == 0);
    }
    if (caps & TCO_CAP_KDF) {
        KAT(tco_key_load(dev, s, kat_key256, 32, mac) == TCO_OK);
        KAT(tco_kdf(dev, s, 0x16, &p0, 1, buf) == TCO_OK && memcmp(buf, kat_kdf, 32) == 0);
    }
    if (caps & TCO_CAP_AES_CTR) {
        KAT(tco_key_load(dev, s, kat_ctr_key, 16, aes) == TCO_OK);
        KAT(tco_aes_ctr(dev, s, kat_ctr_iv, 128, kat_ctr_pt, buf, 32) == TCO_OK &&
            memcmp(buf, kat_ctr_ct, 32) == 0);
    }
    tco_cleanse(buf, sizeof(buf));
    return 0;
}

tco_status tco_run_selftest(tco_dev *dev)
{
    tco_slot s;
    int bad;

    if (tco_slot_alloc(dev, &s) != TCO_OK)
        return TCO_ERR_NO_FREE_SLOT;
    bad = kat_run(dev, s);
    if (tco_key_erase(dev, s) != TCO_OK)
        bad = 1;
    tco_slot_mark(dev, s, false); /* free again even when a failing device refused the erase */
    if (bad)
        tco_log(dev, TCO_LOG_ERROR, "self-test: known answer mismatch");
    return bad ? TCO_ERR_SELFTEST : TCO_OK;
}
