// SPDX-License-Identifier: MIT
// Single-clock byte FIFO (valid/ready both sides): elasticity behind the UART receiver.
`default_nettype none

// A word moves when valid and ready are both high at the rising edge of clk. s_tready depends
// on registers only; m_tdata/m_tvalid are registers (first-word-fall-through: the array's
// registered read port is the output register). Capacity: 2^AW words in the array plus the
// output register; a word written into an empty FIFO at one rising edge is offered on m_*
// from the next.
// One word per cycle in and out at once. OPT_BRAM picks block RAM (iCE40 SB_RAM40_4K, one
// per 512 bytes) or flops for the array.
module uart_fifo #(
    parameter DW = 8,          // word width
    parameter AW = 4,          // address bits: 2^AW words, AW >= 1
    parameter OPT_BRAM = 0     // 1: array in block RAM; 0: in flops
) (
    input  wire             clk,
    input  wire             rst,
    input  wire  [DW-1:0]   s_tdata,
    input  wire             s_tvalid,
    output logic            s_tready,
    output logic [DW-1:0]   m_tdata,
    output logic            m_tvalid,
    input  wire             m_tready
);

    generate
        if (AW < 1 || AW > 16 || DW < 1) begin : g_bad_param
            $error("uart_fifo: AW must be 1..16 and DW at least 1");
        end
    endgenerate

    localparam DEPTH = 1 << AW;

    // Registers (x_reg / x_new / x_we)
    logic [AW:0]   wptr_reg, wptr_new;  logic wptr_we;
    logic [AW:0]   rptr_reg, rptr_new;  logic rptr_we;
    logic          ov_reg,   ov_new;    logic ov_we;      // output register holds a word
    logic [DW-1:0] dout_reg;
    logic          push, pop;

    // uart_fifo_regs: pointers and the output valid flag
    always_ff @(posedge clk) begin : uart_fifo_regs
        if (rst) begin
            wptr_reg <= '0;
            rptr_reg <= '0;
            ov_reg   <= 1'b0;
        end else begin
            if (wptr_we) wptr_reg <= wptr_new;
            if (rptr_we) rptr_reg <= rptr_new;
            if (ov_we)   ov_reg   <= ov_new;
        end
    end

    // The array: write port and registered read port (loaded on pop only)
    generate
        if (OPT_BRAM != 0) begin : g_bram
            logic [DW-1:0] mem [0:DEPTH-1];

            // uart_fifo_write: the array's write port
            always_ff @(posedge clk) begin : uart_fifo_write
                if (push) mem[wptr_reg[AW-1:0]] <= s_tdata;
            end

            // uart_fifo_read: the array's read port, the output register
            always_ff @(posedge clk) begin : uart_fifo_read
                if (pop) dout_reg <= mem[rptr_reg[AW-1:0]];
            end
        end else begin : g_flops
            (* ram_style = "logic" *) logic [DW-1:0] mem [0:DEPTH-1];

            // uart_fifo_write: the array's write port
            always_ff @(posedge clk) begin : uart_fifo_write
                if (push) mem[wptr_reg[AW-1:0]] <= s_tdata;
            end

            // uart_fifo_read: the array's read port, the output register
            always_ff @(posedge clk) begin : uart_fifo_read
                if (pop) dout_reg <= mem[rptr_reg[AW-1:0]];
            end
        end
    endgenerate

    // uart_fifo_ctrl: full and empty from the pointers; read the next word when the
    // output register is free or being taken
    always_comb begin : uart_fifo_ctrl
        // full: one lap ahead (top bits differ, the rest equal)
        s_tready = !((wptr_reg[AW] != rptr_reg[AW]) && (wptr_reg[AW-1:0] == rptr_reg[AW-1:0]));
        push     = s_tvalid && s_tready;
        pop      = (wptr_reg != rptr_reg) && (!ov_reg || m_tready);
        wptr_new = wptr_reg + {{AW{1'b0}}, 1'b1};
        wptr_we  = push;
        rptr_new = rptr_reg + {{AW{1'b0}}, 1'b1};
        rptr_we  = pop;
        ov_new   = pop;
        ov_we    = pop || m_tready;
        m_tdata  = dout_reg;
        m_tvalid = ov_reg;
    end

endmodule

`default_nettype wire
