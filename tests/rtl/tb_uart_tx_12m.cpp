// SPDX-License-Identifier: MIT
// Bench for uart_tx at 48 MHz / 12 Mbaud (bits of 4 clocks) (tb_uart_tx_12m.f sets the same parameters).
#define TB_NAME "uart_tx_12m"
#define TB_CLK_HZ 48000000
#define TB_BAUD 12000000
#include "tb_uart_tx.h"
