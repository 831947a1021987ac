// SPDX-License-Identifier: MIT
// Bench for core_frame_rx with two frame buffers (tb_core_frame_rx_2.f sets NBUF = 2).
#define TB_NBUF 2
#include "tb_core_frame_rx.h"
