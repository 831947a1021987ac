/* SPDX-License-Identifier: Apache-2.0 */
/* C interface of the simulated tco device: the RTL top (rtl/top/tco_sim_top.v) built by
 * Verilator into libtcosim. One instance = one device with its own clock.
 *
 * Octets pushed are queued and fed to the device's receive stream as fast as it accepts
 * them while the clock runs; octets the device sends are collected into a queue that
 * tco_sim_pull drains. Nothing happens between calls: the clock only runs in tco_sim_step. */
#ifndef TCO_SIM_H
#define TCO_SIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TCO_SIM_ABI 1 /* bumped when this interface changes */

typedef struct tco_sim tco_sim;

/* ABI version of the library (compare with TCO_SIM_ABI). */
int tco_sim_abi(void);

/* Create a device, held in reset for a few cycles and released. trace: FST file to write
 * a waveform to, or NULL for none. Returns NULL on failure. */
tco_sim *tco_sim_create(const char *trace);

/* Finish the trace and free the device. Accepts NULL. */
void tco_sim_destroy(tco_sim *s);

/* Queue n octets for the device. Returns n (the queue grows as needed) or 0 on failure. */
size_t tco_sim_push(tco_sim *s, const uint8_t *p, size_t n);

/* Move up to cap octets the device has sent into p; returns how many. */
size_t tco_sim_pull(tco_sim *s, uint8_t *p, size_t cap);

/* Octets waiting in each direction. */
size_t tco_sim_rx_pending(const tco_sim *s); /* pushed, not yet taken by the device */
size_t tco_sim_tx_pending(const tco_sim *s); /* sent by the device, not yet pulled */

/* Run the clock for n cycles. */
void tco_sim_step(tco_sim *s, uint64_t n);

/* Run the clock until the device has sent at least `want` octets in total waiting in the
 * tx queue, or `max_cycles` have passed. Returns the cycles run. */
uint64_t tco_sim_run_until(tco_sim *s, size_t want, uint64_t max_cycles);

/* Cycles since creation. */
uint64_t tco_sim_cycles(const tco_sim *s);

#ifdef __cplusplus
}
#endif
#endif
