// SPDX-License-Identifier: MIT
// Bench body for uart_fifo; the including file defines TB_AW (as the -GAW of its .f file) and
// TB_NAME. Random writes and reads with random stalls on both sides against a queue model:
// order, no loss or duplication, capacity 2^AW + 1 (array plus output register), s_tready
// low only when full, the output held while not taken, and one word per cycle when neither
// side stalls.
#include <deque>

#include "Vuart_fifo.h"
#include "common.h"

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    Testbench<Vuart_fifo> tb(argc, argv);
    Score sc;
    Rng rng(plusarg_u64(tb.ctx.get(), "seed", 0xf1f0));
    auto* d = tb.dut.get();
    const unsigned DEPTH = 1u << TB_AW;
    std::deque<uint8_t> model;     // words inside the FIFO, oldest first
    uint8_t next = 0;
    uint64_t moved = 0;
    bool was_valid = false;
    uint8_t was_data = 0;

    d->s_tvalid = 0;
    d->m_tready = 0;
    tb.reset();
    auto run = [&](unsigned cycles, unsigned stall_in, unsigned stall_out) {
        for (unsigned c = 0; c < cycles; c++) {
            bool v = !rng.stall(stall_in);
            d->s_tvalid = v;
            d->s_tdata = next;
            d->m_tready = !rng.stall(stall_out);
            tb.settle();
            // output contract: a word offered and not taken stays, unchanged
            if (was_valid)
                sc.check(d->m_tvalid && d->m_tdata == was_data, "output changed before it was taken");
            sc.check(d->s_tready || model.size() >= DEPTH, "s_tready low with %zu words held", model.size());
            sc.check(model.size() <= DEPTH + 1, "%zu words held, capacity %u", model.size(), DEPTH + 1);
            if (d->m_tvalid && d->m_tready) {
                if (model.empty()) {
                    sc.check(false, "word out of an empty FIFO");
                } else {
                    sc.check(d->m_tdata == model.front(), "out %02x, want %02x", d->m_tdata, model.front());
                    model.pop_front();
                }
                moved++;
            }
            was_valid = d->m_tvalid && !d->m_tready;
            was_data = d->m_tdata;
            if (v && d->s_tready) {
                model.push_back(next);
                next = (uint8_t)rng.next();
            }
            tb.tick();
        }
    };

    run(20000, 30, 30);
    run(20000, 0, 80);     // mostly full
    run(20000, 80, 0);     // mostly empty
    run(20000, 50, 50);
    // fill completely with the output stalled: capacity is DEPTH + 1
    run(4 * DEPTH + 10, 0, 100);
    sc.check(model.size() == DEPTH + 1 && !d->s_tready, "full FIFO holds %zu words", model.size());
    // drain, then stream with no stalls: one word per cycle after the first
    run(4 * DEPTH + 10, 100, 0);
    sc.check(model.empty() && !d->m_tvalid, "FIFO not empty after draining");
    uint64_t m0 = moved;
    run(1000, 0, 0);
    sc.check(moved - m0 >= 998, "streaming: %llu words in 1000 cycles", (unsigned long long)(moved - m0));
    std::printf("perf: %s words_per_cycle %.3f words\n", TB_NAME, (double)(moved - m0) / 1000.0);
    return sc.finish();
}
