// SPDX-License-Identifier: MIT
// Bench for aes_ctr over the iterative aes_core (OPT_PIPELINED=0).
#define TB_ENGINE "aes_ctr_iter"
#include "tb_aes_ctr.h"
