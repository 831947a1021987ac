// SPDX-License-Identifier: MIT
// Bench for core_frame_rx with one frame buffer (store and forward; tb_core_frame_rx.f).
#define TB_NBUF 1
#include "tb_core_frame_rx.h"
