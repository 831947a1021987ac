// SPDX-License-Identifier: Apache-2.0
// Verilator harness: tco_sim_top as a library with the C interface of tco_sim.h.
#include "tco_sim.h"

#include <deque>
#include <memory>
#include <new>

#include "Vtco_sim_top.h"
#include "verilated.h"
#include "verilated_fst_c.h"

struct tco_sim {
    std::unique_ptr<VerilatedContext> ctx;
    std::unique_ptr<Vtco_sim_top> top;
    std::unique_ptr<VerilatedFstC> trace;
    std::deque<uint8_t> rx; // host -> device
    std::deque<uint8_t> tx; // device -> host
    uint64_t cycles = 0;
};

// One clock cycle. Inputs are set up before the rising edge; a transfer happens when valid
// and ready are both high at the edge (ready sampled before the edge, as the RTL sees it).
static void tick(tco_sim *s)
{
    Vtco_sim_top *t = s->top.get();

    t->s_rx_tvalid = !s->rx.empty();
    t->s_rx_tdata = s->rx.empty() ? 0 : s->rx.front();
    t->m_tx_tready = 1;
    t->clk = 0;
    t->eval();
    if (s->trace)
        s->trace->dump(s->ctx->time());
    s->ctx->timeInc(1);
    const bool rx_fire = t->s_rx_tvalid && t->s_rx_tready;
    const bool tx_fire = t->m_tx_tvalid && t->m_tx_tready;
    const uint8_t tx_byte = t->m_tx_tdata;
    t->clk = 1;
    t->eval();
    if (s->trace)
        s->trace->dump(s->ctx->time());
    s->ctx->timeInc(1);
    if (rx_fire)
        s->rx.pop_front();
    if (tx_fire)
        s->tx.push_back(tx_byte);
    s->cycles++;
}

extern "C" {

int tco_sim_abi(void)
{
    return TCO_SIM_ABI;
}

tco_sim *tco_sim_create(const char *trace)
{
    tco_sim *s = new (std::nothrow) tco_sim;
    if (s == nullptr)
        return nullptr;
    s->ctx.reset(new VerilatedContext);
    s->ctx->debug(0);
    s->ctx->randReset(2);
    if (trace != nullptr)
        s->ctx->traceEverOn(true);
    s->top.reset(new Vtco_sim_top{s->ctx.get(), "tco"});
    if (trace != nullptr) {
        s->trace.reset(new VerilatedFstC);
        s->top->trace(s->trace.get(), 99);
        s->trace->open(trace);
        if (!s->trace->isOpen()) {
            tco_sim_destroy(s);
            return nullptr;
        }
    }
    s->top->rst = 1;
    s->top->s_rx_tvalid = 0;
    s->top->m_tx_tready = 0;
    for (int i = 0; i < 8; i++)
        tick(s);
    s->top->rst = 0;
    s->tx.clear();
    return s;
}

void tco_sim_destroy(tco_sim *s)
{
    if (s == nullptr)
        return;
    if (s->top)
        s->top->final();
    if (s->trace)
        s->trace->close();
    delete s;
}

size_t tco_sim_push(tco_sim *s, const uint8_t *p, size_t n)
{
    try {
        s->rx.insert(s->rx.end(), p, p + n);
    } catch (...) {
        return 0;
    }
    return n;
}

size_t tco_sim_pull(tco_sim *s, uint8_t *p, size_t cap)
{
    size_t n = 0;
    while (n < cap && !s->tx.empty()) {
        p[n++] = s->tx.front();
        s->tx.pop_front();
    }
    return n;
}

size_t tco_sim_rx_pending(const tco_sim *s)
{
    return s->rx.size();
}

size_t tco_sim_tx_pending(const tco_sim *s)
{
    return s->tx.size();
}

void tco_sim_step(tco_sim *s, uint64_t n)
{
    while (n--)
        tick(s);
}

uint64_t tco_sim_run_until(tco_sim *s, size_t want, uint64_t max_cycles)
{
    uint64_t run = 0;
    while (s->tx.size() < want && run < max_cycles) {
        tick(s);
        run++;
    }
    return run;
}

uint64_t tco_sim_cycles(const tco_sim *s)
{
    return s->cycles;
}

} // extern "C"
