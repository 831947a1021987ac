// SPDX-License-Identifier: MIT
// Bench for board_pll's simulation model (no SYNTHESIS define): clk_o is clk_i at every edge
// (and every half period between), locked is low for exactly LOCK_CYCLES rising edges of
// clk_i and then stays high. tb_board_pll.f sets -GLOCK_CYCLES (not the default 64, and not a
// power of two) and passes the same number to this file as TB_LOCK_CYCLES.
#include "Vboard_pll.h"
#include "common.h"

#ifndef TB_LOCK_CYCLES
#error "tb_board_pll.f passes -CFLAGS -DTB_LOCK_CYCLES=<the -GLOCK_CYCLES value>"
#endif

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    std::unique_ptr<VerilatedContext> ctx(new VerilatedContext);
    ctx->commandArgs(argc, argv);
    std::unique_ptr<Vboard_pll> d(new Vboard_pll{ctx.get()});
    Score sc;
    const long LOCK = TB_LOCK_CYCLES;
    const long EDGES = 4 * LOCK + 100;

    d->clk_i = 0;
    d->eval();
    sc.check(d->clk_o == 0, "clk_o %u before the first edge, clk_i 0", d->clk_o);
    sc.check(d->locked == 0, "locked before the first edge");

    long rise = -1;             // the rising edge after which locked was first seen high
    for (long n = 1; n <= EDGES; n++) {
        d->clk_i = 1;
        d->eval();
        sc.check(d->clk_o == 1, "clk_o low after rising edge %ld of clk_i", n);
        if (d->locked && rise < 0) rise = n;
        sc.check(d->locked == (n >= LOCK), "locked %u after rising edge %ld, want %d", d->locked, n, n >= LOCK);
        unsigned before = d->locked;
        d->clk_i = 0;
        d->eval();
        sc.check(d->clk_o == 0, "clk_o high after falling edge %ld of clk_i", n);
        sc.check(d->locked == before, "locked changed on falling edge %ld", n);
    }
    sc.check(rise == LOCK, "locked rose after rising edge %ld, want %ld (LOCK_CYCLES)", rise, LOCK);
    std::printf("board_pll model: LOCK_CYCLES %ld, locked after rising edge %ld, %ld edges checked\n", LOCK, rise,
                2 * EDGES);
    d->final();
    return sc.finish();
}
