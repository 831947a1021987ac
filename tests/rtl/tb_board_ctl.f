--top-module board_ctl
-GRST_CYCLES=20
-GHEARTBEAT=64
-GSTRETCH=16
-CFLAGS -DTB_RST_CYCLES=20
-CFLAGS -DTB_HEARTBEAT=64
-CFLAGS -DTB_STRETCH=16
rtl/board/lint.vlt
rtl/board/board_ctl.v
