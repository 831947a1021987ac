/* SPDX-License-Identifier: Apache-2.0 */
/* pcap files through libpcap; link/IP/UDP layers of captured packets (pcapio.h). */
#define _DEFAULT_SOURCE /* pcap.h needs u_int, u_char */
#include "pcapio.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pio_in {
    pcap_t *p;
    int nano;
};

struct pio_out {
    pcap_t *dead;
    pcap_dumper_t *d;
};

/* The file's own timestamp precision, from its magic number (pcap with nanoseconds:
 * a1b23c4d in either byte order). pcapng and standard input: microseconds. */
static int file_is_nano(const char *path)
{
    unsigned char m[4];
    FILE *f;
    int nano = 0;

    if (strcmp(path, "-") == 0)
        return 0;
    f = fopen(path, "rb");
    if (f == NULL)
        return 0;
    if (fread(m, 1, 4, f) == 4)
        nano = (m[0] == 0xa1 && m[1] == 0xb2 && m[2] == 0x3c && m[3] == 0x4d) ||
               (m[0] == 0x4d && m[1] == 0x3c && m[2] == 0xb2 && m[3] == 0xa1);
    fclose(f);
    return nano;
}

pio_in *pio_open_in(const char *path, char *err, size_t errlen)
{
    char eb[PCAP_ERRBUF_SIZE] = "";
    pio_in *in = calloc(1, sizeof(*in));

    if (in == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    in->nano = file_is_nano(path);
    in->p = pcap_open_offline_with_tstamp_precision(
        path, in->nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO, eb);
    if (in->p == NULL) {
        /* libpcap says "<path>: No such file..." for open errors, plain text otherwise */
        if (strncmp(eb, path, strlen(path)) == 0 && eb[strlen(path)] == ':')
            snprintf(err, errlen, "%s", eb);
        else
            snprintf(err, errlen, "%s: %s", path, eb[0] ? eb : "cannot read");
        free(in);
        return NULL;
    }
    return in;
}

void pio_close_in(pio_in *in)
{
    if (in == NULL)
        return;
    pcap_close(in->p);
    free(in);
}

int pio_linktype(const pio_in *in)
{
    return pcap_datalink(in->p);
}

int pio_snaplen(const pio_in *in)
{
    return pcap_snapshot(in->p);
}

int pio_nano(const pio_in *in)
{
    return in->nano;
}

int pio_next(pio_in *in, pio_hdr *h, const uint8_t **data)
{
    struct pcap_pkthdr *ph;
    const u_char *d;
    int r = pcap_next_ex(in->p, &ph, &d);

    if (r == PCAP_ERROR_BREAK)
        return 0;
    if (r != 1)
        return -1;
    h->sec = (long long)ph->ts.tv_sec;
    h->frac = (long)ph->ts.tv_usec;
    h->caplen = ph->caplen;
    h->len = ph->len;
    *data = d;
    return 1;
}

const char *pio_error(pio_in *in)
{
    return pcap_geterr(in->p);
}

pio_out *pio_open_out(const char *path, int linktype, int snaplen, int nano, char *err,
                      size_t errlen)
{
    pio_out *o = calloc(1, sizeof(*o));

    if (o == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    o->dead = pcap_open_dead_with_tstamp_precision(
        linktype, snaplen, nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO);
    if (o->dead == NULL) {
        snprintf(err, errlen, "%s: cannot make a pcap handle", path);
        free(o);
        return NULL;
    }
    o->d = pcap_dump_open(o->dead, path);
    if (o->d == NULL) {
        snprintf(err, errlen, "%s", pcap_geterr(o->dead));
        pcap_close(o->dead);
        free(o);
        return NULL;
    }
    return o;
}

void pio_write(pio_out *out, const pio_hdr *h, const uint8_t *data)
{
    struct pcap_pkthdr ph;

    memset(&ph, 0, sizeof(ph));
    ph.ts.tv_sec = (time_t)h->sec;
    ph.ts.tv_usec = (suseconds_t)h->frac;
    ph.caplen = h->caplen;
    ph.len = h->len;
    pcap_dump((u_char *)out->d, &ph, data);
}

int pio_close_out(pio_out *out, char *err, size_t errlen)
{
    int r = 0;

    if (out == NULL)
        return 0;
    if (pcap_dump_flush(out->d) != 0 || ferror(pcap_dump_file(out->d))) {
        snprintf(err, errlen, "write error: %s", strerror(errno ? errno : EIO));
        r = -1;
    }
    pcap_dump_close(out->d);
    pcap_close(out->dead);
    free(out);
    return r;
}

/* ----------------------------------------------------------------------------------------- */
/* Packet layers */

#define ETH_P_IPV4 0x0800u
#define ETH_P_IPV6 0x86DDu
#define IPPROTO_UDP_ 17u

static unsigned be16(const uint8_t *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

int pio_link_supported(int linktype)
{
    return linktype == DLT_EN10MB || linktype == DLT_LINUX_SLL || linktype == DLT_LINUX_SLL2 ||
           linktype == DLT_RAW || linktype == DLT_IPV4 || linktype == DLT_IPV6;
}

const char *pio_kind_error(pio_kind k)
{
    switch (k) {
    case PIO_FRAGMENT: return "IP fragment";
    case PIO_TRUNCATED: return "UDP datagram cut short in the capture";
    case PIO_MALFORMED: return "malformed IP/UDP header";
    case PIO_UNSUPPORTED: return "unsupported IPv6 header";
    case PIO_UDP:
    case PIO_OTHER: break;
    }
    return NULL;
}

/* Offset of the network header and its ethertype; -1 if the frame holds no IP. */
static long link_layer(int linktype, const uint8_t *p, size_t n, unsigned *etype)
{
    size_t off;

    switch (linktype) {
    case DLT_EN10MB:
        if (n < 14)
            return -1;
        off = 14;
        *etype = be16(p + 12);
        /* 802.1Q, 802.1ad and the old QinQ tag: 4 octets each, as many as there are */
        while (*etype == 0x8100u || *etype == 0x88A8u || *etype == 0x9100u) {
            if (n < off + 4)
                return -1;
            *etype = be16(p + off + 2);
            off += 4;
        }
        return (long)off;
    case DLT_LINUX_SLL:
        if (n < 16)
            return -1;
        *etype = be16(p + 14);
        return 16;
    case DLT_LINUX_SLL2:
        if (n < 20)
            return -1;
        *etype = be16(p);
        return 20;
    case DLT_RAW:
        if (n < 1)
            return -1;
        *etype = p[0] >> 4 == 4 ? ETH_P_IPV4 : p[0] >> 4 == 6 ? ETH_P_IPV6 : 0;
        return 0;
    case DLT_IPV4: *etype = ETH_P_IPV4; return 0;
    case DLT_IPV6: *etype = ETH_P_IPV6; return 0;
    default: return -1;
    }
}

pio_kind pio_find_udp(int linktype, const uint8_t *p, size_t caplen, size_t len, pio_udp *u)
{
    unsigned etype = 0;
    long l = link_layer(linktype, p, caplen, &etype);
    size_t ip, end, udp, ulen;
    /* the datagram goes past the captured octets: cut by the snaplen, or simply wrong */
    pio_kind short_kind = len > caplen ? PIO_TRUNCATED : PIO_MALFORMED;

    if (l < 0)
        return PIO_OTHER;
    ip = (size_t)l;
    memset(u, 0, sizeof(*u));
    u->ip_off = ip;
    if (etype == ETH_P_IPV4) {
        size_t ihl, tot;
        if (caplen < ip + 20 || p[ip] >> 4 != 4)
            return caplen < ip + 20 ? short_kind : PIO_MALFORMED;
        ihl = 4u * (p[ip] & 0x0F);
        tot = be16(p + ip + 2);
        if (p[ip + 9] != IPPROTO_UDP_)
            return PIO_OTHER;
        if (ihl < 20 || tot < ihl)
            return PIO_MALFORMED;
        if ((be16(p + ip + 6) & 0x3FFFu) != 0) /* MF or a fragment offset */
            return PIO_FRAGMENT;
        if (caplen < ip + tot)
            return short_kind;
        end = ip + tot;
        udp = ip + ihl;
    } else if (etype == ETH_P_IPV6) {
        unsigned nh;
        if (caplen < ip + 40)
            return short_kind;
        if (p[ip] >> 4 != 6)
            return PIO_MALFORMED;
        u->v6 = 1;
        if (be16(p + ip + 4) == 0)
            return p[ip + 6] == 0 ? PIO_UNSUPPORTED : PIO_MALFORMED; /* jumbogram */
        end = ip + 40 + be16(p + ip + 4);
        nh = p[ip + 6];
        udp = ip + 40;
        /* hop-by-hop, destination options, and a routing header with nothing left to do
         * (then the destination address is the final one the UDP checksum covers) */
        while (nh == 0 || nh == 60 || nh == 43 || nh == 44) {
            if (end > caplen)
                return short_kind;
            if (udp + 8 > end)
                return PIO_MALFORMED;
            if (nh == 44) /* fragment header: next header, offset, M */
                return p[udp] == IPPROTO_UDP_ ? PIO_FRAGMENT : PIO_OTHER;
            if (nh == 43 && p[udp + 3] != 0)
                return PIO_UNSUPPORTED;
            nh = p[udp];
            udp += 8u * ((size_t)p[udp + 1] + 1);
        }
        if (nh != IPPROTO_UDP_)
            return PIO_OTHER;
        if (end > caplen)
            return short_kind;
    } else {
        return PIO_OTHER;
    }
    if (udp + 8 > end)
        return PIO_MALFORMED;
    ulen = be16(p + udp + 4);
    if (ulen < 8 || udp + ulen > end)
        return PIO_MALFORMED;
    u->udp_off = udp;
    u->pay_off = udp + 8;
    u->pay_len = ulen - 8;
    return PIO_UDP;
}

/* One's complement sum of 16-bit words (an odd last octet padded with zero). */
static uint32_t sum16(uint32_t s, const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i + 1 < n; i += 2)
        s += (uint32_t)p[i] << 8 | p[i + 1];
    if (i < n)
        s += (uint32_t)p[i] << 8;
    return s;
}

static unsigned fold(uint32_t s)
{
    while (s >> 16)
        s = (s & 0xFFFFu) + (s >> 16);
    return (unsigned)s;
}

static void ipv4_checksum(uint8_t *ip)
{
    size_t ihl = 4u * (ip[0] & 0x0F);

    put16(ip + 10, 0);
    put16(ip + 10, ~fold(sum16(0, ip, ihl)) & 0xFFFFu);
}

/* UDP checksum over the pseudo header (RFC 768, RFC 8200 §8.1) and the datagram. */
static void udp_checksum(uint8_t *ip, int v6, uint8_t *udp)
{
    size_t ulen = be16(udp + 4);
    uint32_t s = 0;
    unsigned c;

    if (v6)
        s = sum16(s, ip + 8, 32);
    else
        s = sum16(s, ip + 12, 8);
    s += IPPROTO_UDP_ + (uint32_t)ulen; /* the IPv6 form's 32-bit length: ulen < 2^16 */
    put16(udp + 6, 0);
    c = ~fold(sum16(s, udp, ulen)) & 0xFFFFu;
    put16(udp + 6, c == 0 ? 0xFFFFu : c);
}

int pio_replace_payload(const uint8_t *p, size_t caplen, const pio_udp *u, const uint8_t *pay,
                        size_t plen, uint8_t *out, size_t cap, size_t *out_len)
{
    size_t tail_off = u->pay_off + u->pay_len, tail = caplen - tail_off;
    size_t ulen = plen + 8, iplen;
    uint8_t *ip = out + u->ip_off, *udp = out + u->udp_off;
    int zero_sum;

    if (u->pay_off + plen + tail > cap || ulen > 0xFFFFu)
        return -1;
    if (u->v6) {
        iplen = be16(p + u->ip_off + 4) - u->pay_len + plen; /* payload length */
    } else {
        iplen = be16(p + u->ip_off + 2) - u->pay_len + plen; /* total length */
    }
    if (iplen > 0xFFFFu)
        return -1;
    memcpy(out, p, u->pay_off);
    memcpy(out + u->pay_off, pay, plen);
    memcpy(out + u->pay_off + plen, p + tail_off, tail);
    zero_sum = !u->v6 && be16(p + u->udp_off + 6) == 0;
    if (u->v6) {
        put16(ip + 4, (unsigned)iplen);
    } else {
        put16(ip + 2, (unsigned)iplen);
        ipv4_checksum(ip);
    }
    put16(udp + 4, (unsigned)ulen);
    if (zero_sum)
        put16(udp + 6, 0);
    else
        udp_checksum(ip, u->v6, udp);
    *out_len = u->pay_off + plen + tail;
    return 0;
}

size_t pio_build_udp4(uint8_t *out, size_t cap, const uint8_t src[4], uint16_t sport,
                      const uint8_t dst[4], uint16_t dport, uint16_t ip_id, const uint8_t *pay,
                      size_t plen)
{
    static const uint8_t macs[12] = {0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01};
    uint8_t *ip = out + 14, *udp = out + 34;

    if (cap < PIO_UDP4_OVERHEAD + plen || plen > 0xFFFFu - 28)
        return 0;
    memcpy(out, macs, 12); /* locally administered: dst 02:..:02, src 02:..:01 */
    put16(out + 12, ETH_P_IPV4);
    ip[0] = 0x45;
    ip[1] = 0;
    put16(ip + 2, (unsigned)(28 + plen));
    put16(ip + 4, ip_id);
    put16(ip + 6, 0x4000); /* DF */
    ip[8] = 64;
    ip[9] = IPPROTO_UDP_;
    memcpy(ip + 12, src, 4);
    memcpy(ip + 16, dst, 4);
    ipv4_checksum(ip);
    put16(udp, sport);
    put16(udp + 2, dport);
    put16(udp + 4, (unsigned)(8 + plen));
    memcpy(udp + 8, pay, plen);
    udp_checksum(ip, 0, udp);
    return PIO_UDP4_OVERHEAD + plen;
}
