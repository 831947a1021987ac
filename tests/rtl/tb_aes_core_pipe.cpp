// SPDX-License-Identifier: MIT
// Bench for aes_core, pipelined variant (OPT_PIPELINED=1, set in tb_aes_core_pipe.f).
#define TB_ENGINE "aes_core_pipe"
#define TB_PIPE 1
#include "tb_aes_core.h"
