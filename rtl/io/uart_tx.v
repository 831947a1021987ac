// SPDX-License-Identifier: MIT
// UART 8N1 transmitter: octets from a valid/ready byte stream out on a serial line.
`default_nettype none

// tx_o idles high and comes from a flop. Each octet: start bit (low), eight data bits LSB
// first, one stop bit (high). Bit times come from a fractional divider (accumulator += BAUD,
// modulo CLK_HZ, both reduced by their gcd): each bit lasts floor or ceil of CLK_HZ / BAUD
// clocks and the mean is exact. s_tready is high while the one-octet holding register is
// empty (a register, never waits for s_tvalid); a held octet starts the cycle after it is
// taken when the line is idle, or right at the end of the previous stop bit, so octets go
// back to back with exactly one stop bit. Supported: CLK_HZ >= 4 * BAUD, as uart_rx.
module uart_tx #(
    parameter CLK_HZ = 12_000_000,
    parameter BAUD   = 115_200
) (
    input  wire         clk,
    input  wire         rst,
    input  wire  [7:0]  s_tdata,
    input  wire         s_tvalid,
    output logic        s_tready,
    output logic        tx_o,          // serial line
    output logic        busy           // a frame is on the line or waiting
);

    function automatic integer gcd(input integer a0, input integer b0);
        integer a, b, t;
        a = a0;
        b = b0;
        for (int i = 0; i < 64; i = i + 1) begin
            if (b != 0) begin
                t = a % b;
                a = b;
                b = t;
            end
        end
        gcd = a;
    endfunction

    localparam G     = gcd(BAUD, CLK_HZ);
    localparam INC   = BAUD / G;                // a bit ends when the accumulator passes MOD
    localparam MOD   = CLK_HZ / G;
    localparam ACC_W = $clog2(2 * MOD);
    localparam [ACC_W-1:0] STEP = ACC_W'(INC);
    localparam [ACC_W-1:0] BACK = ACC_W'(MOD - INC);   // acc + INC >= MOD  <=>  acc >= BACK

    generate
        if (BAUD < 1 || CLK_HZ < 4 * BAUD) begin : g_bad_param
            $error("uart_tx: needs CLK_HZ >= 4 * BAUD");
        end
    endgenerate

    // ---------------------------------------------------------------------------------------
    // Registers (x_reg / x_new / x_we)
    logic             hv_reg,   hv_new;    logic hv_we;    // holding register full
    logic [7:0]       hold_reg, hold_new;  logic hold_we;
    logic             act_reg,  act_new;   logic act_we;   // a frame is being sent
    logic             line_reg, line_new;  logic line_we;  // the bit on the line
    logic [8:0]       sh_reg,   sh_new;    logic sh_we;    // bits still to send (stop at top)
    logic [3:0]       bc_reg,   bc_new;    logic bc_we;    // bit on the line: 0 start .. 9 stop
    logic [ACC_W-1:0] acc_reg,  acc_new;   logic acc_we;   // bit-time divider

    // uart_tx_regs: control state resets (the line to idle high); data on enable
    always_ff @(posedge clk) begin : uart_tx_regs
        if (rst) begin
            hv_reg   <= 1'b0;
            act_reg  <= 1'b0;
            line_reg <= 1'b1;
        end else begin
            if (hv_we)   hv_reg   <= hv_new;
            if (act_we)  act_reg  <= act_new;
            if (line_we) line_reg <= line_new;
        end
        if (hold_we) hold_reg <= hold_new;
        if (sh_we)   sh_reg   <= sh_new;
        if (bc_we)   bc_reg   <= bc_new;
        if (acc_we)  acc_reg  <= acc_new;
    end

    // uart_tx_ctrl: holding register, frame start, bit timing and shifting
    logic          bit_end, load;

    always_comb begin : uart_tx_ctrl
        bit_end = act_reg && (acc_reg >= BACK);
        // start a frame from the holding register: line idle, or the stop bit ending now
        load    = hv_reg && (!act_reg || (bit_end && bc_reg == 4'd9));

        hv_new   = 1'b0;                    hv_we   = 1'b0;
        hold_new = s_tdata;                 hold_we = 1'b0;
        act_new  = 1'b1;                    act_we  = 1'b0;
        line_new = sh_reg[0];               line_we = 1'b0;
        sh_new   = {1'b1, sh_reg[8:1]};     sh_we   = 1'b0;
        bc_new   = bc_reg + 4'd1;           bc_we   = 1'b0;
        acc_new  = bit_end ? acc_reg - BACK : acc_reg + STEP;
        acc_we   = act_reg;

        if (load) begin
            hv_new   = 1'b0;        hv_we   = 1'b1;
            act_new  = 1'b1;        act_we  = 1'b1;
            line_new = 1'b0;        line_we = 1'b1;    // start bit
            sh_new   = {1'b1, hold_reg};  sh_we = 1'b1;
            bc_new   = 4'd0;        bc_we   = 1'b1;
            if (!act_reg) begin
                acc_new = '0;       acc_we  = 1'b1;
            end
        end else if (bit_end) begin
            if (bc_reg == 4'd9) begin
                act_new = 1'b0;     act_we  = 1'b1;    // line stays high (stop level)
            end else begin
                line_we = 1'b1;
                sh_we   = 1'b1;
                bc_we   = 1'b1;
            end
        end

        if (!hv_reg && s_tvalid) begin
            hv_new  = 1'b1;         hv_we   = 1'b1;
            hold_we = 1'b1;
        end

        s_tready = !hv_reg;
        tx_o     = line_reg;
        busy     = act_reg || hv_reg;
    end

endmodule

`default_nettype wire
