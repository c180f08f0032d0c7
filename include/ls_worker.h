/* ls_worker: the packaging worker processes. Glue unit. Owns starting
 * LinkShareWorkers processes from the httpd parent once configuration is
 * done, restarting one that dies, the wake-up pipe request handlers use
 * after queueing, and each worker's loop: claim a job from the store,
 * package it with ls_zip into the spool, report progress (ls_progress
 * and the store), clean up expired archives. */
#ifndef LS_WORKER_H
#define LS_WORKER_H

#include "httpd.h"

/* post_config, after the store is migrated: creates the progress table
 * and the wake-up pipe and, in the real configuration pass, forks the
 * workers. */
int ls_worker_post_config(apr_pool_t *pconf, apr_pool_t *ptemp, server_rec *s);

/* A job was queued: wake an idle worker now rather than at its next
 * poll. Never blocks. */
void ls_worker_wake(void);

/* A share ended (revoked): ask a worker to delete its archives now
 * rather than at the next periodic sweep. Never blocks. */
void ls_worker_wake_cleanup(void);

#endif /* LS_WORKER_H */
