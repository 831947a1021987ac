// SPDX-License-Identifier: MIT
// Bench for the iCEBreaker top (tco_icebreaker, AES = 1, HASH = SHA1 = SRTP = WRAP = 0) on its
// pins: 16.5 MHz core clock, 3 Mbaud (5.5 clocks per bit: the fractional dividers of uart_rx
// and uart_tx), shortened reset, heartbeat and LED times (tb_tco_icebreaker.f). Checks: the
// green LED dark until the reset sequence and the first heartbeat half period are over, then
// toggling every HEARTBEAT cycles; INFO's capabilities (AES-128/256, AES-CTR, GSM c3; no
// HMAC, KDF, SRTP, key wrap); KEY_WRITE, AES_BLOCK (FIPS-197 C.1 and a random block) and
// AES_CTR against OpenSSL; KDF, KDF_DERIVE, HMAC, KEY_WRAP and SRTP_KDF answer BAD_OPCODE; a
// bad CRC-32 is answered BAD_CRC and not executed; an octet with a low stop bit lights the
// red LED for STRETCH..2*STRETCH cycles and the next request is answered; the button (btn_n
// low) darkens the green LED on the fourth edge, resets the device (the INFO cycle counter
// restarts, the key slots read empty: core_slots clears its valid flags on rst) and the
// device takes frames again after the reset wipe: WIPE cycles after rst falls (RST_CYCLES + 3
// edges after the release), a request sent as soon as rst fell is answered after that.
#include "Vtco_icebreaker.h"
#include "tb_board_common.h"

using namespace board;

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    Board<Vtco_icebreaker> b(argc, argv);
    Score& sc = b.sc;
    Rng rng(plusarg_u64(b.ctx.get(), "seed", 0x1ceb));
    auto* d = b.dut.get();
    d->btn_n = 1;
    PinLog green, red;
    b.watch = [&]() {
        green.sample(b.cycle, d->led_g_n);
        red.sample(b.cycle, d->led_r_n);
    };

    // ---- power-up: PLL lock, reset sequence, first heartbeat ----
    unsigned tx_low = 0;
    for (long i = 0; i < RST_FALL + HB + 16; i++) {
        b.tick();
        if (b.cycle >= b.mon_from && !d->uart_tx) tx_low++;
    }
    sc.check(tx_low == 0, "uart_tx low at %u edges of the reset sequence", tx_low);
    sc.check(green.val.front() == 1 && green.first(0) == (uint64_t)(RST_FALL + HB),
             "power-up: green LED first lit at edge %llu, want LOCK_CYCLES + 1 + RST_CYCLES + 2 + HEARTBEAT = %ld",
             (unsigned long long)green.first(0), RST_FALL + HB);
    sc.check(b.mon.got.empty() && d->uart_tx == 1, "uart_tx not idle during the reset sequence");
    std::printf("power-up: rst falls after edge %ld, green LED lit at edge %llu\n", RST_FALL,
                (unsigned long long)green.first(0));

    // ---- requests ----
    const uint32_t caps = TCO_P_CAP_AES128 | TCO_P_CAP_AES256 | TCO_P_CAP_AES_CTR | TCO_P_CAP_GSM_C3;
    b.expect_info(b.transact(TCO_P_OP_INFO, Bytes(), "INFO"), caps, RST_FALL, "INFO");
    requests(b, rng, false, true, false);

    // ---- a low stop bit: red LED, then the next request is answered ----
    uint64_t ev = b.send_bad_stop(0x3C);
    uint64_t err_from = b.cycle;
    b.expect_info(b.transact(TCO_P_OP_INFO, Bytes(), "INFO after a framing error"), caps, RST_FALL,
                  "INFO after a framing error");
    b.run(2 * STR + 64);
    check_stretch(sc, red, 0, ev, (uint64_t)BT + 6, b.cycle, "red LED (framing error)");
    sc.check(red.runs(0, 0, err_from).empty(), "red LED lit before the framing error");

    // ---- the button ----
    // press right after the green LED came on (its next change is HEARTBEAT cycles away)
    while (!(d->led_g_n == 0 && green.at.back() == b.cycle)) b.tick();
    uint64_t press = b.cycle + 1;
    int hb_before = check_heartbeat(sc, green, 0, RST_FALL + HB, press, "green LED before the button");
    sc.check(hb_before >= 10, "only %d heartbeat changes before the button", hb_before);
    d->btn_n = 0;
    for (int i = 1; i <= 4; i++) {
        b.tick();
        sc.check(d->led_g_n == (i == 4), "button: green LED %s after edge %d of the press, want %s", d->led_g_n ? "dark" : "lit",
                 i, i == 4 ? "dark (rst on the third edge, the LED counter cleared on the fourth)" : "lit");
    }
    // a request sent while the button is held is not answered (the UART is in reset)
    b.send(encode(0xA5, TCO_P_OP_INFO, 0x7777, Bytes()));
    b.run((uint64_t)(12 * 10 * BT) + 4 * RSTC);
    d->btn_n = 1;
    uint64_t release = b.cycle + 1;
    uint64_t rst_fell = release + RSTC + SYNC - 1;
    b.run((uint64_t)(rst_fell - b.cycle) + 8);
    sc.check(green.runs(0, press + 4, b.cycle).empty(), "green LED lit while the button was held or in reset");
    sc.check(b.mon.got.size() == b.parsed, "an answer to a request sent during the button reset");

    // the device after the reset: answers after the wipe, cycle counter restarted, key slots
    // empty
    uint64_t t_req = b.cycle;
    b.expect_info(b.transact(TCO_P_OP_INFO, Bytes(), "INFO after the button"), caps, rst_fell, "INFO after the button");
    {
        uint64_t start = b.first_tx_fall(t_req);
        sc.check(t_req < rst_fell + 16 && start >= rst_fell + WIPE,
                 "INFO sent %llu edges after rst fell answered at %llu, want after the wipe (%ld)",
                 (unsigned long long)(t_req - rst_fell), (unsigned long long)(start - rst_fell), WIPE);
        std::printf("after the button: request sent %llu edges after rst fell, answer begins at %llu (wipe %ld)\n",
                    (unsigned long long)(t_req - rst_fell), (unsigned long long)(start - rst_fell), WIPE);
    }
    b.expect(b.transact(TCO_P_OP_KEY_INFO, Bytes{3}, "KEY_INFO 3"), TCO_P_ST_OK, Bytes{0, 0, 0},
             "KEY_INFO slot 3 after the button reset (empty)");
    b.expect(b.transact(TCO_P_OP_KEY_INFO, Bytes{4}, "KEY_INFO 4"), TCO_P_ST_OK, Bytes{0, 0, 0},
             "KEY_INFO slot 4 after the button reset (empty)");
    {
        Bytes pl(17, 0x5A);
        pl[0] = 5;
        b.expect(b.transact(TCO_P_OP_AES_BLOCK, pl, "AES_BLOCK"), TCO_P_ST_SLOT_EMPTY, Bytes(),
                 "AES_BLOCK with slot 5 after the button reset");
    }
    b.run((uint64_t)(rst_fell + 3 * HB + 8 > b.cycle ? rst_fell + 3 * HB + 8 - b.cycle : 8));
    uint64_t end = b.cycle;
    int hb_after = check_heartbeat(sc, green, 0, rst_fell + HB, end, "green LED after the button");
    sc.check(hb_after >= 2, "only %d heartbeat changes after the button", hb_after);
    sc.check(red.runs(0, 0, end).size() == 1, "red LED lit %zu times in all, want once", red.runs(0, 0, end).size());
    b.finish_line();
    std::printf("%llu cycles, %zu octets from the device\n", (unsigned long long)b.cycle, b.mon.got.size());
    return sc.finish();
}
