// SPDX-License-Identifier: MIT
// Bench for aes_core, iterative variant (OPT_PIPELINED=0).
#define TB_ENGINE "aes_core_iter"
#include "tb_aes_core.h"
