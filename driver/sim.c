/* SPDX-License-Identifier: Apache-2.0 */
/* sim transport: loads libtcosim (the Verilated device, sim/tco_sim.h) with dlopen and
 * drives its clock while the host waits for octets.
 *
 * URI: sim:[?trace=FILE.fst][&lib=PATH][&timeout=CYCLES]
 *   trace    write an FST waveform of the whole session
 *   lib      libtcosim to load (default: $TCO_SIM_LIB, else "libtcosim.so.0" from the
 *            loader's search path, which includes the RUNPATH of the program or library)
 *   timeout  cycles to wait for a response octet before TCO_ERR_TIMEOUT (default 2000000) */
#include "transport.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "tco_sim.h"

#define SIM_DEFAULT_TIMEOUT 2000000u
#define SIM_FRAME_IDLE 8192u /* > the device's frame TIMEOUT parameter */

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
};

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
    static const char *const keys[] = {"trace", "lib", "timeout"};
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

static tco_status sim_open(tco_transport **tp, const char *args)
{
    char trace[512], lib[512], tmo[32];
    int have_trace;
    tco_transport *t;

    if (!args_valid(args) || arg_get(args, "trace", trace, sizeof(trace)) < 0 ||
        arg_get(args, "lib", lib, sizeof(lib)) < 0 || arg_get(args, "timeout", tmo, sizeof(tmo)) < 0)
        return TCO_ERR_BAD_URI;
    have_trace = arg_get(args, "trace", trace, sizeof(trace)) == 1;
    if (arg_get(args, "lib", lib, sizeof(lib)) != 1) {
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
    return t->push(t->sim, p, n) == n ? TCO_OK : TCO_ERR_NO_MEMORY;
}

static tco_status sim_recv(tco_transport *t, uint8_t *p, size_t cap, size_t *got)
{
    if (t->tx_pending(t->sim) == 0)
        t->run_until(t->sim, 1, t->timeout);
    *got = t->pull(t->sim, p, cap);
    return *got ? TCO_OK : TCO_ERR_TIMEOUT;
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
};
