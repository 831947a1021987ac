/* SPDX-License-Identifier: Apache-2.0 */
/* auto: opens the first device that is present and passes its known-answer self-test. It
 * falls back to soft: only where the caller allows it (auto:?fallback=soft), and never
 * silently: a TCO_LOG_WARN line and tco_info.fallback say so. tco_health_check's switch of
 * such a handle to soft: is here too.
 *
 * URI: auto:[?fallback=soft][&try=SCHEME,SCHEME...][&health=MS]
 *   health  run the health check (tco_health_check) before an engine call whenever MS
 *           milliseconds have passed since the last one: the periodic known-answer self-test
 *   fallback  "soft": soft: when no device is present or every one present fails
 *   try       schemes to try in order, each with its default arguments (default: usb,pcie)
 * Without try=, $TCO_AUTO_TRY (when set) lists whole URIs separated by spaces, e.g.
 * "pcie:/dev/xdma1?timeout=200 usb:": for other device paths, and for the tests.
 * soft: and auto: are never candidates. */
#include "tco_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The devices auto: looks for, in order. A scheme whose backend is not built into the library
 * (not in tco.c's backends[]) is skipped, so a new device backend is one line here. */
static const char *const auto_default[] = {"usb:", "pcie:"};

#define AUTO_TRY_MAX 8

typedef struct probe {
    bool failed;         /* a device was present and failed */
    tco_status last_err; /* its status */
    char tried[160];     /* for the log */
} probe;

enum { P_TAKEN, P_ABSENT, P_FAILED, P_BAD };

static int try_one(tco_dev *dev, const char *uri, probe *pr)
{
    const char *colon = strchr(uri, ':');
    size_t slen = colon ? (size_t)(colon - uri) : 0, tl = strlen(pr->tried);
    const tco_backend_ops *ops;
    tco_status st;

    if (slen == 0 || (slen == 4 && memcmp(uri, "soft", 4) == 0) ||
        (slen == 4 && memcmp(uri, "auto", 4) == 0)) {
        tco_log(dev, TCO_LOG_ERROR, "auto: '%.60s' is not a device URI", uri);
        return P_BAD;
    }
    snprintf(pr->tried + tl, sizeof(pr->tried) - tl, "%s%.*s", tl ? ", " : "", (int)slen + 1, uri);
    ops = tco_backend_find(uri, slen);
    if (ops == NULL) {
        tco_log(dev, TCO_LOG_DEBUG, "auto: %.*s not built into this library", (int)slen, uri);
        return P_ABSENT;
    }
    st = tco_dev_open(dev, ops, colon + 1);
    if (st == TCO_OK) {
        tco_log(dev, TCO_LOG_INFO, "auto: using %.100s", uri);
        return P_TAKEN;
    }
    if (st == TCO_ERR_BAD_URI) {
        tco_log(dev, TCO_LOG_ERROR, "auto: malformed candidate %.100s", uri);
        return P_BAD;
    }
    if (st == TCO_ERR_NO_DEVICE || st == TCO_ERR_UNSUPPORTED) {
        tco_log(dev, TCO_LOG_INFO, "auto: %.100s not present (%s)", uri, tco_strerror(st));
        return P_ABSENT;
    }
    tco_log(dev, TCO_LOG_WARN, "auto: %.100s present but failed (%s)", uri, tco_strerror(st));
    pr->failed = true;
    pr->last_err = st;
    return P_FAILED;
}

/* Value of key in "?k=v&k=v" into out; 1 found, 0 absent, -1 too long. */
static int opt_get(const char *args, const char *key, char *out, size_t cap)
{
    size_t kl = strlen(key);

    for (const char *p = args; p != NULL && *p; p = strchr(p, '&')) {
        p++;
        if (strncmp(p, key, kl) == 0 && p[kl] == '=') {
            size_t n = strcspn(p + kl + 1, "&");
            if (n + 1 > cap)
                return -1;
            memcpy(out, p + kl + 1, n);
            out[n] = '\0';
            return 1;
        }
    }
    return 0;
}

static bool opts_valid(const char *args)
{
    if (*args == '\0')
        return true;
    if (*args != '?')
        return false;
    for (const char *p = args; p != NULL; p = strchr(p, '&')) {
        p++;
        if (strncmp(p, "fallback=", 9) != 0 && strncmp(p, "try=", 4) != 0 &&
            strncmp(p, "health=", 7) != 0)
            return false;
    }
    return true;
}

tco_status tco_auto_open(tco_dev *dev, const char *args)
{
    char fb[16], list[128], uri[40];
    const char *env = getenv("TCO_AUTO_TRY");
    bool allow = false;
    int r = P_ABSENT, have_try;
    probe pr;
    tco_status st;

    memset(&pr, 0, sizeof(pr));
    if (!opts_valid(args))
        return TCO_ERR_BAD_URI;
    switch (opt_get(args, "fallback", fb, sizeof(fb))) {
    case 0: break;
    case 1:
        if (strcmp(fb, "soft") != 0)
            return TCO_ERR_BAD_URI;
        allow = true;
        break;
    default: return TCO_ERR_BAD_URI;
    }
    {
        char hv[16], *end = NULL;
        int hr = opt_get(args, "health", hv, sizeof(hv));
        unsigned long long ms = 0;
        if (hr < 0)
            return TCO_ERR_BAD_URI;
        if (hr == 1) {
            ms = strtoull(hv, &end, 10);
            if (end == hv || *end != '\0' || ms == 0 || ms > 86400000ull)
                return TCO_ERR_BAD_URI;
        }
        dev->health_ns = ms * 1000000ull;
        dev->health_last_ns = tco_now_ns();
    }
    have_try = opt_get(args, "try", list, sizeof(list));
    if (have_try < 0)
        return TCO_ERR_BAD_URI;

    if (have_try == 1) {
        /* "pcie,usb": schemes with their default arguments */
        const char *p = list;
        for (int k = 0; r != P_TAKEN && r != P_BAD; k++) {
            size_t n = strcspn(p, ",");
            if (n == 0 || n + 2 > sizeof(uri) || k == AUTO_TRY_MAX)
                return TCO_ERR_BAD_URI;
            memcpy(uri, p, n);
            uri[n] = ':';
            uri[n + 1] = '\0';
            if (strchr(uri, '?') != NULL)
                return TCO_ERR_BAD_URI;
            r = try_one(dev, uri, &pr);
            if (p[n] == '\0')
                break;
            p += n + 1;
        }
    } else if (env != NULL && env[0] != '\0') {
        char *copy = strdup(env), *save = NULL;
        if (copy == NULL)
            return TCO_ERR_NO_MEMORY;
        for (char *u = strtok_r(copy, " \t\n", &save); u != NULL && r != P_TAKEN && r != P_BAD;
             u = strtok_r(NULL, " \t\n", &save))
            r = try_one(dev, u, &pr);
        free(copy);
    } else {
        for (size_t i = 0; i < TCO_ARRAY_LEN(auto_default) && r != P_TAKEN; i++)
            r = try_one(dev, auto_default[i], &pr);
    }
    if (r == P_BAD)
        return TCO_ERR_BAD_URI;
    dev->auto_fallback = allow;
    if (r == P_TAKEN) {
        dev->fallback = TCO_FALLBACK_NONE;
        return TCO_OK;
    }
    if (!allow) {
        tco_log(dev, TCO_LOG_ERROR,
                "auto: no working device (tried: %s); soft: not allowed "
                "(auto:?fallback=soft)",
                pr.tried[0] ? pr.tried : "nothing");
        return pr.failed ? pr.last_err : TCO_ERR_NO_DEVICE;
    }
    st = tco_dev_open(dev, &tco_soft_backend, "");
    if (st != TCO_OK)
        return st;
    dev->fallback = pr.failed ? TCO_FALLBACK_FAILED : TCO_FALLBACK_NO_DEVICE;
    tco_log(dev, TCO_LOG_WARN, "auto: %s (tried: %s); FALLBACK to soft: (keys in this process)",
            pr.failed ? "every device present failed" : "no device present",
            pr.tried[0] ? pr.tried : "nothing");
    return TCO_OK;
}

tco_status tco_auto_failover(tco_dev *dev)
{
    const char *old = dev->ops->scheme;
    unsigned lost = 0;
    tco_dev tmp;
    tco_status st;

    /* soft: first, so that a failure leaves the handle as it was */
    memset(&tmp, 0, sizeof(tmp));
    tmp.log = dev->log;
    tmp.log_user = dev->log_user;
    tmp.log_level = dev->log_level;
    st = tco_dev_open(&tmp, &tco_soft_backend, "");
    if (st != TCO_OK) {
        tco_log(dev, TCO_LOG_ERROR, "health check: soft: did not open (%s); staying on %s",
                tco_strerror(st), old);
        return TCO_ERR_SELFTEST;
    }
    /* keep the caller's slot reservations; their keys stay behind */
    for (tco_slot s = 0; s < dev->num_slots; s++) {
        if (s < tmp.num_slots)
            tmp.slot_used[s] = dev->slot_used[s];
        else if (dev->slot_used[s])
            lost++;
    }
    tco_dev_release(dev, true); /* best effort: erase what the device still takes, close */
    dev->ops = tmp.ops;
    dev->be = tmp.be;
    dev->num_slots = tmp.num_slots;
    dev->caps = tmp.caps;
    dev->max_data = tmp.max_data;
    dev->max_mac = tmp.max_mac;
    dev->max_srtp = tmp.max_srtp;
    dev->slot_used = tmp.slot_used;
    dev->fallback = TCO_FALLBACK_FAILED;
    tco_log(dev, TCO_LOG_WARN,
            "health check: %s failed; FALLBACK to soft: - every slot is empty, reload the keys%s",
            old, lost ? " (reservations above soft:'s slot count dropped)" : "");
    return TCO_ERR_FAILED_OVER;
}
