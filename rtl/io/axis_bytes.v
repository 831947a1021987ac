// SPDX-License-Identifier: MIT
// AXI4-Stream (DATA_BYTES wide, tkeep/tlast) to the core's byte streams, both directions.
`default_nettype none

// For a streaming DMA engine (Xilinx XDMA AXI-ST, LitePCIe): s_axis carries host -> card
// beats, m_axis card -> host beats; one clock (the DMA's stream clock; put async_fifo in
// front if the core runs on another). Byte order is AXI's: byte 0 of a beat is
// tdata[7:0], the first byte in the stream.
//
// Down (s_axis -> m_rx): every byte whose tkeep bit is set goes on, in lane order; null
// bytes (tkeep low) are skipped wherever they sit, a beat with no tkeep bit set is taken and
// gives nothing. tlast is ignored: the byte stream has no packet boundaries (the frame
// protocol finds its frames itself, docs/protocol.md). One byte per cycle; a beat is taken
// in the cycle its last byte goes (s_axis_tready follows m_rx_tready combinationally), so a
// stream of one-byte beats also moves one byte per cycle.
//
// Up (s_tx -> m_axis): bytes are packed into lanes 0, 1, ... of a beat. A full beat is sent
// (tlast low) when the next byte arrives. When no byte arrives for IDLE_FLUSH cycles, the
// beat being packed, full or partial, is sent with tkeep covering its bytes (contiguous from
// lane 0) and tlast high: tlast marks every pause of the device's output, so a DMA engine
// that completes a transfer on tlast hands each response to the host within IDLE_FLUSH
// cycles of its last byte. No empty beats are sent; null lanes carry stale data. One byte
// per cycle in; m_axis is registered (held until taken); s_tx_tready drops only while a full
// beat waits for m_axis.
module axis_bytes #(
    parameter DATA_BYTES = 4,      // beat width in bytes: 4, 8, 16 (any power of two 2..64)
    parameter IDLE_FLUSH = 16      // idle cycles before a beat is sent with tlast
) (
    input  wire                        clk,
    input  wire                        rst,

    input  wire  [8*DATA_BYTES-1:0]    s_axis_tdata,   // host -> card beats
    input  wire  [DATA_BYTES-1:0]      s_axis_tkeep,
    input  wire                        s_axis_tlast,
    input  wire                        s_axis_tvalid,
    output logic                       s_axis_tready,

    output logic [7:0]                 m_rx_tdata,     // host -> device bytes, to tco_core s_rx
    output logic                       m_rx_tvalid,
    input  wire                        m_rx_tready,

    input  wire  [7:0]                 s_tx_tdata,     // device -> host bytes, from tco_core m_tx
    input  wire                        s_tx_tvalid,
    output logic                       s_tx_tready,

    output logic [8*DATA_BYTES-1:0]    m_axis_tdata,   // card -> host beats
    output logic [DATA_BYTES-1:0]      m_axis_tkeep,
    output logic                       m_axis_tlast,
    output logic                       m_axis_tvalid,
    input  wire                        m_axis_tready
);

    localparam DB = DATA_BYTES;
    localparam IW = (DB > 1) ? $clog2(DB) : 1;      // lane index
    localparam CW = $clog2(DB + 1);                 // bytes in a beat, 0 .. DB
    localparam FW = $clog2(IDLE_FLUSH + 1);
    localparam [CW-1:0] FULL = CW'(DB);

    generate
        if (DB < 2 || DB > 64 || (DB & (DB - 1)) != 0 || IDLE_FLUSH < 1) begin : g_bad_param
            $error("axis_bytes: DATA_BYTES must be a power of two 2..64, IDLE_FLUSH at least 1");
        end
    endgenerate

    // lowest set bit of k (the next byte to send down)
    function automatic [IW-1:0] lowest(input [DB-1:0] k);
        lowest = '0;
        for (int i = DB - 1; i >= 0; i = i - 1)
            if (k[i]) lowest = IW'(i);
    endfunction

    // ---------------------------------------------------------------------------------------
    // Registers (x_reg / x_new / x_we)
    logic [8*DB-1:0] dd_reg, dd_new;  logic dd_we;    // down: the beat being sent
    logic [DB-1:0]   dk_reg, dk_new;  logic dk_we;    // down: its bytes not yet sent
    logic [8*DB-1:0] pd_reg, pd_new;  logic pd_we;    // up: the beat being packed
    logic [CW-1:0]   pc_reg, pc_new;  logic pc_we;    // up: bytes in it
    logic [FW-1:0]   ic_reg, ic_new;  logic ic_we;    // up: idle cycles
    logic [8*DB-1:0] od_reg, od_new;  logic od_we;    // up: output beat
    logic [DB-1:0]   ok_reg, ok_new;  logic ok_we;
    logic            ol_reg, ol_new;  logic ol_we;
    logic            ov_reg, ov_new;  logic ov_we;

    // axis_bytes_regs: valid state resets; data registers load on their enables
    always_ff @(posedge clk) begin : axis_bytes_regs
        if (rst) begin
            dk_reg <= '0;
            pc_reg <= '0;
            ic_reg <= '0;
            ov_reg <= 1'b0;
        end else begin
            if (dk_we) dk_reg <= dk_new;
            if (pc_we) pc_reg <= pc_new;
            if (ic_we) ic_reg <= ic_new;
            if (ov_we) ov_reg <= ov_new;
        end
        if (dd_we) dd_reg <= dd_new;
        if (pd_we) pd_reg <= pd_new;
        if (od_we) od_reg <= od_new;
        if (ok_we) ok_reg <= ok_new;
        if (ol_we) ol_reg <= ol_new;
    end

    // ---------------------------------------------------------------------------------------
    // axis_bytes_down: the lowest remaining byte of the held beat goes out; a new beat is
    // taken when the held one is empty or its last byte goes now
    logic [IW-1:0] di;
    logic          take;
    logic [DB-1:0] dk_left;

    always_comb begin : axis_bytes_down
        di          = lowest(dk_reg);
        m_rx_tdata  = dd_reg[8*di +: 8];
        m_rx_tvalid = (dk_reg != '0);
        take        = m_rx_tvalid && m_rx_tready;
        dk_left     = take ? (dk_reg & (dk_reg - 1'b1)) : dk_reg;     // clear the lowest bit
        s_axis_tready = (dk_left == '0);
        dd_new = s_axis_tdata;    dd_we = 1'b0;
        dk_new = dk_left;         dk_we = take;
        if (s_axis_tvalid && s_axis_tready) begin
            dd_we  = 1'b1;
            dk_new = s_axis_tkeep;  dk_we = 1'b1;
        end
    end

    // ---------------------------------------------------------------------------------------
    // axis_bytes_up: pack bytes; a full beat leaves when the next byte comes, any beat when
    // the stream has paused for IDLE_FLUSH cycles (then with tlast)
    logic out_free, acc;

    always_comb begin : axis_bytes_up
        out_free    = !ov_reg || m_axis_tready;
        s_tx_tready = (pc_reg != FULL) || out_free;
        acc         = s_tx_tvalid && s_tx_tready;

        pd_new = pd_reg;          pd_we = 1'b0;
        pc_new = pc_reg + 1'b1;   pc_we = 1'b0;
        ic_new = ic_reg + 1'b1;   ic_we = 1'b0;
        od_new = pd_reg;          od_we = 1'b0;
        ok_new = '1;              ok_we = 1'b0;
        ol_new = 1'b0;            ol_we = 1'b0;
        ov_new = 1'b0;            ov_we = m_axis_tready;

        if (acc) begin
            ic_new = '0;  ic_we = 1'b1;
            pd_we  = 1'b1;
            pc_we  = 1'b1;
            if (pc_reg == FULL) begin
                // the full beat goes out, the byte starts the next one
                od_we = 1'b1;  ok_we = 1'b1;  ol_we = 1'b1;
                ov_new = 1'b1;  ov_we = 1'b1;
                pd_new[7:0] = s_tx_tdata;
                pc_new = CW'(1);
            end else begin
                for (int i = 0; i < DB; i = i + 1)
                    if (pc_reg == CW'(i)) pd_new[8*i +: 8] = s_tx_tdata;
            end
        end else if (pc_reg != '0) begin
            if (ic_reg != FW'(IDLE_FLUSH - 1)) begin
                ic_we = 1'b1;
            end else if (out_free) begin
                // pause: send what there is, with tlast
                od_we = 1'b1;
                for (int i = 0; i < DB; i = i + 1)
                    ok_new[i] = (CW'(i) < pc_reg);
                ok_we  = 1'b1;
                ol_new = 1'b1;  ol_we = 1'b1;
                ov_new = 1'b1;  ov_we = 1'b1;
                pc_new = '0;    pc_we = 1'b1;
                ic_new = '0;    ic_we = 1'b1;
            end
        end

        m_axis_tdata  = od_reg;
        m_axis_tkeep  = ok_reg;
        m_axis_tlast  = ol_reg;
        m_axis_tvalid = ov_reg;
    end

`ifdef FORMAL
    // Stream contract on the outputs: a beat or byte offered and not taken stays, unchanged.
    logic f_past_valid = 1'b0;
    always @(posedge clk) f_past_valid <= 1'b1;
    always @(posedge clk) begin
        if (f_past_valid && !$past(rst) && !rst && $past(m_axis_tvalid && !m_axis_tready)) begin
            assert(m_axis_tvalid);
            assert(m_axis_tdata == $past(m_axis_tdata));
            assert(m_axis_tkeep == $past(m_axis_tkeep));
            assert(m_axis_tlast == $past(m_axis_tlast));
        end
        if (f_past_valid && !$past(rst) && !rst && $past(m_rx_tvalid && !m_rx_tready)) begin
            assert(m_rx_tvalid);
            assert(m_rx_tdata == $past(m_rx_tdata));
        end
    end
`endif

endmodule

`default_nettype wire
