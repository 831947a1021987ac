--top-module uart_rx
-GCLK_HZ=48000000
-GBAUD=3000000
rtl/io/uart_rx.v
