// SPDX-License-Identifier: MIT
// Bench for axis_bytes: 8-byte beats, IDLE_FLUSH 5 (tb_axis_bytes_8.f sets the same parameters).
#define TB_NAME "axis_bytes_8"
#define TB_DB 8
#define TB_IDLE 5
#include "tb_axis_bytes.h"
