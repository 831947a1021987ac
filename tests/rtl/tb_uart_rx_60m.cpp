// SPDX-License-Identifier: MIT
// Bench for uart_rx at 60 MHz / 12 Mbaud (5 samples per bit) (tb_uart_rx_60m.f sets the same parameters).
#define TB_NAME "uart_rx_60m"
#define TB_CLK_HZ 60000000
#define TB_BAUD 12000000
#include "tb_uart_rx.h"
