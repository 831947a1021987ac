/* SPDX-License-Identifier: Apache-2.0 */
/* tco wrap|unwrap: RFC 3394 AES key wrap (default IV) on the device. Both keys go into slots
 * with TCO_USE_WRAP (a key may leave the device only wrapped); unwrap writes the key into an
 * exportable slot, which tco_key_unwrap allows only under a KEK that also has
 * TCO_USE_KDF_OUT, and reads it back: printing it is the command's purpose. */
#include "cliopt.h"
#include "hexarg.h"
#include "mbms_cmds.h"
#include "tco.h"

#include <string.h>

#define WRAP_MAX 40u /* RFC 3394 output for a 32-octet key */

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

static void wrap_help(void)
{
    printf("usage: tco [--dev URI] wrap --kek HEX --key HEX\n"
           "RFC 3394 AES key wrap (default IV A6A6A6A6A6A6A6A6) of a key under a KEK, on the\n"
           "device: both go into key slots that allow only wrapping; the key leaves them only\n"
           "wrapped.\n"
           "  --kek HEX  key-encryption key, 16 or 32 octets\n"
           "  --key HEX  the key to wrap, 16 or 32 octets\n"
           "Prints wrapped=<24 or 40 octets>. The keys are never printed, and are cleared from\n"
           "the process's argument list once read.\n");
}

int cmd_wrap(int argc, char **argv, const char *uri)
{
    static const char *const flags[] = {"--help", NULL};
    const char *cmd = "wrap", *n, *v;
    char *kek_arg = NULL, *key_arg = NULL;
    uint8_t kek[32], key[32], out[WRAP_MAX];
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
        } else {
            return cli_usage(cmd, "unknown option '%s'", n);
        }
    }
    if (r < 0)
        return CLI_EXIT_USAGE;
    if (kek_arg == NULL || key_arg == NULL)
        return cli_usage(cmd, "--kek and --key are required");
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
        st = tco_key_load(dev, ys, key, (size_t)yl, TCO_USE_WRAP);
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
    printf("usage: tco [--dev URI] unwrap --kek HEX --wrapped HEX\n"
           "RFC 3394 AES key unwrap (default IV) on the device, with its integrity check.\n"
           "  --kek HEX      key-encryption key, 16 or 32 octets\n"
           "  --wrapped HEX  the wrapped key, 24 or 40 octets (a 16- or 32-octet key)\n"
           "Prints key=<16 or 32 octets>; if the integrity check fails (wrong KEK, altered\n"
           "data) nothing is printed on standard output, one line on standard error, exit\n"
           "code 1.\n");
}

int cmd_unwrap(int argc, char **argv, const char *uri)
{
    static const char *const flags[] = {"--help", NULL};
    const char *cmd = "unwrap", *n, *v, *wrapped_arg = NULL;
    char *kek_arg = NULL;
    uint8_t kek[32], wrapped[WRAP_MAX], key[TCO_KEY_MAX];
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
        } else {
            return cli_usage(cmd, "unknown option '%s'", n);
        }
    }
    if (r < 0)
        return CLI_EXIT_USAGE;
    if (kek_arg == NULL || wrapped_arg == NULL)
        return cli_usage(cmd, "--kek and --wrapped are required");
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
    if ((rc = open_with_kek(cmd, uri, kek, (size_t)kl, TCO_USE_WRAP | TCO_USE_KDF_OUT, &dev, &ks,
                            &have_ks)) != 0)
        goto out;
    memset(kek, 0, sizeof(kek));
    st = tco_slot_alloc(dev, &ds);
    if (st == TCO_OK) {
        have_ds = 1;
        st = tco_key_unwrap(dev, ks, wrapped, (size_t)wl, ds, TCO_ATTR_EXPORTABLE);
    }
    if (st == TCO_ERR_AUTH) {
        rc = cli_error(cmd, "integrity check failed (wrong KEK or altered data): %s",
                       tco_strerror(st));
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
