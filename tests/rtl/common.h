// SPDX-License-Identifier: MIT
// Small shared helpers for the Verilator benches: clock/reset, pass/fail counts, random stalls.
#ifndef TCO_TB_COMMON_H
#define TCO_TB_COMMON_H

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "verilated.h"
#if VM_TRACE
#include "verilated_fst_c.h"
#endif

// Owns the context and the model; tick() runs one clock cycle (inputs must be set before).
// Tracing only when the bench was built with --trace-fst and run with +trace (FST in tb.fst,
// or in the file given by +trace=<file>).
template <class M> class Testbench {
public:
    std::unique_ptr<VerilatedContext> ctx;
    std::unique_ptr<M> dut;
    uint64_t cycle = 0;

    Testbench(int argc, char **argv) : ctx(new VerilatedContext) {
        ctx->commandArgs(argc, argv);
        dut.reset(new M{ctx.get()});
#if VM_TRACE
        const char *arg = ctx->commandArgsPlusMatch("trace");
        if (arg && std::strncmp(arg, "+trace", 6) == 0) {
            ctx->traceEverOn(true);
            trace_.reset(new VerilatedFstC);
            dut->trace(trace_.get(), 99);
            std::string file = "tb.fst";
            if (arg[6] == '=') file = arg + 7;
            trace_->open(file.c_str());
        }
#endif
        dut->clk = 0;
        dut->eval();
    }
    ~Testbench() {
        dut->final();
#if VM_TRACE
        if (trace_) trace_->close();
#endif
    }
    // Settle the combinational logic with clk low (inputs applied), before sampling handshakes.
    void settle() {
        dut->clk = 0;
        dut->eval();
    }
    // Rising edge, then the falling edge half a cycle later.
    void tick() {
        dut->clk = 0;
        dut->eval();
        dump(0);
        dut->clk = 1;
        dut->eval();
        dump(1);
        cycle++;
    }
    void reset(int cycles = 4) {
        dut->rst = 1;
        for (int i = 0; i < cycles; i++) tick();
        dut->rst = 0;
    }

private:
    void dump(int phase) {
#if VM_TRACE
        if (trace_) trace_->dump(cycle * 10 + phase * 5);
#else
        (void)phase;
#endif
    }
#if VM_TRACE
    std::unique_ptr<VerilatedFstC> trace_;
#endif
};

// Pass/fail counters. finish() prints the final "N passed, N failed" line and gives the exit code.
struct Score {
    unsigned long passed = 0, failed = 0;
    unsigned long max_report = 20;
    bool check(bool ok, const char *fmt, ...) {
        if (ok) {
            passed++;
            return true;
        }
        failed++;
        if (failed <= max_report) {
            va_list ap;
            va_start(ap, fmt);
            std::printf("FAIL: ");
            std::vprintf(fmt, ap);
            std::printf("\n");
            va_end(ap);
        }
        return false;
    }
    int finish() const {
        std::printf("%lu passed, %lu failed\n", passed, failed);
        return failed ? 1 : 0;
    }
};

// Deterministic random numbers (xorshift64*); seed from +seed=<n>.
struct Rng {
    uint64_t s;
    explicit Rng(uint64_t seed) : s(seed ? seed : 0x9e3779b97f4a7c15ull) {}
    uint64_t next() {
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        return s * 0x2545f4914f6cdd1dull;
    }
    uint32_t below(uint32_t n) { return (uint32_t)(next() % n); }
    // true with probability pct/100: use to drop valid or ready for a cycle
    bool stall(unsigned pct) { return pct && below(100) < pct; }
    void bytes(uint8_t *p, size_t n) {
        for (size_t i = 0; i < n; i++) p[i] = (uint8_t)next();
    }
};

// Wide Verilator ports (VlWide, or plain integers): byte 0 of the buffer is the most
// significant byte of the port.
template <class W> void set_wide(W &w, const uint8_t *b, size_t n) {
    for (size_t i = 0; i < (n + 3) / 4; i++) w[i] = 0;
    for (size_t j = 0; j < n; j++) {
        size_t bit = 8 * (n - 1 - j);
        w[bit / 32] |= (uint32_t)b[j] << (bit % 32);
    }
}
template <class W> void get_wide(const W &w, uint8_t *b, size_t n) {
    for (size_t j = 0; j < n; j++) {
        size_t bit = 8 * (n - 1 - j);
        b[j] = (uint8_t)(w[bit / 32] >> (bit % 32));
    }
}

static inline std::string hex(const uint8_t *b, size_t n) {
    static const char d[] = "0123456789abcdef";
    std::string s;
    for (size_t i = 0; i < n; i++) {
        s += d[b[i] >> 4];
        s += d[b[i] & 15];
    }
    return s;
}
static inline size_t unhex(const char *h, uint8_t *b) {
    size_t n = 0;
    while (h[0] && h[1]) {
        unsigned v;
        std::sscanf(h, "%2x", &v);
        b[n++] = (uint8_t)v;
        h += 2;
    }
    return n;
}

// Value of +name=<n>, or dflt.
static inline uint64_t plusarg_u64(VerilatedContext *ctx, const char *name, uint64_t dflt) {
    std::string pat = std::string(name);
    const char *a = ctx->commandArgsPlusMatch(pat.c_str());
    if (!a || !*a) return dflt;
    const char *eq = std::strchr(a, '=');
    return eq ? std::strtoull(eq + 1, nullptr, 0) : dflt;
}

// The engines' clr wipe checks (registers read through tests/rtl/tb_wipe.vlt): a wide
// register is all zero; every 32-bit word of w equals v (S-box outputs after the flush:
// address 0 everywhere)
template <size_t N> bool is_zero(const VlWide<N> &w) {
    for (size_t i = 0; i < N; i++)
        if (w[i]) return false;
    return true;
}
// every 32-bit word of w equals v (S-box outputs after the flush: address 0 everywhere)
template <size_t N> bool all_words(const VlWide<N> &w, uint32_t v) {
    for (size_t i = 0; i < N; i++)
        if (w[i] != v) return false;
    return true;
}
static inline bool all_words(uint32_t w, uint32_t v) { return w == v; }

#endif
