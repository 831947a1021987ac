// SPDX-License-Identifier: MIT
// Bench for uart_io at 48 MHz / 12 Mbaud, 16-octet receive FIFO (tb_uart_io_12m.f sets the same parameters).
#define TB_NAME "uart_io_12m"
#define TB_CLK_HZ 48000000
#define TB_BAUD 12000000
#define TB_FIFO_AW 4
#include "tb_uart_io.h"
