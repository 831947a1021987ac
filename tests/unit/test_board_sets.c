/* SPDX-License-Identifier: Apache-2.0 */
/* The host library against the engine sets of the board builds (docs/boards.md), simulated
 * through the sim transport's build argument: sim:?build=up5k is tco_sim_top with the
 * iCEBreaker's set (AES = 1, HASH = SHA1 = SRTP = WRAP = 0), sim:?build=hx8k with the HX8K's
 * (AES and the SHA-256 hash engine; SHA1 = SRTP = WRAP = 0), both store and forward as on the
 * boards (NBUF = 1, RSP = 0); make test builds them next to $TCO_SIM_LIB. tco_open runs the
 * self-test on what the device reports and succeeds; INFO's capabilities name exactly that
 * set; AES block / CTR, GSM c3 and Milenage (every E_K on the device, K in a slot) equal soft:
 * byte for byte and TS 35.208 set 1; on the HX8K set the KDF and HMAC-SHA-256 equal soft:
 * too; the calls of the engines left out return TCO_ERR_UNSUPPORTED and write nothing. The
 * build argument's errors: an unknown build, build with lib. Without $TCO_SIM_LIB it says so
 * and checks nothing (test-unit runs soft: only). */
#include "tcheck.h"
#include "tco.h"
#include "tco_milenage.h"
#include "tco_srtp.h"

#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

/* a key in a fresh slot of each handle */
static void load2(tco_dev *a, tco_dev *b, const uint8_t *k, size_t n, uint32_t attrs, tco_slot *sa,
                  tco_slot *sb)
{
    CHECK_ST(tco_slot_alloc(a, sa), TCO_OK);
    CHECK_ST(tco_slot_alloc(b, sb), TCO_OK);
    CHECK_ST(tco_key_load(a, *sa, k, n, attrs), TCO_OK);
    CHECK_ST(tco_key_load(b, *sb, k, n, attrs), TCO_OK);
}

/* The checks of one board build; hash: the build has the SHA-256 hash engine (HX8K). */
static void board(const char *build, int hash)
{
    char uri[64];
    tco_dev *dev = NULL, *soft = NULL;
    tco_info info;
    uint32_t want = TCO_CAP_AES128 | TCO_CAP_AES256 | TCO_CAP_AES_CTR | TCO_CAP_GSM_C3 | TCO_CAP_HW;

    if (hash)
        want |= TCO_CAP_HMAC_SHA256 | TCO_CAP_KDF | TCO_CAP_KDF_SLOT_PARAM;
    snprintf(uri, sizeof(uri), "sim:?build=%s", build);
    CHECK_ST(tco_open(&dev, uri), TCO_OK); /* the self-test passes on the build's engines */
    CHECK_ST(tco_open(&soft, "soft:"), TCO_OK);
    if (dev == NULL || soft == NULL) {
        tco_close(dev);
        tco_close(soft);
        return;
    }
    printf("%s: %s\n", build, uri);

    CHECK_ST(tco_get_info(dev, &info), TCO_OK);
    CHECK(info.caps == want);

    /* AES block (128 and 256) and CTR of every length 0..100 and a long one, against soft: */
    {
        int bad = 0, total = 0;
        for (size_t kl = 16; kl <= 32; kl += 16) {
            uint8_t k[32], in[16], o1[16], o2[16];
            tco_slot sa, sb;
            RAND_bytes(k, sizeof(k));
            load2(dev, soft, k, kl, TCO_USE_AES, &sa, &sb);
            for (int i = 0; i < 20; i++, total++) {
                RAND_bytes(in, 16);
                if (tco_aes_block(dev, sa, in, o1) != TCO_OK || tco_aes_block(soft, sb, in, o2) != TCO_OK ||
                    memcmp(o1, o2, 16) != 0)
                    bad++;
            }
            for (size_t n = 0; n <= 100; n++, total++) {
                uint8_t ctr[16], msg[100], c1[100], c2[100];
                RAND_bytes(ctr, 16);
                RAND_bytes(msg, sizeof(msg));
                ctr[12] = 0; /* no counter wrap */
                if (tco_aes_ctr(dev, sa, ctr, 128, msg, c1, n) != TCO_OK ||
                    tco_aes_ctr(soft, sb, ctr, 128, msg, c2, n) != TCO_OK || memcmp(c1, c2, n) != 0)
                    bad++;
            }
            {
                static uint8_t msg[5000], c1[5000], c2[5000];
                uint8_t ctr[16] = {0};
                RAND_bytes(msg, sizeof(msg));
                total++;
                if (tco_aes_ctr(dev, sa, ctr, 32, msg, c1, sizeof(msg)) != TCO_OK ||
                    tco_aes_ctr(soft, sb, ctr, 32, msg, c2, sizeof(msg)) != TCO_OK ||
                    memcmp(c1, c2, sizeof(msg)) != 0)
                    bad++;
            }
            tco_key_erase(dev, sa);
            tco_key_erase(soft, sb);
        }
        CHECK_CASES("AES block / CTR on the AES-only device vs soft:", bad, total);
    }

    /* GSM c3 */
    {
        uint8_t ck[16], ik[16], kc1[8], kc2[8];
        tco_slot ca, cb, ia, ib;
        RAND_bytes(ck, 16);
        RAND_bytes(ik, 16);
        /* keys the host loads go to c3 only if releasable (docs/keys.md) */
        load2(dev, soft, ck, 16, TCO_USE_GSM_C3 | TCO_ATTR_EXPORTABLE, &ca, &cb);
        load2(dev, soft, ik, 16, TCO_USE_GSM_C3 | TCO_ATTR_EXPORTABLE, &ia, &ib);
        CHECK_ST(tco_gsm_c3(dev, ca, ia, kc1), TCO_OK);
        CHECK_ST(tco_gsm_c3(soft, cb, ib, kc2), TCO_OK);
        CHECK(memcmp(kc1, kc2, 8) == 0);
    }

    /* Milenage, TS 35.208 set 1, K in a slot of the device */
    {
        uint8_t k[16], rnd[16], sqn[6], amf[2], op[16], opc1[16], opc2[16], want_opc[16], want_res[8];
        tco_milenage_out o1, o2;
        tco_slot sa, sb;
        unhex("465b5ce8b199b49faa5f0a2ee238a6bc", k, sizeof(k));
        unhex("23553cbe9637a89d218ae64dae47bf35", rnd, sizeof(rnd));
        unhex("ff9bb4d0b607", sqn, sizeof(sqn));
        unhex("b9b9", amf, sizeof(amf));
        unhex("cdc202d5123e20f62b6d676ac72cb318", op, sizeof(op));
        unhex("cd63cb71954a9f4e48a5994e37a02baf", want_opc, sizeof(want_opc));
        unhex("a54211d5e3ba50bf", want_res, sizeof(want_res));
        load2(dev, soft, k, 16, TCO_USE_AES, &sa, &sb);
        CHECK_ST(tco_milenage_opc(dev, sa, op, opc1), TCO_OK);
        CHECK_ST(tco_milenage_opc(soft, sb, op, opc2), TCO_OK);
        CHECK(memcmp(opc1, want_opc, 16) == 0 && memcmp(opc2, want_opc, 16) == 0);
        CHECK_ST(tco_milenage(dev, sa, opc1, rnd, sqn, amf, &o1), TCO_OK);
        CHECK_ST(tco_milenage(soft, sb, opc2, rnd, sqn, amf, &o2), TCO_OK);
        CHECK(memcmp(&o1, &o2, sizeof(o1)) == 0);
        CHECK(memcmp(o1.res, want_res, 8) == 0);
    }

    /* the engines left out: TCO_ERR_UNSUPPORTED, outputs untouched */
    {
        uint8_t k[32], out[64], zero[64] = {0};
        size_t n = 0;
        tco_slot s, d, w;
        tco_srtp_policy pol;
        tco_srtp *srtp = NULL;
        RAND_bytes(k, sizeof(k));
        CHECK_ST(tco_slot_alloc(dev, &s), TCO_OK);
        CHECK_ST(tco_slot_alloc(dev, &d), TCO_OK);
        CHECK_ST(tco_slot_alloc(dev, &w), TCO_OK);
        /* keys the missing engines would take (one role each: docs/keys.md) */
        CHECK_ST(tco_key_load(dev, s, k, 32, TCO_USE_HMAC | TCO_USE_KDF | TCO_USE_KDF_OUT),
                 TCO_OK);
        CHECK_ST(tco_key_load(dev, w, k, 32, TCO_USE_WRAP), TCO_OK);
        CHECK_ST(tco_key_load(dev, d, k, 16, TCO_USE_AES | TCO_ATTR_EXTRACTABLE), TCO_OK);
        memset(out, 0, sizeof(out));
        if (!hash) {
            CHECK_ST(tco_hmac(dev, s, TCO_HASH_SHA256, (const uint8_t *)"abc", 3, out, sizeof(out), &n),
                     TCO_ERR_UNSUPPORTED);
            {
                static const uint8_t p[2] = {1, 2};
                const tco_kdf_param par = {.data = p, .len = 2};
                CHECK_ST(tco_kdf(dev, s, 0x10, &par, 1, out), TCO_ERR_UNSUPPORTED);
            }
        }
        CHECK_ST(tco_hmac(dev, s, TCO_HASH_SHA1, (const uint8_t *)"abc", 3, out, sizeof(out), &n),
                 TCO_ERR_UNSUPPORTED);
        CHECK_ST(tco_key_wrap(dev, w, d, out, sizeof(out), &n), TCO_ERR_UNSUPPORTED);
        CHECK(memcmp(out, zero, sizeof(out)) == 0);
        memset(&pol, 0, sizeof(pol));
        pol.profile = TCO_SRTP_AES128_CM_SHA1_80;
        CHECK_ST(tco_srtp_create(dev, &pol, &srtp), TCO_ERR_UNSUPPORTED);
        CHECK(srtp == NULL);
    }

    /* the hash engine of the HX8K set: KDF and HMAC-SHA-256 against soft: */
    if (hash) {
        int bad = 0, total = 0;
        uint8_t k[32];
        tco_slot sa, sb;
        RAND_bytes(k, sizeof(k));
        load2(dev, soft, k, 32, TCO_USE_HMAC | TCO_USE_KDF | TCO_USE_KDF_OUT, &sa, &sb);
        for (int i = 0; i < 40; i++, total += 2) {
            uint8_t m[200], p1[40], o1[64], o2[64];
            size_t ml = (size_t)i * 5, pl = 1 + (size_t)i % 40, n1 = 0, n2 = 0;
            tco_kdf_param par = {0};
            RAND_bytes(m, sizeof(m));
            RAND_bytes(p1, sizeof(p1));
            if (tco_hmac(dev, sa, TCO_HASH_SHA256, m, ml, o1, sizeof(o1), &n1) != TCO_OK ||
                tco_hmac(soft, sb, TCO_HASH_SHA256, m, ml, o2, sizeof(o2), &n2) != TCO_OK || n1 != 32 ||
                n2 != 32 || memcmp(o1, o2, 32) != 0)
                bad++;
            par.data = p1;
            par.len = pl;
            if (tco_kdf(dev, sa, (uint8_t)(0x10 + i), &par, 1, o1) != TCO_OK ||
                tco_kdf(soft, sb, (uint8_t)(0x10 + i), &par, 1, o2) != TCO_OK || memcmp(o1, o2, 32) != 0)
                bad++;
        }
        CHECK_CASES("KDF and HMAC-SHA-256 on the HX8K set vs soft:", bad, total);
    }

    tco_close(dev);
    tco_close(soft);
}

int main(void)
{
    const char *lib = getenv("TCO_SIM_LIB");
    tco_dev *d = NULL;

    if (lib == NULL || *lib == '\0') {
        printf("skip: TCO_SIM_LIB is not set (make test builds the simulated devices)\n");
        return t_done("test_board_sets");
    }
    board("up5k", 0);
    board("hx8k", 1);
    /* the build argument's errors */
    CHECK_ST(tco_open(&d, "sim:?build=ecp5"), TCO_ERR_BAD_URI);
    CHECK(d == NULL);
    CHECK_ST(tco_open(&d, "sim:?build=up5k&lib=/nonexistent/libtcosim.so.0"), TCO_ERR_BAD_URI);
    CHECK_ST(tco_open(&d, "sim:?build="), TCO_ERR_BAD_URI);
    CHECK(d == NULL);
    return t_done("test_board_sets");
}
