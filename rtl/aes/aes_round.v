// SPDX-License-Identifier: MIT
// AES round datapath after SubBytes: ShiftRows, MixColumns and AddRoundKey (FIPS-197 5.1).
`default_nettype none

// Input: the 16 S-box read words {S(x), 2*S(x)} of the state, byte 0 (first in the FIPS-197
// byte order, state row 0 column 0) in bits 255:240. Output: the next round input
// (MixColumns(ShiftRows(S)) ^ key) and the final-round output (ShiftRows(S) ^ key).
module aes_round (
    input  wire  [255:0] sb,
    input  wire  [127:0] key,
    output logic [127:0] mix,
    output logic [127:0] last
);

    // byte i of the S-box outputs: S(x_i) and 2*S(x_i)
    function automatic [7:0] s1(input [255:0] v, input integer i);
        s1 = v[255 - 16 * i -: 8];
    endfunction
    function automatic [7:0] s2(input [255:0] v, input integer i);
        s2 = v[247 - 16 * i -: 8];
    endfunction

    integer c, r;

    // aes_round_calc: output byte j = 4c + r (column c, row r); ShiftRows takes row r of
    // column (c + r) mod 4, i.e. S-box byte 4((c + r) mod 4) + r. MixColumns with b_k the
    // ShiftRows column: out_r = 2b_r ^ 3b_(r+1) ^ b_(r+2) ^ b_(r+3), and 3b = 2b ^ b.
    always_comb begin : aes_round_calc
        mix  = 128'h0;
        last = 128'h0;
        for (c = 0; c < 4; c = c + 1) begin
            for (r = 0; r < 4; r = r + 1) begin
                mix[127 - 8 * (4 * c + r) -: 8] =
                      s2(sb, 4 * ((c + r) % 4) + r)
                    ^ s2(sb, 4 * ((c + r + 1) % 4) + (r + 1) % 4)
                    ^ s1(sb, 4 * ((c + r + 1) % 4) + (r + 1) % 4)
                    ^ s1(sb, 4 * ((c + r + 2) % 4) + (r + 2) % 4)
                    ^ s1(sb, 4 * ((c + r + 3) % 4) + (r + 3) % 4)
                    ^ key[127 - 8 * (4 * c + r) -: 8];
                last[127 - 8 * (4 * c + r) -: 8] =
                    s1(sb, 4 * ((c + r) % 4) + r) ^ key[127 - 8 * (4 * c + r) -: 8];
            end
        end
    end

endmodule

`default_nettype wire
