// SPDX-License-Identifier: MIT
// Bench for ft245_sync: core clock 100 MHz (faster than the bus), 32-octet FIFOs in block RAM,
// bursts of 16 (tb_ft245_sync_100m.f sets the same parameters).
#define TB_NAME "ft245_sync_100m"
#define TB_CORE_PS 10000
#define TB_FIFO_AW 5
#define TB_BURST 16
#include "tb_ft245_sync.h"
