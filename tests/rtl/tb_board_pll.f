--top-module board_pll
-GLOCK_CYCLES=37
-CFLAGS -DTB_LOCK_CYCLES=37
rtl/board/lint.vlt
rtl/board/board_pll.v
