--top-module tco_icebreaker
-GCLK_HZ=16500000
-GBAUD=3000000
-GLOCK_CYCLES=16
-GRST_CYCLES=40
-GHEARTBEAT=4096
-GSTRETCH=512
-CFLAGS -DTB_CLK_HZ=16500000
-CFLAGS -DTB_BAUD=3000000
-CFLAGS -DTB_LOCK_CYCLES=16
-CFLAGS -DTB_RST_CYCLES=40
-CFLAGS -DTB_HEARTBEAT=4096
-CFLAGS -DTB_STRETCH=512
rtl/board/lint.vlt
rtl/io/lint.vlt
rtl/core/lint.vlt
rtl/aes/lint.vlt
rtl/board/tco_icebreaker.v
rtl/board/board_pll.v
rtl/board/board_ctl.v
rtl/io/uart_io.v
rtl/io/uart_rx.v
rtl/io/uart_fifo.v
rtl/io/uart_tx.v
rtl/core/tco_core.v
rtl/core/core_cmd.v
rtl/core/core_frame_rx.v
rtl/core/core_rsp.v
rtl/core/core_frame_tx.v
rtl/core/core_slots.v
rtl/core/core_ram.v
rtl/core/core_crc16.v
rtl/core/core_crc32.v
rtl/kdf/kdf_core.v
rtl/hmac/hmac_core.v
rtl/sha256/sha256_core.v
rtl/sha256/sha256_k_rom.v
rtl/aes/aes_ctr.v
rtl/aes/aes_core.v
rtl/aes/aes_core_iter.v
rtl/aes/aes_core_pipe.v
rtl/aes/aes_key_step.v
rtl/aes/aes_round.v
rtl/aes/aes_sbox_rom.v
