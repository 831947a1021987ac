--top-module core_frame_rx
-GTIMEOUT=64
-GNBUF=2
rtl/core/lint.vlt
rtl/core/core_frame_rx.v
rtl/core/core_crc16.v
rtl/core/core_crc32.v
