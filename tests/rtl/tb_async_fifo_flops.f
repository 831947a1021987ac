--top-module async_fifo
-GAW=2
-GOPT_BRAM=0
rtl/io/async_fifo.v
