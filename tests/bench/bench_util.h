/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the bench programs (tests/bench/bench_*.c): a monotonic clock, figures of
 * REPS repetitions (median, min, max) and the machine-readable lines that tools/bench-report
 * collects into build/bench/results.json:
 *
 *   RESULT key=value            one number
 *   RESULT key=median, key_min=..., key_max=...   (fig_result: a figure over repetitions)
 */
#ifndef TCO_BENCH_UTIL_H
#define TCO_BENCH_UTIL_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FIG_MAX 16

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

typedef struct bfig {
    int n;
    double v[FIG_MAX];
} bfig;

static inline void fig_add(bfig *f, double x)
{
    if (f->n < FIG_MAX)
        f->v[f->n++] = x;
}

static inline int bench_cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median (the mean of the two middle values for an even count). */
static inline double fig_med(const bfig *f)
{
    double s[FIG_MAX];
    if (f->n == 0)
        return 0;
    memcpy(s, f->v, sizeof(double) * (size_t)f->n);
    qsort(s, (size_t)f->n, sizeof(double), bench_cmp_d);
    return f->n % 2 ? s[f->n / 2] : (s[f->n / 2 - 1] + s[f->n / 2]) / 2;
}

static inline double fig_min(const bfig *f)
{
    double m = f->n ? f->v[0] : 0;
    for (int i = 1; i < f->n; i++)
        m = f->v[i] < m ? f->v[i] : m;
    return m;
}

static inline double fig_max(const bfig *f)
{
    double m = f->n ? f->v[0] : 0;
    for (int i = 1; i < f->n; i++)
        m = f->v[i] > m ? f->v[i] : m;
    return m;
}

__attribute__((format(printf, 1, 2))) static inline void result(const char *fmt, ...)
{
    va_list ap;
    fputs("RESULT ", stdout);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
}

/* RESULT key=median, key_min, key_max, key_reps. */
static inline void fig_result(const char *key, const bfig *f)
{
    result("%s=%.6g", key, fig_med(f));
    result("%s_min=%.6g", key, fig_min(f));
    result("%s_max=%.6g", key, fig_max(f));
    result("%s_reps=%d", key, f->n);
}

/* The 1-minute load average (-1 if unknown). */
static inline double bench_loadavg(void)
{
    double l = -1;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f != NULL) {
        if (fscanf(f, "%lf", &l) != 1)
            l = -1;
        fclose(f);
    }
    return l;
}

#endif
