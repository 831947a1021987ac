/* SPDX-License-Identifier: Apache-2.0 */
/* milenage: 3GPP TS 35.206 f1..f5* on the engine's AES block (K stays in its slot). */
#include "tco_milenage.h"
#include "tco_priv.h"

#include <string.h>

/* TS 35.206 §4.1 default constants: r1..r5 (bits, all multiples of 8) and the last octet of
 * c1..c5 (the other 15 octets are zero). Index 0 is OUT1, 1..4 are OUT2..OUT5. */
static const unsigned rot_bits[5] = {64, 0, 32, 64, 96};
static const uint8_t c_last[5] = {0x00, 0x01, 0x02, 0x04, 0x08};

enum { OUT1, OUT2, OUT3, OUT4, OUT5 };

/* K must be a 16-octet key with TCO_USE_AES (TS 35.206 §2: 128-bit K; a 32-octet key would
 * silently turn E_K into AES-256). Checked once per call so the status is clear before any
 * engine work. */
static tco_status check_k(tco_dev *dev, tco_slot k_slot)
{
    size_t len = 0;
    uint32_t attrs = 0;
    tco_status st = tco_key_info(dev, k_slot, &len, &attrs);

    if (st != TCO_OK)
        return st;
    if (len == 0)
        return TCO_ERR_SLOT_EMPTY;
    if (!(attrs & TCO_USE_AES))
        return TCO_ERR_USAGE;
    return len == TCO_MILENAGE_K_LEN ? TCO_OK : TCO_ERR_KEY_LENGTH;
}

/* y = rot(x, r) for r a multiple of 8: cyclic rotation towards the MSB (octet 0). */
static void rot(uint8_t y[16], const uint8_t x[16], unsigned r)
{
    unsigned s = r / 8;

    for (unsigned i = 0; i < 16; i++)
        y[i] = x[(i + s) % 16];
}

/* TEMP = E_K(RAND xor OPc). */
static tco_status milenage_temp(tco_dev *dev, tco_slot k, const uint8_t opc[16],
                                const uint8_t rand[16], uint8_t temp[16])
{
    uint8_t x[16];
    tco_status st;

    for (unsigned i = 0; i < 16; i++)
        x[i] = (uint8_t)(rand[i] ^ opc[i]);
    st = tco_aes_block(dev, k, x, temp);
    tco_cleanse(x, sizeof(x));
    return st;
}

/* OUT1 = E_K(TEMP xor rot(IN1 xor OPc, r1) xor c1) xor OPc, IN1 = SQN || AMF || SQN || AMF. */
static tco_status milenage_out1(tco_dev *dev, tco_slot k, const uint8_t opc[16],
                                const uint8_t temp[16], const uint8_t sqn[6], const uint8_t amf[2],
                                uint8_t out[16])
{
    uint8_t in1[16], x[16];
    tco_status st;

    memcpy(in1, sqn, 6);
    memcpy(in1 + 6, amf, 2);
    memcpy(in1 + 8, sqn, 6);
    memcpy(in1 + 14, amf, 2);
    for (unsigned i = 0; i < 16; i++)
        in1[i] ^= opc[i];
    rot(x, in1, rot_bits[OUT1]);
    for (unsigned i = 0; i < 16; i++)
        x[i] ^= temp[i];
    x[15] ^= c_last[OUT1];
    st = tco_aes_block(dev, k, x, out);
    if (st == TCO_OK) {
        for (unsigned i = 0; i < 16; i++)
            out[i] ^= opc[i];
    }
    tco_cleanse(in1, sizeof(in1));
    tco_cleanse(x, sizeof(x));
    return st;
}

/* OUTn = E_K(rot(TEMP xor OPc, rn) xor cn) xor OPc, n = 2..5 (idx OUT2..OUT5). */
static tco_status milenage_outn(tco_dev *dev, tco_slot k, const uint8_t opc[16],
                                const uint8_t temp[16], unsigned idx, uint8_t out[16])
{
    uint8_t t[16], x[16];
    tco_status st;

    for (unsigned i = 0; i < 16; i++)
        t[i] = (uint8_t)(temp[i] ^ opc[i]);
    rot(x, t, rot_bits[idx]);
    x[15] ^= c_last[idx];
    st = tco_aes_block(dev, k, x, out);
    if (st == TCO_OK) {
        for (unsigned i = 0; i < 16; i++)
            out[i] ^= opc[i];
    }
    tco_cleanse(t, sizeof(t));
    tco_cleanse(x, sizeof(x));
    return st;
}

/* Spread OUT2..OUT5 over the output struct (f2, f3, f4, f5, f5*). */
static void put_out2345(tco_milenage_out *m, const uint8_t o2[16], const uint8_t o3[16],
                        const uint8_t o4[16], const uint8_t o5[16])
{
    memcpy(m->res, o2 + 8, 8);
    memcpy(m->ak, o2, 6);
    memcpy(m->ck, o3, 16);
    memcpy(m->ik, o4, 16);
    memcpy(m->ak_star, o5, 6);
}

/* TS 35.206 §4.1: OPc = OP xor E_K(OP). */
tco_status tco_milenage_opc(tco_dev *dev, tco_slot k_slot, const uint8_t op[16], uint8_t opc[16])
{
    uint8_t e[16];
    tco_status st;

    if (dev == NULL || op == NULL || opc == NULL)
        return TCO_ERR_INVALID_ARG;
    st = check_k(dev, k_slot);
    if (st == TCO_OK)
        st = tco_aes_block(dev, k_slot, op, e);
    if (st == TCO_OK) {
        for (unsigned i = 0; i < 16; i++)
            opc[i] = (uint8_t)(op[i] ^ e[i]);
    }
    tco_cleanse(e, sizeof(e));
    return st;
}

/* TS 35.206 §4.1: f1, f1* from OUT1; f2, f5 from OUT2; f3 = OUT3; f4 = OUT4; f5* from OUT5. */
tco_status tco_milenage(tco_dev *dev, tco_slot k_slot, const uint8_t opc[16],
                        const uint8_t rand[16], const uint8_t sqn[6], const uint8_t amf[2],
                        tco_milenage_out *out)
{
    uint8_t temp[16], o[5][16];
    tco_milenage_out m;
    tco_status st;

    if (dev == NULL || opc == NULL || rand == NULL || sqn == NULL || amf == NULL || out == NULL)
        return TCO_ERR_INVALID_ARG;
    st = check_k(dev, k_slot);
    if (st == TCO_OK)
        st = milenage_temp(dev, k_slot, opc, rand, temp);
    if (st == TCO_OK)
        st = milenage_out1(dev, k_slot, opc, temp, sqn, amf, o[OUT1]);
    for (unsigned n = OUT2; n <= OUT5 && st == TCO_OK; n++)
        st = milenage_outn(dev, k_slot, opc, temp, n, o[n]);
    if (st == TCO_OK) {
        memcpy(m.mac_a, o[OUT1], 8);
        memcpy(m.mac_s, o[OUT1] + 8, 8);
        put_out2345(&m, o[OUT2], o[OUT3], o[OUT4], o[OUT5]);
        *out = m;
    }
    tco_cleanse(temp, sizeof(temp));
    tco_cleanse(o, sizeof(o));
    tco_cleanse(&m, sizeof(m));
    return st;
}

/* TS 33.102 §6.3.2: AUTN = SQN xor AK || AMF || MAC-A. */
tco_status tco_milenage_autn(const uint8_t sqn[6], const uint8_t amf[2], const tco_milenage_out *m,
                             uint8_t autn[16])
{
    if (sqn == NULL || amf == NULL || m == NULL || autn == NULL)
        return TCO_ERR_INVALID_ARG;
    for (unsigned i = 0; i < 6; i++)
        autn[i] = (uint8_t)(sqn[i] ^ m->ak[i]);
    memcpy(autn + 6, amf, 2);
    memcpy(autn + 8, m->mac_a, 8);
    return TCO_OK;
}

/* TS 33.102 §6.3.3 (USIM): recover SQN with AK = f5(RAND), verify MAC-A = f1(SQN, AMF). */
tco_status tco_milenage_check_autn(tco_dev *dev, tco_slot k_slot, const uint8_t opc[16],
                                   const uint8_t rand[16], const uint8_t autn[16], uint8_t sqn[6],
                                   tco_milenage_out *out)
{
    uint8_t temp[16], o[5][16], s[6];
    tco_milenage_out m;
    tco_status st;

    if (dev == NULL || opc == NULL || rand == NULL || autn == NULL)
        return TCO_ERR_INVALID_ARG;
    st = check_k(dev, k_slot);
    if (st == TCO_OK)
        st = milenage_temp(dev, k_slot, opc, rand, temp);
    if (st == TCO_OK)
        st = milenage_outn(dev, k_slot, opc, temp, OUT2, o[OUT2]);
    if (st == TCO_OK) {
        for (unsigned i = 0; i < 6; i++)
            s[i] = (uint8_t)(autn[i] ^ o[OUT2][i]);
        st = milenage_out1(dev, k_slot, opc, temp, s, autn + 6, o[OUT1]);
    }
    if (st == TCO_OK && tco_ct_memcmp(o[OUT1], autn + 8, 8) != 0)
        st = TCO_ERR_AUTH;
    if (out != NULL) {
        for (unsigned n = OUT3; n <= OUT5 && st == TCO_OK; n++)
            st = milenage_outn(dev, k_slot, opc, temp, n, o[n]);
    }
    if (st == TCO_OK) {
        if (out != NULL) {
            memcpy(m.mac_a, o[OUT1], 8);
            memcpy(m.mac_s, o[OUT1] + 8, 8);
            put_out2345(&m, o[OUT2], o[OUT3], o[OUT4], o[OUT5]);
            *out = m;
        }
        if (sqn != NULL)
            memcpy(sqn, s, 6);
    }
    tco_cleanse(temp, sizeof(temp));
    tco_cleanse(o, sizeof(o));
    tco_cleanse(s, sizeof(s));
    tco_cleanse(&m, sizeof(m));
    return st;
}

/* MAC-S = f1*(SQN_MS, RAND, AMF = 0000) into mac_s, AK* = f5*(RAND) into ak_star
 * (TS 33.102 §6.3.3: the AMF used for MAC-S is a dummy value of all zeros). */
static tco_status resync_parts(tco_dev *dev, tco_slot k_slot, const uint8_t opc[16],
                               const uint8_t rand[16], const uint8_t *sqn_ms,
                               const uint8_t auts_sqn[6], uint8_t sqn_out[6], uint8_t mac_s[8])
{
    static const uint8_t amf0[2] = {0, 0};
    uint8_t temp[16], o1[16], o5[16], s[6];
    tco_status st = milenage_temp(dev, k_slot, opc, rand, temp);

    if (st == TCO_OK)
        st = milenage_outn(dev, k_slot, opc, temp, OUT5, o5);
    if (st == TCO_OK) {
        if (sqn_ms != NULL) { /* USIM: conceal SQN_MS */
            memcpy(s, sqn_ms, 6);
            for (unsigned i = 0; i < 6; i++)
                sqn_out[i] = (uint8_t)(sqn_ms[i] ^ o5[i]);
        } else { /* AuC: reveal SQN_MS */
            for (unsigned i = 0; i < 6; i++)
                s[i] = (uint8_t)(auts_sqn[i] ^ o5[i]);
            memcpy(sqn_out, s, 6);
        }
        st = milenage_out1(dev, k_slot, opc, temp, s, amf0, o1);
    }
    if (st == TCO_OK)
        memcpy(mac_s, o1 + 8, 8);
    tco_cleanse(temp, sizeof(temp));
    tco_cleanse(o1, sizeof(o1));
    tco_cleanse(o5, sizeof(o5));
    tco_cleanse(s, sizeof(s));
    return st;
}

/* TS 33.102 §6.3.3: AUTS = SQN_MS xor AK* || MAC-S. */
tco_status tco_milenage_auts(tco_dev *dev, tco_slot k_slot, const uint8_t opc[16],
                             const uint8_t rand[16], const uint8_t sqn_ms[6], uint8_t auts[14])
{
    uint8_t a[14];
    tco_status st;

    if (dev == NULL || opc == NULL || rand == NULL || sqn_ms == NULL || auts == NULL)
        return TCO_ERR_INVALID_ARG;
    st = check_k(dev, k_slot);
    if (st == TCO_OK)
        st = resync_parts(dev, k_slot, opc, rand, sqn_ms, NULL, a, a + 6);
    if (st == TCO_OK)
        memcpy(auts, a, sizeof(a));
    tco_cleanse(a, sizeof(a));
    return st;
}

/* TS 33.102 §6.3.5: the AuC recovers SQN_MS from AUTS and verifies MAC-S. */
tco_status tco_milenage_resync(tco_dev *dev, tco_slot k_slot, const uint8_t opc[16],
                               const uint8_t rand[16], const uint8_t auts[14], uint8_t sqn_ms[6])
{
    uint8_t s[6], mac[8];
    tco_status st;

    if (dev == NULL || opc == NULL || rand == NULL || auts == NULL || sqn_ms == NULL)
        return TCO_ERR_INVALID_ARG;
    st = check_k(dev, k_slot);
    if (st == TCO_OK)
        st = resync_parts(dev, k_slot, opc, rand, NULL, auts, s, mac);
    if (st == TCO_OK && tco_ct_memcmp(mac, auts + 6, 8) != 0)
        st = TCO_ERR_AUTH;
    if (st == TCO_OK)
        memcpy(sqn_ms, s, 6);
    tco_cleanse(s, sizeof(s));
    tco_cleanse(mac, sizeof(mac));
    return st;
}
