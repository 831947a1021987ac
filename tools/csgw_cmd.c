/* SPDX-License-Identifier: Apache-2.0 */
/* tco csgw to-srtp|to-cs: the gateway mapper of IMS media over a CS bearer
 * (docs/csbearer.md) between a file of CS frames and a pcap of SRTP. It needs no keys: the
 * mapper rebuilds or strips the RTP header, the SRTP payload and tag pass through. */
#include "cliopt.h"
#include "hexarg.h"
#include "media_cmds.h"
#include "pcapio.h"
#include "tco.h"
#include "tco_srtp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_REC 65535u /* a frame record's length is 16 bits */
#define RTP_HDR 12u
#define SLOT_US 20000LL /* one CS frame per 20 ms */
#define DLT_ETHERNET 1  /* DLT_EN10MB (pcap.h stays inside pcapio.c) */

typedef struct addr {
    uint8_t ip[4];
    uint16_t port;
} addr;

/* "A.B.C.D:PORT" */
static int parse_addr(const char *s, addr *a)
{
    char host[32];
    const char *colon = strrchr(s, ':');
    unsigned long port;
    size_t n;

    if (colon == NULL || (n = (size_t)(colon - s)) == 0 || n >= sizeof(host))
        return -1;
    memcpy(host, s, n);
    host[n] = '\0';
    if (inet_pton(AF_INET, host, a->ip) != 1 || num_parse(colon + 1, 65535, &port) != 0)
        return -1;
    a->port = (uint16_t)port;
    return 0;
}

/* "SECONDS[.FRACTION]" (fraction to the microsecond) -> microseconds */
static int parse_start(const char *s, long long *us)
{
    unsigned long sec;
    char ip[24];
    const char *dot = strchr(s, '.');
    long long frac = 0;
    size_t n = dot ? (size_t)(dot - s) : strlen(s);

    if (n == 0 || n >= sizeof(ip))
        return -1;
    memcpy(ip, s, n);
    ip[n] = '\0';
    if (num_parse(ip, 0xFFFFFFFFul, &sec) != 0 || (ip[0] == '0' && ip[1] != '\0'))
        return -1;
    if (dot != NULL) {
        size_t k = 0;
        for (const char *c = dot + 1; *c; c++, k++) {
            if (*c < '0' || *c > '9' || k >= 6)
                return -1;
            frac = frac * 10 + (*c - '0');
        }
        if (k == 0)
            return -1;
        for (; k < 6; k++)
            frac *= 10;
    }
    *us = (long long)sec * 1000000LL + frac;
    return 0;
}

static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;

    if (strcmp(a, "-") == 0 || strcmp(b, "-") == 0)
        return 0;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* One record of a frame file: 1 with the frame, 0 at a clean end, -1 if the file ends
 * inside a record or cannot be read. */
static int read_frame(FILE *f, uint8_t *buf, size_t *len)
{
    uint8_t l[2];
    size_t got = fread(l, 1, 2, f);

    if (got == 0 && !ferror(f))
        return 0;
    if (got != 2)
        return -1;
    *len = (size_t)l[0] << 8 | l[1];
    if (fread(buf, 1, *len, f) != *len)
        return -1;
    return 1;
}

static void help(void)
{
    printf("usage: tco csgw to-srtp CALL --in FRAMES --out FILE.pcap [--src IP:PORT]\n"
           "                [--dst IP:PORT] [--start SECONDS]\n"
           "       tco csgw to-cs CALL --in FILE.pcap --out FRAMES\n"
           "CALL:  --codec amr|amr-wb --pt N --ssrc N --seq0 N --ts0 N --tag 4|10 [--mki]\n"
           "The gateway of IMS media over a CS bearer (docs/csbearer.md); it needs no keys.\n"
           "  to-srtp  each CS frame -> an SRTP packet (RTP header rebuilt from the call's\n"
           "           fields and SEQ) in Ethernet/IPv4/UDP, 20 ms apart from --start\n"
           "           (defaults 10.0.0.1:5004 -> 10.0.0.2:5004, start 0)\n"
           "  to-cs    each SRTP packet of the call's SSRC -> a CS frame, in file order;\n"
           "           other packets are skipped and counted\n"
           "  --codec  amr (RTP timestamp +160 a frame) or amr-wb (+320)\n"
           "  --pt N   RTP payload type 0..127     --ssrc N  0..4294967295\n"
           "  --seq0 N SEQ of the first slot       --ts0 N   RTP timestamp of the first slot\n"
           "  --tag    SRTP tag octets: 4 (HMAC_SHA1_32) or 10 (HMAC_SHA1_80)\n"
           "  --mki    every packet carries a 4-octet MKI\n"
           "FRAMES: records of a 2-octet big-endian length and that many octets of one frame.\n"
           "Prints the counts and failed= with a line per kind of failure; exit code 1 if a\n"
           "frame or packet failed.\n");
}

typedef struct counts {
    uint64_t in, out, skipped;
    cli_tally fails;
} counts;

static int to_srtp(const char *cmd, tco_cs_map *m, const char *in_path, const char *out_path,
                   const addr *src, const addr *dst, long long start_us, counts *c)
{
    uint8_t *frame = malloc(MAX_REC), *pkt = malloc(MAX_REC + 64), *eth = malloc(MAX_REC + 128);
    char err[512];
    FILE *f = NULL;
    pio_out *o = NULL;
    int rc = 0, rd;
    cli_progress prog;

    if (frame == NULL || pkt == NULL || eth == NULL) {
        rc = cli_error(cmd, "out of memory");
        goto out;
    }
    f = strcmp(in_path, "-") == 0 ? stdin : fopen(in_path, "rb");
    if (f == NULL) {
        rc = cli_error(cmd, "%s: %s", in_path, strerror(errno));
        goto out;
    }
    o = pio_open_out(out_path, DLT_ETHERNET, 65535, 0, err, sizeof(err));
    if (o == NULL) {
        rc = cli_error(cmd, "%s", err);
        goto out;
    }
    cli_progress_init(&prog);
    for (;;) {
        size_t flen = 0, plen = 0, elen;
        long long t;
        pio_hdr h;
        tco_status st;

        rd = read_frame(f, frame, &flen);
        if (rd <= 0)
            break;
        t = start_us + (long long)c->in * SLOT_US; /* the frame's slot */
        c->in++;
        st = tco_cs_to_srtp(m, frame, flen, pkt, MAX_REC + 64, &plen);
        if (st != TCO_OK) {
            cli_tally_add(&c->fails, tco_strerror(st));
            continue;
        }
        elen = pio_build_udp4(eth, MAX_REC + 128, src->ip, src->port, dst->ip, dst->port,
                              (uint16_t)c->out, pkt, plen);
        if (elen == 0) {
            cli_tally_add(&c->fails, "IP or UDP length over 65535");
            continue;
        }
        h.sec = t / 1000000LL;
        h.frac = (long)(t % 1000000LL);
        h.caplen = h.len = (uint32_t)elen;
        pio_write(o, &h, eth);
        c->out++;
        cli_progress_tick(&prog, cmd, c->in, c->fails.total);
    }
    cli_progress_end(&prog);
    if (rd < 0)
        rc = cli_error(cmd,
                       "%s: %s after %llu frames (a record is a 2-octet length and the "
                       "frame)",
                       in_path, ferror(f) ? strerror(errno) : "file ends inside a record",
                       (unsigned long long)c->in);
out:
    if (o != NULL && pio_close_out(o, err, sizeof(err)) != 0 && rc == 0)
        rc = cli_error(cmd, "%s: %s", out_path, err);
    if (f != NULL && f != stdin)
        fclose(f);
    free(frame);
    free(pkt);
    free(eth);
    return rc;
}

static int to_cs(const char *cmd, tco_cs_map *m, const tco_cs_call *call, const char *in_path,
                 const char *out_path, counts *c)
{
    uint8_t *frame = malloc(MAX_REC + 64);
    char err[512];
    pio_in *in = NULL;
    FILE *f = NULL;
    int rc = 0, rd, lt;
    cli_progress prog;

    if (frame == NULL) {
        rc = cli_error(cmd, "out of memory");
        goto out;
    }
    in = pio_open_in(in_path, err, sizeof(err));
    if (in == NULL) {
        rc = cli_error(cmd, "%s", err);
        goto out;
    }
    lt = pio_linktype(in);
    if (!pio_link_supported(lt)) {
        rc = cli_error(cmd, "%s: link type %d not supported (Ethernet, Linux cooked, raw IP)",
                       in_path, lt);
        goto out;
    }
    f = strcmp(out_path, "-") == 0 ? stdout : fopen(out_path, "wb");
    if (f == NULL) {
        rc = cli_error(cmd, "%s: %s", out_path, strerror(errno));
        goto out;
    }
    cli_progress_init(&prog);
    for (;;) {
        const uint8_t *d, *p;
        size_t flen = 0;
        pio_hdr h;
        pio_udp u;
        pio_kind k;
        tco_status st;

        rd = pio_next(in, &h, &d);
        if (rd != 1)
            break;
        c->in++;
        cli_progress_tick(&prog, cmd, c->in, c->fails.total);
        k = pio_find_udp(lt, d, h.caplen, h.len, &u);
        if (k == PIO_OTHER) {
            c->skipped++;
            continue;
        }
        if (k != PIO_UDP) {
            cli_tally_add(&c->fails, pio_kind_error(k));
            continue;
        }
        p = d + u.pay_off;
        /* the call's RTP packets only: V = 2, not RTCP (RFC 5761), its SSRC */
        if (u.pay_len < RTP_HDR || p[0] >> 6 != 2 || (p[1] >= 200 && p[1] <= 204) ||
            rd32(p + 8) != call->ssrc) {
            c->skipped++;
            continue;
        }
        st = tco_srtp_to_cs(m, p, u.pay_len, frame + 2, MAX_REC, &flen);
        if (st != TCO_OK) {
            cli_tally_add(&c->fails, tco_strerror(st));
            continue;
        }
        frame[0] = (uint8_t)(flen >> 8);
        frame[1] = (uint8_t)flen;
        if (fwrite(frame, 1, flen + 2, f) != flen + 2) {
            rc = cli_error(cmd, "%s: %s", out_path, strerror(errno));
            goto out;
        }
        c->out++;
    }
    cli_progress_end(&prog);
    if (rd < 0)
        rc = cli_error(cmd, "%s: %s; the output holds the %llu frames before it", in_path,
                       pio_error(in), (unsigned long long)c->out);
out:
    if (f != NULL) {
        int bad = fflush(f) != 0 || ferror(f);
        if (f != stdout && fclose(f) != 0)
            bad = 1;
        if (bad && rc == 0)
            rc = cli_error(cmd, "%s: write error: %s", out_path, strerror(errno));
    }
    pio_close_in(in);
    free(frame);
    return rc;
}

int cmd_csgw(int argc, char **argv, const char *uri)
{
    static const char *const flags[] = {"--help", "--mki", NULL};
    const char *cmd, *n, *v, *in_path = NULL, *out_path = NULL;
    unsigned long pt = 256, ssrc = 0, seq0 = 0, ts0 = 0, tag = 0;
    int have_ssrc = 0, have_seq0 = 0, have_ts0 = 0, to_cs_dir, r;
    addr src = {{10, 0, 0, 1}, 5004}, dst = {{10, 0, 0, 2}, 5004};
    long long start_us = 0;
    tco_cs_call call;
    tco_cs_map *m = NULL;
    cli_opts it;
    counts c;
    FILE *sum;

    (void)uri; /* no device: the gateway holds no keys */
    if (argc < 1)
        return cli_usage("csgw", "to-srtp or to-cs expected");
    if (strcmp(argv[0], "--help") == 0) {
        help();
        return 0;
    }
    if (strcmp(argv[0], "to-srtp") == 0)
        cmd = "csgw to-srtp";
    else if (strcmp(argv[0], "to-cs") == 0)
        cmd = "csgw to-cs";
    else
        return cli_usage("csgw", "to-srtp or to-cs expected");
    to_cs_dir = cmd[8] == 'c';
    memset(&call, 0, sizeof(call));
    memset(&it, 0, sizeof(it));
    it.argc = argc - 1;
    it.argv = argv + 1;
    it.cmd = cmd;
    while ((r = cli_next(&it, flags, &n, &v)) == 1) {
        if (strcmp(n, "--help") == 0) {
            help();
            return 0;
        } else if (strcmp(n, "--codec") == 0) {
            if (strcmp(v, "amr") == 0)
                call.codec = TCO_CODEC_AMR;
            else if (strcmp(v, "amr-wb") == 0)
                call.codec = TCO_CODEC_AMR_WB;
            else
                return cli_usage(cmd, "--codec must be amr or amr-wb");
        } else if (strcmp(n, "--pt") == 0) {
            if (num_parse(v, 127, &pt) != 0)
                return cli_usage(cmd, "--pt must be 0..127");
        } else if (strcmp(n, "--ssrc") == 0) {
            if (num_parse(v, 0xFFFFFFFFul, &ssrc) != 0)
                return cli_usage(cmd, "--ssrc must be 0..4294967295");
            have_ssrc = 1;
        } else if (strcmp(n, "--seq0") == 0) {
            if (num_parse(v, 65535, &seq0) != 0)
                return cli_usage(cmd, "--seq0 must be 0..65535");
            have_seq0 = 1;
        } else if (strcmp(n, "--ts0") == 0) {
            if (num_parse(v, 0xFFFFFFFFul, &ts0) != 0)
                return cli_usage(cmd, "--ts0 must be 0..4294967295");
            have_ts0 = 1;
        } else if (strcmp(n, "--tag") == 0) {
            if (num_parse(v, 10, &tag) != 0 || (tag != 4 && tag != 10))
                return cli_usage(cmd, "--tag must be 4 or 10");
        } else if (strcmp(n, "--mki") == 0) {
            call.mki = 1;
        } else if (strcmp(n, "--in") == 0) {
            in_path = v;
        } else if (strcmp(n, "--out") == 0) {
            out_path = v;
        } else if (!to_cs_dir && strcmp(n, "--src") == 0) {
            if (parse_addr(v, &src) != 0)
                return cli_usage(cmd, "--src must be IPv4-ADDRESS:PORT");
        } else if (!to_cs_dir && strcmp(n, "--dst") == 0) {
            if (parse_addr(v, &dst) != 0)
                return cli_usage(cmd, "--dst must be IPv4-ADDRESS:PORT");
        } else if (!to_cs_dir && strcmp(n, "--start") == 0) {
            if (parse_start(v, &start_us) != 0)
                return cli_usage(cmd, "--start must be seconds since the epoch (0..4294967295, "
                                      "up to 6 decimals)");
        } else {
            return cli_usage(cmd, "unknown option '%s'", n);
        }
    }
    if (r < 0)
        return CLI_EXIT_USAGE;
    if (call.codec == 0 || pt > 127 || !have_ssrc || !have_seq0 || !have_ts0 || tag == 0 ||
        in_path == NULL || out_path == NULL)
        return cli_usage(cmd, "--codec, --pt, --ssrc, --seq0, --ts0, --tag, --in and --out are "
                              "required");
    if (same_file(in_path, out_path))
        return cli_usage(cmd, "--in and --out are the same file");
    call.pt = (uint8_t)pt;
    call.ssrc = (uint32_t)ssrc;
    call.seq0 = (uint16_t)seq0;
    call.ts0 = (uint32_t)ts0;
    call.tag_len = tag;
    if (tco_cs_map_create(&call, &m) != TCO_OK)
        return cli_error(cmd, "cannot make the mapper");
    memset(&c, 0, sizeof(c));
    r = to_cs_dir ? to_cs(cmd, m, &call, in_path, out_path, &c)
                  : to_srtp(cmd, m, in_path, out_path, &src, &dst, start_us, &c);
    tco_cs_map_free(m);
    if (r != 0 && c.in == 0 && c.out == 0)
        return r; /* nothing read: the message says why */
    sum = strcmp(out_path, "-") == 0 ? stderr : stdout;
    if (to_cs_dir)
        fprintf(sum, "packets_in=%llu\nframes_out=%llu\nskipped=%llu\n", (unsigned long long)c.in,
                (unsigned long long)c.out, (unsigned long long)c.skipped);
    else
        fprintf(sum, "frames_in=%llu\npackets_out=%llu\n", (unsigned long long)c.in,
                (unsigned long long)c.out);
    cli_tally_print(sum, &c.fails);
    if (r != 0)
        return r;
    if (c.fails.total)
        return cli_error(cmd, "%llu of %llu %s failed", (unsigned long long)c.fails.total,
                         (unsigned long long)c.in, to_cs_dir ? "packets" : "frames");
    return 0;
}
