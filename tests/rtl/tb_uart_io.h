// SPDX-License-Identifier: MIT
// Bench body for uart_io; the including file defines TB_CLK_HZ, TB_BAUD, TB_FIFO_AW (as the
// -G options of its .f file) and TB_NAME. Host and device talk at once: random octets in
// both directions (host sender within +-2 % of the rate, random gaps; a core-side consumer
// with random stalls), then the receive buffer: a core that stops for 2^FIFO_AW + 2 octets
// loses nothing, one more octet is an overrun (counted, dropped), framing errors are counted
// and the next octet arrives.
#include <algorithm>
#include <deque>

#include "Vuart_io.h"
#include "tb_uart_common.h"

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    Testbench<Vuart_io> tb(argc, argv);
    Score sc;
    Rng rng(plusarg_u64(tb.ctx.get(), "seed", 0x10));
    auto* d = tb.dut.get();
    const double BT = (double)TB_CLK_HZ / (double)TB_BAUD;
    const unsigned HOLD = (1u << TB_FIFO_AW) + 2;     // octets held while the core stops
    SerialSender snd;
    SerialMonitor mon(BT, &sc);
    std::vector<uint8_t> want_rx, got_rx, want_tx;
    std::deque<uint8_t> txq;
    bool offered = false, core_ready = true;
    unsigned stall_pct = 0;

    d->rx_i = 1;
    d->s_tx_tvalid = 0;
    d->m_rx_tready = 1;
    tb.reset();

    auto cycle = [&]() {
        double now = (double)tb.cycle;
        d->rx_i = snd.level(now);
        if (!offered && !txq.empty() && !rng.stall(50)) offered = true;
        d->s_tx_tvalid = offered;
        d->s_tx_tdata = offered ? txq.front() : 0;
        d->m_rx_tready = core_ready && !rng.stall(stall_pct);
        tb.settle();
        if (d->m_rx_tvalid && d->m_rx_tready) got_rx.push_back(d->m_rx_tdata);
        if (offered && d->s_tx_tready) {
            txq.pop_front();
            offered = false;
        }
        tb.tick();
        mon.sample((int64_t)tb.cycle, d->tx_o);
    };
    auto run_until_quiet = [&](double tail_bits) {
        double stop_at = -1.0;
        for (;;) {
            bool busy = snd.busy() || !txq.empty() || d->tx_busy || (core_ready && d->m_rx_tvalid);
            if (!busy) {
                if (stop_at < 0) stop_at = (double)tb.cycle + tail_bits * BT;
                if ((double)tb.cycle >= stop_at) break;
            } else {
                stop_at = -1.0;
            }
            cycle();
        }
    };
    auto compare = [&](const char* what, std::vector<uint8_t>& got, std::vector<uint8_t>& want) {
        std::printf("%s: %zu octets, cycle %llu\n", what, got.size(), (unsigned long long)tb.cycle);
        size_t n = std::max(got.size(), want.size());
        for (size_t i = 0; i < n; i++) {
            bool ok = i < got.size() && i < want.size() && got[i] == want[i];
            sc.check(ok, "%s: octet %zu: got %02x, want %02x", what, i, i < got.size() ? got[i] : 0x100,
                     i < want.size() ? want[i] : 0x100);
        }
        got.clear();
        want.clear();
    };

    // 1. both directions at once: 1500 octets each way
    stall_pct = 30;
    snd.sync((double)tb.cycle, 0.25);
    for (int i = 0; i < 1500; i++) {
        double bt = BT * (1.0 + ((int)rng.below(4001) - 2000) / 100000.0);
        uint8_t b = (uint8_t)rng.next();
        snd.frame(b, bt);
        want_rx.push_back(b);
        if (rng.below(4) == 0) snd.idle(bt * rng.below(3000) / 1000.0);
        b = (uint8_t)rng.next();
        txq.push_back(b);
        want_tx.push_back(b);
    }
    run_until_quiet(4);
    compare("host -> device", got_rx, want_rx);
    compare("device -> host", mon.got, want_tx);
    sc.check(d->frame_err_cnt == 0 && d->overrun_cnt == 0, "errors counted: frame %u, overrun %u",
             d->frame_err_cnt, d->overrun_cnt);
    sc.check(mon.timing_errors == 0, "tx timing errors");

    // 2. the core stops while exactly HOLD octets arrive back to back: nothing lost
    stall_pct = 0;
    core_ready = false;
    snd.sync((double)tb.cycle, 0.5);
    for (unsigned i = 0; i < HOLD; i++) {
        uint8_t b = (uint8_t)rng.next();
        snd.frame(b, BT);
        want_rx.push_back(b);
    }
    run_until_quiet(2);
    core_ready = true;
    run_until_quiet(2);
    compare("core stopped, buffer depth", got_rx, want_rx);
    sc.check(d->overrun_cnt == 0, "overrun within the buffer depth");

    // 3. ... and five more than that: five overruns, the first HOLD octets delivered
    core_ready = false;
    snd.sync((double)tb.cycle, 0.5);
    for (unsigned i = 0; i < HOLD + 5; i++) {
        uint8_t b = (uint8_t)rng.next();
        snd.frame(b, BT);
        if (i < HOLD) want_rx.push_back(b);
    }
    run_until_quiet(2);
    core_ready = true;
    run_until_quiet(2);
    compare("core stopped, overrun", got_rx, want_rx);
    sc.check(d->overrun_cnt == 5, "overrun count %u, want 5", d->overrun_cnt);

    // 4. framing errors: counted, octet dropped, the next one fine
    for (int i = 0; i < 3; i++) {
        snd.sync((double)tb.cycle, 0.3);
        snd.frame((uint8_t)rng.next(), BT, 1.0, true);
        snd.idle(2 * BT);
        uint8_t b = (uint8_t)rng.next();
        snd.frame(b, BT);
        want_rx.push_back(b);
        run_until_quiet(2);
    }
    compare("after framing errors", got_rx, want_rx);
    sc.check(d->frame_err_cnt == 3, "frame error count %u, want 3", d->frame_err_cnt);

    return sc.finish();
}
