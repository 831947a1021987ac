/* SPDX-License-Identifier: Apache-2.0 */
/* kdf3gpp: 3GPP key derivations on engine ops only (runs unchanged on every backend). */
#include "tco_priv.h"

#include <string.h>

static void be32(uint8_t b[4], uint32_t v)
{
    b[0] = (uint8_t)(v >> 24);
    b[1] = (uint8_t)(v >> 16);
    b[2] = (uint8_t)(v >> 8);
    b[3] = (uint8_t)v;
}

/* The key of a derivation must be a 256-bit key (K_ASME, CK||IK, K_RNC*). */
static tco_status need_256(tco_dev *dev, tco_slot slot)
{
    size_t len = 0;
    uint32_t attrs = 0;
    tco_status st = tco_key_info(dev, slot, &len, &attrs);

    if (st != TCO_OK)
        return st;
    if (len == 0)
        return TCO_ERR_SLOT_EMPTY;
    return len == 32 ? TCO_OK : TCO_ERR_KEY_LENGTH;
}

/* TS 33.401 A.8 (handover, FC 0x16, NAS downlink COUNT) and A.13 (idle mobility, FC 0x1B,
 * NAS uplink COUNT): S = FC || COUNT (4 octets, big-endian) || 00 04;
 * CK' = 128 MSBs, IK' = 128 LSBs of KDF(K_ASME, S). */
tco_status tco_derive_ckik_prime(tco_dev *dev, tco_slot kasme_slot, tco_transfer kind,
                                 uint32_t count, tco_slot ck_slot, uint32_t ck_attrs,
                                 tco_slot ik_slot, uint32_t ik_attrs)
{
    uint8_t c[4];
    tco_kdf_param p0 = {.data = c, .len = 4};
    tco_kdf_dest d = {.split = TCO_SPLIT_HALVES,
                      .slot_a = ck_slot, .attrs_a = ck_attrs,
                      .slot_b = ik_slot, .attrs_b = ik_attrs};
    tco_status st;

    if (dev == NULL || (kind != TCO_TRANSFER_HANDOVER && kind != TCO_TRANSFER_IDLE))
        return TCO_ERR_INVALID_ARG;
    if (count > TCO_NAS_COUNT_MAX)
        return TCO_ERR_RANGE;
    if (kasme_slot >= dev->num_slots)
        return TCO_ERR_NO_SLOT;
    st = need_256(dev, kasme_slot);
    if (st != TCO_OK)
        return st;
    be32(c, count);
    return tco_kdf_derive(dev, kasme_slot,
                          kind == TCO_TRANSFER_HANDOVER ? TCO_FC_CKIK_HANDOVER : TCO_FC_CKIK_IDLE,
                          &p0, 1, &d);
}

/* Project HSPA+ hierarchy (docs/derivations.md §3): K_RNC = KDF(CK||IK, F0 || F || len(F)). */
tco_status tco_hspa_k_rnc(tco_dev *dev, tco_slot ckik_slot, const uint8_t *fresh,
                          size_t fresh_len, tco_slot out_slot, uint32_t attrs)
{
    tco_kdf_param p0 = {.data = fresh, .len = fresh_len};
    tco_kdf_dest d = {.split = TCO_SPLIT_FULL, .slot_a = out_slot, .attrs_a = attrs};
    tco_status st;

    if (dev == NULL || (fresh == NULL && fresh_len > 0))
        return TCO_ERR_INVALID_ARG;
    if (fresh_len > TCO_HSPA_FRESH_MAX)
        return TCO_ERR_RANGE;
    if (ckik_slot >= dev->num_slots)
        return TCO_ERR_NO_SLOT;
    st = need_256(dev, ckik_slot);
    if (st != TCO_OK)
        return st;
    return tco_kdf_derive(dev, ckik_slot, TCO_FC_K_RNC, &p0, 1, &d);
}

/* K_RNC*(n) = KDF(CK||IK, F1 || K_RNC*(n-1) || 00 20 || NCC_n || 00 01); the previous chain
 * value is read inside the device (a slot parameter). */
tco_status tco_hspa_k_rnc_star(tco_dev *dev, tco_slot ckik_slot, tco_slot prev_slot,
                               unsigned ncc, tco_slot out_slot, uint32_t attrs)
{
    uint8_t n8;
    tco_kdf_param p[2];
    tco_kdf_dest d = {.split = TCO_SPLIT_FULL, .slot_a = out_slot, .attrs_a = attrs};
    tco_status st;

    if (dev == NULL)
        return TCO_ERR_INVALID_ARG;
    if (ncc < 1 || ncc > 255)
        return TCO_ERR_RANGE;
    if (ckik_slot >= dev->num_slots || prev_slot >= dev->num_slots)
        return TCO_ERR_NO_SLOT;
    st = need_256(dev, ckik_slot);
    if (st == TCO_OK)
        st = need_256(dev, prev_slot);
    if (st != TCO_OK)
        return st;
    n8 = (uint8_t)ncc;
    memset(p, 0, sizeof(p));
    p[0].from_slot = 1;
    p[0].slot = prev_slot;
    p[0].len = 32;
    p[1].data = &n8;
    p[1].len = 1;
    return tco_kdf_derive(dev, ckik_slot, TCO_FC_K_RNC_STAR, p, 2, &d);
}

/* CK_U / IK_U = 128 LSBs of KDF(K_RNC*, F2 || type || 00 01 || alg-id || 00 01). */
tco_status tco_hspa_alg_key(tco_dev *dev, tco_slot krnc_slot, tco_hspa_key_type type,
                            unsigned alg, tco_slot out_slot, uint32_t attrs)
{
    uint8_t t8, a8;
    tco_kdf_param p[2];
    tco_kdf_dest d = {.split = TCO_SPLIT_LSB128, .slot_a = out_slot, .attrs_a = attrs};
    tco_status st;

    if (dev == NULL || (type != TCO_HSPA_CK_U && type != TCO_HSPA_IK_U))
        return TCO_ERR_INVALID_ARG;
    if (alg > 255)
        return TCO_ERR_RANGE;
    if (krnc_slot >= dev->num_slots)
        return TCO_ERR_NO_SLOT;
    st = need_256(dev, krnc_slot);
    if (st != TCO_OK)
        return st;
    t8 = (uint8_t)type;
    a8 = (uint8_t)alg;
    memset(p, 0, sizeof(p));
    p[0].data = &t8;
    p[0].len = 1;
    p[1].data = &a8;
    p[1].len = 1;
    return tco_kdf_derive(dev, krnc_slot, TCO_FC_HSPA_ALG_KEY, p, 2, &d);
}
