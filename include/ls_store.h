/* ls_store: the database of shares, collections, job rows and mail,
 * reached through apr_dbd (SQLite by default, PostgreSQL for several
 * nodes). APR-only: no httpd headers, no logging; failures come back as a
 * status and a message. This header has the store's handle and open (a
 * per-process pool of connections safe to use from several threads) and
 * includes one header per store unit: ls_store_schema.h, _share.h,
 * _collection.h, _job.h, _mail.h, _render.h, _activity.h, _stats.h. */
#ifndef LS_STORE_H
#define LS_STORE_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_errno.h>

typedef struct ls_store ls_store;

/* Opens a store with up to max_conns pooled connections (created on
 * demand). driver is an apr_dbd driver name ("sqlite3", "pgsql"), params
 * its connection string. The store lives as long as pool. With probe set,
 * one connection is opened at once so a bad configuration fails here.
 * On failure *err says why (allocated in pool). */
apr_status_t ls_store_open(apr_pool_t *pool, const char *driver,
                           const char *params, int max_conns, int probe,
                           ls_store **out, const char **err);

/* Every function of the store's units, unless it says otherwise:
 * APR_SUCCESS, APR_NOTFOUND for an unknown id or hash, or another status
 * with *err (in p) for a store failure. Results are allocated in p. */

/* In dependency order (ls_store_mail.h uses ls_store_share.h's types). */
#include "ls_store_schema.h"
#include "ls_store_share.h"
#include "ls_store_collection.h"
#include "ls_store_job.h"
#include "ls_store_mail.h"
#include "ls_store_render.h"
#include "ls_store_activity.h"
#include "ls_store_stats.h"

#endif /* LS_STORE_H */
