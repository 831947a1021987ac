// SPDX-License-Identifier: MIT
// iCE40-HX8K breakout board top (iCE40HX8K-CT256): PLL, reset, UART front end, tco_core, LEDs.
`default_nettype none

// Pins (bitstreams/hx8k/hx8k.pcf): the 12 MHz oscillator (J3) into the PLL through the
// fabric, the FT2232H channel B UART (RX B10 into the FPGA, TX B12 out of it), the eight
// LEDs D2..D9 (B5 B4 A2 A1 C5 C4 B3 C3, active high). The board has no user button: reset is
// power-on (and PLL lock) only.
// Engines: the HX8K has 7,680 logic cells and 32 block RAMs. With both engines and SHA-1 the
// device core takes 99.7 % of the cells, and routing did not finish in 8 minutes; without
// SHA-1 it takes about 94 % (with the key model) and routes in about a minute. So this build holds AES-CTR and the
// SHA-256 hash engine (KDF, KDF_DERIVE, HMAC-SHA-256, AES_BLOCK, AES_CTR, GSM_C3) and leaves
// out HMAC-SHA-1, SRTP and KEY_WRAP / KEY_UNWRAP (the full set needs about 8,000 cells;
// docs/boards.md). Core clock 36 MHz (nextpnr reaches about 46 MHz).
// LEDs: [0] heartbeat (about 1 Hz) out of reset, [1] PLL locked, [2] out of reset, [3] request octet
// received, [4] response octet sent (both held 29..58 ms), [5] device busy, [6] serial framing
// error or overrun (held 29..58 ms), [7] off.
// Simulation (Verilator, tests/rtl/tb_tco_hx8k): board_pll passes the clock through, so the
// bench clock is the core clock; HEARTBEAT, STRETCH and RST_CYCLES are shortened there.
module tco_hx8k #(
    parameter int       CLK_HZ      = 36_000_000,  // core clock: 12 MHz * 48 / 16
    parameter [6:0]     PLL_DIVF    = 7'd47,
    parameter [2:0]     PLL_DIVQ    = 3'd4,
    parameter int       BAUD        = 3_000_000,   // the host library's usb: default
    parameter           SRTP        = 0,
    parameter           WRAP        = 0,
    parameter           AES         = 1,
    parameter           HASH        = 1,
    parameter           SHA1        = 0,
    parameter int       RST_CYCLES  = 1024,
    parameter int       HEARTBEAT   = 16_777_216,  // 2^n cycles: about 0.47 s
    parameter int       STRETCH     = 1_048_576,   // 2^n cycles: LEDs held 29..58 ms
    parameter int       LOCK_CYCLES = 64           // simulation model of the PLL only
) (
    input  wire        clk_12m,
    input  wire        uart_rx,
    output logic       uart_tx,
    output logic [7:0] led
);

    logic clk, locked, rst;

    board_pll #(
        .OPT_PAD     (0),
        .DIVR        (4'd0),
        .DIVF        (PLL_DIVF),
        .DIVQ        (PLL_DIVQ),
        .LOCK_CYCLES (LOCK_CYCLES)
    ) u_pll (
        .clk_i  (clk_12m),
        .clk_o  (clk),
        .locked (locked)
    );

    logic       alive, rx_led, tx_led, err_led, ready_led, busy_led;
    logic [7:0] rx_tdata, tx_tdata;
    logic       rx_tvalid, rx_tready, tx_tvalid, tx_tready, ferr, orun;

    board_ctl #(
        .RST_CYCLES (RST_CYCLES),
        .HEARTBEAT  (HEARTBEAT),
        .STRETCH    (STRETCH)
    ) u_ctl (
        .clk        (clk),
        .pll_locked (locked),
        .btn_rst    (1'b0),
        .rx_evt     (rx_tvalid && rx_tready),
        .tx_evt     (tx_tvalid && tx_tready),
        .err_evt    (ferr || orun),
        .busy       (!rx_tready),
        .rst        (rst),
        .led_alive  (alive),
        .led_ready  (ready_led),
        .led_rx     (rx_led),
        .led_tx     (tx_led),
        .led_busy   (busy_led),
        .led_err    (err_led)
    );

    uart_io #(
        .CLK_HZ   (CLK_HZ),
        .BAUD     (BAUD),
        .FIFO_AW  (0),                     // stop-and-wait host: no FIFO (docs/boards.md)
        .OPT_BRAM (0)
    ) u_uart (
        .clk           (clk),
        .rst           (rst),
        .rx_i          (uart_rx),
        .tx_o          (uart_tx),
        .m_rx_tdata    (rx_tdata),
        .m_rx_tvalid   (rx_tvalid),
        .m_rx_tready   (rx_tready),
        .s_tx_tdata    (tx_tdata),
        .s_tx_tvalid   (tx_tvalid),
        .s_tx_tready   (tx_tready),
        .frame_err     (ferr),
        .overrun       (orun),
        .tx_busy       (),
        .frame_err_cnt (),
        .overrun_cnt   ()
    );

    tco_core #(
        .TIMEOUT (CLK_HZ / 500),           // 2 ms of silence inside a frame: TRUNCATED
        .SRTP    (SRTP),
        .WRAP    (WRAP),
        .AES     (AES),
        .SHA1    (SHA1),
        .HASH    (HASH),
        .NBUF    (1),                       // no block RAM left for a second frame buffer
        .RSP     (0),                       // store and forward: results leave from core_cmd
        .MSG_BUF (0),                       // no room for the hash prefetch buffer
        .CYC_W   (40)                      // INFO cycles wrap after 2^40 (8.5 h at 36 MHz)
    ) u_core (
        .clk         (clk),
        .rst         (rst),
        .s_rx_tdata  (rx_tdata),
        .s_rx_tvalid (rx_tvalid),
        .s_rx_tready (rx_tready),
        .m_tx_tdata  (tx_tdata),
        .m_tx_tvalid (tx_tvalid),
        .m_tx_tready (tx_tready)
    );

    always_comb begin : tco_hx8k_leds
        led = {1'b0, err_led, busy_led, tx_led, rx_led, ready_led, locked, alive};
    end

endmodule

`default_nettype wire
