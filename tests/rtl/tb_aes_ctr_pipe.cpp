// SPDX-License-Identifier: MIT
// Bench for aes_ctr over the pipelined aes_core (OPT_PIPELINED=1, set in tb_aes_ctr_pipe.f).
#define TB_ENGINE "aes_ctr_pipe"
#define TB_PIPE 1
#include "tb_aes_ctr.h"
