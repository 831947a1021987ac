/* SPDX-License-Identifier: Apache-2.0 */
/* Reads the whole byte stream of a sim: session that derives CK'/IK' (and an HSPA+ chain)
 * into non-exportable slots, and finds no derived key on the wire: no 8-octet piece of any
 * of them in either direction. K_ASME and CK||IK cross once, host to device, in KEY_WRITE. */
#include "tcheck.h"
#include "tco.h"
#include "tco_priv.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

static uint8_t wire[2][1 << 20];
static size_t wire_len[2];

static void tap(void *user, int dir, const uint8_t *p, size_t n)
{
    (void)user;
    if (wire_len[dir] + n <= sizeof(wire[dir])) {
        memcpy(wire[dir] + wire_len[dir], p, n);
        wire_len[dir] += n;
    }
}

/* Occurrences of any 8-octet window of secret[0..n) in the stream of one direction. */
static int pieces_on_wire(int dir, const uint8_t *secret, size_t n)
{
    int hits = 0;

    for (size_t k = 0; k + 8 <= n; k++)
        for (size_t i = 0; i + 8 <= wire_len[dir]; i++)
            hits += memcmp(wire[dir] + i, secret + k, 8) == 0;
    return hits;
}

static void kdf_ref(const uint8_t *key, size_t kl, const uint8_t *s, size_t sl, uint8_t out[32])
{
    unsigned ol = 0;
    HMAC(EVP_sha256(), key, (int)kl, s, sl, out, &ol);
}

int main(void)
{
    uint8_t kasme[32], ckik[32], ref[32], krnc[32], krnc1[32], cku[32], iku[32], kc[8], x[32];
    size_t n;
    tco_dev *d = NULL;
    tco_slot ks, ck, ik, root;
    tco_hspa *h = NULL;
    tco_slot air_c, air_i;

    t_seed(0x3173);
    t_fill(kasme, 32);
    t_fill(ckik, 32);
    CHECK_ST(tco_open(&d, getenv("TCO_COSIM_DEV") ? getenv("TCO_COSIM_DEV") : "sim:"), TCO_OK);
    if (d == NULL)
        return t_done("test_wire");
    tco_wire_set_tap(d, tap, NULL);

    /* CK'/IK' at handover, kept in the device; Kc goes to the host by design */
    tco_slot_alloc(d, &ks);
    CHECK_ST(tco_key_load(d, ks, kasme, 32, TCO_USE_KDF), TCO_OK);
    tco_slot_alloc(d, &ck);
    tco_slot_alloc(d, &ik);
    CHECK_ST(tco_derive_ckik_prime(d, ks, TCO_TRANSFER_HANDOVER, 0x0102, ck, TCO_USE_GSM_C3, ik,
                                   TCO_USE_GSM_C3), TCO_OK);
    CHECK_ST(tco_gsm_c3(d, ck, ik, kc), TCO_OK);
    CHECK_ST(tco_key_read(d, ck, x, 32, &n), TCO_ERR_NOT_EXPORTABLE);
    CHECK_ST(tco_key_read(d, ks, x, 32, &n), TCO_ERR_NOT_EXPORTABLE);
    CHECK_ST(tco_kdf(d, ks, 0x16, NULL, 0, x), TCO_ERR_USAGE); /* no KDF output to the host */

    /* HSPA+ chain on the UE side, all in the device */
    tco_slot_alloc(d, &root);
    CHECK_ST(tco_key_load(d, root, ckik, 32, TCO_USE_KDF), TCO_OK);
    CHECK_ST(tco_hspa_new(d, root, NULL, 0, 0, &h), TCO_OK);
    CHECK_ST(tco_hspa_step(h), TCO_OK);
    CHECK_ST(tco_hspa_air_keys(h, 1, 1, 0, &air_c, &air_i), TCO_OK);

    /* the same values, computed here */
    {
        const uint8_t s_ho[7] = {0x16, 0, 0, 0x01, 0x02, 0, 4};
        const uint8_t s_krnc[3] = {0xf0, 0, 0};
        uint8_t s1[38], s2[7] = {0xf2, 1, 0, 1, 1, 0, 1};
        uint8_t kc_ref[8];
        kdf_ref(kasme, 32, s_ho, sizeof(s_ho), ref);
        for (int i = 0; i < 8; i++)
            kc_ref[i] = ref[i] ^ ref[8 + i] ^ ref[16 + i] ^ ref[24 + i];
        CHECK(memcmp(kc, kc_ref, 8) == 0); /* the derivation really happened */
        kdf_ref(ckik, 32, s_krnc, sizeof(s_krnc), krnc);
        s1[0] = 0xf1;
        memcpy(s1 + 1, krnc, 32);
        s1[33] = 0;
        s1[34] = 0x20;
        s1[35] = 1;
        s1[36] = 0;
        s1[37] = 1;
        kdf_ref(ckik, 32, s1, 38, krnc1);
        kdf_ref(krnc1, 32, s2, 7, cku);
        s2[1] = 2;
        kdf_ref(krnc1, 32, s2, 7, iku);
    }
    for (int dir = 0; dir < 2; dir++) {
        CHECK(pieces_on_wire(dir, ref, 16) == 0);       /* CK' */
        CHECK(pieces_on_wire(dir, ref + 16, 16) == 0);  /* IK' */
        CHECK(pieces_on_wire(dir, krnc, 32) == 0);      /* K_RNC */
        CHECK(pieces_on_wire(dir, krnc1, 32) == 0);     /* K_RNC*(1) */
        CHECK(pieces_on_wire(dir, cku + 16, 16) == 0);  /* CK_U */
        CHECK(pieces_on_wire(dir, iku + 16, 16) == 0);  /* IK_U */
    }
    /* the roots crossed exactly once, host to device (one 8-octet window each: 25 hits) */
    CHECK(pieces_on_wire(0, kasme, 32) == 25);
    CHECK(pieces_on_wire(0, ckik, 32) == 25);
    CHECK(pieces_on_wire(1, kasme, 32) == 0);
    CHECK(pieces_on_wire(1, ckik, 32) == 0);
    CHECK(wire_len[0] > 100 && wire_len[1] > 100);
    printf("wire: %zu octets to the device, %zu back, no derived key among them\n", wire_len[0],
           wire_len[1]);
    tco_hspa_free(h);
    tco_close(d);
    return t_done("test_wire");
}
