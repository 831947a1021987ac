// SPDX-License-Identifier: MIT
// Bench for hmac_core with the hash core's prefetch buffer (OPT_MSG_BUF = 1, set in
// tb_hmac_core_buf.f; body in tb_hmac_bench.h).
#define TB_NAME "hmac_core_buf"
#define TB_MSG_BUF 1
#include "tb_hmac_bench.h"
