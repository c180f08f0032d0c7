/* ls_renderer: a worker's renderer process. Owns starting
 * LinkShareRenderer in its --serve mode under limits, asking it for one
 * rendition at a time with a wall-clock bound, and restarting it: after
 * a crash, a timeout, a number of files, or when the worker has had
 * nothing to render for a while. Knows nothing of the queue or the cache
 * (ls_rendition does). Glue unit; one renderer per worker process.
 *
 *   worker ──"KIND\0IN\0OUT\0"──> linkshare-render --serve 30
 *          <──"STATUS WxH\n"───── (RLIMIT_AS 1 GiB; CPU: 30 s per file
 *                                  set by itself, the session's hard
 *                                  limit set here; killed past
 *                                  LinkShareRenditionTimeout)
 *
 * One process serves many files because libvips' start-up is a third of
 * a camera photo's thumbnail. A file is only declared to have no
 * rendition by a fresh renderer: a crash of one that had served other
 * files is retried once in a new one, so nothing earlier files left
 * behind (memory, CPU used) is blamed on the current one. */
#ifndef LS_RENDERER_H
#define LS_RENDERER_H

#include "httpd.h"

/* Renders kind ("thumb" or "web") of src into out. APR_SUCCESS when out
 * was written; LS_RCACHE_FAILED with *why when this file has none
 * (refused, corrupt, over a limit, crashed, timed out); another status
 * with *why when the renderer could not run or write at all (not the
 * file's fault: nothing is remembered). */
apr_status_t ls_renderer_run(server_rec *s, apr_pool_t *p, const char *kind,
                             const char *src, const char *out,
                             const char **why);

/* The worker found nothing to render: stops the renderer once it has
 * been idle for a while, giving its memory back. */
void ls_renderer_idle(server_rec *s);

#endif /* LS_RENDERER_H */
