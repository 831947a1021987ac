/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file tco_li.h
 * @brief Session keys of end-to-end SRTP that a network node can re-derive, and the lawful
 * intercept node that releases them only under a warrant (docs/li.md).
 *
 * A terminal and the network share a subscriber key k. Before a session the terminal and its
 * peer exchange a nonce; both compute PMK = MIKEY-PRF(k, nonce) and from it the SRTP master
 * key (TEK) and salt with the RFC 3830 PRF and its label constants (spec §4.3). Variants: a
 * Diffie-Hellman exchange whose private value x = MIKEY-PRF(k, rand) is known to the network
 * (X25519), and k' = KDF2(k, rand) for visited networks. The intercept node holds subscriber
 * keys in device slots, checks every request against its warrants, writes every release and
 * every refusal to a hash-chained append-only audit log, and hands out a PMK (or x, or k')
 * only for a session of a warranted target inside the warrant's validity.
 *
 * Thread rule: one thread at a time per intercept node (it shares its device handle's rule).
 */
#ifndef TCO_LI_H
#define TCO_LI_H

#include "tco.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ----------------------------------------------------------------------------------------- */
/** @name MIKEY PRF (RFC 3830 §4.1.2): HMAC-SHA-1 P-function, inkey in 256-bit pieces */

/** RFC 3830 §4.1.3/§4.1.4 label constants. */
enum {
    TCO_MIKEY_TEK = 0x2AD01C64u,      /**< TEK (SRTP master key), from the TGK */
    TCO_MIKEY_AUTH = 0x1B5C7973u,     /**< authentication key, from the TGK */
    TCO_MIKEY_ENC = 0x15798CEFu,      /**< encryption key, from the TGK */
    TCO_MIKEY_SALT = 0x39A2C14Bu,     /**< salting key (SRTP master salt), from the TGK */
    TCO_MIKEY_ENV_ENC = 0x150533E1u,  /**< encr_key, envelope / pre-shared key */
    TCO_MIKEY_ENV_AUTH = 0x2D22AC75u, /**< auth_key, envelope / pre-shared key */
    TCO_MIKEY_ENV_SALT = 0x29B88916u, /**< salting key, envelope / pre-shared key */
};

/** Largest PRF output one call gives, octets. */
#define TCO_MIKEY_PRF_MAX 1024u

/**
 * @brief MIKEY PRF with the inkey given as bytes (any length; computed in process with
 * OpenSSL HMAC-SHA-1). out = first out_len octets of P(s_1) xor ... xor P(s_n).
 * @return TCO_OK, TCO_ERR_INVALID_ARG (NULL, out_len 0 or > TCO_MIKEY_PRF_MAX, empty inkey),
 *         TCO_ERR_CRYPTO
 */
TCO_API tco_status tco_mikey_prf(const uint8_t *inkey, size_t inkey_len, const uint8_t *label,
                                 size_t label_len, uint8_t *out, size_t out_len);
/**
 * @brief MIKEY PRF with the inkey in a slot (one piece: 16, 20 or 32 octets, the lengths of
 * the key model's MAC profile; TCO_USE_HMAC): every HMAC runs on the engine, the key stays in
 * the device. Other inkey lengths: tco_mikey_prf in process.
 * @return as tco_mikey_prf; slot errors; TCO_ERR_RANGE (label too long for one engine HMAC)
 */
TCO_API tco_status tco_mikey_prf_slot(tco_dev *dev, tco_slot inkey, const uint8_t *label,
                                      size_t label_len, uint8_t *out, size_t out_len);

/* ----------------------------------------------------------------------------------------- */
/** @name Session keys (spec §4.3) */

/** PMK = MIKEY-PRF(k in `k_slot`, nonce), 16 octets. */
TCO_API tco_status tco_li_pmk(tco_dev *dev, tco_slot k_slot, const uint8_t *nonce,
                              size_t nonce_len, uint8_t pmk[16]);
/**
 * @brief SRTP master key and salt of crypto session `cs_id` of bundle `csb_id` from a PMK:
 * TEK = MIKEY-PRF(PMK, 0x2AD01C64 || cs_id || csb_id || rand, 128 bits), salt = the same with
 * 0x39A2C14B, 112 bits. `rand` is the MIKEY RAND (16 octets or more).
 * @return TCO_OK, TCO_ERR_INVALID_ARG (rand shorter than 16 or longer than 1000), TCO_ERR_CRYPTO
 */
TCO_API tco_status tco_li_tek(const uint8_t pmk[16], uint8_t cs_id, uint32_t csb_id,
                              const uint8_t *rand, size_t rand_len, uint8_t tek[16],
                              uint8_t salt[14]);
/** KDF2(k, m, r) = AES-128-Encrypt(key = k xor m, block = r), 16 octets each (OpenSSL). */
TCO_API tco_status tco_li_kdf2(const uint8_t k[16], const uint8_t m[16], const uint8_t r[16],
                               uint8_t out[16]);

/**
 * @brief Diffie-Hellman variant (X25519, RFC 7748): the private value of the terminal that
 * holds k is x = MIKEY-PRF(k, rand, 256 bits); tco_li_dh_public gives its public value. The
 * PMK of a session is MIKEY-PRF(X25519(x, peer public), rand, 128 bits), so a node that knows
 * x (from k and rand) and sees the peer's public value on the path computes the same PMK.
 */
TCO_API tco_status tco_li_dh_x(tco_dev *dev, tco_slot k_slot, const uint8_t *rand,
                               size_t rand_len, uint8_t x[32]);
TCO_API tco_status tco_li_dh_public(const uint8_t priv[32], uint8_t pub[32]);
TCO_API tco_status tco_li_dh_pmk(const uint8_t priv[32], const uint8_t peer_pub[32],
                                 const uint8_t *rand, size_t rand_len, uint8_t pmk[16]);

/* ----------------------------------------------------------------------------------------- */
/** @name The intercept node */

#define TCO_LI_ID_MAX 63u /**< longest target, warrant or authority name (printable ASCII) */

typedef struct tco_li_warrant {
    char id[TCO_LI_ID_MAX + 1];        /**< warrant reference */
    char target[TCO_LI_ID_MAX + 1];    /**< target identity (as subscribers are named) */
    char authority[TCO_LI_ID_MAX + 1]; /**< issuing authority */
    int64_t not_before, not_after;     /**< validity, seconds since the epoch, inclusive */
} tco_li_warrant;

typedef struct tco_li tco_li;

/**
 * @brief An intercept node on `dev` with its audit log at `audit_path` (created if missing;
 * an existing log is verified first and appended to). `now` gives the node's clock for the
 * log (NULL: time()).
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_IO (the log cannot be opened or written),
 *         TCO_ERR_AUTH (the existing log does not verify: the node refuses to extend it)
 */
TCO_API tco_status tco_li_create(tco_dev *dev, const char *audit_path, int64_t (*now)(void),
                                 tco_li **out);
/** Erase the node's key slots and free it. NULL is fine. */
TCO_API void tco_li_free(tco_li *li);
/**
 * @brief Provision a subscriber: k (16 or 32 octets) into a non-exportable slot (HMAC only);
 * with a mask `m` (16 octets, or NULL), also k xor m (AES only) for KDF2 (k must then be 16):
 * two keys with one role each, as the key model wants (docs/li.md, "Keys").
 * The key is wiped from the caller's view only by the caller. Logged (not the key).
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_KEY_LENGTH, TCO_ERR_STATE (already known),
 *         slot errors, TCO_ERR_IO
 */
TCO_API tco_status tco_li_add_subscriber(tco_li *li, const char *target, const uint8_t *k,
                                         size_t len, const uint8_t *m);
/** Add a warrant (logged). TCO_ERR_INVALID_ARG for empty names or not_after < not_before. */
TCO_API tco_status tco_li_add_warrant(tco_li *li, const tco_li_warrant *w);

/**
 * @brief Release the PMK of a session of `target` that took place at `session_time`, nonce
 * as exchanged. Only if a warrant names the target and its validity covers the session time;
 * otherwise TCO_ERR_NO_WARRANT and nothing is released. Either way one audit entry is written
 * (and if that fails, nothing is released: TCO_ERR_IO).
 * @return TCO_OK, TCO_ERR_NO_WARRANT, TCO_ERR_STATE (no such subscriber), TCO_ERR_IO,
 *         TCO_ERR_INVALID_ARG, device errors
 */
TCO_API tco_status tco_li_release_pmk(tco_li *li, const char *target, int64_t session_time,
                                      const uint8_t *nonce, size_t nonce_len, uint8_t pmk[16]);
/** As tco_li_release_pmk for the Diffie-Hellman variant: the PMK from x (made inside from k
 * and rand) and the peer's public value seen on the path. */
TCO_API tco_status tco_li_release_dh_pmk(tco_li *li, const char *target, int64_t session_time,
                                         const uint8_t *rand, size_t rand_len,
                                         const uint8_t peer_pub[32], uint8_t pmk[16]);
/** As tco_li_release_pmk for k' = KDF2(k, m, r), handed to a visited network (needs the
 * subscriber provisioned with its mask). */
TCO_API tco_status tco_li_release_kdf2(tco_li *li, const char *target, int64_t session_time,
                                       const uint8_t r[16], uint8_t k_prime[16]);

/**
 * @brief Verify an audit log: every entry's hash chains to the one before, sequence numbers
 * run 0, 1, 2, ... without gaps, and the count and last hash agree with the log's head file
 * (`audit_path` + ".head", written after every entry) when it exists.
 * @param entries out (may be NULL): entries that verified
 * @param line    out (may be NULL): 1-based line of the first failure, 0 if none
 * @return TCO_OK, TCO_ERR_AUTH (altered, removed or reordered entries, or a head mismatch),
 *         TCO_ERR_IO (cannot read), TCO_ERR_INVALID_ARG
 */
TCO_API tco_status tco_li_audit_verify(const char *audit_path, uint64_t *entries,
                                       uint64_t *line);

#ifdef __cplusplus
}
#endif

#endif /* TCO_LI_H */
