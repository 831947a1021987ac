// SPDX-License-Identifier: MIT
// Bench for uart_rx at 48 MHz / 3 Mbaud (16 samples per bit, one per clock) (tb_uart_rx_3m.f sets the same parameters).
#define TB_NAME "uart_rx_3m"
#define TB_CLK_HZ 48000000
#define TB_BAUD 3000000
#include "tb_uart_rx.h"
