// SPDX-License-Identifier: MIT
// Bench for uart_io at 12 MHz / 3 Mbaud (4 samples per bit on the board clock), 16-octet receive FIFO (tb_uart_io_3m.f sets the same parameters).
#define TB_NAME "uart_io_3m"
#define TB_CLK_HZ 12000000
#define TB_BAUD 3000000
#define TB_FIFO_AW 4
#include "tb_uart_io.h"
