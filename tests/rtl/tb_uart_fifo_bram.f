--top-module uart_fifo
-GAW=2
-GOPT_BRAM=1
rtl/io/uart_fifo.v
