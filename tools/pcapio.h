/* SPDX-License-Identifier: Apache-2.0 */
/* pcap files through libpcap, and the link/IP/UDP layers of one captured packet: find the
 * UDP payload, replace it (fixing the IP and UDP lengths and checksums), or build an
 * Ethernet/IPv4/UDP frame. Link types: Ethernet (with 802.1Q/802.1ad tags), Linux cooked
 * (SLL and SLL2) and raw IP (DLT_RAW, DLT_IPV4, DLT_IPV6). */
#ifndef TCO_PCAPIO_H
#define TCO_PCAPIO_H

#include <stddef.h>
#include <stdint.h>

/* One record header: the timestamp as stored (fraction in us or ns, as the file has it). */
typedef struct pio_hdr {
    long long sec;
    long frac;
    uint32_t caplen, len;
} pio_hdr;

typedef struct pio_in pio_in;
typedef struct pio_out pio_out;

/* Open a capture file (pcap or pcapng; "-" is standard input). NULL with a message in err. */
pio_in *pio_open_in(const char *path, char *err, size_t errlen);
void pio_close_in(pio_in *in);
int pio_linktype(const pio_in *in); /* DLT_* */
int pio_snaplen(const pio_in *in);
int pio_nano(const pio_in *in); /* nonzero: nanosecond timestamps */
/* Next record: 1 (data valid until the next call), 0 at the end, -1 on a read error
 * (pio_error: truncated file, ...). */
int pio_next(pio_in *in, pio_hdr *h, const uint8_t **data);
const char *pio_error(pio_in *in);

/* A pcap file of the given link type, snaplen and timestamp precision ("-": standard
 * output). NULL with a message in err. */
pio_out *pio_open_out(const char *path, int linktype, int snaplen, int nano, char *err,
                      size_t errlen);
void pio_write(pio_out *out, const pio_hdr *h, const uint8_t *data);
/* Flush and close; 0, or -1 if a write failed (message in err). */
int pio_close_out(pio_out *out, char *err, size_t errlen);

/* Nonzero if the link type is one pio_find_udp understands. */
int pio_link_supported(int linktype);

typedef enum pio_kind {
    PIO_UDP,         /* a whole UDP datagram in the capture */
    PIO_OTHER,       /* not IP, not UDP, or a fragment of something else than UDP */
    PIO_FRAGMENT,    /* an IPv4 or IPv6 fragment of a UDP datagram */
    PIO_TRUNCATED,   /* UDP, but the capture holds only part of the datagram */
    PIO_MALFORMED,   /* IP or UDP header inconsistent with itself or the frame */
    PIO_UNSUPPORTED, /* IPv6 with a routing header still to be processed, or a jumbogram */
} pio_kind;

/* Failure name of a kind for the summary (NULL for PIO_UDP and PIO_OTHER). */
const char *pio_kind_error(pio_kind k);

typedef struct pio_udp {
    size_t ip_off; /* IP header */
    int v6;
    size_t udp_off; /* UDP header */
    size_t pay_off; /* UDP payload */
    size_t pay_len;
} pio_udp;

/* Locate the UDP payload of a captured packet (caplen octets captured of len). */
pio_kind pio_find_udp(int linktype, const uint8_t *p, size_t caplen, size_t len, pio_udp *u);

/* out = the packet with its UDP payload replaced by pay (plen octets); everything before
 * and after the payload (link header, IP options and extension headers, link padding) kept.
 * The IPv4 total length and header checksum, the IPv6 payload length, the UDP length and
 * the UDP checksum are fixed (an IPv4 UDP checksum of zero stays zero). Returns 0, or -1 if
 * a length field would overflow or cap is too small. */
int pio_replace_payload(const uint8_t *p, size_t caplen, const pio_udp *u, const uint8_t *pay,
                        size_t plen, uint8_t *out, size_t cap, size_t *out_len);

/* Ethernet II / IPv4 (DF, TTL 64) / UDP with a checksum. Returns the frame length, or 0 if
 * cap is too small or the datagram too long. */
#define PIO_UDP4_OVERHEAD 42u
size_t pio_build_udp4(uint8_t *out, size_t cap, const uint8_t src[4], uint16_t sport,
                      const uint8_t dst[4], uint16_t dport, uint16_t ip_id, const uint8_t *pay,
                      size_t plen);

#endif
