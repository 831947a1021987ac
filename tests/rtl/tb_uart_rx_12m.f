--top-module uart_rx
-GCLK_HZ=48000000
-GBAUD=12000000
rtl/io/uart_rx.v
