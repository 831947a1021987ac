// SPDX-License-Identifier: MIT
// Bench for uart_io at 12 MHz / 115200 baud, 16-octet receive FIFO (tb_uart_io.f sets the same parameters).
#define TB_NAME "uart_io"
#define TB_CLK_HZ 12000000
#define TB_BAUD 115200
#define TB_FIFO_AW 4
#include "tb_uart_io.h"
