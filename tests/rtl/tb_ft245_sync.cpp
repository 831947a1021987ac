// SPDX-License-Identifier: MIT
// Bench for ft245_sync: core clock 48 MHz, 16-octet FIFOs in flops, bursts of 8 (tb_ft245_sync.f sets the same parameters).
#define TB_NAME "ft245_sync"
#define TB_CORE_PS 20833
#define TB_FIFO_AW 4
#define TB_BURST 8
#include "tb_ft245_sync.h"
