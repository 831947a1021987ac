// SPDX-License-Identifier: MIT
// Bench for tco_sim_top built with SRTP = 0 and WRAP = 0 (tb_tco_sim_top_nosrtp.f): the base
// sections of tb_tco_sim_top against the model without SRTP and key wrap (SRTP_KDF, SRTP,
// KEY_WRAP and KEY_UNWRAP answer BAD_OPCODE, INFO has the SRTP and KEY_WRAP capability bits
// clear; the SRTP, USE_WRAP and EXTRACTABLE attribute bits are still accepted and kept: the
// key model's profiles are the same in every build).
#include "tb_tco_sim_top_bench.h"

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    Bench b(argc, argv, false, false);
    section_kat(b);
    section_directed(b);
    section_links(b);
    section_reset(b);
    // requests of the SRTP and key wrap commands, well-formed and not, and keys of the SRTP
    // and KEK profiles (accepted and kept in every build)
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(3, A_SKDF | A_EXP, b.rbytes(16)));
    b.request(TCO_P_OP_KEY_INFO, Bytes{3});
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(5, A_SALT | A_XTR, b.rbytes(14)));
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(6, A_KA | A_XTR | A_WTR, b.rbytes(20)));
    b.request(TCO_P_OP_KEY_INFO, Bytes{5});
    b.request(TCO_P_OP_KEY_INFO, Bytes{6});
    b.req(TCO_P_OP_SRTP_KDF, srtp_kdf_req(3, 0, 4, A_KE, b.rbytes(14)), TCO_P_ST_BAD_OPCODE, "SRTP_KDF (SRTP = 0)");
    b.req(TCO_P_OP_SRTP, srtp_req(0, 3, 3, 3, 10, 12, 20, 0, 0, b.rbytes(32)), TCO_P_ST_BAD_OPCODE, "SRTP (SRTP = 0)");
    b.request(TCO_P_OP_SRTP, Bytes());
    b.request(TCO_P_OP_KEY_WRITE, Bench::kw(4, A_WRAP | A_EXP, b.rbytes(16)));
    b.request(TCO_P_OP_KEY_INFO, Bytes{4});
    b.req(TCO_P_OP_KEY_WRAP, Bytes{4, 5}, TCO_P_ST_BAD_OPCODE, "KEY_WRAP (WRAP = 0)");
    b.req(TCO_P_OP_KEY_UNWRAP, Bytes(28, 4), TCO_P_ST_BAD_OPCODE, "KEY_UNWRAP (WRAP = 0)");
    b.request(TCO_P_OP_INFO, Bytes());
    for (int i = 0; i < 40; i++) {
        auto rq = b.random_srtp_request();
        b.request(rq.first, rq.second);
    }
    b.drain();
    section_random(b, 100);
    section_coverage(b, {{TCO_P_OP_SRTP_KDF, TCO_P_ST_BAD_OPCODE}, {TCO_P_OP_SRTP, TCO_P_ST_BAD_OPCODE},
                         {TCO_P_OP_KEY_WRAP, TCO_P_ST_BAD_OPCODE}, {TCO_P_OP_KEY_UNWRAP, TCO_P_ST_BAD_OPCODE}});
    section_secrets(b);
    return b.sc.finish();
}
