// SPDX-License-Identifier: MIT
// Response frame encoder: SYNC 0x5A, STATUS, RID, LEN, CRC-16 header, payload, CRC-32.
`default_nettype none

// One response = one s_hdr transfer (status, RID, payload length) followed by exactly
// s_hdr_len payload octets on s_pay (none when the length is 0). Octets leave on m_tx
// (valid/ready, registered: held until taken) at up to one per cycle; the CRC-16 of the
// header and the CRC-32 of the frame are computed on the way out. The next header is taken
// once the previous frame's last octet is in the output register.
module core_frame_tx (
    input  wire             clk,
    input  wire             rst,

    input  wire             s_hdr_valid,
    output logic            s_hdr_ready,
    input  wire  [7:0]      s_hdr_status,
    input  wire  [15:0]     s_hdr_rid,
    input  wire  [10:0]     s_hdr_len,

    input  wire  [7:0]      s_pay_tdata,
    input  wire             s_pay_tvalid,
    output logic            s_pay_tready,

    output logic [7:0]      m_tx_tdata,
    output logic            m_tx_tvalid,
    input  wire             m_tx_tready
);

`include "tco_protocol.vh"

    localparam [1:0] CTRL_IDLE = 2'd0;    // waiting for a header
    localparam [1:0] CTRL_HDR  = 2'd1;    // eight header octets
    localparam [1:0] CTRL_PAY  = 2'd2;    // payload octets
    localparam [1:0] CTRL_TRL  = 2'd3;    // four CRC-32 octets

    // ---------------------------------------------------------------------------------------
    // Registers (flop, next value, write enable)
    logic [1:0]  ctrl_reg, ctrl_new;  logic ctrl_we;
    logic [7:0]  st_reg,   st_new;    logic st_we;
    logic [15:0] rid_reg,  rid_new;   logic rid_we;
    logic [10:0] len_reg,  len_new;   logic len_we;
    logic [10:0] idx_reg,  idx_new;   logic idx_we;
    logic [15:0] hcrc_reg, hcrc_new;  logic hcrc_we;
    logic [31:0] crc_reg,  crc_new;   logic crc_we;
    logic [7:0]  ob_reg,   ob_new;    logic ob_we;      // output octet
    logic        ov_reg,   ov_new;    logic ov_we;      // output octet valid

    // core_frame_tx_regs: control state resets; data registers load on their enable only
    always_ff @(posedge clk) begin : core_frame_tx_regs
        if (rst) begin
            ctrl_reg <= CTRL_IDLE;
            ov_reg   <= 1'b0;
        end else begin
            if (ctrl_we) ctrl_reg <= ctrl_new;
            if (ov_we)   ov_reg   <= ov_new;
        end
        if (st_we)   st_reg   <= st_new;
        if (rid_we)  rid_reg  <= rid_new;
        if (len_we)  len_reg  <= len_new;
        if (idx_we)  idx_reg  <= idx_new;
        if (hcrc_we) hcrc_reg <= hcrc_new;
        if (crc_we)  crc_reg  <= crc_new;
        if (ob_we)   ob_reg   <= ob_new;
    end

    // ---------------------------------------------------------------------------------------
    // CRC steps over the octet entering the output register
    logic [7:0]  octet;
    logic [15:0] hcrc_step;
    logic [31:0] crc_step, crc_fin;

    core_crc16 u_crc16 (
        .crc_in  (hcrc_reg),
        .data    (octet),
        .crc_out (hcrc_step)
    );

    core_crc32 u_crc32 (
        .crc_in  (crc_reg),
        .data    (octet),
        .crc_out (crc_step)
    );

    // core_frame_tx_octet: the octet the current phase emits
    always_comb begin : core_frame_tx_octet
        crc_fin = ~crc_reg;
        octet = s_pay_tdata;
        case (ctrl_reg)
            CTRL_HDR: begin
                case (idx_reg[2:0])
                    3'd0:    octet = P_SYNC_RSP[7:0];
                    3'd1:    octet = st_reg;
                    3'd2:    octet = rid_reg[15:8];
                    3'd3:    octet = rid_reg[7:0];
                    3'd4:    octet = {5'b00000, len_reg[10:8]};
                    3'd5:    octet = len_reg[7:0];
                    3'd6:    octet = hcrc_reg[15:8];
                    default: octet = hcrc_reg[7:0];
                endcase
            end
            CTRL_TRL: begin
                case (idx_reg[1:0])
                    2'd0:    octet = crc_fin[31:24];
                    2'd1:    octet = crc_fin[23:16];
                    2'd2:    octet = crc_fin[15:8];
                    default: octet = crc_fin[7:0];
                endcase
            end
            default: begin
            end
        endcase
    end

    // core_frame_tx_hs: handshake outputs, from registers and m_tx_tready only
    logic out_free, load;

    always_comb begin : core_frame_tx_hs
        out_free     = !ov_reg || m_tx_tready;
        m_tx_tdata   = ob_reg;
        m_tx_tvalid  = ov_reg;
        s_hdr_ready  = (ctrl_reg == CTRL_IDLE);
        s_pay_tready = (ctrl_reg == CTRL_PAY) && out_free;
    end

    // core_frame_tx_ctrl: header capture, octet sequencing, output register
    always_comb begin : core_frame_tx_ctrl
        load = 1'b0;

        ctrl_new = ctrl_reg;          ctrl_we = 1'b0;
        st_new   = s_hdr_status;      st_we   = 1'b0;
        rid_new  = s_hdr_rid;         rid_we  = 1'b0;
        len_new  = s_hdr_len;         len_we  = 1'b0;
        idx_new  = idx_reg + 11'd1;   idx_we  = 1'b0;
        hcrc_new = hcrc_step;         hcrc_we = 1'b0;
        crc_new  = crc_step;          crc_we  = 1'b0;
        ob_new   = octet;             ob_we   = 1'b0;
        ov_new   = 1'b0;              ov_we   = 1'b0;

        case (ctrl_reg)
            CTRL_IDLE: begin
                if (s_hdr_valid) begin
                    st_we = 1'b1;  rid_we = 1'b1;  len_we = 1'b1;
                    idx_new = 11'd0;           idx_we  = 1'b1;
                    hcrc_new = 16'hFFFF;       hcrc_we = 1'b1;
                    crc_new = 32'hFFFFFFFF;    crc_we  = 1'b1;
                    ctrl_new = CTRL_HDR;       ctrl_we = 1'b1;
                end
            end
            CTRL_HDR: begin
                if (out_free) begin
                    load = 1'b1;
                    crc_we = 1'b1;
                    hcrc_we = (idx_reg < 11'd6);
                    idx_we = 1'b1;
                    if (idx_reg == 11'd7) begin
                        idx_new = 11'd0;
                        ctrl_new = (len_reg == 11'd0) ? CTRL_TRL : CTRL_PAY;  ctrl_we = 1'b1;
                    end
                end
            end
            CTRL_PAY: begin
                if (s_pay_tvalid && out_free) begin
                    load = 1'b1;
                    crc_we = 1'b1;
                    idx_we = 1'b1;
                    if (idx_reg == len_reg - 11'd1) begin
                        idx_new = 11'd0;
                        ctrl_new = CTRL_TRL;  ctrl_we = 1'b1;
                    end
                end
            end
            CTRL_TRL: begin
                if (out_free) begin
                    load = 1'b1;
                    idx_we = 1'b1;
                    if (idx_reg == 11'd3) begin
                        ctrl_new = CTRL_IDLE;  ctrl_we = 1'b1;
                    end
                end
            end
            default: begin
                ctrl_new = CTRL_IDLE;  ctrl_we = 1'b1;
            end
        endcase

        if (load) begin
            ob_we = 1'b1;
            ov_new = 1'b1;  ov_we = 1'b1;
        end else if (out_free) begin
            ov_new = 1'b0;  ov_we = 1'b1;
        end
    end

endmodule

`default_nettype wire
