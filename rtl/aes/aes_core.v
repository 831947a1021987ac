// SPDX-License-Identifier: MIT
// AES-128/256 block encryption engine: iterative or fully pipelined, chosen at build time.
`default_nettype none

// Handshake (both ports): a transfer happens in a cycle where tvalid and tready are both high;
// a source holds tvalid and its data until accepted.
//   s_blk: plaintext block + key. The key rides with every block (AES-128 key in bits 255:128
//          of s_blk_key, s_blk_key256 = 0); no key set-up, a key change costs nothing.
//   m_blk: ciphertext blocks, in input order.
// OPT_PIPELINED = 0: aes_core_iter, 10/14 cycles per AES-128/256 block back to back,
//                    latency Nr+1 cycles, 20 S-box ROMs (iCE40 EBRs).
// OPT_PIPELINED = 1: aes_core_pipe, one block per cycle, latency 11 (AES-128) / 15 (AES-256)
//                    cycles, 280 S-box ROMs; up to 4 idle cycles when AES-128 blocks follow
//                    AES-256 ones.
// Byte order: byte 0 of FIPS-197 (in[0], key[0]) is the most significant byte.
// OPT_DEC = 1 (iterative only): s_blk_dec = 1 decrypts the block instead (aes_core_iter),
// 2Nr cycles per block.
// clr: wipe, one cycle, only while idle (no block in flight or offered, no output held):
// every register that held a key, a block or a value derived from them is zeroed and the
// S-box ROMs are flushed (pipelined: address 0 with clr; iterative: in the next cycle, a read
// of s_blk_tdata ^ s_blk_key, so the caller presents no key then); the core stays idle and
// usable. The caller must keep the key off s_blk_key while idle after clr (the pipelined
// core's first stage takes it every cycle; tco_core's key register is zero then).
module aes_core #(
    parameter OPT_PIPELINED = 0,
    parameter OPT_DEC       = 0
) (
    input  wire          clk,
    input  wire          rst,
    input  wire          clr,
    input  wire          s_blk_tvalid,
    output logic         s_blk_tready,
    input  wire  [127:0] s_blk_tdata,
    input  wire          s_blk_dec,
    input  wire  [255:0] s_blk_key,
    input  wire          s_blk_key256,
    output logic         m_blk_tvalid,
    input  wire          m_blk_tready,
    output logic [127:0] m_blk_tdata
);

    generate
        if (OPT_PIPELINED != 0 && OPT_PIPELINED != 1) begin : g_bad_param
            $error("aes_core: OPT_PIPELINED must be 0 or 1");
        end
        if (OPT_DEC != 0 && OPT_PIPELINED != 0) begin : g_bad_dec
            $error("aes_core: OPT_DEC needs the iterative core");
        end
        if (OPT_PIPELINED != 0) begin : g_pipe
            logic unused_dec;
            assign unused_dec = s_blk_dec;
            aes_core_pipe u_core (
                .clk          (clk),
                .rst          (rst),
                .clr          (clr),
                .s_blk_tvalid (s_blk_tvalid),
                .s_blk_tready (s_blk_tready),
                .s_blk_tdata  (s_blk_tdata),
                .s_blk_key    (s_blk_key),
                .s_blk_key256 (s_blk_key256),
                .m_blk_tvalid (m_blk_tvalid),
                .m_blk_tready (m_blk_tready),
                .m_blk_tdata  (m_blk_tdata)
            );
        end else begin : g_iter
            aes_core_iter #(
                .OPT_DEC      (OPT_DEC)
            ) u_core (
                .clk          (clk),
                .rst          (rst),
                .clr          (clr),
                .s_blk_tvalid (s_blk_tvalid),
                .s_blk_tready (s_blk_tready),
                .s_blk_tdata  (s_blk_tdata),
                .s_blk_dec    (s_blk_dec),
                .s_blk_key    (s_blk_key),
                .s_blk_key256 (s_blk_key256),
                .m_blk_tvalid (m_blk_tvalid),
                .m_blk_tready (m_blk_tready),
                .m_blk_tdata  (m_blk_tdata)
            );
        end
    endgenerate

endmodule

`default_nettype wire
