// SPDX-License-Identifier: MIT
// Bench for sha256_core (SHA-256 and SHA-1) with the prefetch buffer (OPT_MSG_BUF = 1, set in
// tb_sha256_core_buf.f).
#include "Vsha256_core.h"
#include "Vsha256_core___024root.h"

#define TB_TOP Vsha256_core
#define TB_NAME "sha256_core_buf"
#define TB_HAS_SHA256 1
#define TB_HAS_SHA1 1
#define TB_STATE_BITS 256
#define TB_MSG_BUF 1
#define TB_SHA(x) rootp->sha256_core__DOT__##x
#include "tb_sha_bench.h"
