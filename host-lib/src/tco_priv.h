/* SPDX-License-Identifier: Apache-2.0 */
/* tco private header: the handle, the backend ops table, shared helpers. */
#ifndef TCO_PRIV_H
#define TCO_PRIV_H

#include "tco.h"

#include <stdarg.h>
#include <stdbool.h>

/*
 * Engine-operation interface: one table per URI scheme. The front end (tco.c) has already
 * checked every argument that needs no device state (NULL pointers, slot numbers < num_slots,
 * key and data lengths, attribute bits, ctr_bits); a backend checks what the device knows
 * (slot empty, usage attributes, key lengths of stored keys) exactly as the RTL does, and
 * returns the same status codes. No op may leave partial output on error.
 */
typedef struct tco_backend_ops {
    const char *scheme; /* "soft" */

    /* Bring the device up; `args` is the URI after "scheme:". Sets dev->num_slots,
     * dev->caps, dev->max_data and dev->be (backend state). */
    tco_status (*open)(tco_dev *dev, const char *args);
    /* Zeroise every slot and release backend state. */
    void (*close)(tco_dev *dev);
    /* Version text and cycle counter; the front end fills the rest. */
    tco_status (*info)(tco_dev *dev, tco_info *info);

    tco_status (*key_write)(tco_dev *dev, tco_slot slot, const uint8_t *key, size_t len,
                            uint32_t attrs);
    /* Copies the key to out (32 octets of room) if exportable. */
    tco_status (*key_read)(tco_dev *dev, tco_slot slot, uint8_t out[32], size_t *len);
    tco_status (*key_erase)(tco_dev *dev, tco_slot slot);
    tco_status (*key_info)(tco_dev *dev, tco_slot slot, size_t *len, uint32_t *attrs);

    /* 3GPP KDF. Exactly one of out (host output) and dest (slots) is non-NULL. */
    tco_status (*kdf)(tco_dev *dev, tco_slot key_slot, uint8_t fc, const tco_kdf_param *p,
                      size_t np, uint8_t *out, const tco_kdf_dest *dest);
    tco_status (*aes_block)(tco_dev *dev, tco_slot slot, const uint8_t in[16], uint8_t out[16]);
    tco_status (*aes_ctr)(tco_dev *dev, tco_slot slot, const uint8_t ctr[16], unsigned ctr_bits,
                          const uint8_t *in, uint8_t *out, size_t len);
    /* mac has room for 32 octets. */
    tco_status (*hmac)(tco_dev *dev, tco_slot slot, tco_hash hash, const uint8_t *msg,
                       size_t len, uint8_t *mac, size_t *mac_len);
    tco_status (*gsm_c3)(tco_dev *dev, tco_slot ck_slot, tco_slot ik_slot, uint8_t kc[8]);

    /* RFC 3711 session key into a slot (label, dest != master and attribute bits already
     * checked; dest_attrs holds the label's role bit). */
    tco_status (*srtp_kdf)(tco_dev *dev, tco_slot master, uint8_t label, const uint8_t salt[14],
                           tco_slot dest, uint32_t dest_attrs);
    /* SRTP packets: the front end has checked every request's shape and set status to
     * TCO_OK on those to run (others are skipped). Sets status and out_len of each; returns
     * TCO_OK, or a link error that also ended every request not yet answered. */
    tco_status (*srtp_frames)(tco_dev *dev, tco_srtp_frame_req *reqs, size_t n);

    /* RFC 3394 (lengths and attributes already checked); out has 40 octets of room. */
    tco_status (*key_wrap)(tco_dev *dev, tco_slot kek, tco_slot key, uint8_t out[40],
                           size_t *out_len);
    tco_status (*key_unwrap)(tco_dev *dev, tco_slot kek, const uint8_t *wrapped, size_t len,
                             tco_slot dest, uint32_t dest_attrs);
} tco_backend_ops;

struct tco_dev {
    const tco_backend_ops *ops;
    void *be;            /* backend state */
    uint32_t num_slots;  /* set by ops->open */
    uint32_t caps;       /* TCO_CAP_* */
    uint32_t max_data;   /* largest AES-CTR buffer per call */
    uint32_t max_mac;    /* largest HMAC message per call */
    uint32_t max_srtp;   /* largest SRTP packet (input octets) per frame */
    uint64_t link_retries; /* requests resent after link faults (device backends) */
    uint8_t *slot_used;  /* host-side allocation map, num_slots entries */
    tco_log_fn log;
    void *log_user;
    tco_log_level log_level;
    bool auto_fallback;  /* auto:?fallback=soft: tco_health_check may switch to soft: */
    uint64_t health_ns;      /* auto:?health=MS: run the health check this often (0: never) */
    uint64_t health_last_ns; /* monotonic time of the last one */
    bool in_health;          /* a health check is running (its own calls do not tick) */
    uint32_t fallback;   /* TCO_FALLBACK_*: why this auto: handle runs on soft: */
};

extern const tco_backend_ops tco_soft_backend;
extern const tco_backend_ops tco_sim_backend;
extern const tco_backend_ops tco_pcie_backend;
extern const tco_backend_ops tco_usb_backend;

/* Open `ops` on a zeroed (or released) handle: backend open, slot map, self-test. On failure
 * the handle holds no backend (dev->ops NULL). Logs through dev's callback. */
tco_status tco_dev_open(tco_dev *dev, const tco_backend_ops *ops, const char *args);
/* Erase the slots (all of them; with stop_on_link_error, until the first IO/TIMEOUT), close
 * the backend, free the slot map; dev->ops is NULL afterwards. */
void tco_dev_release(tco_dev *dev, bool stop_on_link_error);
/* The built-in backend for a scheme of slen characters, or NULL. */
const tco_backend_ops *tco_backend_find(const char *scheme, size_t slen);
/* auto: (host-lib/src/auto.c): open the first working device, or soft: where allowed. */
tco_status tco_auto_open(tco_dev *dev, const char *args);
/* After a failed health check of an auto: handle that allows it: switch to soft:. */
tco_status tco_auto_failover(tco_dev *dev);

/* Wire tap (device backends only; for tests): called with every octet sent (dir 0) and
 * received (dir 1). Key material crosses here only in KEY_WRITE and exportable KEY_READ. */
typedef void (*tco_wire_tap_fn)(void *user, int dir, const uint8_t *p, size_t n);
void tco_wire_set_tap(tco_dev *dev, tco_wire_tap_fn fn, void *user);
/* Faults the transport injected (driver/transport.h TCO_FAULT_*: flip, drop, dup, insert,
 * stall, reset); zeros where it injects none. For tests. */
void tco_wire_fault_stats(tco_dev *dev, uint64_t st[6]);

/* Log a line through the handle's callback (printf format; never pass key bytes). */
void tco_log(tco_dev *dev, tco_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Monotonic clock, nanoseconds. */
uint64_t tco_now_ns(void);

/* Zeroise memory in a way the compiler keeps. */
void tco_cleanse(void *p, size_t n);

/* Constant-time comparison: 0 if equal. */
int tco_ct_memcmp(const void *a, const void *b, size_t n);

/* Known-answer self-test over the engine ops (uses one free slot). */
tco_status tco_run_selftest(tco_dev *dev);

/* Mark slots used/free in the host-side allocation map (slot already range-checked). */
void tco_slot_mark(tco_dev *dev, tco_slot slot, bool used);

/* Allocate `n` slots at once; on failure none stays allocated. */
tco_status tco_slot_alloc_n(tco_dev *dev, tco_slot *slots, size_t n);

#define TCO_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif /* TCO_PRIV_H */
