/* ls_counter: write-behind download counts. APR-only. A store write per
 * download would cost more than serving a small file, so each process
 * adds up counts in memory and writes them at most every few seconds and
 * when it exits. A crash loses at most those few seconds of counts. */
#ifndef LS_COUNTER_H
#define LS_COUNTER_H

#include <apr_pools.h>

#include "ls_store.h"

#define LS_COUNTER_FLUSH_SECS 2

/* Each child: sets up the table; flushes on pchild's cleanup. */
void ls_counter_child_init(apr_pool_t *pchild, ls_store *store);

/* Counts one download of share_id; may flush (using p for scratch). */
void ls_counter_add(apr_pool_t *p, const char *share_id, apr_int64_t now);

/* Writes pending counts now. */
void ls_counter_flush(apr_pool_t *p);

#endif /* LS_COUNTER_H */
