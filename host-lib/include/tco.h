/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file tco.h
 * @brief tco — telecom crypto offload: the public host-library API.
 *
 * A device handle (`tco_dev`) is opened by URI: `soft:` (OpenSSL in this process; the
 * reference and the fallback), `sim:`, `usb:...`, `pcie:...`, `auto:`. Keys live in numbered
 * key slots on the device; operations name a slot, never a key, so a key loaded or derived
 * as non-exportable never comes back to the host.
 *
 * Layers:
 *  - engine operations (key load/read/erase, KDF, AES, HMAC, c3): what every backend does;
 *  - kdf3gpp: the derivations of TS 33.401 A.8/A.13 and the project's HSPA+ hierarchy,
 *    built only on engine operations;
 *  - mobility flows: small state machines for the MME/UE handover and RAU to UTRAN/GERAN
 *    and for SRNC relocation with HSPA+ enhanced keys.
 *
 * Thread safety: a `tco_dev` and every object created from it (flow contexts) may be used
 * by one thread at a time; calls on different handles may run concurrently. The library
 * keeps no global state. `tco_strerror` is safe from any thread.
 *
 * The library never prints, aborts or exits. Diagnostics go to an optional per-handle log
 * callback (see tco_open_ex); they never contain key material.
 *
 * Every fallible function returns a `tco_status`; results come back through out-parameters,
 * which are left untouched on error unless documented otherwise.
 */
#ifndef TCO_H
#define TCO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define TCO_API __attribute__((visibility("default")))
#else
#define TCO_API
#endif

/* ----------------------------------------------------------------------------------------- */
/** @name Status codes (values are fixed and never renumbered) */
typedef enum tco_status {
    TCO_OK = 0,                   /**< success */
    TCO_ERR_INVALID_ARG = 1,      /**< NULL pointer, bad flag or malformed argument */
    TCO_ERR_KEY_LENGTH = 2,       /**< key length is not one the operation accepts */
    TCO_ERR_RANGE = 3,            /**< a numeric parameter is out of range (COUNT, NCC, ...) */
    TCO_ERR_NO_SLOT = 4,          /**< slot number out of range */
    TCO_ERR_SLOT_EMPTY = 5,       /**< the slot holds no key */
    TCO_ERR_USAGE = 6,            /**< the key's usage attributes forbid this operation */
    TCO_ERR_NOT_EXPORTABLE = 7,   /**< read-back of a key that is not exportable */
    TCO_ERR_BUFFER_SMALL = 8,     /**< output buffer too small; nothing written */
    TCO_ERR_NO_MEMORY = 9,        /**< allocation failed */
    TCO_ERR_UNSUPPORTED = 10,     /**< URI scheme or operation not supported by this backend */
    TCO_ERR_BAD_URI = 11,         /**< URI malformed */
    TCO_ERR_SELFTEST = 12,        /**< the backend's known-answer self-test failed */
    TCO_ERR_CRYPTO = 13,          /**< the crypto provider failed (e.g. OpenSSL error) */
    TCO_ERR_IO = 14,              /**< transport error talking to a device */
    TCO_ERR_TIMEOUT = 15,         /**< the device did not answer in time */
    TCO_ERR_PROTOCOL = 16,        /**< malformed or unexpected response from a device */
    TCO_ERR_NO_FREE_SLOT = 17,    /**< every slot is allocated */
    TCO_ERR_STATE = 18,           /**< the flow is not in a state where this event is allowed */
    TCO_ERR_AUTH = 19,            /**< authentication tag did not verify */
    TCO_ERR_REPLAY = 20,          /**< packet index already seen (replay window) */
    TCO_ERR_TRUNCATED = 21,       /**< packet shorter than its own header says */
    TCO_ERR_BAD_VERSION = 22,     /**< RTP/RTCP version field is not 2 */
    TCO_ERR_TOO_SHORT = 23,       /**< packet too short to hold its MKI and tag */
    TCO_ERR_TOO_OLD = 24,         /**< packet index behind the replay window */
    TCO_ERR_KEY_EXHAUSTED = 25,   /**< master key lifetime reached; rekey */
    TCO_ERR_UNKNOWN_MKI = 26,     /**< MKI names no master key of the session */
    TCO_ERR_NOT_MAPPABLE = 27,    /**< packet cannot be carried as a CS-bearer frame */
    TCO_ERR_NO_ROC = 28,          /**< RFC 4771 receiver: no ROC yet (no ROC-carrying packet) */
    TCO_ERR_NO_WARRANT = 29,      /**< intercept node: no valid warrant for target and time */
    TCO_ERR_FAILED_OVER = 30,     /**< tco_health_check: the device failed, the handle now runs
                                       on soft: with every slot empty; reload the keys */
    TCO_ERR_NO_DEVICE = 31,       /**< no device found (pcie: node missing; auto: none present) */
} tco_status;

/** Static English text for a status; never NULL (unknown values give "unknown status"). */
TCO_API const char *tco_strerror(tco_status st);

/* ----------------------------------------------------------------------------------------- */
/** @name Device handle */

typedef struct tco_dev tco_dev;

/** Log severities passed to the log callback. */
typedef enum tco_log_level {
    TCO_LOG_ERROR = 0,
    TCO_LOG_WARN = 1,
    TCO_LOG_INFO = 2,
    TCO_LOG_DEBUG = 3,
} tco_log_level;

/** Log callback: `msg` is a NUL-terminated line without key material. */
typedef void (*tco_log_fn)(void *user, tco_log_level level, const char *msg);

/** Options for tco_open_ex. Zero-initialise, then set what you need. */
typedef struct tco_open_opts {
    tco_log_fn log;          /**< optional log callback (NULL: silent) */
    void *log_user;          /**< passed to `log` */
    tco_log_level log_level; /**< highest level delivered (default 0 = errors only) */
} tco_open_opts;

/**
 * @brief Open a device by URI and run its known-answer self-test.
 * @param dev  out: the new handle (set to NULL on failure)
 * @param uri  "soft:" (OpenSSL in process), "sim:" (the simulated device), "usb:[VID:PID]..."
 *             (a board on an FTDI FT2232H/FT232H, docs/usb.md), "pcie:..." (an
 *             XDMA-style card, docs/pcie.md), "auto:[?fallback=soft]" (the first device that
 *             is present and passes its self-test; soft: only if the caller allows it, and
 *             then reported in tco_info.fallback and by a TCO_LOG_WARN line); docs/api.md
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_BAD_URI, TCO_ERR_UNSUPPORTED,
 *         TCO_ERR_NO_MEMORY, TCO_ERR_SELFTEST (the handle is not opened), TCO_ERR_CRYPTO,
 *         TCO_ERR_NO_DEVICE (pcie: node missing; usb: no such chip; auto: without fallback and no
 *         device), and
 *         TCO_ERR_IO, TCO_ERR_TIMEOUT, TCO_ERR_PROTOCOL from a device that does not answer
 */
TCO_API tco_status tco_open(tco_dev **dev, const char *uri);

/** As tco_open, with options (`opts` may be NULL). */
TCO_API tco_status tco_open_ex(tco_dev **dev, const char *uri, const tco_open_opts *opts);

/** Erase every key slot, release the handle. Accepts NULL. */
TCO_API void tco_close(tco_dev *dev);

/** Capability bits reported by tco_get_info. */
enum {
    TCO_CAP_AES128 = 1u << 0,
    TCO_CAP_AES256 = 1u << 1,
    TCO_CAP_AES_CTR = 1u << 2,
    TCO_CAP_HMAC_SHA256 = 1u << 3,
    TCO_CAP_HMAC_SHA1 = 1u << 4,
    TCO_CAP_KDF = 1u << 5,          /**< 3GPP KDF (TS 33.220 B.2), output to host or slots */
    TCO_CAP_KDF_SLOT_PARAM = 1u << 6, /**< a KDF parameter may be a slot's key */
    TCO_CAP_GSM_C3 = 1u << 7,       /**< Kc = c3(CK, IK) from two slots */
    TCO_CAP_HW = 1u << 8,           /**< operations run on a device, not in this process */
    TCO_CAP_SRTP = 1u << 9,         /**< tco_srtp_kdf and tco_srtp_frame (RFC 3711) */
    TCO_CAP_KEY_WRAP = 1u << 10,    /**< tco_key_wrap and tco_key_unwrap (RFC 3394) */
};

/** Device information. */
typedef struct tco_info {
    char backend[16];     /**< "soft", "sim", "usb", "pcie" */
    char version[32];     /**< backend / device version text */
    uint32_t caps;        /**< TCO_CAP_* bits */
    uint32_t num_slots;   /**< key slots 0 .. num_slots-1 */
    uint32_t max_data;    /**< largest AES-CTR buffer one call accepts, octets */
    uint32_t max_mac;     /**< largest HMAC message one call accepts, octets */
    uint64_t cycles;      /**< device cycle counter (0 where there is none) */
    uint64_t link_retries; /**< requests resent after link faults since open (device links) */
    uint32_t fallback;    /**< TCO_FALLBACK_*: nonzero = an auto: handle running on soft: */
} tco_info;

/** Why an auto: handle runs on soft: (tco_info.fallback). */
enum {
    TCO_FALLBACK_NONE = 0,      /**< not a fallback: the backend named in tco_info.backend */
    TCO_FALLBACK_NO_DEVICE = 1, /**< auto: found no device at open */
    TCO_FALLBACK_FAILED = 2,    /**< a device failed (at open, or in tco_health_check) */
};

/**
 * @brief Fill `info` for the device.
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_IO
 */
TCO_API tco_status tco_get_info(tco_dev *dev, tco_info *info);

/**
 * @brief Re-run the backend's known-answer self-test (it also runs at open).
 * @return TCO_OK or TCO_ERR_SELFTEST
 */
TCO_API tco_status tco_selftest(tco_dev *dev);

/**
 * @brief Health check, for the caller to run periodically (the library keeps no timer):
 * re-runs the known-answer self-test (it needs one free slot). On a handle opened as
 * "auto:?fallback=soft" whose device fails it, the handle switches to soft: and returns
 * TCO_ERR_FAILED_OVER: the keys in the device's slots do not move, so every slot is empty
 * afterwards (slot reservations and numbers below soft:'s 64 are kept); load the keys again
 * before further use, and recreate contexts that derived keys into slots. The switch is
 * logged (TCO_LOG_WARN) and shows in tco_info (backend "soft", fallback
 * TCO_FALLBACK_FAILED). A handle never switches back to a device; open a new one for that.
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_NO_FREE_SLOT (cannot run: every slot in
 *         use), TCO_ERR_SELFTEST (failed; no fallback allowed, or soft: itself failed: the
 *         handle is unchanged), TCO_ERR_FAILED_OVER
 */
TCO_API tco_status tco_health_check(tco_dev *dev);

/* ----------------------------------------------------------------------------------------- */
/** @name Key slots */

/**
 * Key attributes (docs/keys.md, the key model). Usage bits (TCO_USE_*) say what a key may
 * be used for; a key's usage bits must form one of the model's profiles, which also fixes
 * the lengths it accepts:
 *
 * | usage bits                                   | lengths     |
 * |----------------------------------------------|-------------|
 * | none (a stored key: read or wrap only)        | 14,16,20,32 |
 * | AES                                           | 16, 32      |
 * | HMAC                                          | 16, 20, 32  |
 * | KDF, KDF_OUT, KDF+KDF_OUT, HMAC+KDF_OUT, HMAC+KDF+KDF_OUT | 16, 32 |
 * | GSM_C3                                        | 16          |
 * | SRTP_KDF, SRTP_KDF+KDF_OUT                    | 16, 32      |
 * | SRTP_KE                                       | 16, 32      |
 * | SRTP_KA                                       | 20          |
 * | SRTP_SALT                                     | 14          |
 * | WRAP                                          | 16, 32      |
 *
 * The modifiers (TCO_ATTR_EXPORTABLE, _EXTRACTABLE, _WRAP_TRUSTED) go with any profile.
 * A key is *releasable* when it is exportable, or extractable without WRAP_TRUSTED (it may
 * leave wrapped under a KEK the host knows). Keys made inside the device (KDF into slots,
 * SRTP session keys) may be releasable or carry TCO_USE_KDF_OUT or TCO_USE_HMAC only if
 * every parent key has TCO_USE_KDF_OUT. Other combinations: TCO_ERR_USAGE; other lengths: TCO_ERR_KEY_LENGTH.
 */
enum {
    TCO_USE_AES = 1u << 0,        /**< AES block and AES-CTR with this key */
    TCO_USE_HMAC = 1u << 1,       /**< HMAC-SHA-256 / HMAC-SHA-1 returning the MAC */
    TCO_USE_KDF = 1u << 2,        /**< KDF key or slot parameter with output to slots */
    TCO_USE_KDF_OUT = 1u << 3,    /**< derived material may reach the host: KDF key or slot
                                       parameter of tco_kdf (output to the host), and the
                                       parent of releasable children (KDF, SRTP_KDF) */
    TCO_USE_GSM_C3 = 1u << 4,     /**< input to the GSM conversion c3 (Kc to the host) */
    TCO_USE_SRTP_KDF = 1u << 5,   /**< SRTP master key: session keys into slots (tco_srtp_kdf) */
    TCO_USE_SRTP_KE = 1u << 6,    /**< SRTP session cipher key k_e (tco_srtp_frame) */
    TCO_USE_WRAP = 1u << 7,       /**< KEK of tco_key_wrap/unwrap (and nothing else) */
    TCO_ATTR_EXPORTABLE = 1u << 8, /**< the host may read the key back */
    TCO_USE_SRTP_KA = 1u << 9,    /**< SRTP session authentication key k_a (20 octets) */
    TCO_USE_SRTP_SALT = 1u << 10, /**< SRTP session salt k_s (14 octets) */
    TCO_ATTR_EXTRACTABLE = 1u << 11, /**< the key may leave the device wrapped (tco_key_wrap) */
    TCO_ATTR_WRAP_TRUSTED = 1u << 12, /**< ... only under a TRUSTED KEK */
    TCO_ATTR_TRUSTED = 1u << 13,  /**< a KEK created on the device (no call sets it yet: a
                                       WRAP_TRUSTED key cannot be wrapped in this version) */
    TCO_ATTR_ALL = 0x3FFFu
};

/** Slot numbers are 0 .. num_slots-1. */
typedef uint32_t tco_slot;

/**
 * @brief Reserve the lowest free slot on this handle (host-side bookkeeping; nothing is
 * written to the device). Load or derive into it next; tco_key_erase frees it again.
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_NO_FREE_SLOT
 */
TCO_API tco_status tco_slot_alloc(tco_dev *dev, tco_slot *slot);

/**
 * @brief Load a key into `slot` with attributes `attrs` (TCO_USE_* | TCO_ATTR_*). A key
 * already in the slot is zeroised and replaced. The usage bits must be one of the key
 * model's profiles and the length one it accepts (the table at the attribute bits).
 * TCO_ATTR_TRUSTED cannot be loaded.
 * @return TCO_OK, TCO_ERR_INVALID_ARG (NULL key, unknown attribute bits),
 *         TCO_ERR_USAGE (no such profile, or TRUSTED), TCO_ERR_KEY_LENGTH, TCO_ERR_NO_SLOT,
 *         TCO_ERR_IO
 */
TCO_API tco_status tco_key_load(tco_dev *dev, tco_slot slot, const uint8_t *key, size_t len,
                                uint32_t attrs);

/**
 * @brief Read a key back; only if loaded or derived with TCO_ATTR_EXPORTABLE.
 * @param out  capacity `cap` octets; receives the key
 * @param len  out: key length (1 .. TCO_KEY_MAX)
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_NO_SLOT, TCO_ERR_SLOT_EMPTY,
 *         TCO_ERR_NOT_EXPORTABLE, TCO_ERR_BUFFER_SMALL
 */
TCO_API tco_status tco_key_read(tco_dev *dev, tco_slot slot, uint8_t *out, size_t cap,
                                size_t *len);

/**
 * @brief Zeroise the slot and mark it free. Erasing an empty slot is not an error.
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_NO_SLOT, TCO_ERR_IO
 */
TCO_API tco_status tco_key_erase(tco_dev *dev, tco_slot slot);

/**
 * @brief Query a slot: its key length (0 if empty) and attributes. Never the key.
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_NO_SLOT
 */
TCO_API tco_status tco_key_info(tco_dev *dev, tco_slot slot, size_t *len, uint32_t *attrs);

/* ----------------------------------------------------------------------------------------- */
/** @name Engine operations */

/** A buffer that is either host bytes or the key held in a slot. */
typedef struct tco_kdf_param {
    const uint8_t *data; /**< host bytes (ignored when `from_slot` is set) */
    size_t len;          /**< 0 .. 65535 octets (TS 33.220: Li is two octets) */
    int from_slot;       /**< nonzero: the parameter is the key in `slot` (needs TCO_USE_KDF) */
    tco_slot slot;
} tco_kdf_param;

/** Largest key a slot holds, octets. */
#define TCO_KEY_MAX 32

/** Largest number of parameters P0..Pn in one KDF call. */
#define TCO_KDF_MAX_PARAMS 8
/** Largest total length of S = FC || P0 || L0 || ... in one KDF call. */
#define TCO_KDF_MAX_S 1024

/**
 * @brief 3GPP KDF (TS 33.220 Annex B.2): out = HMAC-SHA-256(key in `key_slot`, S),
 * S = FC || P0 || L0 || ... || Pn || Ln with Li = len(Pi) as two octets.
 * The key and every slot parameter need TCO_USE_KDF_OUT (the output reaches the host).
 * @param fc  function code, 0x00..0xFE (0xFF is 3GPP's escape; not accepted)
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_RANGE (too many params, S too long, fc 0xFF),
 *         TCO_ERR_NO_SLOT, TCO_ERR_SLOT_EMPTY, TCO_ERR_USAGE, TCO_ERR_CRYPTO
 */
TCO_API tco_status tco_kdf(tco_dev *dev, tco_slot key_slot, uint8_t fc, const tco_kdf_param *p,
                           size_t np, uint8_t out[32]);

/** Where a derivation into slots puts its 32-octet output. */
typedef enum tco_kdf_split {
    TCO_SPLIT_FULL = 0,   /**< all 256 bits into slot a */
    TCO_SPLIT_HALVES = 1, /**< out[0..15] (128 MSBs) into a, out[16..31] (128 LSBs) into b */
    TCO_SPLIT_MSB128 = 2, /**< out[0..15] into a */
    TCO_SPLIT_LSB128 = 3, /**< out[16..31] into a */
} tco_kdf_split;

/** Destination of tco_kdf_derive. */
typedef struct tco_kdf_dest {
    tco_kdf_split split;
    tco_slot slot_a;
    uint32_t attrs_a;
    tco_slot slot_b;  /**< TCO_SPLIT_HALVES only */
    uint32_t attrs_b; /**< TCO_SPLIT_HALVES only */
} tco_kdf_dest;

/**
 * @brief 3GPP KDF with its output written into slots, never to the host.
 * The key and slot parameters need TCO_USE_KDF (and are 16 or 32 octets). Each destination's
 * attributes must be a profile that accepts its length (16, or 32 for TCO_SPLIT_FULL); a
 * destination may be releasable or carry TCO_USE_KDF_OUT or TCO_USE_HMAC only if the key
 * and every slot parameter have TCO_USE_KDF_OUT. Without slot parameters, each destination
 * is linked to the key slot (tco_gsm_c3 accepts non-releasable keys only when linked to one
 * parent). A destination slot may be the key slot or a parameter slot (read before written;
 * then no destination is linked).
 * @return as tco_kdf; TCO_ERR_USAGE also for the attribute rules above
 */
TCO_API tco_status tco_kdf_derive(tco_dev *dev, tco_slot key_slot, uint8_t fc,
                                  const tco_kdf_param *p, size_t np, const tco_kdf_dest *dest);

/**
 * @brief One AES block encryption (AES-128 or AES-256 by the slot's key length).
 * Needs TCO_USE_AES. `in` and `out` may be the same buffer.
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_NO_SLOT, TCO_ERR_SLOT_EMPTY, TCO_ERR_USAGE,
 *         TCO_ERR_KEY_LENGTH (key neither 16 nor 32 octets)
 */
TCO_API tco_status tco_aes_block(tco_dev *dev, tco_slot slot, const uint8_t in[16],
                                 uint8_t out[16]);

/**
 * @brief AES-CTR over `len` octets (encrypt = decrypt). The counter block starts at `ctr`;
 * after each block its low `ctr_bits` bits (16, 32, 64 or 128) are incremented modulo
 * 2^ctr_bits, the rest stays (16: RFC 3711 AES-CM; 128: SP 800-38A). `in` and `out` may be
 * the same buffer (in place) but must not otherwise overlap. Needs TCO_USE_AES.
 * @return TCO_OK, TCO_ERR_INVALID_ARG (bad ctr_bits, NULL with len > 0), TCO_ERR_RANGE
 *         (the counter would wrap within this call, or len > max_data), TCO_ERR_NO_SLOT,
 *         TCO_ERR_SLOT_EMPTY, TCO_ERR_USAGE, TCO_ERR_KEY_LENGTH
 */
TCO_API tco_status tco_aes_ctr(tco_dev *dev, tco_slot slot, const uint8_t ctr[16],
                               unsigned ctr_bits, const uint8_t *in, uint8_t *out, size_t len);

/** HMAC hash functions. */
typedef enum tco_hash {
    TCO_HASH_SHA256 = 1, /**< 32-octet MAC */
    TCO_HASH_SHA1 = 2,   /**< 20-octet MAC */
} tco_hash;

/**
 * @brief HMAC over `len` octets with the slot's key. Needs TCO_USE_HMAC.
 * @param mac  receives 32 (SHA-256) or 20 (SHA-1) octets; `cap` is its capacity
 * @param mac_len out: MAC length
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_BUFFER_SMALL, TCO_ERR_NO_SLOT,
 *         TCO_ERR_SLOT_EMPTY, TCO_ERR_USAGE, TCO_ERR_RANGE (len > tco_info.max_mac),
 *         TCO_ERR_UNSUPPORTED (the device lacks TCO_CAP_HMAC_SHA256 / TCO_CAP_HMAC_SHA1)
 */
TCO_API tco_status tco_hmac(tco_dev *dev, tco_slot slot, tco_hash hash, const uint8_t *msg,
                            size_t len, uint8_t *mac, size_t cap, size_t *mac_len);

/**
 * @brief GSM conversion function c3 (TS 33.102 §6.8.1.2): Kc = CK1^CK2^IK1^IK2 over the
 * 64-bit halves of the 128-bit keys in `ck_slot` and `ik_slot` (both need TCO_USE_GSM_C3).
 * Kc goes to the host: in GERAN it is sent to the BSS anyway. Since Kc is a function of the
 * keys themselves, the two keys must both be releasable (the host may know them) or both be
 * linked to one parent (derived from the last key written to it by tco_kdf_derive without slot parameters, e.g. CK'
 * and IK' from one K_ASME); a host-loaded partner of a secret key is refused (TCO_ERR_USAGE).
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_KEY_LENGTH (not 128-bit keys),
 *         TCO_ERR_NO_SLOT, TCO_ERR_SLOT_EMPTY, TCO_ERR_USAGE
 */
TCO_API tco_status tco_gsm_c3(tco_dev *dev, tco_slot ck_slot, tco_slot ik_slot, uint8_t kc[8]);

/**
 * @brief RFC 3711 §4.3 session key (key derivation rate 0) from the master key in
 * `master_slot` into `dest_slot`: the AES-CM keystream under the master key with IV =
 * (master_salt XOR label at octet 7) || 00 00. Each label fixes the key's role and length:
 * 0 SRTP k_e and 3 SRTCP k_e (TCO_USE_SRTP_KE, the master key's length), 1 and 4 k_a
 * (TCO_USE_SRTP_KA, 20 octets), 2 and 5 k_s (TCO_USE_SRTP_SALT, 14 octets). The master key
 * needs TCO_USE_SRTP_KDF and is 16 or 32 octets. `dest_attrs` may hold the label's role bit
 * (added if absent) and the modifiers; a releasable destination needs TCO_USE_KDF_OUT on
 * the master key. The destination is linked to the master slot: tco_srtp_frame accepts a
 * non-releasable salt only with a k_e linked to the same master. The destination may not be
 * the master slot. The master salt is a parameter: RFC 3711 §9.2 allows it to be public.
 * @return TCO_OK, TCO_ERR_INVALID_ARG (dest = master), TCO_ERR_RANGE (label > 5),
 *         TCO_ERR_NO_SLOT, TCO_ERR_SLOT_EMPTY, TCO_ERR_USAGE (master without SRTP_KDF,
 *         another usage bit in dest_attrs, inheritance), TCO_ERR_KEY_LENGTH,
 *         TCO_ERR_UNSUPPORTED (the device lacks TCO_CAP_SRTP)
 */
TCO_API tco_status tco_srtp_kdf(tco_dev *dev, tco_slot master_slot, uint8_t label,
                                const uint8_t master_salt[14], tco_slot dest_slot,
                                uint32_t dest_attrs);

/**
 * @brief RFC 3394 AES key wrap of the key in `key_slot` (TCO_ATTR_EXTRACTABLE, 16 or 32
 * octets) under the KEK in `kek_slot` (TCO_USE_WRAP, 16 or 32 octets). A key with
 * TCO_ATTR_WRAP_TRUSTED needs a TCO_ATTR_TRUSTED KEK. The key's attributes are bound into
 * the blob: the RFC 3394 IV is A6A6A6A6A6A6 || attrs (two octets, big-endian), so the blob
 * unwraps only with the same attributes. `out` receives len + 8 octets (24 or 40).
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_BUFFER_SMALL (cap < 40 for a 32-octet key,
 *         < 24 for 16), TCO_ERR_NO_SLOT, TCO_ERR_SLOT_EMPTY, TCO_ERR_USAGE,
 *         TCO_ERR_KEY_LENGTH, TCO_ERR_UNSUPPORTED (no TCO_CAP_KEY_WRAP)
 */
TCO_API tco_status tco_key_wrap(tco_dev *dev, tco_slot kek_slot, tco_slot key_slot,
                                uint8_t *out, size_t cap, size_t *out_len);

/**
 * @brief RFC 3394 unwrap of `wrapped` (24 or 40 octets) under the KEK in `kek_slot`
 * (TCO_USE_WRAP) into `dest_slot` with `dest_attrs`, which must be the attributes the blob
 * was wrapped with (they are its IV, see tco_key_wrap) and a valid profile for the key's
 * length. The key is written only if the integrity check passes (otherwise TCO_ERR_AUTH
 * and the destination is untouched).
 * @return TCO_OK, TCO_ERR_INVALID_ARG (length, unknown attribute bits), TCO_ERR_NO_SLOT,
 *         TCO_ERR_SLOT_EMPTY, TCO_ERR_USAGE, TCO_ERR_KEY_LENGTH, TCO_ERR_AUTH,
 *         TCO_ERR_UNSUPPORTED
 */
TCO_API tco_status tco_key_unwrap(tco_dev *dev, tco_slot kek_slot, const uint8_t *wrapped,
                                  size_t len, tco_slot dest_slot, uint32_t dest_attrs);

/** One packet for tco_srtp_frame (docs/protocol.md, SRTP command). */
typedef struct tco_srtp_frame_req {
    unsigned unprotect : 1; /**< 0 protect, 1 verify then decrypt */
    unsigned rtcp : 1;      /**< SRTCP: SSRC at octet 4, no ROC in the MAC input */
    tco_slot ke, ka, ks;    /**< session cipher key (TCO_USE_SRTP_KE), auth key
                                 (TCO_USE_SRTP_KA), salt (TCO_USE_SRTP_SALT); a salt that is
                                 not releasable needs a k_e linked to its master */
    unsigned tag_len;       /**< 0..20 octets; 0: no tag (RFC 4771 packets without MAC):
                                 protect only encrypts, unprotect only decrypts */
    size_t clear_len;       /**< octets sent in clear at the start (RTP header: >= 12) */
    size_t enc_len;         /**< octets encrypted after them; the rest is clear, authenticated */
    uint64_t index;         /**< 48-bit SRTP packet index, or the 31-bit SRTCP index */
    uint32_t roc;           /**< SRTP: appended to the MAC input; SRTCP: ignored */
    const uint8_t *in;      /**< protect: the packet; unprotect: authenticated portion || tag */
    size_t in_len;
    uint8_t *out;           /**< protect: in_len + tag_len octets; unprotect: in_len - tag_len */
    size_t out_cap;
    size_t out_len;         /**< set on success */
    tco_status status;      /**< per-packet result (tco_srtp_frames) */
} tco_srtp_frame_req;

/**
 * @brief Protect or unprotect one packet on the engine: AES-CM over the encrypted region
 * (IV from the salt, the SSRC in the packet and the index, RFC 3711 §4.1.1) and the
 * HMAC-SHA1 tag over the authenticated portion (|| ROC for SRTP). Unprotect verifies the tag
 * first (constant time) and writes nothing on a mismatch (TCO_ERR_AUTH). `out` may equal
 * `in`. This is the bare engine step: index, replay and ROC bookkeeping are the srtp module's
 * (tco_srtp.h).
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_RANGE (packet too long for the backend),
 *         TCO_ERR_BUFFER_SMALL, slot errors, TCO_ERR_USAGE, TCO_ERR_KEY_LENGTH, TCO_ERR_AUTH
 */
TCO_API tco_status tco_srtp_frame(tco_dev *dev, tco_srtp_frame_req *req);

/**
 * @brief tco_srtp_frame over n packets; each gets its own status and out_len. A device
 * backend keeps several frames in flight. Returns TCO_OK when every packet succeeded, else
 * the first packet error (the others are still processed) or a link error.
 */
TCO_API tco_status tco_srtp_frames(tco_dev *dev, tco_srtp_frame_req *reqs, size_t n);

/* ----------------------------------------------------------------------------------------- */
/** @name kdf3gpp: E-UTRAN to UTRAN/GERAN (TS 33.401 A.8, A.13) */

/** Function codes (one place; see docs/derivations.md). */
enum {
    TCO_FC_CKIK_HANDOVER = 0x16, /**< TS 33.401 A.8: CK'||IK' from K_ASME, NAS downlink COUNT */
    TCO_FC_CKIK_IDLE = 0x1B,     /**< TS 33.401 A.13: CK'||IK' from K_ASME, NAS uplink COUNT */
    TCO_FC_K_RNC = 0xF0,         /**< project: K_RNC from CK||IK, freshness F */
    TCO_FC_K_RNC_STAR = 0xF1,    /**< project: K_RNC*(n) from CK||IK, K_RNC*(n-1), NCC */
    TCO_FC_HSPA_ALG_KEY = 0xF2,  /**< project: CK_U / IK_U from the active K_RNC* */
    TCO_FC_K_RNC_TARGET = 0xF3,  /**< project: horizontal K_RNC for a target RNC */
};

/** Largest NAS COUNT: 0x00 || overflow (16 bits) || SQN (8 bits). */
#define TCO_NAS_COUNT_MAX 0x00FFFFFFu

/** Kind of inter-system transfer. */
typedef enum tco_transfer {
    TCO_TRANSFER_HANDOVER = 0, /**< connected-mode handover, FC 0x16, NAS downlink COUNT */
    TCO_TRANSFER_IDLE = 1,     /**< idle-mode mobility TAU->RAU, FC 0x1B, NAS uplink COUNT */
} tco_transfer;

/**
 * @brief CK' || IK' = KDF(K_ASME, FC || COUNT (4 octets) || 00 04), CK' = 128 MSBs,
 * IK' = 128 LSBs, each into its own slot with the given attributes.
 * @param kasme_slot 256-bit K_ASME (TCO_USE_KDF; TCO_USE_KDF_OUT for exportable outputs)
 * @param count  the NAS COUNT, 0 .. TCO_NAS_COUNT_MAX
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_RANGE (count), TCO_ERR_KEY_LENGTH (K_ASME not
 *         256 bits), TCO_ERR_NO_SLOT, TCO_ERR_SLOT_EMPTY, TCO_ERR_USAGE
 */
TCO_API tco_status tco_derive_ckik_prime(tco_dev *dev, tco_slot kasme_slot, tco_transfer kind,
                                         uint32_t count, tco_slot ck_slot, uint32_t ck_attrs,
                                         tco_slot ik_slot, uint32_t ik_attrs);

/* ----------------------------------------------------------------------------------------- */
/** @name kdf3gpp: HSPA+ enhanced keys (project definition, docs/derivations.md) */

/** Type octet of the CK_U / IK_U derivation. */
typedef enum tco_hspa_key_type {
    TCO_HSPA_CK_U = 0x01,
    TCO_HSPA_IK_U = 0x02,
} tco_hspa_key_type;

/** Largest freshness F for K_RNC (the project uses empty, 4-octet counter or 16-octet nonce). */
#define TCO_HSPA_FRESH_MAX 32

/**
 * @brief K_RNC = KDF(CK||IK, 0xF0 || F || len(F)) into `out_slot` (256 bits).
 * @param ckik_slot  256-bit CK||IK (TCO_USE_KDF)
 * @param fresh      freshness F, `fresh_len` 0 .. TCO_HSPA_FRESH_MAX octets (NULL if 0)
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_RANGE, TCO_ERR_KEY_LENGTH, slot errors,
 *         TCO_ERR_USAGE
 */
TCO_API tco_status tco_hspa_k_rnc(tco_dev *dev, tco_slot ckik_slot, const uint8_t *fresh,
                                  size_t fresh_len, tco_slot out_slot, uint32_t attrs);

/**
 * @brief One step of the chain: K_RNC*(n) = KDF(CK||IK, 0xF1 || K_RNC*(n-1) || 00 20 ||
 * n || 00 01), read from `prev_slot` inside the device, written to `out_slot`.
 * @param ncc  n, 1 .. 255
 * @return as tco_hspa_k_rnc; TCO_ERR_RANGE for ncc out of 1..255
 */
TCO_API tco_status tco_hspa_k_rnc_star(tco_dev *dev, tco_slot ckik_slot, tco_slot prev_slot,
                                       unsigned ncc, tco_slot out_slot, uint32_t attrs);

/**
 * @brief CK_U or IK_U = 128 LSBs of KDF(K_RNC*, 0xF2 || type || 00 01 || alg || 00 01).
 * @param krnc_slot  the active 256-bit K_RNC* (TCO_USE_KDF)
 * @param alg  UEA/UIA identity 0..255 (UEA1/UIA1 = 1, UEA2/UIA2 = 2, 0 = null)
 * @return as tco_hspa_k_rnc; TCO_ERR_INVALID_ARG for an unknown type
 */
TCO_API tco_status tco_hspa_alg_key(tco_dev *dev, tco_slot krnc_slot, tco_hspa_key_type type,
                                    unsigned alg, tco_slot out_slot, uint32_t attrs);

/* ----------------------------------------------------------------------------------------- */
/** @name Mobility flows (docs/flows.md) */

/** Target radio access technology of an inter-system transfer. */
typedef enum tco_rat {
    TCO_RAT_UTRAN = 0,
    TCO_RAT_GERAN = 1,
} tco_rat;

/** Keys of a mapped UMTS/GPRS context (values the node may need to send on). */
typedef struct tco_mapped_keys {
    uint32_t count;         /**< the NAS COUNT the derivation used */
    tco_slot ck_slot;       /**< CK' (128 bits) */
    tco_slot ik_slot;       /**< IK' (128 bits) */
    int have_kc;            /**< GERAN: Kc below is set */
    uint8_t kc[8];          /**< GERAN: Kc = c3(CK', IK') */
} tco_mapped_keys;

/** One side (network or UE) of an E-UTRAN -> UTRAN/GERAN transfer. Opaque. */
typedef struct tco_eps_ctx tco_eps_ctx;

/** Who runs the context. */
typedef enum tco_role {
    TCO_ROLE_NETWORK = 0, /**< MME (derives CK'/IK'), and the SGSN it hands them to */
    TCO_ROLE_UE = 1,
} tco_role;

/** Flow states of tco_eps_ctx. */
typedef enum tco_eps_state {
    TCO_EPS_ACTIVE = 0,  /**< EPS security context in use; no transfer under way */
    TCO_EPS_MAPPED = 1,  /**< CK'/IK' derived for a transfer; waiting for complete/cancel */
} tco_eps_state;

/**
 * @brief Create a transfer context around a K_ASME already in `kasme_slot` (256 bits,
 * TCO_USE_KDF, plus TCO_USE_KDF_OUT if `export_keys`). The context takes no ownership of
 * that slot. `dl_count`/`ul_count` are the current NAS COUNTs.
 * @param export_keys  nonzero: derived CK'/IK' are exportable (an MME must send them to the
 *                     SGSN); zero: they stay in the device
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_RANGE, TCO_ERR_NO_MEMORY
 */
TCO_API tco_status tco_eps_ctx_new(tco_dev *dev, tco_role role, tco_slot kasme_slot,
                                   uint32_t dl_count, uint32_t ul_count, int export_keys,
                                   tco_eps_ctx **ctx);

/** Erase the context's derived keys and free it. Accepts NULL. */
TCO_API void tco_eps_ctx_free(tco_eps_ctx *ctx);

/** Current state. */
TCO_API tco_eps_state tco_eps_state_get(const tco_eps_ctx *ctx);

/**
 * @brief Start a transfer (ACTIVE -> MAPPED): derive CK'/IK' into fresh slots and, for
 * GERAN, Kc = c3(CK', IK').
 *
 * Handover (TCO_TRANSFER_HANDOVER, FC 0x16): the network uses its current downlink NAS COUNT
 * and then steps it by one; the UE passes `count` = the downlink COUNT it learnt from the
 * handover command (it keeps its own record at count + 1 afterwards).
 * Idle mobility (TCO_TRANSFER_IDLE, FC 0x1B): both sides use the uplink NAS COUNT of the
 * TAU/RAU request; the UE uses its own current uplink COUNT and steps it by one, the network
 * passes `count` = the uplink COUNT received in the request.
 * For the side that uses its own COUNT, `count` is ignored.
 * @param out  receives the COUNT used, the CK'/IK' slots (owned by the context until
 *             complete/cancel/free) and Kc for GERAN
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_STATE (not ACTIVE), TCO_ERR_RANGE (COUNT
 *         exhausted or out of range), TCO_ERR_NO_FREE_SLOT, engine errors
 */
TCO_API tco_status tco_eps_transfer_start(tco_eps_ctx *ctx, tco_transfer kind, tco_rat target,
                                          uint32_t count, tco_mapped_keys *out);

/**
 * @brief The transfer completed (MAPPED -> ACTIVE). Ownership of the CK'/IK' slots passes to
 * the caller, who erases them with tco_key_erase when the mapped context ends.
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_STATE
 */
TCO_API tco_status tco_eps_transfer_complete(tco_eps_ctx *ctx);

/**
 * @brief The transfer was cancelled (MAPPED -> ACTIVE): CK'/IK' are erased. The stepped
 * COUNT stays stepped, so the next attempt derives fresh keys.
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_STATE
 */
TCO_API tco_status tco_eps_transfer_cancel(tco_eps_ctx *ctx);

/**
 * @brief SGSN side of a transfer to GERAN: Kc = c3(CK', IK') from the CK'/IK' the MME sent.
 * The keys pass through two scratch slots that are erased before return.
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_NO_FREE_SLOT, engine errors
 */
TCO_API tco_status tco_sgsn_geran_kc(tco_dev *dev, const uint8_t ck[16], const uint8_t ik[16],
                                     uint8_t kc[8]);

/** Current NAS COUNTs of the context. */
TCO_API tco_status tco_eps_counts(const tco_eps_ctx *ctx, uint32_t *dl_count,
                                  uint32_t *ul_count);

/** @name SRNC relocation with HSPA+ enhanced keys */

/** Which air-interface keys protect the UE's traffic. */
typedef enum tco_air_keys {
    TCO_AIR_NONE = 0,     /**< no keys yet */
    TCO_AIR_LEGACY = 1,   /**< legacy CK / IK */
    TCO_AIR_ENHANCED = 2, /**< CK_U / IK_U from K_RNC* */
} tco_air_keys;

/** What a party knows of the UE's HSPA+ security capability. */
typedef enum tco_ue_cap {
    TCO_UE_CAP_UNKNOWN = 0,
    TCO_UE_CAP_LEGACY = 1,
    TCO_UE_CAP_ENHANCED = 2,
} tco_ue_cap;

/** States of the target RNC in the relocation flow (seed FIG. 7, steps 700-713). */
typedef enum tco_rnc_state {
    TCO_RNC_IDLE = 0,          /**< no relocation yet */
    TCO_RNC_LEGACY = 1,        /**< on legacy CK/IK for good (legacy RNC or legacy UE) */
    TCO_RNC_LEGACY_PENDING = 2, /**< enhanced RNC on legacy keys until the UE tells its cap */
    TCO_RNC_SMC_PENDING = 3,   /**< UE is enhanced; core network asked to run security mode */
    TCO_RNC_ENHANCED = 4,      /**< CK_U/IK_U active */
} tco_rnc_state;

/** Relocation request as the target RNC receives it. */
typedef struct tco_reloc_request {
    tco_slot ckik_slot;   /**< legacy CK||IK (256 bits) received from the source */
    tco_ue_cap ue_cap;    /**< what the request says of the UE (UNKNOWN from a legacy SRNC) */
    int have_k_rnc_star;  /**< relocation inside the enhanced network: K_RNC* and NCC given */
    tco_slot k_rnc_star_slot; /**< the K_RNC* for this target (the next one in the chain) */
    unsigned ncc;         /**< its NCC */
} tco_reloc_request;

/** Target RNC relocation state machine. Opaque. */
typedef struct tco_rnc tco_rnc;

/**
 * @brief Create a target RNC. `enhanced` = the RNC supports HSPA+ security (RNC+).
 * `alg_enc`/`alg_int` are the UEA/UIA identities for CK_U/IK_U.
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_RANGE, TCO_ERR_NO_MEMORY
 */
TCO_API tco_status tco_rnc_new(tco_dev *dev, int enhanced, unsigned alg_enc, unsigned alg_int,
                               tco_rnc **rnc);
/** Erase the enhanced keys the RNC derived and free it. Accepts NULL. */
TCO_API void tco_rnc_free(tco_rnc *rnc);
/** Current state. */
TCO_API tco_rnc_state tco_rnc_state_get(const tco_rnc *rnc);

/**
 * @brief Relocation request (steps 700-703): a legacy RNC, or an RNC+ told the UE is legacy,
 * goes to LEGACY; an RNC+ told the UE is enhanced and given K_RNC* derives CK_U/IK_U and goes
 * to ENHANCED; an RNC+ that cannot tell the UE's capability protects with the received
 * legacy keys (LEGACY_PENDING). An RNC+ told the UE is enhanced without K_RNC* also stays on
 * legacy keys and asks for security mode at once (SMC_PENDING).
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_STATE (not IDLE), engine errors
 */
TCO_API tco_status tco_rnc_relocation_request(tco_rnc *rnc, const tco_reloc_request *req);

/**
 * @brief The UE's first message on the target (Physical Channel Reconfiguration Complete /
 * UTRAN Mobility Information Confirm, steps 705-710), verified with the legacy keys, shows
 * its capability. LEGACY_PENDING -> SMC_PENDING (enhanced UE: notify the core network, see
 * `*notify_cn`) or LEGACY (legacy UE). In other states the capability is only recorded.
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_STATE (IDLE)
 */
TCO_API tco_status tco_rnc_ue_message(tco_rnc *rnc, tco_ue_cap ue_cap, int *notify_cn);

/**
 * @brief Security mode command from the core node (steps 810-813) with K_RNC* and its NCC:
 * derive CK_U/IK_U and switch to ENHANCED. Allowed in SMC_PENDING, and in ENHANCED (a rekey).
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_STATE, engine errors
 */
TCO_API tco_status tco_rnc_security_mode(tco_rnc *rnc, tco_slot k_rnc_star_slot, unsigned ncc);

/**
 * @brief The keys in force: which kind, and their slots (legacy: the CK||IK slot in both;
 * enhanced: CK_U and IK_U slots, owned by the RNC). `ncc` is the NCC of the active K_RNC*.
 * @return TCO_OK, TCO_ERR_INVALID_ARG
 */
TCO_API tco_status tco_rnc_keys(const tco_rnc *rnc, tco_air_keys *kind, tco_slot *ck,
                                tco_slot *ik, unsigned *ncc);

/** Core-network node (SGSN+/MSC+) and UE side of the HSPA+ key hierarchy. Opaque. */
typedef struct tco_hspa tco_hspa;

/**
 * @brief Create the key chain for CK||IK in `ckik_slot` (256 bits, TCO_USE_KDF, plus
 * TCO_USE_KDF_OUT if `export_keys`) with freshness F: derives K_RNC (NCC = 0).
 * The core node uses `export_keys` = 1 (it sends K_RNC* to the RNC in the security mode
 * command); a UE keeps everything in the device.
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_RANGE, TCO_ERR_NO_MEMORY, engine errors
 */
TCO_API tco_status tco_hspa_new(tco_dev *dev, tco_slot ckik_slot, const uint8_t *fresh,
                                size_t fresh_len, int export_keys, tco_hspa **h);
/** Erase every key of the chain and free it (not the CK||IK slot). Accepts NULL. */
TCO_API void tco_hspa_free(tco_hspa *h);

/**
 * @brief Step the chain by one (relocation inside the enhanced network): K_RNC*(n+1).
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_RANGE (NCC 255 reached: re-authenticate),
 *         engine errors
 */
TCO_API tco_status tco_hspa_step(tco_hspa *h);

/**
 * @brief Walk the chain forward to the first NCC whose low `ncc_bits` bits equal `ncc`
 * (ncc_bits 1..8; 8 = the exact value). A UE told a truncated NCC uses this.
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_RANGE (would pass 255), engine errors
 */
TCO_API tco_status tco_hspa_sync(tco_hspa *h, unsigned ncc, unsigned ncc_bits);

/**
 * @brief The current chain value: its NCC and the slot holding K_RNC*(NCC) (owned by the
 * chain; NCC 0 is K_RNC).
 */
TCO_API tco_status tco_hspa_current(const tco_hspa *h, unsigned *ncc, tco_slot *k_rnc_star);

/**
 * @brief CK_U and IK_U from the current K_RNC* into new slots the caller owns.
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_NO_FREE_SLOT, engine errors
 */
TCO_API tco_status tco_hspa_air_keys(tco_hspa *h, unsigned alg_enc, unsigned alg_int,
                                     uint32_t attrs, tco_slot *ck_u, tco_slot *ik_u);

#ifdef __cplusplus
}
#endif
#endif /* TCO_H */
