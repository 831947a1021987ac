// SPDX-License-Identifier: MIT
// Bench for uart_rx at 12 MHz / 115200 baud (16 samples per bit) (tb_uart_rx.f sets the same parameters).
#define TB_NAME "uart_rx"
#define TB_CLK_HZ 12000000
#define TB_BAUD 115200
#include "tb_uart_rx.h"
