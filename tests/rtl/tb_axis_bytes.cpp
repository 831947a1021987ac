// SPDX-License-Identifier: MIT
// Bench for axis_bytes: 4-byte beats, IDLE_FLUSH 16 (tb_axis_bytes.f sets the same parameters).
#define TB_NAME "axis_bytes"
#define TB_DB 4
#define TB_IDLE 16
#include "tb_axis_bytes.h"
