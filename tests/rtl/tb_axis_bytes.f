--top-module axis_bytes
-GDATA_BYTES=4
-GIDLE_FLUSH=16
rtl/io/lint.vlt
rtl/io/axis_bytes.v
