/* SPDX-License-Identifier: Apache-2.0 */
/* Byte-stream transports below the frame codec: sim (the Verilated device in libtcosim),
 * usb (an FTDI FT2232H/FT232H through libusb-1.0); pcie later. Each is a table of
 * operations; all return tco_status values. */
#ifndef TCO_TRANSPORT_H
#define TCO_TRANSPORT_H

#include "tco.h"

#include <stddef.h>
#include <stdint.h>

typedef struct tco_transport tco_transport;

/* Kinds of injected link faults (driver/sim.c; tests read the counts). */
enum {
    TCO_FAULT_FLIP,
    TCO_FAULT_DROP,
    TCO_FAULT_DUP,
    TCO_FAULT_INSERT,
    TCO_FAULT_STALL,
    TCO_FAULT_RESET,
    TCO_FAULT_KINDS
};

typedef struct tco_transport_ops {
    const char *scheme;
    /* Open from the URI text after "scheme:". */
    tco_status (*open)(tco_transport **t, const char *args);
    void (*close)(tco_transport *t);
    /* Queue n octets for the device (all of them, or an error). */
    tco_status (*send)(tco_transport *t, const uint8_t *p, size_t n);
    /* Wait for at least one octet from the device (up to the transport's timeout), then
     * return what is there: *got = 1..cap, or TCO_ERR_TIMEOUT with *got = 0. */
    tco_status (*recv)(tco_transport *t, uint8_t *p, size_t cap, size_t *got);
    /* Let the device idle for its frame timeout (so a partial frame is dropped); used after
     * a receive timeout to resynchronise. */
    void (*idle)(tco_transport *t);
    /* Host-side view of device time: cycles run so far (sim), 0 where unknown. */
    uint64_t (*cycles)(tco_transport *t);
    /* Octets of requests the device side can hold beyond the one it is working on (a serial
     * line without flow control into a small receive FIFO); NULL or SIZE_MAX: flow
     * controlled, any number. The host keeps the frames in flight within it. */
    size_t (*window)(tco_transport *t);
    /* Faults injected so far (sim with faults=...; NULL where there is no injection). */
    void (*fault_stats)(tco_transport *t, uint64_t st[TCO_FAULT_KINDS]);
} tco_transport_ops;

extern const tco_transport_ops tco_transport_sim;
extern const tco_transport_ops tco_transport_usb;

/* usb open with its reason on failure: a line of text in why (cap octets; may be NULL), such
 * as "no USB device 0403:6010 found" with TCO_ERR_NO_DEVICE. */
tco_status tco_usb_open(tco_transport **t, const char *args, char *why, size_t cap);
extern const tco_transport_ops tco_transport_pcie; /* driver/pcie.c, docs/pcie.md */

#endif
