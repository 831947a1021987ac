// SPDX-License-Identifier: MIT
// SHA-1 hash engine: the shared sha256_core datapath built for SHA-1 only (82 cycles/block).
`default_nettype none

// Same protocol as sha256_core (see there) with 160-bit states: s_cmd_state / m_out_state
// hold H0..H4, H0 in [159:128]. Use this when SHA-256 is not needed next to it; an engine
// set that needs both should use one sha256_core with OPT_SHA1 = 1 instead of two cores.
// clr: wipe of the data registers, one cycle, idle only (see sha256_core).
module sha1_core #(
    parameter LEN_W       = 32,   // byte counter width: messages (with offset) < 2^LEN_W bytes
    parameter OPT_MSG_BUF = 0     // 1: 16-word prefetch buffer (see sha256_core: 81 cycles per
                                  //    block after the first, also from a slow word stream)
) (
    input  wire                 clk,
    input  wire                 rst,
    input  wire                 clr,            // wipe the data registers (idle only)

    input  wire                 s_cmd_valid,
    output logic                s_cmd_ready,
    input  wire                 s_cmd_iv,       // 1: start from the standard IV
    input  wire  [159:0]        s_cmd_state,    // else from this state
    input  wire  [LEN_W-1:0]    s_cmd_offset,   // bytes already in s_cmd_state (multiple of 64)
    input  wire                 s_cmd_pad,      // 1: pad after tlast; 0: whole blocks, raw state

    input  wire  [31:0]         s_msg_tdata,
    input  wire  [2:0]          s_msg_tbytes,   // bytes in the tlast word (0..4)
    input  wire                 s_msg_tlast,
    input  wire                 s_msg_tvalid,
    output logic                s_msg_tready,

    output logic                m_out_valid,
    input  wire                 m_out_ready,
    output logic [159:0]        m_out_state
);

    logic [95:0] unused_state_lo;   // always zero for SHA-1

    sha256_core #(
        .OPT_SHA256  (0),
        .OPT_SHA1    (1),
        .OPT_MSG_BUF (OPT_MSG_BUF),
        .LEN_W       (LEN_W)
    ) u_core (
        .clk          (clk),
        .rst          (rst),
        .clr          (clr),
        .s_cmd_valid  (s_cmd_valid),
        .s_cmd_ready  (s_cmd_ready),
        .s_cmd_sha1   (1'b1),
        .s_cmd_iv     (s_cmd_iv),
        .s_cmd_state  ({s_cmd_state, 96'h0}),
        .s_cmd_offset (s_cmd_offset),
        .s_cmd_pad    (s_cmd_pad),
        .s_msg_tdata  (s_msg_tdata),
        .s_msg_tbytes (s_msg_tbytes),
        .s_msg_tlast  (s_msg_tlast),
        .s_msg_tvalid (s_msg_tvalid),
        .s_msg_tready (s_msg_tready),
        .m_out_valid  (m_out_valid),
        .m_out_ready  (m_out_ready),
        .m_out_state  ({m_out_state, unused_state_lo})
    );

endmodule

`default_nettype wire
