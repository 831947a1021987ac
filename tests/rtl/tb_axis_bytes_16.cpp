// SPDX-License-Identifier: MIT
// Bench for axis_bytes: 16-byte beats, IDLE_FLUSH 1 (tb_axis_bytes_16.f sets the same parameters).
#define TB_NAME "axis_bytes_16"
#define TB_DB 16
#define TB_IDLE 1
#include "tb_axis_bytes.h"
