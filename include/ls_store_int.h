/* ls_store_int: what the store's own units (ls_store*.c) share: the store
 * and connection structs, the query helpers and the one way to hold a
 * connection (ls_store_run, ls_store_tx). Not for anyone else: other
 * units go through ls_store.h. */
#ifndef LS_STORE_INT_H
#define LS_STORE_INT_H

#include <apr_dbd.h>
#include <apr_hash.h>
#include <apr_thread_mutex.h>
#include <apr_reslist.h>
#include <apr_time.h>

#include "ls_store.h"

struct ls_store {
    apr_pool_t *pool;               /* owns the reslist and the conns */
    const apr_dbd_driver_t *driver; /* loaded apr_dbd driver */
    const char *params;             /* connection string */
    int is_sqlite;                  /* needs pragmas per connection */
    apr_reslist_t *conns;           /* ls_conn_t, thread-safe */
    apr_thread_mutex_t *writing;    /* SQLite: one writer per process; see
                                     * ls_store.c, "One writer" */
};

typedef struct {
    apr_pool_t *pool; /* the connection's own pool */
    apr_dbd_t *handle;
    int failed;        /* an error on it during this use: do not reuse */
    apr_hash_t *stmts; /* SQL text -> apr_dbd_prepared_t, in pool: each
                          statement is prepared once per connection */
    int recycle;       /* stmts is full: close it once released */
    apr_time_t put_at; /* when it was last released (or connected) */
    unsigned named;    /* PostgreSQL statements PREPAREd on it so far
                          (named ls_1, ls_2, ...) */
} ls_conn_t;

/* ---- holding a connection (ls_store.c) ---- */

/* The statements of one store operation, run on c. A status other than
 * APR_SUCCESS (with *err set for a store failure) ends the operation and
 * is returned as is, so APR_NOTFOUND or APR_EACCES reach the caller. */
typedef apr_status_t (*ls_store_conn_fn)(ls_store *s, ls_conn_t *c,
                                         apr_pool_t *p, void *baton,
                                         const char **err);

/* Acquires a pooled connection, calls fn on it, releases it (dropping it
 * if it saw an error). No transaction: each statement commits alone. */
apr_status_t ls_store_run(ls_store *s, apr_pool_t *p, ls_store_conn_fn fn,
                          void *baton, const char **err);
/* The same inside one transaction (a write transaction on SQLite): fn's
 * success commits, its failure rolls back and is returned. A failed
 * commit returns APR_EGENERAL with *err "what: reason". */
apr_status_t ls_store_tx(ls_store *s, apr_pool_t *p, const char *what,
                         ls_store_conn_fn fn, void *baton, const char **err);

/* ---- statements (ls_store.c) ---- */

typedef void (*ls_store_row_fn)(ls_store *s, apr_pool_t *p, apr_dbd_row_t *row,
                                void *baton);

/* A statement without rows; *nrows (if given) gets the rows changed. */
apr_status_t ls_store_exec(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                           const char *sql, int nargs, const char **args,
                           int *nrows, const char **err);
/* A select; fn is called for each row, *count (if given) gets the rows. */
apr_status_t ls_store_select(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                             const char *sql, int nargs, const char **args,
                             ls_store_row_fn fn, void *baton, int *count,
                             const char **err);
/* ls_store_select for the hot path: on PostgreSQL the statement is
 * prepared on the server once per connection (PREPARE, then only bind
 * and execute), where ls_store_select has it parsed and planned on every
 * run. The price: the server types each placeholder from its letter when
 * it prepares, the pgsql driver declaring %s as varchar, so a %s compared
 * with a BIGINT or INTEGER column fails (no bigint = varchar operator);
 * write %lld (BIGINT) or %d (INTEGER) there, and pass the values as text
 * as always. (%pDt, text, would also be wrong for the CHAR(64) token
 * hash: PostgreSQL then compares as text and cannot use its index.)
 * SQLite binds every value as text whatever the letter: same results. */
apr_status_t ls_store_select_prepared(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                                      const char *sql, int nargs,
                                      const char **args, ls_store_row_fn fn,
                                      void *baton, int *count,
                                      const char **err);
/* One statement on a connection of its own; APR_NOTFOUND when it changed
 * no row. */
apr_status_t ls_store_update(ls_store *s, apr_pool_t *p, const char *sql,
                             int nargs, const char **args, const char **err);
/* One select on a connection of its own (ls_store_select's arguments). */
apr_status_t ls_store_query(ls_store *s, apr_pool_t *p, const char *sql,
                            int nargs, const char **args, ls_store_row_fn fn,
                            void *baton, int *count, const char **err);

/* ---- columns and arguments (ls_store.c) ---- */

/* A column's text, NULL for SQL NULL. */
const char *ls_store_col(ls_store *s, apr_dbd_row_t *row, int i);
const char *ls_store_col_dup(ls_store *s, apr_pool_t *p, apr_dbd_row_t *row,
                             int i);
apr_int64_t ls_store_col_int(ls_store *s, apr_dbd_row_t *row, int i);
const char *ls_store_i64(apr_pool_t *p, apr_int64_t v);

/* Row callbacks more than one unit uses: the first column as an int
 * (baton: int *), as an apr_int64_t (baton: apr_int64_t *). */
void ls_store_row_int(ls_store *s, apr_pool_t *p, apr_dbd_row_t *row,
                      void *baton);
void ls_store_row_i64(ls_store *s, apr_pool_t *p, apr_dbd_row_t *row,
                      void *baton);

/* ---- across units ---- */

/* Inside the share insert's transaction: the share's ls_share_mail row
 * and one queued link mail per recipient (ls_store_mail.c). */
apr_status_t ls_store_mail_queue(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                                 const ls_share_t *sh, const char **err);

#endif /* LS_STORE_INT_H */
