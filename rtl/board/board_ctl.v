// SPDX-License-Identifier: MIT
// Board control: reset sequence and status LEDs for the board tops.
`default_nettype none

// Reset: rst is high while the PLL is not locked or the button is pressed, and for RST_CYCLES
// core cycles after both are clear (the button is synchronised; its bounce restarts the
// count). The count starts from the FPGA's configuration (flops start at zero on iCE40).
// LEDs (active high here; the top inverts for active-low LEDs), from one free-running counter
// so that they cost few logic cells (the UP5K build has about 150 to spare):
//   led_alive  toggles every HEARTBEAT cycles out of reset (clock, PLL and reset are fine)
//   led_ready  out of reset
//   led_rx     a request octet arrived (rx_evt): on at once, off after STRETCH to 2 * STRETCH
//              cycles without one
//   led_tx     a response octet left (tx_evt), the same way
//   led_busy   the device holds a request (rx not ready: a command runs or its answer leaves)
//   led_err    a serial framing error or overrun (err_evt), the same way as led_rx
// HEARTBEAT and STRETCH are powers of two, STRETCH < HEARTBEAT.
module board_ctl #(
    parameter int RST_CYCLES = 1024,
    parameter int HEARTBEAT  = 8_388_608,   // half period of led_alive, cycles (power of two)
    parameter int STRETCH    = 524_288      // LED hold time unit, cycles (power of two)
) (
    input  wire  clk,
    input  wire  pll_locked,
    input  wire  btn_rst,                   // asynchronous, active high
    input  wire  rx_evt,                    // one-cycle events from the front end
    input  wire  tx_evt,
    input  wire  err_evt,
    input  wire  busy,
    output logic rst,
    output logic led_alive,
    output logic led_ready,
    output logic led_rx,
    output logic led_tx,
    output logic led_busy,
    output logic led_err
);

    localparam int RW = $clog2(RST_CYCLES + 1);
    localparam int HW = $clog2(HEARTBEAT) + 1;      // counter width: its MSB is led_alive
    localparam int SB = $clog2(STRETCH) - 1;        // its falling edges: a tick every STRETCH cycles
    localparam [RW-1:0] RST_END = RW'(RST_CYCLES);

    generate
        if ((HEARTBEAT & (HEARTBEAT - 1)) != 0 || (STRETCH & (STRETCH - 1)) != 0 ||
            STRETCH < 2 || STRETCH >= HEARTBEAT) begin : g_bad_params
            $error("board_ctl: HEARTBEAT and STRETCH are powers of two, 2 <= STRETCH < HEARTBEAT");
        end
    endgenerate

    logic [1:0]    btn_sync;
    logic [RW-1:0] rcnt;
    logic          hold;

    assign hold = !pll_locked || btn_sync[1];

    always_ff @(posedge clk or negedge pll_locked) begin : board_ctl_reset
        if (!pll_locked) begin
            btn_sync <= 2'b11;
            rcnt     <= '0;
            rst      <= 1'b1;
        end else begin
            btn_sync <= {btn_sync[0], btn_rst};
            if (hold) begin
                rcnt <= '0;
                rst  <= 1'b1;
            end else if (rcnt != RST_END) begin
                rcnt <= rcnt + 1'b1;
                rst  <= 1'b1;
            end else begin
                rst  <= 1'b0;
            end
        end
    end

    // cnt counts from reset; a tick is each falling edge of cnt[SB] (every STRETCH cycles,
    // so an LED lit by an event stays on until the second tick with no event in between)
    logic [HW-1:0] cnt;
    logic          sb_q, tick;
    logic          rx_seen, tx_seen, err_seen;

    assign tick = sb_q && !cnt[SB];

    always_ff @(posedge clk) begin : board_ctl_leds
        if (rst) begin
            cnt      <= '0;
            sb_q     <= 1'b0;
            rx_seen  <= 1'b0;
            tx_seen  <= 1'b0;
            err_seen <= 1'b0;
            led_rx   <= 1'b0;
            led_tx   <= 1'b0;
            led_err  <= 1'b0;
        end else begin
            cnt  <= cnt + 1'b1;
            sb_q <= cnt[SB];
            rx_seen  <= rx_evt  || (rx_seen  && !tick);
            tx_seen  <= tx_evt  || (tx_seen  && !tick);
            err_seen <= err_evt || (err_seen && !tick);
            led_rx   <= rx_evt  || (tick ? rx_seen  : led_rx);
            led_tx   <= tx_evt  || (tick ? tx_seen  : led_tx);
            led_err  <= err_evt || (tick ? err_seen : led_err);
        end
    end

    always_comb begin : board_ctl_led_out
        led_alive = cnt[HW-1];
        led_ready = !rst;
        led_busy  = !rst && busy;
    end

endmodule

`default_nettype wire
