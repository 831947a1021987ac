/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file tco_mbms.h
 * @brief MBMS group keys: a logical key hierarchy (key tree) with join/leave rekeying.
 *
 * The key server (BM-SC side) keeps a tree of arity a: the group key at the root (MSK),
 * node keys inside, one leaf per member holding the member's own key (MUK). Node keys are
 * random, generated per rekey; the server never holds them in the clear between operations:
 * each is kept as an RFC 3394 blob wrapped under a storage key that lives in a device slot, and
 * is unwrapped into a slot only for the wrap operations of a rekey (tco_key_wrap /
 * tco_key_unwrap), so on a device backend a node key never crosses the link in the clear.
 * Rekey messages are byte strings in the record format of docs/mbms.md; the member side
 * (tco_mbms_member) processes them holding only its own path keys.
 *
 * Under the key model (docs/keys.md) every key has one role: node and leaf keys are KEKs
 * (TCO_MBMS_NODE_ATTRS), the group key is a KDF key (TCO_MBMS_GROUP_ATTRS) from which the
 * message tag key and the KEK of joins with rekey are derived; the storage key is a KEK that
 * is not extractable. A key the device wraps must be extractable, so node keys and the group
 * key are releasable: whoever holds the server's handle can learn them (by wrapping them
 * under a KEK of its own), and with the group key every traffic key; only the storage key it
 * cannot. The server's device keeps the keys off the host in normal operation (and off the
 * link of a device backend); it does not keep them from the server's own host.
 *
 * Thread rule: one thread at a time per server (it shares its device handle's rule); member
 * models are independent objects.
 */
#ifndef TCO_MBMS_H
#define TCO_MBMS_H

#include "tco.h"
#include "tco_srtp.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Tree shape. */
typedef struct tco_mbms_params {
    unsigned arity;       /**< children per node, 2..16 (0: 2) */
    uint32_t max_members; /**< leaves; the tree has the least depth that holds them */
    size_t key_len;       /**< node and leaf keys: 16 or 32 octets (0: 16) */
    /** Reproducible runs and tests only: nonzero length makes the server draw node keys from
     * HMAC-SHA-256(seed, counter) instead of the random generator, so two servers given the
     * same seed and the same operations emit identical messages. Never in production. */
    const uint8_t *test_seed;
    size_t test_seed_len;
} tco_mbms_params;

typedef struct tco_mbms_server tco_mbms_server;

/** A rekey message (owned by the server; valid until its next call). */
typedef struct tco_mbms_msg {
    const uint8_t *data;
    size_t len; /**< 0: no message (nothing to send) */
} tco_mbms_msg;

/** Attributes of node and leaf keys (KEKs): bound into their blobs and message records (the
 * RFC 3394 IV is A6A6A6A6A6A6 || attributes, tco_key_wrap), so part of the message format. */
#define TCO_MBMS_NODE_ATTRS (TCO_USE_WRAP | TCO_ATTR_EXTRACTABLE)
/** Attributes of the group key (MSK: KDF key of the traffic keys, the tag key, and the KEK
 * that carries the next group key in a join with rekey). USE_KDF_OUT because some of its
 * children are MAC keys (the tag key, the download HMAC key), which the key model derives
 * only from parents with USE_KDF_OUT; the MSK is releasable anyway (extractable, and every
 * member holds it), so that releases nothing more. */
#define TCO_MBMS_GROUP_ATTRS (TCO_USE_KDF | TCO_USE_KDF_OUT | TCO_ATTR_EXTRACTABLE)

/** Message kinds (octet 1 of a message). */
enum { TCO_MBMS_JOIN_MULTICAST = 1, TCO_MBMS_JOIN_UNICAST = 2, TCO_MBMS_LEAVE = 3 };

/** Create a server on `dev` (needs TCO_CAP_KEY_WRAP; uses four slots). */
TCO_API tco_status tco_mbms_server_create(tco_dev *dev, const tco_mbms_params *params,
                                          tco_mbms_server **out);
/** Erase the server's slots and blobs and free it. NULL is fine. */
TCO_API void tco_mbms_server_free(tco_mbms_server *s);

/**
 * @brief Add a member with its leaf key (the MUK, `key_len` octets).
 * @param rekey nonzero: backward secrecy: every key on the new member's path changes; the
 *              members already under each changed node get the new key in `multicast`,
 *              wrapped under the old version of that node's key. Zero: the path keys stay
 *              and only the joiner learns them.
 * @param member    out: the member's id (its leaf number, 0 .. max_members-1)
 * @param unicast   out: the joiner's message (its path keys wrapped under its leaf key)
 * @param multicast out: the message for the others (len 0 without rekey)
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_KEY_LENGTH, TCO_ERR_STATE (the tree is full),
 *         device errors
 */
TCO_API tco_status tco_mbms_join(tco_mbms_server *s, const uint8_t *leaf_key, size_t len,
                                 int rekey, uint32_t *member, tco_mbms_msg *unicast,
                                 tco_mbms_msg *multicast);
/**
 * @brief Remove a member (forward secrecy): its leaf is cut and every key on its path is
 * renewed bottom-up, each new key wrapped under the current key of each remaining child
 * subtree; the group key last. `multicast` is empty when the group becomes empty.
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_STATE (no such member), device errors
 */
TCO_API tco_status tco_mbms_leave(tco_mbms_server *s, uint32_t member,
                                  tco_mbms_msg *multicast);
/** Current group key version (0: no group key yet). */
TCO_API uint32_t tco_mbms_group_version(const tco_mbms_server *s);
/** Number of members. */
TCO_API uint32_t tco_mbms_members(const tco_mbms_server *s);
/** Depth of the tree (edges from root to a leaf). */
TCO_API unsigned tco_mbms_depth(const tco_mbms_server *s);
/**
 * @brief Unwrap the current group key into `slot`, with the attributes its blob binds:
 * TCO_MBMS_GROUP_ATTRS (a KDF key: derive MTKs from it with tco_kdf_derive, e.g. the
 * traffic keys of docs/mbms.md; it cannot tag, wrap or encrypt itself). API change with the
 * key model: the `attrs` parameter is gone, since a caller's choice of attributes (e.g.
 * TCO_USE_WRAP, or TCO_USE_HMAC beside a KEK role) would break the one-role rule.
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_STATE (no group key: the group is empty),
 *         slot and device errors
 */
TCO_API tco_status tco_mbms_group_key_to_slot(tco_mbms_server *s, tco_slot slot);

/* ----------------------------------------------------------------------------------------- */
/** The receiving side: one member holding only its leaf key and the path keys it was sent. */
typedef struct tco_mbms_member tco_mbms_member;

/** A member model for leaf `member` of a tree of this shape, holding `leaf_key`. */
TCO_API tco_status tco_mbms_member_create(const tco_mbms_params *params, uint32_t member,
                                          const uint8_t *leaf_key, size_t len,
                                          tco_mbms_member **out);
TCO_API void tco_mbms_member_free(tco_mbms_member *m);
/**
 * @brief Process a message: every record whose wrapping key (node and version) the member
 * holds is unwrapped, in order (a key learnt from one record may unwrap a later one); then
 * the message tag is checked under the newest group key. Only if every unwrap it tried and
 * the tag are good, and the member reached the group key version the message announces, are
 * the new keys kept; otherwise nothing changes.
 * @return TCO_OK, TCO_ERR_INVALID_ARG (malformed or truncated message), TCO_ERR_AUTH (an
 *         unwrap or the tag failed), TCO_ERR_REPLAY (the message brings no group key newer
 *         than the member's: replayed, or older than one already taken), TCO_ERR_STATE (the
 *         member cannot follow it: it missed an earlier message, or it is not a member, e.g.
 *         after its leave)
 */
TCO_API tco_status tco_mbms_member_process(tco_mbms_member *m, const uint8_t *msg, size_t len);
/** The member's group key and its version; TCO_ERR_STATE if it has none. */
TCO_API tco_status tco_mbms_member_group_key(const tco_mbms_member *m, uint8_t key[32],
                                             size_t *len, uint32_t *version);
/** Version of node `node`'s key the member holds (0: none). */
TCO_API uint32_t tco_mbms_member_key_version(const tco_mbms_member *m, uint32_t node);

/* ----------------------------------------------------------------------------------------- */
/** @name Traffic keys and the broadcast stream (docs/mbms.md, "Traffic keys")
 * Traffic keys (MTKs) hang below the group key (MSK): for MTK ID t under group key version v
 * the project derivation is KDF(MSK, FC 0xF4, P0 = usage, P1 = v (4), P2 = t (4)) with the
 * 3GPP KDF; usage 1 gives the SRTP master key (first key_len octets), 2 the AES-128 key of
 * download objects (first 16), 3 their HMAC-SHA-256 key (32); with t = 0, usage 4 gives the
 * rekey messages' tag key (32) and usage 5 the group KEK (first key_len octets). The SRTP
 * master salt is public: the first 14 octets of SHA-256("tco-mbms-salt" || v || t). The server
 * derives in device slots (the MSK and the MTKs never reach the host in normal operation on a
 * device backend; both can be learnt by whoever holds the handle, see above); a member
 * derives from the group key it holds. Streaming packets carry MKI = v (4) || t (4), so a
 * receiver switches keys at the right packet. */

#define TCO_MBMS_FC_TRAFFIC 0xF4u /**< project FC of the traffic-key derivation */
#define TCO_MBMS_MKI_LEN 8u       /**< MKI of stream packets: MSK ID (4) || MTK ID (4) */
#define TCO_MBMS_DL_HDR 24u       /**< download object header */
#define TCO_MBMS_DL_CHUNK 1024u   /**< download object: octets of ciphertext per tag */
#define TCO_MBMS_DL_TAG 16u       /**< download object: tag per chunk */

/**
 * @brief Sender: derive the SRTP master key of traffic key `mtk_id` under the current group
 * key, add it to `srtp` (a session with mki_len TCO_MBMS_MKI_LEN, any profile) under MKI
 * (group version, mtk_id), make it the sending key and remove the session's other keys.
 * @return TCO_OK, TCO_ERR_INVALID_ARG (mki_len not 8), TCO_ERR_STATE (no group key yet, or
 *         that MKI is already in the session), slot and device errors
 */
TCO_API tco_status tco_mbms_srtp_rekey(tco_mbms_server *s, tco_srtp *srtp, uint32_t mtk_id);

/**
 * @brief Member: the SRTP master key || salt of traffic key (`msk_id`, `mtk_id`), as
 * tco_srtp_add_key takes it (`master_len` + 14 octets; master_len 16 for AES-128 profiles,
 * 32 for AES-256).
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_STATE (the member does not hold group key
 *         version `msk_id`: not a member then, or not yet told)
 */
TCO_API tco_status tco_mbms_member_srtp_key(const tco_mbms_member *m, uint32_t msk_id,
                                            uint32_t mtk_id, size_t master_len,
                                            uint8_t key_salt[46], size_t *len);

/** A member's receiving end of the stream: an SRTP session whose keys it installs itself. */
typedef struct tco_mbms_rx tco_mbms_rx;

/** Receive with member `m` (kept, not owned) into SRTP session `srtp` (kept, not owned; its
 * policy must have mki_len TCO_MBMS_MKI_LEN and match the sender's profile and RCC mode). */
TCO_API tco_status tco_mbms_rx_create(tco_mbms_member *m, tco_srtp *srtp, tco_mbms_rx **out);
TCO_API void tco_mbms_rx_free(tco_mbms_rx *rx);
/**
 * @brief Unprotect one stream packet. If its MKI names a traffic key the session does not
 * hold and the member holds that group key version, the key is derived and added first (the
 * session keeps the newest three traffic keys; the oldest goes).
 * @return as tco_srtp_unprotect; TCO_ERR_UNKNOWN_MKI when the member cannot have the key
 *         (a group key from before it joined or after it left)
 */
TCO_API tco_status tco_mbms_rx_unprotect(tco_mbms_rx *rx, const uint8_t *in, size_t len,
                                         uint8_t *out, size_t cap, size_t *out_len);

/**
 * @brief Sender: seal a download object under traffic key `mtk_id` of the current group key.
 * out = header (24: version 1, kind 'D', 2 zero octets, group version (4), mtk_id (4),
 * object_id (8), length (4)) || for each 1024-octet chunk i of the AES-128-CTR ciphertext
 * (counter block object_id || 0^8, 64-bit counter): chunk || HMAC-SHA-256(header || i (4) ||
 * chunk) truncated to 16. Size: tco_mbms_download_size(len). The whole object streams
 * through the AES engine in one call (a device backend pipelines its frames).
 * @return TCO_OK, TCO_ERR_INVALID_ARG, TCO_ERR_RANGE (len >= 2^32), TCO_ERR_BUFFER_SMALL,
 *         TCO_ERR_STATE (no group key), device errors
 */
TCO_API tco_status tco_mbms_download_seal(tco_mbms_server *s, uint32_t mtk_id,
                                          uint64_t object_id, const uint8_t *in, size_t len,
                                          uint8_t *out, size_t cap, size_t *out_len);
/** Sealed size of a `len`-octet object. */
TCO_API size_t tco_mbms_download_size(size_t len);
/**
 * @brief Member: check every tag of a download object, then decrypt it into `out` (length
 * from the header). Nothing is written unless every tag verifies.
 * @return TCO_OK, TCO_ERR_INVALID_ARG (malformed: bad header, length that does not match),
 *         TCO_ERR_STATE (the member does not hold that group key version), TCO_ERR_AUTH,
 *         TCO_ERR_BUFFER_SMALL
 */
TCO_API tco_status tco_mbms_member_download_open(const tco_mbms_member *m, const uint8_t *in,
                                                 size_t len, uint8_t *out, size_t cap,
                                                 size_t *out_len);

#ifdef __cplusplus
}
#endif

#endif /* TCO_MBMS_H */
