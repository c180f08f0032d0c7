/* ls_status: the "mod_linkshare" section of mod_status's /server-status
 * (its status_hook; ?auto adds "LinkShare...: value" lines), and the
 * host figures worker 0 measures for it. Owns what the section shows and
 * where each figure comes from; not the figures' sources (ls_progress,
 * ls_throttle, ls_store_stats).
 *
 * It must not make /server-status slow: the workers (pid, state, job,
 * progress) come from the progress slots and the blocked clients from
 * the throttle's table, both shared memory; the spool and rendition
 * cache bytes are walked by worker 0 every minute (with its
 * housekeeping) and kept in the progress segment, never walked per
 * request; the job and mail counts are two grouped COUNTs on the store.
 * Nothing shown names a token, a path or a user: jobs by their id. */
#ifndef LS_STATUS_H
#define LS_STATUS_H

#include "httpd.h"

/* mod_status's status_hook (registered optionally: mod_status may not
 * be loaded). flags & AP_STATUS_SHORT: the ?auto form. */
int ls_status_hook(request_rec *r, int flags);

/* Worker 0: measures the spool (bytes of its files, bytes free) and
 * publishes them with cache_bytes (ls_rendition_evict's figure, -1 for
 * none) in the progress segment. */
void ls_status_measure(server_rec *s, apr_pool_t *p, apr_off_t cache_bytes);

#endif /* LS_STATUS_H */
