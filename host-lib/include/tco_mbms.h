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
 * Thread rule: one thread at a time per server (it shares its device handle's rule); member
 * models are independent objects.
 */
#ifndef TCO_MBMS_H
#define TCO_MBMS_H

#include "tco.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Tree shape. */
typedef struct tco_mbms_params {
    unsigned arity;       /**< children per node, 2..16 (0: 2) */
    uint32_t max_members; /**< leaves; the tree has the least depth that holds them */
    size_t key_len;       /**< node and leaf keys: 16 or 32 octets (0: 16) */
} tco_mbms_params;

typedef struct tco_mbms_server tco_mbms_server;

/** A rekey message (owned by the server; valid until its next call). */
typedef struct tco_mbms_msg {
    const uint8_t *data;
    size_t len; /**< 0: no message (nothing to send) */
} tco_mbms_msg;

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
/** Load the current group key into `slot` with `attrs` (e.g. TCO_USE_KDF to derive MTKs);
 * attributes as for tco_key_unwrap. */
TCO_API tco_status tco_mbms_group_key_to_slot(tco_mbms_server *s, tco_slot slot,
                                              uint32_t attrs);

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
 * the tag are good are the new keys kept; otherwise nothing changes.
 * @return TCO_OK (including "nothing for this member"), TCO_ERR_INVALID_ARG (malformed
 *         message), TCO_ERR_AUTH (an unwrap or the tag failed)
 */
TCO_API tco_status tco_mbms_member_process(tco_mbms_member *m, const uint8_t *msg, size_t len);
/** The member's group key and its version; TCO_ERR_STATE if it has none. */
TCO_API tco_status tco_mbms_member_group_key(const tco_mbms_member *m, uint8_t key[32],
                                             size_t *len, uint32_t *version);
/** Version of node `node`'s key the member holds (0: none). */
TCO_API uint32_t tco_mbms_member_key_version(const tco_mbms_member *m, uint32_t node);

#ifdef __cplusplus
}
#endif

#endif /* TCO_MBMS_H */
