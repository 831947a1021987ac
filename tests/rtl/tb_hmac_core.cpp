// SPDX-License-Identifier: MIT
// Bench for hmac_core (body in tb_hmac_bench.h).
#define TB_NAME "hmac_core"
#define TB_MSG_BUF 0
#include "tb_hmac_bench.h"
