--top-module axis_bytes
-GDATA_BYTES=8
-GIDLE_FLUSH=5
rtl/io/lint.vlt
rtl/io/axis_bytes.v
