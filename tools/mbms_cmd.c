/* SPDX-License-Identifier: Apache-2.0 */
/* tco mbms run|receive: the MBMS key tree from the command line (docs/mbms.md, "Command
 * line"). `run` plays a script of joins, leaves, traffic-key changes, stream packets and
 * download objects as the key server and sender, and writes what it sent into a directory;
 * `receive` replays that directory as one member: it takes the rekey messages meant for it in
 * event order, interleaved with the stream's packets, and decrypts what it can. */
#include "cliopt.h"
#include "hexarg.h"
#include "mbms_cmds.h"
#include "pcapio.h"
#include "tco.h"
#include "tco_mbms.h"
#include "tco_srtp.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_NAME 64
#define MAX_PAYLOAD 16384u
#define RTP_HDR 12u
#define RTP_PT 96u
#define STREAM_SSRC 0x4D424D53u     /* "MBMS" */
#define TS_STEP 160u                /* RTP timestamp per packet (20 ms at 8 kHz) */
#define SLOT_US 20000LL             /* capture time per packet */
#define START_SEC 1700000000LL      /* capture time of packet 0 */
#define DLT_ETHERNET 1              /* DLT_EN10MB (pcap.h stays inside pcapio.c) */
#define MAX_INDEX 0xFFFFFFFFFFFFull /* 48-bit SRTP index */
#define MAX_LIVE_SKIP 32766u        /* a larger jump would defeat the receivers' SEQ estimate */
#define GROWTH (TCO_MBMS_MKI_LEN + 4u + 10u) /* MKI, RFC 4771 ROC, tag */
#define FRAME_CAP (PIO_UDP4_OVERHEAD + RTP_HDR + MAX_PAYLOAD + GROWTH)
#define REC_HDR 13u /* rekey.bin: type (1), event (4), member (4), length (4) */
#define REC_UNICAST 1u
#define REC_MULTICAST 2u
#define ALL_MEMBERS 0xFFFFFFFFu
#define MAX_SEED 64
#define MAX_DOWNLOADS 16
#define DEFAULT_MAX_MEMBERS 1024u
#define PATH_CAP 1024 /* file names in DIR */
#define ERR_CAP 2048  /* a message naming a file */

static const uint8_t src_ip[4] = {10, 0, 0, 1}, dst_ip[4] = {239, 1, 1, 1};
#define STREAM_PORT 5004

/* ----------------------------------------------------------------------------------------- */
/* Small helpers */

static void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Zeroise and free (a buffer that held key material). */
static void wipe_free(void *p, size_t n)
{
    if (p == NULL)
        return;
    OPENSSL_cleanse(p, n);
    free(p);
}

/* A whole file into memory, NUL-terminated (len excludes the NUL). 0, or -1 with a message. */
static int slurp(const char *path, uint8_t **buf, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    uint8_t *b = NULL, *nb;
    size_t n = 0, cap = 0, got;

    *buf = NULL;
    *len = 0;
    if (f == NULL) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    for (;;) {
        if (cap - n < 4096) {
            cap = cap ? cap * 2 : 65536;
            nb = malloc(cap + 1);
            if (nb == NULL) {
                wipe_free(b, n);
                fclose(f);
                snprintf(err, errlen, "%s: out of memory", path);
                return -1;
            }
            if (b != NULL)
                memcpy(nb, b, n);
            wipe_free(b, n); /* scripts and member lists hold keys */
            b = nb;
        }
        got = fread(b + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        wipe_free(b, n);
        fclose(f);
        return -1;
    }
    fclose(f);
    b[n] = '\0';
    *buf = b;
    *len = n;
    return 0;
}

/* dir/name into out; -1 if too long. */
static int join_path(char *out, size_t cap, const char *dir, const char *name)
{
    int n = snprintf(out, cap, "%s/%s", dir, name);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* Member names: 1..64 of A-Z a-z 0-9 . _ - : @ */
static int valid_name(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > MAX_NAME)
        return 0;
    for (; *s; s++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-' || c == ':' || c == '@'))
            return 0;
    }
    return 1;
}

/* Close a file written with stdio; 0, or -1 (message in err). */
static int close_out(FILE *f, const char *path, char *err, size_t errlen)
{
    int bad;

    if (f == NULL)
        return 0;
    bad = fflush(f) != 0 || ferror(f);
    if (fclose(f) != 0)
        bad = 1;
    if (bad)
        snprintf(err, errlen, "%s: write error: %s", path, strerror(errno));
    return bad ? -1 : 0;
}

static int write_file(const char *path, const uint8_t *b, size_t n, char *err, size_t errlen)
{
    FILE *f = fopen(path, "wb");

    if (f == NULL) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (n > 0 && fwrite(b, 1, n, f) != n) {
        snprintf(err, errlen, "%s: write error: %s", path, strerror(errno));
        fclose(f);
        return -1;
    }
    return close_out(f, path, err, errlen);
}

static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;

    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

static int link_error(tco_status st)
{
    return st == TCO_ERR_IO || st == TCO_ERR_TIMEOUT || st == TCO_ERR_PROTOCOL;
}

/* Progress line on stderr about every 2 seconds, when stderr is a terminal or --progress. */
typedef struct progress {
    int on, shown;
    double last;
} progress;

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void progress_init(progress *p, int forced)
{
    p->on = forced || isatty(STDERR_FILENO);
    p->shown = 0;
    p->last = p->on ? now_s() : 0.0;
}

static void progress_tick(progress *p, const char *cmd, uint64_t done, uint64_t total,
                          uint64_t packets)
{
    double t;

    if (!p->on)
        return;
    t = now_s();
    if (t - p->last < 2.0)
        return;
    p->last = t;
    p->shown = 1;
    fprintf(stderr, "\rtco %s: event %llu of %llu, %llu packets ", cmd, (unsigned long long)done,
            (unsigned long long)total, (unsigned long long)packets);
    fflush(stderr);
}

static void progress_end(progress *p)
{
    if (p->shown)
        fputc('\n', stderr);
    p->shown = 0;
}

/* The options both subcommands share: the stream's SRTP policy. */
static int parse_profile(const char *cmd, const char *v, tco_srtp_profile *prof)
{
    if (tco_srtp_profile_by_name(v, prof) != TCO_OK)
        return cli_usage(cmd, "--profile must be AES_CM_128_HMAC_SHA1_80, "
                              "AES_CM_128_HMAC_SHA1_32 or AES_256_CM_HMAC_SHA1_80");
    return 0;
}

static int check_policy(const char *cmd, const tco_srtp_policy *pol)
{
    if ((pol->rcc_mode == TCO_SRTP_RCCM1 || pol->rcc_mode == TCO_SRTP_RCCM2) &&
        tco_srtp_tag_len(pol->profile) < 10)
        return cli_usage(cmd, "--rcc-mode 1 and 2 need a profile with an 80-bit tag");
    return 0;
}

/* ----------------------------------------------------------------------------------------- */
/* The script */

typedef enum ev_kind { EV_JOIN, EV_LEAVE, EV_MTK, EV_SEND, EV_DOWNLOAD, EV_SEQ0, EV_SKIP } ev_kind;

typedef struct event {
    ev_kind kind;
    unsigned line;
    int rekey; /* join */
    char name[MAX_NAME + 1];
    uint8_t key[32]; /* join: the leaf key */
    uint64_t a, b;   /* mtk: ID; send: count, size; download: ID; seq0: S; skip: K */
    size_t join_ix;  /* leave: its join */
    uint32_t id;     /* join: the member id the server gave */
    char *path;      /* download: the file */
} event;

typedef struct script {
    event *ev;
    size_t n, cap;
} script;

static void script_free(script *sc)
{
    if (sc->ev == NULL)
        return;
    for (size_t i = 0; i < sc->cap; i++)
        free(sc->ev[i].path);
    wipe_free(sc->ev, sc->cap * sizeof(*sc->ev));
    sc->ev = NULL;
}

/* Names in the group while the script is checked, open addressing: name -> index of its
 * join event, SIZE_MAX when not a member. */
typedef struct name_map {
    size_t cap;
    const char **name;
    size_t *ix;
} name_map;

static size_t *map_slot(name_map *m, const char *name)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    size_t i;

    for (const char *c = name; *c; c++)
        h = (h ^ (uint8_t)*c) * 1099511628211ull;
    for (i = (size_t)h & (m->cap - 1); m->name[i] != NULL && strcmp(m->name[i], name) != 0;)
        i = (i + 1) & (m->cap - 1);
    if (m->name[i] == NULL) {
        m->name[i] = name;
        m->ix[i] = SIZE_MAX;
    }
    return &m->ix[i];
}

/* A download file named in the script: relative to the script's directory. */
static char *script_rel(const char *script_path, const char *file)
{
    const char *slash = strrchr(script_path, '/');
    size_t dl = slash == NULL || file[0] == '/' ? 0 : (size_t)(slash - script_path) + 1;
    size_t fl = strlen(file);
    char *p = malloc(dl + fl + 1);

    if (p == NULL)
        return NULL;
    memcpy(p, script_path, dl);
    memcpy(p + dl, file, fl + 1);
    return p;
}

typedef struct script_ctx {
    const char *path;
    unsigned line;
    char *err;
    size_t errlen;
} script_ctx;

static int script_err(script_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int script_err(script_ctx *c, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(c->err, c->errlen, "%s:%u: ", c->path, c->line);

    if (n > 0 && (size_t)n < c->errlen) {
        va_start(ap, fmt);
        vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* State of the checks while the script is read. */
typedef struct script_chk {
    name_map map;
    uint64_t idx; /* SRTP index of the next packet */
    int sent, skipped;
    uint64_t *dl_ids;
    size_t nd;
} script_chk;

static const char name_rule[] = "a name is 1..64 of A-Z a-z 0-9 . _ - : @";

/* One event line, tokens tok[0..nt-1], into e. 0, or -1 with the message. */
static int script_event(script_ctx *c, script_chk *k, char **tok, size_t nt, size_t key_len,
                        script *sc, event *e)
{
    unsigned long v;

    if (strcmp(tok[0], "join") == 0) {
        size_t *ix;
        long kl;
        if (nt < 3 || nt > 4 || (nt == 4 && strcmp(tok[3], "rekey") != 0))
            return script_err(c, "expected 'join NAME LEAFKEY [rekey]'");
        kl = hex_parse(tok[2], e->key, sizeof(e->key));
        if (kl < 0 || (size_t)kl != key_len)
            return script_err(c, "the leaf key must be %zu octets of hex (--key-len)", key_len);
        if (!valid_name(tok[1]))
            return script_err(c, "%s", name_rule);
        e->kind = EV_JOIN;
        e->rekey = nt == 4;
        memcpy(e->name, tok[1], strlen(tok[1]) + 1);
        ix = map_slot(&k->map, e->name);
        if (*ix != SIZE_MAX)
            return script_err(c, "%s is a member already (line %u)", e->name, sc->ev[*ix].line);
        *ix = sc->n;
    } else if (strcmp(tok[0], "leave") == 0) {
        size_t *ix;
        if (nt != 2)
            return script_err(c, "expected 'leave NAME'");
        if (!valid_name(tok[1]))
            return script_err(c, "%s", name_rule);
        e->kind = EV_LEAVE;
        memcpy(e->name, tok[1], strlen(tok[1]) + 1);
        ix = map_slot(&k->map, e->name);
        if (*ix == SIZE_MAX)
            return script_err(c, "%s is not a member", e->name);
        e->join_ix = *ix;
        *ix = SIZE_MAX;
    } else if (strcmp(tok[0], "mtk") == 0) {
        if (nt != 2 || num_parse(tok[1], 0xFFFFFFFFul, &v) != 0)
            return script_err(c, "expected 'mtk ID' with ID 0..4294967295");
        e->kind = EV_MTK;
        e->a = v;
    } else if (strcmp(tok[0], "send") == 0) {
        unsigned long size = 160;
        if (nt < 2 || nt > 3 || num_parse(tok[1], 0xFFFFFFFFul, &v) != 0 || v == 0 ||
            (nt == 3 && num_parse(tok[2], MAX_PAYLOAD, &size) != 0))
            return script_err(c, "expected 'send N [SIZE]' with N 1..4294967295, SIZE 0..%u",
                              MAX_PAYLOAD);
        if (v > MAX_INDEX + 1 - k->idx)
            return script_err(c, "the SRTP packet index would pass 2^48");
        e->kind = EV_SEND;
        e->a = v;
        e->b = size;
        k->idx += v;
        k->sent = 1;
    } else if (strcmp(tok[0], "download") == 0) {
        if (nt != 3 || num_parse(tok[1], (unsigned long)-1, &v) != 0)
            return script_err(c, "expected 'download ID FILE' with ID 0..18446744073709551615");
        for (size_t i = 0; i < k->nd; i++)
            if (k->dl_ids[i] == v)
                return script_err(c,
                                  "download object %lu again (an object ID is its "
                                  "encryption's counter block: once per run)",
                                  v);
        k->dl_ids[k->nd++] = v;
        e->kind = EV_DOWNLOAD;
        e->a = v;
        e->path = script_rel(c->path, tok[2]);
        if (e->path == NULL)
            return script_err(c, "out of memory");
    } else if (strcmp(tok[0], "seq0") == 0) {
        if (nt != 2 || num_parse(tok[1], 65535, &v) != 0)
            return script_err(c, "expected 'seq0 S' with S 0..65535");
        if (k->sent || k->skipped)
            return script_err(c, "seq0 must come before every send and skip");
        e->kind = EV_SEQ0;
        e->a = v;
        k->idx = v;
    } else if (strcmp(tok[0], "skip") == 0) {
        if (nt != 2 || num_parse(tok[1], 0xFFFFFFFFul, &v) != 0)
            return script_err(c, "expected 'skip K' with K 0..4294967295");
        if (k->sent && v > MAX_LIVE_SKIP)
            return script_err(c,
                              "after the first send, skip at most %u packets (a receiver "
                              "places a packet by its SEQ only within 2^15)",
                              MAX_LIVE_SKIP);
        if (v > MAX_INDEX + 1 - k->idx)
            return script_err(c, "the SRTP packet index would pass 2^48");
        e->kind = EV_SKIP;
        e->a = v;
        k->idx += v;
        k->skipped = 1;
    } else {
        return script_err(c, "unknown event (join, leave, mtk, send, download, seq0, skip)");
    }
    return 0;
}

/* Read and check the whole script before anything runs. 0, or -1 with "FILE:LINE: ...". */
static int script_load(const char *path, size_t key_len, script *sc, char *err, size_t errlen)
{
    script_ctx c = {path, 0, err, errlen};
    script_chk k;
    uint8_t *buf = NULL;
    size_t len = 0, lines = 1;
    char *p;
    int rc = -1;

    memset(sc, 0, sizeof(*sc));
    memset(&k, 0, sizeof(k));
    if (slurp(path, &buf, &len, err, errlen) != 0)
        return -1;
    if (memchr(buf, '\0', len) != NULL) {
        snprintf(err, errlen, "%s: not a text file", path);
        goto out;
    }
    for (size_t i = 0; i < len; i++)
        lines += buf[i] == '\n';
    for (k.map.cap = 16; k.map.cap < 2 * lines; k.map.cap *= 2)
        ;
    sc->ev = calloc(lines, sizeof(*sc->ev));
    sc->cap = lines;
    k.dl_ids = calloc(lines, sizeof(*k.dl_ids));
    k.map.name = calloc(k.map.cap, sizeof(*k.map.name));
    k.map.ix = calloc(k.map.cap, sizeof(*k.map.ix));
    if (sc->ev == NULL || k.dl_ids == NULL || k.map.name == NULL || k.map.ix == NULL) {
        snprintf(err, errlen, "%s: out of memory", path);
        goto out;
    }
    for (p = (char *)buf; p != NULL;) {
        char *nl = strchr(p, '\n'), *hash, *save = NULL, *tok[5];
        size_t nt = 0;

        c.line++;
        if (nl != NULL)
            *nl = '\0';
        hash = strchr(p, '#');
        if (hash != NULL)
            *hash = '\0';
        for (char *t = strtok_r(p, " \t\r", &save); t != NULL; t = strtok_r(NULL, " \t\r", &save)) {
            if (nt == 5) {
                script_err(&c, "too many fields");
                goto out;
            }
            tok[nt++] = t;
        }
        p = nl != NULL ? nl + 1 : NULL;
        if (nt == 0)
            continue;
        sc->ev[sc->n].line = c.line;
        if (script_event(&c, &k, tok, nt, key_len, sc, &sc->ev[sc->n]) != 0)
            goto out;
        sc->n++;
    }
    rc = 0;
out:
    wipe_free(buf, len); /* it holds the leaf keys */
    free(k.dl_ids);
    free(k.map.name);
    free(k.map.ix);
    if (rc != 0)
        script_free(sc);
    return rc;
}

/* ----------------------------------------------------------------------------------------- */
/* tco mbms run */

typedef struct sender {
    const char *cmd, *script, *dir;
    size_t key_len;
    unsigned long max_members;
    tco_mbms_server *srv;
    tco_srtp *srtp;
    FILE *rekey, *members, *events;
    pio_out *stream;
    uint64_t idx;     /* SRTP index of the next packet: ROC || SEQ */
    uint64_t n;       /* packets since seq0, sent or skipped: RTP timestamp, capture time */
    uint64_t packets; /* written to stream.pcap */
    int started;      /* a packet has been protected */
    int have_mtk;
    uint32_t mtk, send_ver; /* the sending traffic key: MTK ID and group key version */
    uint64_t messages, rekey_octets, downloads;
    progress prog;
    uint64_t done, total;
    uint8_t pkt[RTP_HDR + MAX_PAYLOAD], prot[RTP_HDR + MAX_PAYLOAD + GROWTH], frame[FRAME_CAP];
} sender;

static int put_record(sender *sd, unsigned type, unsigned line, uint32_t member,
                      const tco_mbms_msg *m)
{
    uint8_t h[REC_HDR];

    h[0] = (uint8_t)type;
    put32(h + 1, line);
    put32(h + 5, member);
    put32(h + 9, (uint32_t)m->len);
    if (fwrite(h, 1, REC_HDR, sd->rekey) != REC_HDR ||
        fwrite(m->data, 1, m->len, sd->rekey) != m->len)
        return -1;
    sd->messages++;
    sd->rekey_octets += m->len;
    return 0;
}

/* After a change of the group key the stream moves to the same MTK ID under the new one. */
static tco_status follow(sender *sd, const event *e)
{
    uint32_t v = tco_mbms_group_version(sd->srv);
    tco_status st;

    if (!sd->have_mtk || tco_mbms_members(sd->srv) == 0 || v == sd->send_ver)
        return TCO_OK;
    st = tco_mbms_srtp_rekey(sd->srv, sd->srtp, sd->mtk);
    if (st != TCO_OK)
        return st;
    sd->send_ver = v;
    fprintf(sd->events, "%u mtk %lu %lu\n", e->line, (unsigned long)sd->mtk, (unsigned long)v);
    return TCO_OK;
}

static tco_status send_packets(sender *sd, const event *e)
{
    size_t size = (size_t)e->b, plen = 0, flen;
    uint64_t first = sd->packets, idx0 = sd->idx;
    tco_status st;

    for (uint64_t k = 0; k < e->a; k++) {
        uint64_t t = sd->n * (uint64_t)SLOT_US;
        pio_hdr h;

        sd->pkt[0] = 0x80;
        sd->pkt[1] = RTP_PT;
        put16(sd->pkt + 2, (unsigned)(sd->idx & 0xFFFF));
        put32(sd->pkt + 4, (uint32_t)(sd->n * TS_STEP));
        put32(sd->pkt + 8, STREAM_SSRC);
        for (size_t j = 0; j < size; j++)
            sd->pkt[RTP_HDR + j] = (uint8_t)(sd->n * 7 + j);
        if (!sd->started) { /* the stream's ROC before its first packet (seq0, skip) */
            st = tco_srtp_set_roc(sd->srtp, STREAM_SSRC, (uint32_t)(sd->idx >> 16));
            if (st != TCO_OK)
                return st;
            sd->started = 1;
        }
        st = tco_srtp_protect(sd->srtp, sd->pkt, RTP_HDR + size, sd->prot, sizeof(sd->prot), &plen);
        if (st != TCO_OK)
            return st;
        flen = pio_build_udp4(sd->frame, sizeof(sd->frame), src_ip, STREAM_PORT, dst_ip,
                              STREAM_PORT, (uint16_t)sd->packets, sd->prot, plen);
        if (flen == 0)
            return TCO_ERR_BUFFER_SMALL; /* not reached: MAX_PAYLOAD keeps frames small */
        h.sec = START_SEC + (long long)(t / 1000000u);
        h.frac = (long)(t % 1000000u);
        h.caplen = h.len = (uint32_t)flen;
        pio_write(sd->stream, &h, sd->frame);
        sd->idx++;
        sd->n++;
        sd->packets++;
        if ((k & 255) == 255)
            progress_tick(&sd->prog, sd->cmd, sd->done, sd->total, sd->packets);
    }
    fprintf(sd->events, "%u send %llu %llu %u %lu\n", e->line, (unsigned long long)first,
            (unsigned long long)e->a, (unsigned)(idx0 & 0xFFFF), (unsigned long)(idx0 >> 16));
    return TCO_OK;
}

static tco_status seal_download(sender *sd, const event *e, char *err, size_t errlen)
{
    char path[PATH_CAP], name[64];
    uint8_t *in = NULL, *out = NULL;
    size_t len = 0, olen = 0;
    tco_status st;

    if (slurp(e->path, &in, &len, err, errlen) != 0)
        return TCO_ERR_IO;
    snprintf(name, sizeof(name), "download-%llu.bin", (unsigned long long)e->a);
    if ((uint64_t)len >> 32) {
        snprintf(err, errlen, "%s: an object is shorter than 4 GiB", e->path);
        free(in);
        return TCO_ERR_RANGE;
    }
    out = malloc(tco_mbms_download_size(len));
    st = out == NULL ? TCO_ERR_NO_MEMORY
                     : tco_mbms_download_seal(sd->srv, sd->mtk, e->a, in, len, out,
                                              tco_mbms_download_size(len), &olen);
    if (st == TCO_OK && (join_path(path, sizeof(path), sd->dir, name) != 0 ||
                         write_file(path, out, olen, err, errlen) != 0)) {
        if (err[0] == '\0')
            snprintf(err, errlen, "%s: path too long", sd->dir);
        st = TCO_ERR_IO;
    }
    free(in);
    free(out);
    if (st == TCO_OK) {
        fprintf(sd->events, "%u download %llu %lu %lu\n", e->line, (unsigned long long)e->a,
                (unsigned long)sd->send_ver, (unsigned long)sd->mtk);
        sd->downloads++;
    }
    return st;
}

static int fail_msg(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail_msg(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* One event; 0, or -1 with the message in err. */
static int run_event(sender *sd, script *sc, size_t i, char *err, size_t errlen)
{
    event *e = &sc->ev[i];
    tco_mbms_msg uni, multi;
    tco_status st = TCO_OK;
    uint32_t id;

    err[0] = '\0';
    switch (e->kind) {
    case EV_JOIN:
        st = tco_mbms_join(sd->srv, e->key, sd->key_len, e->rekey, &e->id, &uni, &multi);
        if (st == TCO_OK) {
            if (put_record(sd, REC_UNICAST, e->line, e->id, &uni) != 0 ||
                (multi.len > 0 && put_record(sd, REC_MULTICAST, e->line, ALL_MEMBERS, &multi)))
                return fail_msg(err, errlen, "%s/rekey.bin: write error: %s", sd->dir,
                                strerror(errno));
            fprintf(sd->members, "%s %lu ", e->name, (unsigned long)e->id);
            for (size_t j = 0; j < sd->key_len; j++)
                fprintf(sd->members, "%02x", e->key[j]);
            fputc('\n', sd->members);
            fprintf(sd->events, "%u join %s %lu %lu\n", e->line, e->name, (unsigned long)e->id,
                    (unsigned long)tco_mbms_group_version(sd->srv));
            st = follow(sd, e);
        }
        OPENSSL_cleanse(e->key, sizeof(e->key));
        break;
    case EV_LEAVE:
        id = sc->ev[e->join_ix].id;
        st = tco_mbms_leave(sd->srv, id, &multi);
        if (st == TCO_OK) {
            if (multi.len > 0 && put_record(sd, REC_MULTICAST, e->line, ALL_MEMBERS, &multi))
                return fail_msg(err, errlen, "%s/rekey.bin: write error: %s", sd->dir,
                                strerror(errno));
            fprintf(sd->events, "%u leave %s %lu %lu\n", e->line, e->name, (unsigned long)id,
                    (unsigned long)tco_mbms_group_version(sd->srv));
            st = follow(sd, e);
        }
        break;
    case EV_MTK:
        if (tco_mbms_members(sd->srv) == 0)
            return fail_msg(err, errlen, "%s:%u: mtk: the group is empty: no group key", sd->script,
                            e->line);
        st = tco_mbms_srtp_rekey(sd->srv, sd->srtp, (uint32_t)e->a);
        if (st == TCO_OK) {
            sd->have_mtk = 1;
            sd->mtk = (uint32_t)e->a;
            sd->send_ver = tco_mbms_group_version(sd->srv);
            fprintf(sd->events, "%u mtk %lu %lu\n", e->line, (unsigned long)sd->mtk,
                    (unsigned long)sd->send_ver);
        }
        break;
    case EV_SEND:
    case EV_DOWNLOAD:
        if (!sd->have_mtk)
            return fail_msg(err, errlen, "%s:%u: %s before the first mtk", sd->script, e->line,
                            e->kind == EV_SEND ? "send" : "download");
        if (tco_mbms_members(sd->srv) == 0)
            return fail_msg(err, errlen, "%s:%u: %s: the group is empty: no traffic key",
                            sd->script, e->line, e->kind == EV_SEND ? "send" : "download");
        st = e->kind == EV_SEND ? send_packets(sd, e) : seal_download(sd, e, err, errlen);
        break;
    case EV_SEQ0: sd->idx = e->a; break;
    case EV_SKIP:
        sd->idx += e->a;
        sd->n += e->a;
        break;
    }
    if (st == TCO_OK)
        return 0;
    if (err[0] != '\0' && e->kind == EV_DOWNLOAD) { /* a file error: name the script line */
        char msg[ERR_CAP];
        snprintf(msg, sizeof(msg), "%s", err);
        return fail_msg(err, errlen, "%s:%u: download %llu: %.1500s", sd->script, e->line,
                        (unsigned long long)e->a, msg);
    }
    if (e->kind == EV_JOIN && st == TCO_ERR_STATE)
        return fail_msg(err, errlen, "%s:%u: join %s: the tree is full (--max-members %lu)",
                        sd->script, e->line, e->name, (unsigned long)sd->max_members);
    if (err[0] == '\0') {
        static const char *const kinds[] = {"join",     "leave", "mtk", "send",
                                            "download", "seq0",  "skip"};
        snprintf(err, errlen, "%s:%u: %s%s%s: %s", sd->script, e->line, kinds[e->kind],
                 e->kind <= EV_LEAVE ? " " : "", e->kind <= EV_LEAVE ? e->name : "",
                 tco_strerror(st));
    }
    return -1;
}

static void help(void)
{
    printf("usage: tco [--dev URI] mbms run --script FILE --out-dir DIR [--arity N]\n"
           "                [--max-members N] [--key-len 16|32] [--profile NAME] [--rcc-mode M]\n"
           "                [--rcc-rate R] [--seed HEX] [--progress]\n"
           "       tco [--dev URI] mbms receive --dir DIR --member NAME [--out FILE.pcap]\n"
           "                [--download ID --out FILE]... [--profile NAME] [--rcc-mode M]\n"
           "                [--rcc-rate R] [--progress]\n"
           "The MBMS key tree (docs/mbms.md). 'run' plays a script as the key server and the\n"
           "sender; 'receive' replays what it wrote as one member.\n"
           "Script: one event a line, '#' starts a comment:\n"
           "  join NAME LEAFKEY [rekey]  a member joins with its leaf key (--key-len octets of\n"
           "                             hex); rekey: its path keys change (backward secrecy)\n"
           "  leave NAME                 a member leaves (forward secrecy)\n"
           "  mtk ID                     new traffic key ID (0..4294967295) for what follows\n"
           "  send N [SIZE]              N RTP packets of SIZE payload octets (default 160)\n"
           "  download ID FILE           FILE (relative to the script) as download object ID;\n"
           "                             each ID once\n"
           "  seq0 S                     SEQ of the first packet (before every send and skip)\n"
           "  skip K                     K packets sent but not recorded (after the first send\n"
           "                             at most %u)\n"
           "A join or leave that changes the group key moves the stream to the same MTK ID\n"
           "under the new group key at once.\n"
           "run:  --arity 2..16 (default 2), --max-members N (default %u), --key-len (default\n"
           "      16), --profile (default AES_CM_128_HMAC_SHA1_80), --rcc-mode 0..3 and\n"
           "      --rcc-rate 1..65535 (RFC 4771, default 0: none), --seed HEX: node keys from\n"
           "      the seed instead of the random generator (reproducible runs; tests only).\n"
           "      Writes DIR/params.txt, events.txt, members.txt, rekey.bin, stream.pcap and\n"
           "      download-ID.bin; prints members=, group_version=, messages=, rekey_octets=,\n"
           "      packets=, downloads= on one line.\n"
           "receive: the member takes the rekey messages meant for it (its join's unicast\n"
           "      message, the multicast ones while it is a member) in event order between the\n"
           "      packets, decrypts stream.pcap into --out and opens each --download ID into\n"
           "      the --out after it. --profile and --rcc-* default to DIR/params.txt. Prints\n"
           "      decrypted=N refused=N failed=N messages=N, and download=ID octets=N per object.\n"
           "      A packet the member has no key for (before its join, after its leave) is\n"
           "      refused, not an error; exit code 1 if a packet or download failed or a rekey\n"
           "      message does not verify.\n"
           "--progress: a progress line on stderr every 2 s (default: when it is a terminal).\n",
           MAX_LIVE_SKIP, DEFAULT_MAX_MEMBERS);
}

/* DIR exists or is made (one level). */
static int make_dir(const char *cmd, const char *dir)
{
    struct stat sb;

    if (mkdir(dir, 0777) == 0)
        return 0;
    if (errno == EEXIST && stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))
        return 0;
    return cli_error(cmd, "%s: %s", dir, errno == EEXIST ? "not a directory" : strerror(errno));
}

static FILE *open_in_dir(const char *dir, const char *name, char *err, size_t errlen)
{
    char path[PATH_CAP];
    FILE *f;

    if (join_path(path, sizeof(path), dir, name) != 0) {
        snprintf(err, errlen, "%s: path too long", dir);
        return NULL;
    }
    f = fopen(path, "wb");
    if (f == NULL)
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return f;
}

static int write_params(const char *dir, unsigned long arity, unsigned long max_members,
                        unsigned long key_len, const tco_srtp_policy *pol, char *err, size_t errlen)
{
    char path[PATH_CAP];
    FILE *f = open_in_dir(dir, "params.txt", err, errlen);

    if (f == NULL)
        return -1;
    fprintf(f,
            "# tco mbms run: the tree and the stream (docs/mbms.md, Command line)\n"
            "arity=%lu\nmax_members=%lu\nkey_len=%lu\nprofile=%s\nrcc_mode=%u\n"
            "rcc_rate=%u\nssrc=%lu\n",
            arity, max_members, key_len, tco_srtp_profile_name(pol->profile), pol->rcc_mode,
            pol->rcc_rate, (unsigned long)STREAM_SSRC);
    (void)join_path(path, sizeof(path), dir, "params.txt");
    return close_out(f, path, err, errlen);
}

static int mbms_run(int argc, char **argv, const char *uri)
{
    static const char *const flags[] = {"--help", "--progress", NULL};
    const char *cmd = "mbms run", *n, *v, *script_path = NULL, *dir = NULL;
    char *seed_arg = NULL, err[ERR_CAP] = "", path[PATH_CAP];
    uint8_t seed[MAX_SEED];
    long seed_len = 0;
    unsigned long arity = 2, max_members = DEFAULT_MAX_MEMBERS, key_len = 16, mode = 0, rate = 1;
    int progress_flag = 0, r, rc = 0;
    tco_srtp_policy pol;
    tco_mbms_params params;
    tco_dev *dev = NULL;
    tco_info info;
    sender *sd = NULL;
    script sc;
    cli_opts it;
    tco_status st;

    memset(&pol, 0, sizeof(pol));
    memset(&sc, 0, sizeof(sc));
    pol.profile = TCO_SRTP_AES128_CM_SHA1_80;
    memset(&it, 0, sizeof(it));
    it.argc = argc;
    it.argv = argv;
    it.cmd = cmd;
    while ((r = cli_next(&it, flags, &n, &v)) == 1) {
        if (strcmp(n, "--help") == 0) {
            help();
            return 0;
        } else if (strcmp(n, "--dev") == 0) {
            uri = v;
        } else if (strcmp(n, "--script") == 0) {
            script_path = v;
        } else if (strcmp(n, "--out-dir") == 0) {
            dir = v;
        } else if (strcmp(n, "--arity") == 0) {
            if (num_parse(v, 16, &arity) != 0 || arity < 2)
                return cli_usage(cmd, "--arity must be 2..16");
        } else if (strcmp(n, "--max-members") == 0) {
            if (num_parse(v, 1ul << 24, &max_members) != 0 || max_members == 0)
                return cli_usage(cmd, "--max-members must be 1..16777216");
        } else if (strcmp(n, "--key-len") == 0) {
            if (num_parse(v, 32, &key_len) != 0 || (key_len != 16 && key_len != 32))
                return cli_usage(cmd, "--key-len must be 16 or 32");
        } else if (strcmp(n, "--profile") == 0) {
            if ((r = parse_profile(cmd, v, &pol.profile)) != 0)
                return r;
        } else if (strcmp(n, "--rcc-mode") == 0) {
            if (num_parse(v, 3, &mode) != 0)
                return cli_usage(cmd, "--rcc-mode must be 0..3");
        } else if (strcmp(n, "--rcc-rate") == 0) {
            if (num_parse(v, 65535, &rate) != 0 || rate == 0)
                return cli_usage(cmd, "--rcc-rate must be 1..65535");
        } else if (strcmp(n, "--seed") == 0) {
            seed_arg = (char *)v; /* parsed below, then wiped from the argument list */
        } else if (strcmp(n, "--progress") == 0) {
            progress_flag = 1;
        } else {
            return cli_usage(cmd, "unknown option '%s'", n);
        }
    }
    if (r < 0)
        return CLI_EXIT_USAGE;
    if (script_path == NULL || dir == NULL)
        return cli_usage(cmd, "--script and --out-dir are required");
    pol.mki_len = TCO_MBMS_MKI_LEN;
    pol.rcc_mode = (unsigned)mode;
    pol.rcc_rate = (unsigned)rate;
    if ((r = check_policy(cmd, &pol)) != 0)
        return r;
    if (seed_arg != NULL) {
        seed_len = hex_parse(seed_arg, seed, sizeof(seed));
        memset(seed_arg, 0, strlen(seed_arg));
        if (seed_len < 1) {
            OPENSSL_cleanse(seed, sizeof(seed));
            return cli_usage(cmd, "--seed must be 1..%d octets of hex", MAX_SEED);
        }
    }
    /* from here every exit goes through `out`, which wipes the seed; a bad URI is a usage
     * error: first */
    if ((rc = cli_open_dev(cmd, uri, &dev)) != 0)
        goto out;
    if (tco_get_info(dev, &info) != TCO_OK ||
        (info.caps & (TCO_CAP_KEY_WRAP | TCO_CAP_SRTP)) != (TCO_CAP_KEY_WRAP | TCO_CAP_SRTP)) {
        rc = cli_error(cmd, "device '%s' lacks the key-wrap or the SRTP engine", uri);
        goto out;
    }
    if (script_load(script_path, key_len, &sc, err, sizeof(err)) != 0) {
        rc = cli_error(cmd, "%s", err);
        goto out;
    }
    sd = calloc(1, sizeof(*sd));
    if (sd == NULL) {
        rc = cli_error(cmd, "out of memory");
        goto out;
    }
    sd->cmd = cmd;
    sd->script = script_path;
    sd->dir = dir;
    sd->key_len = key_len;
    sd->max_members = max_members;
    memset(&params, 0, sizeof(params));
    params.arity = (unsigned)arity;
    params.max_members = (uint32_t)max_members;
    params.key_len = key_len;
    params.test_seed = seed_len > 0 ? seed : NULL;
    params.test_seed_len = (size_t)seed_len;
    st = tco_mbms_server_create(dev, &params, &sd->srv);
    if (st != TCO_OK) {
        rc = cli_error(cmd, "key server: %s", tco_strerror(st));
        goto out;
    }
    st = tco_srtp_create(dev, &pol, &sd->srtp);
    if (st != TCO_OK) {
        rc = cli_error(cmd, "SRTP session: %s", tco_strerror(st));
        goto out;
    }
    if ((rc = make_dir(cmd, dir)) != 0)
        goto out;
    if (write_params(dir, arity, max_members, key_len, &pol, err, sizeof(err)) != 0 ||
        (sd->members = open_in_dir(dir, "members.txt", err, sizeof(err))) == NULL ||
        (sd->events = open_in_dir(dir, "events.txt", err, sizeof(err))) == NULL ||
        (sd->rekey = open_in_dir(dir, "rekey.bin", err, sizeof(err))) == NULL) {
        rc = cli_error(cmd, "%s", err);
        goto out;
    }
    if (join_path(path, sizeof(path), dir, "stream.pcap") != 0 ||
        (sd->stream = pio_open_out(path, DLT_ETHERNET, 65535, 0, err, sizeof(err))) == NULL) {
        rc = cli_error(cmd, "%s", err[0] ? err : "path too long");
        goto out;
    }
    fprintf(sd->events, "# tco mbms run: SCRIPT-LINE EVENT ... (docs/mbms.md, Command line)\n");

    progress_init(&sd->prog, progress_flag);
    sd->total = sc.n;
    for (size_t i = 0; i < sc.n; i++) {
        if (run_event(sd, &sc, i, err, sizeof(err)) != 0) {
            progress_end(&sd->prog);
            rc = cli_error(cmd, "%s", err);
            goto out;
        }
        sd->done = i + 1;
        progress_tick(&sd->prog, cmd, sd->done, sd->total, sd->packets);
    }
    progress_end(&sd->prog);

out:
    OPENSSL_cleanse(seed, sizeof(seed));
    if (sd != NULL) {
        static const char *const names[] = {"members.txt", "events.txt", "rekey.bin"};
        FILE **fs[] = {&sd->members, &sd->events, &sd->rekey};
        for (size_t i = 0; i < 3; i++) {
            (void)join_path(path, sizeof(path), dir, names[i]);
            if (close_out(*fs[i], path, err, sizeof(err)) != 0 && rc == 0)
                rc = cli_error(cmd, "%s", err);
        }
        if (sd->stream != NULL && pio_close_out(sd->stream, err, sizeof(err)) != 0 && rc == 0)
            rc = cli_error(cmd, "%s/stream.pcap: %s", dir, err);
        if (rc == 0)
            printf("members=%lu group_version=%lu messages=%llu rekey_octets=%llu "
                   "packets=%llu downloads=%llu\n",
                   (unsigned long)tco_mbms_members(sd->srv),
                   (unsigned long)tco_mbms_group_version(sd->srv), (unsigned long long)sd->messages,
                   (unsigned long long)sd->rekey_octets, (unsigned long long)sd->packets,
                   (unsigned long long)sd->downloads);
        tco_srtp_free(sd->srtp);
        tco_mbms_server_free(sd->srv);
        wipe_free(sd, sizeof(*sd));
    }
    script_free(&sc);
    tco_close(dev);
    return rc;
}

/* ----------------------------------------------------------------------------------------- */
/* tco mbms receive */

typedef struct rev { /* a line of events.txt */
    ev_kind kind;
    unsigned line;
    char name[MAX_NAME + 1];
    uint32_t id, ver, mtk, seq, roc;
    uint64_t first, count, obj;
} rev;

typedef struct mkey { /* a join of the member in members.txt */
    uint32_t id;
    uint8_t key[32];
} mkey;

typedef struct dl_req {
    uint64_t id;
    const char *out;
    int found, written;
    size_t octets;
} dl_req;

typedef struct receiver {
    const char *cmd, *dir, *name;
    tco_dev *dev;
    tco_mbms_params params;
    tco_srtp_policy pol;
    size_t key_len;
    rev *ev;
    size_t nev;
    mkey *mk;
    size_t nmk, mk_cap;
    uint8_t *rk; /* rekey.bin */
    size_t rk_len, pos;
    tco_mbms_member *m;
    tco_srtp *srtp;
    tco_mbms_rx *rx;
    uint32_t my_id;
    int present, seen;
    pio_in *in;
    pio_out *out;
    int linktype;
    uint64_t read, decrypted, refused, messages;
    cli_tally fails;
    dl_req dl[MAX_DOWNLOADS];
    size_t ndl;
    char dl_err[ERR_CAP];
    uint8_t *buf, *frame;
    progress prog;
    uint64_t ev_done;
    int out_opened;
} receiver;

/* "key=value" lines of params.txt. */
static int read_params(receiver *r, const char *path, int have_prof, int have_mode, int have_rate,
                       char *err, size_t errlen)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    unsigned long arity = 0, maxm = 0, kl = 0, mode = 0, rate = 0;
    int got = 0;
    unsigned line = 0;
    char *p, *save = NULL;

    if (slurp(path, &buf, &len, err, errlen) != 0)
        return -1;
    for (p = strtok_r((char *)buf, "\n", &save); p != NULL; p = strtok_r(NULL, "\n", &save)) {
        char *eq = strchr(p, '='), *k = p, *v;
        line++;
        if (p[0] == '#' || p[0] == '\0')
            continue;
        if (eq == NULL) {
            snprintf(err, errlen, "%s:%u: expected NAME=VALUE", path, line);
            free(buf);
            return -1;
        }
        *eq = '\0';
        v = eq + 1;
        if (strcmp(k, "arity") == 0)
            got |= (num_parse(v, 16, &arity) == 0) << 0;
        else if (strcmp(k, "max_members") == 0)
            got |= (num_parse(v, 1ul << 24, &maxm) == 0) << 1;
        else if (strcmp(k, "key_len") == 0)
            got |= (num_parse(v, 32, &kl) == 0 && (kl == 16 || kl == 32)) << 2;
        else if (strcmp(k, "profile") == 0 && !have_prof)
            got |= (tco_srtp_profile_by_name(v, &r->pol.profile) == TCO_OK) << 3;
        else if (strcmp(k, "rcc_mode") == 0 && !have_mode)
            got |= (num_parse(v, 3, &mode) == 0) << 4;
        else if (strcmp(k, "rcc_rate") == 0 && !have_rate)
            got |= (num_parse(v, 65535, &rate) == 0 && rate > 0) << 5;
    }
    free(buf);
    if ((got & 7) != 7 || (!have_prof && !(got & 8)) || (!have_mode && !(got & 16)) ||
        (!have_rate && !(got & 32))) {
        snprintf(err, errlen,
                 "%s: arity, max_members, key_len, profile, rcc_mode or rcc_rate "
                 "missing or malformed",
                 path);
        return -1;
    }
    r->params.arity = (unsigned)arity;
    r->params.max_members = (uint32_t)maxm;
    r->params.key_len = kl;
    r->key_len = kl;
    if (!have_mode)
        r->pol.rcc_mode = (unsigned)mode;
    if (!have_rate)
        r->pol.rcc_rate = (unsigned)rate;
    return 0;
}

static int parse_u32(const char *s, uint32_t *out)
{
    unsigned long v;

    if (s == NULL || num_parse(s, 0xFFFFFFFFul, &v) != 0)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

static int parse_u64(const char *s, uint64_t *out)
{
    unsigned long v;

    if (s == NULL || num_parse(s, (unsigned long)-1, &v) != 0)
        return -1;
    *out = v;
    return 0;
}

/* events.txt into r->ev. */
static int read_events(receiver *r, const char *path, char *err, size_t errlen)
{
    uint8_t *buf = NULL;
    size_t len = 0, lines = 1;
    unsigned fl = 0;
    char *p;

    if (slurp(path, &buf, &len, err, errlen) != 0)
        return -1;
    for (size_t i = 0; i < len; i++)
        lines += buf[i] == '\n';
    r->ev = calloc(lines, sizeof(*r->ev));
    if (r->ev == NULL) {
        free(buf);
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    for (p = (char *)buf; p != NULL;) {
        char *nl = strchr(p, '\n'), *save = NULL, *t[8];
        size_t nt = 0;
        rev *e = &r->ev[r->nev];
        int ok;

        fl++;
        if (nl != NULL)
            *nl = '\0';
        if (p[0] != '#')
            for (char *x = strtok_r(p, " ", &save); x != NULL && nt < 8;
                 x = strtok_r(NULL, " ", &save))
                t[nt++] = x;
        p = nl != NULL ? nl + 1 : NULL;
        if (nt == 0)
            continue;
        ok = nt >= 2 && parse_u32(t[0], &e->line) == 0;
        if (ok && (strcmp(t[1], "join") == 0 || strcmp(t[1], "leave") == 0)) {
            e->kind = t[1][0] == 'j' ? EV_JOIN : EV_LEAVE;
            ok = nt == 5 && valid_name(t[2]) && parse_u32(t[3], &e->id) == 0 &&
                 parse_u32(t[4], &e->ver) == 0;
            if (ok)
                memcpy(e->name, t[2], strlen(t[2]) + 1);
        } else if (ok && strcmp(t[1], "mtk") == 0) {
            e->kind = EV_MTK;
            ok = nt == 4 && parse_u32(t[2], &e->mtk) == 0 && parse_u32(t[3], &e->ver) == 0;
        } else if (ok && strcmp(t[1], "send") == 0) {
            e->kind = EV_SEND;
            ok = nt == 6 && parse_u64(t[2], &e->first) == 0 && parse_u64(t[3], &e->count) == 0 &&
                 parse_u32(t[4], &e->seq) == 0 && e->seq <= 0xFFFF &&
                 parse_u32(t[5], &e->roc) == 0 && e->count > 0;
        } else if (ok && strcmp(t[1], "download") == 0) {
            e->kind = EV_DOWNLOAD;
            ok = nt == 5 && parse_u64(t[2], &e->obj) == 0 && parse_u32(t[3], &e->ver) == 0 &&
                 parse_u32(t[4], &e->mtk) == 0;
        } else {
            ok = 0;
        }
        if (!ok) {
            snprintf(err, errlen, "%s:%u: malformed event", path, fl);
            free(buf);
            return -1;
        }
        r->nev++;
    }
    free(buf);
    return 0;
}

/* The member's lines of members.txt ("NAME ID LEAFKEY", one per join), in order. */
static int read_members(receiver *r, const char *path, char *err, size_t errlen)
{
    uint8_t *buf = NULL;
    size_t len = 0, lines = 1;
    unsigned fl = 0;
    char *p;
    int rc = -1;

    if (slurp(path, &buf, &len, err, errlen) != 0)
        return -1;
    for (size_t i = 0; i < len; i++)
        lines += buf[i] == '\n';
    r->mk = calloc(lines, sizeof(*r->mk));
    r->mk_cap = lines;
    if (r->mk == NULL) {
        snprintf(err, errlen, "%s: out of memory", path);
        goto out;
    }
    for (p = (char *)buf; p != NULL;) {
        char *nl = strchr(p, '\n'), *save = NULL, *t[4];
        size_t nt = 0;

        fl++;
        if (nl != NULL)
            *nl = '\0';
        if (p[0] != '#')
            for (char *x = strtok_r(p, " ", &save); x != NULL && nt < 4;
                 x = strtok_r(NULL, " ", &save))
                t[nt++] = x;
        p = nl != NULL ? nl + 1 : NULL;
        if (nt == 0)
            continue;
        if (nt != 3 || !valid_name(t[0])) {
            snprintf(err, errlen, "%s:%u: expected NAME ID LEAFKEY", path, fl);
            goto out;
        }
        if (strcmp(t[0], r->name) != 0)
            continue;
        if (parse_u32(t[1], &r->mk[r->nmk].id) != 0 ||
            hex_parse(t[2], r->mk[r->nmk].key, sizeof(r->mk[r->nmk].key)) != (long)r->key_len) {
            snprintf(err, errlen, "%s:%u: expected NAME ID LEAFKEY (%zu octets)", path, fl,
                     r->key_len);
            goto out;
        }
        r->nmk++;
    }
    rc = 0;
out:
    wipe_free(buf, len);
    return rc;
}

/* A new member object (and SRTP session) for the k-th join of the member. */
static int member_start(receiver *r, size_t k, char *err, size_t errlen)
{
    tco_status st;

    tco_mbms_rx_free(r->rx);
    r->rx = NULL;
    tco_srtp_free(r->srtp);
    r->srtp = NULL;
    tco_mbms_member_free(r->m);
    r->m = NULL;
    r->my_id = r->mk[k].id;
    r->seen = 0;
    st = tco_mbms_member_create(&r->params, r->mk[k].id, r->mk[k].key, r->key_len, &r->m);
    if (st != TCO_OK) {
        snprintf(err, errlen, "member %s: %s", r->name, tco_strerror(st));
        return -1;
    }
    st = tco_srtp_create(r->dev, &r->pol, &r->srtp);
    if (st == TCO_OK)
        st = tco_mbms_rx_create(r->m, r->srtp, &r->rx);
    if (st != TCO_OK) {
        snprintf(err, errlen, "SRTP session: %s", tco_strerror(st));
        return -1;
    }
    return 0;
}

/* The rekey records of join/leave event e: the member takes the unicast message of its own
 * join and, while it is a member, the multicast messages of the others' events. */
static int rx_rekey(receiver *r, const rev *e, int mine, char *err, size_t errlen)
{
    int got_unicast = 0;

    while (r->pos < r->rk_len) {
        const uint8_t *h = r->rk + r->pos;
        unsigned type;
        uint32_t line, member, len;
        int take;
        tco_status st;

        if (r->rk_len - r->pos < REC_HDR) {
            snprintf(err, errlen, "%s/rekey.bin: ends inside the record at offset %zu", r->dir,
                     r->pos);
            return -1;
        }
        type = h[0];
        line = get32(h + 1);
        member = get32(h + 5);
        len = get32(h + 9);
        if ((type != REC_UNICAST && type != REC_MULTICAST) || len > r->rk_len - r->pos - REC_HDR) {
            snprintf(err, errlen, "%s/rekey.bin: malformed record at offset %zu", r->dir, r->pos);
            return -1;
        }
        if (line < e->line) {
            snprintf(err, errlen,
                     "%s/rekey.bin: record at offset %zu (event %lu) not in events.txt order",
                     r->dir, r->pos, (unsigned long)line);
            return -1;
        }
        if (line > e->line)
            break;
        if (type == REC_UNICAST)
            take = mine && e->kind == EV_JOIN && member == r->my_id;
        else
            take = r->present && !mine;
        if (take) {
            st = tco_mbms_member_process(r->m, h + REC_HDR, len);
            if (st != TCO_OK) {
                snprintf(err, errlen, "%s/rekey.bin: %s message of event %u: %s", r->dir,
                         type == REC_UNICAST ? "unicast" : "multicast", e->line, tco_strerror(st));
                return -1;
            }
            r->messages++;
            got_unicast |= type == REC_UNICAST;
        }
        r->pos += REC_HDR + len;
    }
    if (mine && e->kind == EV_JOIN && !got_unicast) {
        snprintf(err, errlen, "%s/rekey.bin: no unicast message for %s's join (event %u)", r->dir,
                 r->name, e->line);
        return -1;
    }
    return 0;
}

/* The packets of a send event, in stream.pcap order. */
static int rx_packets(receiver *r, const rev *e, char *err, size_t errlen)
{
    if (r->read != e->first) {
        snprintf(err, errlen, "%s: events.txt and stream.pcap disagree at packet %llu", r->dir,
                 (unsigned long long)r->read);
        return -1;
    }
    for (uint64_t k = 0; k < e->count; k++) {
        const uint8_t *d, *pay;
        size_t olen = 0, flen = 0;
        pio_hdr h;
        pio_udp u;
        tco_status st;
        int rd = pio_next(r->in, &h, &d);

        if (rd != 1) {
            snprintf(err, errlen, "%s/stream.pcap: %s", r->dir,
                     rd < 0 ? pio_error(r->in) : "ends before the packets events.txt lists");
            return -1;
        }
        r->read++;
        if ((k & 255) == 255)
            progress_tick(&r->prog, r->cmd, r->ev_done, r->nev, r->read);
        if (pio_find_udp(r->linktype, d, h.caplen, h.len, &u) != PIO_UDP || u.pay_len < RTP_HDR) {
            cli_tally_add(&r->fails, "not an SRTP packet in UDP");
            continue;
        }
        pay = d + u.pay_off;
        if (!r->seen && r->pol.rcc_mode == 0) {
            /* the ROC from key management, as MIKEY would give it (RFC 4771 modes carry it) */
            uint64_t ix = ((uint64_t)e->roc << 16 | e->seq) + k;
            st = tco_srtp_set_roc(r->srtp, get32(pay + 8), (uint32_t)(ix >> 16));
            if (st != TCO_OK) {
                snprintf(err, errlen, "SRTP session: %s", tco_strerror(st));
                return -1;
            }
        }
        st = tco_mbms_rx_unprotect(r->rx, pay, u.pay_len, r->buf, 65536, &olen);
        if (st == TCO_ERR_UNKNOWN_MKI || st == TCO_ERR_NO_ROC) {
            r->refused++;
            continue;
        }
        if (st != TCO_OK) {
            if (link_error(st)) {
                snprintf(err, errlen, "device: %s", tco_strerror(st));
                return -1;
            }
            cli_tally_add(&r->fails, tco_strerror(st));
            continue;
        }
        r->seen = 1;
        r->decrypted++;
        if (r->out == NULL)
            continue;
        if (pio_replace_payload(d, h.caplen, &u, r->buf, olen, r->frame, 65536 + 128, &flen) != 0) {
            cli_tally_add(&r->fails, "IP or UDP length over 65535");
            continue;
        }
        h.len = (uint32_t)((long long)h.len + ((long long)flen - (long long)h.caplen));
        h.caplen = (uint32_t)flen;
        if (h.len < h.caplen)
            h.len = h.caplen;
        pio_write(r->out, &h, r->frame);
    }
    return 0;
}

/* A download event the member was asked for: open it with the keys it holds now. */
static int rx_download(receiver *r, const rev *e, char *err, size_t errlen)
{
    char path[PATH_CAP], name[64];
    uint8_t *in = NULL, *out = NULL;
    size_t len = 0, olen = 0, cap;
    dl_req *q = NULL;
    tco_status st;

    for (size_t i = 0; i < r->ndl; i++)
        if (r->dl[i].id == e->obj)
            q = &r->dl[i];
    if (q == NULL)
        return 0;
    snprintf(name, sizeof(name), "download-%llu.bin", (unsigned long long)e->obj);
    if (join_path(path, sizeof(path), r->dir, name) != 0) {
        snprintf(err, errlen, "%s: path too long", r->dir);
        return -1;
    }
    if (slurp(path, &in, &len, err, errlen) != 0)
        return -1;
    cap = len >= TCO_MBMS_DL_HDR ? get32(in + 20) : 0;
    out = malloc(cap ? cap : 1);
    if (out == NULL) {
        free(in);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    st = tco_mbms_member_download_open(r->m, in, len, out, cap ? cap : 1, &olen);
    free(in);
    if (st == TCO_OK) {
        int w = write_file(q->out, out, olen, err, errlen);
        wipe_free(out, cap ? cap : 1);
        if (w != 0)
            return -1;
        q->written = 1;
        q->octets = olen;
        return 0;
    }
    wipe_free(out, cap ? cap : 1);
    if (r->dl_err[0] == '\0') {
        if (st == TCO_ERR_STATE)
            snprintf(r->dl_err, sizeof(r->dl_err),
                     "%s: %s holds no key of group key version %lu then (not a member)", path,
                     r->name, (unsigned long)e->ver);
        else
            snprintf(r->dl_err, sizeof(r->dl_err), "%s: %s", path, tco_strerror(st));
    }
    return 0;
}

static int receive_all(receiver *r, char *err, size_t errlen)
{
    size_t joins = 0;

    progress_init(&r->prog, r->prog.on);
    for (size_t i = 0; i < r->nev; i++) {
        const rev *e = &r->ev[i];
        int mine = (e->kind == EV_JOIN || e->kind == EV_LEAVE) && strcmp(e->name, r->name) == 0;

        if (mine && e->kind == EV_JOIN) {
            if (joins >= r->nmk || r->mk[joins].id != e->id) {
                snprintf(err, errlen,
                         "%s: members.txt and events.txt disagree on %s's join "
                         "(event %u)",
                         r->dir, r->name, e->line);
                return -1;
            }
            if (joins > 0 && member_start(r, joins, err, errlen) != 0)
                return -1;
            joins++;
            r->present = 1;
        } else if (mine) {
            r->present = 0;
        }
        switch (e->kind) {
        case EV_JOIN:
        case EV_LEAVE:
            if (rx_rekey(r, e, mine, err, errlen) != 0)
                return -1;
            break;
        case EV_SEND:
            if (rx_packets(r, e, err, errlen) != 0)
                return -1;
            break;
        case EV_DOWNLOAD:
            if (rx_download(r, e, err, errlen) != 0)
                return -1;
            break;
        default: break;
        }
        r->ev_done = i + 1;
        progress_tick(&r->prog, r->cmd, r->ev_done, r->nev, r->read);
    }
    progress_end(&r->prog);
    if (r->pos != r->rk_len) {
        snprintf(err, errlen, "%s/rekey.bin: records after the last event of events.txt", r->dir);
        return -1;
    }
    if (r->in != NULL) {
        pio_hdr h;
        const uint8_t *d;
        int rd = pio_next(r->in, &h, &d);
        if (rd != 0) {
            snprintf(err, errlen, "%s/stream.pcap: %s", r->dir,
                     rd < 0 ? pio_error(r->in) : "more packets than events.txt lists");
            return -1;
        }
    }
    return 0;
}

static int mbms_receive(int argc, char **argv, const char *uri)
{
    static const char *const flags[] = {"--help", "--progress", NULL};
    const char *cmd = "mbms receive", *n, *v, *out_path = NULL;
    char err[ERR_CAP] = "", cerr[256] = "", path[PATH_CAP];
    unsigned long mode = 0, rate = 1;
    int have_prof = 0, have_mode = 0, have_rate = 0, summarized = 0, r, rc = 0;
    long pending = -1;
    receiver *rv;
    tco_info info;
    cli_opts it;

    rv = calloc(1, sizeof(*rv));
    if (rv == NULL)
        return cli_error(cmd, "out of memory");
    rv->cmd = cmd;
    memset(&it, 0, sizeof(it));
    it.argc = argc;
    it.argv = argv;
    it.cmd = cmd;
    while ((r = cli_next(&it, flags, &n, &v)) == 1) {
        if (strcmp(n, "--help") == 0) {
            help();
            free(rv);
            return 0;
        } else if (strcmp(n, "--dev") == 0) {
            uri = v;
        } else if (strcmp(n, "--dir") == 0) {
            rv->dir = v;
        } else if (strcmp(n, "--member") == 0) {
            rv->name = v;
            if (!valid_name(v)) {
                free(rv);
                return cli_usage(cmd, "--member: %s", name_rule);
            }
        } else if (strcmp(n, "--out") == 0) {
            if (pending >= 0) {
                rv->dl[pending].out = v;
                pending = -1;
            } else if (out_path != NULL) {
                free(rv);
                return cli_usage(cmd, "--out given twice for the stream");
            } else {
                out_path = v;
            }
        } else if (strcmp(n, "--download") == 0) {
            unsigned long id;
            if (pending >= 0 || rv->ndl == MAX_DOWNLOADS || num_parse(v, (unsigned long)-1, &id)) {
                free(rv);
                return cli_usage(cmd, pending >= 0 ? "--download ID needs its --out before "
                                                     "the next --download"
                                                   : "--download must be an object ID (at "
                                                     "most 16 of them)");
            }
            for (size_t i = 0; i < rv->ndl; i++) {
                if (rv->dl[i].id == id) {
                    free(rv);
                    return cli_usage(cmd, "--download %lu given twice", id);
                }
            }
            rv->dl[rv->ndl].id = id;
            pending = (long)rv->ndl++;
        } else if (strcmp(n, "--profile") == 0) {
            if ((r = parse_profile(cmd, v, &rv->pol.profile)) != 0) {
                free(rv);
                return r;
            }
            have_prof = 1;
        } else if (strcmp(n, "--rcc-mode") == 0) {
            if (num_parse(v, 3, &mode) != 0) {
                free(rv);
                return cli_usage(cmd, "--rcc-mode must be 0..3");
            }
            have_mode = 1;
        } else if (strcmp(n, "--rcc-rate") == 0) {
            if (num_parse(v, 65535, &rate) != 0 || rate == 0) {
                free(rv);
                return cli_usage(cmd, "--rcc-rate must be 1..65535");
            }
            have_rate = 1;
        } else if (strcmp(n, "--progress") == 0) {
            rv->prog.on = 1;
        } else {
            free(rv);
            return cli_usage(cmd, "unknown option '%s'", n);
        }
    }
    if (r < 0) {
        free(rv);
        return CLI_EXIT_USAGE;
    }
    if (pending >= 0) {
        free(rv);
        return cli_usage(cmd, "--download ID needs an --out after it");
    }
    if (rv->dir == NULL || rv->name == NULL) {
        free(rv);
        return cli_usage(cmd, "--dir and --member are required");
    }
    rv->pol.mki_len = TCO_MBMS_MKI_LEN;
    rv->pol.rcc_mode = (unsigned)mode;
    rv->pol.rcc_rate = (unsigned)rate;
    if (!have_prof)
        rv->pol.profile = TCO_SRTP_AES128_CM_SHA1_80;

    if ((rc = cli_open_dev(cmd, uri, &rv->dev)) != 0) /* a bad URI is a usage error: first */
        goto out;
    if (tco_get_info(rv->dev, &info) != TCO_OK || !(info.caps & TCO_CAP_SRTP)) {
        rc = cli_error(cmd, "device '%s' has no SRTP engine (TCO_CAP_SRTP)", uri);
        goto out;
    }
    /* the directory: parameters, events, the member's keys, the rekey messages */
    if (join_path(path, sizeof(path), rv->dir, "params.txt") != 0 ||
        read_params(rv, path, have_prof, have_mode, have_rate, err, sizeof(err)) != 0 ||
        (rc = check_policy(cmd, &rv->pol)) != 0 ||
        join_path(path, sizeof(path), rv->dir, "events.txt") != 0 ||
        read_events(rv, path, err, sizeof(err)) != 0 ||
        join_path(path, sizeof(path), rv->dir, "members.txt") != 0 ||
        read_members(rv, path, err, sizeof(err)) != 0 ||
        join_path(path, sizeof(path), rv->dir, "rekey.bin") != 0 ||
        slurp(path, &rv->rk, &rv->rk_len, err, sizeof(err)) != 0) {
        if (rc == 0)
            rc = cli_error(cmd, "%s", err[0] ? err : "path too long");
        goto out;
    }
    if (rv->nmk == 0) {
        rc = cli_error(cmd, "%s never joins (not in %s/members.txt)", rv->name, rv->dir);
        goto out;
    }
    for (size_t i = 0; i < rv->ndl; i++) {
        for (size_t k = 0; k < rv->nev; k++)
            if (rv->ev[k].kind == EV_DOWNLOAD && rv->ev[k].obj == rv->dl[i].id)
                rv->dl[i].found = 1;
        if (!rv->dl[i].found) {
            rc = cli_error(cmd, "no download object %llu in %s/events.txt",
                           (unsigned long long)rv->dl[i].id, rv->dir);
            goto out;
        }
    }
    rv->buf = malloc(65536);
    rv->frame = malloc(65536 + 128);
    if (rv->buf == NULL || rv->frame == NULL) {
        rc = cli_error(cmd, "out of memory");
        goto out;
    }
    if (join_path(path, sizeof(path), rv->dir, "stream.pcap") != 0 ||
        (rv->in = pio_open_in(path, err, sizeof(err))) == NULL) {
        rc = cli_error(cmd, "%s", err[0] ? err : "path too long");
        goto out;
    }
    for (size_t i = 0; i <= rv->ndl; i++) { /* no output over an input of the run */
        const char *o = i < rv->ndl ? rv->dl[i].out : out_path;
        char in_name[64];
        if (i < rv->ndl)
            snprintf(in_name, sizeof(in_name), "download-%llu.bin",
                     (unsigned long long)rv->dl[i].id);
        if (o != NULL && (i == rv->ndl || join_path(path, sizeof(path), rv->dir, in_name) == 0) &&
            same_file(o, path)) {
            rc = cli_usage(cmd, "--out %s is an input of the run", o);
            goto out;
        }
        (void)join_path(path, sizeof(path), rv->dir, "stream.pcap");
    }
    rv->linktype = pio_linktype(rv->in);
    if (!pio_link_supported(rv->linktype)) {
        rc = cli_error(cmd, "%s: link type %d not supported", path, rv->linktype);
        goto out;
    }
    if (out_path != NULL && (rv->out = pio_open_out(out_path, rv->linktype, pio_snaplen(rv->in),
                                                    pio_nano(rv->in), err, sizeof(err))) == NULL) {
        rc = cli_error(cmd, "%s", err);
        goto out;
    }
    rv->out_opened = out_path != NULL;
    if (member_start(rv, 0, err, sizeof(err)) != 0 || receive_all(rv, err, sizeof(err)) != 0) {
        rc = cli_error(cmd, "%s", err);
        goto out;
    }
    if (rv->out != NULL) {
        int c = pio_close_out(rv->out, cerr, sizeof(cerr));
        rv->out = NULL;
        if (c != 0) {
            rc = cli_error(cmd, "%s: %s", out_path, cerr);
            goto out;
        }
    }
    summarized = 1;
    printf("decrypted=%llu refused=%llu failed=%llu messages=%llu\n",
           (unsigned long long)rv->decrypted, (unsigned long long)rv->refused,
           (unsigned long long)rv->fails.total, (unsigned long long)rv->messages);
    for (size_t i = 0; i < rv->ndl; i++)
        if (rv->dl[i].written)
            printf("download=%llu octets=%zu\n", (unsigned long long)rv->dl[i].id,
                   rv->dl[i].octets);
    if (rv->dl_err[0] != '\0') {
        rc = cli_error(cmd, "%s", rv->dl_err);
    } else if (rv->fails.total) {
        char kinds[300] = "";
        size_t o = 0;
        for (size_t i = 0; i < rv->fails.n && o < sizeof(kinds); i++) {
            int w = snprintf(kinds + o, sizeof(kinds) - o, "%s%s: %llu", i ? ", " : "",
                             rv->fails.kind[i], (unsigned long long)rv->fails.count[i]);
            if (w < 0)
                break;
            o += (size_t)w;
        }
        rc = cli_error(cmd, "%llu packets failed (%s)", (unsigned long long)rv->fails.total, kinds);
    }

out:
    if (rv->out != NULL)
        (void)pio_close_out(rv->out, cerr, sizeof(cerr));
    if (rc != 0 && !summarized) {
        /* a rekey message that does not verify, a damaged directory: nothing to show */
        if (rv->out_opened)
            (void)unlink(out_path);
        for (size_t i = 0; i < rv->ndl; i++)
            if (rv->dl[i].written)
                (void)unlink(rv->dl[i].out);
    }
    pio_close_in(rv->in);
    tco_mbms_rx_free(rv->rx);
    tco_srtp_free(rv->srtp);
    tco_mbms_member_free(rv->m);
    tco_close(rv->dev);
    free(rv->ev);
    wipe_free(rv->mk, rv->mk_cap * sizeof(*rv->mk));
    free(rv->rk);
    free(rv->buf);
    free(rv->frame);
    free(rv);
    return rc;
}

int cmd_mbms(int argc, char **argv, const char *uri)
{
    if (argc < 1)
        return cli_usage("mbms", "run or receive expected");
    if (strcmp(argv[0], "--help") == 0) {
        help();
        return 0;
    }
    if (strcmp(argv[0], "run") == 0)
        return mbms_run(argc - 1, argv + 1, uri);
    if (strcmp(argv[0], "receive") == 0)
        return mbms_receive(argc - 1, argv + 1, uri);
    return cli_usage("mbms", "run or receive expected");
}
