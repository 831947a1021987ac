// SPDX-License-Identifier: MIT
// Response builder for hash results: takes a result from the hash engine and sends it to the
// frame encoder while the command processor goes on with the next request.
`default_nettype none

// core_cmd hands over a command whose last hash input has been given (KDF, HMAC: the whole
// response; SRTP protect: the tag that ends a response whose header and packet it has sent
// itself) with one descriptor on s_* (valid/ready; taken only when idle):
//   s_hdr = 1: send a response header first (status OK, s_rid, LEN = s_len), then the s_len
//              result octets; s_hdr = 0: the frame is open, send only the s_len octets.
//   s_len: 1..32 octets, the first s_len octets of the result (H0 first).
// The builder then waits for the result (h_out valid/ready), copies it into res_reg, takes it
// (the hash engine is free from that cycle on) and pulses m_hclr in the next cycle: the hash
// engine's wipe (kdf_core clr, one cycle in idle; tco_core keeps new commands away from the
// engine in that cycle). The octets leave from the top of res_reg, which shifts in zeros, so
// nothing of the result stays behind once it has been sent.
// busy is high from the descriptor until the last octet has gone to the encoder; tco_core
// gives the encoder to the builder while busy, so responses leave in request order.
// m_hwait: a descriptor is waiting for its result (the hash engine works for the builder).
module core_rsp (
    input  wire             clk,
    input  wire             rst,

    input  wire             s_valid,
    output logic            s_ready,
    input  wire             s_hdr,
    input  wire  [15:0]     s_rid,
    input  wire  [5:0]      s_len,          // 1..32

    input  wire             h_out_valid,
    output logic            h_out_ready,
    input  wire  [255:0]    h_out_state,

    output logic            m_hdr_valid,
    input  wire             m_hdr_ready,
    output logic [7:0]      m_hdr_status,
    output logic [15:0]     m_hdr_rid,
    output logic [10:0]     m_hdr_len,
    output logic [7:0]      m_pay_tdata,
    output logic            m_pay_tvalid,
    input  wire             m_pay_tready,

    output logic            busy,
    output logic            m_hwait,
    output logic            m_hclr
);

`include "tco_protocol.vh"

    localparam [1:0] CTRL_IDLE = 2'd0;
    localparam [1:0] CTRL_WAIT = 2'd1;    // waiting for the hash result
    localparam [1:0] CTRL_HDR  = 2'd2;    // response header to the encoder
    localparam [1:0] CTRL_PAY  = 2'd3;    // result octets

    logic [1:0]   ctrl_reg, ctrl_new;  logic ctrl_we;
    logic         hdr_reg,  hdr_new;   logic hdr_we;
    logic [15:0]  rid_reg;             logic rid_we;
    logic [5:0]   len_reg;             logic len_we;
    logic [5:0]   left_reg, left_new;  logic left_we;   // octets still to send
    logic [255:0] res_reg,  res_new;   logic res_we;
    logic         clr_reg,  clr_new;

    // core_rsp_regs: control state resets; data registers load on their enable only
    always_ff @(posedge clk) begin : core_rsp_regs
        if (rst) begin
            ctrl_reg <= CTRL_IDLE;
            clr_reg  <= 1'b0;
        end else begin
            if (ctrl_we) ctrl_reg <= ctrl_new;
            clr_reg <= clr_new;
        end
        if (hdr_we)  hdr_reg  <= hdr_new;
        if (rid_we)  rid_reg  <= s_rid;
        if (len_we)  len_reg  <= s_len;
        if (left_we) left_reg <= left_new;
        if (res_we)  res_reg  <= res_new;
    end

    // core_rsp_ctrl: descriptor, result, header, octets
    always_comb begin : core_rsp_ctrl
        s_ready      = (ctrl_reg == CTRL_IDLE);
        h_out_ready  = (ctrl_reg == CTRL_WAIT);
        m_hdr_valid  = (ctrl_reg == CTRL_HDR);
        m_hdr_status = P_ST_OK;
        m_hdr_rid    = rid_reg;
        m_hdr_len    = {5'd0, len_reg};
        m_pay_tdata  = res_reg[255:248];
        m_pay_tvalid = (ctrl_reg == CTRL_PAY);
        busy         = (ctrl_reg != CTRL_IDLE);
        m_hwait      = (ctrl_reg == CTRL_WAIT);
        m_hclr       = clr_reg;

        ctrl_new = ctrl_reg;                   ctrl_we = 1'b0;
        hdr_new  = s_hdr;                      hdr_we  = 1'b0;
        rid_we   = 1'b0;
        len_we   = 1'b0;
        left_new = left_reg - 6'd1;            left_we = 1'b0;
        res_new  = {res_reg[247:0], 8'h00};    res_we  = 1'b0;
        clr_new  = 1'b0;

        case (ctrl_reg)
            CTRL_IDLE: begin
                if (s_valid) begin
                    hdr_we = 1'b1;  rid_we = 1'b1;  len_we = 1'b1;
                    left_new = s_len;  left_we = 1'b1;
                    ctrl_new = CTRL_WAIT;  ctrl_we = 1'b1;
                end
            end
            CTRL_WAIT: begin
                res_new = h_out_state;
                if (h_out_valid) begin
                    res_we = 1'b1;
                    clr_new = 1'b1;                // SEC: the engine's wipe, next cycle
                    ctrl_new = hdr_reg ? CTRL_HDR : CTRL_PAY;  ctrl_we = 1'b1;
                end
            end
            CTRL_HDR: begin
                if (m_hdr_ready) begin
                    ctrl_new = CTRL_PAY;  ctrl_we = 1'b1;
                end
            end
            default: begin                         // CTRL_PAY
                if (m_pay_tready) begin
                    res_we = 1'b1;                 // SEC: zeros shift in behind the octets
                    left_we = 1'b1;
                    if (left_reg == 6'd1) begin
                        res_new = '0;              // SEC: and the octets not sent
                        ctrl_new = CTRL_IDLE;  ctrl_we = 1'b1;
                    end
                end
            end
        endcase
    end

endmodule

`default_nettype wire
