/* ls_notify: what other nodes changed, heard at once (PostgreSQL only).
 *
 * Schema version 8's triggers NOTIFY two channels from whichever node (or
 * linkshare-admin, or plain SQL) changes the store:
 *
 *   linkshare_share  a share's link must be looked up again (revoked, new
 *                    expiry, password or download limit, deleted)
 *   linkshare_work   a job or mail was queued
 *
 *   node A                PostgreSQL                  node B, worker 0
 *   UPDATE ls_share ---> trigger: pg_notify ---------> listener thread
 *                                                      | linkshare_share:
 *                                                      |   ls_cache_invalidate
 *                                                      |   (the node's shm
 *                                                      |   generation)
 *                                                      | linkshare_work:
 *                                                      |   ls_worker_wake
 *
 * One listener per node: a thread in worker 0 with its own libpq
 * connection (apr_dbd's pool has none to spare for LISTEN). While it is
 * down (database away, connection lost) changes from other nodes take
 * effect within LinkShareCacheTTL and queued work waits for the workers'
 * poll (1 s), as before; that is logged once (LS00360) and its return
 * once (LS00361), and the cache is dropped on every (re)connect, since
 * notifications may have been missed. SQLite (one node) needs none. */
#ifndef LS_NOTIFY_H
#define LS_NOTIFY_H

#include <signal.h>

#include "httpd.h"

/* In worker 0 after it dropped privileges: starts the listener thread if
 * the store is PostgreSQL. stop is the worker's stop flag; the thread
 * ends with the process. */
void ls_notify_start(server_rec *s, apr_pool_t *pool,
                     volatile sig_atomic_t *stop);

#endif /* LS_NOTIFY_H */
