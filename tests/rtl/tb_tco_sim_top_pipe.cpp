// SPDX-License-Identifier: MIT
// Bench for tco_sim_top with the pipelined AES engine (AES_PIPE = 1, WRAP = 0; the build whose
// ECP5 / Xilinx areas docs/perf.md estimates): every section of tb_tco_sim_top.cpp but key
// wrap, against the same model; KEY_WRAP and KEY_UNWRAP must answer BAD_OPCODE.
#define TB_NO_WRAP 1
#define TB_PERF_TOP "tco_sim_top_pipe"
#include "tb_tco_sim_top.cpp"
