// SPDX-License-Identifier: MIT
// Bench for board_ctl with short parameters (tb_board_ctl.f: -G values, the same numbers as
// TB_RST_CYCLES, TB_HEARTBEAT, TB_STRETCH). Time is counted in rising edges of clk; inputs
// change before an edge (or, for the asynchronous PLL reset, between edges) and the outputs are
// read after it.
//   1. directed: rst high while pll_locked is low; released exactly RST_CYCLES + 3 edges after
//      lock (two button-synchroniser flops, preset while unlocked, then the RST_CYCLES count
//      and rst's own register); losing lock between edges raises rst at once and restarts the
//      count; the button raises rst on the third edge that sees it and releases it
//      RST_CYCLES + 3 edges after the first edge that sees it released (a bounce restarts
//      the count); led_alive toggles every HEARTBEAT edges out of reset; an event lights its
//      LED at once (after the edge that samples it) and the LED goes dark STRETCH to
//      2 * STRETCH edges after the last event (the module's description: one free-running
//      counter, so the exact time depends on its phase; the bench tries every phase); events
//      in reset light nothing; led_busy = !rst && busy, led_ready = !rst, before and after
//      every edge.
//   2. random: all inputs at random (lock lost between edges, button bounce, events, busy)
//      against a model written from the module's description: rst and led_alive exactly, the
//      event LEDs within their bounds, every output every cycle.
#include <algorithm>

#include "Vboard_ctl.h"
#include "common.h"

#if !defined(TB_RST_CYCLES) || !defined(TB_HEARTBEAT) || !defined(TB_STRETCH)
#error "tb_board_ctl.f passes -CFLAGS -DTB_RST_CYCLES=... -DTB_HEARTBEAT=... -DTB_STRETCH=..."
#endif

static const long R = TB_RST_CYCLES, H = TB_HEARTBEAT, S = TB_STRETCH;
static const long SYNC = 3;  // edges of latency besides RST_CYCLES: two synchroniser flops, rst's register

// The module as its header describes it, edge by edge. hold at an edge: PLL unlocked, or the
// button as the second synchroniser flop holds it (the flops are preset while unlocked, so
// the two edges after lock hold too). rst is low after an edge when this and the RST_CYCLES
// edges before it did not hold. LEDs: sampled with rst as it was before the edge.
struct Model {
    bool locked = false, sync0 = true, sync1 = true;
    long clear_run = 0;                     // consecutive edges without hold
    bool rst = true;
    long out_run = 0;                       // consecutive edges with rst low before them
    long since[3] = {-1, -1, -1};           // edges since the last event (-1: none since reset)

    void unlock() {  // asynchronous: between edges
        locked = false;
        sync0 = sync1 = true;
        clear_run = 0;
        rst = true;
    }
    void edge(bool btn_in, const bool evt[3]) {
        bool rst_before = rst;
        if (locked) {
            bool hold = sync1;
            sync1 = sync0;
            sync0 = btn_in;
            clear_run = hold ? 0 : clear_run + 1;
            rst = clear_run < R + 1;
        }
        if (rst_before) {
            out_run = 0;
            for (long& s : since) s = -1;
        } else {
            out_run++;
            for (int i = 0; i < 3; i++) {
                if (evt[i]) since[i] = 0;
                else if (since[i] >= 0) since[i]++;
            }
        }
    }
    bool alive() const { return (out_run / H) % 2 == 1; }
    // an event LED must be lit (the last event less than STRETCH edges ago) / dark (none for
    // 2 * STRETCH edges, or none since reset); in between either
    bool must_on(int i) const { return since[i] >= 0 && since[i] < S; }
    bool must_off(int i) const { return since[i] < 0 || since[i] >= 2 * S; }
};

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    Testbench<Vboard_ctl> tb(argc, argv);
    Score sc;
    Rng rng(plusarg_u64(tb.ctx.get(), "seed", 0xb0a4d));
    auto* d = tb.dut.get();
    d->pll_locked = 0;
    d->btn_rst = 0;
    d->rx_evt = d->tx_evt = d->err_evt = 0;
    d->busy = 0;
    tb.settle();

    bool rst_prev = true;   // rst after the previous edge
    // the combinational outputs, with the inputs as they are now
    auto comb = [&](const char* when) {
        sc.check(d->led_ready == !d->rst, "%s cycle %llu: led_ready %u with rst %u", when,
                 (unsigned long long)tb.cycle, d->led_ready, d->rst);
        sc.check(d->led_busy == (!d->rst && d->busy), "%s cycle %llu: led_busy %u with rst %u busy %u", when,
                 (unsigned long long)tb.cycle, d->led_busy, d->rst, d->busy);
    };
    // one edge; after it, the LEDs of a cycle that began in reset are dark
    auto edge = [&]() {
        tb.settle();
        comb("before edge,");
        tb.tick();
        comb("after edge,");
        if (rst_prev)
            sc.check(!d->led_alive && !d->led_rx && !d->led_tx && !d->led_err,
                     "cycle %llu: LEDs alive %u rx %u tx %u err %u after an edge in reset", (unsigned long long)tb.cycle,
                     d->led_alive, d->led_rx, d->led_tx, d->led_err);
        rst_prev = d->rst;
    };
    // edges until rst is low (at most limit); returns how many it took
    auto edges_to_release = [&](long limit) {
        for (long n = 1; n <= limit; n++) {
            edge();
            if (!d->rst) return n;
        }
        return -1L;
    };
    auto lose_lock = [&]() {  // between edges, clk high
        d->pll_locked = 0;
        d->eval();
        sc.check(d->rst == 1, "rst %u at once when pll_locked falls between edges (cycle %llu)", d->rst,
                 (unsigned long long)tb.cycle);
        comb("lock lost,");
        rst_prev = d->rst;
    };

    // ---- 1. reset sequence ----
    // (before the first edge rst is not yet set: the preset is edge-triggered in simulation,
    // and pll_locked starts low without a falling edge; from the first edge on it is)
    for (int i = 0; i < 25; i++) {
        edge();
        sc.check(d->rst == 1, "rst low with pll_locked low (edge %d)", i + 1);
    }
    d->pll_locked = 1;
    long n = edges_to_release(R + 100);
    sc.check(n == R + SYNC, "power-up: rst released %ld edges after lock, want RST_CYCLES + %ld = %ld", n, SYNC, R + SYNC);
    std::printf("power-up: rst released %ld edges after lock (RST_CYCLES %ld)\n", n, R);

    // lock lost during the count: rst stays high, the count restarts from the next lock
    lose_lock();
    for (int i = 0; i < 5; i++) edge();
    d->pll_locked = 1;
    for (long i = 0; i < R / 2; i++) edge();
    lose_lock();
    edge();
    sc.check(d->rst == 1, "rst low one edge after losing lock mid-count");
    d->pll_locked = 1;
    n = edges_to_release(R + 100);
    sc.check(n == R + SYNC, "lock lost mid-count: rst released %ld edges after the new lock, want %ld", n, R + SYNC);

    // ---- heartbeat ----
    {
        long t = 0, last = 0;
        int toggles = 0;
        unsigned prev = d->led_alive;
        sc.check(prev == 0, "led_alive %u when rst falls", prev);
        while (toggles < 6 && t < 10 * H) {
            edge();
            t++;
            if (d->led_alive != prev) {
                sc.check(t - last == H, "led_alive toggle %d after %ld edges, want HEARTBEAT %ld", toggles + 1, t - last, H);
                last = t;
                prev = d->led_alive;
                toggles++;
            }
            sc.check(!d->rst, "rst rose during the heartbeat run");
        }
        sc.check(toggles == 6, "led_alive toggled %d times in %ld edges, want 6", toggles, t);
    }

    // lock lost out of reset: rst at once, led_alive dark after the next edge
    {
        while (!d->led_alive) edge();
        lose_lock();
        sc.check(d->led_alive == 1, "led_alive is registered: still lit between the edges");
        edge();
        sc.check(d->led_alive == 0 && d->rst == 1, "lock lost: after an edge led_alive %u rst %u", d->led_alive, d->rst);
        for (int i = 0; i < 3 * H; i++) {
            edge();
            if (d->led_alive) {
                sc.check(false, "led_alive lit with the PLL unlocked");
                break;
            }
        }
        d->pll_locked = 1;
        n = edges_to_release(R + 100);
        sc.check(n == R + SYNC, "relock: rst released after %ld edges, want %ld", n, R + SYNC);
    }

    // ---- 2. the button ----
    {
        for (int i = 0; i < 7; i++) edge();
        d->btn_rst = 1;
        long k = 0;
        for (k = 1; k <= 10 && !d->rst; k++) edge();
        sc.check(k - 1 == SYNC, "button: rst rose on edge %ld after the press, want %ld", k - 1, SYNC);
        for (int i = 0; i < 2 * R; i++) {
            edge();
            if (!d->rst) {
                sc.check(false, "rst low while the button is held");
                break;
            }
        }
        d->btn_rst = 0;
        n = edges_to_release(3 * R);
        sc.check(n == R + SYNC, "button released: rst low after %ld edges, want %ld", n, R + SYNC);

        // a bounce during the count restarts it: a one-edge press at edge R/2
        d->btn_rst = 1;
        for (int i = 0; i < 5; i++) edge();
        d->btn_rst = 0;
        for (long i = 0; i < R / 2; i++) edge();
        d->btn_rst = 1;
        edge();
        d->btn_rst = 0;
        n = edges_to_release(3 * R);
        sc.check(n == R + SYNC, "bounce: rst low %ld edges after the bounce ended, want %ld", n, R + SYNC);

        // a one-edge press out of reset resets: rst for RST_CYCLES + 1 edges
        for (int i = 0; i < 5; i++) edge();
        d->btn_rst = 1;
        edge();
        d->btn_rst = 0;
        long high = 0, first = 0;
        for (long i = 1; i <= 3 * R; i++) {
            edge();
            if (d->rst) {
                if (!high) first = i;
                high++;
            }
        }
        sc.check(first == SYNC - 1 && high == R + 1,
                 "one-edge press: rst rose %ld edges after it (want %ld), high %ld edges (want %ld)", first, SYNC - 1,
                 high, R + 1);
    }

    // ---- 3. event LEDs ----
    {
        unsigned char* evt[3] = {&d->rx_evt, &d->tx_evt, &d->err_evt};
        auto led = [&](int i) { return i == 0 ? d->led_rx : i == 1 ? d->led_tx : d->led_err; };
        const char* nm[3] = {"led_rx", "led_tx", "led_err"};
        // edges the LED stays lit counting the edge of the (last) event; -1: not lit at once
        auto lit_for = [&](int i) {
            if (!led(i)) return -1L;
            long on = 1;
            for (long t = 0; t < 4 * S && led(i); t++) {
                edge();
                if (led(i)) on++;
                for (int j = 0; j < 3; j++)
                    if (j != i && led(j)) {
                        sc.check(false, "%s lit by an event of %s", nm[j], nm[i]);
                        j = 3;
                    }
            }
            return on;
        };
        for (int i = 0; i < 3; i++) {
            long lo = 1L << 30, hi = 0;
            // one event at each phase of the LED counter (4 * STRETCH covers them all twice)
            for (long ph = 0; ph < 4 * S; ph++) {
                for (long t = 0; t < 2 * S + ph; t++) edge();
                *evt[i] = 1;
                edge();
                *evt[i] = 0;
                long on = lit_for(i);
                sc.check(on >= S && on <= 2 * S, "%s: one event (phase %ld) lit it %ld edges, want %ld..%ld", nm[i], ph,
                         on, S, 2 * S);
                lo = std::min(lo, on);
                hi = std::max(hi, on);
            }
            std::printf("%s: one event lights it for %ld..%ld edges (STRETCH %ld)\n", nm[i], lo, hi, S);
            // retrigger: a second event while lit; the time counts from the second
            for (long ph = 0; ph < 2 * S; ph += 3) {
                for (long t = 0; t < 2 * S + ph; t++) edge();
                *evt[i] = 1;
                edge();
                *evt[i] = 0;
                for (long t = 0; t < S - 2; t++) edge();
                *evt[i] = 1;
                edge();
                *evt[i] = 0;
                long on = lit_for(i);
                sc.check(on >= S && on <= 2 * S, "%s retriggered (phase %ld): lit %ld edges after the second event, want %ld..%ld",
                         nm[i], ph, on, S, 2 * S);
            }
            // an event held for 3 * STRETCH edges: lit throughout, then as after one event
            for (long t = 0; t < 2 * S; t++) edge();
            *evt[i] = 1;
            bool dark = false;
            for (long t = 0; t < 3 * S; t++) {
                edge();
                dark = dark || !led(i);
            }
            *evt[i] = 0;
            sc.check(!dark, "%s went dark while its event was held", nm[i]);
            long on = lit_for(i);  // counts from the last event edge
            sc.check(on >= S && on <= 2 * S, "%s after a held event: lit %ld more edges, want %ld..%ld", nm[i], on, S, 2 * S);
        }
        // events in reset light nothing; a reset darkens a lit LED
        for (long t = 0; t < 2 * S; t++) edge();
        d->rx_evt = d->tx_evt = d->err_evt = 1;
        edge();
        d->rx_evt = d->tx_evt = d->err_evt = 0;
        sc.check(d->led_rx && d->led_tx && d->led_err, "all three events at once");
        lose_lock();
        edge();
        sc.check(!d->led_rx && !d->led_tx && !d->led_err, "lit LEDs dark after an edge in reset");
        d->rx_evt = d->tx_evt = d->err_evt = 1;
        for (int t = 0; t < 10; t++) {
            edge();
            sc.check(!d->led_rx && !d->led_tx && !d->led_err, "an event in reset lights an LED");
        }
        d->rx_evt = d->tx_evt = d->err_evt = 0;
        d->pll_locked = 1;
        n = edges_to_release(R + 100);
        sc.check(n == R + SYNC, "relock: rst released after %ld edges, want %ld", n, R + SYNC);
    }

    // ---- busy ----
    for (int t = 0; t < 200; t++) {
        d->busy = rng.below(2);
        if (t == 100) lose_lock();
        if (t == 150) d->pll_locked = 1;
        edge();  // comb() checks led_busy and led_ready before and after
    }
    d->busy = 0;
    edges_to_release(R + 100);

    // ---- 4. random inputs against the model ----
    {
        Model m;
        m.unlock();
        d->pll_locked = 0;
        d->eval();
        unsigned long mism = 0;
        long cycles = 200000;
        unsigned was[3] = {0, 0, 0};
        for (long t = 0; t < cycles; t++) {
            // lock: lost between edges now and then, back after a while
            if (m.locked && rng.below(4000) == 0) {
                lose_lock();
                m.unlock();
            } else if (!m.locked && rng.below(40) == 0) {
                d->pll_locked = 1;
                m.locked = true;
            }
            // button: rare presses of random length, sometimes a bounce of one or two edges
            if (rng.below(1500) == 0) d->btn_rst = 1;
            else if (d->btn_rst && rng.below(rng.below(2) ? 2 : 60) == 0) d->btn_rst = 0;
            bool ev[3];
            // busy and quiet stretches: events in most cycles, or a few per 2 * STRETCH
            unsigned per_mille = (t / 5000) % 2 ? 1000 / (unsigned)(4 * S) : 300;
            for (int i = 0; i < 3; i++) ev[i] = rng.below(1000) < per_mille / (unsigned)(i + 1) + (i == 0);
            d->rx_evt = ev[0];
            d->tx_evt = ev[1];
            d->err_evt = ev[2];
            d->busy = rng.below(2);
            edge();
            m.edge(d->btn_rst, ev);
            unsigned got[3] = {d->led_rx, d->led_tx, d->led_err};
            bool ok = d->rst == m.rst && d->led_alive == m.alive();
            for (int i = 0; i < 3; i++) {
                ok = ok && !(m.must_on(i) && !got[i]) && !(m.must_off(i) && got[i]);
                ok = ok && !(got[i] && !was[i] && !ev[i]);  // lights only at an event
                was[i] = got[i];
            }
            if (!ok) mism++;
            sc.check(ok, "random cycle %llu: rst %u alive %u rx %u tx %u err %u; model rst %d alive %d, "
                     "edges since the events %ld %ld %ld",
                     (unsigned long long)tb.cycle, d->rst, d->led_alive, got[0], got[1], got[2], m.rst, m.alive(),
                     m.since[0], m.since[1], m.since[2]);
        }
        std::printf("random: %ld cycles against the model, %lu mismatches\n", cycles, mism);
    }
    return sc.finish();
}
