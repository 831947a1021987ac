--top-module core_crc32
rtl/core/core_crc32.v
