--top-module uart_rx
-GCLK_HZ=12000000
-GBAUD=115200
rtl/io/uart_rx.v
