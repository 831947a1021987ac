// SPDX-License-Identifier: MIT
// Bench body for uart_rx; the including file defines TB_CLK_HZ and TB_BAUD (the same values
// as the -G options of its .f file) and TB_NAME. The line model (tb_uart_common.h) drives
// frames with exact edge times: random octets back to back and with random gaps, senders
// 2 % fast and slow with the minimum stop time, random rate errors within +-2 %, framing
// errors (stop bit low: flagged, dropped, the next octet fine), glitches shorter than half
// a bit in idle (no frame), and overruns (consumer not ready: flagged, dropped).
#include <algorithm>

#include "Vuart_rx.h"
#include "tb_uart_common.h"

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    Testbench<Vuart_rx> tb(argc, argv);
    Score sc;
    Rng rng(plusarg_u64(tb.ctx.get(), "seed", 0x0a47));
    auto* d = tb.dut.get();
    const double BT = (double)TB_CLK_HZ / (double)TB_BAUD;   // bit time in clocks
    SerialSender snd;
    std::vector<uint8_t> want, got;
    uint64_t ferr = 0, orun = 0;
    bool ready = true;

    d->rx_i = 1;
    d->m_tready = 1;
    tb.reset();

    // Run until the queued line activity is over plus `tail` bit times.
    auto run = [&](double tail) {
        double stop_at = -1.0;
        for (;;) {
            double now = (double)tb.cycle;
            if (!snd.busy()) {
                if (stop_at < 0) stop_at = now + tail * BT;
                if (now >= stop_at) break;
            }
            d->rx_i = snd.level(now);
            d->m_tready = ready;
            tb.settle();
            if (d->m_tvalid && d->m_tready) got.push_back(d->m_tdata);
            ferr += d->frame_err;
            orun += d->overrun;
            tb.tick();
        }
    };
    auto compare = [&](const char* what) {
        std::printf("%s: %zu octets received, cycle %llu\n", what, got.size(), (unsigned long long)tb.cycle);
        size_t n = std::max(got.size(), want.size());
        for (size_t i = 0; i < n; i++) {
            bool ok = i < got.size() && i < want.size() && got[i] == want[i];
            sc.check(ok, "%s: octet %zu of %zu: got %02x, want %02x", what, i, want.size(),
                     i < got.size() ? got[i] : 0x100, i < want.size() ? want[i] : 0x100);
        }
        got.clear();
        want.clear();
    };
    auto counts = [&](const char* what, uint64_t f, uint64_t o) {
        sc.check(ferr == f && orun == o, "%s: frame_err %llu (want %llu), overrun %llu (want %llu)", what,
                 (unsigned long long)ferr, (unsigned long long)f, (unsigned long long)orun,
                 (unsigned long long)o);
        ferr = orun = 0;
    };

    // 1. random octets at the nominal rate, random gaps of 0 .. 3 bit times
    snd.sync((double)tb.cycle, 0.37);
    for (int i = 0; i < 1000; i++) {
        uint8_t b = (uint8_t)rng.next();
        snd.frame(b, BT);
        want.push_back(b);
        if (rng.below(2)) snd.idle(BT * rng.below(3000) / 1000.0);
    }
    run(2);
    compare("nominal rate");
    counts("nominal rate", 0, 0);

    // 2. senders 2 % fast and 2 % slow, back to back (one stop bit at the sender's rate);
    // +mism=<n> sets another rate error, in units of 0.01 % (for tolerance sweeps)
    const double mism = (double)plusarg_u64(tb.ctx.get(), "mism", 200) / 10000.0;
    for (double m : {+mism, -mism}) {
        snd.sync((double)tb.cycle, rng.below(1000) / 1000.0);
        double bt = BT / (1.0 + m);
        for (int i = 0; i < 1000; i++) {
            uint8_t b = (uint8_t)rng.next();
            snd.frame(b, bt);
            want.push_back(b);
        }
        run(2);
        compare(m > 0 ? "sender fast, back to back" : "sender slow, back to back");
        counts("rate mismatch", 0, 0);
    }

    // 3. framing errors: stop bit low for a whole bit, the line high again for 1 .. 3 bits,
    // then a good octet
    for (int i = 0; i < 50; i++) {
        snd.sync((double)tb.cycle, rng.below(1000) / 1000.0);
        double bt = BT * (1.0 + ((int)rng.below(41) - 20) / 1000.0);
        snd.frame((uint8_t)rng.next(), bt, 1.0, true);
        snd.idle(bt * (1.0 + rng.below(2000) / 1000.0));
        uint8_t b = (uint8_t)rng.next();
        snd.frame(b, bt);
        want.push_back(b);
        run(1);
    }
    compare("after framing errors");
    counts("framing errors", 50, 0);

    // 4. glitches shorter than half a bit in idle: no frame, no error; then a good octet
    for (int i = 0; i < 200; i++) {
        snd.sync((double)tb.cycle, rng.below(1000) / 1000.0);
        snd.idle(BT * 1.5);
        snd.push(BT * (0.05 + rng.below(440) / 1000.0), 0);
        snd.idle(BT * 1.5);
        if (i % 10 == 9) {
            uint8_t b = (uint8_t)rng.next();
            snd.frame(b, BT);
            want.push_back(b);
        }
        run(0.5);
    }
    run(2);
    compare("glitches");
    counts("glitches", 0, 0);

    // 5. overrun: the consumer stops; the first octet waits in the output register, the next
    // three are dropped and flagged; then it takes the waiting one
    {
        ready = false;
        snd.sync((double)tb.cycle, 0.5);
        uint8_t first = (uint8_t)rng.next();
        snd.frame(first, BT);
        for (int i = 0; i < 3; i++) snd.frame((uint8_t)rng.next(), BT);
        run(2);
        ready = true;
        want.push_back(first);
        run(1);
        compare("overrun");
        counts("overrun", 0, 3);
    }

    // 6. long random mix: rate errors within +-2 %, stop times 1 .. 1.5 bits, gaps, and a
    // consumer that pauses for less than a frame
    {
        snd.sync((double)tb.cycle, 0.1);
        for (int i = 0; i < 2000; i++) {
            double bt = BT * (1.0 + ((int)rng.below(4001) - 2000) / 100000.0);
            uint8_t b = (uint8_t)rng.next();
            snd.frame(b, bt, 1.0 + rng.below(500) / 1000.0);
            want.push_back(b);
            if (rng.below(4) == 0) snd.idle(bt * rng.below(5000) / 1000.0);
        }
        double stop_at = -1.0;
        unsigned pause = 0;
        for (;;) {
            double now = (double)tb.cycle;
            if (!snd.busy()) {
                if (stop_at < 0) stop_at = now + 10 * BT;   // longer than a pause
                if (now >= stop_at) break;
            }
            if (pause) {
                pause--;
            } else if (rng.below(1000) == 0) {
                pause = (unsigned)(rng.below((unsigned)(8 * BT)) + 1);
            }
            d->rx_i = snd.level(now);
            d->m_tready = (pause == 0);
            tb.settle();
            if (d->m_tvalid && d->m_tready) got.push_back(d->m_tdata);
            ferr += d->frame_err;
            orun += d->overrun;
            tb.tick();
        }
        compare("random mix");
        counts("random mix", 0, 0);
    }

    return sc.finish();
}
