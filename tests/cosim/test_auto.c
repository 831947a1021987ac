/* SPDX-License-Identifier: Apache-2.0 */
/* auto: takes the first device that is present and passes its self-test, and falls back to
 * soft: only when the caller allows it, never silently (a WARN line, tco_info.fallback). No
 * USB or PCIe device exists here, so the candidates come from $TCO_AUTO_TRY: missing device
 * nodes, the simulated device, and the simulated device on a link that loses every octet
 * (present, but it fails). The switch of a running handle by tco_health_check is in
 * test_pcie (a card that disappears).
 *
 * usage: test_auto   (needs TCO_SIM_LIB, as the other cosim tests) */
#include "tcheck.h"
#include "tco.h"

static char log_buf[4096];

static void log_fn(void *user, tco_log_level level, const char *msg)
{
    size_t n = strlen(log_buf);
    (void)user;
    if (level <= TCO_LOG_WARN && n + strlen(msg) + 2 < sizeof(log_buf))
        snprintf(log_buf + n, sizeof(log_buf) - n, "%s\n", msg);
}

/* Open uri with $TCO_AUTO_TRY = try (NULL: unset); the WARN/ERROR lines land in log_buf. */
static tco_status open_auto(tco_dev **d, const char *uri, const char *try)
{
    tco_open_opts o = {.log = log_fn, .log_level = TCO_LOG_WARN};

    if (try)
        setenv("TCO_AUTO_TRY", try, 1);
    else
        unsetenv("TCO_AUTO_TRY");
    log_buf[0] = '\0';
    return tco_open_ex(d, uri, &o);
}

static void expect(tco_dev *d, const char *backend, uint32_t fallback)
{
    tco_info info;

    CHECK_ST(tco_get_info(d, &info), TCO_OK);
    if (strcmp(info.backend, backend) != 0 || info.fallback != fallback)
        fprintf(stderr, "got %s fallback %u, want %s fallback %u\n", info.backend,
                (unsigned)info.fallback, backend, (unsigned)fallback);
    CHECK(strcmp(info.backend, backend) == 0 && info.fallback == fallback);
}

int main(void)
{
    const char *none = "pcie:/nonexistent/xdma7 pcie:?h2c=/nonexistent/a&c2h=/nonexistent/b";
    const char *broken = "sim:?faults=1000000&timeout=2000";
    char list[256];
    tco_dev *d = NULL;
    tco_slot s;

    /* nothing present, no fallback allowed: a clear error, no handle */
    CHECK_ST(open_auto(&d, "auto:", none), TCO_ERR_NO_DEVICE);
    CHECK(d == NULL && strstr(log_buf, "no working device") != NULL);

    /* nothing present, fallback allowed: soft:, and it says so */
    CHECK_ST(open_auto(&d, "auto:?fallback=soft", none), TCO_OK);
    CHECK(strstr(log_buf, "FALLBACK to soft:") != NULL);
    expect(d, "soft", TCO_FALLBACK_NO_DEVICE);
    CHECK_ST(tco_health_check(d), TCO_OK);
    tco_close(d);

    /* the first device that works is taken: a missing one and a failing one are passed by */
    snprintf(list, sizeof(list), "pcie:/nonexistent/xdma7 %s sim:", broken);
    CHECK_ST(open_auto(&d, "auto:?fallback=soft", list), TCO_OK);
    CHECK(strstr(log_buf, "present but failed") != NULL && strstr(log_buf, "FALLBACK") == NULL);
    expect(d, "sim", TCO_FALLBACK_NONE);
    CHECK_ST(tco_health_check(d), TCO_OK);
    tco_close(d);

    /* the only device fails its checks: soft: where allowed (reported), its error where not */
    CHECK_ST(open_auto(&d, "auto:?fallback=soft", broken), TCO_OK);
    CHECK(strstr(log_buf, "FALLBACK to soft:") != NULL);
    expect(d, "soft", TCO_FALLBACK_FAILED);
    tco_close(d);
    {
        tco_status st = open_auto(&d, "auto:", broken);
        CHECK(st != TCO_OK && st != TCO_ERR_NO_DEVICE && d == NULL);
    }

    /* try= names schemes (their default arguments) and wins over the environment */
    CHECK_ST(open_auto(&d, "auto:?try=sim&fallback=soft", none), TCO_OK);
    expect(d, "sim", TCO_FALLBACK_NONE);
    tco_close(d);

    /* soft: is never a candidate; malformed options are refused */
    CHECK_ST(open_auto(&d, "auto:", "soft:"), TCO_ERR_BAD_URI);
    CHECK_ST(open_auto(&d, "auto:?try=soft", NULL), TCO_ERR_BAD_URI);
    CHECK_ST(open_auto(&d, "auto:?try=auto", NULL), TCO_ERR_BAD_URI);
    CHECK_ST(open_auto(&d, "auto:?fallback=hard", NULL), TCO_ERR_BAD_URI);
    CHECK_ST(open_auto(&d, "auto:?bogus=1", NULL), TCO_ERR_BAD_URI);
    CHECK_ST(open_auto(&d, "auto:fallback=soft", NULL), TCO_ERR_BAD_URI);
    CHECK_ST(open_auto(&d, "auto:?try=", NULL), TCO_ERR_BAD_URI);
    unsetenv("TCO_AUTO_TRY");

    /* the health check on plain handles: the self-test; it needs a free slot */
    CHECK_ST(tco_health_check(NULL), TCO_ERR_INVALID_ARG);
    CHECK_ST(tco_open(&d, "soft:"), TCO_OK);
    CHECK_ST(tco_health_check(d), TCO_OK);
    while (tco_slot_alloc(d, &s) == TCO_OK)
        ;
    CHECK_ST(tco_health_check(d), TCO_ERR_NO_FREE_SLOT);
    expect(d, "soft", TCO_FALLBACK_NONE);
    tco_close(d);
    return t_done("test_auto");
}
