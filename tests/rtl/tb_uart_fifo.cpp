// SPDX-License-Identifier: MIT
// Bench for uart_fifo with 16 words in flops (tb_uart_fifo.f sets the same AW).
#define TB_NAME "uart_fifo"
#define TB_AW 4
#include "tb_uart_fifo.h"
