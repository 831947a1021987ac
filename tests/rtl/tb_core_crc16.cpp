// SPDX-License-Identifier: MIT
// Bench for core_crc16: one-octet CRC-16/CCITT-FALSE steps against the bit-serial reference
// of driver/frame.c, the standard check value, random states and octets.
#include "Vcore_crc16.h"
#include "common.h"

static uint16_t ref_step(uint16_t c, uint8_t d) {
    c ^= (uint16_t)(d << 8);
    for (int i = 0; i < 8; i++) c = (uint16_t)((c & 0x8000) ? (c << 1) ^ 0x1021 : c << 1);
    return c;
}

int main(int argc, char** argv) {
    std::unique_ptr<VerilatedContext> ctx(new VerilatedContext);
    ctx->commandArgs(argc, argv);
    std::unique_ptr<Vcore_crc16> d(new Vcore_crc16{ctx.get()});
    Score sc;
    Rng rng(16);
    // check value: CRC-16/CCITT-FALSE("123456789") = 29b1
    uint16_t c = 0xFFFF;
    for (const char* p = "123456789"; *p; p++) {
        d->crc_in = c;
        d->data = (uint8_t)*p;
        d->eval();
        c = d->crc_out;
    }
    sc.check(c == 0x29B1, "check value %04x", c);
    for (int i = 0; i < 200000; i++) {
        uint16_t s = (uint16_t)rng.next();
        uint8_t x = (uint8_t)rng.next();
        d->crc_in = s;
        d->data = x;
        d->eval();
        sc.check(d->crc_out == ref_step(s, x), "state %04x octet %02x: %04x", s, x, d->crc_out);
    }
    d->final();
    std::printf("perf: core_crc16 octets_per_step 1 octets\n");
    return sc.finish();
}
