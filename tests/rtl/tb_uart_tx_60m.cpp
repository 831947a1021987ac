// SPDX-License-Identifier: MIT
// Bench for uart_tx at 60 MHz / 12 Mbaud (bits of 5 clocks) (tb_uart_tx_60m.f sets the same parameters).
#define TB_NAME "uart_tx_60m"
#define TB_CLK_HZ 60000000
#define TB_BAUD 12000000
#include "tb_uart_tx.h"
