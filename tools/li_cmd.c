/* SPDX-License-Identifier: Apache-2.0 */
/* tco mikey-prf and tco li: the MIKEY PRF, the session keys of spec §4.3 (PMK, TEK/salt,
 * KDF2), the intercept node over a pcap file (warrants, key release, SRTP unprotect), the
 * target terminal's side that makes test material (tco li call), and the audit log check
 * (docs/li.md). Keys given on the command line are wiped from the argument list once read;
 * no command but pmk/tek/kdf2/mikey-prf (whose purpose it is) prints key material. */
#include "cliopt.h"
#include "hexarg.h"
#include "li_cmds.h"
#include "pcapio.h"
#include "tco.h"
#include "tco_li.h"
#include "tco_srtp.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RAND_MAX_LEN 1000u /* MIKEY RAND, nonce, DH rand: tco_li_tek's limit */
#define PRF_IO_MAX 1024u   /* mikey-prf: key, label */
#define GROWTH (TCO_SRTP_MAX_MKI + 10u + 4u)

/* ----------------------------------------------------------------------------------------- */
/* Argument helpers */

/* Hex of min..max octets into out (capacity >= max). A secret argument is wiped from the
 * argument list (out of /proc/PID/cmdline from then on) whatever the outcome. Returns the
 * octet count, or -1 (out wiped). */
static long hex_arg(const char *v, uint8_t *out, size_t min, size_t max, int secret)
{
    long n = hex_parse(v, out, max);

    if (secret)
        memset((char *)v, 0, strlen(v));
    if (n < 0 || (size_t)n < min) {
        OPENSSL_cleanse(out, max);
        return -1;
    }
    return n;
}

/* A signed decimal integer (seconds since the epoch). 0 on success. */
static int i64_parse(const char *s, int64_t *out)
{
    const char *d = s[0] == '-' ? s + 1 : s;
    char *end = NULL;
    long long v;

    if (*d < '0' || *d > '9')
        return -1;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = (int64_t)v;
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

static int link_error(tco_status st)
{
    return st == TCO_ERR_IO || st == TCO_ERR_TIMEOUT || st == TCO_ERR_PROTOCOL;
}

/* The session options shared by li intercept and li call. */
typedef struct sess_opts {
    int have_cs, have_csb;
    unsigned long cs_id;
    uint32_t csb_id;
    uint8_t rand[RAND_MAX_LEN];
    long rand_len;
    const char *prof_name;
    tco_srtp_profile prof;
} sess_opts;

/* 1 if `n` was one of the session options (parsed into s), 0 if not, -1 after a usage
 * error. */
static int sess_opt(const char *cmd, sess_opts *s, const char *n, const char *v)
{
    uint8_t b[4];

    if (strcmp(n, "--cs-id") == 0) {
        if (num_parse(v, 255, &s->cs_id) != 0) {
            cli_usage(cmd, "--cs-id must be 0..255");
            return -1;
        }
        s->have_cs = 1;
    } else if (strcmp(n, "--csb-id") == 0) {
        if (hex_parse(v, b, sizeof(b)) != 4) {
            cli_usage(cmd, "--csb-id must be 4 octets of hex");
            return -1;
        }
        s->csb_id = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
        s->have_csb = 1;
    } else if (strcmp(n, "--rand") == 0) {
        s->rand_len = hex_arg(v, s->rand, 16, RAND_MAX_LEN, 0);
        if (s->rand_len < 0) {
            cli_usage(cmd, "--rand must be 16..%u octets of hex", RAND_MAX_LEN);
            return -1;
        }
    } else if (strcmp(n, "--profile") == 0) {
        s->prof_name = v;
        if (tco_srtp_profile_by_name(v, &s->prof) != TCO_OK ||
            tco_srtp_key_salt_len(s->prof) != 30) {
            cli_usage(cmd, "--profile must be AES_CM_128_HMAC_SHA1_80 or "
                           "AES_CM_128_HMAC_SHA1_32 (the TEK is 128 bits)");
            return -1;
        }
    } else {
        return 0;
    }
    return 1;
}

/* ----------------------------------------------------------------------------------------- */
/* tco mikey-prf */

static void prf_help(void)
{
    printf("usage: tco mikey-prf --key HEX --label HEX --len N\n"
           "MIKEY PRF (RFC 3830 section 4.1.2), computed in this process: the key in 256-bit\n"
           "pieces, for each the HMAC-SHA-1 P-function (A_0 = label, A_i = HMAC(s, A_i-1),\n"
           "block i = HMAC(s, A_i || label)), the pieces' outputs XORed.\n"
           "  --key HEX    the inkey, 1..%u octets\n"
           "  --label HEX  0..%u octets (--label '' for an empty label)\n"
           "  --len N      output octets, 1..%u\n"
           "Prints out=<N octets>. The key is cleared from the argument list once read.\n",
           PRF_IO_MAX, PRF_IO_MAX, TCO_MIKEY_PRF_MAX);
}

int cmd_mikey_prf(int argc, char **argv, const char *uri)
{
    static const char *const flags[] = {"--help", NULL};
    static uint8_t key[PRF_IO_MAX], label[PRF_IO_MAX], out[TCO_MIKEY_PRF_MAX];
    const char *cmd = "mikey-prf", *n, *v;
    long kl = -1, ll = -1;
    unsigned long len = 0;
    cli_opts it;
    tco_status st;
    int r, rc = 0;

    (void)uri; /* in process: no device */
    memset(&it, 0, sizeof(it));
    it.argc = argc;
    it.argv = argv;
    it.cmd = cmd;
    while ((r = cli_next(&it, flags, &n, &v)) == 1) {
        if (strcmp(n, "--help") == 0) {
            prf_help();
            goto out;
        } else if (strcmp(n, "--key") == 0) {
            kl = hex_arg(v, key, 1, sizeof(key), 1);
            if (kl < 0) {
                rc = cli_usage(cmd, "--key must be 1..%u octets of hex", PRF_IO_MAX);
                goto out;
            }
        } else if (strcmp(n, "--label") == 0) {
            ll = hex_arg(v, label, 0, sizeof(label), 0);
            if (ll < 0) {
                rc = cli_usage(cmd, "--label must be 0..%u octets of hex", PRF_IO_MAX);
                goto out;
            }
        } else if (strcmp(n, "--len") == 0) {
            if (num_parse(v, TCO_MIKEY_PRF_MAX, &len) != 0 || len == 0) {
                rc = cli_usage(cmd, "--len must be 1..%u", TCO_MIKEY_PRF_MAX);
                goto out;
            }
        } else {
            rc = cli_usage(cmd, "unknown option '%s'", n);
            goto out;
        }
    }
    if (r < 0) {
        rc = CLI_EXIT_USAGE;
        goto out;
    }
    if (kl < 0 || ll < 0 || len == 0) {
        rc = cli_usage(cmd, "--key, --label and --len are required");
        goto out;
    }
    st = tco_mikey_prf(key, (size_t)kl, label, (size_t)ll, out, len);
    if (st != TCO_OK)
        rc = cli_error(cmd, "PRF: %s", tco_strerror(st));
    else
        hex_print(stdout, "out", out, len);
out:
    OPENSSL_cleanse(key, sizeof(key));
    OPENSSL_cleanse(out, sizeof(out));
    return rc;
}

/* ----------------------------------------------------------------------------------------- */
/* tco li pmk | tek | kdf2 */

static int li_pmk(int argc, char **argv, const char *uri)
{
    static const char *const flags[] = {"--help", NULL};
    const char *cmd = "li pmk", *n, *v;
    uint8_t k[32], nonce[RAND_MAX_LEN], pmk[16];
    long kl = -1, nl = -1;
    tco_dev *dev = NULL;
    tco_slot s = 0;
    int have_slot = 0;
    cli_opts it;
    tco_status st;
    int r, rc = 0;

    memset(&it, 0, sizeof(it));
    it.argc = argc;
    it.argv = argv;
    it.cmd = cmd;
    while ((r = cli_next(&it, flags, &n, &v)) == 1) {
        if (strcmp(n, "--help") == 0) {
            printf("usage: tco [--dev URI] li pmk --k HEX --nonce HEX\n"
                   "PMK = MIKEY-PRF(k, nonce, 128 bits) (spec 4.3), with k in a key slot of the\n"
                   "device (HMAC only; every HMAC of the PRF runs there), erased afterwards.\n"
                   "  --k HEX      subscriber key, 16 or 32 octets\n"
                   "  --nonce HEX  the nonce the terminals exchanged, 1..%u octets\n"
                   "Prints pmk=<16 octets>. k is cleared from the argument list once read.\n",
                   RAND_MAX_LEN);
            goto out;
        } else if (strcmp(n, "--dev") == 0) {
            uri = v;
        } else if (strcmp(n, "--k") == 0) {
            kl = hex_arg(v, k, 16, sizeof(k), 1);
            if (kl != 16 && kl != 32) {
                kl = -1;
                rc = cli_usage(cmd, "--k must be 16 or 32 octets of hex");
                goto out;
            }
        } else if (strcmp(n, "--nonce") == 0) {
            nl = hex_arg(v, nonce, 1, sizeof(nonce), 0);
            if (nl < 0) {
                rc = cli_usage(cmd, "--nonce must be 1..%u octets of hex", RAND_MAX_LEN);
                goto out;
            }
        } else {
            rc = cli_usage(cmd, "unknown option '%s'", n);
            goto out;
        }
    }
    if (r < 0) {
        rc = CLI_EXIT_USAGE;
        goto out;
    }
    if (kl < 0 || nl < 0) {
        rc = cli_usage(cmd, "--k and --nonce are required");
        goto out;
    }
    if ((rc = cli_open_dev(cmd, uri, &dev)) != 0)
        goto out;
    st = tco_slot_alloc(dev, &s);
    if (st == TCO_OK) {
        have_slot = 1;
        st = tco_key_load(dev, s, k, (size_t)kl, TCO_USE_HMAC);
    }
    if (st == TCO_OK)
        st = tco_li_pmk(dev, s, nonce, (size_t)nl, pmk);
    if (st != TCO_OK)
        rc = cli_error(cmd, "PMK: %s", tco_strerror(st));
    else
        hex_print(stdout, "pmk", pmk, 16);
out:
    if (have_slot)
        (void)tco_key_erase(dev, s);
    tco_close(dev);
    OPENSSL_cleanse(k, sizeof(k));
    OPENSSL_cleanse(pmk, sizeof(pmk));
    return rc;
}

static int li_tek(int argc, char **argv)
{
    static const char *const flags[] = {"--help", NULL};
    const char *cmd = "li tek", *n, *v;
    uint8_t pmk[16], tek[16], salt[14];
    long pl = -1;
    sess_opts so;
    cli_opts it;
    tco_status st;
    int r, rc = 0;

    memset(&so, 0, sizeof(so));
    so.rand_len = -1;
    memset(&it, 0, sizeof(it));
    it.argc = argc;
    it.argv = argv;
    it.cmd = cmd;
    while ((r = cli_next(&it, flags, &n, &v)) == 1) {
        if (strcmp(n, "--help") == 0) {
            printf("usage: tco li tek --pmk HEX --cs-id N --csb-id HEX --rand HEX\n"
                   "SRTP master key and salt of crypto session cs-id of bundle csb-id (spec 4.3,\n"
                   "RFC 3830 4.1.3), computed in this process:\n"
                   "  TEK  = MIKEY-PRF(PMK, 2AD01C64 || cs-id || csb-id || rand, 128 bits)\n"
                   "  salt = MIKEY-PRF(PMK, 39A2C14B || cs-id || csb-id || rand, 112 bits)\n"
                   "  --pmk HEX     16 octets\n"
                   "  --cs-id N     0..255\n"
                   "  --csb-id HEX  4 octets\n"
                   "  --rand HEX    the MIKEY RAND, 16..%u octets\n"
                   "Prints tek=<16 octets> and salt=<14 octets>. The PMK is cleared from the\n"
                   "argument list once read.\n",
                   RAND_MAX_LEN);
            goto out;
        } else if (strcmp(n, "--pmk") == 0) {
            pl = hex_arg(v, pmk, 16, sizeof(pmk), 1);
            if (pl < 0) {
                rc = cli_usage(cmd, "--pmk must be 16 octets of hex");
                goto out;
            }
        } else if (strcmp(n, "--profile") == 0) {
            rc = cli_usage(cmd, "unknown option '%s'", n);
            goto out;
        } else if ((r = sess_opt(cmd, &so, n, v)) != 0) {
            if (r < 0) {
                rc = CLI_EXIT_USAGE;
                goto out;
            }
        } else {
            rc = cli_usage(cmd, "unknown option '%s'", n);
            goto out;
        }
    }
    if (r < 0) {
        rc = CLI_EXIT_USAGE;
        goto out;
    }
    if (pl < 0 || !so.have_cs || !so.have_csb || so.rand_len < 0) {
        rc = cli_usage(cmd, "--pmk, --cs-id, --csb-id and --rand are required");
        goto out;
    }
    st = tco_li_tek(pmk, (uint8_t)so.cs_id, so.csb_id, so.rand, (size_t)so.rand_len, tek, salt);
    if (st != TCO_OK) {
        rc = cli_error(cmd, "TEK: %s", tco_strerror(st));
    } else {
        hex_print(stdout, "tek", tek, 16);
        hex_print(stdout, "salt", salt, 14);
    }
out:
    OPENSSL_cleanse(pmk, sizeof(pmk));
    OPENSSL_cleanse(tek, sizeof(tek));
    OPENSSL_cleanse(salt, sizeof(salt));
    return rc;
}

static int li_kdf2(int argc, char **argv)
{
    static const char *const flags[] = {"--help", NULL};
    const char *cmd = "li kdf2", *n, *v;
    uint8_t k[16], m[16], rr[16], out[16];
    int have_k = 0, have_m = 0, have_r = 0;
    cli_opts it;
    tco_status st;
    int r, rc = 0;

    memset(&it, 0, sizeof(it));
    it.argc = argc;
    it.argv = argv;
    it.cmd = cmd;
    while ((r = cli_next(&it, flags, &n, &v)) == 1) {
        if (strcmp(n, "--help") == 0) {
            printf(
                "usage: tco li kdf2 --k HEX --m HEX --r HEX\n"
                "k' = KDF2(k, m, r) = AES-128-Encrypt(key = k xor m, block = r) (spec 4.3),\n"
                "computed in this process: the key a home network hands to a visited one.\n"
                "  --k, --m, --r HEX  16 octets each\n"
                "Prints out=<16 octets>. k and m are cleared from the argument list once read.\n");
            goto out;
        } else if (strcmp(n, "--k") == 0 || strcmp(n, "--m") == 0 || strcmp(n, "--r") == 0) {
            char c = n[2];
            uint8_t *dst = c == 'k' ? k : c == 'm' ? m : rr;
            if (hex_arg(v, dst, 16, 16, c != 'r') != 16) {
                rc = cli_usage(cmd, "--%c must be 16 octets of hex", c);
                goto out;
            }
            have_k |= c == 'k';
            have_m |= c == 'm';
            have_r |= c == 'r';
        } else {
            rc = cli_usage(cmd, "unknown option '%s'", n);
            goto out;
        }
    }
    if (r < 0) {
        rc = CLI_EXIT_USAGE;
        goto out;
    }
    if (!have_k || !have_m || !have_r) {
        rc = cli_usage(cmd, "--k, --m and --r are required");
        goto out;
    }
    st = tco_li_kdf2(k, m, rr, out);
    if (st != TCO_OK)
        rc = cli_error(cmd, "KDF2: %s", tco_strerror(st));
    else
        hex_print(stdout, "out", out, 16);
out:
    OPENSSL_cleanse(k, sizeof(k));
    OPENSSL_cleanse(m, sizeof(m));
    OPENSSL_cleanse(out, sizeof(out));
    return rc;
}

/* ----------------------------------------------------------------------------------------- */
/* tco li audit-verify */

/* Lines of a file (a last line without its newline counts), or -1. */
static long count_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    long n = 0;
    int c, last = '\n';

    if (f == NULL)
        return -1;
    while ((c = getc(f)) != EOF) {
        if (c == '\n')
            n++;
        last = c;
    }
    if (last != '\n')
        n++;
    fclose(f);
    return n;
}

static int li_audit_verify(int argc, char **argv)
{
    static const char *const flags[] = {"--help", NULL};
    const char *cmd = "li audit-verify", *n, *v, *log_path = NULL;
    uint64_t entries = 0, line = 0;
    cli_opts it;
    tco_status st;
    long lines;
    int r;

    memset(&it, 0, sizeof(it));
    it.argc = argc;
    it.argv = argv;
    it.cmd = cmd;
    while ((r = cli_next(&it, flags, &n, &v)) == 1) {
        if (strcmp(n, "--help") == 0) {
            printf(
                "usage: tco li audit-verify --log FILE\n"
                "Verify an intercept node's audit log: every entry's SHA-256 hash chains to the\n"
                "one before, sequence numbers run 0, 1, 2, ... without gaps, and the count and\n"
                "last hash agree with the head file FILE.head.\n"
                "Prints 'ok entries=N', or one line on standard error naming the first line\n"
                "that does not verify (or the head file) and exits 1.\n");
            return 0;
        } else if (strcmp(n, "--log") == 0) {
            log_path = v;
        } else {
            return cli_usage(cmd, "unknown option '%s'", n);
        }
    }
    if (r < 0)
        return CLI_EXIT_USAGE;
    if (log_path == NULL || log_path[0] == '\0')
        return cli_usage(cmd, "--log is required");
    st = tco_li_audit_verify(log_path, &entries, &line);
    if (st == TCO_OK) {
        printf("ok entries=%llu\n", (unsigned long long)entries);
        return 0;
    }
    if (st == TCO_ERR_IO)
        return cli_error(cmd, "%s: cannot read: %s", log_path, strerror(errno));
    if (st != TCO_ERR_AUTH)
        return cli_error(cmd, "%s: %s", log_path, tco_strerror(st));
    lines = count_lines(log_path);
    if (lines >= 0 && line > (uint64_t)lines)
        return cli_error(cmd,
                         "%s: the head file %s.head does not match the log's %llu entries "
                         "(entries removed at the end, or the head altered or missing)",
                         log_path, log_path, (unsigned long long)entries);
    return cli_error(cmd, "%s: entry at line %llu does not verify", log_path,
                     (unsigned long long)line);
}

/* ----------------------------------------------------------------------------------------- */
/* SRTP over the RTP packets of a pcap file (li intercept: unprotect; li call: protect) */

typedef struct media {
    const char *cmd;
    int unprotect;
    int linktype, snaplen;
    tco_srtp *s;
    size_t tag_len;
    uint64_t in, rtp, done, copied, failed, over_snaplen;
    const char *first_fail;
    tco_status fatal;
    uint8_t *pay, *out;
    size_t pay_cap, out_cap;
} media;

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

/* RTP version 2 with room for a header (and the tag, to unprotect), not RTCP (RFC 5761). */
static int is_rtp(const media *m, const uint8_t *p, size_t n)
{
    if (n < 12 + (m->unprotect ? m->tag_len : 0) || p[0] >> 6 != 2)
        return 0;
    return !(p[1] >= 200 && p[1] <= 204);
}

static void media_fail(media *m, const char *why)
{
    m->failed++;
    if (m->first_fail == NULL)
        m->first_fail = why;
}

/* Every record of pin: an RTP packet (un)protected and written with its headers fixed;
 * li call copies every other record, li intercept writes only the clear RTP packets.
 * Returns 0, or -1 after a read error (message in err) or a device link error (m->fatal). */
static int media_run(media *m, pio_in *pin, pio_out *pout, char *err, size_t errlen)
{
    cli_progress prog;
    const uint8_t *d;
    pio_hdr h;
    int rd = 0;

    cli_progress_init(&prog);
    while (!m->fatal && (rd = pio_next(pin, &h, &d)) == 1) {
        pio_hdr oh = h;
        pio_udp u;
        const uint8_t *p;
        size_t plen = 0, len = 0;
        tco_status st;

        m->in++;
        cli_progress_tick(&prog, m->cmd, m->in, m->failed);
        if (pio_find_udp(m->linktype, d, h.caplen, h.len, &u) != PIO_UDP ||
            !is_rtp(m, d + u.pay_off, u.pay_len)) {
            if (!m->unprotect) {
                pio_write(pout, &h, d);
                m->copied++;
            }
            continue;
        }
        m->rtp++;
        p = d + u.pay_off;
        if (grow(&m->pay, &m->pay_cap, u.pay_len + GROWTH) != 0 ||
            grow(&m->out, &m->out_cap, h.caplen + GROWTH) != 0) {
            m->fatal = TCO_ERR_NO_MEMORY;
            break;
        }
        st = m->unprotect ? tco_srtp_unprotect(m->s, p, u.pay_len, m->pay, m->pay_cap, &plen)
                          : tco_srtp_protect(m->s, p, u.pay_len, m->pay, m->pay_cap, &plen);
        if (st != TCO_OK) {
            media_fail(m, tco_strerror(st));
            if (link_error(st))
                m->fatal = st;
            continue;
        }
        if (pio_replace_payload(d, h.caplen, &u, m->pay, plen, m->out, m->out_cap, &len) != 0) {
            media_fail(m, "IP or UDP length over 65535");
            continue;
        }
        oh.caplen = (uint32_t)len;
        oh.len = (uint32_t)((long long)h.len + ((long long)len - (long long)h.caplen));
        if (oh.len < oh.caplen)
            oh.len = oh.caplen;
        if (m->snaplen > 0 && oh.caplen > (uint32_t)m->snaplen)
            m->over_snaplen++;
        pio_write(pout, &oh, m->out);
        m->done++;
    }
    cli_progress_end(&prog);
    if (rd == -1)
        snprintf(err, errlen, "%s", pio_error(pin));
    return rd < 0 || m->fatal ? -1 : 0;
}

/* Open the input capture and check its link type. NULL after printing an error. */
static pio_in *open_capture(const char *cmd, const char *path, media *m)
{
    char err[512] = "";
    pio_in *pin = pio_open_in(path, err, sizeof(err));

    if (pin == NULL) {
        cli_error(cmd, "%s", err);
        return NULL;
    }
    m->linktype = pio_linktype(pin);
    m->snaplen = pio_snaplen(pin);
    if (!pio_link_supported(m->linktype)) {
        cli_error(cmd, "%s: link type %d not supported (Ethernet, Linux cooked, raw IP)", path,
                  m->linktype);
        pio_close_in(pin);
        return NULL;
    }
    return pin;
}

/* TEK/salt from the PMK, an SRTP session on dev with them, then the whole file. The PMK is
 * wiped. Returns the exit code; the summary is printed by the caller from *m. */
static int media_file(media *m, tco_dev *dev, const sess_opts *so, uint8_t pmk[16], pio_in *pin,
                      const char *in_path, const char *out_path)
{
    uint8_t ks[30];
    char err[512] = "", cerr[256] = "";
    tco_srtp_policy pol;
    pio_out *pout;
    tco_status st;
    int r;

    st = tco_li_tek(pmk, (uint8_t)so->cs_id, so->csb_id, so->rand, (size_t)so->rand_len, ks,
                    ks + 16);
    OPENSSL_cleanse(pmk, 16);
    memset(&pol, 0, sizeof(pol));
    pol.profile = so->prof;
    if (st == TCO_OK)
        st = tco_srtp_create(dev, &pol, &m->s);
    if (st == TCO_OK)
        st = tco_srtp_add_key(m->s, ks, sizeof(ks), NULL);
    OPENSSL_cleanse(ks, sizeof(ks));
    if (st != TCO_OK)
        return cli_error(m->cmd, "SRTP session: %s", tco_strerror(st));
    m->tag_len = tco_srtp_tag_len(so->prof);
    pout = pio_open_out(out_path, m->linktype, m->snaplen, pio_nano(pin), err, sizeof(err));
    if (pout == NULL)
        return cli_error(m->cmd, "%s", err);
    r = media_run(m, pin, pout, err, sizeof(err));
    if (m->fatal)
        snprintf(err, sizeof(err), "device: %s", tco_strerror(m->fatal));
    st = pio_close_out(pout, cerr, sizeof(cerr)) == 0 ? TCO_OK : TCO_ERR_IO;
    if (m->over_snaplen)
        fprintf(stderr, "tco %s: warning: %llu packets longer than the file's snaplen %d\n", m->cmd,
                (unsigned long long)m->over_snaplen, m->snaplen);
    if (st != TCO_OK)
        return -cli_error(m->cmd, "%s: %s", out_path, cerr);
    if (r != 0)
        return -cli_error(m->cmd, "%s: %s; the output holds the %llu packets written before it",
                          in_path, err, (unsigned long long)(m->done + m->copied));
    if (m->failed)
        return -cli_error(m->cmd, "%llu of %llu RTP packets failed, the first with: %s",
                          (unsigned long long)m->failed, (unsigned long long)m->rtp, m->first_fail);
    return 0;
}

/* ----------------------------------------------------------------------------------------- */
/* tco li intercept: the subscribers and warrants files */

typedef struct sub_ent {
    char target[TCO_LI_ID_MAX + 1];
    uint8_t k[32], m[16];
    size_t klen;
    int has_m;
    unsigned line;
} sub_ent;

typedef struct war_ent {
    tco_li_warrant w;
    unsigned line;
} war_ent;

/* A name as the node takes it: 1..63 printable ASCII characters, no '='. */
static int name_ok(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > TCO_LI_ID_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] <= ' ' || s[i] > '~' || s[i] == '=')
            return 0;
    return 1;
}

/* Whitespace-separated tokens up to a '#' that starts one. Returns their count, or max + 1
 * if there are more than max. */
static int split(char *s, char **tok, int max)
{
    int n = 0;

    for (;;) {
        while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
            s++;
        if (*s == '\0' || *s == '#')
            return n;
        if (n == max)
            return max + 1;
        tok[n++] = s;
        while (*s != '\0' && *s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            s++;
        if (*s != '\0')
            *s++ = '\0';
    }
}

typedef struct lists {
    sub_ent *subs;
    size_t nsubs;
    war_ent *wars;
    size_t nwars;
} lists;

static void lists_free(lists *l)
{
    if (l->subs != NULL)
        OPENSSL_cleanse(l->subs, l->nsubs * sizeof(*l->subs));
    free(l->subs);
    free(l->wars);
    memset(l, 0, sizeof(*l));
}

/* One line of the subscribers file: TARGET K_HEX [MASK_HEX]. NULL, or what is wrong. */
static const char *sub_line(lists *l, char **tok, int nt, unsigned line)
{
    sub_ent e, *g;
    long kl, ml;

    if (nt < 2 || nt > 3)
        return "expected TARGET K_HEX [MASK_HEX]";
    if (!name_ok(tok[0]))
        return "TARGET must be 1..63 printable characters without '='";
    for (size_t i = 0; i < l->nsubs; i++)
        if (strcmp(l->subs[i].target, tok[0]) == 0)
            return "this target is already listed";
    memset(&e, 0, sizeof(e));
    strcpy(e.target, tok[0]);
    e.line = line;
    kl = hex_parse(tok[1], e.k, sizeof(e.k));
    if (kl != 16 && kl != 32) {
        OPENSSL_cleanse(&e, sizeof(e));
        return "K must be 16 or 32 octets of hex";
    }
    e.klen = (size_t)kl;
    if (nt == 3) {
        ml = hex_parse(tok[2], e.m, sizeof(e.m));
        if (ml != 16 || kl != 16) {
            OPENSSL_cleanse(&e, sizeof(e));
            return "MASK must be 16 octets of hex, with a K of 16 octets";
        }
        e.has_m = 1;
    }
    g = realloc(l->subs, (l->nsubs + 1) * sizeof(*g));
    if (g == NULL) {
        OPENSSL_cleanse(&e, sizeof(e));
        return "out of memory";
    }
    l->subs = g;
    l->subs[l->nsubs++] = e;
    OPENSSL_cleanse(&e, sizeof(e));
    return NULL;
}

/* One line of the warrants file: ID TARGET AUTHORITY NOT_BEFORE NOT_AFTER. */
static const char *war_line(lists *l, char **tok, int nt, unsigned line)
{
    war_ent e, *g;

    if (nt != 5)
        return "expected ID TARGET AUTHORITY NOT_BEFORE NOT_AFTER";
    if (!name_ok(tok[0]) || !name_ok(tok[1]) || !name_ok(tok[2]))
        return "ID, TARGET and AUTHORITY must be 1..63 printable characters without '='";
    memset(&e, 0, sizeof(e));
    strcpy(e.w.id, tok[0]);
    strcpy(e.w.target, tok[1]);
    strcpy(e.w.authority, tok[2]);
    e.line = line;
    if (i64_parse(tok[3], &e.w.not_before) != 0 || i64_parse(tok[4], &e.w.not_after) != 0)
        return "NOT_BEFORE and NOT_AFTER must be seconds since the epoch";
    if (e.w.not_after < e.w.not_before)
        return "NOT_AFTER is before NOT_BEFORE";
    g = realloc(l->wars, (l->nwars + 1) * sizeof(*g));
    if (g == NULL)
        return "out of memory";
    l->wars = g;
    l->wars[l->nwars++] = e;
    return NULL;
}

/* Read one of the two files. 0, or 1 after printing "FILE:LINE: what". */
static int read_list(const char *cmd, const char *path, lists *l, int warrants)
{
    char *buf = NULL, *tok[6];
    size_t cap = 0;
    unsigned line = 0;
    const char *bad = NULL;
    FILE *f = fopen(path, "r");
    int rc = 0;

    if (f == NULL)
        return cli_error(cmd, "%s: %s", path, strerror(errno));
    while (getline(&buf, &cap, f) != -1) {
        int nt;
        line++;
        nt = split(buf, tok, 5);
        if (nt == 0)
            continue;
        bad = warrants ? war_line(l, tok, nt, line) : sub_line(l, tok, nt, line);
        if (bad != NULL) {
            rc = cli_error(cmd, "%s:%u: %s", path, line, bad);
            break;
        }
    }
    if (rc == 0 && ferror(f))
        rc = cli_error(cmd, "%s: read error", path);
    if (buf != NULL)
        OPENSSL_cleanse(buf, cap); /* the subscribers' keys */
    free(buf);
    fclose(f);
    return rc;
}

/* ----------------------------------------------------------------------------------------- */
/* tco li intercept */

static void intercept_help(void)
{
    printf("usage: tco [--dev URI] li intercept --subscribers FILE --warrants FILE --audit LOG\n"
           "           --target ID --time T (--nonce HEX | --dh-rand HEX --peer-pub HEX)\n"
           "           --cs-id N --csb-id HEX --rand HEX [--profile NAME]\n"
           "           --in IN.pcap --out OUT.pcap\n"
           "The lawful intercept node (docs/li.md): provisions the subscribers (keys into\n"
           "HMAC-only slots of the device) and warrants, asks for the key release of the\n"
           "target's session at time T, and only if a warrant names the target and covers T\n"
           "derives TEK and salt and unprotects the target's SRTP packets. Every step, the\n"
           "release or the refusal, is written to the hash-chained audit log LOG (created if\n"
           "missing; an existing log must verify, and is appended to).\n"
           "  --subscribers FILE  lines 'TARGET K_HEX [MASK_HEX]' (K 16 or 32 octets; MASK 16\n"
           "                      octets, for KDF2, with a K of 16)\n"
           "  --warrants FILE     lines 'ID TARGET AUTHORITY NOT_BEFORE NOT_AFTER' (seconds\n"
           "                      since the epoch, both ends inclusive)\n"
           "                      in both files '#' starts a comment; blank lines are skipped\n"
           "  --target ID         the intercepted subscriber; --time T: the session's time\n"
           "  --nonce HEX         nonce variant: PMK = MIKEY-PRF(k, nonce), 1..%u octets\n"
           "  --dh-rand HEX       X25519 variant: x = MIKEY-PRF(k, dh-rand), 1..%u octets, with\n"
           "  --peer-pub HEX      the peer's X25519 public value seen on the path, 32 octets\n"
           "  --cs-id N --csb-id HEX --rand HEX  as 'tco li tek'\n"
           "  --profile NAME      AES_CM_128_HMAC_SHA1_80 (default) or AES_CM_128_HMAC_SHA1_32\n"
           "  --in, --out         pcap files (Ethernet, Linux cooked, raw IP)\n"
           "Every UDP payload that is RTP version 2 (not RTCP), of any SSRC, is unprotected;\n"
           "the clear RTP packets are written to OUT.pcap with their link, IP and UDP headers\n"
           "and timestamps (lengths and checksums fixed); nothing else is written. Prints\n"
           "'decrypted=N failed=M'; exit code 1 if a packet failed. Without a valid warrant:\n"
           "one line on standard error, exit code 1, and OUT.pcap is not created. No key is\n"
           "ever printed.\n",
           RAND_MAX_LEN, RAND_MAX_LEN);
}

static int li_intercept(int argc, char **argv, const char *uri)
{
    static const char *const flags[] = {"--help", NULL};
    const char *cmd = "li intercept", *n, *v;
    const char *subs_path = NULL, *wars_path = NULL, *log_path = NULL, *target = NULL;
    const char *in_path = NULL, *out_path = NULL;
    uint8_t nonce[RAND_MAX_LEN], dh_rand[RAND_MAX_LEN], peer_pub[32], pmk[16];
    long nl = -1, dl = -1, ppl = -1;
    int64_t t = 0;
    int have_time = 0;
    static sess_opts so;
    lists l;
    tco_dev *dev = NULL;
    tco_info info;
    tco_li *li = NULL;
    pio_in *pin = NULL;
    media m;
    cli_opts it;
    tco_status st;
    int r, rc = 0;

    memset(&so, 0, sizeof(so));
    so.rand_len = -1;
    so.prof = TCO_SRTP_AES128_CM_SHA1_80;
    memset(&l, 0, sizeof(l));
    memset(&m, 0, sizeof(m));
    m.cmd = cmd;
    m.unprotect = 1;
    memset(&it, 0, sizeof(it));
    it.argc = argc;
    it.argv = argv;
    it.cmd = cmd;
    while ((r = cli_next(&it, flags, &n, &v)) == 1) {
        if (strcmp(n, "--help") == 0) {
            intercept_help();
            return 0;
        } else if (strcmp(n, "--dev") == 0) {
            uri = v;
        } else if (strcmp(n, "--subscribers") == 0) {
            subs_path = v;
        } else if (strcmp(n, "--warrants") == 0) {
            wars_path = v;
        } else if (strcmp(n, "--audit") == 0) {
            log_path = v;
        } else if (strcmp(n, "--target") == 0) {
            target = v;
            if (!name_ok(v))
                return cli_usage(cmd, "--target must be 1..63 printable characters without '='");
        } else if (strcmp(n, "--time") == 0) {
            if (i64_parse(v, &t) != 0)
                return cli_usage(cmd, "--time must be seconds since the epoch");
            have_time = 1;
        } else if (strcmp(n, "--nonce") == 0) {
            nl = hex_arg(v, nonce, 1, sizeof(nonce), 0);
            if (nl < 0)
                return cli_usage(cmd, "--nonce must be 1..%u octets of hex", RAND_MAX_LEN);
        } else if (strcmp(n, "--dh-rand") == 0) {
            dl = hex_arg(v, dh_rand, 1, sizeof(dh_rand), 0);
            if (dl < 0)
                return cli_usage(cmd, "--dh-rand must be 1..%u octets of hex", RAND_MAX_LEN);
        } else if (strcmp(n, "--peer-pub") == 0) {
            ppl = hex_arg(v, peer_pub, 32, sizeof(peer_pub), 0);
            if (ppl < 0)
                return cli_usage(cmd, "--peer-pub must be 32 octets of hex");
        } else if (strcmp(n, "--in") == 0) {
            in_path = v;
        } else if (strcmp(n, "--out") == 0) {
            out_path = v;
        } else if ((r = sess_opt(cmd, &so, n, v)) != 0) {
            if (r < 0)
                return CLI_EXIT_USAGE;
        } else {
            return cli_usage(cmd, "unknown option '%s'", n);
        }
    }
    if (r < 0)
        return CLI_EXIT_USAGE;
    if (subs_path == NULL || wars_path == NULL || log_path == NULL || log_path[0] == '\0' ||
        target == NULL || !have_time || !so.have_cs || !so.have_csb || so.rand_len < 0 ||
        in_path == NULL || out_path == NULL)
        return cli_usage(cmd, "--subscribers, --warrants, --audit, --target, --time, --cs-id, "
                              "--csb-id, --rand, --in and --out are required");
    if ((nl >= 0) == (dl >= 0 || ppl >= 0) || (dl >= 0) != (ppl >= 0))
        return cli_usage(cmd, "give either --nonce, or --dh-rand and --peer-pub");
    if (same_file(in_path, out_path))
        return cli_usage(cmd, "--in and --out are the same file");

    /* the lists, the device and the capture before the node: an error in any of them leaves
     * the audit log as it was and releases nothing */
    if ((rc = read_list(cmd, subs_path, &l, 0)) != 0 ||
        (rc = read_list(cmd, wars_path, &l, 1)) != 0)
        goto out;
    if ((rc = cli_open_dev(cmd, uri, &dev)) != 0)
        goto out;
    if (tco_get_info(dev, &info) != TCO_OK || !(info.caps & TCO_CAP_SRTP)) {
        rc = cli_error(cmd, "device '%s' has no SRTP engine (TCO_CAP_SRTP)", uri);
        goto out;
    }
    if ((pin = open_capture(cmd, in_path, &m)) == NULL) {
        rc = 1;
        goto out;
    }
    st = tco_li_create(dev, log_path, NULL, &li);
    if (st == TCO_ERR_AUTH) {
        rc = cli_error(cmd,
                       "%s: the audit log does not verify (see tco li audit-verify); the "
                       "node does not extend it",
                       log_path);
        goto out;
    } else if (st != TCO_OK) {
        rc = cli_error(cmd, "%s: audit log: %s", log_path, tco_strerror(st));
        goto out;
    }
    for (size_t i = 0; i < l.nsubs; i++) {
        sub_ent *s = &l.subs[i];
        st = tco_li_add_subscriber(li, s->target, s->k, s->klen, s->has_m ? s->m : NULL);
        if (st != TCO_OK) {
            rc = cli_error(cmd, "%s:%u: subscriber %s: %s", subs_path, s->line, s->target,
                           tco_strerror(st));
            goto out;
        }
    }
    OPENSSL_cleanse(l.subs, l.nsubs * sizeof(*l.subs)); /* the keys are in the slots now */
    for (size_t i = 0; i < l.nwars; i++) {
        st = tco_li_add_warrant(li, &l.wars[i].w);
        if (st != TCO_OK) {
            rc = cli_error(cmd, "%s:%u: warrant %s: %s", wars_path, l.wars[i].line, l.wars[i].w.id,
                           tco_strerror(st));
            goto out;
        }
    }
    if (nl >= 0)
        st = tco_li_release_pmk(li, target, t, nonce, (size_t)nl, pmk);
    else
        st = tco_li_release_dh_pmk(li, target, t, dh_rand, (size_t)dl, peer_pub, pmk);
    if (st == TCO_ERR_NO_WARRANT) {
        rc = cli_error(cmd, "%s", tco_strerror(st));
        goto out;
    } else if (st == TCO_ERR_STATE) {
        rc = cli_error(cmd, "a warrant names target %s, but it is not in %s", target, subs_path);
        goto out;
    } else if (st != TCO_OK) {
        rc = cli_error(cmd, "key release: %s", tco_strerror(st));
        goto out;
    }
    tco_li_free(li); /* the subscribers' slots erased before the media work */
    li = NULL;
    r = media_file(&m, dev, &so, pmk, pin, in_path, out_path);
    if (m.s != NULL && (r <= 0))
        fprintf(strcmp(out_path, "-") == 0 ? stderr : stdout, "decrypted=%llu failed=%llu\n",
                (unsigned long long)m.done, (unsigned long long)m.failed);
    rc = r < 0 ? -r : r;
out:
    OPENSSL_cleanse(pmk, sizeof(pmk));
    lists_free(&l);
    tco_li_free(li);
    tco_srtp_free(m.s);
    free(m.pay);
    free(m.out);
    tco_close(dev);
    pio_close_in(pin);
    return rc;
}

/* ----------------------------------------------------------------------------------------- */
/* tco li call */

static void call_help(void)
{
    printf("usage: tco [--dev URI] li call --k HEX (--nonce HEX | --dh-rand HEX\n"
           "           [--peer-priv HEX]) --cs-id N --csb-id HEX --rand HEX [--profile NAME]\n"
           "           --in RTP.pcap --out SRTP.pcap\n"
           "The target terminal's side of a session (test material for 'tco li intercept'):\n"
           "the PMK from k in a key slot of the device, TEK and salt as 'tco li tek', and every\n"
           "RTP packet of RTP.pcap protected with them into SRTP.pcap.\n"
           "  --k HEX          subscriber key, 16 or 32 octets\n"
           "  --nonce HEX      nonce variant: PMK = MIKEY-PRF(k, nonce), 1..%u octets\n"
           "  --dh-rand HEX    X25519 variant: x = MIKEY-PRF(k, dh-rand), 1..%u octets; the\n"
           "  --peer-priv HEX  peer's private value, 32 octets (default: random); PMK =\n"
           "                   MIKEY-PRF(X25519(x, peer public), dh-rand); prints peer_pub=\n"
           "  --cs-id N --csb-id HEX --rand HEX  as 'tco li tek'\n"
           "  --profile NAME   AES_CM_128_HMAC_SHA1_80 (default) or AES_CM_128_HMAC_SHA1_32\n"
           "A UDP payload that is RTP version 2 (not RTCP) is protected; every other packet is\n"
           "copied unchanged. Prints 'protected=N copied=C failed=M'; exit code 1 if a packet\n"
           "failed. k and the peer's private value are cleared from the argument list once\n"
           "read; no key is printed.\n",
           RAND_MAX_LEN, RAND_MAX_LEN);
}

static int li_call(int argc, char **argv, const char *uri)
{
    static const char *const flags[] = {"--help", NULL};
    const char *cmd = "li call", *n, *v, *in_path = NULL, *out_path = NULL;
    uint8_t k[32], nonce[RAND_MAX_LEN], dh_rand[RAND_MAX_LEN], y[32], x[32], pub[32], pmk[16];
    long kl = -1, nl = -1, dl = -1, yl = -1;
    static sess_opts so;
    tco_dev *dev = NULL;
    tco_info info;
    tco_slot s = 0;
    int have_slot = 0;
    pio_in *pin = NULL;
    FILE *info_out;
    media m;
    cli_opts it;
    tco_status st;
    int r, rc = 0;

    memset(&so, 0, sizeof(so));
    so.rand_len = -1;
    so.prof = TCO_SRTP_AES128_CM_SHA1_80;
    memset(&m, 0, sizeof(m));
    m.cmd = cmd;
    memset(&it, 0, sizeof(it));
    it.argc = argc;
    it.argv = argv;
    it.cmd = cmd;
    while ((r = cli_next(&it, flags, &n, &v)) == 1) {
        if (strcmp(n, "--help") == 0) {
            call_help();
            goto out;
        } else if (strcmp(n, "--dev") == 0) {
            uri = v;
        } else if (strcmp(n, "--k") == 0) {
            kl = hex_arg(v, k, 16, sizeof(k), 1);
            if (kl != 16 && kl != 32) {
                kl = -1;
                rc = cli_usage(cmd, "--k must be 16 or 32 octets of hex");
                goto out;
            }
        } else if (strcmp(n, "--nonce") == 0) {
            nl = hex_arg(v, nonce, 1, sizeof(nonce), 0);
            if (nl < 0) {
                rc = cli_usage(cmd, "--nonce must be 1..%u octets of hex", RAND_MAX_LEN);
                goto out;
            }
        } else if (strcmp(n, "--dh-rand") == 0) {
            dl = hex_arg(v, dh_rand, 1, sizeof(dh_rand), 0);
            if (dl < 0) {
                rc = cli_usage(cmd, "--dh-rand must be 1..%u octets of hex", RAND_MAX_LEN);
                goto out;
            }
        } else if (strcmp(n, "--peer-priv") == 0) {
            yl = hex_arg(v, y, 32, sizeof(y), 1);
            if (yl < 0) {
                rc = cli_usage(cmd, "--peer-priv must be 32 octets of hex");
                goto out;
            }
        } else if (strcmp(n, "--in") == 0) {
            in_path = v;
        } else if (strcmp(n, "--out") == 0) {
            out_path = v;
        } else if ((r = sess_opt(cmd, &so, n, v)) != 0) {
            if (r < 0) {
                rc = CLI_EXIT_USAGE;
                goto out;
            }
        } else {
            rc = cli_usage(cmd, "unknown option '%s'", n);
            goto out;
        }
    }
    if (r < 0) {
        rc = CLI_EXIT_USAGE;
        goto out;
    }
    if (kl < 0 || !so.have_cs || !so.have_csb || so.rand_len < 0 || in_path == NULL ||
        out_path == NULL) {
        rc = cli_usage(cmd, "--k, --cs-id, --csb-id, --rand, --in and --out are required");
        goto out;
    }
    if ((nl >= 0) == (dl >= 0) || (yl >= 0 && dl < 0)) {
        rc = cli_usage(cmd, "give either --nonce, or --dh-rand (and optionally --peer-priv)");
        goto out;
    }
    if (same_file(in_path, out_path)) {
        rc = cli_usage(cmd, "--in and --out are the same file");
        goto out;
    }
    info_out = strcmp(out_path, "-") == 0 ? stderr : stdout;
    if ((rc = cli_open_dev(cmd, uri, &dev)) != 0)
        goto out;
    if (tco_get_info(dev, &info) != TCO_OK || !(info.caps & TCO_CAP_SRTP)) {
        rc = cli_error(cmd, "device '%s' has no SRTP engine (TCO_CAP_SRTP)", uri);
        goto out;
    }
    if ((pin = open_capture(cmd, in_path, &m)) == NULL) {
        rc = 1;
        goto out;
    }
    st = tco_slot_alloc(dev, &s);
    if (st == TCO_OK) {
        have_slot = 1;
        st = tco_key_load(dev, s, k, (size_t)kl, TCO_USE_HMAC);
    }
    OPENSSL_cleanse(k, sizeof(k));
    if (st == TCO_OK && nl >= 0) {
        st = tco_li_pmk(dev, s, nonce, (size_t)nl, pmk);
    } else if (st == TCO_OK) {
        st = tco_li_dh_x(dev, s, dh_rand, (size_t)dl, x);
        if (st == TCO_OK && yl < 0 && RAND_bytes(y, sizeof(y)) != 1)
            st = TCO_ERR_CRYPTO;
        if (st == TCO_OK)
            st = tco_li_dh_public(y, pub); /* the peer's public value, sent on the path */
        if (st == TCO_OK)
            st = tco_li_dh_pmk(x, pub, dh_rand, (size_t)dl, pmk); /* the terminal's side */
    }
    if (have_slot)
        (void)tco_key_erase(dev, s);
    have_slot = 0;
    if (st != TCO_OK) {
        rc = cli_error(cmd, "PMK: %s", tco_strerror(st));
        goto out;
    }
    if (dl >= 0)
        hex_print(info_out, "peer_pub", pub, 32);
    r = media_file(&m, dev, &so, pmk, pin, in_path, out_path);
    if (m.s != NULL && r <= 0)
        fprintf(info_out, "protected=%llu copied=%llu failed=%llu\n", (unsigned long long)m.done,
                (unsigned long long)m.copied, (unsigned long long)m.failed);
    rc = r < 0 ? -r : r;
out:
    if (have_slot)
        (void)tco_key_erase(dev, s);
    OPENSSL_cleanse(k, sizeof(k));
    OPENSSL_cleanse(x, sizeof(x));
    OPENSSL_cleanse(y, sizeof(y));
    OPENSSL_cleanse(pmk, sizeof(pmk));
    tco_srtp_free(m.s);
    free(m.pay);
    free(m.out);
    tco_close(dev);
    pio_close_in(pin);
    return rc;
}

/* ----------------------------------------------------------------------------------------- */

static void li_help(void)
{
    printf("usage: tco [--dev URI] li COMMAND [OPTIONS]\n"
           "Lawful interception of end-to-end SRTP (docs/li.md):\n"
           "  pmk           PMK = MIKEY-PRF(k, nonce), k in a key slot of the device\n"
           "  tek           SRTP master key and salt from a PMK\n"
           "  kdf2          k' = AES-128(k xor m, r)\n"
           "  intercept     the intercept node: warrants, key release, SRTP unprotect of a pcap\n"
           "  call          the target terminal's side: SRTP protect of a pcap (test material)\n"
           "  audit-verify  check the node's hash-chained audit log\n"
           "'tco li COMMAND --help' for each; 'tco mikey-prf' is the PRF itself.\n");
}

int cmd_li(int argc, char **argv, const char *uri)
{
    if (argc < 1)
        return cli_usage("li", "a command expected: pmk, tek, kdf2, intercept, call or "
                               "audit-verify");
    if (strcmp(argv[0], "--help") == 0) {
        li_help();
        return 0;
    }
    if (strcmp(argv[0], "pmk") == 0)
        return li_pmk(argc - 1, argv + 1, uri);
    if (strcmp(argv[0], "tek") == 0)
        return li_tek(argc - 1, argv + 1);
    if (strcmp(argv[0], "kdf2") == 0)
        return li_kdf2(argc - 1, argv + 1);
    if (strcmp(argv[0], "audit-verify") == 0)
        return li_audit_verify(argc - 1, argv + 1);
    if (strcmp(argv[0], "intercept") == 0)
        return li_intercept(argc - 1, argv + 1, uri);
    if (strcmp(argv[0], "call") == 0)
        return li_call(argc - 1, argv + 1, uri);
    return cli_usage("li", "unknown command (pmk, tek, kdf2, intercept, call or audit-verify)");
}
