/* SPDX-License-Identifier: Apache-2.0 */
/* tco srtp protect|unprotect: SRTP/SRTCP over every RTP/RTCP packet of a pcap file. One
 * tco_srtp session for the file (a context per SSRC); the packets' link, IP and UDP headers
 * and timestamps are kept, lengths and checksums fixed. */
#include "cliopt.h"
#include "hexarg.h"
#include "media_cmds.h"
#include "pcapio.h"
#include "tco.h"
#include "tco_srtp.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* what a packet can grow by: MKI, tag, the SRTCP E||index word */
#define GROWTH (TCO_SRTP_MAX_MKI + 10u + 4u)

typedef enum rclass {
    R_COPY,      /* not RTP/RTCP: written unchanged */
    R_FAIL_COPY, /* an error that leaves the packet as it is (IP fragment, ...) */
    R_RTP,
    R_RTCP,
    R_DROP, /* failed: not written */
} rclass;

typedef struct rec {
    pio_hdr h;
    const uint8_t *in; /* the record as read: valid until the next read */
    uint8_t *pay, *out;
    size_t pay_cap, out_cap;
    pio_udp u;
    rclass cls;
    const char *err; /* kind of failure (R_FAIL_COPY, R_DROP) */
    size_t pay_len;
} rec;

typedef struct job {
    const char *cmd; /* "srtp protect" / "srtp unprotect" */
    int unprotect;
    int linktype;
    tco_srtp *s;
    size_t mki_len, tag_len;
    int have_roc;
    uint32_t roc;
    uint64_t in, out, rtp, rtcp, copied, dropped, over_snaplen;
    int snaplen;
    cli_tally fails;
    tco_status fatal; /* a device link error: stop */
} job;

static int grow(uint8_t **b, size_t *cap, size_t need)
{
    uint8_t *n;

    if (*cap >= need)
        return 0;
    n = realloc(*b, need);
    if (n == NULL)
        return -1;
    *b = n;
    *cap = need;
    return 0;
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* RFC 5761 §4: RTCP packet types 200..204 (SR, RR, SDES, BYE, APP) in the second octet. */
static int is_rtcp_pt(uint8_t b)
{
    return b >= 200 && b <= 204;
}

static void classify(job *j, rec *r)
{
    pio_kind k = pio_find_udp(j->linktype, r->in, r->h.caplen, r->h.len, &r->u);
    const uint8_t *p;
    size_t n, need;

    r->err = NULL;
    if (k == PIO_OTHER) {
        r->cls = R_COPY;
        return;
    }
    if (k != PIO_UDP) {
        r->cls = R_FAIL_COPY;
        r->err = pio_kind_error(k);
        return;
    }
    p = r->in + r->u.pay_off;
    n = r->u.pay_len;
    r->cls = R_COPY;
    if (n < 2 || p[0] >> 6 != 2)
        return;
    if (is_rtcp_pt(p[1])) {
        need = j->unprotect ? 8 + 4 + j->mki_len + 10 : 8;
        if (n >= need)
            r->cls = R_RTCP;
    } else {
        need = j->unprotect ? 12 + j->mki_len + j->tag_len : 12;
        if (n >= need)
            r->cls = R_RTP;
    }
}

/* --roc: the ROC of every SSRC before its first packet (a context made here, so that an
 * RTCP packet seen first does not leave the stream at ROC 0). */
static tco_status ensure_roc(job *j, uint32_t ssrc)
{
    uint32_t roc;

    if (!j->have_roc || tco_srtp_get_roc(j->s, ssrc, &roc) != TCO_ERR_STATE)
        return TCO_OK;
    return tco_srtp_set_roc(j->s, ssrc, j->roc);
}

static int link_error(tco_status st)
{
    return st == TCO_ERR_IO || st == TCO_ERR_TIMEOUT || st == TCO_ERR_PROTOCOL;
}

static void fail(job *j, rec *r, tco_status st)
{
    r->cls = R_DROP;
    r->err = tco_strerror(st);
    if (link_error(st))
        j->fatal = st;
}

/* Protect or unprotect the RTP/RTCP payload of a record into r->pay. One packet per call:
 * tco_srtp_*_batch would keep packets in flight together on a device backend, but it does
 * not give what single calls give when a batch holds one SSRC's SEQ wrap (a new SSRC's
 * packets 65535, 0: the second fails authentication), so the program does not use it. */
static void transform(job *j, rec *r)
{
    const uint8_t *p = r->in + r->u.pay_off;
    size_t n = r->u.pay_len;
    tco_status st;

    if (r->cls != R_RTP && r->cls != R_RTCP)
        return;
    if (grow(&r->pay, &r->pay_cap, n + GROWTH) != 0) {
        fail(j, r, TCO_ERR_NO_MEMORY);
        return;
    }
    st = ensure_roc(j, rd32(p + (r->cls == R_RTP ? 8 : 4)));
    if (st == TCO_OK) {
        if (r->cls == R_RTP)
            st = j->unprotect ? tco_srtp_unprotect(j->s, p, n, r->pay, r->pay_cap, &r->pay_len)
                              : tco_srtp_protect(j->s, p, n, r->pay, r->pay_cap, &r->pay_len);
        else
            st = j->unprotect ? tco_srtcp_unprotect(j->s, p, n, r->pay, r->pay_cap, &r->pay_len)
                              : tco_srtcp_protect(j->s, p, n, r->pay, r->pay_cap, &r->pay_len);
    }
    if (st != TCO_OK)
        fail(j, r, st);
}

static void emit(job *j, pio_out *o, rec *r)
{
    pio_hdr h = r->h;
    size_t len = 0;

    if (r->cls == R_RTP || r->cls == R_RTCP) {
        if (grow(&r->out, &r->out_cap, r->h.caplen + GROWTH) != 0) {
            r->cls = R_DROP;
            r->err = tco_strerror(TCO_ERR_NO_MEMORY);
        } else if (pio_replace_payload(r->in, r->h.caplen, &r->u, r->pay, r->pay_len, r->out,
                                       r->out_cap, &len) != 0) {
            r->cls = R_DROP;
            r->err = "IP or UDP length over 65535";
        }
    }
    switch (r->cls) {
    case R_FAIL_COPY:
        cli_tally_add(&j->fails, r->err);
        /* fall through */
    case R_COPY:
        pio_write(o, &r->h, r->in);
        j->copied++;
        j->out++;
        return;
    case R_DROP:
        cli_tally_add(&j->fails, r->err);
        j->dropped++;
        return;
    case R_RTP:
    case R_RTCP: break;
    }
    h.caplen = (uint32_t)len;
    h.len = (uint32_t)((long long)r->h.len + ((long long)len - (long long)r->h.caplen));
    if (h.len < h.caplen)
        h.len = h.caplen;
    if (j->snaplen > 0 && h.caplen > (uint32_t)j->snaplen)
        j->over_snaplen++;
    pio_write(o, &h, r->out);
    if (r->cls == R_RTP)
        j->rtp++;
    else
        j->rtcp++;
    j->out++;
}

static void help(void)
{
    printf("usage: tco [--dev URI] srtp protect|unprotect --key HEX --profile NAME [--roc N]\n"
           "                [--mki HEX] --in FILE.pcap --out FILE.pcap\n"
           "SRTP/SRTCP (RFC 3711) over every RTP and RTCP packet in UDP of a pcap file; the\n"
           "link, IP and UDP headers and timestamps are kept, the IP and UDP lengths and\n"
           "checksums fixed (an IPv4 UDP checksum of zero stays zero).\n"
           "  --key HEX      master key || master salt: 30 octets (AES-128), 46 (AES-256)\n"
           "  --profile NAME AES_CM_128_HMAC_SHA1_80, AES_CM_128_HMAC_SHA1_32 or\n"
           "                 AES_256_CM_HMAC_SHA1_80\n"
           "  --roc N        ROC of every SSRC before its first packet (default 0)\n"
           "  --mki HEX      1..16 octets: every packet carries this MKI\n"
           "  --in, --out    pcap files (link types Ethernet, Linux cooked, raw IP)\n"
           "A UDP payload is RTP if V = 2 and it holds a header (and, to unprotect, the MKI and\n"
           "tag); RTCP if its second octet is 200..204 (RFC 5761). Other packets are copied.\n"
           "Failed packets are dropped. Prints packets_in=, packets_out=, rtp=, rtcp=,\n"
           "copied=, dropped=, failed= and a line per kind of failure; exit code 1 if a\n"
           "packet failed.\n");
}

/* Read, transform and write the whole file. Returns 0, or -1 after a read error (the message
 * in err) or a device link error (j->fatal). */
static int run(job *j, pio_in *pin, pio_out *pout, rec *r, char *err, size_t errlen)
{
    cli_progress prog;
    const uint8_t *d;
    int rd = 0;

    cli_progress_init(&prog);
    while (!j->fatal && (rd = pio_next(pin, &r->h, &d)) == 1) {
        j->in++;
        r->in = d;
        classify(j, r);
        transform(j, r);
        emit(j, pout, r);
        cli_progress_tick(&prog, j->cmd, j->in, j->fails.total);
    }
    cli_progress_end(&prog);
    if (rd == -1)
        snprintf(err, errlen, "%s", pio_error(pin));
    return rd < 0 || j->fatal ? -1 : 0;
}

static void summary(FILE *f, const job *j)
{
    fprintf(f,
            "packets_in=%llu\npackets_out=%llu\nrtp=%llu\nrtcp=%llu\ncopied=%llu\n"
            "dropped=%llu\n",
            (unsigned long long)j->in, (unsigned long long)j->out, (unsigned long long)j->rtp,
            (unsigned long long)j->rtcp, (unsigned long long)j->copied,
            (unsigned long long)j->dropped);
    cli_tally_print(f, &j->fails);
}

static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;

    if (strcmp(a, "-") == 0 || strcmp(b, "-") == 0)
        return 0;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

int cmd_srtp(int argc, char **argv, const char *uri)
{
    static const char *const flags[] = {"--help", NULL};
    const char *cmd, *n, *v, *in_path = NULL, *out_path = NULL, *prof_name = NULL;
    char *key_arg = NULL;
    uint8_t key[64], mki[TCO_SRTP_MAX_MKI];
    long klen = -1, mlen = 0;
    unsigned long roc = 0;
    char err[512] = "", cerr[256] = "";
    tco_srtp_policy pol;
    tco_srtp_profile prof = TCO_SRTP_AES128_CM_SHA1_80;
    tco_dev *dev = NULL;
    tco_info info;
    pio_in *pin = NULL;
    pio_out *pout = NULL;
    rec rec1;
    cli_opts it;
    tco_status st;
    job j;
    int r, rc;

    if (argc < 1)
        return cli_usage("srtp", "protect or unprotect expected");
    if (strcmp(argv[0], "--help") == 0) {
        help();
        return 0;
    }
    if (strcmp(argv[0], "protect") == 0)
        cmd = "srtp protect";
    else if (strcmp(argv[0], "unprotect") == 0)
        cmd = "srtp unprotect";
    else
        return cli_usage("srtp", "protect or unprotect expected");
    memset(&j, 0, sizeof(j));
    memset(&rec1, 0, sizeof(rec1));
    j.cmd = cmd;
    j.unprotect = cmd[5] == 'u';
    memset(&it, 0, sizeof(it));
    it.argc = argc - 1;
    it.argv = argv + 1;
    it.cmd = cmd;
    while ((r = cli_next(&it, flags, &n, &v)) == 1) {
        if (strcmp(n, "--help") == 0) {
            help();
            return 0;
        } else if (strcmp(n, "--dev") == 0) {
            uri = v;
        } else if (strcmp(n, "--key") == 0) {
            key_arg = (char *)v; /* parsed below, then wiped from the argument list */
        } else if (strcmp(n, "--profile") == 0) {
            prof_name = v;
            if (tco_srtp_profile_by_name(v, &prof) != TCO_OK)
                return cli_usage(cmd, "--profile must be AES_CM_128_HMAC_SHA1_80, "
                                      "AES_CM_128_HMAC_SHA1_32 or AES_256_CM_HMAC_SHA1_80");
        } else if (strcmp(n, "--roc") == 0) {
            if (num_parse(v, 0xFFFFFFFFul, &roc) != 0)
                return cli_usage(cmd, "--roc must be 0..4294967295");
            j.have_roc = 1;
            j.roc = (uint32_t)roc;
        } else if (strcmp(n, "--mki") == 0) {
            mlen = hex_parse(v, mki, sizeof(mki));
            if (mlen < 1)
                return cli_usage(cmd, "--mki must be 1..%u octets of hex", TCO_SRTP_MAX_MKI);
        } else if (strcmp(n, "--in") == 0) {
            in_path = v;
        } else if (strcmp(n, "--out") == 0) {
            out_path = v;
        } else {
            return cli_usage(cmd, "unknown option '%s'", n);
        }
    }
    if (r < 0)
        return CLI_EXIT_USAGE;
    if (key_arg == NULL || prof_name == NULL || in_path == NULL || out_path == NULL)
        return cli_usage(cmd, "--key, --profile, --in and --out are required");
    klen = hex_parse(key_arg, key, sizeof(key));
    memset(key_arg, 0, strlen(key_arg)); /* out of /proc/PID/cmdline from now on */
    if (klen < 0 || (size_t)klen != tco_srtp_key_salt_len(prof)) {
        memset(key, 0, sizeof(key));
        return cli_usage(cmd, "--key must be %zu octets of hex (master key || salt) for %s",
                         tco_srtp_key_salt_len(prof), prof_name);
    }
    /* from here the key is in key[] until it is in the session: every exit wipes it */
    rc = 0;
    if (same_file(in_path, out_path)) {
        rc = cli_usage(cmd, "--in and --out are the same file");
        goto out;
    }
    if ((rc = cli_open_dev(cmd, uri, &dev)) != 0) /* a bad URI is a usage error: first */
        goto out;
    if (tco_get_info(dev, &info) != TCO_OK || !(info.caps & TCO_CAP_SRTP)) {
        rc = cli_error(cmd, "device '%s' has no SRTP engine (TCO_CAP_SRTP)", uri);
        goto out;
    }
    /* the input before the output: a file that is no capture leaves no output behind */
    pin = pio_open_in(in_path, err, sizeof(err));
    if (pin == NULL) {
        rc = cli_error(cmd, "%s", err);
        goto out;
    }
    j.linktype = pio_linktype(pin);
    j.snaplen = pio_snaplen(pin);
    if (!pio_link_supported(j.linktype)) {
        rc = cli_error(cmd, "%s: link type %d not supported (Ethernet, Linux cooked, raw IP)",
                       in_path, j.linktype);
        goto out;
    }
    memset(&pol, 0, sizeof(pol));
    pol.profile = prof;
    pol.mki_len = (size_t)mlen;
    j.mki_len = (size_t)mlen;
    j.tag_len = tco_srtp_tag_len(prof);
    st = tco_srtp_create(dev, &pol, &j.s);
    if (st == TCO_OK)
        st = tco_srtp_add_key(j.s, key, (size_t)klen, mlen ? mki : NULL);
    memset(key, 0, sizeof(key));
    if (st != TCO_OK) {
        rc = cli_error(cmd, "SRTP session: %s", tco_strerror(st));
        goto out;
    }
    pout = pio_open_out(out_path, j.linktype, j.snaplen, pio_nano(pin), err, sizeof(err));
    if (pout == NULL) {
        rc = cli_error(cmd, "%s", err);
        goto out;
    }

    r = run(&j, pin, pout, &rec1, err, sizeof(err));
    if (j.fatal)
        snprintf(err, sizeof(err), "device: %s", tco_strerror(j.fatal));
    st = pio_close_out(pout, cerr, sizeof(cerr)) == 0 ? TCO_OK : TCO_ERR_IO;
    pout = NULL;
    summary(strcmp(out_path, "-") == 0 ? stderr : stdout, &j);
    if (j.over_snaplen)
        fprintf(stderr, "tco %s: warning: %llu packets longer than the file's snaplen %d\n", cmd,
                (unsigned long long)j.over_snaplen, j.snaplen);
    if (st != TCO_OK)
        rc = cli_error(cmd, "%s: %s", out_path, cerr);
    else if (r != 0)
        rc = cli_error(cmd, "%s: %s; the output holds the %llu packets written before it", in_path,
                       err, (unsigned long long)j.out);
    else if (j.fails.total)
        rc = cli_error(cmd, "%llu of %llu packets failed", (unsigned long long)j.fails.total,
                       (unsigned long long)j.in);

out:
    memset(key, 0, sizeof(key));
    if (pout != NULL)
        (void)pio_close_out(pout, cerr, sizeof(cerr));
    free(rec1.pay);
    free(rec1.out);
    tco_srtp_free(j.s);
    tco_close(dev);
    pio_close_in(pin);
    return rc;
}
