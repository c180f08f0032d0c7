/* ls_store_render: the queue of rendition work in the store (see
 * ls_store_render.h). One row per (key, kind) while it waits or renders;
 * done deletes it, since the result lives on disk (ls_rcache). Not the
 * cache nor the rendering.
 *
 *   queue ──> queued ──claim──> running ──done──> (row deleted)
 *                ^                 │
 *                └─ (stale: claimed again by another worker)
 *
 * Claiming picks a candidate, then takes it with one UPDATE whose WHERE
 * re-checks the state on that row, so concurrent workers (processes, or
 * nodes sharing a PostgreSQL) never both take it; the loser tries the
 * next candidate. */
#include <apr_strings.h>

#include "ls_store_render.h"
#include "ls_store_int.h"

/* Candidates one claim tries before leaving it to the next call. */
#define CLAIM_TRIES 16

/* Queued, or running past its staleness bound: the same condition picks
 * the candidate and re-checks it in the claiming UPDATE. */
#define DUE "(state = 'queued' OR (state = 'running' AND claimed_at < %s))"

typedef struct {
    const char *key, *kind, *src;
    int priority;
    apr_int64_t now;
    int *queued;
} render_queue_q;

static apr_status_t render_queue(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                                 void *baton, const char **err)
{
    const render_queue_q *q = baton;
    const char *pr = apr_itoa(p, q->priority);
    const char *ins[] = {q->key, q->kind, q->src, pr, ls_store_i64(p, q->now)};
    const char *raise[] = {pr, q->key, q->kind, pr};
    apr_status_t rv;
    int n = 0;

    /* ON CONFLICT DO NOTHING (SQLite 3.24+, PostgreSQL 9.5+): two
     * processes queueing the same row at once leave one, no error. */
    rv = ls_store_exec(s, c, p,
                       "INSERT INTO ls_render (key, kind, src, priority, "
                       "state, queued_at) VALUES (%s, %s, %s, %s, 'queued', "
                       "%s) ON CONFLICT (key, kind) DO NOTHING",
                       5, ins, &n, err);
    *q->queued = rv == APR_SUCCESS && n > 0;
    if (rv == APR_SUCCESS && n == 0) {
        /* There already: only ever sooner. (Done meanwhile: no row.) */
        rv = ls_store_exec(s, c, p,
                           "UPDATE ls_render SET priority = %s WHERE key = %s "
                           "AND kind = %s AND priority > %s",
                           4, raise, NULL, err);
    }
    return rv;
}

apr_status_t ls_store_render_queue(ls_store *s, apr_pool_t *p, const char *key,
                                   const char *kind, const char *src_path,
                                   int priority, apr_int64_t now, int *queued,
                                   const char **err)
{
    render_queue_q q = {key, kind, src_path, priority, now, queued};

    *queued = 0;
    return ls_store_run(s, p, render_queue, &q, err);
}

typedef struct {
    const ls_render_t *rows;
    int n;
    apr_int64_t now;
} render_queue_all_q;

static apr_status_t render_queue_all(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                                     void *baton, const char **err)
{
    const render_queue_all_q *q = baton;
    apr_status_t rv = APR_SUCCESS;
    int i, queued;

    for (i = 0; i < q->n && rv == APR_SUCCESS; i++) {
        const ls_render_t *r = &q->rows[i];
        render_queue_q one = {r->key,      r->kind, r->src,
                              r->priority, q->now,  &queued};

        rv = render_queue(s, c, p, &one, err);
    }
    return rv;
}

apr_status_t ls_store_render_queue_all(ls_store *s, apr_pool_t *p,
                                       const ls_render_t *rows, int n,
                                       apr_int64_t now, const char **err)
{
    render_queue_all_q q = {rows, n, now};

    return n > 0 ? ls_store_tx(s, p, "queue renditions", render_queue_all, &q,
                               err)
                 : APR_SUCCESS;
}

static void row_render(ls_store *s, apr_pool_t *p, apr_dbd_row_t *row,
                       void *baton)
{
    ls_render_t *r = apr_pcalloc(p, sizeof(*r));

    r->key = ls_store_col_dup(s, p, row, 0);
    r->kind = ls_store_col_dup(s, p, row, 1);
    r->src = ls_store_col_dup(s, p, row, 2);
    r->priority = (int)ls_store_col_int(s, row, 3);
    r->attempts = (int)ls_store_col_int(s, row, 4);
    *(ls_render_t **)baton = r;
}

typedef struct {
    const char *claim;
    apr_int64_t now;
    apr_int64_t stale_secs;
    ls_render_t **out;
} render_claim_q;

static apr_status_t render_claim(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                                 void *baton, const char **err)
{
    const render_claim_q *q = baton;
    const char *t = ls_store_i64(p, q->now);
    const char *st = ls_store_i64(p, q->now - q->stale_secs);
    const char *due[] = {st};
    apr_status_t rv = APR_SUCCESS;
    int tries;

    for (tries = 0; rv == APR_SUCCESS && tries < CLAIM_TRIES; tries++) {
        ls_render_t *cand = NULL;
        int n = 0;

        rv = ls_store_select(s, c, p,
                             "SELECT key, kind, src, priority, attempts FROM "
                             "ls_render WHERE " DUE " ORDER BY priority, "
                             "queued_at, key, kind LIMIT 1",
                             1, due, row_render, &cand, &n, err);
        if (rv != APR_SUCCESS) {
            break;
        }
        if (cand == NULL) {
            return APR_NOTFOUND;
        }
        {
            const char *take[] = {q->claim, t, cand->key, cand->kind, st};
            rv = ls_store_exec(s, c, p,
                               "UPDATE ls_render SET state = 'running', claim "
                               "= %s, claimed_at = %s, attempts = attempts + "
                               "1 WHERE key = %s AND kind = %s AND " DUE,
                               5, take, &n, err);
        }
        if (rv == APR_SUCCESS && n > 0) {
            /* Read back what was taken: the priority may have been raised
             * between the select and the update. */
            const char *mine[] = {cand->key, cand->kind, q->claim};
            *q->out = NULL;
            rv = ls_store_select(s, c, p,
                                 "SELECT key, kind, src, priority, attempts "
                                 "FROM ls_render WHERE key = %s AND kind = %s "
                                 "AND claim = %s",
                                 3, mine, row_render, q->out, NULL, err);
            if (rv == APR_SUCCESS && *q->out == NULL) {
                rv = APR_NOTFOUND; /* reclaimed already: nothing is ours */
            }
            return rv;
        }
    }
    return rv == APR_SUCCESS ? APR_EAGAIN : rv;
}

apr_status_t ls_store_render_claim(ls_store *s, apr_pool_t *p,
                                   const char *claim, apr_int64_t now,
                                   apr_int64_t stale_secs, ls_render_t **out,
                                   const char **err)
{
    render_claim_q q = {claim, now, stale_secs, out};

    return ls_store_run(s, p, render_claim, &q, err);
}

apr_status_t ls_store_render_done(ls_store *s, apr_pool_t *p, const char *key,
                                  const char *kind, const char *claim,
                                  const char **err)
{
    const char *args[] = {key, kind, claim};

    return ls_store_update(s, p,
                           "DELETE FROM ls_render WHERE key = %s AND kind = "
                           "%s AND claim = %s AND state = 'running'",
                           3, args, err);
}

apr_status_t ls_store_render_pending(ls_store *s, apr_pool_t *p, int *n,
                                     const char **err)
{
    *n = 0;
    return ls_store_query(s, p, "SELECT COUNT(*) FROM ls_render", 0, NULL,
                          ls_store_row_int, n, NULL, err);
}
