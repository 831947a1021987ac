/* SPDX-License-Identifier: Apache-2.0 */
/* sim transport: loads libtcosim (the Verilated device, sim/tco_sim.h) with dlopen and
 * drives its clock while the host waits for octets.
 *
 * URI: sim:[?build=NAME][&trace=FILE.fst][&lib=PATH][&timeout=CYCLES]
 *   build    which build of the device core (docs/architecture.md): narrow (the default:
 *            libtcosim.so.0), hx8k or up5k (the boards' engine sets, store and forward:
 *            libtcosim-hx8k.so.0, libtcosim-up5k.so.0); found next to $TCO_SIM_LIB when that
 *            is set, else on the loader's search path
 *   trace    write an FST waveform of the whole session
 *   lib      libtcosim to load, instead of build (default: $TCO_SIM_LIB, else
 *            "libtcosim.so.0" from the loader's search path, which includes the RUNPATH of
 *            the program or library)
 *   timeout  cycles to wait for a response octet before TCO_ERR_TIMEOUT (default 2000000)
 *   faults   link faults per million octets, both directions (default 0): a flipped bit, a
 *            dropped, duplicated or inserted octet; and as often per receive call a stall
 *            (the answer is held back past the host's timeout, delivered later)
 *   resets   device resets per million requests sent (default 0): the device restarts
 *            with empty slots and loses whatever was in flight
 *   seed     seed of the fault generator (default 1) */
#include "transport.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "tco_sim.h"

#define SIM_DEFAULT_TIMEOUT 2000000u
#define SIM_FRAME_IDLE 8192u /* > the device's frame TIMEOUT parameter */
#define FAULT_BUF 8192u

struct tco_transport {
    void *dl;
    tco_sim *sim;
    uint64_t timeout;
    int (*abi)(void);
    tco_sim *(*create)(const char *);
    void (*destroy)(tco_sim *);
    size_t (*push)(tco_sim *, const uint8_t *, size_t);
    size_t (*pull)(tco_sim *, uint8_t *, size_t);
    size_t (*tx_pending)(const tco_sim *);
    void (*step)(tco_sim *, uint64_t);
    uint64_t (*run_until)(tco_sim *, size_t, uint64_t);
    uint64_t (*cycles)(const tco_sim *);
    /* fault injection */
    char trace[512];
    bool have_trace;
    uint32_t fault_ppm, reset_ppm;
    uint64_t rng;
    uint64_t stats[TCO_FAULT_KINDS];
    uint8_t fbuf[FAULT_BUF];
};

static uint32_t fault_rand(tco_transport *t)
{
    /* xorshift64*: test-grade randomness, reproducible from the seed */
    t->rng ^= t->rng >> 12;
    t->rng ^= t->rng << 25;
    t->rng ^= t->rng >> 27;
    return (uint32_t)((t->rng * 2685821657736338717ull) >> 32);
}

/* Copy p to the fault buffer with faults applied; returns the new length. */
static size_t fault_apply(tco_transport *t, const uint8_t *p, size_t n, uint8_t *out, size_t cap)
{
    size_t o = 0;

    for (size_t i = 0; i < n && o + 2 <= cap; i++) {
        if (fault_rand(t) % 1000000u >= t->fault_ppm) {
            out[o++] = p[i];
            continue;
        }
        switch (fault_rand(t) % 4) {
        case 0: /* a flipped bit */
            out[o++] = (uint8_t)(p[i] ^ (1u << (fault_rand(t) % 8)));
            t->stats[TCO_FAULT_FLIP]++;
            break;
        case 1: /* a dropped octet */
            t->stats[TCO_FAULT_DROP]++;
            break;
        case 2: /* a duplicated octet */
            out[o++] = p[i];
            out[o++] = p[i];
            t->stats[TCO_FAULT_DUP]++;
            break;
        default: /* a stray octet */
            out[o++] = (uint8_t)fault_rand(t);
            out[o++] = p[i];
            t->stats[TCO_FAULT_INSERT]++;
            break;
        }
    }
    return o;
}

/* Copy the value of key=... from a "?a=b&c=d" argument string into out. */
static int arg_get(const char *args, const char *key, char *out, size_t cap)
{
    size_t kl = strlen(key);
    const char *p = args;

    while (p && *p) {
        if (*p == '?' || *p == '&')
            p++;
        if (strncmp(p, key, kl) == 0 && p[kl] == '=') {
            const char *v = p + kl + 1, *e = strchr(v, '&');
            size_t n = e ? (size_t)(e - v) : strlen(v);
            if (n + 1 > cap)
                return -1;
            memcpy(out, v, n);
            out[n] = '\0';
            return 1;
        }
        p = strchr(p, '&');
    }
    return 0;
}

/* Every key in args must be one we know. */
static int args_valid(const char *args)
{
    static const char *const keys[] = {"trace", "lib", "timeout", "faults", "resets", "seed", "build"};
    const char *p = args;

    if (*p == '\0')
        return 1;
    if (*p != '?')
        return 0;
    while (p && *p) {
        size_t i, ok = 0;
        p++;
        for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
            size_t kl = strlen(keys[i]);
            if (strncmp(p, keys[i], kl) == 0 && p[kl] == '=')
                ok = 1;
        }
        if (!ok)
            return 0;
        p = strchr(p, '&');
    }
    return 1;
}

/* A decimal argument; 0 (keeps *v) if absent, -1 if malformed. */
static int arg_u64(const char *args, const char *key, uint64_t *v)
{
    char buf[32], *end = NULL;
    int r = arg_get(args, key, buf, sizeof(buf));

    if (r != 1)
        return r;
    *v = strtoull(buf, &end, 10);
    return end == buf || *end != '\0' ? -1 : 1;
}

/* The library of a build: "narrow" is libtcosim.so.0; another build NAME is
 * libtcosim-NAME.so.0, in the directory of $TCO_SIM_LIB when that is set. 0, or -1 for an
 * unknown build or a path that does not fit. */
static int sim_build_lib(const char *build, char *lib, size_t cap)
{
    static const char *const builds[] = {"narrow", "hx8k", "up5k"};
    const char *e = getenv("TCO_SIM_LIB"), *slash;
    size_t i, dl = 0;
    int known = 0;

    for (i = 0; i < sizeof(builds) / sizeof(builds[0]); i++)
        known |= strcmp(build, builds[i]) == 0;
    if (!known)
        return -1;
    slash = e ? strrchr(e, '/') : NULL;
    if (strcmp(build, "narrow") == 0) {
        if (e == NULL) {
            strcpy(lib, "libtcosim.so.0");
            return 0;
        }
        if (strlen(e) >= cap)
            return -1;
        strcpy(lib, e);
        return 0;
    }
    if (slash)
        dl = (size_t)(slash - e) + 1;
    if (dl + strlen("libtcosim-.so.0") + strlen(build) >= cap)
        return -1;
    memcpy(lib, e, dl);
    snprintf(lib + dl, cap - dl, "libtcosim-%s.so.0", build);
    return 0;
}

static tco_status sim_open(tco_transport **tp, const char *args)
{
    char trace[512], lib[512], tmo[32], build[16];
    uint64_t faults = 0, resets = 0, seed = 1;
    int have_trace;
    tco_transport *t;

    if (!args_valid(args) || arg_get(args, "trace", trace, sizeof(trace)) < 0 ||
        arg_get(args, "lib", lib, sizeof(lib)) < 0 || arg_get(args, "timeout", tmo, sizeof(tmo)) < 0)
        return TCO_ERR_BAD_URI;
    have_trace = arg_get(args, "trace", trace, sizeof(trace)) == 1;
    if (arg_u64(args, "faults", &faults) < 0 || arg_u64(args, "resets", &resets) < 0 ||
        arg_u64(args, "seed", &seed) < 0 || faults > 1000000 || resets > 1000000)
        return TCO_ERR_BAD_URI;
    if (arg_get(args, "build", build, sizeof(build)) < 0)
        return TCO_ERR_BAD_URI;
    if (arg_get(args, "build", build, sizeof(build)) == 1) {
        /* build names a library: not together with lib */
        if (arg_get(args, "lib", lib, sizeof(lib)) == 1 || sim_build_lib(build, lib, sizeof(lib)) != 0)
            return TCO_ERR_BAD_URI;
    } else if (arg_get(args, "lib", lib, sizeof(lib)) != 1) {
        const char *e = getenv("TCO_SIM_LIB");
        if (e && strlen(e) < sizeof(lib))
            strcpy(lib, e);
        else
            strcpy(lib, "libtcosim.so.0");
    }
    t = calloc(1, sizeof(*t));
    if (t == NULL)
        return TCO_ERR_NO_MEMORY;
    t->timeout = SIM_DEFAULT_TIMEOUT;
    t->fault_ppm = (uint32_t)faults;
    t->reset_ppm = (uint32_t)resets;
    t->rng = seed ? seed : 1;
    t->have_trace = have_trace;
    if (have_trace)
        memcpy(t->trace, trace, sizeof(t->trace));
    if (arg_get(args, "timeout", tmo, sizeof(tmo)) == 1) {
        char *end = NULL;
        unsigned long long v = strtoull(tmo, &end, 10);
        if (end == tmo || *end != '\0' || v == 0) {
            free(t);
            return TCO_ERR_BAD_URI;
        }
        t->timeout = v;
    }
    t->dl = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
    if (t->dl == NULL) {
        free(t);
        return TCO_ERR_UNSUPPORTED;
    }
#define SYM(field, name)                                                                     \
    do {                                                                                     \
        *(void **)(&t->field) = dlsym(t->dl, name);                                          \
        if (t->field == NULL)                                                                \
            goto bad;                                                                        \
    } while (0)
    SYM(abi, "tco_sim_abi");
    SYM(create, "tco_sim_create");
    SYM(destroy, "tco_sim_destroy");
    SYM(push, "tco_sim_push");
    SYM(pull, "tco_sim_pull");
    SYM(tx_pending, "tco_sim_tx_pending");
    SYM(step, "tco_sim_step");
    SYM(run_until, "tco_sim_run_until");
    SYM(cycles, "tco_sim_cycles");
#undef SYM
    if (t->abi() != TCO_SIM_ABI)
        goto bad;
    t->sim = t->create(have_trace ? trace : NULL);
    if (t->sim == NULL)
        goto bad;
    *tp = t;
    return TCO_OK;
bad:
    dlclose(t->dl);
    free(t);
    return TCO_ERR_UNSUPPORTED;
}

static void sim_close(tco_transport *t)
{
    if (t == NULL)
        return;
    t->destroy(t->sim);
    dlclose(t->dl);
    free(t);
}

static tco_status sim_send(tco_transport *t, const uint8_t *p, size_t n)
{
    if (t->reset_ppm && fault_rand(t) % 1000000u < t->reset_ppm) {
        /* a device reset: a fresh device, nothing of the old one survives */
        tco_sim *fresh = t->create(t->have_trace ? t->trace : NULL);
        if (fresh != NULL) {
            t->destroy(t->sim);
            t->sim = fresh;
            t->stats[TCO_FAULT_RESET]++;
        }
    }
    if (t->fault_ppm) {
        while (n > 0) {
            size_t take = n < FAULT_BUF / 2 ? n : FAULT_BUF / 2;
            size_t m = fault_apply(t, p, take, t->fbuf, sizeof(t->fbuf));
            if (t->push(t->sim, t->fbuf, m) != m)
                return TCO_ERR_NO_MEMORY;
            p += take;
            n -= take;
        }
        return TCO_OK;
    }
    return t->push(t->sim, p, n) == n ? TCO_OK : TCO_ERR_NO_MEMORY;
}

static tco_status sim_recv(tco_transport *t, uint8_t *p, size_t cap, size_t *got)
{
    if (t->fault_ppm && fault_rand(t) % 1000000u < t->fault_ppm) {
        /* a stall: the answer (if any) stays queued past the host's timeout */
        t->step(t->sim, 1000);
        t->stats[TCO_FAULT_STALL]++;
        *got = 0;
        return TCO_ERR_TIMEOUT;
    }
    if (t->tx_pending(t->sim) == 0)
        t->run_until(t->sim, 1, t->timeout);
    if (t->fault_ppm) {
        size_t n = t->pull(t->sim, t->fbuf, cap / 2 < FAULT_BUF / 2 ? cap / 2 : FAULT_BUF / 2);
        *got = fault_apply(t, t->fbuf, n, p, cap);
        if (n > 0 && *got == 0) { /* everything dropped: say so as a short wait would */
            return TCO_ERR_TIMEOUT;
        }
        return *got ? TCO_OK : TCO_ERR_TIMEOUT;
    }
    *got = t->pull(t->sim, p, cap);
    return *got ? TCO_OK : TCO_ERR_TIMEOUT;
}

static void sim_fault_stats(tco_transport *t, uint64_t st[TCO_FAULT_KINDS])
{
    memcpy(st, t->stats, sizeof(t->stats));
}

static void sim_idle(tco_transport *t)
{
    t->step(t->sim, SIM_FRAME_IDLE);
}

static uint64_t sim_cycles(tco_transport *t)
{
    return t->cycles(t->sim);
}

const tco_transport_ops tco_transport_sim = {
    .scheme = "sim",
    .open = sim_open,
    .close = sim_close,
    .send = sim_send,
    .recv = sim_recv,
    .idle = sim_idle,
    .cycles = sim_cycles,
    .fault_stats = sim_fault_stats,
};
