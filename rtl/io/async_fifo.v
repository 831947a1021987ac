// SPDX-License-Identifier: MIT
// Dual-clock FIFO: Gray-code pointers crossing through 2-flop synchronisers (Cummings style).
`default_nettype none

// s_* is written on s_clk, m_* read on m_clk; the clocks may be unrelated. A word moves when
// valid and ready are both high at the rising edge of its side's clock. m_tdata/m_tvalid come
// from registers (first-word-fall-through: the memory's registered read port is the output
// register; OPT_BRAM picks block RAM or flops for the array); capacity is 2^AW words plus
// the output register. Latency from a write to m_tvalid: 3 to 4 m_clk cycles (two
// synchroniser flops, one read); a freed slot reaches s_tready 2 to 3 s_clk cycles after a read.
// s_level: words in the array as seen from the write side (the read pointer arrives late
// through the synchroniser, so it never counts low): a writer that must not stall, such as
// a bus that cannot be paused at once, keeps s_level + (its words in flight) <= 2^AW.
// Reset: s_rst and m_rst are synchronous to their clocks and must be asserted together (both
// overlapping, no word moving on either side) so that both pointers restart at zero; a side
// whose clock does not run during reset keeps its power-up state, which on iCE40 is zero.
module async_fifo #(
    parameter DW = 8,          // word width
    parameter AW = 4,          // address bits: 2^AW words, AW >= 2
    parameter OPT_BRAM = 1     // 1: array in block RAM (iCE40 SB_RAM40_4K); 0: in flops
) (
    input  wire             s_clk,
    input  wire             s_rst,
    input  wire  [DW-1:0]   s_tdata,
    input  wire             s_tvalid,
    output logic            s_tready,
    output logic [AW:0]     s_level,

    input  wire             m_clk,
    input  wire             m_rst,
    output logic [DW-1:0]   m_tdata,
    output logic            m_tvalid,
    input  wire             m_tready
);

    generate
        if (AW < 2 || AW > 16 || DW < 1) begin : g_bad_param
            $error("async_fifo: AW must be 2..16 and DW at least 1");
        end
    endgenerate

    localparam DEPTH = 1 << AW;

    function automatic [AW:0] bin2gray(input [AW:0] b);
        bin2gray = b ^ (b >> 1);
    endfunction

    function automatic [AW:0] gray2bin(input [AW:0] g);
        logic [AW:0] b;
        b[AW] = g[AW];
        for (int i = AW - 1; i >= 0; i = i - 1)
            b[i] = b[i + 1] ^ g[i];
        gray2bin = b;
    endfunction

    // Registers (x_reg / x_new / x_we). Write side, s_clk:
    logic [AW:0]   wbin_reg,  wbin_new;   logic wbin_we;
    logic [AW:0]   wgray_reg, wgray_new;  logic wgray_we;
    logic [AW:0]   rq1_reg, rq2_reg;      // read pointer (Gray) through two flops
    logic          push;
    // read side, m_clk:
    logic [AW:0]   rbin_reg,  rbin_new;   logic rbin_we;
    logic [AW:0]   rgray_reg, rgray_new;  logic rgray_we;
    logic [AW:0]   wq1_reg, wq2_reg;      // write pointer (Gray) through two flops
    logic          ov_reg, ov_new;        logic ov_we;
    logic [DW-1:0] dout_reg;
    logic          pop;

    // ---------------------------------------------------------------------------------------
    // Write side (s_clk)

    // async_fifo_wregs: write pointer and the read pointer's synchroniser
    always_ff @(posedge s_clk) begin : async_fifo_wregs
        if (s_rst) begin
            wbin_reg  <= '0;
            wgray_reg <= '0;
            rq1_reg   <= '0;
            rq2_reg   <= '0;
        end else begin
            if (wbin_we)  wbin_reg  <= wbin_new;
            if (wgray_we) wgray_reg <= wgray_new;
            rq1_reg <= rgray_reg;
            rq2_reg <= rq1_reg;
        end
    end

    // async_fifo_wctrl: full when the write pointer is one lap ahead of the synchronised read
    // pointer (Gray: top two bits inverted, the rest equal)
    always_comb begin : async_fifo_wctrl
        s_tready  = (wgray_reg != {~rq2_reg[AW:AW-1], rq2_reg[AW-2:0]});
        push      = s_tvalid && s_tready;
        s_level   = wbin_reg - gray2bin(rq2_reg);
        wbin_new  = wbin_reg + {{AW{1'b0}}, 1'b1};
        wbin_we   = push;
        wgray_new = bin2gray(wbin_new);
        wgray_we  = push;
    end

    // ---------------------------------------------------------------------------------------
    // Read side (m_clk)

    // async_fifo_rregs: read pointer, output valid and the write pointer's synchroniser
    always_ff @(posedge m_clk) begin : async_fifo_rregs
        if (m_rst) begin
            rbin_reg  <= '0;
            rgray_reg <= '0;
            wq1_reg   <= '0;
            wq2_reg   <= '0;
            ov_reg    <= 1'b0;
        end else begin
            if (rbin_we)  rbin_reg  <= rbin_new;
            if (rgray_we) rgray_reg <= rgray_new;
            if (ov_we)    ov_reg    <= ov_new;
            wq1_reg <= wgray_reg;
            wq2_reg <= wq1_reg;
        end
    end

    // ---------------------------------------------------------------------------------------
    // The array: write port on s_clk, registered read port on m_clk (loaded on pop only)
    generate
        if (OPT_BRAM != 0) begin : g_bram
            logic [DW-1:0] mem [0:DEPTH-1];

            // async_fifo_write: the array's write port
            always_ff @(posedge s_clk) begin : async_fifo_write
                if (push) mem[wbin_reg[AW-1:0]] <= s_tdata;
            end

            // async_fifo_read: the array's read port, the output register
            always_ff @(posedge m_clk) begin : async_fifo_read
                if (pop) dout_reg <= mem[rbin_reg[AW-1:0]];
            end
        end else begin : g_flops
            (* ram_style = "logic" *) logic [DW-1:0] mem [0:DEPTH-1];

            // async_fifo_write: the array's write port
            always_ff @(posedge s_clk) begin : async_fifo_write
                if (push) mem[wbin_reg[AW-1:0]] <= s_tdata;
            end

            // async_fifo_read: the array's read port, the output register
            always_ff @(posedge m_clk) begin : async_fifo_read
                if (pop) dout_reg <= mem[rbin_reg[AW-1:0]];
            end
        end
    endgenerate

    // async_fifo_rctrl: read the next word when there is one and the output register is free
    // or being taken
    always_comb begin : async_fifo_rctrl
        pop       = (rgray_reg != wq2_reg) && (!ov_reg || m_tready);
        rbin_new  = rbin_reg + {{AW{1'b0}}, 1'b1};
        rbin_we   = pop;
        rgray_new = bin2gray(rbin_new);
        rgray_we  = pop;
        ov_new    = pop;
        ov_we     = pop || m_tready;
        m_tdata   = dout_reg;
        m_tvalid  = ov_reg;
    end

endmodule

`default_nettype wire
