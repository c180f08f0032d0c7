/* ls_activity_queue: the activity log written behind the requests. APR
 * only; never logs (failures reach the glue through a callback). Each
 * process keeps the events of its requests in memory and one thread of
 * its own writes them to the store in one transaction: at most
 * LS_ACTIVITY_FLUSH_MSECS after the first of a batch, at once when
 * LS_ACTIVITY_BATCH are waiting, and at the process's exit. A request
 * only takes a lock and copies a few strings; it never waits on the
 * store.
 *
 *   request threads          flusher thread (one per process)
 *   add ──lock──> incoming ──swap (under the lock)──> outgoing
 *                                                       │ insert (tx)
 *                                                       v
 *                                                   ls_activity
 *
 * While the store fails, a batch is tried again each interval (the last
 * of LS_ACTIVITY_TRIES tries one event at a time, dropping only those
 * refused) and new events wait in incoming,
 * at most LS_ACTIVITY_QUEUE_MAX; beyond that they are dropped and
 * counted. A crash loses at most the events of the last interval. */
#ifndef LS_ACTIVITY_QUEUE_H
#define LS_ACTIVITY_QUEUE_H

#include <apr_pools.h>

#include "ls_store.h"

#define LS_ACTIVITY_FLUSH_MSECS 1000
#define LS_ACTIVITY_BATCH       256
#define LS_ACTIVITY_QUEUE_MAX   10000
#define LS_ACTIVITY_TRIES       3

/* Called on the flusher thread after a failed write: rv and err of the
 * store, how many events this failure lost for good (0 while they will
 * be tried again), and how many were dropped since the last call because
 * the queue was full. */
typedef void (*ls_activity_queue_err_fn)(void *baton, apr_status_t rv,
                                         const char *err, int lost,
                                         int dropped);

/* Starts the queue and its thread in this process; pool's pre-cleanup
 * stops the thread after a last write. APR_SUCCESS, or the status of the
 * mutex or thread creation (the queue then records nothing). */
apr_status_t ls_activity_queue_start(apr_pool_t *pool, ls_store *store,
                                     ls_activity_queue_err_fn on_err,
                                     void *baton);

/* Queues a copy of ev (its strings too). Without a started queue, or
 * when full, the event is dropped. ev->id may be NULL. */
void ls_activity_queue_add(const ls_activity_t *ev);

/* Writes what is queued now, on the caller's thread, and waits for it
 * (tests, and the exit path). */
void ls_activity_queue_flush(void);

#endif /* LS_ACTIVITY_QUEUE_H */
