// SPDX-License-Identifier: MIT
// iCE40 PLL for the board tops: the board oscillator to the core clock, with lock.
`default_nettype none

// F_out = F_in * (DIVF + 1) / ((DIVR + 1) * 2^DIVQ); the VCO (F_in * (DIVF + 1) / (DIVR + 1))
// must lie in 533..1066 MHz and the phase detector input (F_in / (DIVR + 1)) in 10..133 MHz
// (iCE40 sysCLOCK PLL; `icepll -i 12 -o F` prints the divisors). OPT_PAD = 1 uses the PLL's
// own input pad (SB_PLL40_PAD: the clock pin is the PLL pad, as on the iCEBreaker's pin 35);
// 0 takes the clock from the fabric (SB_PLL40_CORE, as from the HX8K breakout's J3).
// Synthesis (Yosys defines SYNTHESIS) gets the primitive. Simulation gets a model: clk_o is
// clk_i (the bench's clock is the core clock) and locked rises LOCK_CYCLES after the first
// edge, so the board top's reset sequence runs as on the board.
module board_pll #(
    parameter       OPT_PAD      = 1,
    parameter [3:0] DIVR         = 4'd0,
    parameter [6:0] DIVF         = 7'd47,
    parameter [2:0] DIVQ         = 3'd4,
    parameter [2:0] FILTER_RANGE = 3'd1,
    parameter       LOCK_CYCLES  = 64       // simulation model only
) (
    input  wire  clk_i,                     // board oscillator
    output logic clk_o,                     // core clock
    output logic locked
);

`ifdef SYNTHESIS
    generate
        if (OPT_PAD != 0) begin : g_pad
            SB_PLL40_PAD #(
                .FEEDBACK_PATH ("SIMPLE"),
                .DIVR          (DIVR),
                .DIVF          (DIVF),
                .DIVQ          (DIVQ),
                .FILTER_RANGE  (FILTER_RANGE)
            ) u_pll (
                .PACKAGEPIN    (clk_i),
                .PLLOUTGLOBAL  (clk_o),
                .PLLOUTCORE    (),
                .LOCK          (locked),
                .RESETB        (1'b1),
                .BYPASS        (1'b0)
            );
        end else begin : g_core
            SB_PLL40_CORE #(
                .FEEDBACK_PATH ("SIMPLE"),
                .DIVR          (DIVR),
                .DIVF          (DIVF),
                .DIVQ          (DIVQ),
                .FILTER_RANGE  (FILTER_RANGE)
            ) u_pll (
                .REFERENCECLK  (clk_i),
                .PLLOUTGLOBAL  (clk_o),
                .PLLOUTCORE    (),
                .LOCK          (locked),
                .RESETB        (1'b1),
                .BYPASS        (1'b0)
            );
        end
    endgenerate
`else
    localparam int LW = $clog2(LOCK_CYCLES + 1);
    localparam [LW-1:0] LOCK_AT = LW'(LOCK_CYCLES);
    logic [LW-1:0] cnt = '0;

    assign clk_o = clk_i;

    always_ff @(posedge clk_i) begin : board_pll_model
        if (cnt != LOCK_AT)
            cnt <= cnt + 1'b1;
    end

    assign locked = (cnt == LOCK_AT);

    logic unused_div;
    assign unused_div = ^{OPT_PAD[0], DIVR, DIVF, DIVQ, FILTER_RANGE};
`endif

endmodule

`default_nettype wire
