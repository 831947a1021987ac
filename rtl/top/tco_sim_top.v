// SPDX-License-Identifier: MIT
// Simulation top: tco_core on the raw byte streams of the C harness (sim/tco_sim.cpp).
`default_nettype none

// The ports are the harness's contract: s_rx host -> device octets, m_tx device -> host
// octets; an octet moves when valid and ready are both high at the rising edge of clk.
// rst is synchronous and active high. TIMEOUT: idle cycles inside a frame before TRUNCATED.
module tco_sim_top #(
    parameter TIMEOUT = 4096,
    parameter SRTP    = 1,         // SRTP_KDF and SRTP commands; 0 for a build without them
    parameter WRAP    = 1,         // KEY_WRAP and KEY_UNWRAP; 0 for a build without them
    parameter AES     = 1,         // AES engine; 0 (with SRTP = WRAP = 0) for a build without it
    parameter SHA1    = 1,         // HMAC-SHA-1; 0 (with SRTP = 0) for a SHA-256-only build
    parameter AES_PIPE = 0,        // 1 (with WRAP = 0): the pipelined AES engine
    parameter HASH    = 1,         // hash engine; 0 (with SRTP = 0) for an AES-only build
    parameter NBUF    = 2,         // frame buffers: 2 overlapped, 1 store and forward
    parameter RSP     = 1,         // response builder for hash results (0 with HASH = 0)
    parameter MSG_BUF = 1          // the hash core's message prefetch buffer
) (
    input  wire         clk,
    input  wire         rst,
    input  wire  [7:0]  s_rx_tdata,
    input  wire         s_rx_tvalid,
    output logic        s_rx_tready,
    output logic [7:0]  m_tx_tdata,
    output logic        m_tx_tvalid,
    input  wire         m_tx_tready
);

    tco_core #(
        .TIMEOUT (TIMEOUT),
        .SRTP    (SRTP),
        .WRAP    (WRAP),
        .AES     (AES),
        .SHA1    (SHA1),
        .AES_PIPE (AES_PIPE),
        .HASH     (HASH),
        .NBUF     (NBUF),
        .RSP      (RSP),
        .MSG_BUF  (MSG_BUF)
    ) u_core (
        .clk         (clk),
        .rst         (rst),
        .s_rx_tdata  (s_rx_tdata),
        .s_rx_tvalid (s_rx_tvalid),
        .s_rx_tready (s_rx_tready),
        .m_tx_tdata  (m_tx_tdata),
        .m_tx_tvalid (m_tx_tvalid),
        .m_tx_tready (m_tx_tready)
    );

endmodule

`default_nettype wire
