/* ls_store_activity: the activity log's rows (see ls_store_activity.h).
 * Not what is recorded, nor when, nor how it is shown.
 *
 * Paging is by keyset, not OFFSET: a page is the events older than the
 * last one shown, so each page costs one range scan of the index
 * (share_id, at, id) however deep the reader has paged, and events
 * recorded meanwhile never shift a page. */
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include <apr_atomic.h>
#include <apr_hash.h>
#include <apr_strings.h>

#include "ls_store_activity.h"
#include "ls_store_int.h"
#include "ls_token.h"

/* Rows one sweep statement deletes. */
#define SWEEP_BATCH 5000

typedef struct {
    const ls_activity_t *ev;
    int n;
    int *written;
} insert_q;

/* Rows per INSERT: one round trip for many events (PostgreSQL answers
 * each statement over the network). Three sizes only, so a connection
 * keeps three prepared statements, not one per batch length. */
static const int chunk_sizes[] = {50, 10, 1};

#define ACTIVITY_COLS 9

/* This process's part of the ids (LS_ACTIVITY_ID_LEN): drawn again in a
 * process forked after drawing it (its pid differs), so children of one
 * parent never share it. Two threads drawing at once each get a random
 * value; ids stay unique by the counter either way. */
static struct {
    pid_t pid;
    char hex[11];
    apr_uint32_t counter;
} id_part;

static apr_status_t id_part_ready(void)
{
    char r[LS_ID_LEN + 1];
    apr_status_t rv;

    if (id_part.pid == getpid()) {
        return APR_SUCCESS;
    }
    if ((rv = ls_id_generate(r)) != APR_SUCCESS) {
        return rv;
    }
    apr_cpystrn(id_part.hex, r, sizeof(id_part.hex));
    id_part.pid = getpid();
    return APR_SUCCESS;
}

/* A new event id for time at (LS_ACTIVITY_ID_LEN + 1 bytes). */
static char *event_id(apr_pool_t *p, apr_int64_t at)
{
    static const char digits[] = "0123456789abcdef";
    char *id = apr_palloc(p, LS_ACTIVITY_ID_LEN + 1);
    apr_uint64_t t = at > 0 ? (apr_uint64_t)at : 0;
    apr_uint32_t n = apr_atomic_inc32(&id_part.counter);
    int i;

    for (i = 13; i >= 0; i--, t >>= 4) {
        id[i] = digits[t & 15];
    }
    memcpy(id + 14, id_part.hex, 10);
    for (i = 31; i >= 24; i--, n >>= 4) {
        id[i] = digits[n & 15];
    }
    id[LS_ACTIVITY_ID_LEN] = '\0';
    return id;
}

static const char *insert_sql(apr_pool_t *p, int rows)
{
    apr_array_header_t *parts = apr_array_make(p, rows + 1, sizeof(char *));
    int i;

    APR_ARRAY_PUSH(parts, const char *) =
        "INSERT INTO ls_activity (id, share_id, at, kind, path, job_id, "
        "status, bytes, address) VALUES ";
    for (i = 0; i < rows; i++) {
        APR_ARRAY_PUSH(
            parts, const char *) = i ? ", (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
                                     : "(%s, %s, %s, %s, %s, %s, %s, %s, %s)";
    }
    return apr_array_pstrcat(p, parts, 0);
}

/* The shares of the batch that still exist (share id -> ""): an event of
 * a share deleted meanwhile is skipped rather than failing the batch on
 * the foreign key. (A share deleted between this and the INSERT fails
 * the batch; its writer tries again, and then skips it.) */
static apr_status_t live_shares(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                                const insert_q *q, apr_hash_t **live,
                                const char **err)
{
    apr_hash_t *seen = apr_hash_make(p);
    apr_status_t rv = APR_SUCCESS;
    int i;

    *live = apr_hash_make(p);
    for (i = 0; i < q->n && rv == APR_SUCCESS; i++) {
        const char *id = q->ev[i].share_id;
        const char *args[1];
        int n = 0, one = 0;

        if (id == NULL || apr_hash_get(seen, id, APR_HASH_KEY_STRING)) {
            continue;
        }
        apr_hash_set(seen, id, APR_HASH_KEY_STRING, "");
        args[0] = id;
        rv = ls_store_select(s, c, p, "SELECT 1 FROM ls_share WHERE id = %s", 1,
                             args, ls_store_row_int, &one, &n, err);
        if (rv == APR_SUCCESS && n > 0) {
            apr_hash_set(*live, id, APR_HASH_KEY_STRING, "");
        }
    }
    return rv;
}

static apr_status_t activity_insert(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                                    void *baton, const char **err)
{
    const insert_q *q = baton;
    apr_hash_t *live;
    const ls_activity_t **rows;
    const char **args;
    apr_status_t rv;
    int i, nrows = 0, done = 0, k;

    if (id_part_ready() != APR_SUCCESS) {
        *err = "cannot make ids for activity events (no random numbers)";
        return APR_EGENERAL;
    }
    rv = live_shares(s, c, p, q, &live, err);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    rows = apr_palloc(p, sizeof(*rows) * (q->n ? q->n : 1));
    for (i = 0; i < q->n; i++) {
        /* The columns' bounds, which PostgreSQL enforces: one row over
         * them would fail the whole batch. */
        if (q->ev[i].share_id && q->ev[i].kind && strlen(q->ev[i].kind) <= 16
            && (q->ev[i].job == NULL || strlen(q->ev[i].job) <= 32)
            && (q->ev[i].address == NULL || strlen(q->ev[i].address) <= 64)
            && apr_hash_get(live, q->ev[i].share_id, APR_HASH_KEY_STRING)) {
            rows[nrows++] = &q->ev[i];
        }
    }
    args = apr_palloc(p, sizeof(*args) * ACTIVITY_COLS * chunk_sizes[0]);
    for (k = 0; rv == APR_SUCCESS && done < nrows;) {
        int size = chunk_sizes[k], j;

        if (nrows - done < size) {
            k++;
            continue;
        }
        for (j = 0; j < size; j++) {
            const ls_activity_t *e = rows[done + j];
            const char **a = args + j * ACTIVITY_COLS;

            a[0] = e->id ? e->id : event_id(p, e->at);
            a[1] = e->share_id;
            a[2] = ls_store_i64(p, e->at);
            a[3] = e->kind;
            a[4] = e->path;
            a[5] = e->job;
            a[6] = apr_itoa(p, e->status);
            a[7] = ls_store_i64(p, e->bytes);
            a[8] = e->address;
        }
        rv = ls_store_exec(s, c, p, insert_sql(p, size), size * ACTIVITY_COLS,
                           args, NULL, err);
        done += size;
    }
    if (rv == APR_SUCCESS && q->written) {
        *q->written = nrows;
    }
    return rv;
}

apr_status_t ls_store_activity_insert(ls_store *s, apr_pool_t *p,
                                      const ls_activity_t *ev, int n,
                                      int *written, const char **err)
{
    insert_q q = {ev, n, written};

    if (written) {
        *written = 0;
    }
    return n > 0 ? ls_store_tx(s, p, "cannot commit activity events",
                               activity_insert, &q, err)
                 : APR_SUCCESS;
}

/* ---- cursors ---- */

/* An id event_id makes, or one of the 16 random hex digits events got
 * before. */
static int event_id_well_formed(const char *s)
{
    apr_size_t n = 0;

    while ((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')) {
        n++;
    }
    return s[n] == '\0' && (n == LS_ACTIVITY_ID_LEN || n == LS_ID_LEN);
}

const char *ls_store_activity_cursor(apr_pool_t *p, const ls_activity_t *ev)
{
    return apr_psprintf(p, "%" APR_INT64_T_FMT "-%s", ev->at, ev->id);
}

apr_status_t ls_store_activity_cursor_parse(const char *cursor, apr_int64_t *at,
                                            char *id)
{
    const char *dash = cursor ? strchr(cursor, '-') : NULL;
    apr_size_t digits = dash ? (apr_size_t)(dash - cursor) : 0;
    apr_int64_t v = 0;
    apr_size_t i;

    /* 1 to 18 digits: no overflow, no sign, no spaces. */
    if (digits == 0 || digits > 18 || !event_id_well_formed(dash + 1)) {
        return APR_EINVAL;
    }
    for (i = 0; i < digits; i++) {
        if (cursor[i] < '0' || cursor[i] > '9') {
            return APR_EINVAL;
        }
        v = v * 10 + (cursor[i] - '0');
    }
    *at = v;
    apr_cpystrn(id, dash + 1, LS_ACTIVITY_ID_LEN + 1);
    return APR_SUCCESS;
}

/* ---- pages ---- */

static void row_event(ls_store *s, apr_pool_t *p, apr_dbd_row_t *row,
                      void *baton)
{
    ls_activity_t *e = apr_array_push((apr_array_header_t *)baton);

    e->id = ls_store_col_dup(s, p, row, 0);
    e->share_id = ls_store_col_dup(s, p, row, 1);
    e->at = ls_store_col_int(s, row, 2);
    e->kind = ls_store_col_dup(s, p, row, 3);
    e->path = ls_store_col_dup(s, p, row, 4);
    e->job = ls_store_col_dup(s, p, row, 5);
    e->status = (int)ls_store_col_int(s, row, 6);
    e->bytes = ls_store_col_int(s, row, 7);
    e->address = ls_store_col_dup(s, p, row, 8);
}

#define COLS                                                                   \
    "SELECT id, share_id, at, kind, path, job_id, status, bytes, address "     \
    "FROM ls_activity WHERE share_id = %s "

apr_status_t ls_store_activity_page(ls_store *s, apr_pool_t *p,
                                    const char *share_id, const char *before,
                                    int limit, apr_array_header_t **events,
                                    const char **next, const char **err)
{
    apr_array_header_t *got;
    /* One more than asked: whether a next page exists, without a count. */
    const char *lim = apr_itoa(p, limit + 1);
    char id[LS_ACTIVITY_ID_LEN + 1];
    apr_int64_t at;
    apr_status_t rv;

    *events = NULL;
    *next = NULL;
    if (limit < 1 || limit > LS_ACTIVITY_PAGE_MAX) {
        *err = apr_psprintf(p, "The limit must be a number from 1 to %d.",
                            LS_ACTIVITY_PAGE_MAX);
        return APR_EINVAL;
    }
    if (before
        && ls_store_activity_cursor_parse(before, &at, id) != APR_SUCCESS) {
        *err = "The cursor (before) is not one this API handed out.";
        return APR_EINVAL;
    }
    got = apr_array_make(p, limit + 1, sizeof(ls_activity_t));
    if (before) {
        const char *t = ls_store_i64(p, at);
        const char *args[] = {share_id, t, t, id, lim};

        rv = ls_store_query(s, p,
                            COLS "AND (at < %s OR (at = %s AND id < %s)) "
                                 "ORDER BY at DESC, id DESC LIMIT CAST(%s AS "
                                 "INTEGER)",
                            5, args, row_event, got, NULL, err);
    }
    else {
        const char *args[] = {share_id, lim};

        rv = ls_store_query(s, p,
                            COLS "ORDER BY at DESC, id DESC LIMIT CAST(%s AS "
                                 "INTEGER)",
                            2, args, row_event, got, NULL, err);
    }
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (got->nelts > limit) {
        got->nelts = limit;
        *next = ls_store_activity_cursor(
            p, &APR_ARRAY_IDX(got, limit - 1, ls_activity_t));
    }
    *events = got;
    return APR_SUCCESS;
}

/* ---- retention ---- */

typedef struct {
    const char *before;
    int *n;
} sweep_q;

/* One batch; PostgreSQL has no DELETE ... LIMIT: a bounded subselect.
 * Ids begin with the time in 14 hex digits (schema v9 rewrote older
 * ones so), so "older than before" is a range of the primary key. */
static apr_status_t sweep_batch(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                                void *baton, const char **err)
{
    const sweep_q *q = baton;
    const char *args[] = {q->before};

    return ls_store_exec(
        s, c, p,
        "DELETE FROM ls_activity WHERE id IN (SELECT id FROM "
        "ls_activity WHERE id < %s LIMIT " APR_STRINGIFY(SWEEP_BATCH) ")",
        1, args, q->n, err);
}

apr_status_t ls_store_activity_sweep(ls_store *s, apr_pool_t *p,
                                     apr_int64_t before, int *deleted,
                                     const char **err)
{
    int n, total = 0;
    sweep_q q = {apr_psprintf(p, "%014" APR_UINT64_T_HEX_FMT,
                              (apr_uint64_t)(before > 0 ? before : 0)),
                 &n};
    apr_status_t rv;

    do {
        n = 0;
        rv = ls_store_run(s, p, sweep_batch, &q, err);
        total += n;
    } while (rv == APR_SUCCESS && n >= SWEEP_BATCH);
    if (deleted) {
        *deleted = total;
    }
    return rv;
}
