// SPDX-License-Identifier: MIT
// FT2232H / FT232H FT245-style synchronous FIFO front end: the FTDI bus to the core's byte streams.
`default_nettype none

// FTDI side (ft_clk = the chip's 60 MHz CLKOUT; every ft_* output comes from a flop clocked
// on its rising edge, so the top can pack them into SB_IO registers; the bus is split into
// ft_data_i / ft_data_o / ft_data_oe for an SB_IO). Timing as FTDI's datasheets give it
// (FT232H DS FT_000288 v2.1, section 4.4, Table 4.1; the FT2232H's section 4.4 describes the
// same interface on channel A): the chip samples RD#, WR#, OE# and the data it is given on
// the rising edge of CLKOUT and changes RXF#, TXE# and its data 0 .. 9 ns after that edge;
// inputs need 7.5 ns setup (t7, t9, t12, t14) and 0 ns hold. A byte moves at an edge where
// RXF# and RD# are both low (read) or TXE# and WR# are both low (write).
//
// Cycle by cycle (edge k is a rising edge of ft_clk; "for cycle k" = driven from edge k to k+1):
//   IDLE    OE#, RD#, WR# high, bus not driven (also the bus turnaround cycle). At edge k,
//           RXF# low and room in the receive FIFO: OE# low for cycle k (RD_OE). TXE# low
//           and an octet staged: WR# low and the octet driven for cycle k (WR). Both: the
//           direction not served last.
//   RD_OE   OE# low one whole cycle before RD# (datasheet: OE# at least one clock before
//           RD#): at edge k+1, RD# low for cycle k+1 if RXF# is still low and there is
//           room, else back to IDLE.
//   RD      RD# and OE# low: at each edge where RXF# is low the octet on the bus is taken
//           (ft_data_i and RXF# go through no logic before the capture flops); the chip
//           shows the next octet after that edge. RXF# high at an edge (chip empty), the
//           receive FIFO close to full, or BURST octets taken while a write waits: RD# and
//           OE# high for the next cycle, IDLE.
//   WR      WR# low and the staged octet on the bus: at each edge where TXE# is low the
//           chip takes it and the next staged octet is driven; TXE# high leaves the octet
//           in place. WR# stays low for the next cycle only if TXE# was low at this edge
//           (WR# low after TXE# low, t14) and another octet is staged; else WR# high and
//           the bus released, IDLE. BURST ends a write burst when a read waits.
// The bus is never driven by both: after a read OE# has been high for a cycle before the
// FPGA drives, and after a write the FPGA has released the bus a cycle before OE# goes low.
// The receive capture (RXF#, RD#) and the write acceptance (TXE#, WR#) use the pins at the
// edge itself, so no octet is lost or repeated when RXF#/TXE# change in a burst. The pins
// reach only the capture flag, the strobe and state flops and the two staging registers,
// never the FIFO pointers (ft_data_i goes straight into a flop); with the chip's 9 ns
// output delay these paths get about 7 ns at 60 MHz: the board top constrains ft_clk and
// checks them.
// OPT_SIWU: when the write path has been idle for SIWU_IDLE cycles after writing, SIWU# is
// pulsed low for 16 cycles (266 ns; the datasheet asks for 250 ns, section 4.12) with WR#
// held high, so a short response goes to the host at once instead of at the chip's latency
// timer. OPT_SIWU = 0 ties SIWU# high.
//
// Core side (clk, any frequency): m_rx octets from the host, s_tx octets to the host,
// valid/ready, through two async_fifo (Gray-coded pointers, 2-flop synchronisers),
// 2^FIFO_AW octets each. rst (synchronous to clk) also resets the ft_clk side through a
// 2-flop synchroniser; hold it for at least 4 ft_clk cycles. CLKOUT runs only in synchronous
// FIFO mode: while it is stopped the ft_clk side keeps its state (power-up: all zero, every
// strobe inactive; FTDI: the asynchronous FIFO mode, selected first, has no CLKOUT).
// Throughput: one octet per ft_clk cycle inside a burst (60 MB/s on the bus; FTDI gives
// 40 MB/s as the chip's figure). When RXF# is seen low again after a pause, the first octet
// moves two edges later (OE#, then RD#); after TXE#, one edge later.
module ft245_sync #(
    parameter FIFO_AW   = 9,       // each direction's FIFO: 2^FIFO_AW octets, >= 3
    parameter OPT_BRAM  = 1,       // FIFO arrays in block RAM (1) or flops (0)
    parameter BURST     = 64,      // octets after which a burst yields to a waiting direction
    parameter OPT_SIWU  = 1,       // pulse SIWU# after writes (send immediate)
    parameter SIWU_IDLE = 64       // ft_clk cycles without a write before the pulse
) (
    // core side
    input  wire         clk,
    input  wire         rst,
    output logic [7:0]  m_rx_tdata,    // host -> device octets, to tco_core s_rx
    output logic        m_rx_tvalid,
    input  wire         m_rx_tready,
    input  wire  [7:0]  s_tx_tdata,    // device -> host octets, from tco_core m_tx
    input  wire         s_tx_tvalid,
    output logic        s_tx_tready,

    // FTDI side
    input  wire         ft_clk,        // CLKOUT, 60 MHz
    input  wire  [7:0]  ft_data_i,
    output logic [7:0]  ft_data_o,
    output logic        ft_data_oe,    // 1: FPGA drives the bus
    input  wire         ft_rxf_n,      // low: the chip has octets from the host
    input  wire         ft_txe_n,      // low: the chip has room for octets to the host
    output logic        ft_rd_n,
    output logic        ft_wr_n,
    output logic        ft_oe_n,
    output logic        ft_siwu_n
);

    localparam DEPTH = 1 << FIFO_AW;
    localparam [FIFO_AW:0] ROOM_MAX = (FIFO_AW + 1)'(DEPTH - 4);   // see ft245_sync_ctrl
    localparam [7:0] BURST_M1 = 8'(BURST - 1);
    localparam SIWU_W = $clog2(SIWU_IDLE + 1);

    generate
        if (FIFO_AW < 3 || FIFO_AW > 16 || BURST < 1 || BURST > 256 || SIWU_IDLE < 1) begin : g_bad_param
            $error("ft245_sync: FIFO_AW must be 3..16, BURST 1..256, SIWU_IDLE at least 1");
        end
    endgenerate

    localparam [1:0] CTRL_IDLE  = 2'd0;
    localparam [1:0] CTRL_RD_OE = 2'd1;
    localparam [1:0] CTRL_RD    = 2'd2;
    localparam [1:0] CTRL_WR    = 2'd3;

    // ---------------------------------------------------------------------------------------
    // ft_clk domain reset: rst through two flops
    logic rs1_reg, rs2_reg, ft_rst;

    // ft245_sync_rst: reset synchroniser
    always_ff @(posedge ft_clk) begin : ft245_sync_rst
        rs1_reg <= rst;
        rs2_reg <= rs1_reg;
    end
    assign ft_rst = rs2_reg;

    // ---------------------------------------------------------------------------------------
    // The two clock-domain crossings
    logic [7:0]       rxf_tdata, txf_tdata;
    logic             rxf_tvalid, rxf_tready, txf_tvalid, txf_tready;
    logic [FIFO_AW:0] rxf_level;

    async_fifo #(
        .DW       (8),
        .AW       (FIFO_AW),
        .OPT_BRAM (OPT_BRAM)
    ) u_rx_fifo (
        .s_clk    (ft_clk),
        .s_rst    (ft_rst),
        .s_tdata  (rxf_tdata),
        .s_tvalid (rxf_tvalid),
        .s_tready (rxf_tready),
        .s_level  (rxf_level),
        .m_clk    (clk),
        .m_rst    (rst),
        .m_tdata  (m_rx_tdata),
        .m_tvalid (m_rx_tvalid),
        .m_tready (m_rx_tready)
    );

    logic [FIFO_AW:0] txf_level_unused;

    async_fifo #(
        .DW       (8),
        .AW       (FIFO_AW),
        .OPT_BRAM (OPT_BRAM)
    ) u_tx_fifo (
        .s_clk    (clk),
        .s_rst    (rst),
        .s_tdata  (s_tx_tdata),
        .s_tvalid (s_tx_tvalid),
        .s_tready (s_tx_tready),
        .s_level  (txf_level_unused),
        .m_clk    (ft_clk),
        .m_rst    (ft_rst),
        .m_tdata  (txf_tdata),
        .m_tvalid (txf_tvalid),
        .m_tready (txf_tready)
    );

    // ---------------------------------------------------------------------------------------
    // Registers (x_reg / x_new / x_we), ft_clk domain. Strobes are kept active high, so the
    // power-up value of a flop (zero) is the inactive level on the pin.
    logic [1:0]        ctrl_reg, ctrl_new;  logic ctrl_we;
    logic              oe_reg,   oe_new;    logic oe_we;     // OE# low
    logic              rd_reg,   rd_new;    logic rd_we;     // RD# low
    logic              wr_reg,   wr_new;    logic wr_we;     // WR# low
    logic              doe_reg,  doe_new;   logic doe_we;    // FPGA drives the bus
    logic              lastw_reg, lastw_new; logic lastw_we; // last burst was a write
    logic [7:0]        bcnt_reg, bcnt_new;  logic bcnt_we;   // octets in this burst
    logic              room_reg, room_new;                   // receive FIFO can take a burst
    logic              capv_reg, capv_new;                   // octet captured at the last edge
    logic [7:0]        capd_reg;
    logic [7:0]        d0_reg,   d0_new;    logic d0_we;     // octet on the bus / next to write
    logic              v0_reg,   v0_new;    logic v0_we;
    logic [7:0]        d1_reg,   d1_new;    logic d1_we;     // the one after it
    logic              v1_reg,   v1_new;    logic v1_we;
    logic              siwu_reg, siwu_new;  logic siwu_we;   // SIWU# low
    logic              sent_reg, sent_new;  logic sent_we;   // written since the last SIWU#
    logic [SIWU_W-1:0] sidle_reg, sidle_new; logic sidle_we; // cycles without a write
    logic [3:0]        spul_reg, spul_new;  logic spul_we;   // SIWU# pulse length

    // ft245_sync_regs: control state resets; data registers load on their enables
    always_ff @(posedge ft_clk) begin : ft245_sync_regs
        if (ft_rst) begin
            ctrl_reg  <= CTRL_IDLE;
            oe_reg    <= 1'b0;
            rd_reg    <= 1'b0;
            wr_reg    <= 1'b0;
            doe_reg   <= 1'b0;
            lastw_reg <= 1'b0;
            room_reg  <= 1'b0;
            capv_reg  <= 1'b0;
            v0_reg    <= 1'b0;
            v1_reg    <= 1'b0;
            siwu_reg  <= 1'b0;
            sent_reg  <= 1'b0;
            sidle_reg <= '0;
            spul_reg  <= 4'd0;
        end else begin
            if (ctrl_we)  ctrl_reg  <= ctrl_new;
            if (oe_we)    oe_reg    <= oe_new;
            if (rd_we)    rd_reg    <= rd_new;
            if (wr_we)    wr_reg    <= wr_new;
            if (doe_we)   doe_reg   <= doe_new;
            if (lastw_we) lastw_reg <= lastw_new;
            room_reg <= room_new;
            capv_reg <= capv_new;
            if (v0_we)    v0_reg    <= v0_new;
            if (v1_we)    v1_reg    <= v1_new;
            if (siwu_we)  siwu_reg  <= siwu_new;
            if (sent_we)  sent_reg  <= sent_new;
            if (sidle_we) sidle_reg <= sidle_new;
            if (spul_we)  spul_reg  <= spul_new;
        end
        capd_reg <= ft_data_i;
        if (bcnt_we) bcnt_reg <= bcnt_new;
        if (d0_we)   d0_reg   <= d0_new;
        if (d1_we)   d1_reg   <= d1_new;
    end

    // ---------------------------------------------------------------------------------------
    logic rd_xfer, wr_xfer, pop, next_v0, want_rd, want_wr, wr_block, rd_end, wr_end;

    // ft245_sync_stage: two staged octets in front of the bus. The transmit FIFO is read
    // (pop) only when a stage is free whatever the pins do, so the TXE# pin reaches only the
    // stage registers and WR#, not the FIFO pointers.
    always_comb begin : ft245_sync_stage
        wr_xfer = wr_reg && !ft_txe_n;           // the chip takes d0 at this edge
        pop     = txf_tvalid && !(v0_reg && v1_reg);
        txf_tready = pop;

        d0_new = txf_tdata;   d0_we = 1'b0;
        v0_new = 1'b1;        v0_we = 1'b0;
        d1_new = txf_tdata;   d1_we = 1'b0;
        v1_new = 1'b0;        v1_we = 1'b0;
        if (!v0_reg) begin
            if (pop) begin
                d0_we = 1'b1;
                v0_we = 1'b1;
            end
        end else if (!v1_reg) begin
            if (wr_xfer) begin
                d0_we = pop;
                v0_new = pop;  v0_we = 1'b1;
            end else if (pop) begin
                d1_we = 1'b1;
                v1_new = 1'b1;  v1_we = 1'b1;
            end
        end else if (wr_xfer) begin
            d0_new = d1_reg;  d0_we = 1'b1;
            v1_new = 1'b0;    v1_we = 1'b1;
        end
        next_v0 = (v0_reg && v1_reg) || (v0_reg && !wr_xfer) || pop;
    end

    // ft245_sync_ctrl: bus direction, strobes and bursts
    always_comb begin : ft245_sync_ctrl
        rd_xfer = rd_reg && !ft_rxf_n;           // the octet on the bus is taken at this edge
        capv_new = rd_xfer;
        rxf_tdata  = capd_reg;
        rxf_tvalid = capv_reg;
        // Room for a read burst: RD# low for the next cycle is decided from room_reg, which
        // reflects the FIFO two edges ago; up to four octets are then not yet counted (the
        // ones pushed at this and the next edge, captured at the next edge and taken at
        // the one after), and s_level never counts low.
        room_new = (rxf_level <= ROOM_MAX);
        wr_block = siwu_reg || (spul_reg != 4'd0);
        want_rd  = !ft_rxf_n && room_reg;
        want_wr  = !ft_txe_n && next_v0 && !wr_block;
        rd_end   = (bcnt_reg == BURST_M1) && !ft_txe_n && v0_reg;     // a write waits
        wr_end   = (bcnt_reg == BURST_M1) && !ft_rxf_n;               // a read waits

        ctrl_new  = ctrl_reg;     ctrl_we  = 1'b0;
        oe_new    = 1'b0;         oe_we    = 1'b0;
        rd_new    = 1'b0;         rd_we    = 1'b0;
        wr_new    = 1'b0;         wr_we    = 1'b0;
        doe_new   = 1'b0;         doe_we   = 1'b0;
        lastw_new = 1'b0;         lastw_we = 1'b0;
        bcnt_new  = (bcnt_reg == BURST_M1) ? bcnt_reg : bcnt_reg + 8'd1;
        bcnt_we   = 1'b0;

        case (ctrl_reg)
            CTRL_IDLE: begin
                bcnt_new = 8'd0;  bcnt_we = 1'b1;
                if (want_rd && (!want_wr || lastw_reg)) begin
                    oe_new = 1'b1;              oe_we = 1'b1;
                    ctrl_new = CTRL_RD_OE;      ctrl_we = 1'b1;
                end else if (want_wr) begin
                    wr_new = 1'b1;              wr_we = 1'b1;
                    doe_new = 1'b1;             doe_we = 1'b1;
                    lastw_new = 1'b1;           lastw_we = 1'b1;
                    ctrl_new = CTRL_WR;         ctrl_we = 1'b1;
                end
            end
            CTRL_RD_OE: begin
                if (want_rd) begin
                    rd_new = 1'b1;              rd_we = 1'b1;
                    lastw_new = 1'b0;           lastw_we = 1'b1;
                    ctrl_new = CTRL_RD;         ctrl_we = 1'b1;
                end else begin
                    oe_new = 1'b0;              oe_we = 1'b1;
                    ctrl_new = CTRL_IDLE;       ctrl_we = 1'b1;
                end
            end
            CTRL_RD: begin
                bcnt_we = rd_xfer;
                if (!want_rd || (rd_xfer && rd_end)) begin
                    rd_new = 1'b0;              rd_we = 1'b1;
                    oe_new = 1'b0;              oe_we = 1'b1;
                    ctrl_new = CTRL_IDLE;       ctrl_we = 1'b1;
                end
            end
            CTRL_WR: begin
                bcnt_we = wr_xfer;
                if (!want_wr || (wr_xfer && wr_end)) begin
                    wr_new = 1'b0;              wr_we = 1'b1;
                    doe_new = 1'b0;             doe_we = 1'b1;
                    ctrl_new = CTRL_IDLE;       ctrl_we = 1'b1;
                end
            end
            default: begin
                ctrl_new = CTRL_IDLE;           ctrl_we = 1'b1;
            end
        endcase

        ft_data_o  = d0_reg;
        ft_data_oe = doe_reg;
        ft_oe_n    = !oe_reg;
        ft_rd_n    = !rd_reg;
        ft_wr_n    = !wr_reg;
        ft_siwu_n  = !siwu_reg;
    end

    // ft245_sync_siwu: send immediate after a write burst, once the write path is idle
    always_comb begin : ft245_sync_siwu
        sent_new  = 1'b1;                  sent_we  = 1'b0;
        sidle_new = sidle_reg + 1'b1;      sidle_we = 1'b0;
        siwu_new  = 1'b0;                  siwu_we  = 1'b0;
        spul_new  = spul_reg - 4'd1;       spul_we  = 1'b0;
        if (OPT_SIWU != 0) begin
            if (siwu_reg) begin
                // the pulse: 16 cycles, then one more with writes held back
                spul_we = 1'b1;
                if (spul_reg == 4'd0) begin
                    siwu_new = 1'b0;       siwu_we = 1'b1;
                    sent_new = 1'b0;       sent_we = 1'b1;
                    spul_new = 4'd1;
                end
            end else if (spul_reg != 4'd0) begin
                spul_we = 1'b1;
            end else if (wr_reg || v0_reg || txf_tvalid) begin
                // writing or about to: restart the idle count
                sidle_new = '0;            sidle_we = 1'b1;
                sent_we   = wr_xfer;
            end else if (sent_reg) begin
                if (sidle_reg == SIWU_W'(SIWU_IDLE - 1)) begin
                    siwu_new  = 1'b1;      siwu_we  = 1'b1;
                    spul_new  = 4'd15;     spul_we  = 1'b1;
                    sidle_new = '0;        sidle_we = 1'b1;
                end else begin
                    sidle_we = 1'b1;
                end
            end
        end
    end

`ifdef FORMAL
    // The receive FIFO never refuses a captured octet (the room check above).
    always @(posedge ft_clk) begin
        if (!ft_rst && capv_reg) assert(rxf_tready);
        if (!ft_rst && rd_reg) assert(oe_reg && !doe_reg);
        if (!ft_rst && doe_reg) assert(!oe_reg);
    end
`endif

endmodule

`default_nettype wire
