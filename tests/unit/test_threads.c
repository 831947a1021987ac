/* SPDX-License-Identifier: Apache-2.0 */
/* The thread rule of tco.h: different handles may be used concurrently. Four threads, each
 * with its own handle, run derivations and flows at once; every result must match the one
 * computed beforehand on a single thread. */
#include "tcheck.h"
#include "tco.h"

#include <pthread.h>

#define THREADS 4
#define ROUNDS 300

typedef struct job {
    uint8_t key[32];
    uint8_t want[ROUNDS][32];
    int bad;
} job;

static int run_rounds(const uint8_t key[32], uint8_t out[ROUNDS][32])
{
    tco_dev *d = NULL;
    tco_slot s;
    int bad = 0;

    if (tco_open(&d, "soft:") != TCO_OK)
        return ROUNDS;
    tco_slot_alloc(d, &s);
    tco_key_load(d, s, key, 32, TCO_USE_KDF | TCO_USE_KDF_OUT);
    for (int r = 0; r < ROUNDS; r++) {
        uint8_t c[4] = {0, 0, (uint8_t)(r >> 8), (uint8_t)r};
        tco_kdf_param p = {.data = c, .len = 4};
        bad += tco_kdf(d, s, 0x16, &p, 1, out[r]) != TCO_OK;
    }
    tco_close(d);
    return bad;
}

static void *worker(void *arg)
{
    job *j = arg;
    static __thread uint8_t got[ROUNDS][32];

    j->bad = run_rounds(j->key, got);
    for (int r = 0; r < ROUNDS; r++)
        j->bad += memcmp(got[r], j->want[r], 32) != 0;
    return NULL;
}

int main(void)
{
    static job jobs[THREADS];
    pthread_t th[THREADS];

    for (int t = 0; t < THREADS; t++) {
        for (int i = 0; i < 32; i++)
            jobs[t].key[i] = (uint8_t)(t * 37 + i);
        CHECK(run_rounds(jobs[t].key, jobs[t].want) == 0);
    }
    for (int t = 0; t < THREADS; t++)
        CHECK(pthread_create(&th[t], NULL, worker, &jobs[t]) == 0);
    for (int t = 0; t < THREADS; t++) {
        pthread_join(th[t], NULL);
        CHECK_CASES("concurrent handles", jobs[t].bad, ROUNDS);
    }
    return t_done("test_threads");
}
