// SPDX-License-Identifier: MIT
// Bench for async_fifo: 16 words in block RAM (tb_async_fifo.f sets the same parameters).
#define TB_NAME "async_fifo"
#define TB_AW 4
#include "tb_async_fifo.h"
