/* ls_store_job: the job rows (one queued download each), the browsers
 * that asked for them and their parts, in the store (see
 * ls_store_job.h). Not the packaging (ls_zip) nor the worker's run
 * (ls_worker). Claiming is one UPDATE whose WHERE re-checks the state, so
 * concurrent workers, on one host or several sharing a PostgreSQL, never
 * get the same job. */
#include <string.h>

#include <apr_strings.h>

#include "ls_store_job.h"
#include "ls_store_int.h"

#define JOB_COLS                                                               \
    "j.id, j.share_id, j.selection_key, j.state, j.files_total, "              \
    "j.bytes_total, j.files_done, j.bytes_done, j.parts_total, j.error, "      \
    "j.created, j.updated, j.claim, j.heartbeat, j.attempts, j.title, "        \
    "j.label"

static void row_job(ls_store *s, apr_pool_t *p, apr_dbd_row_t *row, void *baton)
{
    ls_job_t *j = apr_pcalloc(p, sizeof(*j));

    j->id = ls_store_col_dup(s, p, row, 0);
    j->share_id = ls_store_col_dup(s, p, row, 1);
    j->selection_key = ls_store_col_dup(s, p, row, 2);
    j->state = ls_store_col_dup(s, p, row, 3);
    j->files_total = (int)ls_store_col_int(s, row, 4);
    j->bytes_total = ls_store_col_int(s, row, 5);
    j->files_done = (int)ls_store_col_int(s, row, 6);
    j->bytes_done = ls_store_col_int(s, row, 7);
    j->parts_total = (int)ls_store_col_int(s, row, 8);
    j->error = ls_store_col_dup(s, p, row, 9);
    j->created = ls_store_col_int(s, row, 10);
    j->updated = ls_store_col_int(s, row, 11);
    j->claim = ls_store_col_dup(s, p, row, 12);
    j->heartbeat = ls_store_col_int(s, row, 13);
    j->attempts = (int)ls_store_col_int(s, row, 14);
    j->title = ls_store_col_dup(s, p, row, 15);
    j->label = ls_store_col_dup(s, p, row, 16);
    j->parts = apr_array_make(p, 1, sizeof(ls_part_t));
    APR_ARRAY_PUSH((apr_array_header_t *)baton, ls_job_t *) = j;
}

static void row_part(ls_store *s, apr_pool_t *p, apr_dbd_row_t *row,
                     void *baton)
{
    ls_part_t *pt = apr_array_push(baton);

    pt->n = (int)ls_store_col_int(s, row, 0);
    pt->size = ls_store_col_int(s, row, 1);
    pt->sha256 = ls_store_col_dup(s, p, row, 2);
    pt->path = ls_store_col_dup(s, p, row, 3);
}

static void row_text(ls_store *s, apr_pool_t *p, apr_dbd_row_t *row,
                     void *baton)
{
    *(const char **)baton = ls_store_col_dup(s, p, row, 0);
}

/* Runs a job select, then fetches parts (and entries when asked). */
static apr_status_t jobs_query(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                               const char *sql, int nargs, const char **args,
                               int with_entries, apr_array_header_t **out,
                               const char **err)
{
    apr_status_t rv;
    int i;

    *out = apr_array_make(p, 4, sizeof(ls_job_t *));
    rv = ls_store_select(s, c, p, sql, nargs, args, row_job, *out, NULL, err);
    for (i = 0; rv == APR_SUCCESS && i < (*out)->nelts; i++) {
        ls_job_t *j = APR_ARRAY_IDX(*out, i, ls_job_t *);
        const char *a[] = {j->id};
        rv = ls_store_select(s, c, p,
                             "SELECT n, size, sha256, path FROM ls_part "
                             "WHERE job_id = %s ORDER BY n",
                             1, a, row_part, j->parts, NULL, err);
        if (rv == APR_SUCCESS && with_entries) {
            rv = ls_store_select(s, c, p,
                                 "SELECT entries FROM ls_job WHERE id = %s", 1,
                                 a, row_text, &j->entries, NULL, err);
        }
    }
    return rv;
}

typedef struct {
    const char *sql;
    int nargs;
    const char **args;
    int with_entries;
    apr_array_header_t **out;
} jobs_q;

static apr_status_t jobs_read(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                              void *baton, const char **err)
{
    jobs_q *q = baton;
    return jobs_query(s, c, p, q->sql, q->nargs, q->args, q->with_entries,
                      q->out, err);
}

/* One connection for one jobs_query. */
static apr_status_t jobs(ls_store *s, apr_pool_t *p, const char *sql, int nargs,
                         const char **args, int with_entries,
                         apr_array_header_t **out, const char **err)
{
    jobs_q q = {sql, nargs, args, with_entries, out};
    return ls_store_run(s, p, jobs_read, &q, err);
}

/* The first row of a jobs query; rows is read after rv was computed. */
static apr_status_t first(apr_status_t rv, apr_array_header_t **rows,
                          ls_job_t **out)
{
    if (rv == APR_SUCCESS && (*rows)->nelts == 0) {
        return APR_NOTFOUND;
    }
    if (rv == APR_SUCCESS) {
        *out = APR_ARRAY_IDX(*rows, 0, ls_job_t *);
    }
    return rv;
}

apr_status_t ls_store_job_reusable(ls_store *s, apr_pool_t *p,
                                   const char *share_id, const char *key,
                                   ls_job_t **out, const char **err)
{
    const char *args[] = {share_id, key};
    apr_array_header_t *rows = NULL;

    return first(jobs(s, p,
                      "SELECT " JOB_COLS " FROM ls_job j WHERE "
                      "j.share_id = %s AND j.selection_key = %s AND "
                      "j.state IN ('queued', 'running', 'done') "
                      "ORDER BY j.created DESC, j.id",
                      2, args, 0, &rows, err),
                 &rows, out);
}

apr_status_t ls_store_job_get(ls_store *s, apr_pool_t *p, const char *id,
                              ls_job_t **out, const char **err)
{
    const char *args[] = {id};
    apr_array_header_t *rows = NULL;

    return first(jobs(s, p, "SELECT " JOB_COLS " FROM ls_job j WHERE j.id = %s",
                      1, args, 1, &rows, err),
                 &rows, out);
}

apr_status_t ls_store_job_list(ls_store *s, apr_pool_t *p, const char *share_id,
                               const char *browser, apr_array_header_t **out,
                               const char **err)
{
    const char *args[] = {share_id, browser};

    return jobs(s, p,
                "SELECT " JOB_COLS " FROM ls_job j JOIN ls_job_browser b "
                "ON b.job_id = j.id WHERE j.share_id = %s AND b.browser = %s "
                "ORDER BY j.created DESC, j.id",
                2, args, 0, out, err);
}

typedef struct {
    const ls_job_t *job;
    const char *browser;
} job_new;

static apr_status_t job_insert(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                               void *baton, const char **err)
{
    const job_new *nw = baton;
    const ls_job_t *j = nw->job;
    const char *args[] = {j->id,
                          j->share_id,
                          j->selection_key,
                          j->title,
                          j->label,
                          j->entries,
                          apr_itoa(p, j->files_total),
                          ls_store_i64(p, j->bytes_total),
                          ls_store_i64(p, j->created),
                          ls_store_i64(p, j->created)};
    const char *link[] = {j->id, nw->browser};
    apr_status_t rv;

    rv = ls_store_exec(s, c, p,
                       "INSERT INTO ls_job (id, share_id, selection_key, "
                       "title, label, state, entries, files_total, "
                       "bytes_total, created, updated) VALUES (%s, %s, %s, "
                       "%s, %s, 'queued', %s, %s, %s, %s, %s)",
                       10, args, NULL, err);
    if (rv == APR_SUCCESS) {
        rv = ls_store_exec(s, c, p,
                           "INSERT INTO ls_job_browser (job_id, browser) "
                           "VALUES (%s, %s)",
                           2, link, NULL, err);
    }
    return rv;
}

apr_status_t ls_store_job_insert(ls_store *s, apr_pool_t *p, const ls_job_t *j,
                                 const char *browser, const char **err)
{
    job_new nw = {j, browser};
    return ls_store_tx(s, p, "cannot commit the new job", job_insert, &nw, err);
}

apr_status_t ls_store_job_link(ls_store *s, apr_pool_t *p, const char *job_id,
                               const char *browser, const char **err)
{
    const char *args[] = {job_id, browser, job_id, browser};
    apr_status_t rv;

    rv = ls_store_update(
        s, p,
        "INSERT INTO ls_job_browser (job_id, browser) SELECT "
        "%s, %s WHERE NOT EXISTS (SELECT 1 FROM ls_job_browser "
        "WHERE job_id = %s AND browser = %s)",
        4, args, err);
    return rv == APR_NOTFOUND ? APR_SUCCESS : rv; /* linked already */
}

apr_status_t ls_store_job_active(ls_store *s, apr_pool_t *p,
                                 const char *share_id, int *count,
                                 const char **err)
{
    const char *args[] = {share_id};

    *count = 0;
    return ls_store_query(s, p,
                          "SELECT COUNT(*) FROM ls_job WHERE share_id = %s "
                          "AND state IN ('queued', 'running')",
                          1, args, ls_store_row_int, count, NULL, err);
}

apr_status_t ls_store_job_spool_usage(ls_store *s, apr_pool_t *p,
                                      const char *share_id, apr_int64_t *bytes,
                                      const char **err)
{
    const char *args[] = {share_id, share_id};

    *bytes = 0;
    /* SUM of BIGINT is NUMERIC on PostgreSQL: cast it back. */
    return ls_store_query(
        s, p,
        share_id
            ? "SELECT CAST(COALESCE((SELECT SUM(bytes_total) FROM ls_job "
              "WHERE share_id = %s AND state IN ('queued', 'running')), 0) "
              "+ COALESCE((SELECT SUM(pt.size) FROM ls_part pt JOIN ls_job "
              "j ON j.id = pt.job_id WHERE j.share_id = %s AND j.state = "
              "'done'), 0) AS BIGINT)"
            : "SELECT CAST(COALESCE((SELECT SUM(bytes_total) FROM ls_job "
              "WHERE state IN ('queued', 'running')), 0) + COALESCE((SELECT "
              "SUM(pt.size) FROM ls_part pt JOIN ls_job j ON j.id = "
              "pt.job_id WHERE j.state = 'done'), 0) AS BIGINT)",
        share_id ? 2 : 0, args, ls_store_row_i64, bytes, NULL, err);
}

typedef struct {
    const char *claim;
    apr_int64_t now;
    apr_int64_t stale_before;
    ls_job_t **out;
} job_claim_q;

/* The claiming UPDATE, then the row it claimed, on one connection. */
static apr_status_t job_claim(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                              void *baton, const char **err)
{
    const job_claim_q *q = baton;
    const char *stale = ls_store_i64(p, q->stale_before);
    const char *args[] = {q->claim, ls_store_i64(p, q->now),
                          ls_store_i64(p, q->now), stale, stale};
    const char *mine[] = {q->claim};
    apr_array_header_t *rows = NULL;
    apr_status_t rv;
    int n = 0;

    rv = ls_store_exec(s, c, p,
                       "UPDATE ls_job SET state = 'running', claim = %s, "
                       "heartbeat = %s, updated = %s, attempts = attempts + 1"
                       ", files_done = 0, bytes_done = 0 WHERE id = (SELECT "
                       "id FROM ls_job WHERE state = 'queued' OR (state = "
                       "'running' AND heartbeat < %s) ORDER BY created, id "
                       "LIMIT 1) AND (state = 'queued' OR (state = 'running' "
                       "AND heartbeat < %s))",
                       5, args, &n, err);
    if (rv == APR_SUCCESS && n == 0) {
        rv = APR_NOTFOUND;
    }
    if (rv == APR_SUCCESS) {
        rv = first(jobs_query(s, c, p,
                              "SELECT " JOB_COLS " FROM ls_job j WHERE "
                              "j.claim = %s AND j.state = 'running'",
                              1, mine, 1, &rows, err),
                   &rows, q->out);
    }
    return rv;
}

apr_status_t ls_store_job_claim(ls_store *s, apr_pool_t *p, const char *claim,
                                apr_int64_t now, apr_int64_t stale_before,
                                ls_job_t **out, const char **err)
{
    job_claim_q q = {claim, now, stale_before, out};
    return ls_store_run(s, p, job_claim, &q, err);
}

apr_status_t ls_store_job_progress(ls_store *s, apr_pool_t *p, const char *id,
                                   const char *claim, int files_done,
                                   apr_int64_t bytes_done, apr_int64_t now,
                                   const char **err)
{
    const char *args[] = {apr_itoa(p, files_done),
                          ls_store_i64(p, bytes_done),
                          ls_store_i64(p, now),
                          ls_store_i64(p, now),
                          id,
                          claim};
    return ls_store_update(s, p,
                           "UPDATE ls_job SET files_done = %s, bytes_done = "
                           "%s, heartbeat = %s, updated = %s WHERE id = %s "
                           "AND claim = %s AND state = 'running'",
                           6, args, err);
}

typedef struct {
    const char *id;
    const char *claim;
    const char *state;
    const char *error;
    const apr_array_header_t *parts;
    apr_int64_t now;
} job_end;

static apr_status_t job_finish(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                               void *baton, const char **err)
{
    const job_end *e = baton;
    const apr_array_header_t *parts = e->parts;
    int i, n = 0;
    int queued = strcmp(e->state, "queued") == 0;
    const char *args[] = {e->state,
                          e->error,
                          apr_itoa(p, parts ? parts->nelts : 0),
                          ls_store_i64(p, e->now),
                          e->id,
                          e->claim};
    const char *del[] = {e->id};
    apr_status_t rv;

    rv = ls_store_exec(s, c, p,
                       queued ? "UPDATE ls_job SET state = %s, error = %s, "
                                "parts_total = %s, updated = %s, claim = "
                                "NULL, files_done = 0, bytes_done = 0 WHERE "
                                "id = %s AND claim = %s AND state = 'running'"
                              : "UPDATE ls_job SET state = %s, error = %s, "
                                "parts_total = %s, updated = %s, claim = "
                                "NULL WHERE id = %s AND claim = %s AND state "
                                "= 'running'",
                       6, args, &n, err);
    if (rv == APR_SUCCESS && n == 0) {
        rv = APR_NOTFOUND;
    }
    if (rv == APR_SUCCESS) {
        rv = ls_store_exec(s, c, p, "DELETE FROM ls_part WHERE job_id = %s", 1,
                           del, NULL, err);
    }
    for (i = 0; rv == APR_SUCCESS && parts && i < parts->nelts; i++) {
        const ls_part_t *pt = &APR_ARRAY_IDX(parts, i, ls_part_t);
        const char *a[] = {e->id, apr_itoa(p, pt->n), ls_store_i64(p, pt->size),
                           pt->sha256, pt->path};
        rv = ls_store_exec(s, c, p,
                           "INSERT INTO ls_part (job_id, n, size, sha256, "
                           "path) VALUES (%s, %s, %s, %s, %s)",
                           5, a, NULL, err);
    }
    return rv;
}

apr_status_t ls_store_job_finish(ls_store *s, apr_pool_t *p, const char *id,
                                 const char *claim, const char *state,
                                 const char *error,
                                 const apr_array_header_t *parts,
                                 apr_int64_t now, const char **err)
{
    job_end e = {id, claim, state, error, parts, now};
    return ls_store_tx(s, p, "cannot commit the job's end", job_finish, &e,
                       err);
}

typedef struct {
    const char *id;
    const char *share_id;
    const char *browser;
    apr_int64_t now;
    int *stopped;
} job_leave;

static apr_status_t job_cancel(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                               void *baton, const char **err)
{
    const job_leave *l = baton;
    const char *live[] = {l->id, l->share_id};
    const char *mine[] = {l->id, l->browser};
    const char *stop[] = {ls_store_i64(p, l->now), l->id};
    apr_status_t rv;
    int n = 0, linked = 0, others = 0;

    /* A no-op write first: it locks the job's row (PostgreSQL; SQLite's
     * write transaction locks everything), so two browsers leaving at
     * once cannot both see the other still waiting and leave the job
     * running for nobody. */
    rv = ls_store_exec(s, c, p,
                       "UPDATE ls_job SET state = state WHERE id = %s AND "
                       "share_id = %s AND state IN ('queued', 'running')",
                       2, live, &n, err);
    if (rv == APR_SUCCESS && n == 0) {
        rv = APR_NOTFOUND;
    }
    if (rv == APR_SUCCESS) {
        rv = ls_store_select(s, c, p,
                             "SELECT COUNT(*) FROM ls_job_browser WHERE "
                             "job_id = %s AND browser = %s",
                             2, mine, ls_store_row_int, &linked, NULL, err);
    }
    if (rv == APR_SUCCESS && linked == 0) {
        rv = APR_EACCES; /* another recipient's job */
    }
    if (rv == APR_SUCCESS) {
        rv = ls_store_select(s, c, p,
                             "SELECT COUNT(*) FROM ls_job_browser WHERE "
                             "job_id = %s AND browser <> %s",
                             2, mine, ls_store_row_int, &others, NULL, err);
    }
    if (rv == APR_SUCCESS && others > 0) {
        rv = ls_store_exec(s, c, p,
                           "DELETE FROM ls_job_browser WHERE job_id = %s AND "
                           "browser = %s",
                           2, mine, NULL, err);
    }
    else if (rv == APR_SUCCESS) {
        /* The last one waiting: the job stops (its browser row stays, so
         * the inbox shows it cancelled). */
        rv = ls_store_exec(s, c, p,
                           "UPDATE ls_job SET state = 'cancelled', claim = "
                           "NULL, updated = %s WHERE id = %s",
                           2, stop, NULL, err);
        *l->stopped = rv == APR_SUCCESS;
    }
    return rv;
}

typedef struct {
    const char **args;
    int n;
} job_forget_q;

static apr_status_t job_forget(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                               void *baton, const char **err)
{
    job_forget_q *q = baton;

    return ls_store_exec(s, c, p,
                         "DELETE FROM ls_job_browser WHERE job_id = %s AND "
                         "browser = %s AND job_id IN (SELECT id FROM ls_job "
                         "WHERE id = %s AND share_id = %s AND state IN "
                         "('done', 'failed', 'cancelled'))",
                         4, q->args, &q->n, err);
}

apr_status_t ls_store_job_forget(ls_store *s, apr_pool_t *p, const char *id,
                                 const char *share_id, const char *browser,
                                 const char **err)
{
    const char *args[] = {id, browser, id, share_id};
    job_forget_q q = {args, 0};
    apr_status_t rv = ls_store_run(s, p, job_forget, &q, err);

    return rv == APR_SUCCESS && q.n == 0 ? APR_NOTFOUND : rv;
}

apr_status_t ls_store_job_cancel(ls_store *s, apr_pool_t *p, const char *id,
                                 const char *share_id, const char *browser,
                                 apr_int64_t now, int *stopped,
                                 const char **err)
{
    job_leave l = {id, share_id, browser, now, stopped};
    apr_status_t rv;

    *stopped = 0;
    rv = ls_store_tx(s, p, "cannot commit the cancel", job_cancel, &l, err);
    if (rv != APR_SUCCESS) {
        *stopped = 0; /* rolled back */
    }
    return rv;
}

apr_status_t ls_store_job_expired(ls_store *s, apr_pool_t *p, apr_int64_t now,
                                  apr_int64_t ttl, apr_array_header_t **out,
                                  const char **err)
{
    const char *args[] = {ls_store_i64(p, now), ls_store_i64(p, now - ttl)};

    return jobs(s, p,
                "SELECT " JOB_COLS " FROM ls_job j JOIN ls_share s ON s.id = "
                "j.share_id WHERE s.revoked <> 0 OR s.expires <= %s OR "
                "(j.state IN ('done', 'failed', 'cancelled') AND j.updated "
                "<= %s)",
                2, args, 0, out, err);
}

/* baton: the id; APR_NOTFOUND when no job had it. */
static apr_status_t job_delete(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                               void *baton, const char **err)
{
    const char *args[] = {baton};
    apr_status_t rv;
    int n = 0;

    /* Children first: SQLite only cascades with foreign_keys on. */
    rv = ls_store_exec(s, c, p, "DELETE FROM ls_part WHERE job_id = %s", 1,
                       args, NULL, err);
    if (rv == APR_SUCCESS) {
        rv = ls_store_exec(s, c, p,
                           "DELETE FROM ls_job_browser WHERE job_id = %s", 1,
                           args, NULL, err);
    }
    if (rv == APR_SUCCESS) {
        rv = ls_store_exec(s, c, p, "DELETE FROM ls_job WHERE id = %s", 1, args,
                           &n, err);
    }
    return rv == APR_SUCCESS && n == 0 ? APR_NOTFOUND : rv;
}

apr_status_t ls_store_job_delete(ls_store *s, apr_pool_t *p, const char *id,
                                 const char **err)
{
    /* The id is only read. */
    return ls_store_run(s, p, job_delete, (void *)id, err);
}
