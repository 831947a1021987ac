// SPDX-License-Identifier: MIT
// Request frame decoder: header hunting, payload into the frame buffer, CRC-32 check, timeout.
`default_nettype none

// Octets arrive on s_rx (valid/ready). The decoder hunts exactly like driver/frame.c: a window
// of the last eight octets is a header when it starts with SYNC 0xA5 and its CRC-16/CCITT-FALSE
// over octets 0..5 equals octets 6..7 (big-endian); otherwise the window slides by one octet.
// A found header ends in one event on m_evt (valid/ready, held until taken), carrying the
// header's OP, RID and LEN, the frame buffer its payload went to (m_evt_buf) and a status
// (the response status for that frame):
//   P_ST_OVERSIZE   LEN > P_MAX_PAYLOAD: raised at once, no payload octet is consumed;
//   P_ST_OK         payload written to the buffer (octet i at address i) and CRC-32 correct;
//   P_ST_BAD_CRC    CRC-32 wrong;
//   P_ST_TRUNCATED  no octet arrived for TIMEOUT cycles after the header.
// The consumer takes an event (m_evt_ready) only when it is done with that event's buffer.
// NBUF frame buffers (1 or 2): a frame is written into buffer m_buf_sel, which alternates
// frame by frame. With NBUF = 1 the decoder takes no octet while an event is pending (store
// and forward). With NBUF = 2 it receives the next frame into the other buffer while the
// consumer works on the pending one; a second completed event waits behind the first (a
// queue of two), and only then does s_rx_tready go low: a buffer is never written while an
// event that names it is pending.
// After every frame, and after TIMEOUT idle cycles with a partial header window, hunting
// starts afresh with an empty window (as frame.c after a frame or tco_frame_dec_reset).
// Costs: one cycle to take a header plus eight to run it through the CRC-32.
module core_frame_rx #(
    parameter TIMEOUT = 4096,     // idle cycles inside a frame before TRUNCATED
    parameter NBUF    = 1         // frame buffers: 1 store and forward, 2 overlapped
) (
    input  wire             clk,
    input  wire             rst,

    input  wire  [7:0]      s_rx_tdata,
    input  wire             s_rx_tvalid,
    output logic            s_rx_tready,

    output logic            m_buf_we,
    output logic            m_buf_sel,      // the buffer being written (0 when NBUF = 1)
    output logic [10:0]     m_buf_waddr,
    output logic [7:0]      m_buf_wdata,

    output logic            m_evt_valid,
    input  wire             m_evt_ready,
    output logic [7:0]      m_evt_status,
    output logic [7:0]      m_evt_op,
    output logic [15:0]     m_evt_rid,
    output logic [10:0]     m_evt_len,
    output logic            m_evt_buf       // the buffer holding the event's payload
);

`include "tco_protocol.vh"

    localparam TW = $clog2(TIMEOUT + 1);

    generate
        if (TIMEOUT < 2) begin : g_bad_param
            $error("core_frame_rx: TIMEOUT must be at least 2");
        end
        if (NBUF != 1 && NBUF != 2) begin : g_bad_nbuf
            $error("core_frame_rx: NBUF must be 1 or 2");
        end
    endgenerate

    localparam [2:0] CTRL_HUNT = 3'd0;    // sliding the header window
    localparam [2:0] CTRL_HCRC = 3'd1;    // header octets through the CRC-32
    localparam [2:0] CTRL_PAY  = 3'd2;    // payload octets into the buffer
    localparam [2:0] CTRL_TRL  = 3'd3;    // the four CRC-32 octets
    localparam [2:0] CTRL_EVT  = 3'd4;    // frame done: its event into the queue

    // ---------------------------------------------------------------------------------------
    // Registers (flop, next value, write enable)
    logic [2:0]    ctrl_reg, ctrl_new;  logic ctrl_we;
    logic [63:0]   win_reg,  win_new;   logic win_we;    // header window, oldest octet in [63:56]
    logic [3:0]    wcnt_reg, wcnt_new;  logic wcnt_we;   // octets in the window (0..8)
    logic [31:0]   crc_reg,  crc_new;   logic crc_we;    // running CRC-32 (inverted convention)
    logic [23:0]   rcrc_reg, rcrc_new;  logic rcrc_we;   // received CRC octets so far
    logic [10:0]   idx_reg,  idx_new;   logic idx_we;    // octet index in the current phase
    logic [10:0]   len_reg,  len_new;   logic len_we;
    logic [7:0]    op_reg,   op_new;    logic op_we;
    logic [15:0]   rid_reg,  rid_new;   logic rid_we;
    logic [7:0]    st_reg,   st_new;    logic st_we;
    logic [TW-1:0] tmr_reg,  tmr_new;   logic tmr_we;    // idle cycles
    logic          wb_reg,   wb_new;    logic wb_we;     // buffer of the frame being received
    // event queue: q0 offered on m_evt, q1 waiting behind it (NBUF = 2)
    logic          q0v_reg,  q0v_new;   logic q0v_we;
    logic          q1v_reg,  q1v_new;   logic q1v_we;
    logic [43:0]   q0_reg,   q0_new;    logic q0_we;     // {buf, status, op, rid, len}
    logic [43:0]   q1_reg;                               // loaded with the frame's fields
    logic          q1_we;

    // core_frame_rx_regs: control state resets; data registers load on their enable only
    always_ff @(posedge clk) begin : core_frame_rx_regs
        if (rst) begin
            ctrl_reg <= CTRL_HUNT;
            wcnt_reg <= 4'd0;
            tmr_reg  <= '0;
            wb_reg   <= 1'b0;
            q0v_reg  <= 1'b0;
            q1v_reg  <= 1'b0;
        end else begin
            if (ctrl_we) ctrl_reg <= ctrl_new;
            if (wcnt_we) wcnt_reg <= wcnt_new;
            if (tmr_we)  tmr_reg  <= tmr_new;
            if (wb_we)   wb_reg   <= wb_new;
            if (q0v_we)  q0v_reg  <= q0v_new;
            if (q1v_we)  q1v_reg  <= q1v_new;
        end
        if (q0_we)   q0_reg   <= q0_new;
        if (q1_we)   q1_reg   <= {wb_reg, st_reg, op_reg, rid_reg, len_reg};
        if (win_we)  win_reg  <= win_new;
        if (crc_we)  crc_reg  <= crc_new;
        if (rcrc_we) rcrc_reg <= rcrc_new;
        if (idx_we)  idx_reg  <= idx_new;
        if (len_we)  len_reg  <= len_new;
        if (op_we)   op_reg   <= op_new;
        if (rid_we)  rid_reg  <= rid_new;
        if (st_we)   st_reg   <= st_new;
    end

    // ---------------------------------------------------------------------------------------
    // Header check: CRC-16 over window octets 0..5, compared with octets 6..7
    logic [15:0] hc [0:6];
    assign hc[0] = 16'hFFFF;
    genvar gi;
    generate
        for (gi = 0; gi < 6; gi = gi + 1) begin : g_hcrc
            core_crc16 u_crc16 (
                .crc_in  (hc[gi]),
                .data    (win_reg[63 - 8 * gi -: 8]),
                .crc_out (hc[gi + 1])
            );
        end
    endgenerate

    // CRC-32 step: the window's oldest octet (header) or the received octet (payload)
    logic [31:0] crc_step;
    core_crc32 u_crc32 (
        .crc_in  (crc_reg),
        .data    ((ctrl_reg == CTRL_HCRC) ? win_reg[63:56] : s_rx_tdata),
        .crc_out (crc_step)
    );

    // ---------------------------------------------------------------------------------------
    // core_frame_rx_ctrl: hunting, header capture, payload, trailer, idle timeout, event
    logic hdr_ok, fire, idle_out, blocked, push, pop;
    logic [15:0] hlen;

    always_comb begin : core_frame_rx_ctrl
        hlen     = win_reg[31:16];
        hdr_ok   = (wcnt_reg == 4'd8) && (win_reg[63:56] == P_SYNC_REQ[7:0]) &&
                   (hc[6] == win_reg[15:0]);
        idle_out = (tmr_reg == TW'(TIMEOUT - 1));
        // no free buffer for a new frame: NBUF = 1 while an event is pending, NBUF = 2 while
        // two are
        blocked  = (NBUF == 1) ? q0v_reg : q1v_reg;

        s_rx_tready = 1'b0;
        m_buf_we    = 1'b0;
        m_buf_sel   = wb_reg;
        m_buf_waddr = idx_reg;
        m_buf_wdata = s_rx_tdata;
        m_evt_valid  = q0v_reg;
        // NBUF = 1: the frame registers stay put while the event is pending (the decoder is
        // blocked), so they are the event; the queue's data registers are left out
        if (NBUF == 1)
            {m_evt_buf, m_evt_status, m_evt_op, m_evt_rid, m_evt_len} =
                {wb_reg, st_reg, op_reg, rid_reg, len_reg};
        else
            {m_evt_buf, m_evt_status, m_evt_op, m_evt_rid, m_evt_len} = q0_reg;

        ctrl_new = ctrl_reg;                 ctrl_we = 1'b0;
        win_new  = {win_reg[55:0], s_rx_tdata};  win_we = 1'b0;
        wcnt_new = (wcnt_reg == 4'd8) ? 4'd8 : wcnt_reg + 4'd1;  wcnt_we = 1'b0;
        crc_new  = crc_step;                 crc_we  = 1'b0;
        rcrc_new = {rcrc_reg[15:0], s_rx_tdata};  rcrc_we = 1'b0;
        idx_new  = idx_reg + 11'd1;          idx_we  = 1'b0;
        len_new  = hlen[10:0];               len_we  = 1'b0;
        op_new   = win_reg[55:48];           op_we   = 1'b0;
        rid_new  = win_reg[47:32];           rid_we  = 1'b0;
        st_new   = P_ST_OK;                  st_we   = 1'b0;
        tmr_new  = tmr_reg + TW'(1);         tmr_we  = 1'b0;
        wb_new   = (NBUF == 2) ? !wb_reg : 1'b0;  wb_we = 1'b0;
        fire     = 1'b0;

        // the event queue: push at CTRL_EVT (never while q1 is full: the decoder is blocked
        // then), pop when the consumer takes q0
        push   = (ctrl_reg == CTRL_EVT);
        pop    = q0v_reg && m_evt_ready;
        q0_new = q1v_reg ? q1_reg : {wb_reg, st_reg, op_reg, rid_reg, len_reg};
        q0_we  = 1'b0;  q0v_new = 1'b1;  q0v_we = 1'b0;
        q1_we  = 1'b0;  q1v_new = 1'b0;  q1v_we = 1'b0;
        if (pop) begin
            q0_we = q1v_reg || push;
            q0v_new = q1v_reg || push;  q0v_we = 1'b1;
            q1v_new = 1'b0;             q1v_we = 1'b1;
        end else if (push) begin
            if (!q0v_reg) begin
                q0_we = 1'b1;  q0v_we = 1'b1;
            end else begin
                q1_we = (NBUF == 2);  q1v_new = (NBUF == 2);  q1v_we = 1'b1;
            end
        end

        case (ctrl_reg)
            CTRL_HUNT: if (!blocked) begin
                s_rx_tready = !hdr_ok;
                fire = s_rx_tvalid && s_rx_tready;
                if (hdr_ok) begin
                    op_we = 1'b1;  rid_we = 1'b1;  len_we = 1'b1;
                    tmr_new = '0;  tmr_we = 1'b1;
                    if (hlen > P_MAX_PAYLOAD) begin
                        st_new = P_ST_OVERSIZE;  st_we = 1'b1;
                        ctrl_new = CTRL_EVT;     ctrl_we = 1'b1;
                    end else begin
                        crc_new = 32'hFFFFFFFF;  crc_we = 1'b1;
                        idx_new = 11'd0;         idx_we = 1'b1;
                        ctrl_new = CTRL_HCRC;    ctrl_we = 1'b1;
                    end
                end else if (fire) begin
                    win_we = 1'b1;  wcnt_we = 1'b1;
                    tmr_new = '0;   tmr_we = 1'b1;
                end else if (wcnt_reg != 4'd0) begin
                    // a partial header followed by silence is dropped
                    tmr_we = 1'b1;
                    if (idle_out) begin
                        wcnt_new = 4'd0;  wcnt_we = 1'b1;
                        tmr_new = '0;
                    end
                end
            end
            CTRL_HCRC: begin
                crc_we = 1'b1;
                win_new = {win_reg[55:0], 8'h00};  win_we = 1'b1;
                idx_we = 1'b1;
                if (idx_reg == 11'd7) begin
                    idx_new = 11'd0;
                    ctrl_new = (len_reg == 11'd0) ? CTRL_TRL : CTRL_PAY;  ctrl_we = 1'b1;
                end
            end
            CTRL_PAY, CTRL_TRL: begin
                s_rx_tready = 1'b1;
                fire = s_rx_tvalid;
                tmr_we = 1'b1;
                if (fire) begin
                    tmr_new = '0;
                    idx_we = 1'b1;
                    if (ctrl_reg == CTRL_PAY) begin
                        m_buf_we = 1'b1;
                        crc_we = 1'b1;
                        if (idx_reg == len_reg - 11'd1) begin
                            idx_new = 11'd0;
                            ctrl_new = CTRL_TRL;  ctrl_we = 1'b1;
                        end
                    end else begin
                        rcrc_we = 1'b1;
                        if (idx_reg == 11'd3) begin
                            st_new = ({rcrc_reg, s_rx_tdata} == ~crc_reg) ? P_ST_OK : P_ST_BAD_CRC;
                            st_we = 1'b1;
                            ctrl_new = CTRL_EVT;  ctrl_we = 1'b1;
                        end
                    end
                end else if (idle_out) begin
                    st_new = P_ST_TRUNCATED;  st_we = 1'b1;
                    ctrl_new = CTRL_EVT;      ctrl_we = 1'b1;
                end
            end
            CTRL_EVT: begin
                wb_we = 1'b1;
                wcnt_new = 4'd0;  wcnt_we = 1'b1;
                tmr_new = '0;     tmr_we = 1'b1;
                ctrl_new = CTRL_HUNT;  ctrl_we = 1'b1;
            end
            default: begin
                ctrl_new = CTRL_HUNT;  ctrl_we = 1'b1;
                wcnt_new = 4'd0;       wcnt_we = 1'b1;
            end
        endcase
    end

endmodule

`default_nettype wire
