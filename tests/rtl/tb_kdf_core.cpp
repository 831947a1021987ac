// SPDX-License-Identifier: MIT
// Bench for kdf_core (body in tb_kdf_bench.h).
#define TB_NAME "kdf_core"
#define TB_MSG_BUF 0
#include "tb_kdf_bench.h"
