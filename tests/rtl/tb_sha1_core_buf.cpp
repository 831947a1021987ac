// SPDX-License-Identifier: MIT
// Bench for sha1_core with the prefetch buffer (OPT_MSG_BUF = 1, set in tb_sha1_core_buf.f).
#include "Vsha1_core.h"
#include "Vsha1_core___024root.h"

#define TB_TOP Vsha1_core
#define TB_NAME "sha1_core_buf"
#define TB_HAS_SHA256 0
#define TB_HAS_SHA1 1
#define TB_STATE_BITS 160
#define TB_MSG_BUF 1
#define TB_SHA(x) rootp->sha1_core__DOT__u_core__DOT__##x
#include "tb_sha_bench.h"
