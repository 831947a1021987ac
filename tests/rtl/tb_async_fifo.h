// SPDX-License-Identifier: MIT
// Bench body for async_fifo; the including file defines TB_NAME and TB_AW (as -GAW in its .f
// file). Two clocks, each edge at its own time, with periods changed between phases: writer
// faster, reader faster, near-equal with drifting phase, both jittered; random stalls on both
// sides. Checks: words come out in order with no loss or duplication (queue model), the
// output is held until taken, s_level never counts fewer words than the array holds and
// never more than 2^AW, s_tready low only when s_level says full, one word per cycle of the
// slower clock without stalls (2^AW >= 8), and a reset of both sides mid-stream empties the FIFO.
#include <algorithm>
#include <deque>

#include "Vasync_fifo.h"
#include "common.h"

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    std::unique_ptr<VerilatedContext> ctx(new VerilatedContext);
    ctx->commandArgs(argc, argv);
    std::unique_ptr<Vasync_fifo> dp(new Vasync_fifo{ctx.get()});
    auto* d = dp.get();
    Score sc;
    Rng rng(plusarg_u64(ctx.get(), "seed", 0xa5f0));
    const unsigned DEPTH = 1u << TB_AW;

    std::deque<uint8_t> model;         // words in the FIFO, output register included
    uint8_t next = 1;
    uint64_t ps_s = 16667, ps_m = 20833, jitter = 0;
    uint64_t t_s = 0, t_m = 7000;
    unsigned stall_in = 30, stall_out = 30;
    uint64_t s_cycles = 0, m_cycles = 0, pushed = 0, popped = 0;
    bool held = false;
    uint8_t held_data = 0;
    bool in_reset = false;

    auto s_edge = [&]() {
        bool v = !in_reset && !rng.stall(stall_in);
        d->s_tvalid = v;
        d->s_tdata = next;
        d->s_clk = 0;
        d->eval();
        if (!in_reset) {
            size_t in_array = model.size() - (d->m_tvalid ? 1 : 0);
            sc.check(d->s_level >= in_array && d->s_level <= DEPTH, "s_level %u with %zu words in the array",
                     d->s_level, in_array);
            sc.check(d->s_tready || d->s_level == DEPTH, "s_tready low at s_level %u", d->s_level);
        }
        bool push = v && d->s_tready;
        d->s_clk = 1;
        d->eval();
        s_cycles++;
        if (push) {
            model.push_back(next);
            next = (uint8_t)(next * 5 + 3 + rng.below(2));
            pushed++;
        }
    };
    auto m_edge = [&]() {
        d->m_tready = !in_reset && !rng.stall(stall_out);
        d->m_clk = 0;
        d->eval();
        if (!in_reset) {
            if (held) sc.check(d->m_tvalid && d->m_tdata == held_data, "output changed before it was taken");
            if (d->m_tvalid && d->m_tready) {
                if (model.empty()) {
                    sc.check(false, "word out of an empty FIFO");
                } else {
                    sc.check(d->m_tdata == model.front(), "out %02x, want %02x", d->m_tdata, model.front());
                    model.pop_front();
                }
                popped++;
            }
            held = d->m_tvalid && !d->m_tready;
            held_data = d->m_tdata;
        }
        d->m_clk = 1;
        d->eval();
        m_cycles++;
    };
    auto step = [&]() {
        if (t_s <= t_m) {
            s_edge();
            t_s += ps_s + (jitter ? rng.below((uint32_t)jitter) : 0);
        } else {
            m_edge();
            t_m += ps_m + (jitter ? rng.below((uint32_t)jitter) : 0);
        }
    };
    auto reset = [&]() {
        in_reset = true;
        d->s_rst = 1;
        d->m_rst = 1;
        uint64_t s0 = s_cycles, m0 = m_cycles;
        while (s_cycles < s0 + 4 || m_cycles < m0 + 4) step();
        d->s_rst = 0;
        d->m_rst = 0;
        in_reset = false;
        held = false;
        model.clear();
    };
    auto phase = [&](const char* what, uint64_t s_ps, uint64_t m_ps, uint64_t jit, unsigned si, unsigned so,
                     uint64_t words) {
        ps_s = s_ps;
        ps_m = m_ps;
        jitter = jit;
        stall_in = si;
        stall_out = so;
        uint64_t p0 = popped;
        while (popped - p0 < words) step();
        std::printf("%s: %llu words, %llu/%llu cycles\n", what, (unsigned long long)(popped - p0),
                    (unsigned long long)s_cycles, (unsigned long long)m_cycles);
    };

    d->s_rst = 1;
    d->m_rst = 1;
    d->s_tvalid = 0;
    d->m_tready = 0;
    reset();
    sc.check(!d->m_tvalid && d->s_tready && d->s_level == 0, "not empty after reset");

    phase("60 -> 48 MHz", 16667, 20833, 0, 30, 30, 20000);
    phase("25 -> 100 MHz", 40000, 10000, 0, 30, 30, 20000);
    phase("100 -> 25 MHz (mostly full)", 10000, 40000, 0, 10, 30, 20000);
    phase("50 -> 50 MHz, drifting phase, jitter", 20000, 20003, 3000, 30, 30, 20000);
    phase("reader stalls a lot", 15000, 17000, 5000, 0, 90, 5000);
    phase("writer stalls a lot", 15000, 17000, 5000, 90, 0, 5000);

    // rate without stalls: one word per cycle of the slower clock
    for (int dir = 0; dir < 2; dir++) {
        ps_s = dir ? 16667 : 20833;
        ps_m = dir ? 20833 : 16667;
        jitter = 0;
        stall_in = stall_out = 0;
        for (int i = 0; i < 200; i++) step();
        uint64_t p0 = popped, s0 = s_cycles, m0 = m_cycles;
        while (popped - p0 < 10000) step();
        double per = 10000.0 / (double)std::min(s_cycles - s0, m_cycles - m0);
        std::printf("perf: %s words_per_slow_cycle_%s %.3f words\n", TB_NAME, dir ? "read_slow" : "write_slow", per);
        // the pointers' round trip (2 synchroniser flops each way, plus a read) is about
        // 6 cycles: 4 words cannot cover it, 8 and more can
        if (DEPTH >= 8) sc.check(per > 0.99, "%.3f words per cycle of the slower clock", per);
    }

    // reset of both sides mid-stream, then traffic again
    stall_in = stall_out = 30;
    for (int i = 0; i < 1000; i++) step();
    stall_in = 100;                    // nothing written until checked
    reset();
    for (int i = 0; i < 20; i++) step();
    sc.check(!d->m_tvalid && d->s_level == 0 && model.empty(), "FIFO not empty after a reset mid-stream");
    phase("after reset", 16667, 20833, 2000, 30, 30, 5000);

    d->final();
    return sc.finish();
}
