/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file tco_srtp.h
 * @brief SRTP and SRTCP (RFC 3711; AES-256-CM of RFC 6188) on a tco device.
 *
 * A session holds one or more master keys (told apart by MKI) and one stream context per
 * SSRC: ROC, highest index and replay bitmap for SRTP, the same for SRTCP. Master keys live
 * in key slots; the six session keys are derived into slots by the engine (tco_srtp_kdf) and
 * never reach the host on a device backend. Packet transforms run on the engine
 * (tco_srtp_frame); the bookkeeping of RFC 3711 §3.3 runs here, in the order the RFC gives:
 * estimate the index, pick the key by MKI, check replay, verify the tag, decrypt, and only
 * then update the stream. A packet that fails any step leaves the stream unchanged and
 * releases nothing.
 *
 * Thread rule: a session may be used by one thread at a time (it shares the device handle,
 * whose rule is the same). Different sessions on different handles are independent.
 */
#ifndef TCO_SRTP_H
#define TCO_SRTP_H

#include "tco.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Protection profiles (RFC 4568 / libsrtp names via tco_srtp_profile_by_name). */
typedef enum tco_srtp_profile {
    TCO_SRTP_AES128_CM_SHA1_80 = 1, /**< AES_CM_128_HMAC_SHA1_80 */
    TCO_SRTP_AES128_CM_SHA1_32 = 2, /**< AES_CM_128_HMAC_SHA1_32 (SRTCP tag stays 80 bits) */
    TCO_SRTP_AES256_CM_SHA1_80 = 3, /**< AES_256_CM_HMAC_SHA1_80 (RFC 6188) */
} tco_srtp_profile;

#define TCO_SRTP_MAX_MKI 16u      /**< longest MKI, octets */
#define TCO_SRTP_MAX_KEYS 8u      /**< master keys per session */
#define TCO_SRTP_SALT_LEN 14u     /**< master salt, octets */
#define TCO_SRTP_MAX_WINDOW 32768u /**< largest replay window, packets */

/** Profile from its name ("AES_CM_128_HMAC_SHA1_80", ...). TCO_ERR_INVALID_ARG if unknown. */
TCO_API tco_status tco_srtp_profile_by_name(const char *name, tco_srtp_profile *profile);
/** Name of a profile, or NULL. */
TCO_API const char *tco_srtp_profile_name(tco_srtp_profile profile);
/** Master key length + 14 (as SDES inline: carries them): 30 or 46; 0 if unknown. */
TCO_API size_t tco_srtp_key_salt_len(tco_srtp_profile profile);
/** SRTP tag length of a profile (10 or 4); SRTCP always uses 10. */
TCO_API size_t tco_srtp_tag_len(tco_srtp_profile profile);

/** Session parameters. Zero fields take the defaults. */
typedef struct tco_srtp_policy {
    tco_srtp_profile profile;
    unsigned window;           /**< replay window, packets: 0 = 128; else 64..32768, x64 */
    size_t mki_len;            /**< 0: no MKI; 1..16: every packet carries one */
    uint64_t max_packets;      /**< SRTP packets per master key: 0 = 2^48 (RFC 3711 §9.2) */
    uint32_t max_rtcp_packets; /**< SRTCP packets per master key: 0 = 2^31 */
    uint32_t max_streams;      /**< SSRCs per session: 0 = no limit (TCO_ERR_NO_MEMORY) */
    int rtcp_cleartext;        /**< nonzero: SRTCP sent with E = 0 (authenticated only) */
    /** RFC 4771 integrity transform carrying the ROC (receivers that join late synchronise
     * from it; docs/srtp.md). 0: the default transform of RFC 3711. Packets with SEQ % R == 0
     * carry TAG = ROC (4) || MAC truncated to tag length - 4 (modes 1, 2) or ROC alone (mode
     * 3); other packets carry the full MAC (mode 2) or none (modes 1, 3). Modes 1 and 2 need
     * a profile with an 80-bit tag. */
    unsigned rcc_mode;         /**< 0, or TCO_SRTP_RCCM1 .. TCO_SRTP_RCCM3 */
    unsigned rcc_rate;         /**< R, 1..65535 (0: 1) */
} tco_srtp_policy;

/** RFC 4771 modes (MIKEY SRTP policy auth-alg values 2, 3, 4). */
enum { TCO_SRTP_RCCM1 = 1, TCO_SRTP_RCCM2 = 2, TCO_SRTP_RCCM3 = 3 };

typedef struct tco_srtp tco_srtp;

/** Create a session on `dev` (which must have TCO_CAP_SRTP). Add a key before use. */
TCO_API tco_status tco_srtp_create(tco_dev *dev, const tco_srtp_policy *policy,
                                   tco_srtp **out);
/** Erase the session's slots (session keys; master slots it took over) and free it. NULL is ok. */
TCO_API void tco_srtp_free(tco_srtp *s);

/**
 * @brief Add a master key given as key || salt (30 or 46 octets, as SDES inline: carries
 * them). The key goes into a non-exportable slot (TCO_USE_SRTP_KDF only), the six session
 * keys are derived into slots (each with its role only: TCO_USE_SRTP_KE, _KA or _SALT, not
 * releasable), and the master key is erased; its slot stays reserved by the session until
 * the key is removed, since the session keys are linked to it (docs/srtp.md, "Keys").
 * `mki` (policy.mki_len octets) names the key; NULL when the session has no MKI. The first
 * key added is the sending key. Seven slots per key.
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_KEY_LENGTH, TCO_ERR_STATE (a second key
 *         without MKI, a duplicate MKI, more than TCO_SRTP_MAX_KEYS), TCO_ERR_NO_FREE_SLOT
 */
TCO_API tco_status tco_srtp_add_key(tco_srtp *s, const uint8_t *key_salt, size_t len,
                                    const uint8_t *mki);
/** As tco_srtp_add_key, the master key already in `master_slot` (TCO_USE_SRTP_KDF, optionally
 * TCO_USE_KDF_OUT; 16 or 32 octets as the profile says; left in place, the caller's) and the
 * master salt from the host (RFC 3711 §9.2 allows a public salt). The session keys are
 * linked to `master_slot`: until the key is removed, the caller may erase that slot but must
 * not write another key into it (that drops the link, and every packet under this key then
 * fails with TCO_ERR_USAGE). tco_srtp_adopt_key_slot does that bookkeeping itself. */
TCO_API tco_status tco_srtp_add_key_slot(tco_srtp *s, tco_slot master_slot,
                                         const uint8_t salt[14], const uint8_t *mki);
/** As tco_srtp_add_key_slot, and on success the session takes `master_slot` over: it erases
 * the master key (no longer needed) and keeps the slot reserved until the key is removed or
 * the session freed, which then hand the slot back to the handle. On failure the slot is
 * left as it was, the caller's. For a master key derived into a slot for this session only
 * (tco_mbms_srtp_rekey does so). */
TCO_API tco_status tco_srtp_adopt_key_slot(tco_srtp *s, tco_slot master_slot,
                                           const uint8_t salt[14], const uint8_t *mki);
/** Make the key named by `mki` the sending key (TCO_ERR_UNKNOWN_MKI if none). */
TCO_API tco_status tco_srtp_use_key(tco_srtp *s, const uint8_t *mki);
/** Remove every key but the sending key (a sender moving on to a new key). */
TCO_API tco_status tco_srtp_remove_other_keys(tco_srtp *s);
/** Remove a key and erase its slots, and release the master slot the session took over (not
 * the sending key: TCO_ERR_STATE). */
TCO_API tco_status tco_srtp_remove_key(tco_srtp *s, const uint8_t *mki);

/**
 * @brief Protect one RTP packet: `in` (len octets) to `out` (cap octets), out = header ||
 * encrypted payload || [MKI] || tag. `out` may equal `in` (in place; cap >= len + MKI + tag).
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_TRUNCATED (header longer than the packet),
 *         TCO_ERR_BAD_VERSION, TCO_ERR_BUFFER_SMALL, TCO_ERR_REPLAY (index already used:
 *         sending it again would reuse keystream), TCO_ERR_TOO_OLD, TCO_ERR_KEY_EXHAUSTED,
 *         TCO_ERR_STATE (no key), TCO_ERR_NO_MEMORY (stream limit), device errors
 */
TCO_API tco_status tco_srtp_protect(tco_srtp *s, const uint8_t *in, size_t len, uint8_t *out,
                                    size_t cap, size_t *out_len);
/**
 * @brief Unprotect one SRTP packet; out = header || payload (MKI and tag removed).
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_TRUNCATED, TCO_ERR_BAD_VERSION,
 *         TCO_ERR_TOO_SHORT (no room for MKI and tag), TCO_ERR_UNKNOWN_MKI,
 *         TCO_ERR_KEY_EXHAUSTED, TCO_ERR_REPLAY, TCO_ERR_TOO_OLD, TCO_ERR_AUTH,
 *         TCO_ERR_BUFFER_SMALL, device errors. On any error nothing is written to `out`
 *         and the stream is unchanged.
 */
TCO_API tco_status tco_srtp_unprotect(tco_srtp *s, const uint8_t *in, size_t len, uint8_t *out,
                                      size_t cap, size_t *out_len);
/** Protect one RTCP compound packet: out = first 8 octets || encrypted rest || E|index ||
 * [MKI] || 10-octet tag. The SRTCP index is the stream's next (tco_srtcp_set_index). */
TCO_API tco_status tco_srtcp_protect(tco_srtp *s, const uint8_t *in, size_t len, uint8_t *out,
                                     size_t cap, size_t *out_len);
/** Unprotect one SRTCP packet (E = 0 or 1); out = the RTCP compound packet. */
TCO_API tco_status tco_srtcp_unprotect(tco_srtp *s, const uint8_t *in, size_t len,
                                       uint8_t *out, size_t cap, size_t *out_len);

/** One packet of a batch. */
typedef struct tco_srtp_pkt {
    const uint8_t *in;
    size_t len;
    uint8_t *out; /**< may equal in */
    size_t cap;
    size_t out_len;    /**< set on success */
    tco_status status; /**< set for every packet */
} tco_srtp_pkt;

/**
 * @brief Protect n RTP packets in one call; the result is what n single calls in array
 * order would give. On a device backend the packets are in flight together.
 * @return TCO_OK if every packet succeeded, else the first packet's error (each packet has
 *         its own status), or a device link error.
 */
TCO_API tco_status tco_srtp_protect_batch(tco_srtp *s, tco_srtp_pkt *pkts, size_t n);
/** Unprotect n SRTP packets; as tco_srtp_protect_batch. */
TCO_API tco_status tco_srtp_unprotect_batch(tco_srtp *s, tco_srtp_pkt *pkts, size_t n);

/** The stream's ROC (TCO_ERR_STATE if the SSRC has no context yet). */
TCO_API tco_status tco_srtp_get_roc(tco_srtp *s, uint32_t ssrc, uint32_t *roc);
/** Set the ROC of an SSRC (creating its context): before its first packet this is the ROC
 * from key management; later it replaces the ROC and keeps the sequence number. */
TCO_API tco_status tco_srtp_set_roc(tco_srtp *s, uint32_t ssrc, uint32_t roc);
/** Set the next SRTCP index the sender uses for an SSRC (creating its context). */
TCO_API tco_status tco_srtcp_set_index(tco_srtp *s, uint32_t ssrc, uint32_t index);
/** The session's policy as created (defaults not filled in). */
TCO_API tco_status tco_srtp_get_policy(const tco_srtp *s, tco_srtp_policy *policy);
/**
 * @brief Where the MKI of an SRTP packet of this session is (key management reads it to
 * install a key the session lacks). The packet is only parsed, not authenticated.
 * @return TCO_OK (*mki points into `pkt`, mki_len octets), TCO_ERR_INVALID_ARG, TCO_ERR_STATE
 *         (the session has no MKI), TCO_ERR_TRUNCATED, TCO_ERR_BAD_VERSION, TCO_ERR_TOO_SHORT
 */
TCO_API tco_status tco_srtp_packet_mki(const tco_srtp *s, const uint8_t *pkt, size_t len,
                                       const uint8_t **mki);
/** Number of stream contexts. */
TCO_API size_t tco_srtp_stream_count(const tco_srtp *s);

/* ----------------------------------------------------------------------------------------- */
/** @name IMS media over a circuit-switched bearer (docs/csbearer.md)
 *
 * CS frame = SEQ (2) || FLAGS (1: bit 7 M, bit 6 MKI present) || [MKI (4)] || SRTP-encrypted
 * RTP payload (AMR/AMR-WB octet-aligned: CMR || TOC || speech) || tag (4 or 10). One frame per
 * 20 ms slot; the RTP header is rebuilt from the call's fixed fields and SEQ, so the SRTP tag
 * (which covers the header) verifies at the far end. */

typedef enum tco_cs_codec {
    TCO_CODEC_AMR = 1,    /**< AMR-NB, 8 kHz: RTP timestamp +160 per frame */
    TCO_CODEC_AMR_WB = 2, /**< AMR-WB, 16 kHz: +320 per frame */
} tco_cs_codec;

#define TCO_CS_MKI_LEN 4u
#define TCO_CS_FLAG_M 0x80u
#define TCO_CS_FLAG_MKI 0x40u

/** Fields fixed at call setup, known to the UE and the gateway. */
typedef struct tco_cs_call {
    tco_cs_codec codec;
    uint8_t pt;       /**< RTP payload type (dynamic, 96..127 usually) */
    uint32_t ssrc;
    uint16_t seq0;    /**< SEQ of the first slot */
    uint32_t ts0;     /**< RTP timestamp of the first slot */
    size_t tag_len;   /**< 4 (HMAC_SHA1_32) or 10 (HMAC_SHA1_80) */
    int mki;          /**< nonzero: every packet carries a 4-octet MKI */
} tco_cs_call;

/** Octets of an octet-aligned one-frame payload (CMR + TOC + speech) for frame type `ft`;
 * 0 for a frame type with no defined size (reserved). FT 15 (NO_DATA) gives 2. */
TCO_API size_t tco_amr_payload_len(tco_cs_codec codec, unsigned ft);

/** Header mapper of one direction of one call: SEQ -> packet index (RFC 3711 §3.3.1
 * estimate) -> RTP timestamp. It needs no media keys (the gateway runs it). */
typedef struct tco_cs_map tco_cs_map;
TCO_API tco_status tco_cs_map_create(const tco_cs_call *call, tco_cs_map **out);
TCO_API void tco_cs_map_free(tco_cs_map *m);

/**
 * @brief Gateway, CS to IP: CS frame -> SRTP packet (RTP header || payload || [MKI] || tag).
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_TRUNCATED (shorter than SEQ, FLAGS, MKI, CMR,
 *         TOC and tag), TCO_ERR_NOT_MAPPABLE (FLAGS with reserved bits or an MKI flag that
 *         differs from the call), TCO_ERR_BUFFER_SMALL
 */
TCO_API tco_status tco_cs_to_srtp(tco_cs_map *m, const uint8_t *frame, size_t len,
                                  uint8_t *pkt, size_t cap, size_t *pkt_len);
/**
 * @brief Gateway, IP to CS: SRTP packet -> CS frame. The header must be the one the far end
 * will rebuild: V 2, no padding bit, no extension, no CSRC, the call's PT and SSRC, and the
 * timestamp the SEQ implies; otherwise TCO_ERR_NOT_MAPPABLE (the tag would not verify).
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_TRUNCATED, TCO_ERR_BAD_VERSION,
 *         TCO_ERR_NOT_MAPPABLE, TCO_ERR_BUFFER_SMALL
 */
TCO_API tco_status tco_srtp_to_cs(tco_cs_map *m, const uint8_t *pkt, size_t len,
                                  uint8_t *frame, size_t cap, size_t *frame_len);

/** The UE end of a call: an SRTP session for each direction and the slot counter. */
typedef struct tco_cs_ue tco_cs_ue;
/** `tx` protects what the UE sends, `rx` unprotects what it receives (both belong to the
 * caller and must outlive the UE object); `up`/`down` are the two directions' call fields. */
TCO_API tco_status tco_cs_ue_create(tco_srtp *tx, tco_srtp *rx, const tco_cs_call *up,
                                    const tco_cs_call *down, tco_cs_ue **out);
TCO_API void tco_cs_ue_free(tco_cs_ue *ue);
/**
 * @brief Next 20 ms slot: codec payload (CMR || TOC || speech, octet-aligned, its length
 * checked against the TOC's frame type) -> CS frame.
 * @return TCO_OK, TCO_ERR_INVALID_ARG (length does not match the frame type, or F bit set:
 *         one frame per slot), TCO_ERR_BUFFER_SMALL, SRTP errors
 */
TCO_API tco_status tco_cs_ue_send(tco_cs_ue *ue, int marker, const uint8_t *payload,
                                  size_t len, uint8_t *frame, size_t cap, size_t *frame_len);
/** A received CS frame -> codec payload and marker (SRTP unprotect inside). */
TCO_API tco_status tco_cs_ue_recv(tco_cs_ue *ue, const uint8_t *frame, size_t len,
                                  uint8_t *payload, size_t cap, size_t *payload_len,
                                  int *marker);

#ifdef __cplusplus
}
#endif

#endif /* TCO_SRTP_H */
