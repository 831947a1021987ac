// SPDX-License-Identifier: MIT
// Bench body for uart_tx; the including file defines TB_CLK_HZ, TB_BAUD (as the -G options of
// its .f file) and TB_NAME. A line monitor (tb_uart_common.h) decodes the serial output and
// checks every edge against the nominal bit grid (within one clock), the stop bit length and
// the idle level; octets offered back to back must leave with exactly one stop bit (start
// edges 10 bit times apart, within a clock); then octets with random gaps; the source keeps
// each octet offered until taken.
#include <algorithm>
#include <deque>

#include "Vuart_tx.h"
#include "tb_uart_common.h"

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    Testbench<Vuart_tx> tb(argc, argv);
    Score sc;
    Rng rng(plusarg_u64(tb.ctx.get(), "seed", 0x7e));
    auto* d = tb.dut.get();
    const double BT = (double)TB_CLK_HZ / (double)TB_BAUD;
    SerialMonitor mon(BT, &sc);
    std::deque<uint8_t> q;
    std::vector<uint8_t> want;
    bool gaps = false;
    uint32_t wait = 0;
    bool offered = false;

    d->s_tvalid = 0;
    d->s_tdata = 0;
    tb.reset();
    auto cycle = [&]() {
        // the source: once offered, an octet stays offered until taken
        if (wait) {
            wait--;
        } else if (!offered && !q.empty()) {
            offered = true;
        }
        d->s_tvalid = offered;
        d->s_tdata = offered ? q.front() : (uint8_t)rng.next();
        tb.settle();
        if (offered && d->s_tready) {
            q.pop_front();
            offered = false;
            // gaps: a quarter of the octets wait up to 2.5 frame times
            if (gaps && rng.below(4) == 0) wait = rng.below((uint32_t)(25 * BT));
        }
        tb.tick();
        mon.sample((int64_t)tb.cycle, d->tx_o);
    };
    auto drain = [&]() {
        uint64_t lim = tb.cycle + (uint64_t)(BT * 40 * (q.size() + 2)) + 1000;
        while ((!q.empty() || d->busy) && tb.cycle < lim) cycle();
        for (int i = 0; i < (int)(2 * BT) + 2; i++) cycle();
        sc.check(q.empty() && !d->busy, "tx did not finish");
    };
    auto compare = [&](const char* what) {
        std::printf("%s: %zu octets decoded, cycle %llu\n", what, mon.got.size(), (unsigned long long)tb.cycle);
        size_t n = std::max(mon.got.size(), want.size());
        for (size_t i = 0; i < n; i++) {
            bool ok = i < mon.got.size() && i < want.size() && mon.got[i] == want[i];
            sc.check(ok, "%s: octet %zu: got %02x, want %02x", what, i, i < mon.got.size() ? mon.got[i] : 0x100,
                     i < want.size() ? want[i] : 0x100);
        }
        mon.got.clear();
        want.clear();
    };

    // 1. idle line after reset
    bool high = true;
    for (int i = 0; i < 100; i++) {
        cycle();
        high = high && d->tx_o && !d->busy;
    }
    sc.check(high, "line not idle high after reset");

    // 2. back to back: start edges exactly 10 bit times apart (one stop bit)
    for (int i = 0; i < 500; i++) {
        uint8_t b = (uint8_t)rng.next();
        q.push_back(b);
        want.push_back(b);
    }
    mon.start_gaps.clear();
    drain();
    compare("back to back");
    size_t bad_gap = 0;
    for (int64_t g : mon.start_gaps)
        if (std::fabs((double)g - 10.0 * BT) > 1.0 + 1e-9) bad_gap++;
    sc.check(mon.start_gaps.size() == 499 && bad_gap == 0, "back to back: %zu start gaps, %zu not 10 bit times",
             mon.start_gaps.size(), bad_gap);
    double mean_gap = 0;
    for (int64_t g : mon.start_gaps) mean_gap += (double)g;
    mean_gap /= (double)std::max<size_t>(1, mon.start_gaps.size());

    // 3. random gaps between octets
    gaps = true;
    for (int i = 0; i < 500; i++) {
        uint8_t b = (uint8_t)rng.next();
        q.push_back(b);
        want.push_back(b);
    }
    drain();
    compare("random gaps");
    sc.check(d->tx_o == 1, "line not high at the end");
    sc.check(mon.timing_errors == 0 && mon.frame_errors == 0, "%llu timing errors, %llu stop-bit errors",
             (unsigned long long)mon.timing_errors, (unsigned long long)mon.frame_errors);

    // measured: octets back to back, one per mean start-to-start time
    std::printf("perf: %s payload_bytes_per_s %.0f B/s (8N1 back to back, %d baud, %.0f MHz clock)\n", TB_NAME,
                (double)TB_CLK_HZ / mean_gap, TB_BAUD, TB_CLK_HZ / 1e6);
    return sc.finish();
}
