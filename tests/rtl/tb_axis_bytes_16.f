--top-module axis_bytes
-GDATA_BYTES=16
-GIDLE_FLUSH=1
rtl/io/lint.vlt
rtl/io/axis_bytes.v
