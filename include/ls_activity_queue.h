/* ls_activity_queue: the activity log kept behind the requests. APR
 * only; never logs (failures reach the glue through a callback). Each
 * process keeps the events of its requests in memory and one thread of
 * its own hands them to a sink in one call: at most
 * LS_ACTIVITY_FLUSH_MSECS after the first of a batch, at once when
 * LS_ACTIVITY_BATCH are waiting, and at the process's exit. A request
 * only takes a lock and copies a few strings; it never waits on the
 * sink. In httpd the sink writes a batch file for the node's writer
 * (ls_activity_batch.h); the tests' sink inserts into the store.
 *
 *   request threads          flusher thread (one per process)
 *   add ──lock──> incoming ──swap (under the lock)──> outgoing
 *                                                       │ sink
 *                                                       v
 *
 * While the sink fails, a batch is tried again each interval, at most
 * LS_ACTIVITY_TRIES times, then given up (and counted as lost); new
 * events wait in incoming, at most LS_ACTIVITY_QUEUE_MAX; beyond that
 * they are dropped and counted. A crash loses at most the events of the
 * last interval. */
#ifndef LS_ACTIVITY_QUEUE_H
#define LS_ACTIVITY_QUEUE_H

#include <apr_pools.h>

#include "ls_store.h"

#define LS_ACTIVITY_FLUSH_MSECS 1000
#define LS_ACTIVITY_BATCH       256
#define LS_ACTIVITY_QUEUE_MAX   10000
#define LS_ACTIVITY_TRIES       3

/* Called on the flusher thread after a failed hand-over: rv and err of
 * the sink, how many events this failure lost for good (0 while they will
 * be tried again), and how many were dropped since the last call because
 * the queue was full. */
typedef void (*ls_activity_queue_err_fn)(void *baton, apr_status_t rv,
                                         const char *err, int lost,
                                         int dropped);

/* Takes n events (their strings live until the call returns; p is a
 * scratch pool, cleared after it). APR_SUCCESS, or a status with *err. */
typedef apr_status_t (*ls_activity_sink_fn)(void *baton, apr_pool_t *p,
                                            const ls_activity_t *ev, int n,
                                            const char **err);

/* Starts the queue and its thread in this process, handing batches to
 * sink(sink_baton, ...); pool's pre-cleanup stops the thread after a last
 * batch. APR_SUCCESS, or the status of the mutex or thread creation (the
 * queue then records nothing). */
apr_status_t ls_activity_queue_start(apr_pool_t *pool, ls_activity_sink_fn sink,
                                     void *sink_baton,
                                     ls_activity_queue_err_fn on_err,
                                     void *baton);

/* Queues a copy of ev (its strings too). Without a started queue, or
 * when full, the event is dropped. ev->id may be NULL. */
void ls_activity_queue_add(const ls_activity_t *ev);

/* Writes what is queued now, on the caller's thread, and waits for it
 * (tests, and the exit path). */
void ls_activity_queue_flush(void);

#endif /* LS_ACTIVITY_QUEUE_H */
