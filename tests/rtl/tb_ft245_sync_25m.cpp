// SPDX-License-Identifier: MIT
// Bench for ft245_sync: core clock 25 MHz, 512-octet FIFOs in block RAM, bursts of 64 (tb_ft245_sync_25m.f sets the same parameters).
#define TB_NAME "ft245_sync_25m"
#define TB_CORE_PS 40000
#define TB_FIFO_AW 9
#define TB_BURST 64
#include "tb_ft245_sync.h"
