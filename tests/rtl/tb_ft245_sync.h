// SPDX-License-Identifier: MIT
// Bench body for ft245_sync; the including file defines TB_NAME, TB_CORE_PS (core clock
// period in ps), TB_FIFO_AW, TB_BURST, TB_SIWU_IDLE (as the -G options of its .f file).
// Two clocks: ft_clk at 60 MHz and the core clock (with +-2 % period jitter), each edge at
// its own time. A model of the FT2232H's FT245 synchronous FIFO side (datasheet section 4.4)
// sits on the bus: host -> device octets arrive in its receive buffer in random USB-sized
// chunks, RXF# goes high whenever it runs empty and, at random, for single cycles mid-burst;
// device -> host octets fill a transmit buffer of random size that the host drains at random
// rates, TXE# goes high when it is full and, at random, for single cycles. It checks the
// protocol on every cycle: OE# low a cycle before and all through RD# low, no bus contention
// and a turnaround cycle between directions, WR# low only after TXE# was seen low, SIWU#
// pulses of at least 250 ns with WR# high. The core side sends and takes octets with random
// stalls, and long stops that fill the FIFOs. Both streams are checked for order, loss and
// duplication; a last phase measures the octets per ft_clk cycle of one-way bursts.
#include <algorithm>
#include <deque>

#include "Vft245_sync.h"
#include "common.h"

static const uint64_t FT_PS = 16667;   // 60 MHz CLKOUT

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    std::unique_ptr<VerilatedContext> ctx(new VerilatedContext);
    ctx->commandArgs(argc, argv);
    std::unique_ptr<Vft245_sync> dp(new Vft245_sync{ctx.get()});
    auto* d = dp.get();
    Score sc;
    Rng rng(plusarg_u64(ctx.get(), "seed", 0xf7245));

    // ---- host / chip state
    std::deque<uint8_t> host_out;      // octets the host still has to send
    std::deque<uint8_t> chip_rx;       // chip receive buffer (host -> device), head on the bus
    std::deque<uint8_t> chip_tx;       // chip transmit buffer (device -> host)
    std::vector<uint8_t> host_in;      // octets the host received
    std::vector<uint8_t> sent_h2d;     // everything the host sent, in order
    unsigned chip_tx_cap = 64;
    int rxf_n = 1, txe_n = 1;          // what the chip drives during the current ft cycle
    bool force_rxf = false, force_txe = false;
    uint32_t chunk_wait = 0, drain_wait = 0;
    // protocol history (the DUT's outputs during the previous ft cycle)
    int prev_oe_n = 1, prev_doe = 0;
    unsigned siwu_len = 0, siwu_pulses = 0;
    uint64_t ft_cycles = 0, rd_bytes = 0, wr_bytes = 0;
    unsigned h2d_chunk_max = 64, rxf_glitch_pm = 20, txe_glitch_pm = 20, drain_pm = 500;
    bool fast_host = false;            // throughput phase: no host pauses

    // ---- core side state
    std::deque<uint8_t> core_out;      // octets the core still has to send
    std::vector<uint8_t> sent_d2h, core_in;
    bool offered = false;
    unsigned stall_src = 30, stall_snk = 30;
    uint64_t snk_stop = 0;             // core cycles the sink is stopped for
    uint64_t core_cycles = 0;

    // ---- clocks
    uint64_t t_ft = FT_PS, t_core = TB_CORE_PS / 3;

    auto chip_drive_bus = [&]() {
        // the chip drives D0..7 while OE# is low: the head of its receive buffer, or junk
        if (!d->ft_oe_n)
            d->ft_data_i = chip_rx.empty() ? (uint8_t)rng.next() : chip_rx.front();
        else
            d->ft_data_i = (uint8_t)rng.next();   // floating bus
    };

    auto ft_edge = [&]() {
        // --- what the chip samples at this edge (DUT outputs of the ending cycle)
        bool rd = !d->ft_rd_n, wr = !d->ft_wr_n;
        if (rd && rxf_n == 0) {
            if (chip_rx.empty()) {
                sc.check(false, "model: RXF# low with an empty buffer");
            } else {
                chip_rx.pop_front();
                rd_bytes++;
            }
        }
        if (wr && txe_n == 0) {
            sc.check(d->ft_data_oe, "write strobe without the bus driven");
            chip_tx.push_back(d->ft_data_o);
            wr_bytes++;
        }
        int txe_seen = txe_n;
        // --- the edge
        d->ft_clk = 0;
        d->eval();
        d->ft_clk = 1;
        d->eval();
        ft_cycles++;
        // --- chip side after the edge: host traffic, flags, bus
        if (chunk_wait) {
            chunk_wait--;
        } else if (!host_out.empty() && chip_rx.size() < 4096) {
            unsigned n = 1 + rng.below(h2d_chunk_max);
            while (n-- && !host_out.empty()) {
                chip_rx.push_back(host_out.front());
                host_out.pop_front();
            }
            chunk_wait = fast_host ? 0 : rng.below(4 * h2d_chunk_max);
        }
        if (drain_wait) {
            drain_wait--;
        } else if (!chip_tx.empty() && rng.below(1000) < drain_pm) {
            unsigned n = 1 + rng.below(64);
            while (n-- && !chip_tx.empty()) {
                host_in.push_back(chip_tx.front());
                chip_tx.pop_front();
            }
            if (!fast_host && rng.below(100) == 0) drain_wait = rng.below(2000);   // host busy elsewhere
            if (!fast_host && rng.below(200) == 0) chip_tx_cap = 1 + rng.below(512);
        }
        force_rxf = rng.below(1000) < rxf_glitch_pm;
        force_txe = rng.below(1000) < txe_glitch_pm;
        rxf_n = (chip_rx.empty() || force_rxf) ? 1 : 0;
        txe_n = (chip_tx.size() >= chip_tx_cap || force_txe) ? 1 : 0;
        d->ft_rxf_n = rxf_n;
        d->ft_txe_n = txe_n;
        chip_drive_bus();
        d->eval();
        // --- protocol checks on the cycle that starts now
        int oe_n = d->ft_oe_n, doe = d->ft_data_oe;
        sc.check(!(oe_n == 0 && doe), "bus contention: OE# low while the FPGA drives");
        if (doe) sc.check(prev_oe_n == 1, "FPGA drives the bus right after OE# low (no turnaround)");
        if (oe_n == 0) sc.check(prev_doe == 0, "OE# low right after the FPGA drove (no turnaround)");
        if (!d->ft_rd_n) sc.check(oe_n == 0 && prev_oe_n == 0, "RD# low without OE# low a cycle before");
        if (!d->ft_wr_n) sc.check(txe_seen == 0, "WR# low although TXE# was high at the edge");
        if (!d->ft_siwu_n) {
            siwu_len++;
            sc.check(d->ft_wr_n, "WR# low during SIWU#");
        } else if (siwu_len) {
            sc.check(siwu_len >= 15, "SIWU# pulse of %u cycles (250 ns is 15)", siwu_len);
            siwu_pulses++;
            siwu_len = 0;
        }
        prev_oe_n = oe_n;
        prev_doe = doe;
    };

    auto core_edge = [&]() {
        // source: offer the next octet, hold it until taken
        if (!offered && !core_out.empty() && !rng.stall(stall_src)) offered = true;
        d->s_tx_tvalid = offered;
        d->s_tx_tdata = offered ? core_out.front() : (uint8_t)rng.next();
        if (snk_stop) snk_stop--;
        else if (!fast_host && rng.below(20000) == 0) snk_stop = rng.below(3000);
        d->m_rx_tready = !snk_stop && !rng.stall(stall_snk);
        d->clk = 0;
        d->eval();
        bool take = d->m_rx_tvalid && d->m_rx_tready;
        uint8_t got = d->m_rx_tdata;
        bool gone = offered && d->s_tx_tready;
        d->clk = 1;
        d->eval();
        core_cycles++;
        if (take) core_in.push_back(got);
        if (gone) {
            core_out.pop_front();
            offered = false;
        }
    };

    auto step = [&]() {
        if (t_ft <= t_core) {
            ft_edge();
            t_ft += FT_PS;
        } else {
            core_edge();
            t_core += TB_CORE_PS - TB_CORE_PS / 50 + rng.below(TB_CORE_PS / 25 + 1);
        }
    };

    // ---- reset: rst for 20 core cycles with both clocks running
    d->ft_rxf_n = 1;
    d->ft_txe_n = 1;
    d->ft_data_i = 0;
    d->s_tx_tvalid = 0;
    d->m_rx_tready = 0;
    d->rst = 1;
    while (core_cycles < 20) step();
    d->rst = 0;
    for (int i = 0; i < 200; i++) step();
    sc.check(d->ft_rd_n && d->ft_wr_n && d->ft_oe_n && d->ft_siwu_n && !d->ft_data_oe, "strobes active after reset");

    auto compare = [&](const char* what, std::vector<uint8_t>& got, std::vector<uint8_t>& want) {
        std::printf("%s: %zu octets, %llu ft cycles\n", what, got.size(), (unsigned long long)ft_cycles);
        size_t n = std::max(got.size(), want.size());
        for (size_t i = 0; i < n; i++) {
            bool ok = i < got.size() && i < want.size() && got[i] == want[i];
            sc.check(ok, "%s: octet %zu of %zu: got %02x, want %02x", what, i, want.size(),
                     i < got.size() ? got[i] : 0x100, i < want.size() ? want[i] : 0x100);
        }
        got.clear();
        want.clear();
    };
    auto queue = [&](size_t h2d, size_t d2h) {
        for (size_t i = 0; i < h2d; i++) {
            uint8_t b = (uint8_t)rng.next();
            host_out.push_back(b);
            sent_h2d.push_back(b);
        }
        for (size_t i = 0; i < d2h; i++) {
            uint8_t b = (uint8_t)rng.next();
            core_out.push_back(b);
            sent_d2h.push_back(b);
        }
    };
    auto run_until_done = [&](const char* what) {
        uint64_t lim = ft_cycles + 50000000ull;
        while (ft_cycles < lim &&
               (core_in.size() < sent_h2d.size() || host_in.size() < sent_d2h.size()))
            step();
        for (int i = 0; i < 2000; i++) step();   // anything extra would show now
        std::string w = std::string(what) + ", host -> device";
        compare(w.c_str(), core_in, sent_h2d);
        w = std::string(what) + ", device -> host";
        compare(w.c_str(), host_in, sent_d2h);
    };

    // 1. both directions at once, random everything
    queue(30000, 30000);
    run_until_done("both ways");

    // 2. one way at a time, long bursts
    queue(20000, 0);
    run_until_done("host -> device only");
    queue(0, 20000);
    run_until_done("device -> host only");
    sc.check(siwu_pulses > 0, "no SIWU# pulse after the writes");
    std::printf("SIWU# pulses: %u\n", siwu_pulses);

    // 3. tiny chunks and a host that drains slowly: RXF#/TXE# toggle all the time
    h2d_chunk_max = 3;
    drain_pm = 50;
    rxf_glitch_pm = 200;
    txe_glitch_pm = 200;
    queue(5000, 5000);
    run_until_done("flags toggling");

    // 4. throughput of one-way bursts: chip always full / always empty, no stalls
    h2d_chunk_max = 512;
    drain_pm = 1000;
    rxf_glitch_pm = 0;
    txe_glitch_pm = 0;
    stall_src = 0;
    stall_snk = 0;
    chip_tx_cap = 4096;
    fast_host = true;
    for (int dir = 0; dir < 2; dir++) {
        size_t n = 20000;
        queue(dir == 0 ? n : 0, dir == 1 ? n : 0);
        uint64_t c0 = ft_cycles, r0 = rd_bytes, w0 = wr_bytes, k0 = core_cycles;
        // let the traffic start, then measure over a window in the middle
        while ((dir == 0 ? rd_bytes - r0 : wr_bytes - w0) < 2000) step();
        c0 = ft_cycles;
        r0 = rd_bytes;
        w0 = wr_bytes;
        k0 = core_cycles;
        while (ft_cycles - c0 < 10000) step();
        double per = (double)(dir == 0 ? rd_bytes - r0 : wr_bytes - w0) / (double)(ft_cycles - c0);
        double core_per = (double)(dir == 0 ? rd_bytes - r0 : wr_bytes - w0) / (double)(core_cycles - k0);
        std::printf("perf: %s %s_octets_per_ft_cycle %.3f octets (%.1f MB/s at 60 MHz; %.3f per core cycle)\n",
                    TB_NAME, dir == 0 ? "rx" : "tx", per, per * 60.0, core_per);
        // the bus must keep up with the slower clock
        sc.check(core_per > 0.9 || per > 0.9, "%s burst rate %.3f per ft cycle, %.3f per core cycle",
                 dir == 0 ? "read" : "write", per, core_per);
        run_until_done(dir == 0 ? "throughput, host -> device" : "throughput, device -> host");
    }

    d->final();
    return sc.finish();
}
