/* ls_store_stats: counts for monitoring (see ls_store_stats.h). */
#include <string.h>

#include "ls_store_int.h"
#include "ls_store_stats.h"

typedef struct {
    ls_store_stats_t *out;
    int mail; /* rows of ls_mail, not ls_job */
} stats_q;

/* Rows: state, recent (0/1), count. */
static void row_count(ls_store *s, apr_pool_t *p, apr_dbd_row_t *row,
                      void *baton)
{
    const stats_q *q = baton;
    const char *state = ls_store_col(s, row, 0);
    int recent = (int)ls_store_col_int(s, row, 1);
    apr_int64_t n = ls_store_col_int(s, row, 2);

    (void)p;
    if (state == NULL) {
        return;
    }
    if (q->mail) {
        if (!strcmp(state, "queued") || !strcmp(state, "sending")) {
            q->out->mail_queued += n;
        }
        else if (!strcmp(state, "failed") && recent) {
            q->out->mail_failed_since += n;
        }
        return;
    }
    if (!strcmp(state, "queued")) {
        q->out->jobs_queued += n;
    }
    else if (!strcmp(state, "running")) {
        q->out->jobs_running += n;
    }
    else if (!strcmp(state, "done") && recent) {
        q->out->jobs_done_since += n;
    }
    else if (!strcmp(state, "failed") && recent) {
        q->out->jobs_failed_since += n;
    }
}

apr_status_t ls_store_stats(ls_store *s, apr_pool_t *p, apr_int64_t since,
                            ls_store_stats_t *out, const char **err)
{
    const char *args[] = {ls_store_i64(p, since)};
    stats_q q = {out, 0};
    apr_status_t rv;

    memset(out, 0, sizeof(*out));
    rv = ls_store_query(s, p,
                        "SELECT state, CASE WHEN updated >= CAST(%s AS BIGINT) "
                        "THEN 1 ELSE 0 END AS recent, COUNT(*) FROM ls_job "
                        "GROUP BY state, recent",
                        1, args, row_count, &q, NULL, err);
    if (rv == APR_SUCCESS) {
        q.mail = 1;
        rv = ls_store_query(s, p,
                            "SELECT state, CASE WHEN updated >= CAST(%s AS "
                            "BIGINT) THEN 1 ELSE 0 END AS recent, COUNT(*) "
                            "FROM ls_mail GROUP BY state, recent",
                            1, args, row_count, &q, NULL, err);
    }
    return rv;
}
