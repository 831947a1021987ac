/* SPDX-License-Identifier: Apache-2.0 */
/* Minimal self-checking test harness: CHECK counts, t_done prints "N passed, N failed". */
#ifndef TCHECK_H
#define TCHECK_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_pass, t_fail;

#define CHECK(cond)                                                                          \
    do {                                                                                     \
        if (cond) {                                                                          \
            t_pass++;                                                                        \
        } else {                                                                             \
            t_fail++;                                                                        \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                  \
        }                                                                                    \
    } while (0)

/* Check a call returns the wanted status; print both names on mismatch. */
#define CHECK_ST(expr, want)                                                                 \
    do {                                                                                     \
        tco_status st_ = (expr);                                                             \
        if (st_ == (want)) {                                                                 \
            t_pass++;                                                                        \
        } else {                                                                             \
            t_fail++;                                                                        \
            fprintf(stderr, "FAIL %s:%d: %s -> %d (%s), want %s\n", __FILE__, __LINE__,      \
                    #expr, (int)st_, tco_strerror(st_), #want);                              \
        }                                                                                    \
    } while (0)

/* Aggregate many cases into one counted check (keeps logs short for random sweeps). */
#define CHECK_CASES(name, bad, total)                                                        \
    do {                                                                                     \
        if ((bad) == 0) {                                                                    \
            t_pass++;                                                                        \
        } else {                                                                             \
            t_fail++;                                                                        \
            fprintf(stderr, "FAIL %s:%d: %s: %d of %d cases wrong\n", __FILE__, __LINE__,    \
                    name, (int)(bad), (int)(total));                                         \
        }                                                                                    \
    } while (0)

static inline int t_done(const char *name)
{
    printf("%s: %d passed, %d failed\n", name, t_pass, t_fail);
    return t_fail ? 1 : 0;
}

/* Hex string (spaces ignored) to bytes; returns length. Aborts the test on bad input. */
static inline size_t unhex(const char *s, uint8_t *out, size_t cap)
{
    size_t n = 0;
    int hi = -1;

    for (; *s; s++) {
        int v;
        if (*s == ' ')
            continue;
        if (*s >= '0' && *s <= '9')
            v = *s - '0';
        else if (*s >= 'a' && *s <= 'f')
            v = *s - 'a' + 10;
        else if (*s >= 'A' && *s <= 'F')
            v = *s - 'A' + 10;
        else
            abort();
        if (hi < 0) {
            hi = v;
        } else {
            if (n >= cap)
                abort();
            out[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    if (hi >= 0)
        abort();
    return n;
}

/* Deterministic PRNG (xorshift64*), seeded from TCO_TEST_SEED or a fixed value. */
static uint64_t t_rng_state;

static inline void t_seed(uint64_t dflt)
{
    const char *e = getenv("TCO_TEST_SEED");
    t_rng_state = e ? strtoull(e, NULL, 0) : dflt;
    if (t_rng_state == 0)
        t_rng_state = 1;
}

static inline uint64_t t_rand(void)
{
    t_rng_state ^= t_rng_state >> 12;
    t_rng_state ^= t_rng_state << 25;
    t_rng_state ^= t_rng_state >> 27;
    return t_rng_state * 0x2545F4914F6CDD1Dull;
}

static inline void t_fill(uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        b[i] = (uint8_t)(t_rand() >> 24);
}

static inline unsigned t_below(unsigned n)
{
    return (unsigned)(t_rand() % n);
}

#endif
