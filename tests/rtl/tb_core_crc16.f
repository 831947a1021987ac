--top-module core_crc16
rtl/core/core_crc16.v
