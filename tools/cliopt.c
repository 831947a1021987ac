/* SPDX-License-Identifier: Apache-2.0 */
/* Shared pieces of the media commands (tco srtp, tco csgw). */
#include "cliopt.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "tco %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (try 'tco %s --help')\n", cmd);
    return CLI_EXIT_USAGE;
}

int cli_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "tco %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 1;
}

int cli_next(cli_opts *it, const char *const *flags, const char **name, const char **val)
{
    const char *a, *eq;

    if (it->i >= it->argc)
        return 0;
    a = it->argv[it->i++];
    if (strncmp(a, "--", 2) != 0) {
        cli_usage(it->cmd, "unexpected argument #%d (not an option)", it->i);
        return -1;
    }
    eq = strchr(a, '=');
    if (eq != NULL) {
        size_t n = (size_t)(eq - a);
        if (n >= sizeof(it->name)) {
            cli_usage(it->cmd, "unknown option #%d (name too long)", it->i);
            return -1;
        }
        memcpy(it->name, a, n);
        it->name[n] = '\0';
        *name = it->name;
        *val = eq + 1;
        for (size_t k = 0; flags && flags[k]; k++) {
            if (strcmp(it->name, flags[k]) == 0) {
                cli_usage(it->cmd, "option '%s' takes no value", it->name);
                return -1;
            }
        }
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
        cli_usage(it->cmd, "option '%s' needs a value", a);
        return -1;
    }
    *val = it->argv[it->i++];
    return 1;
}

int cli_open_dev(const char *cmd, const char *uri, tco_dev **dev)
{
    tco_status st = tco_open(dev, uri);

    if (st == TCO_ERR_BAD_URI || st == TCO_ERR_UNSUPPORTED) {
        fprintf(stderr, "tco %s: cannot open device '%s': %s\n", cmd, uri, tco_strerror(st));
        return CLI_EXIT_USAGE;
    }
    if (st != TCO_OK)
        return cli_error(cmd, "open %s: %s", uri, tco_strerror(st));
    return 0;
}

void cli_tally_add(cli_tally *t, const char *kind)
{
    size_t i;

    t->total++;
    for (i = 0; i < t->n; i++) {
        if (strcmp(t->kind[i], kind) == 0) {
            t->count[i]++;
            return;
        }
    }
    if (t->n == CLI_MAX_KINDS) { /* not reached: fewer kinds exist; the last one absorbs */
        t->kind[t->n - 1] = "other errors";
        t->count[t->n - 1]++;
        return;
    }
    t->kind[t->n] = kind;
    t->count[t->n++] = 1;
}

void cli_tally_print(FILE *f, const cli_tally *t)
{
    fprintf(f, "failed=%llu\n", (unsigned long long)t->total);
    for (size_t i = 0; i < t->n; i++)
        fprintf(f, "  %s: %llu\n", t->kind[i], (unsigned long long)t->count[i]);
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void cli_progress_init(cli_progress *p)
{
    p->tty = isatty(STDERR_FILENO);
    p->shown = 0;
    p->last = p->tty ? now_s() : 0.0;
}

void cli_progress_tick(cli_progress *p, const char *cmd, uint64_t done, uint64_t failed)
{
    double t;

    if (!p->tty || (done & 1023) != 0)
        return;
    t = now_s();
    if (t - p->last < 1.0)
        return;
    p->last = t;
    p->shown = 1;
    fprintf(stderr, "\rtco %s: %llu packets, %llu failed ", cmd, (unsigned long long)done,
            (unsigned long long)failed);
    fflush(stderr);
}

void cli_progress_end(cli_progress *p)
{
    if (p->shown)
        fputc('\n', stderr);
    p->shown = 0;
}
