--top-module core_frame_tx
rtl/core/lint.vlt
rtl/core/core_frame_tx.v
rtl/core/core_crc16.v
rtl/core/core_crc32.v
