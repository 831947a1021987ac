/* SPDX-License-Identifier: Apache-2.0 */
/* tco milenage: the 3GPP MILENAGE functions (TS 35.206) for one K, OP or OPc, RAND, SQN and
 * AMF. K goes into a key slot that allows only AES and cannot be read back; every E_K runs
 * on the device (tco_milenage.h). K, OP and OPc are cleared from the argument list once
 * read, and K's slot is erased before exit. */
#include "aka_cmds.h"
#include "cliopt.h"
#include "hexarg.h"
#include "tco.h"
#include "tco_milenage.h"

#include <string.h>

/* Parse a hex argument of exactly `want` octets into out, then wipe the argument (out of
 * /proc/PID/cmdline from then on). Returns 0, or -1 (wrong length or not hex; out cleared). */
static int take_hex(char *arg, uint8_t *out, size_t want, int wipe)
{
    uint8_t buf[32];
    long n = hex_parse(arg, buf, sizeof(buf));

    if (wipe)
        memset(arg, 0, strlen(arg));
    if (n != (long)want) {
        memset(buf, 0, sizeof(buf));
        memset(out, 0, want);
        return -1;
    }
    memcpy(out, buf, want);
    memset(buf, 0, sizeof(buf));
    return 0;
}

static void milenage_help(void)
{
    printf("usage: tco [--dev URI] milenage --k HEX (--op HEX | --opc HEX) --rand HEX --sqn HEX\n"
           "                            --amf HEX\n"
           "3GPP MILENAGE (TS 35.206): OPc, f1 (MAC-A), f1* (MAC-S), f2 (RES), f3 (CK), f4 (IK),\n"
           "f5 (AK) and f5* (AK*). K is loaded into a key slot that allows only AES and cannot\n"
           "be read back; every AES call runs on the device.\n"
           "  --k HEX     subscriber key K, 16 octets\n"
           "  --op HEX    operator variant field OP, 16 octets (OPc = OP xor E_K(OP)), or\n"
           "  --opc HEX   OPc itself, 16 octets\n"
           "  --rand HEX  RAND, 16 octets\n"
           "  --sqn HEX   SQN, 6 octets\n"
           "  --amf HEX   AMF, 2 octets\n"
           "Prints opc=, mac_a=, mac_s=, res=, ck=, ik=, ak=, ak_star= (lowercase hex, one per\n"
           "line). K, OP and OPc are cleared from the process's argument list once read.\n");
}

int cmd_milenage(int argc, char **argv, const char *uri)
{
    static const char *const flags[] = {"--help", NULL};
    const char *cmd = "milenage", *n, *v;
    char *k_arg = NULL, *op_arg = NULL, *opc_arg = NULL, *rand_arg = NULL, *sqn_arg = NULL;
    char *amf_arg = NULL;
    uint8_t k[16], op[16], opc[16], rnd[16], sqn[6], amf[2];
    tco_milenage_out m;
    tco_dev *dev = NULL;
    tco_slot ks = 0;
    int have_ks = 0, bad_k, bad_op = 0;
    tco_status st;
    cli_opts it;
    int r, rc;

    memset(&it, 0, sizeof(it));
    it.argc = argc;
    it.argv = argv;
    it.cmd = cmd;
    while ((r = cli_next(&it, flags, &n, &v)) == 1) {
        if (strcmp(n, "--help") == 0) {
            milenage_help();
            return 0;
        } else if (strcmp(n, "--dev") == 0) {
            uri = v;
        } else if (strcmp(n, "--k") == 0) {
            k_arg = (char *)v; /* parsed below, then wiped from the argument list */
        } else if (strcmp(n, "--op") == 0) {
            op_arg = (char *)v;
        } else if (strcmp(n, "--opc") == 0) {
            opc_arg = (char *)v;
        } else if (strcmp(n, "--rand") == 0) {
            rand_arg = (char *)v;
        } else if (strcmp(n, "--sqn") == 0) {
            sqn_arg = (char *)v;
        } else if (strcmp(n, "--amf") == 0) {
            amf_arg = (char *)v;
        } else {
            return cli_usage(cmd, "unknown option '%s'", n);
        }
    }
    if (r < 0)
        return CLI_EXIT_USAGE;
    if (k_arg == NULL || rand_arg == NULL || sqn_arg == NULL || amf_arg == NULL ||
        (op_arg == NULL && opc_arg == NULL))
        return cli_usage(cmd, "--k, --op or --opc, --rand, --sqn and --amf are required");
    if (op_arg != NULL && opc_arg != NULL)
        return cli_usage(cmd, "give --op or --opc, not both");
    bad_k = take_hex(k_arg, k, 16, 1);
    if (op_arg != NULL)
        bad_op = take_hex(op_arg, op, 16, 1);
    else
        bad_op = take_hex(opc_arg, opc, 16, 1);
    /* from here K (and OP/OPc) are in memory until K is in its slot: every exit wipes them */
    if (bad_k) {
        rc = cli_usage(cmd, "--k must be 16 octets of hex");
        goto out;
    }
    if (bad_op) {
        rc = cli_usage(cmd, "%s must be 16 octets of hex", op_arg != NULL ? "--op" : "--opc");
        goto out;
    }
    if (take_hex(rand_arg, rnd, 16, 0) != 0) {
        rc = cli_usage(cmd, "--rand must be 16 octets of hex");
        goto out;
    }
    if (take_hex(sqn_arg, sqn, 6, 0) != 0) {
        rc = cli_usage(cmd, "--sqn must be 6 octets of hex");
        goto out;
    }
    if (take_hex(amf_arg, amf, 2, 0) != 0) {
        rc = cli_usage(cmd, "--amf must be 2 octets of hex");
        goto out;
    }
    if ((rc = cli_open_dev(cmd, uri, &dev)) != 0)
        goto out;
    st = tco_slot_alloc(dev, &ks);
    if (st == TCO_OK) {
        have_ks = 1;
        st = tco_key_load(dev, ks, k, 16, TCO_USE_AES); /* not exportable */
    }
    memset(k, 0, sizeof(k));
    if (st != TCO_OK) {
        rc = cli_error(cmd, "load K: %s", tco_strerror(st));
        goto out;
    }
    if (op_arg != NULL) {
        st = tco_milenage_opc(dev, ks, op, opc);
        if (st != TCO_OK) {
            rc = cli_error(cmd, "OPc: %s", tco_strerror(st));
            goto out;
        }
    }
    st = tco_milenage(dev, ks, opc, rnd, sqn, amf, &m);
    if (st != TCO_OK) {
        rc = cli_error(cmd, "milenage: %s", tco_strerror(st));
        goto out;
    }
    hex_print(stdout, "opc", opc, 16);
    hex_print(stdout, "mac_a", m.mac_a, 8);
    hex_print(stdout, "mac_s", m.mac_s, 8);
    hex_print(stdout, "res", m.res, 8);
    hex_print(stdout, "ck", m.ck, 16);
    hex_print(stdout, "ik", m.ik, 16);
    hex_print(stdout, "ak", m.ak, 6);
    hex_print(stdout, "ak_star", m.ak_star, 6);
    rc = 0;

out:
    memset(k, 0, sizeof(k));
    memset(op, 0, sizeof(op));
    memset(opc, 0, sizeof(opc));
    memset(&m, 0, sizeof(m));
    if (dev != NULL && have_ks) /* tco_close erases every slot too */
        (void)tco_key_erase(dev, ks);
    tco_close(dev);
    return rc;
}
