/* SPDX-License-Identifier: Apache-2.0 */
/* tco: command-line front end of the host library. Output is one `name=hex` line per value;
 * bad arguments give a one-line error and exit code 2, device/library errors exit code 1. */
#include "aka_cmds.h"
#include "hexarg.h"
#include "li_cmds.h"
#include "mbms_cmds.h"
#include "media_cmds.h"
#include "tco.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_USAGE 2
#define DEFAULT_DEV "sim:" /* the simulated RTL device; "soft:" is OpenSSL in process */

static const char *prog = "tco";

static int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s%s%s: ", prog, cmd ? " " : "", cmd ? cmd : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (try '%s%s%s --help')\n", prog, cmd ? " " : "", cmd ? cmd : "");
    return EXIT_USAGE;
}

static int fail(const char *cmd, const char *what, tco_status st)
{
    fprintf(stderr, "%s %s: %s: %s\n", prog, cmd, what, tco_strerror(st));
    return 1;
}

/* Option scanner: "--name VALUE" or "--name=VALUE"; flags take no value. */
typedef struct opt_iter {
    int argc, i;
    char **argv;
    const char *cmd;
} opt_iter;

/* Returns 1 with name and val set, 0 at the end, -1 after printing a usage error. */
static int next_opt(opt_iter *it, const char *const *flags, const char **name, const char **val)
{
    static char buf[64];
    const char *a, *eq;

    if (it->i >= it->argc)
        return 0;
    a = it->argv[it->i++];
    if (strncmp(a, "--", 2) != 0) {
        usage_error(it->cmd, "unexpected argument '%s'", a);
        return -1;
    }
    eq = strchr(a, '=');
    if (eq != NULL) {
        size_t n = (size_t)(eq - a);
        if (n >= sizeof(buf)) {
            usage_error(it->cmd, "unknown option '%s'", a);
            return -1;
        }
        memcpy(buf, a, n);
        buf[n] = '\0';
        *name = buf;
        *val = eq + 1;
        return 1;
    }
    *name = a;
    for (size_t k = 0; flags && flags[k]; k++) {
        if (strcmp(a, flags[k]) == 0) {
            *val = NULL;
            return 1;
        }
    }
    if (it->i >= it->argc) {
        usage_error(it->cmd, "option '%s' needs a value", a);
        return -1;
    }
    *val = it->argv[it->i++];
    return 1;
}

/* The library's warnings (a fallback to soft:, resends on a faulty link) go to stderr, so an
 * auto: fallback is never silent on the command line either; its last error (why an open
 * failed: e.g. which USB device was not found) joins the command's one error line. */
static char last_error[256];
static void log_warn(void *user, tco_log_level level, const char *msg)
{
    (void)user;
    if (level == TCO_LOG_ERROR)
        snprintf(last_error, sizeof(last_error), "%s", msg);
    else if (level == TCO_LOG_WARN)
        fprintf(stderr, "%s: %s\n", prog, msg);
}

static int open_dev(const char *cmd, const char *uri, tco_dev **dev)
{
    tco_open_opts o;
    tco_status st;

    memset(&o, 0, sizeof(o));
    o.log = log_warn;
    o.log_level = TCO_LOG_WARN;
    last_error[0] = '\0';
    st = tco_open_ex(dev, uri, &o);
    if (st == TCO_ERR_BAD_URI || st == TCO_ERR_UNSUPPORTED) {
        fprintf(stderr, "%s %s: cannot open device '%s': %s\n", prog, cmd, uri, tco_strerror(st));
        return EXIT_USAGE;
    }
    if (st != TCO_OK) {
        fprintf(stderr, "%s %s: cannot open device '%s': %s%s%s%s\n", prog, cmd, uri,
                tco_strerror(st), last_error[0] ? " (" : "", last_error, last_error[0] ? ")" : "");
        return 1;
    }
    return 0;
}

static void print_slot(tco_dev *dev, const char *name, tco_slot s)
{
    uint8_t k[32];
    size_t n = 0;

    if (tco_key_read(dev, s, k, sizeof(k), &n) == TCO_OK)
        hex_print(stdout, name, k, n);
    else
        printf("%s=(kept in device)\n", name);
    memset(k, 0, sizeof(k));
}

/* ---------------------------------------------------------------------------------------- */

static int cmd_info(int argc, char **argv, const char *uri)
{
    static const char *const flags[] = {"--help", NULL};
    opt_iter it = {argc, 0, argv, "info"};
    const char *n, *v;
    tco_info info;
    tco_dev *dev;
    int r;

    while ((r = next_opt(&it, flags, &n, &v)) == 1) {
        if (strcmp(n, "--help") == 0) {
            printf("usage: tco [--dev URI] info\n"
                   "Print backend=, version=, caps= (hex bit mask), slots=, max_data=, cycles=.\n");
            return 0;
        } else if (strcmp(n, "--dev") == 0) {
            uri = v;
        } else {
            return usage_error("info", "unknown option '%s'", n);
        }
    }
    if (r < 0)
        return EXIT_USAGE;
    if ((r = open_dev("info", uri, &dev)) != 0)
        return r;
    if (tco_get_info(dev, &info) != TCO_OK) {
        tco_close(dev);
        return fail("info", "get_info", TCO_ERR_IO);
    }
    printf("backend=%s\nversion=%s\ncaps=%08x\nslots=%u\nmax_data=%u\ncycles=%llu\n",
           info.backend, info.version, info.caps, info.num_slots, info.max_data,
           (unsigned long long)info.cycles);
    if (info.fallback) /* auto: running on soft: */
        printf("fallback=%s\n", info.fallback == TCO_FALLBACK_NO_DEVICE ? "no-device"
                                                                       : "device-failed");
    tco_close(dev);
    return 0;
}

static int cmd_selftest(int argc, char **argv, const char *uri)
{
    static const char *const flags[] = {"--help", NULL};
    opt_iter it = {argc, 0, argv, "selftest"};
    const char *n, *v;
    tco_dev *dev;
    tco_status st;
    int r;

    while ((r = next_opt(&it, flags, &n, &v)) == 1) {
        if (strcmp(n, "--help") == 0) {
            printf("usage: tco [--dev URI] selftest\n"
                   "Open the device (which runs the known-answer self-test) and run it again;\n"
                   "prints selftest=pass or exits 1.\n");
            return 0;
        } else if (strcmp(n, "--dev") == 0) {
            uri = v;
        } else {
            return usage_error("selftest", "unknown option '%s'", n);
        }
    }
    if (r < 0)
        return EXIT_USAGE;
    if ((r = open_dev("selftest", uri, &dev)) != 0)
        return r;
    st = tco_selftest(dev);
    tco_close(dev);
    if (st != TCO_OK)
        return fail("selftest", "self-test", st);
    printf("selftest=pass\n");
    return 0;
}

static int cmd_kdf(int argc, char **argv, const char *uri)
{
    static const char *const flags[] = {"--help", NULL};
    opt_iter it = {argc, 0, argv, "kdf"};
    static uint8_t pbuf[TCO_KDF_MAX_PARAMS][TCO_KDF_MAX_S];
    tco_kdf_param p[TCO_KDF_MAX_PARAMS];
    uint8_t key[32], out[32];
    long klen = -1;
    unsigned long fc = 0x100;
    size_t np = 0;
    const char *n, *v;
    tco_dev *dev;
    tco_slot s;
    tco_status st;
    int r;

    memset(p, 0, sizeof(p));
    while ((r = next_opt(&it, flags, &n, &v)) == 1) {
        if (strcmp(n, "--help") == 0) {
            printf("usage: tco [--dev URI] kdf --key HEX --fc HEX [--p HEX]...\n"
                   "3GPP KDF (TS 33.220 B.2): out = HMAC-SHA-256(key, FC || P0 || L0 || ...).\n"
                   "  --key HEX  16 or 32 octets\n"
                   "  --fc HEX   function code, 00..fe\n"
                   "  --p HEX    one parameter Pi (may be empty); its Li is computed; up to %d\n"
                   "Prints out=<32 octets>.\n", TCO_KDF_MAX_PARAMS);
            return 0;
        } else if (strcmp(n, "--dev") == 0) {
            uri = v;
        } else if (strcmp(n, "--key") == 0) {
            klen = hex_parse(v, key, sizeof(key));
            if (klen != 16 && klen != 32)
                return usage_error("kdf", "--key must be 16 or 32 octets of hex");
        } else if (strcmp(n, "--fc") == 0) {
            long fl = hex_parse(v, out, 1);
            if (fl != 1 || out[0] == 0xff)
                return usage_error("kdf", "--fc must be one octet of hex, 00..fe");
            fc = out[0];
        } else if (strcmp(n, "--p") == 0) {
            long pl;
            if (np == TCO_KDF_MAX_PARAMS)
                return usage_error("kdf", "at most %d --p parameters", TCO_KDF_MAX_PARAMS);
            pl = hex_parse(v, pbuf[np], sizeof(pbuf[np]));
            if (pl < 0)
                return usage_error("kdf", "--p must be hex, at most %d octets", TCO_KDF_MAX_S);
            p[np].data = pbuf[np];
            p[np].len = (size_t)pl;
            np++;
        } else {
            return usage_error("kdf", "unknown option '%s'", n);
        }
    }
    if (r < 0)
        return EXIT_USAGE;
    if (klen < 0)
        return usage_error("kdf", "--key is required");
    if (fc > 0xfe)
        return usage_error("kdf", "--fc is required");
    if ((r = open_dev("kdf", uri, &dev)) != 0)
        return r;
    st = tco_slot_alloc(dev, &s);
    if (st == TCO_OK)
        st = tco_key_load(dev, s, key, (size_t)klen, TCO_USE_KDF_OUT);
    if (st == TCO_OK)
        st = tco_kdf(dev, s, (uint8_t)fc, p, np, out);
    memset(key, 0, sizeof(key));
    tco_close(dev);
    if (st == TCO_ERR_RANGE)
        return usage_error("kdf", "S = FC || P0 || L0 || ... longer than %d octets", TCO_KDF_MAX_S);
    if (st != TCO_OK)
        return fail("kdf", "derivation", st);
    hex_print(stdout, "out", out, 32);
    return 0;
}

static int cmd_handover(int argc, char **argv, const char *uri)
{
    static const char *const flags[] = {"--help", "--idle", NULL};
    opt_iter it = {argc, 0, argv, "handover"};
    uint8_t kasme[32], ck[16], ik[16], kc[8];
    long klen = -1;
    unsigned long count = 0;
    int have_count = 0, idle = 0, target = -1;
    const char *n, *v;
    tco_eps_ctx *ctx = NULL;
    tco_mapped_keys mk;
    tco_dev *dev;
    tco_slot ks;
    tco_status st;
    size_t len;
    int r;

    while ((r = next_opt(&it, flags, &n, &v)) == 1) {
        if (strcmp(n, "--help") == 0) {
            printf("usage: tco [--dev URI] handover --kasme HEX --count N --target utran|geran "
                   "[--idle]\n"
                   "CK' || IK' = KDF(K_ASME, FC || COUNT || 00 04) (TS 33.401 A.8 / A.13).\n"
                   "  --kasme HEX  K_ASME, 32 octets\n"
                   "  --count N    NAS COUNT, 0..16777215 (decimal or 0x hex): the downlink\n"
                   "               COUNT for a handover (FC 0x16), the uplink COUNT with --idle\n"
                   "               (idle-mode RAU, FC 0x1B)\n"
                   "  --target     utran, or geran (also prints Kc = c3(CK', IK'))\n"
                   "Prints ck=, ik= and for geran kc=.\n");
            return 0;
        } else if (strcmp(n, "--dev") == 0) {
            uri = v;
        } else if (strcmp(n, "--kasme") == 0) {
            klen = hex_parse(v, kasme, sizeof(kasme));
            if (klen != 32)
                return usage_error("handover", "--kasme must be 32 octets of hex");
        } else if (strcmp(n, "--count") == 0) {
            if (num_parse(v, TCO_NAS_COUNT_MAX, &count) != 0)
                return usage_error("handover", "--count must be 0..%u", TCO_NAS_COUNT_MAX);
            have_count = 1;
        } else if (strcmp(n, "--target") == 0) {
            if (strcmp(v, "utran") == 0)
                target = TCO_RAT_UTRAN;
            else if (strcmp(v, "geran") == 0)
                target = TCO_RAT_GERAN;
            else
                return usage_error("handover", "--target must be utran or geran");
        } else if (strcmp(n, "--idle") == 0) {
            idle = 1;
        } else {
            return usage_error("handover", "unknown option '%s'", n);
        }
    }
    if (r < 0)
        return EXIT_USAGE;
    if (klen < 0 || !have_count || target < 0)
        return usage_error("handover", "--kasme, --count and --target are required");
    if ((r = open_dev("handover", uri, &dev)) != 0)
        return r;
    /* The network side: the MME derives CK'/IK' (exportable: they go to the SGSN). */
    st = tco_slot_alloc(dev, &ks);
    if (st == TCO_OK)
        st = tco_key_load(dev, ks, kasme, 32, TCO_USE_KDF | TCO_USE_KDF_OUT);
    memset(kasme, 0, sizeof(kasme));
    if (st == TCO_OK)
        st = tco_eps_ctx_new(dev, TCO_ROLE_NETWORK, ks, (uint32_t)count, 0, 1, &ctx);
    if (st == TCO_OK)
        st = tco_eps_transfer_start(ctx, idle ? TCO_TRANSFER_IDLE : TCO_TRANSFER_HANDOVER,
                                    (tco_rat)target, (uint32_t)count, &mk);
    if (st == TCO_OK)
        st = tco_key_read(dev, mk.ck_slot, ck, sizeof(ck), &len);
    if (st == TCO_OK)
        st = tco_key_read(dev, mk.ik_slot, ik, sizeof(ik), &len);
    if (st == TCO_OK && target == TCO_RAT_GERAN)
        st = tco_sgsn_geran_kc(dev, ck, ik, kc); /* the SGSN's step */
    tco_eps_ctx_free(ctx);
    tco_close(dev);
    if (st != TCO_OK)
        return fail("handover", "derivation", st);
    hex_print(stdout, "ck", ck, 16);
    hex_print(stdout, "ik", ik, 16);
    if (target == TCO_RAT_GERAN)
        hex_print(stdout, "kc", kc, 8);
    return 0;
}

static int cmd_hspa(int argc, char **argv, const char *uri)
{
    static const char *const flags[] = {"--help", NULL};
    opt_iter it = {argc, 0, argv, "hspa"};
    uint8_t ckik[32], fresh[TCO_HSPA_FRESH_MAX];
    long cl = -1, il = -1, fl = 0;
    unsigned long ncc = 0, alg = 1;
    const char *n, *v;
    tco_hspa *h = NULL;
    tco_dev *dev;
    tco_slot s, k0 = 0, kn = 0, cku = 0, iku = 0;
    unsigned cur = 0;
    tco_status st;
    int r;

    while ((r = next_opt(&it, flags, &n, &v)) == 1) {
        if (strcmp(n, "--help") == 0) {
            printf("usage: tco [--dev URI] hspa --ck HEX --ik HEX [--fresh HEX] [--ncc N] "
                   "[--alg N]\n"
                   "HSPA+ enhanced keys (project definition, docs/derivations.md):\n"
                   "  K_RNC      = KDF(CK||IK, F0 || F || len(F))\n"
                   "  K_RNC*(n)  = KDF(CK||IK, F1 || K_RNC*(n-1) || 00 20 || n || 00 01)\n"
                   "  CK_U/IK_U  = 128 LSBs of KDF(K_RNC*, F2 || 01/02 || 00 01 || alg || 00 01)\n"
                   "  --ck, --ik HEX  16 octets each\n"
                   "  --fresh HEX     freshness F, 0..%d octets (default empty)\n"
                   "  --ncc N         chain position 0..255 (default 0: K_RNC itself)\n"
                   "  --alg N         UEA/UIA identity 0..255 (default 1)\n"
                   "Prints k_rnc=, k_rnc_star=, ck_u=, ik_u=.\n", TCO_HSPA_FRESH_MAX);
            return 0;
        } else if (strcmp(n, "--dev") == 0) {
            uri = v;
        } else if (strcmp(n, "--ck") == 0) {
            cl = hex_parse(v, ckik, 16);
            if (cl != 16)
                return usage_error("hspa", "--ck must be 16 octets of hex");
        } else if (strcmp(n, "--ik") == 0) {
            il = hex_parse(v, ckik + 16, 16);
            if (il != 16)
                return usage_error("hspa", "--ik must be 16 octets of hex");
        } else if (strcmp(n, "--fresh") == 0) {
            fl = hex_parse(v, fresh, sizeof(fresh));
            if (fl < 0)
                return usage_error("hspa", "--fresh must be hex, at most %d octets",
                                   TCO_HSPA_FRESH_MAX);
        } else if (strcmp(n, "--ncc") == 0) {
            if (num_parse(v, 255, &ncc) != 0)
                return usage_error("hspa", "--ncc must be 0..255");
        } else if (strcmp(n, "--alg") == 0) {
            if (num_parse(v, 255, &alg) != 0)
                return usage_error("hspa", "--alg must be 0..255");
        } else {
            return usage_error("hspa", "unknown option '%s'", n);
        }
    }
    if (r < 0)
        return EXIT_USAGE;
    if (cl < 0 || il < 0)
        return usage_error("hspa", "--ck and --ik are required");
    if ((r = open_dev("hspa", uri, &dev)) != 0)
        return r;
    st = tco_slot_alloc(dev, &s);
    if (st == TCO_OK)
        st = tco_key_load(dev, s, ckik, 32, TCO_USE_KDF | TCO_USE_KDF_OUT);
    memset(ckik, 0, sizeof(ckik));
    if (st == TCO_OK)
        st = tco_hspa_new(dev, s, fresh, (size_t)fl, 1, &h);
    if (st == TCO_OK) {
        /* keep K_RNC (NCC 0) for printing: copy it to a slot before walking the chain */
        st = tco_hspa_current(h, &cur, &kn);
        if (st == TCO_OK)
            st = tco_slot_alloc(dev, &k0);
        if (st == TCO_OK)
            st = tco_hspa_k_rnc(dev, s, fresh, (size_t)fl, k0, TCO_ATTR_EXPORTABLE);
    }
    if (st == TCO_OK)
        st = tco_hspa_sync(h, (unsigned)ncc, 8);
    if (st == TCO_OK)
        st = tco_hspa_current(h, &cur, &kn);
    if (st == TCO_OK)
        st = tco_hspa_air_keys(h, (unsigned)alg, (unsigned)alg, TCO_ATTR_EXPORTABLE, &cku, &iku);
    if (st == TCO_OK) {
        print_slot(dev, "k_rnc", k0);
        print_slot(dev, "k_rnc_star", kn);
        print_slot(dev, "ck_u", cku);
        print_slot(dev, "ik_u", iku);
    }
    tco_hspa_free(h);
    tco_close(dev);
    if (st != TCO_OK)
        return fail("hspa", "derivation", st);
    return 0;
}

int tco_demo(const char *uri); /* demo.c */

static int cmd_demo(int argc, char **argv, const char *uri)
{
    static const char *const flags[] = {"--help", NULL};
    opt_iter it = {argc, 0, argv, "demo"};
    const char *n, *v;
    int r;

    while ((r = next_opt(&it, flags, &n, &v)) == 1) {
        if (strcmp(n, "--help") == 0) {
            printf("usage: tco [--dev URI] demo\n"
                   "Walk through a handover to UTRAN, a RAU to GERAN and an SRNC relocation\n"
                   "with HSPA+ enhanced keys; each node runs on its own device handle.\n");
            return 0;
        } else if (strcmp(n, "--dev") == 0) {
            uri = v;
        } else {
            return usage_error("demo", "unknown option '%s'", n);
        }
    }
    if (r < 0)
        return EXIT_USAGE;
    return tco_demo(uri);
}

static void main_usage(FILE *f)
{
    fprintf(f, "usage: tco [--dev URI] COMMAND [OPTIONS]\n"
               "commands:\n"
               "  info       device information\n"
               "  selftest   run the known-answer self-test\n"
               "  kdf        3GPP KDF (TS 33.220 B.2)\n"
               "  handover   CK'/IK' (and Kc) for E-UTRAN -> UTRAN/GERAN handover or RAU\n"
               "  hspa       HSPA+ K_RNC, K_RNC*, CK_U, IK_U\n"
               "  demo       mobility walk-through\n"
               "  srtp       SRTP/SRTCP protect or unprotect the RTP in a pcap file\n"
               "  csgw       CS-bearer gateway: CS frames <-> SRTP in a pcap file\n"
               "  wrap       RFC 3394 AES key wrap of a key under a KEK (attributes bound)\n"
               "  unwrap     RFC 3394 AES key unwrap with the blob's attributes, checked\n"
               "  mbms       MBMS key tree: run a group script, receive as one member\n"
               "  milenage   3GPP MILENAGE f1-f5, f1*, f5* with K in a key slot\n"
               "  mikey-prf  MIKEY PRF (RFC 3830) of a key and a label\n"
               "  li         lawful interception: session keys, intercept node, audit log\n"
               "--dev URI    device (default %s); 'tco COMMAND --help' for each command\n",
            DEFAULT_DEV);
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(int, char **, const char *);
    } cmds[] = {
        {"info", cmd_info},         {"selftest", cmd_selftest}, {"kdf", cmd_kdf},
        {"handover", cmd_handover}, {"hspa", cmd_hspa},         {"demo", cmd_demo},
        {"srtp", cmd_srtp},         {"csgw", cmd_csgw},         {"wrap", cmd_wrap},
        {"unwrap", cmd_unwrap},     {"mbms", cmd_mbms},         {"milenage", cmd_milenage},
        {"mikey-prf", cmd_mikey_prf}, {"li", cmd_li},
    };
    const char *uri = getenv("TCO_DEV") ? getenv("TCO_DEV") : DEFAULT_DEV;
    int i = 1;

    while (i < argc && strncmp(argv[i], "--", 2) == 0) {
        if (strcmp(argv[i], "--help") == 0) {
            main_usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("tco %s\n", TCO_VERSION);
            return 0;
        } else if (strcmp(argv[i], "--dev") == 0 && i + 1 < argc) {
            uri = argv[i + 1];
            i += 2;
        } else if (strncmp(argv[i], "--dev=", 6) == 0) {
            uri = argv[i] + 6;
            i++;
        } else {
            return usage_error(NULL, "unknown option '%s'", argv[i]);
        }
    }
    if (i >= argc)
        return usage_error(NULL, "no command given");
    for (size_t k = 0; k < sizeof(cmds) / sizeof(cmds[0]); k++) {
        if (strcmp(argv[i], cmds[k].name) == 0)
            return cmds[k].fn(argc - i - 1, argv + i + 1, uri);
    }
    return usage_error(NULL, "unknown command '%s'", argv[i]);
}
