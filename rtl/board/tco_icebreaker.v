// SPDX-License-Identifier: MIT
// iCEBreaker board top (iCE40UP5K-SG48): PLL, reset, UART front end, tco_core, LEDs.
`default_nettype none

// Pins (bitstreams/icebreaker/icebreaker.pcf): the 12 MHz oscillator on the PLL pad (35),
// the user button (10, active low) as reset, the FT2232H channel B UART (RX 6 into the FPGA,
// TX 9 out of it), the red and green LEDs (11, 37, active low).
// Engines: the UP5K has 5,280 logic cells and 30 block RAMs. The device core with the hash
// engine alone (KDF, HMAC-SHA-256) fills 99.8 % of the cells and does not route in reasonable
// time; with the AES engine alone it takes about 78 % of the cells and all 30 block RAMs. So
// this build holds AES (AES_BLOCK, AES_CTR: Milenage with K inside, MBMS bulk AES-CTR, KDF2)
// with GSM_C3 and the key slots, and leaves out the hash engine (KDF, KDF_DERIVE, HMAC), SRTP
// and KEY_WRAP / KEY_UNWRAP (docs/boards.md). Core clock 16.5 MHz: the UP5K reaches about
// 18 MHz with this design (the PLL's lowest output is 16 MHz).
// Green LED: blinks (about 1 Hz) out of reset (dark: no clock or held in reset); red LED: a serial
// framing error or overrun, held for 32..64 ms.
// Simulation (Verilator, tests/rtl/tb_tco_icebreaker): board_pll passes the clock through,
// so the bench clock is the core clock; HEARTBEAT, STRETCH and RST_CYCLES are shortened there.
module tco_icebreaker #(
    parameter int       CLK_HZ      = 16_500_000,  // core clock: 12 MHz * 88 / 64
    parameter [6:0]     PLL_DIVF    = 7'd87,
    parameter [2:0]     PLL_DIVQ    = 3'd6,
    parameter int       BAUD        = 3_000_000,   // the host library's usb: default
    parameter           SRTP        = 0,
    parameter           WRAP        = 0,
    parameter           AES         = 1,
    parameter           HASH        = 0,
    parameter           SHA1        = 0,
    parameter int       RST_CYCLES  = 1024,
    parameter int       HEARTBEAT   = 8_388_608,   // 2^n cycles: about 0.51 s
    parameter int       STRETCH     = 524_288,     // 2^n cycles: LEDs held 32..64 ms
    parameter int       LOCK_CYCLES = 64           // simulation model of the PLL only
) (
    input  wire  clk_12m,
    input  wire  btn_n,
    input  wire  uart_rx,
    output logic uart_tx,
    output logic led_r_n,
    output logic led_g_n
);

    logic clk, locked, rst;

    board_pll #(
        .OPT_PAD     (1),
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
        .btn_rst    (!btn_n),
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

    always_comb begin : tco_icebreaker_leds
        led_g_n = !alive;
        led_r_n = !err_led;
    end

    logic unused_leds;
    assign unused_leds = ^{ready_led, rx_led, tx_led, busy_led};

endmodule

`default_nettype wire
