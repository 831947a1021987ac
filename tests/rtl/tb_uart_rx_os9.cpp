// SPDX-License-Identifier: MIT
// Bench for uart_rx at 27 MHz / 3 Mbaud: 9 samples per bit, an odd count with majority voting
// (tb_uart_rx_os9.f sets the same parameters).
#define TB_NAME "uart_rx_os9"
#define TB_CLK_HZ 27000000
#define TB_BAUD 3000000
#include "tb_uart_rx.h"
