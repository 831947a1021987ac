// SPDX-License-Identifier: MIT
// UART front end: serial lines to the core's byte streams (uart_rx + uart_fifo, uart_tx).
`default_nettype none

// rx_i -> uart_rx -> uart_fifo -> m_rx (to tco_core s_rx); s_tx (from tco_core m_tx) ->
// uart_tx -> tx_o. One clock domain (clk); rx_i is synchronised inside uart_rx. 8N1 framing,
// CLK_HZ >= 4 * BAUD (see uart_rx for the oversampling). The receive side holds up to
// 2^FIFO_AW + 2 octets (FIFO array, its output register, the receiver's register; 1 octet,
// the receiver's register, with FIFO_AW = 0, which leaves the FIFO out) while the
// core does not take them; more is dropped and counted as an overrun, since a serial line
// cannot be paused. tco_core takes no octet from the end of a request frame until its
// response has gone into the encoder (docs/protocol.md, "Buffering"), and the response leaves
// at line rate, so the host must keep the request octets it has sent beyond the frame being
// answered within that depth (docs/io.md). Bad stop bits drop the octet (frame_err).
// Error counters saturate at 255 and clear on rst.
module uart_io #(
    parameter CLK_HZ   = 12_000_000,
    parameter BAUD     = 115_200,
    parameter FIFO_AW  = 4,        // receive FIFO: 2^FIFO_AW octets; 0: no FIFO (receiver only)
    parameter OPT_BRAM = 0         // receive FIFO array in block RAM (1) or flops (0)
) (
    input  wire         clk,
    input  wire         rst,
    input  wire         rx_i,          // serial in (from the host's TXD), idle high
    output logic        tx_o,          // serial out (to the host's RXD), idle high
    output logic [7:0]  m_rx_tdata,    // host -> device octets, to tco_core s_rx
    output logic        m_rx_tvalid,
    input  wire         m_rx_tready,
    input  wire  [7:0]  s_tx_tdata,    // device -> host octets, from tco_core m_tx
    input  wire         s_tx_tvalid,
    output logic        s_tx_tready,
    output logic        frame_err,     // one-cycle pulses from uart_rx
    output logic        overrun,
    output logic        tx_busy,       // uart_tx: a frame is on the line or waiting
    output logic [7:0]  frame_err_cnt, // saturating counts of the above
    output logic [7:0]  overrun_cnt
);

    logic [7:0] rx_tdata;
    logic       rx_tvalid, rx_tready, rx_ferr, rx_orun;

    uart_rx #(
        .CLK_HZ (CLK_HZ),
        .BAUD   (BAUD)
    ) u_rx (
        .clk       (clk),
        .rst       (rst),
        .rx_i      (rx_i),
        .m_tdata   (rx_tdata),
        .m_tvalid  (rx_tvalid),
        .m_tready  (rx_tready),
        .frame_err (rx_ferr),
        .overrun   (rx_orun)
    );

    generate
        if (FIFO_AW != 0) begin : g_fifo
            uart_fifo #(
                .DW       (8),
                .AW       (FIFO_AW),
                .OPT_BRAM (OPT_BRAM)
            ) u_fifo (
                .clk      (clk),
                .rst      (rst),
                .s_tdata  (rx_tdata),
                .s_tvalid (rx_tvalid),
                .s_tready (rx_tready),
                .m_tdata  (m_rx_tdata),
                .m_tvalid (m_rx_tvalid),
                .m_tready (m_rx_tready)
            );
        end else begin : g_direct
            // no FIFO: the receiver's own output register is the only buffer
            assign m_rx_tdata  = rx_tdata;
            assign m_rx_tvalid = rx_tvalid;
            assign rx_tready   = m_rx_tready;
        end
    endgenerate

    uart_tx #(
        .CLK_HZ (CLK_HZ),
        .BAUD   (BAUD)
    ) u_tx (
        .clk      (clk),
        .rst      (rst),
        .s_tdata  (s_tx_tdata),
        .s_tvalid (s_tx_tvalid),
        .s_tready (s_tx_tready),
        .tx_o     (tx_o),
        .busy     (tx_busy)
    );

    // Registers (x_reg / x_new / x_we)
    logic [7:0] fcnt_reg, fcnt_new;  logic fcnt_we;
    logic [7:0] ocnt_reg, ocnt_new;  logic ocnt_we;

    // uart_io_regs: error counters
    always_ff @(posedge clk) begin : uart_io_regs
        if (rst) begin
            fcnt_reg <= 8'd0;
            ocnt_reg <= 8'd0;
        end else begin
            if (fcnt_we) fcnt_reg <= fcnt_new;
            if (ocnt_we) ocnt_reg <= ocnt_new;
        end
    end

    // uart_io_cnt: count error pulses, saturating
    always_comb begin : uart_io_cnt
        fcnt_new      = fcnt_reg + 8'd1;
        fcnt_we       = rx_ferr && (fcnt_reg != 8'hFF);
        ocnt_new      = ocnt_reg + 8'd1;
        ocnt_we       = rx_orun && (ocnt_reg != 8'hFF);
        frame_err     = rx_ferr;
        overrun       = rx_orun;
        frame_err_cnt = fcnt_reg;
        overrun_cnt   = ocnt_reg;
    end

endmodule

`default_nettype wire
