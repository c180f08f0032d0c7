/* ls_store_admin: the store as linkshare-admin reads and prunes it (see
 * ls_store_admin.h). Not the share, job or mail rows' own operations
 * (ls_store_share.c, ls_store_job.c, ls_store_mail.c), which the admin
 * command calls as the module does. */
#include <string.h>

#include <apr_dbd.h>
#include <apr_hash.h>
#include <apr_strings.h>

#include "ls_store_admin.h"
#include "ls_store_int.h"

static void row_state_count(ls_store *s, apr_pool_t *p, apr_dbd_row_t *row,
                            void *baton)
{
    ls_state_count_t *c = apr_array_push(baton);

    c->state = ls_store_col_dup(s, p, row, 0);
    c->count = ls_store_col_int(s, row, 1);
}

apr_status_t ls_store_admin_share_states(ls_store *s, apr_pool_t *p,
                                         apr_int64_t now,
                                         apr_array_header_t **out,
                                         const char **err)
{
    const char *t = ls_store_i64(p, now);
    const char *args[] = {t};

    *out = apr_array_make(p, 4, sizeof(ls_state_count_t));
    return ls_store_query(
        s, p,
        "SELECT st, COUNT(*) FROM (SELECT CASE WHEN revoked <> 0 THEN "
        "'revoked' WHEN expires <= %s THEN 'expired' WHEN max_downloads IS "
        "NOT NULL AND downloads >= max_downloads THEN 'exhausted' ELSE "
        "'active' END AS st FROM ls_share) x GROUP BY st ORDER BY st",
        1, args, row_state_count, *out, NULL, err);
}

apr_status_t ls_store_admin_states(ls_store *s, apr_pool_t *p,
                                   const char *table, apr_array_header_t **out,
                                   const char **err)
{
    *out = apr_array_make(p, 4, sizeof(ls_state_count_t));
    if (strcmp(table, "ls_job") != 0 && strcmp(table, "ls_mail") != 0) {
        *err = "no such table";
        return APR_EINVAL;
    }
    return ls_store_query(s, p,
                          apr_pstrcat(p, "SELECT state, COUNT(*) FROM ", table,
                                      " GROUP BY state ORDER BY state", NULL),
                          0, NULL, row_state_count, *out, NULL, err);
}

static void row_key(ls_store *s, apr_pool_t *p, apr_dbd_row_t *row, void *baton)
{
    const char *k = ls_store_col_dup(s, p, row, 0);

    if (k) {
        apr_hash_set(baton, k, APR_HASH_KEY_STRING, k);
    }
}

apr_status_t ls_store_admin_exhausted(ls_store *s, apr_pool_t *p,
                                      apr_hash_t **out, const char **err)
{
    *out = apr_hash_make(p);
    return ls_store_query(s, p,
                          "SELECT id FROM ls_share WHERE max_downloads IS NOT "
                          "NULL AND downloads >= max_downloads",
                          0, NULL, row_key, *out, NULL, err);
}

apr_status_t ls_store_admin_part_paths(ls_store *s, apr_pool_t *p,
                                       apr_hash_t **out, const char **err)
{
    *out = apr_hash_make(p);
    return ls_store_query(s, p, "SELECT path FROM ls_part", 0, NULL, row_key,
                          *out, NULL, err);
}

static void row_job(ls_store *s, apr_pool_t *p, apr_dbd_row_t *row, void *baton)
{
    ls_job_t *j = apr_pcalloc(p, sizeof(*j));

    j->id = ls_store_col_dup(s, p, row, 0);
    j->share_id = ls_store_col_dup(s, p, row, 1);
    j->state = ls_store_col_dup(s, p, row, 2);
    j->files_total = (int)ls_store_col_int(s, row, 3);
    j->bytes_total = ls_store_col_int(s, row, 4);
    j->files_done = (int)ls_store_col_int(s, row, 5);
    j->bytes_done = ls_store_col_int(s, row, 6);
    j->parts_total = (int)ls_store_col_int(s, row, 7);
    j->created = ls_store_col_int(s, row, 8);
    j->updated = ls_store_col_int(s, row, 9);
    j->error = ls_store_col_dup(s, p, row, 10);
    j->label = ls_store_col_dup(s, p, row, 11);
    j->title = ls_store_col_dup(s, p, row, 12);
    APR_ARRAY_PUSH((apr_array_header_t *)baton, ls_job_t *) = j;
}

apr_status_t ls_store_admin_jobs(ls_store *s, apr_pool_t *p, const char *state,
                                 int limit, apr_array_header_t **out,
                                 const char **err)
{
    const char *args[] = {state};

    *out = apr_array_make(p, 16, sizeof(ls_job_t *));
    return ls_store_query(
        s, p,
        apr_psprintf(p,
                     "SELECT id, share_id, state, files_total, bytes_total, "
                     "files_done, bytes_done, parts_total, created, updated, "
                     "error, label, title FROM ls_job %s ORDER BY created "
                     "DESC, id LIMIT %d",
                     state ? "WHERE state = %s" : "", limit),
        state ? 1 : 0, args, row_job, *out, NULL, err);
}

apr_status_t ls_store_admin_version(ls_store *s, apr_pool_t *p, int *version,
                                    const char **err)
{
    int n = 0;

    *version = 0;
    return ls_store_query(s, p, "SELECT version FROM ls_schema", 0, NULL,
                          ls_store_row_int, version, &n, err);
}

typedef struct {
    const char *before;
    int shares;
    apr_array_header_t *parts;
} purge_q;

static void row_path(ls_store *s, apr_pool_t *p, apr_dbd_row_t *row,
                     void *baton)
{
    APR_ARRAY_PUSH((apr_array_header_t *)baton,
                   const char *) = ls_store_col_dup(s, p, row, 0);
}

/* The ended shares, then everything of theirs: the foreign keys cascade
 * from ls_share, but SQLite enforces them only when told per connection,
 * so each table is cleared explicitly, children first. */
#define ENDED                                                                  \
    "SELECT id FROM ls_share WHERE (revoked <> 0 AND revoked < %s) OR "        \
    "(revoked = 0 AND expires < %s)"

static apr_status_t purge(ls_store *s, ls_conn_t *c, apr_pool_t *p, void *baton,
                          const char **err)
{
    static const char *const children[] = {
        "DELETE FROM ls_part WHERE job_id IN (SELECT id FROM ls_job WHERE "
        "share_id IN (" ENDED "))",
        "DELETE FROM ls_job_browser WHERE job_id IN (SELECT id FROM ls_job "
        "WHERE share_id IN (" ENDED "))",
        "DELETE FROM ls_job WHERE share_id IN (" ENDED ")",
        "DELETE FROM ls_mail WHERE share_id IN (" ENDED ")",
        "DELETE FROM ls_share_mail WHERE share_id IN (" ENDED ")",
        "DELETE FROM ls_share_recipient WHERE share_id IN (" ENDED ")",
        "DELETE FROM ls_share_item WHERE share_id IN (" ENDED ")",
        "DELETE FROM ls_activity WHERE share_id IN (" ENDED ")",
        NULL};
    purge_q *q = baton;
    const char *args[] = {q->before, q->before};
    apr_status_t rv;
    int i;

    rv = ls_store_select(s, c, p,
                         "SELECT pt.path FROM ls_part pt JOIN ls_job j ON "
                         "j.id = pt.job_id WHERE j.share_id IN (" ENDED ")",
                         2, args, row_path, q->parts, NULL, err);
    for (i = 0; rv == APR_SUCCESS && children[i]; i++) {
        rv = ls_store_exec(s, c, p, children[i], 2, args, NULL, err);
    }
    if (rv == APR_SUCCESS) {
        rv = ls_store_exec(s, c, p,
                           "DELETE FROM ls_share WHERE (revoked <> 0 AND "
                           "revoked < %s) OR (revoked = 0 AND expires < %s)",
                           2, args, &q->shares, err);
    }
    return rv;
}

apr_status_t ls_store_admin_purge(ls_store *s, apr_pool_t *p,
                                  apr_int64_t before, int *shares,
                                  apr_array_header_t **parts, const char **err)
{
    purge_q q;
    apr_status_t rv;

    q.before = ls_store_i64(p, before);
    q.shares = 0;
    q.parts = apr_array_make(p, 8, sizeof(const char *));
    rv = ls_store_tx(s, p, "cannot commit the purge", purge, &q, err);
    *shares = q.shares;
    *parts = q.parts;
    return rv;
}
