--top-module uart_io
-GCLK_HZ=48000000
-GBAUD=12000000
-GFIFO_AW=4
rtl/io/uart_io.v
rtl/io/uart_rx.v
rtl/io/uart_fifo.v
rtl/io/uart_tx.v
