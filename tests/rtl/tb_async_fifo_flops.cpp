// SPDX-License-Identifier: MIT
// Bench for async_fifo: 4 words in flops, full or empty most of the time (tb_async_fifo_flops.f
// sets the same parameters).
#define TB_NAME "async_fifo_flops"
#define TB_AW 2
#include "tb_async_fifo.h"
