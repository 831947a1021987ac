/* SPDX-License-Identifier: Apache-2.0 */
/* Shared pieces of the media commands of the tco program (tco srtp, tco csgw): the option
 * scanner, usage errors, device opening, error tallies and the progress line. The option
 * syntax and messages are those of tools/tco.c (which keeps its own static copies). */
#ifndef TCO_CLIOPT_H
#define TCO_CLIOPT_H

#include "tco.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CLI_EXIT_USAGE 2

/* "tco CMD: message (try 'tco CMD --help')" on stderr; returns CLI_EXIT_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "tco CMD: message" on stderr; returns 1. */
int cli_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Option scanner: "--name VALUE" or "--name=VALUE"; flags take no value. */
typedef struct cli_opts {
    int argc, i;
    char **argv;
    const char *cmd;
    char name[64];
} cli_opts;

/* 1 with name and val set, 0 at the end, -1 after printing a usage error. A stray argument
 * is reported by its position only: it may be key material given without its option. */
int cli_next(cli_opts *it, const char *const *flags, const char **name, const char **val);

/* Open a device: 0, CLI_EXIT_USAGE (bad URI, unsupported scheme) or 1, message printed. */
int cli_open_dev(const char *cmd, const char *uri, tco_dev **dev);

/* Counts of failed packets by kind; the kind is a static string (tco_strerror text or the
 * program's own, e.g. "IP fragment"). */
#define CLI_MAX_KINDS 48
typedef struct cli_tally {
    size_t n;
    const char *kind[CLI_MAX_KINDS];
    uint64_t count[CLI_MAX_KINDS];
    uint64_t total;
} cli_tally;

void cli_tally_add(cli_tally *t, const char *kind);
/* "failed=N" then one "  KIND: N" line per kind, in order of first occurrence. */
void cli_tally_print(FILE *f, const cli_tally *t);

/* Progress line on stderr, at most once a second, only when stderr is a terminal. */
typedef struct cli_progress {
    int tty;
    int shown;
    double last;
} cli_progress;

void cli_progress_init(cli_progress *p);
/* Call for every packet; `done` packets handled, `failed` of them failed. */
void cli_progress_tick(cli_progress *p, const char *cmd, uint64_t done, uint64_t failed);
/* Ends the progress line (a newline if one was shown). */
void cli_progress_end(cli_progress *p);

#endif
