// SPDX-License-Identifier: MIT
// One step of the AES-128/256 key expansion (FIPS-197 5.2), computed on the fly per round.
`default_nettype none

// The schedule runs one round behind the data: for round r (1..Nr) the registers hold
//   AES-128: rk_a = k[r-1]              ; ksb = S(k[r-1].w3)
//   AES-256: rk_a = k[r-1], rk_b = k[r] ; ksb = S(k[r].w3)
// (words big-endian, w0 in bits 127:96) and this step gives the round key k[r] used by round r
// (kcur) and the newest expanded key gk (k[r] for AES-128, k[r+1] for AES-256). The next round
// loads rk_a <= kcur, rk_b <= gk, and looks up S(gk.w3).
// Backwards (dec = 1, decryption in aes_core_iter, rnd = d): kprev undoes one step of the
// newest key W (AES-128 rk_a = k[d+1], ksb = S(k[d].w3), Rcon[d+1]; AES-256 rk_b = k[d+1],
// rk_a = k[d], ksb = S(k[d].w3), as the forward step of round d): AES-128 k[d], AES-256 k[d-1].
module aes_key_step (
    input  wire  [127:0] rk_a,
    input  wire  [127:0] rk_b,
    input  wire  [31:0]  ksb,    // S-box of the last word of the newest key, byte-wise
    input  wire          k256,   // 1: AES-256 schedule, 0: AES-128
    input  wire  [3:0]   rnd,    // round number r, 1..14 (dec: d, 0..13)
    input  wire          dec,    // Rcon of the backward AES-128 step (Rcon[d+1])
    output logic [127:0] kcur,   // round key of round r
    output logic [127:0] gk,     // newest expanded round key
    output logic [127:0] kprev   // the key before W (backward step)
);

    // FIPS-197 5.2: Rcon[i] = x^(i-1) in GF(2^8); AES-256 uses i <= 7, AES-128 i <= 10.
    function automatic [7:0] rcon(input [3:0] i);
        case (i)
            4'd1:    rcon = 8'h01;
            4'd2:    rcon = 8'h02;
            4'd3:    rcon = 8'h04;
            4'd4:    rcon = 8'h08;
            4'd5:    rcon = 8'h10;
            4'd6:    rcon = 8'h20;
            4'd7:    rcon = 8'h40;
            4'd8:    rcon = 8'h80;
            4'd9:    rcon = 8'h1b;
            4'd10:   rcon = 8'h36;
            default: rcon = 8'h00;
        endcase
    endfunction

    logic        rot;
    logic [3:0]  rcon_idx;
    logic [31:0] t;
    logic [31:0] w0, w1, w2, w3;
    logic [127:0] wn;

    // aes_key_step_calc: w[i] = w[i-Nk] ^ f(w[i-1]), four words per step
    always_comb begin : aes_key_step_calc
        // AES-128 rotates and adds Rcon every round; AES-256 only when the new word index
        // 4(r+1) is a multiple of 8, i.e. for odd r, with Rcon[(r+1)/2].
        rot      = k256 ? rnd[0] : 1'b1;
        rcon_idx = k256 ? 4'((5'(rnd) + 5'd1) >> 1) : rnd + {3'd0, dec};
        if (rot)
            t = {ksb[23:0], ksb[31:24]} ^ {rcon(rcon_idx), 24'h000000};
        else
            t = ksb;
        w0   = rk_a[127:96] ^ t;
        w1   = rk_a[95:64] ^ w0;
        w2   = rk_a[63:32] ^ w1;
        w3   = rk_a[31:0] ^ w2;
        gk   = {w0, w1, w2, w3};
        kcur = k256 ? rk_b : gk;
        // backward: w[i-Nk] = w[i] ^ w[i-1] (first word: ^ t)
        wn    = k256 ? rk_b : rk_a;
        kprev = {wn[127:96] ^ t, wn[95:64] ^ wn[127:96], wn[63:32] ^ wn[95:64], wn[31:0] ^ wn[63:32]};
    end

endmodule

`default_nettype wire
