// SPDX-License-Identifier: MIT
// UART 8N1 receiver: serial line in, one octet per frame on a valid/ready byte stream.
`default_nettype none

// rx_i (idle high) passes a 2-flop synchroniser. The line is sampled OS times per bit, OS = 16
// when CLK_HZ >= 16 * BAUD, else OS = floor(CLK_HZ / BAUD) (4 .. 15): the sample ticks come
// from a fractional divider (accumulator += OS * BAUD, modulo CLK_HZ, both reduced by their
// gcd) that restarts at the clock where the start edge is seen, so the mean bit time is exact
// and each tick is late by less than one clock. Supported: CLK_HZ >= 4 * BAUD (elaboration
// stops otherwise), e.g. 12 MHz up to 3 Mbaud, 48 MHz up to 12 Mbaud, 60 MHz up to 15 Mbaud.
// A frame: the first low level in idle starts it (tick 0); the start bit must be low at its
// centre (tick OS/2) and at the first tick at or after half a bit (tick OS - OS/2), else the
// frame is dropped as a glitch (so a low pulse shorter than half a bit never starts one);
// data bits (LSB first) and the stop bit are sampled at their centres, tick OS*i + OS/2.
// With OS >= 8 each bit is the majority of three samples (ticks centre-1, centre,
// centre+1). A low stop bit drops the octet, pulses frame_err and waits for the line to
// return high before hunting again. After a good stop bit the receiver hunts from that
// bit's centre on, so frames may follow with the minimum stop time; the benches take a
// sender 2.5 % off the rate at OS = 4 or 5, 3.5 % at OS = 16 (docs/io.md). The octet goes
// to the output register one cycle after the stop bit's decision.
// Output: one octet register (m_tdata/m_tvalid registered). A serial line has no
// backpressure: an octet completed while the previous one is still not taken is dropped and
// overrun pulses (one cycle). The sender must not outrun the consumer; uart_io puts a FIFO
// here.
module uart_rx #(
    parameter CLK_HZ = 12_000_000,
    parameter BAUD   = 115_200
) (
    input  wire         clk,
    input  wire         rst,
    input  wire         rx_i,          // serial line, asynchronous to clk
    output logic [7:0]  m_tdata,
    output logic        m_tvalid,
    input  wire         m_tready,
    output logic        frame_err,     // one-cycle pulse: stop bit low, octet dropped
    output logic        overrun        // one-cycle pulse: octet dropped, output not taken
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

    localparam OS    = (CLK_HZ >= 16 * BAUD) ? 16 : CLK_HZ / BAUD;   // samples per bit
    localparam G     = gcd(OS * BAUD, CLK_HZ);
    localparam INC   = (OS * BAUD) / G;         // tick when the accumulator passes MOD
    localparam MOD   = CLK_HZ / G;
    localparam ACC_W = $clog2(2 * MOD);
    localparam [ACC_W-1:0] STEP = ACC_W'(INC);
    localparam [ACC_W-1:0] BACK = ACC_W'(MOD - INC);   // acc + INC >= MOD  <=>  acc >= BACK
    localparam MAJ   = (OS >= 8);               // majority of three samples per bit
    localparam [3:0] C   = 4'(OS / 2);          // centre tick of a bit
    localparam [3:0] VT  = 4'(OS - OS / 2);     // first tick at or after half a bit
    localparam [3:0] DC  = MAJ ? C + 4'd1 : C;  // tick where a bit is decided
    localparam [3:0] D0  = (VT > DC) ? VT : DC; // ... the start bit
    localparam [3:0] OS1 = 4'(OS - 1);
    // the same ticks as seen from ph_reg, the tick before (no adder in the decision path)
    localparam [3:0] P_C1 = C - 4'd2;           // next tick is centre-1 (MAJ: C >= 4)
    localparam [3:0] P_C  = C - 4'd1;           // next tick is the centre
    localparam [3:0] P_D0 = D0 - 4'd1;
    localparam [3:0] P_DC = DC - 4'd1;

    generate
        if (BAUD < 1 || CLK_HZ < 4 * BAUD) begin : g_bad_param
            $error("uart_rx: needs CLK_HZ >= 4 * BAUD");
        end
    endgenerate

    localparam [1:0] CTRL_IDLE = 2'd0;    // hunting for a start bit
    localparam [1:0] CTRL_RUN  = 2'd1;    // inside a frame
    localparam [1:0] CTRL_WAIT = 2'd2;    // after a framing error: wait for the line high

    // ---------------------------------------------------------------------------------------
    // Registers (x_reg / x_new / x_we)
    logic             s1_reg, s2_reg;                     // synchroniser
    logic [1:0]       ctrl_reg, ctrl_new;  logic ctrl_we;
    logic [ACC_W-1:0] acc_reg,  acc_new;   logic acc_we;   // tick divider
    logic [3:0]       ph_reg,   ph_new;    logic ph_we;    // tick within the bit, 0..OS-1
    logic [3:0]       bi_reg,   bi_new;    logic bi_we;    // bit: 0 start, 1..8 data, 9 stop
    logic [1:0]       smp_reg,  smp_new;   logic smp_we;   // samples centre-1, centre
    logic [7:0]       sh_reg,   sh_new;    logic sh_we;    // data bits, LSB first
    logic [7:0]       ob_reg,   ob_new;    logic ob_we;    // output octet
    logic             ov_reg,   ov_new;    logic ov_we;
    logic             ferr_reg, ferr_new;
    logic             orun_reg, orun_new;
    logic             dlv_reg,  dlv_new;                  // good stop bit: octet to the output

    // uart_rx_regs: control state resets (the synchroniser to idle high); data on enable
    always_ff @(posedge clk) begin : uart_rx_regs
        if (rst) begin
            s1_reg   <= 1'b1;
            s2_reg   <= 1'b1;
            ctrl_reg <= CTRL_IDLE;
            ov_reg   <= 1'b0;
            ferr_reg <= 1'b0;
            orun_reg <= 1'b0;
            dlv_reg  <= 1'b0;
        end else begin
            s1_reg   <= rx_i;
            s2_reg   <= s1_reg;
            if (ctrl_we) ctrl_reg <= ctrl_new;
            if (ov_we)   ov_reg   <= ov_new;
            ferr_reg <= ferr_new;
            orun_reg <= orun_new;
            dlv_reg  <= dlv_new;
        end
        if (acc_we) acc_reg <= acc_new;
        if (ph_we)  ph_reg  <= ph_new;
        if (bi_we)  bi_reg  <= bi_new;
        if (smp_we) smp_reg <= smp_new;
        if (sh_we)  sh_reg  <= sh_new;
        if (ob_we)  ob_reg  <= ob_new;
    end

    // uart_rx_ctrl: tick divider, bit sampling, frame checks and the output register. A
    // decision tick is never tick 0 of a bit (C >= 2), so bi_reg is the bit being decided.
    logic           tick, decide, bit_val, start_bad;

    generate
        if (INC == MOD) begin : g_tick_every
            assign tick = 1'b1;                     // one sample per clock
        end else begin : g_tick_div
            assign tick = (acc_reg >= BACK);
        end
    endgenerate

    always_comb begin : uart_rx_ctrl
        decide  = 1'b0;
        if (MAJ)
            bit_val = (smp_reg[0] && smp_reg[1]) || (smp_reg[0] && s2_reg) || (smp_reg[1] && s2_reg);
        else
            bit_val = s2_reg;
        // start bit, decided at tick D0: centre value (majority or tick C) and tick VT
        start_bad = ((MAJ || D0 == C) ? bit_val : smp_reg[1]) || ((VT == D0) ? s2_reg : smp_reg[1]);

        ctrl_new = ctrl_reg;                   ctrl_we  = 1'b0;
        acc_new  = tick ? acc_reg - BACK : acc_reg + STEP;
        acc_we   = 1'b0;
        ph_new   = (ph_reg == OS1) ? 4'd0 : ph_reg + 4'd1;
        ph_we    = 1'b0;
        bi_new   = (ph_reg == OS1) ? bi_reg + 4'd1 : bi_reg;
        bi_we    = 1'b0;
        smp_new  = smp_reg;                    smp_we   = 1'b0;
        sh_new   = {bit_val, sh_reg[7:1]};     sh_we    = 1'b0;
        ob_new   = sh_reg;                     ob_we    = 1'b0;
        ov_new   = 1'b0;                       ov_we    = m_tready;
        ferr_new = 1'b0;
        orun_new = 1'b0;
        dlv_new  = 1'b0;

        case (ctrl_reg)
            CTRL_IDLE: begin
                if (!s2_reg) begin
                    // start edge: this clock is tick 0 of bit 0
                    acc_new = '0;      acc_we = 1'b1;
                    ph_new  = 4'd0;    ph_we  = 1'b1;
                    bi_new  = 4'd0;    bi_we  = 1'b1;
                    ctrl_new = CTRL_RUN;  ctrl_we = 1'b1;
                end
            end
            CTRL_RUN: begin
                acc_we = 1'b1;
                if (tick) begin
                    ph_we = 1'b1;
                    bi_we = 1'b1;
                    if (MAJ && ph_reg == P_C1) begin
                        smp_new[0] = s2_reg;  smp_we = 1'b1;
                    end
                    if (ph_reg == P_C) begin
                        smp_new[1] = s2_reg;  smp_we = 1'b1;
                    end
                    decide = (bi_reg == 4'd0) ? (ph_reg == P_D0) : (ph_reg == P_DC);
                end
                if (decide) begin
                    if (bi_reg == 4'd0) begin
                        // a start bit is low at its centre and still low half a bit after
                        // the edge; anything shorter is a glitch
                        if (start_bad) begin
                            ctrl_new = CTRL_IDLE;  ctrl_we = 1'b1;
                        end
                    end else if (bi_reg == 4'd9) begin
                        ctrl_we = 1'b1;
                        if (bit_val) begin
                            dlv_new  = 1'b1;
                            ctrl_new = CTRL_IDLE;
                        end else begin
                            ferr_new = 1'b1;
                            ctrl_new = CTRL_WAIT;
                        end
                    end else begin
                        sh_we = 1'b1;
                    end
                end
            end
            CTRL_WAIT: begin
                if (s2_reg) begin
                    ctrl_new = CTRL_IDLE;  ctrl_we = 1'b1;
                end
            end
            default: begin
                ctrl_new = CTRL_IDLE;  ctrl_we = 1'b1;
            end
        endcase

        // the octet completed at the last edge (sh_reg holds it: the next frame's first data
        // bit comes many cycles later)
        if (dlv_reg) begin
            if (!ov_reg || m_tready) begin
                ob_we  = 1'b1;
                ov_new = 1'b1;  ov_we = 1'b1;
            end else begin
                orun_new = 1'b1;
            end
        end

        m_tdata   = ob_reg;
        m_tvalid  = ov_reg;
        frame_err = ferr_reg;
        overrun   = orun_reg;
    end

endmodule

`default_nettype wire
