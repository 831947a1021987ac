// SPDX-License-Identifier: MIT
// Bench for uart_fifo with 4 words, block-RAM variant (tb_uart_fifo_bram.f sets the same AW).
#define TB_NAME "uart_fifo_bram"
#define TB_AW 2
#include "tb_uart_fifo.h"
