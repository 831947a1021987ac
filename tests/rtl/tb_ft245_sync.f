--top-module ft245_sync
-GFIFO_AW=4
-GOPT_BRAM=0
-GBURST=8
rtl/io/lint.vlt
rtl/io/ft245_sync.v
rtl/io/async_fifo.v
