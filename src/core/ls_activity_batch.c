/* ls_activity_batch: batch files between the children and the node's
 * writer (see ls_activity_batch.h). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <apr_atomic.h>
#include <apr_file_info.h>
#include <apr_file_io.h>
#include <apr_strings.h>

#include "ls_activity_batch.h"

#define MAGIC     "LSACTV1\n"
#define MAGIC_LEN 8
#define NONE      0xffffffffu

/* Temporary files older than this are a dead writer's, claims older than
 * this a dead ingester's. */
static apr_interval_time_t stale_usecs = apr_time_from_sec(600);

void ls_activity_batch_stale_after(apr_interval_time_t usecs)
{
    stale_usecs = usecs;
}

/* What an ingester renames a batch to while it inserts it ("NAME.batch"
 * + this + its pid): the rename is the claim, so nodes sharing a state
 * directory never insert one file twice. */
#define CLAIM ".claim."

/* ---- encoding ---- */

typedef struct {
    char *buf;
    apr_size_t len, cap;
    apr_pool_t *p;
} out_t;

static void put(out_t *o, const void *data, apr_size_t n)
{
    if (o->len + n > o->cap) {
        apr_size_t cap = o->cap * 2 > o->len + n ? o->cap * 2 : o->len + n;
        char *nb = apr_palloc(o->p, cap);

        memcpy(nb, o->buf, o->len);
        o->buf = nb;
        o->cap = cap;
    }
    memcpy(o->buf + o->len, data, n);
    o->len += n;
}

static void put_u(out_t *o, apr_uint64_t v, int bytes)
{
    unsigned char b[8];
    int i;

    for (i = 0; i < bytes; i++, v >>= 8) {
        b[i] = (unsigned char)(v & 0xff);
    }
    put(o, b, (apr_size_t)bytes);
}

static void put_str(out_t *o, const char *s)
{
    apr_size_t n = s ? strlen(s) : 0;

    put_u(o, s ? (apr_uint64_t)n : NONE, 4);
    if (s) {
        put(o, s, n);
    }
}

/* A name that sorts by when it was written: the time in hex first. */
static const char *batch_name(apr_pool_t *p, const char *dir)
{
    static apr_uint32_t seq;

    return apr_psprintf(
        p, "%s/%016" APR_UINT64_T_HEX_FMT "-%" APR_PID_T_FMT "-%u", dir,
        (apr_uint64_t)apr_time_now(), getpid(), apr_atomic_inc32(&seq));
}

apr_status_t ls_activity_batch_write(apr_pool_t *p, const char *dir,
                                     const ls_activity_t *ev, int n,
                                     const char **err)
{
    out_t o = {NULL, 0, 0, p};
    const char *base = batch_name(p, dir);
    const char *tmp = apr_pstrcat(p, base, ".tmp", NULL);
    const char *final = apr_pstrcat(p, base, LS_ACTIVITY_BATCH_SUFFIX, NULL);
    apr_file_t *f;
    apr_size_t wrote;
    apr_status_t rv;
    int i;

    o.cap = 64 + (apr_size_t)n * 128;
    o.buf = apr_palloc(p, o.cap);
    put(&o, MAGIC, MAGIC_LEN);
    for (i = 0; i < n; i++) {
        put_u(&o, (apr_uint64_t)ev[i].at, 8);
        put_u(&o, (apr_uint64_t)(apr_uint32_t)ev[i].status, 4);
        put_u(&o, (apr_uint64_t)ev[i].bytes, 8);
        put_str(&o, ev[i].share_id);
        put_str(&o, ev[i].kind);
        put_str(&o, ev[i].path);
        put_str(&o, ev[i].job);
        put_str(&o, ev[i].address);
    }
    rv = apr_file_open(&f, tmp,
                       APR_FOPEN_WRITE | APR_FOPEN_CREATE | APR_FOPEN_EXCL,
                       APR_FPROT_UREAD | APR_FPROT_UWRITE, p);
    if (rv != APR_SUCCESS) {
        *err = apr_psprintf(p, "cannot create %s", tmp);
        return rv;
    }
    rv = apr_file_write_full(f, o.buf, o.len, &wrote);
    if (rv == APR_SUCCESS) {
        rv = apr_file_close(f);
    }
    else {
        apr_file_close(f);
    }
    if (rv == APR_SUCCESS) {
        rv = apr_file_rename(tmp, final, p);
    }
    if (rv != APR_SUCCESS) {
        apr_file_remove(tmp, p);
        *err = apr_psprintf(p, "cannot write %s", final);
    }
    return rv;
}

/* ---- decoding ---- */

typedef struct {
    const unsigned char *at, *end;
} in_t;

static int get_u(in_t *in, int bytes, apr_uint64_t *v)
{
    int i;

    if (in->end - in->at < bytes) {
        return 0;
    }
    *v = 0;
    for (i = bytes - 1; i >= 0; i--) {
        *v = (*v << 8) | in->at[i];
    }
    in->at += bytes;
    return 1;
}

static int get_str(apr_pool_t *p, in_t *in, const char **s)
{
    apr_uint64_t n;

    if (!get_u(in, 4, &n)) {
        return 0;
    }
    if (n == NONE) {
        *s = NULL;
        return 1;
    }
    if ((apr_uint64_t)(in->end - in->at) < n
        || memchr(in->at, '\0', (apr_size_t)n) != NULL) {
        return 0;
    }
    *s = apr_pstrmemdup(p, (const char *)in->at, (apr_size_t)n);
    in->at += n;
    return 1;
}

apr_status_t ls_activity_batch_read(apr_pool_t *p, const char *path,
                                    apr_array_header_t **events,
                                    const char **err)
{
    apr_finfo_t fi;
    apr_file_t *f;
    apr_size_t got;
    unsigned char *buf;
    in_t in;
    apr_status_t rv;

    *events = NULL;
    rv = apr_file_open(&f, path, APR_FOPEN_READ, 0, p);
    if (rv == APR_SUCCESS) {
        rv = apr_file_info_get(&fi, APR_FINFO_SIZE, f);
        if (rv == APR_SUCCESS
            && (fi.size < MAGIC_LEN || fi.size > LS_ACTIVITY_BATCH_MAX_BYTES)) {
            apr_file_close(f);
            *err = apr_psprintf(p, "%s: %" APR_OFF_T_FMT " bytes is no batch",
                                path, fi.size);
            return APR_EINVAL;
        }
    }
    if (rv != APR_SUCCESS) {
        *err = apr_psprintf(p, "cannot read %s", path);
        return rv;
    }
    buf = apr_palloc(p, (apr_size_t)fi.size);
    rv = apr_file_read_full(f, buf, (apr_size_t)fi.size, &got);
    apr_file_close(f);
    if (rv != APR_SUCCESS) {
        *err = apr_psprintf(p, "cannot read %s", path);
        return rv;
    }
    if (memcmp(buf, MAGIC, MAGIC_LEN) != 0) {
        *err = apr_psprintf(p, "%s is not a batch of events", path);
        return APR_EINVAL;
    }
    in.at = buf + MAGIC_LEN;
    in.end = buf + got;
    *events = apr_array_make(p, 64, sizeof(ls_activity_t));
    while (in.at < in.end) {
        ls_activity_t *e = apr_array_push(*events);
        apr_uint64_t at, status, bytes;

        memset(e, 0, sizeof(*e));
        if (!get_u(&in, 8, &at) || !get_u(&in, 4, &status)
            || !get_u(&in, 8, &bytes) || !get_str(p, &in, &e->share_id)
            || !get_str(p, &in, &e->kind) || !get_str(p, &in, &e->path)
            || !get_str(p, &in, &e->job) || !get_str(p, &in, &e->address)) {
            *err = apr_psprintf(p, "%s: event %d is cut short or malformed",
                                path, (*events)->nelts);
            *events = NULL;
            return APR_EINVAL;
        }
        e->at = (apr_int64_t)at;
        e->status = (int)(apr_int32_t)(apr_uint32_t)status;
        e->bytes = (apr_int64_t)bytes;
    }
    return APR_SUCCESS;
}

/* ---- ingesting ---- */

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int ends_with(const char *s, const char *sfx)
{
    apr_size_t n = strlen(s), m = strlen(sfx);

    return n > m && strcmp(s + n - m, sfx) == 0;
}

/* NAME.batch of a claimed NAME.batch.claim.PID. */
static const char *unclaimed(apr_pool_t *p, const char *claimed)
{
    const char *c = strstr(claimed, LS_ACTIVITY_BATCH_SUFFIX CLAIM);

    return c ? apr_pstrmemdup(p, claimed,
                              (apr_size_t)(c - claimed)
                                  + strlen(LS_ACTIVITY_BATCH_SUFFIX))
             : claimed;
}

/* The finished files of dir, sorted by name (oldest first); temporary
 * files of a dead writer removed on the way. */
static apr_status_t list_batches(apr_pool_t *p, const char *dir,
                                 apr_array_header_t **names, const char **err)
{
    apr_dir_t *d;
    apr_finfo_t fi;
    apr_time_t now = apr_time_now();
    apr_status_t rv = apr_dir_open(&d, dir, p);

    if (rv != APR_SUCCESS) {
        *err = apr_psprintf(p, "cannot open %s", dir);
        return rv;
    }
    *names = apr_array_make(p, 64, sizeof(const char *));
    while (apr_dir_read(&fi,
                        APR_FINFO_NAME | APR_FINFO_MTIME | APR_FINFO_CTIME
                            | APR_FINFO_TYPE,
                        d)
           == APR_SUCCESS) {
        if (fi.filetype != APR_REG) {
            continue;
        }
        if (ends_with(fi.name, LS_ACTIVITY_BATCH_SUFFIX)) {
            APR_ARRAY_PUSH(*names, const char *) = apr_pstrdup(p, fi.name);
        }
        else if (ends_with(fi.name, ".tmp") && now - fi.mtime > stale_usecs) {
            apr_file_remove(apr_pstrcat(p, dir, "/", fi.name, NULL), p);
        }
        else if (strstr(fi.name, LS_ACTIVITY_BATCH_SUFFIX CLAIM)
                 && now - fi.ctime > stale_usecs) {
            /* Its ingester died (the claim's rename set ctime): back in
             * line, for the next ingest. */
            const char *claimed = apr_pstrcat(p, dir, "/", fi.name, NULL);

            apr_file_rename(claimed, unclaimed(p, claimed), p);
        }
    }
    apr_dir_close(d);
    qsort((*names)->elts, (apr_size_t)(*names)->nelts, sizeof(const char *),
          by_name);
    return APR_SUCCESS;
}

/* The claimed files not inserted (still there: removed on success, or
 * renamed .bad) go back in line under their own names. */
static void give_back(apr_pool_t *p, apr_array_header_t *taken)
{
    apr_finfo_t fi;
    int i;

    for (i = 0; i < taken->nelts; i++) {
        const char *claimed = APR_ARRAY_IDX(taken, i, const char *);

        if (apr_stat(&fi, claimed, APR_FINFO_TYPE, p) == APR_SUCCESS) {
            apr_file_rename(claimed, unclaimed(p, claimed), p);
        }
    }
}

/* The events of one file, alone in a transaction: after the whole set
 * failed, a file the store refuses while it takes others is set aside. */
static void ingest_one_by_one(apr_pool_t *p, ls_store *store,
                              apr_array_header_t *taken,
                              apr_array_header_t *each,
                              ls_activity_ingest_t *done)
{
    int *failed = apr_pcalloc(p, sizeof(int) * (apr_size_t)taken->nelts);
    int i, ok = 0;

    for (i = 0; i < taken->nelts; i++) {
        apr_array_header_t *ev = APR_ARRAY_IDX(each, i, apr_array_header_t *);
        const char *why = NULL;
        int w = 0;

        if (ls_store_activity_insert(store, p, (const ls_activity_t *)ev->elts,
                                     ev->nelts, &w, &why)
            == APR_SUCCESS) {
            apr_file_remove(APR_ARRAY_IDX(taken, i, const char *), p);
            done->files++;
            done->events += ev->nelts;
            done->written += w;
            ok++;
        }
        else {
            failed[i] = 1;
        }
    }
    for (i = 0; i < taken->nelts; i++) {
        const char *path = APR_ARRAY_IDX(taken, i, const char *);

        if (!failed[i]) {
            continue;
        }
        if (ok) { /* the store works: this file is what it refuses */
            apr_file_rename(
                path, apr_pstrcat(p, unclaimed(p, path), ".bad", NULL), p);
            done->bad++;
        }
        else {
            done->waiting++;
        }
    }
}

apr_status_t ls_activity_batch_ingest(apr_pool_t *p, const char *dir,
                                      ls_store *store,
                                      ls_activity_ingest_t *done,
                                      const char **err)
{
    apr_array_header_t *names, *all, *taken, *each;
    apr_status_t rv;
    int i, first = 0, written = 0;

    memset(done, 0, sizeof(*done));
    if ((rv = list_batches(p, dir, &names, err)) != APR_SUCCESS) {
        return rv;
    }
    /* A backlog past the bound (the store has refused them for long):
     * the oldest go, so the disk does not fill. */
    if (names->nelts > LS_ACTIVITY_BACKLOG_FILES) {
        first = names->nelts - LS_ACTIVITY_BACKLOG_FILES;
        for (i = 0; i < first; i++) {
            apr_file_remove(apr_pstrcat(p, dir, "/",
                                        APR_ARRAY_IDX(names, i, const char *),
                                        NULL),
                            p);
        }
        done->dropped = first;
    }
    all = apr_array_make(p, 256, sizeof(ls_activity_t));
    taken = apr_array_make(p, 64, sizeof(const char *));
    each = apr_array_make(p, 64, sizeof(apr_array_header_t *));
    for (i = first; i < names->nelts && taken->nelts < LS_ACTIVITY_INGEST_FILES;
         i++) {
        const char *path = apr_pstrcat(
            p, dir, "/", APR_ARRAY_IDX(names, i, const char *), NULL);
        const char *claimed = apr_psprintf(p, "%s" CLAIM "%" APR_PID_T_FMT,
                                           path, getpid());
        apr_array_header_t *ev;
        const char *why = NULL;

        if (apr_file_rename(path, claimed, p) != APR_SUCCESS) {
            continue; /* another node's writer took it */
        }
        if (ls_activity_batch_read(p, claimed, &ev, &why) != APR_SUCCESS) {
            /* Set aside, not retried forever; the admin may look. */
            apr_file_rename(claimed, apr_pstrcat(p, path, ".bad", NULL), p);
            done->bad++;
            continue;
        }
        apr_array_cat(all, ev);
        APR_ARRAY_PUSH(taken, const char *) = claimed;
        APR_ARRAY_PUSH(each, apr_array_header_t *) = ev;
    }
    done->waiting = names->nelts - i;
    if (all->nelts == 0) {
        return APR_SUCCESS;
    }
    rv = ls_store_activity_insert(store, p, (const ls_activity_t *)all->elts,
                                  all->nelts, &written, err);
    if (rv == APR_SUCCESS) {
        for (i = 0; i < taken->nelts; i++) {
            apr_file_remove(APR_ARRAY_IDX(taken, i, const char *), p);
        }
        done->files = taken->nelts;
        done->events = all->nelts;
        done->written = written;
        return APR_SUCCESS;
    }
    if (taken->nelts > 1) {
        /* One file may hold what the store refuses: file by file, so the
         * others are not held up by it. */
        ingest_one_by_one(p, store, taken, each, done);
    }
    else {
        done->waiting++;
    }
    give_back(p, taken);
    return done->files > 0 ? APR_SUCCESS : rv;
}
