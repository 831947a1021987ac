/* SPDX-License-Identifier: Apache-2.0 */
/* tco wrap|unwrap: RFC 3394 AES key wrap on the device, under the key model (docs/keys.md):
 * the KEK goes into a slot with TCO_USE_WRAP only; the key to wrap into a slot with the
 * attributes given by --attrs, which must include extractable (a key leaves the device only
 * wrapped, and only if extractable); the device binds those attributes into the blob (IV =
 * A6A6A6A6A6A6 || attrs), so unwrap must be given the same ones. Unwrap prints the key, so its
 * attributes must include exportable: the default of both commands is
 * extractable,exportable. */
#include "cliopt.h"
#include "hexarg.h"
#include "mbms_cmds.h"
#include "tco.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define WRAP_MAX 40u /* RFC 3394 output for a 32-octet key */
#define ATTRS_DEFAULT (TCO_ATTR_EXTRACTABLE | TCO_ATTR_EXPORTABLE)

/* Names of the attribute bits for --attrs (tco.h, TCO_USE_* and TCO_ATTR_*). */
static const struct {
    const char *name;
    uint32_t bit;
} attr_names[] = {
    {"aes", TCO_USE_AES},
    {"hmac", TCO_USE_HMAC},
    {"kdf", TCO_USE_KDF},
    {"kdf-out", TCO_USE_KDF_OUT},
    {"gsm-c3", TCO_USE_GSM_C3},
    {"srtp-kdf", TCO_USE_SRTP_KDF},
    {"srtp-ke", TCO_USE_SRTP_KE},
    {"srtp-ka", TCO_USE_SRTP_KA},
    {"srtp-salt", TCO_USE_SRTP_SALT},
    {"wrap", TCO_USE_WRAP},
    {"exportable", TCO_ATTR_EXPORTABLE},
    {"extractable", TCO_ATTR_EXTRACTABLE},
    {"wrap-trusted", TCO_ATTR_WRAP_TRUSTED},
    {"trusted", TCO_ATTR_TRUSTED},
};

/* --attrs: names joined by ',' or one number (decimal or 0x hex) of TCO_ATTR_ALL's bits.
 * 0, or CLI_EXIT_USAGE with the message printed. */
static int parse_attrs(const char *cmd, const char *s, uint32_t *out)
{
    uint32_t a = 0;

    if (s[0] >= '0' && s[0] <= '9') {
        char *end = NULL;
        unsigned long v;
        errno = 0;
        v = strtoul(s, &end, 0);
        if (errno != 0 || end == s || *end != '\0' || (v & ~(unsigned long)TCO_ATTR_ALL) != 0)
            return cli_usage(cmd, "--attrs: a number must be of the bits 0x%04X",
                             (unsigned)TCO_ATTR_ALL);
        *out = (uint32_t)v;
        return 0;
    }
    while (*s != '\0') {
        size_t n = strcspn(s, ","), i;
        for (i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++)
            if (strlen(attr_names[i].name) == n && strncmp(s, attr_names[i].name, n) == 0)
                break;
        if (i == sizeof(attr_names) / sizeof(attr_names[0]))
            return cli_usage(cmd, "--attrs: unknown attribute '%.*s'", (int)n, s);
        a |= attr_names[i].bit;
        s += n;
        if (*s == ',' && *++s == '\0')
            return cli_usage(cmd, "--attrs: a name after the last ','");
    }
    *out = a;
    return 0;
}

/* Parse a key given on the command line, then wipe it from the argument list (out of
 * /proc/PID/cmdline from then on). Returns the octet count or -1; nothing kept on -1. */
static long take_key(char *arg, uint8_t *out, size_t cap)
{
    long n = hex_parse(arg, out, cap);

    memset(arg, 0, strlen(arg));
    if (n < 0)
        memset(out, 0, cap);
    return n;
}

/* Open the device, check it has the key-wrap engine and load the KEK into a new slot.
 * Returns 0, CLI_EXIT_USAGE (bad URI) or 1, message printed; *dev set when opened,
 * *have_slot when the slot is allocated. */
static int open_with_kek(const char *cmd, const char *uri, const uint8_t *kek, size_t len,
                         uint32_t attrs, tco_dev **dev, tco_slot *slot, int *have_slot)
{
    tco_info info;
    tco_status st;
    int rc;

    if ((rc = cli_open_dev(cmd, uri, dev)) != 0)
        return rc;
    if (tco_get_info(*dev, &info) != TCO_OK || !(info.caps & TCO_CAP_KEY_WRAP))
        return cli_error(cmd, "device '%s' has no key-wrap engine (TCO_CAP_KEY_WRAP)", uri);
    st = tco_slot_alloc(*dev, slot);
    if (st == TCO_OK) {
        *have_slot = 1;
        st = tco_key_load(*dev, *slot, kek, len, attrs);
    }
    if (st != TCO_OK)
        return cli_error(cmd, "load KEK: %s", tco_strerror(st));
    return 0;
}

static void attrs_help(void)
{
    printf("Attributes (docs/keys.md): names joined by ',' (aes, hmac, kdf, kdf-out, gsm-c3,\n"
           "srtp-kdf, srtp-ke, srtp-ka, srtp-salt, wrap, exportable, extractable, wrap-trusted)\n"
           "or a number such as 0x0900; the usage names must form one of the key model's\n"
           "profiles for the key's length. Default: extractable,exportable.\n");
}

static void wrap_help(void)
{
    printf("usage: tco [--dev URI] wrap --kek HEX --key HEX [--attrs LIST]\n"
           "RFC 3394 AES key wrap of a key under a KEK, on the device. The KEK goes into a key\n"
           "slot that only wraps (USE_WRAP), the key into one with the attributes of --attrs,\n"
           "which the blob binds: its IV is A6A6A6A6A6A6 || attributes (two octets), so it\n"
           "unwraps only with the same attributes (tco unwrap --attrs).\n"
           "  --kek HEX     key-encryption key, 16 or 32 octets\n"
           "  --key HEX     the key to wrap, 16 or 32 octets\n"
           "  --attrs LIST  the key's attributes; must include extractable (only an\n"
           "                extractable key leaves the device wrapped)\n");
    attrs_help();
    printf("Prints wrapped=<24 or 40 octets>. The keys are never printed, and are cleared from\n"
           "the process's argument list once read.\n");
}

int cmd_wrap(int argc, char **argv, const char *uri)
{
    static const char *const flags[] = {"--help", NULL};
    const char *cmd = "wrap", *n, *v;
    char *kek_arg = NULL, *key_arg = NULL;
    uint8_t kek[32], key[32], out[WRAP_MAX];
    uint32_t attrs = ATTRS_DEFAULT;
    long kl, yl;
    size_t olen = 0;
    tco_dev *dev = NULL;
    tco_slot ks = 0, ys = 0;
    int have_ks = 0, have_ys = 0;
    tco_status st;
    cli_opts it;
    int r, rc;

    memset(&it, 0, sizeof(it));
    it.argc = argc;
    it.argv = argv;
    it.cmd = cmd;
    while ((r = cli_next(&it, flags, &n, &v)) == 1) {
        if (strcmp(n, "--help") == 0) {
            wrap_help();
            return 0;
        } else if (strcmp(n, "--dev") == 0) {
            uri = v;
        } else if (strcmp(n, "--kek") == 0) {
            kek_arg = (char *)v; /* parsed below, then wiped from the argument list */
        } else if (strcmp(n, "--key") == 0) {
            key_arg = (char *)v;
        } else if (strcmp(n, "--attrs") == 0) {
            if ((rc = parse_attrs(cmd, v, &attrs)) != 0)
                return rc;
        } else {
            return cli_usage(cmd, "unknown option '%s'", n);
        }
    }
    if (r < 0)
        return CLI_EXIT_USAGE;
    if (kek_arg == NULL || key_arg == NULL)
        return cli_usage(cmd, "--kek and --key are required");
    if (!(attrs & TCO_ATTR_EXTRACTABLE))
        return cli_usage(cmd, "--attrs must include extractable: only an extractable key "
                              "leaves the device wrapped");
    kl = take_key(kek_arg, kek, sizeof(kek));
    yl = take_key(key_arg, key, sizeof(key));
    /* from here the keys are in kek[] and key[] until they are in slots: every exit wipes them */
    if (kl != 16 && kl != 32) {
        rc = cli_usage(cmd, "--kek must be 16 or 32 octets of hex");
        goto out;
    }
    if (yl != 16 && yl != 32) {
        rc = cli_usage(cmd, "--key must be 16 or 32 octets of hex");
        goto out;
    }
    if ((rc = open_with_kek(cmd, uri, kek, (size_t)kl, TCO_USE_WRAP, &dev, &ks, &have_ks)) != 0)
        goto out;
    st = tco_slot_alloc(dev, &ys);
    if (st == TCO_OK) {
        have_ys = 1;
        st = tco_key_load(dev, ys, key, (size_t)yl, attrs);
    }
    memset(key, 0, sizeof(key));
    memset(kek, 0, sizeof(kek));
    if (st != TCO_OK) {
        rc = cli_error(cmd, "load key: %s", tco_strerror(st));
        goto out;
    }
    st = tco_key_wrap(dev, ks, ys, out, sizeof(out), &olen);
    if (st != TCO_OK) {
        rc = cli_error(cmd, "key wrap: %s", tco_strerror(st));
        goto out;
    }
    hex_print(stdout, "wrapped", out, olen);
    rc = 0;

out:
    memset(kek, 0, sizeof(kek));
    memset(key, 0, sizeof(key));
    if (dev != NULL) {
        if (have_ks) /* tco_close erases every slot too */
            (void)tco_key_erase(dev, ks);
        if (have_ys)
            (void)tco_key_erase(dev, ys);
    }
    tco_close(dev);
    return rc;
}

static void unwrap_help(void)
{
    printf("usage: tco [--dev URI] unwrap --kek HEX --wrapped HEX [--attrs LIST]\n"
           "RFC 3394 AES key unwrap on the device, with its integrity check under the IV\n"
           "A6A6A6A6A6A6 || attributes: the blob unwraps only with the attributes it was\n"
           "wrapped with, which the key then has in its slot.\n"
           "  --kek HEX      key-encryption key, 16 or 32 octets\n"
           "  --wrapped HEX  the wrapped key, 24 or 40 octets (a 16- or 32-octet key)\n"
           "  --attrs LIST   the blob's attributes; must include exportable (the key is read\n"
           "                 back to be printed)\n");
    attrs_help();
    printf("Prints key=<16 or 32 octets>; if the integrity check fails (wrong KEK, altered\n"
           "data, other attributes than the blob's) nothing is printed on standard output, one\n"
           "line on standard error, exit code 1.\n");
}

int cmd_unwrap(int argc, char **argv, const char *uri)
{
    static const char *const flags[] = {"--help", NULL};
    const char *cmd = "unwrap", *n, *v, *wrapped_arg = NULL;
    char *kek_arg = NULL;
    uint8_t kek[32], wrapped[WRAP_MAX], key[TCO_KEY_MAX];
    uint32_t attrs = ATTRS_DEFAULT;
    long kl, wl;
    size_t klen = 0;
    tco_dev *dev = NULL;
    tco_slot ks = 0, ds = 0;
    int have_ks = 0, have_ds = 0;
    tco_status st;
    cli_opts it;
    int r, rc;

    memset(&it, 0, sizeof(it));
    it.argc = argc;
    it.argv = argv;
    it.cmd = cmd;
    while ((r = cli_next(&it, flags, &n, &v)) == 1) {
        if (strcmp(n, "--help") == 0) {
            unwrap_help();
            return 0;
        } else if (strcmp(n, "--dev") == 0) {
            uri = v;
        } else if (strcmp(n, "--kek") == 0) {
            kek_arg = (char *)v; /* parsed below, then wiped from the argument list */
        } else if (strcmp(n, "--wrapped") == 0) {
            wrapped_arg = v;
        } else if (strcmp(n, "--attrs") == 0) {
            if ((rc = parse_attrs(cmd, v, &attrs)) != 0)
                return rc;
        } else {
            return cli_usage(cmd, "unknown option '%s'", n);
        }
    }
    if (r < 0)
        return CLI_EXIT_USAGE;
    if (kek_arg == NULL || wrapped_arg == NULL)
        return cli_usage(cmd, "--kek and --wrapped are required");
    if (!(attrs & TCO_ATTR_EXPORTABLE))
        return cli_usage(cmd, "--attrs must include exportable: unwrap prints the key");
    kl = take_key(kek_arg, kek, sizeof(kek));
    memset(key, 0, sizeof(key));
    if (kl != 16 && kl != 32) {
        rc = cli_usage(cmd, "--kek must be 16 or 32 octets of hex");
        goto out;
    }
    wl = hex_parse(wrapped_arg, wrapped, sizeof(wrapped));
    if (wl != 24 && wl != 40) {
        rc = cli_usage(cmd, "--wrapped must be 24 or 40 octets of hex");
        goto out;
    }
    if ((rc = open_with_kek(cmd, uri, kek, (size_t)kl, TCO_USE_WRAP, &dev, &ks, &have_ks)) != 0)
        goto out;
    memset(kek, 0, sizeof(kek));
    st = tco_slot_alloc(dev, &ds);
    if (st == TCO_OK) {
        have_ds = 1;
        st = tco_key_unwrap(dev, ks, wrapped, (size_t)wl, ds, attrs);
    }
    if (st == TCO_ERR_AUTH) {
        rc = cli_error(cmd,
                       "integrity check failed (wrong KEK, altered data, or attributes other "
                       "than the blob's): %s", tco_strerror(st));
        goto out;
    }
    if (st == TCO_OK)
        st = tco_key_read(dev, ds, key, sizeof(key), &klen);
    if (st != TCO_OK) {
        rc = cli_error(cmd, "key unwrap: %s", tco_strerror(st));
        goto out;
    }
    hex_print(stdout, "key", key, klen);
    rc = 0;

out:
    memset(kek, 0, sizeof(kek));
    memset(key, 0, sizeof(key));
    if (dev != NULL) {
        if (have_ks) /* tco_close erases every slot too */
            (void)tco_key_erase(dev, ks);
        if (have_ds)
            (void)tco_key_erase(dev, ds);
    }
    tco_close(dev);
    return rc;
}
