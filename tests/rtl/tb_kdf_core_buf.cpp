// SPDX-License-Identifier: MIT
// Bench for kdf_core with the hash core's prefetch buffer (OPT_MSG_BUF = 1, set in
// tb_kdf_core_buf.f; body in tb_kdf_bench.h).
#define TB_NAME "kdf_core_buf"
#define TB_MSG_BUF 1
#include "tb_kdf_bench.h"
