/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file tco_milenage.h
 * @brief MILENAGE (3GPP TS 35.206): the UMTS/LTE/5G AKA functions f1, f1*, f2, f3, f4, f5,
 * f5* and OPc, with the subscriber key K in a key slot (docs/aka.md).
 *
 * Every use of the kernel function E_K is one tco_aes_block on the engine, so K is loaded once
 * into a slot (16 octets, TCO_USE_AES, normally not TCO_ATTR_EXPORTABLE) and never comes back
 * to the host; the same code runs on soft: and on a device. The XORs, rotations and the AUTN /
 * AUTS layout of TS 33.102 §6.3 run here. The r and c constants are the defaults of TS 35.206
 * §4.1 (r1..r5 = 64, 0, 32, 64, 96; c1..c5 = 0, 1, 2, 4, 8 in the last octet).
 *
 * A slot with TCO_USE_AES lets whoever holds the handle compute E_K of any block: that is
 * what Milenage needs, and it is no more than the AuC or USIM that owns K may do anyway.
 * The key model (docs/keys.md) gives an AES key no other usage bit (TCO_ERR_USAGE at load);
 * keep TCO_ATTR_EXPORTABLE and TCO_ATTR_EXTRACTABLE off so that K never leaves the device.
 *
 * Cost: OPc is one engine AES call; tco_milenage is six (TEMP, OUT1..OUT5). Intermediate
 * values (TEMP, OUTn) are zeroised before return. Outputs are written only on success.
 *
 * Thread rule: that of the device handle (one thread at a time per tco_dev).
 */
#ifndef TCO_MILENAGE_H
#define TCO_MILENAGE_H

#include "tco.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Field lengths, octets (TS 33.102 §6.3). */
#define TCO_MILENAGE_K_LEN 16u
#define TCO_MILENAGE_RAND_LEN 16u
#define TCO_MILENAGE_SQN_LEN 6u
#define TCO_MILENAGE_AMF_LEN 2u
#define TCO_MILENAGE_AUTN_LEN 16u /**< SQN xor AK || AMF || MAC-A */
#define TCO_MILENAGE_AUTS_LEN 14u /**< SQN_MS xor AK* || MAC-S */

/** The outputs of one MILENAGE run (TS 35.206 §4.1). */
typedef struct tco_milenage_out {
    uint8_t mac_a[8];   /**< f1: network authentication code, OUT1[0..63] */
    uint8_t mac_s[8];   /**< f1*: resynchronisation authentication code, OUT1[64..127] */
    uint8_t res[8];     /**< f2: RES / XRES, OUT2[64..127] */
    uint8_t ck[16];     /**< f3: cipher key, OUT3 */
    uint8_t ik[16];     /**< f4: integrity key, OUT4 */
    uint8_t ak[6];      /**< f5: anonymity key, OUT2[0..47] */
    uint8_t ak_star[6]; /**< f5*: resynchronisation anonymity key, OUT5[0..47] */
} tco_milenage_out;

/**
 * @brief OPc = OP xor E_K(OP) (TS 35.206 §4.1), with K in `k_slot`. An operator that
 * provisions OPc directly skips this call.
 * @param k_slot  16-octet key with TCO_USE_AES
 * @param op      the operator variant configuration field OP, 16 octets
 * @param opc     out: 16 octets; may be the same buffer as `op`
 * @return TCO_OK, TCO_ERR_INVALID_ARG (NULL), TCO_ERR_NO_SLOT, TCO_ERR_SLOT_EMPTY,
 *         TCO_ERR_USAGE (no TCO_USE_AES), TCO_ERR_KEY_LENGTH (K not 16 octets), device errors
 */
TCO_API tco_status tco_milenage_opc(tco_dev *dev, tco_slot k_slot, const uint8_t op[16],
                                    uint8_t opc[16]);

/**
 * @brief All seven functions for one RAND (TS 35.206 §4.1): TEMP = E_K(RAND xor OPc),
 * OUT1 = E_K(TEMP xor rot(IN1 xor OPc, r1) xor c1) xor OPc with IN1 = SQN || AMF || SQN || AMF,
 * OUTk = E_K(rot(TEMP xor OPc, rk) xor ck) xor OPc for k = 2..5.
 * @param k_slot  16-octet key K with TCO_USE_AES
 * @param opc     OPc, 16 octets (tco_milenage_opc)
 * @param rand    RAND, 16 octets
 * @param sqn     SQN, 6 octets (only f1 and f1* depend on it)
 * @param amf     AMF, 2 octets (only f1 and f1* depend on it)
 * @param out     out: every output; written only on success
 * @return as tco_milenage_opc
 */
TCO_API tco_status tco_milenage(tco_dev *dev, tco_slot k_slot, const uint8_t opc[16],
                                const uint8_t rand[16], const uint8_t sqn[6], const uint8_t amf[2],
                                tco_milenage_out *out);

/**
 * @brief AUTN = (SQN xor AK) || AMF || MAC-A (TS 33.102 §6.3.2) from the outputs of
 * tco_milenage run with the same SQN and AMF. Host arithmetic only.
 * @return TCO_OK, TCO_ERR_INVALID_ARG (NULL)
 */
TCO_API tco_status tco_milenage_autn(const uint8_t sqn[6], const uint8_t amf[2],
                                     const tco_milenage_out *m, uint8_t autn[16]);

/**
 * @brief The USIM's check of an AUTN (TS 33.102 §6.3.3): AK = f5(RAND), SQN = AUTN[0..5] xor
 * AK, AMF = AUTN[6..7], XMAC = f1(SQN, AMF), compared in constant time with AUTN[8..15].
 * Whether SQN is fresh is the caller's decision (TS 33.102 Annex C).
 * @param sqn  out: the SQN carried in AUTN (6 octets), only on success; may be NULL
 * @param out  out: every output for this RAND, SQN and AMF (RES, CK, IK, ...), only on
 *             success; may be NULL
 * @return TCO_OK, TCO_ERR_AUTH (MAC-A does not verify; nothing written), as tco_milenage_opc
 */
TCO_API tco_status tco_milenage_check_autn(tco_dev *dev, tco_slot k_slot, const uint8_t opc[16],
                                           const uint8_t rand[16], const uint8_t autn[16],
                                           uint8_t sqn[6], tco_milenage_out *out);

/**
 * @brief The USIM's resynchronisation token AUTS = (SQN_MS xor AK*) || MAC-S (TS 33.102
 * §6.3.3), where MAC-S = f1*(SQN_MS, RAND, AMF = 0000) and AK* = f5*(RAND).
 * @param sqn_ms  the highest SQN the USIM has accepted, 6 octets
 * @param auts    out: 14 octets
 * @return as tco_milenage_opc
 */
TCO_API tco_status tco_milenage_auts(tco_dev *dev, tco_slot k_slot, const uint8_t opc[16],
                                     const uint8_t rand[16], const uint8_t sqn_ms[6],
                                     uint8_t auts[14]);

/**
 * @brief The AuC's side of resynchronisation (TS 33.102 §6.3.5): SQN_MS = AUTS[0..5] xor
 * f5*(RAND), then MAC-S = f1*(SQN_MS, RAND, AMF = 0000) is compared in constant time with
 * AUTS[6..13].
 * @param sqn_ms  out: 6 octets, only on success
 * @return TCO_OK, TCO_ERR_AUTH (MAC-S does not verify; nothing written), as tco_milenage_opc
 */
TCO_API tco_status tco_milenage_resync(tco_dev *dev, tco_slot k_slot, const uint8_t opc[16],
                                       const uint8_t rand[16], const uint8_t auts[14],
                                       uint8_t sqn_ms[6]);

#ifdef __cplusplus
}
#endif

#endif /* TCO_MILENAGE_H */
