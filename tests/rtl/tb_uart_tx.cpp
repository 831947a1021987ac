// SPDX-License-Identifier: MIT
// Bench for uart_tx at 12 MHz / 115200 baud (bits of 104 or 105 clocks) (tb_uart_tx.f sets the same parameters).
#define TB_NAME "uart_tx"
#define TB_CLK_HZ 12000000
#define TB_BAUD 115200
#include "tb_uart_tx.h"
