// SPDX-License-Identifier: MIT
// Bench for aes_core, iterative variant with decryption (OPT_DEC=1, set in tb_aes_core_dec.f):
// encryption and decryption blocks mixed, against OpenSSL.
#define TB_ENGINE "aes_core_iter_dec"
#define TB_DEC 1
#include "tb_aes_core.h"
