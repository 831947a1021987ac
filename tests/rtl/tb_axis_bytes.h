// SPDX-License-Identifier: MIT
// Bench body for axis_bytes; the including file defines TB_NAME, TB_DB (DATA_BYTES) and
// TB_IDLE (IDLE_FLUSH), as the -G options of its .f file. Down: random beats with random
// tkeep patterns (none, all, sparse, single), random tlast and valid gaps, a byte consumer
// with random stalls: the bytes must come out in stream order (lane 0 first, null bytes
// skipped), each offered byte held until taken. Up: bytes with random gaps (some longer
// than IDLE_FLUSH) and a beat consumer with random stalls: the beats' kept bytes must give
// the byte stream back, tkeep contiguous from lane 0 and never empty, a beat without tlast
// full, beats held until taken, no tlast while the bytes flow without pause, and the last
// bytes out within IDLE_FLUSH + 2 cycles of the pause. Then one byte per cycle both ways.
#include <algorithm>
#include <deque>
#include <type_traits>

#include "Vaxis_bytes.h"
#include "common.h"

struct Beat {
    uint8_t b[64];
    uint64_t keep;
    bool last;
};

// tdata lanes (lane i = bits 8i+7..8i), whatever type Verilator chose for the port width
template <class W> static void put_lanes(W& w, const uint8_t* b) {
    if constexpr (std::is_integral<W>::value) {
        W v = 0;
        for (int i = 0; i < TB_DB; i++) v |= (W)b[i] << (8 * i);
        w = v;
    } else {
        for (int i = 0; i < (TB_DB + 3) / 4; i++) w[i] = 0;
        for (int i = 0; i < TB_DB; i++) w[i / 4] |= (uint32_t)b[i] << (8 * (i % 4));
    }
}
template <class W> static void get_lanes(const W& w, uint8_t* b) {
    for (int i = 0; i < TB_DB; i++) {
        if constexpr (std::is_integral<W>::value)
            b[i] = (uint8_t)(w >> (8 * i));
        else
            b[i] = (uint8_t)(w[i / 4] >> (8 * (i % 4)));
    }
}

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    Testbench<Vaxis_bytes> tb(argc, argv);
    Score sc;
    Rng rng(plusarg_u64(tb.ctx.get(), "seed", 0xa815));
    auto* d = tb.dut.get();
    const uint64_t ALL = (TB_DB == 64) ? ~0ull : ((1ull << TB_DB) - 1);

    auto set_data = [&](const uint8_t* b) { put_lanes(d->s_axis_tdata, b); };
    auto get_data = [&](uint8_t* b) { get_lanes(d->m_axis_tdata, b); };

    // ---- down side state
    std::deque<Beat> beats;
    std::vector<uint8_t> down_want, down_got;
    bool b_offered = false;
    unsigned stall_beat = 30, stall_byte = 30;
    bool held_rx = false;
    uint8_t held_rx_data = 0;
    // ---- up side state
    std::deque<uint8_t> up_q;
    std::vector<uint8_t> up_want, up_got;
    bool u_offered = false;
    uint32_t up_gap = 0;
    unsigned gap_pm = 50;              // per mille chance of a pause after a byte
    unsigned stall_axis = 30;
    bool held_ax = false;
    uint8_t held_ax_data[64];
    uint64_t held_ax_keep = 0;
    bool held_ax_last = false;
    uint64_t beats_out = 0, lasts = 0, last_acc_cycle = 0, down_bytes = 0, up_bytes = 0;
    bool expect_no_last = false;
    uint64_t complete_cycle = 0;

    d->s_axis_tvalid = 0;
    d->s_tx_tvalid = 0;
    d->m_rx_tready = 0;
    d->m_axis_tready = 0;
    tb.reset();

    auto cycle = [&]() {
        // down source
        if (!b_offered && !beats.empty() && !rng.stall(stall_beat)) b_offered = true;
        d->s_axis_tvalid = b_offered;
        if (b_offered) {
            set_data(beats.front().b);
            d->s_axis_tkeep = beats.front().keep;
            d->s_axis_tlast = beats.front().last;
        }
        d->m_rx_tready = !rng.stall(stall_byte);
        // up source
        if (up_gap) {
            up_gap--;
        } else if (!u_offered && !up_q.empty()) {
            u_offered = true;
        }
        d->s_tx_tvalid = u_offered;
        d->s_tx_tdata = u_offered ? up_q.front() : (uint8_t)rng.next();
        d->m_axis_tready = !rng.stall(stall_axis);
        tb.settle();

        // down checks
        if (held_rx) sc.check(d->m_rx_tvalid && d->m_rx_tdata == held_rx_data, "m_rx byte changed before taken");
        if (d->m_rx_tvalid && d->m_rx_tready) {
            down_got.push_back(d->m_rx_tdata);
            down_bytes++;
        }
        held_rx = d->m_rx_tvalid && !d->m_rx_tready;
        held_rx_data = d->m_rx_tdata;
        if (b_offered && d->s_axis_tready) {
            beats.pop_front();
            b_offered = false;
        }
        // up checks
        if (d->m_axis_tvalid) {
            uint8_t ob[64];
            get_data(ob);
            uint64_t k = d->m_axis_tkeep;
            if (held_ax)
                sc.check(std::equal(ob, ob + TB_DB, held_ax_data) && k == held_ax_keep && d->m_axis_tlast == held_ax_last,
                         "m_axis beat changed before taken");
            if (d->m_axis_tready) {
                sc.check(k != 0 && ((k + 1) & k) == 0, "tkeep %llx not contiguous from lane 0", (unsigned long long)k);
                sc.check(d->m_axis_tlast || k == ALL, "partial beat (tkeep %llx) without tlast", (unsigned long long)k);
                if (expect_no_last) sc.check(!d->m_axis_tlast, "tlast while bytes flow without pause");
                for (int i = 0; i < TB_DB; i++)
                    if ((k >> i) & 1) up_got.push_back(ob[i]);
                if (up_got.size() == up_want.size()) complete_cycle = tb.cycle;
                beats_out++;
                lasts += d->m_axis_tlast;
            }
            held_ax = !d->m_axis_tready;
            std::copy(ob, ob + TB_DB, held_ax_data);
            held_ax_keep = k;
            held_ax_last = d->m_axis_tlast;
        } else {
            sc.check(!held_ax, "m_axis beat withdrawn before taken");
            held_ax = false;
        }
        if (u_offered && d->s_tx_tready) {
            up_q.pop_front();
            u_offered = false;
            up_bytes++;
            last_acc_cycle = tb.cycle;
            if (rng.below(1000) < gap_pm) up_gap = rng.below(3 * TB_IDLE + 2);
        }
        tb.tick();
    };
    auto compare = [&](const char* what, std::vector<uint8_t>& got, std::vector<uint8_t>& want) {
        std::printf("%s: %zu bytes, cycle %llu\n", what, got.size(), (unsigned long long)tb.cycle);
        size_t n = std::max(got.size(), want.size());
        for (size_t i = 0; i < n; i++) {
            bool ok = i < got.size() && i < want.size() && got[i] == want[i];
            sc.check(ok, "%s: byte %zu of %zu: got %02x, want %02x", what, i, want.size(), i < got.size() ? got[i] : 0x100,
                     i < want.size() ? want[i] : 0x100);
        }
        got.clear();
        want.clear();
    };
    auto add_beats = [&](int n, bool full_only) {
        for (int j = 0; j < n; j++) {
            Beat bt;
            rng.bytes(bt.b, TB_DB);
            unsigned kind = full_only ? 1 : rng.below(6);
            switch (kind) {
            case 0: bt.keep = 0; break;                                      // all null
            case 1: bt.keep = ALL; break;                                    // full
            case 2: bt.keep = 1ull << rng.below(TB_DB); break;               // one byte
            case 3: bt.keep = ALL >> rng.below(TB_DB); break;                // contiguous from lane 0
            default: bt.keep = rng.next() & ALL; break;                      // sparse
            }
            bt.last = rng.below(4) == 0;
            for (int i = 0; i < TB_DB; i++)
                if ((bt.keep >> i) & 1) down_want.push_back(bt.b[i]);
            beats.push_back(bt);
        }
    };
    auto add_bytes = [&](int n) {
        for (int j = 0; j < n; j++) {
            uint8_t b = (uint8_t)rng.next();
            up_q.push_back(b);
            up_want.push_back(b);
        }
    };
    auto drain = [&]() {
        uint64_t lim = tb.cycle + 10000000;
        while (tb.cycle < lim && (!beats.empty() || b_offered || !up_q.empty() || u_offered)) cycle();
        for (int i = 0; i < TB_IDLE + 40; i++) cycle();
    };

    // 1. both directions, random everything
    add_beats(20000, false);
    add_bytes(20000 * TB_DB / 2);
    drain();
    compare("down, random tkeep", down_got, down_want);
    compare("up, random gaps", up_got, up_want);
    std::printf("beats up %llu, with tlast %llu\n", (unsigned long long)beats_out, (unsigned long long)lasts);
    sc.check(lasts > 0 && lasts < beats_out, "tlast on %llu of %llu beats", (unsigned long long)lasts,
             (unsigned long long)beats_out);

    // 2. bytes without pause, beat consumer stalling: no tlast until the end
    gap_pm = 0;
    expect_no_last = true;
    add_bytes(5000);
    while (!up_q.empty() || u_offered) cycle();
    expect_no_last = false;
    drain();
    compare("up, no pause", up_got, up_want);

    // 3. rates without stalls: one byte per cycle both ways
    stall_beat = stall_byte = stall_axis = 0;
    add_beats(2000, true);
    add_bytes(2000 * TB_DB);
    uint64_t c0 = tb.cycle, db0 = down_bytes, ub0 = up_bytes;
    while (!beats.empty() || !up_q.empty()) cycle();
    double dn = (double)(down_bytes - db0) / (double)(tb.cycle - c0);
    double up = (double)(up_bytes - ub0) / (double)(tb.cycle - c0);
    sc.check(dn > 0.99 && up > 0.99, "rates: down %.3f, up %.3f bytes per cycle", dn, up);
    drain();
    compare("down, full beats", down_got, down_want);
    compare("up, full rate", up_got, up_want);
    // 4. latency: after a pause the last bytes leave within IDLE_FLUSH + 2 cycles
    {
        uint64_t worst = 0;
        for (int k = 1; k <= 3 * TB_DB; k++) {
            add_bytes(k);
            while (!up_q.empty() || u_offered) cycle();
            uint64_t lim = tb.cycle + TB_IDLE + 100;
            while (up_got.size() < up_want.size() && tb.cycle < lim) cycle();
            worst = std::max(worst, complete_cycle - last_acc_cycle);
            for (int i = 0; i < 3; i++) cycle();
        }
        sc.check(worst <= (uint64_t)TB_IDLE + 2, "last byte out %llu cycles after it was taken (IDLE_FLUSH %d)",
                 (unsigned long long)worst, TB_IDLE);
        compare("up, latency", up_got, up_want);
        std::printf("flush latency: %llu cycles (IDLE_FLUSH %d)\n", (unsigned long long)worst, TB_IDLE);
    }
    std::printf("perf: %s down_bytes_per_cycle %.3f bytes\n", TB_NAME, dn);
    std::printf("perf: %s up_bytes_per_cycle %.3f bytes\n", TB_NAME, up);
    return sc.finish();
}
