// SPDX-License-Identifier: MIT
// Bench for core_crc32: one-octet CRC-32 (IEEE 802.3 / zlib) steps against the bit-serial
// reference of driver/frame.c, the standard check value, random states and octets.
#include "Vcore_crc32.h"
#include "common.h"

static uint32_t ref_step(uint32_t c, uint8_t d) {
    c ^= d;
    for (int i = 0; i < 8; i++) c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
    return c;
}

int main(int argc, char** argv) {
    std::unique_ptr<VerilatedContext> ctx(new VerilatedContext);
    ctx->commandArgs(argc, argv);
    std::unique_ptr<Vcore_crc32> d(new Vcore_crc32{ctx.get()});
    Score sc;
    Rng rng(32);
    // check value: CRC-32("123456789") = cbf43926
    uint32_t c = 0xFFFFFFFFu;
    for (const char* p = "123456789"; *p; p++) {
        d->crc_in = c;
        d->data = (uint8_t)*p;
        d->eval();
        c = d->crc_out;
    }
    sc.check(~c == 0xCBF43926u, "check value %08x", ~c);
    for (int i = 0; i < 200000; i++) {
        uint32_t s = (uint32_t)rng.next();
        uint8_t x = (uint8_t)rng.next();
        d->crc_in = s;
        d->data = x;
        d->eval();
        sc.check(d->crc_out == ref_step(s, x), "state %08x octet %02x: %08x", s, x, d->crc_out);
    }
    d->final();
    std::printf("perf: core_crc32 octets_per_step 1 octets\n");
    return sc.finish();
}
