// SPDX-License-Identifier: MIT
// Serial-line models for the UART benches: a sender that drives 8N1 frames with exact
// (fractional) edge times, and a monitor that decodes the device's line and checks its bit
// timing. Time is counted in device clock periods: the rising edge of cycle n is at t = n.
#ifndef TCO_TB_UART_COMMON_H
#define TCO_TB_UART_COMMON_H

#include <cmath>
#include <deque>
#include <utility>
#include <vector>

#include "common.h"

// Host -> device line. Segments (end time, level) in order; the line is high (idle) after
// the last one. Frames can be queued ahead; level(t) must be asked with t non-decreasing.
struct SerialSender {
    std::deque<std::pair<double, int>> seg;
    double t_end = 0.0;

    // Start queueing at time now (plus a sub-clock phase) if the line has gone idle.
    void sync(double now, double phase = 0.0) {
        if (t_end < now) t_end = now + phase;
    }
    void push(double dur, int lvl) {
        t_end += dur;
        seg.push_back({t_end, lvl});
    }
    // One 8N1 frame: bt = bit time in clocks, stop = stop length in bits, bad_stop drives it low.
    void frame(uint8_t b, double bt, double stop = 1.0, bool bad_stop = false) {
        push(bt, 0);
        for (int i = 0; i < 8; i++) push(bt, (b >> i) & 1);
        push(bt * stop, bad_stop ? 0 : 1);
    }
    void idle(double dur) { push(dur, 1); }
    int level(double t) {
        while (!seg.empty() && seg.front().first <= t) seg.pop_front();
        return seg.empty() ? 1 : seg.front().second;
    }
    bool busy() const { return !seg.empty(); }
};

// Device -> host line: decodes frames from the line value seen in each cycle (the value the
// device drives after the rising edge of cycle n), checks that every edge of a frame lies
// within one clock of its nominal place (start + k bit times), that the stop bit is high for
// at least a bit time less one clock, and that the idle line is high.
struct SerialMonitor {
    double bt;                    // nominal bit time in clocks
    Score* sc;
    std::vector<uint8_t> got;     // decoded octets
    int state = 0;                // 0 idle, 1 in frame (start .. stop centre), 2 stop tail
    int64_t ts = 0;               // cycle of the start edge
    int prev = 1;
    unsigned bits = 0;
    int nbit = 0;
    uint64_t timing_errors = 0, frame_errors = 0;
    int64_t last_start = -1;
    std::vector<int64_t> start_gaps;   // cycles between successive start edges

    SerialMonitor(double bit_time, Score* score) : bt(bit_time), sc(score) {}

    void edge_check(int64_t n) {
        double p = (double)(n - ts) / bt;
        double k = std::round(p);
        if (std::fabs(p - k) * bt > 1.0 + 1e-9) {
            timing_errors++;
            sc->check(false, "tx edge at cycle %lld is %.2f clocks off a bit boundary", (long long)n,
                      (p - k) * bt);
        }
    }
    void sample(int64_t n, int v) {
        bool edge = (v != prev);
        switch (state) {
        case 0:
            if (edge && v == 0) {
                state = 1;
                ts = n;
                bits = 0;
                nbit = 0;
                if (last_start >= 0) start_gaps.push_back(n - last_start);
                last_start = n;
            }
            break;
        case 1: {
            if (edge) edge_check(n);
            // sample each bit at its centre
            int64_t centre = ts + (int64_t)std::floor((nbit + 0.5) * bt);
            if (n == centre) {
                if (nbit == 0) {
                    sc->check(v == 0, "tx start bit not low at its centre (cycle %lld)", (long long)n);
                } else if (nbit <= 8) {
                    bits |= (unsigned)v << (nbit - 1);
                } else {
                    if (!sc->check(v == 1, "tx stop bit low (cycle %lld)", (long long)n)) frame_errors++;
                    got.push_back((uint8_t)bits);
                    state = 2;
                }
                nbit++;
            }
            break;
        }
        case 2:
            // the stop bit must last until one clock before its nominal end
            if (edge) {
                if ((double)(n - ts) < 10.0 * bt - 1.0 - 1e-9) {
                    timing_errors++;
                    sc->check(false, "tx stop bit short: next edge %.2f clocks after start", (double)(n - ts));
                }
                if (v == 0) {
                    edge_check(n);
                    state = 1;
                    ts = n;
                    bits = 0;
                    nbit = 0;
                    start_gaps.push_back(n - last_start);
                    last_start = n;
                }
            } else if ((double)(n - ts) >= 10.0 * bt) {
                state = 0;
            }
            break;
        default:
            break;
        }
        prev = v;
    }
};

#endif
