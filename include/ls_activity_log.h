/* ls_activity_log: the request side of the activity log. Owns deciding
 * which requests are recorded and as what (the log_transaction hook),
 * the one call anyone may use to record an event (ls_activity_record),
 * starting each process's write-behind queue, and the node's writer
 * (worker 0) that moves the queues' batches into the store. Not the rows
 * (ls_store_activity.h), the queue (ls_activity_queue.h), the API that
 * reads them (ls_api_activity.c) nor the sweep (ls_worker.c).
 *
 * Recorded: the Link Share page (kind page), the preview page (preview),
 * op=file (download), op=queue (queue, with the job), op=part (part: the
 * job, and the part number as path) and the refusals of a known link
 * (410: expired, revoked, limit), each with its final status and the
 * bytes actually sent (a 206 is a download or part with status 206 and
 * the range's bytes). Not recorded: op=thumb and op=view (parts of a page
 * or preview already recorded; a page of 100 cards would add 100 rows,
 * a video preview a row per range), op=inbox/events/cancel/remove/logo
 * (the page's own polling and housekeeping) and unknown tokens (no
 * share to file them under; the throttle and the error log see them). */
#ifndef LS_ACTIVITY_LOG_H
#define LS_ACTIVITY_LOG_H

#include <signal.h>

#include "httpd.h"

#include "ls_store.h"

/* Records one event of share_id for r, behind the request: kind one of
 * LS_ACTIVITY_* (ls_store_activity.h), path and job NULL for none (path
 * made UTF-8 text, a job that is not an id dropped), status
 * the HTTP status answered, bytes the body bytes sent. The time is the
 * request's, the address r->useragent_ip as LinkShareActivityAddress
 * keeps it. Never waits on the store; does nothing when
 * LinkShareActivityRetention is off. Callable from any handler or hook,
 * e.g. op=unlock with LS_ACTIVITY_UNLOCK_FAILED and 401. */
void ls_activity_record(request_rec *r, const char *share_id, const char *kind,
                        const char *path, const char *job, int status,
                        apr_off_t bytes);

/* For the log hook: the job r queued or reused (op=queue). */
void ls_activity_note_job(request_rec *r, const char *job_id);

/* log_transaction hook: records r when it is one of the kinds above. */
int ls_activity_log(request_rec *r);

/* The workers' housekeeping: deletes the events older than
 * LinkShareActivityRetention (every event when it is off). */
void ls_activity_sweep(server_rec *s, ls_store *store, apr_pool_t *p);

/* child_init: starts this process's queue (unless recording is off),
 * which hands its batches to files in ls_activity_dir. */
void ls_activity_child_init(apr_pool_t *pchild, server_rec *s);

/* Where the children leave batches for the node's writer:
 * LinkShareStateDir/activity (created at startup, ls_proc.c). */
const char *ls_activity_dir(apr_pool_t *p, server_rec *s);

/* Worker 0: starts the node's writer, a thread that moves the batches of
 * ls_activity_dir into store four times a second (ls_activity_batch.h)
 * until *stop is set or pool is cleared (a last pass first). Does nothing
 * when recording is off. */
void ls_activity_writer_start(server_rec *s, apr_pool_t *pool, ls_store *store,
                              volatile sig_atomic_t *stop);

#endif /* LS_ACTIVITY_LOG_H */
