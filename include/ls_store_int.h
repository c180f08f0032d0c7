/* ls_store_int: what the store's own units (ls_store.c, ls_store_job.c)
 * share: the connection pool and the query helpers. Not for anyone else:
 * other units go through ls_store.h. */
#ifndef LS_STORE_INT_H
#define LS_STORE_INT_H

#include <apr_dbd.h>
#include <apr_reslist.h>

#include "ls_store.h"

struct ls_store {
    apr_pool_t *pool;               /* owns the reslist and the conns */
    const apr_dbd_driver_t *driver; /* loaded apr_dbd driver */
    const char *params;             /* connection string */
    int is_sqlite;                  /* needs pragmas per connection */
    apr_reslist_t *conns;           /* ls_conn_t, thread-safe */
};

typedef struct {
    apr_pool_t *pool; /* the connection's own pool */
    apr_dbd_t *handle;
    int failed; /* an error on it during this use: do not reuse */
} ls_conn_t;

typedef void (*ls_store_row_fn)(ls_store *s, apr_pool_t *p, apr_dbd_row_t *row,
                                void *baton);

apr_status_t ls_store_conn_get(ls_store *s, apr_pool_t *p, ls_conn_t **c,
                               const char **err);
void ls_store_conn_put(ls_store *s, apr_pool_t *p, ls_conn_t *c);
const char *ls_store_dbd_err(ls_store *s, ls_conn_t *c, apr_pool_t *p, int code,
                             const char *what);
/* A statement without rows; *nrows (if given) gets the rows changed. */
apr_status_t ls_store_exec(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                           const char *sql, int nargs, const char **args,
                           int *nrows, const char **err);
/* A select; fn is called for each row, *count (if given) gets the rows. */
apr_status_t ls_store_select(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                             const char *sql, int nargs, const char **args,
                             ls_store_row_fn fn, void *baton, int *count,
                             const char **err);
/* A column's text, NULL for SQL NULL. */
const char *ls_store_col(ls_store *s, apr_dbd_row_t *row, int i);
const char *ls_store_col_dup(ls_store *s, apr_pool_t *p, apr_dbd_row_t *row,
                             int i);
apr_int64_t ls_store_col_int(ls_store *s, apr_dbd_row_t *row, int i);
const char *ls_store_i64(apr_pool_t *p, apr_int64_t v);

/* One statement on a connection of its own; APR_NOTFOUND when it changed
 * no row. */
apr_status_t ls_store_update(ls_store *s, apr_pool_t *p, const char *sql,
                             int nargs, const char **args, const char **err);

/* Starts a transaction on c (a write transaction on SQLite). */
apr_status_t ls_store_tx_begin(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                               const char **err);
/* Ends it: rolls back when rv is an error (and returns rv), else commits;
 * a failed commit returns APR_EGENERAL with *err "what: reason". */
apr_status_t ls_store_tx_end(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                             apr_status_t rv, const char *what,
                             const char **err);

/* Inside the share insert's transaction: the share's ls_share_mail row
 * and one queued link mail per recipient (ls_store_mail.c). */
apr_status_t ls_store_mail_queue(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                                 const ls_share_t *sh, const char **err);

#endif /* LS_STORE_INT_H */
