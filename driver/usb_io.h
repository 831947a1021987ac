/* SPDX-License-Identifier: Apache-2.0 */
/* The libusb-1.0 calls of the usb: transport (driver/usb.c), as a table of function pointers,
 * so that a test can put an emulated FTDI chip in place of the USB stack
 * (tests/cosim/test_usb.c). Library-internal (hidden symbols); not part of the API. */
#ifndef TCO_USB_IO_H
#define TCO_USB_IO_H

#include <libusb.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct tco_usb_io {
    int (*init)(libusb_context **ctx);
    void (*exit)(libusb_context *ctx);
    ssize_t (*get_device_list)(libusb_context *ctx, libusb_device ***list);
    void (*free_device_list)(libusb_device **list, int unref);
    int (*get_device_descriptor)(libusb_device *dev, struct libusb_device_descriptor *desc);
    int (*get_active_config_descriptor)(libusb_device *dev,
                                        struct libusb_config_descriptor **config);
    void (*free_config_descriptor)(struct libusb_config_descriptor *config);
    uint8_t (*get_bus_number)(libusb_device *dev);
    uint8_t (*get_device_address)(libusb_device *dev);
    int (*open)(libusb_device *dev, libusb_device_handle **h);
    void (*close)(libusb_device_handle *h);
    int (*get_string_descriptor_ascii)(libusb_device_handle *h, uint8_t index,
                                       unsigned char *data, int length);
    int (*set_auto_detach_kernel_driver)(libusb_device_handle *h, int enable);
    int (*claim_interface)(libusb_device_handle *h, int iface);
    int (*release_interface)(libusb_device_handle *h, int iface);
    int (*control_transfer)(libusb_device_handle *h, uint8_t bmRequestType, uint8_t bRequest,
                            uint16_t wValue, uint16_t wIndex, unsigned char *data,
                            uint16_t wLength, unsigned int timeout);
    struct libusb_transfer *(*alloc_transfer)(int iso_packets);
    void (*free_transfer)(struct libusb_transfer *x);
    int (*submit_transfer)(struct libusb_transfer *x);
    int (*cancel_transfer)(struct libusb_transfer *x);
    int (*handle_events_timeout_completed)(libusb_context *ctx, struct timeval *tv,
                                           int *completed);
} tco_usb_io;

/* The table the next usb: open uses instead of libusb (NULL: libusb itself). For tests only:
 * set it before tco_open, from one thread; an opened transport keeps the table it got. */
extern const tco_usb_io *tco_usb_io_override;

/* FTDI vendor requests (bmRequestType 0x40 host-to-device, vendor, device; wIndex carries the
 * channel as interface number + 1 in its low octet). */
enum {
    TCO_FTDI_REQ_OUT = 0x40,
    TCO_FTDI_RESET = 0x00,        /* wValue 0 reset, 1 purge RX, 2 purge TX */
    TCO_FTDI_SET_FLOW = 0x02,     /* wIndex high octet: 0 none, 1 RTS/CTS */
    TCO_FTDI_SET_BAUD = 0x03,     /* wValue, wIndex high octet: the encoded divisor */
    TCO_FTDI_SET_DATA = 0x04,     /* 0x0008: 8 data bits, no parity, 1 stop bit */
    TCO_FTDI_SET_LATENCY = 0x09,  /* wValue: ms, 1..255 */
    TCO_FTDI_SET_BITMODE = 0x0B,  /* wValue: mode << 8 | pin mask */
};

/* H-series (FT2232H, FT4232H, FT232H) baud divisor for `baud`: *enc is the 18-bit encoded
 * divisor (wValue = enc & 0xFFFF, wIndex high octet = enc >> 16), *actual the rate it gives.
 * Returns 0, or -1 when the nearest achievable rate is more than 3 % off (*actual still set). */
int tco_usb_baud_divisor(uint32_t baud, uint32_t *enc, uint32_t *actual);

#endif
