// SPDX-License-Identifier: MIT
// Bench for uart_rx at 48 MHz / 12 Mbaud (4 samples per bit) (tb_uart_rx_12m.f sets the same parameters).
#define TB_NAME "uart_rx_12m"
#define TB_CLK_HZ 48000000
#define TB_BAUD 12000000
#include "tb_uart_rx.h"
