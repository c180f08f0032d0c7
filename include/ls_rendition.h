/* ls_rendition: generated renditions, glue side. Owns which files get them,
 * asking for one from a request (queued in the store, waited for a
 * bounded time, never decoded here), queueing a new share's, and the
 * workers' part: having LinkShareRenderer (ls_renderer) render each
 * claimed file under limits (address space, CPU, wall clock), publishing its output into
 * LinkShareRenditionCache (ls_rcache), or remembering that the file has
 * none until it changes. Glue unit. */
#ifndef LS_RENDITION_H
#define LS_RENDITION_H

#include "httpd.h"

#include "ls_rcache.h"
#include "ls_store.h"

/* Kinds are ls_rcache's (LS_RCACHE_THUMB, LS_RCACHE_WEB); priorities the
 * queue's (LS_RENDER_WAITING, LS_RENDER_SOON, LS_RENDER_LATER). */

/* Non-zero when renditions are generated for s (LinkShareRenderer found
 * at startup) and a file named name is a type we render (images, PDF,
 * video). */
int ls_rendition_supported(const server_rec *s, const char *name);

/* The generated rendition of kind of the file real (fi: its stat, for the
 * cache key). APR_SUCCESS with *path; APR_ENOENT when it is not made yet
 * (it is queued with priority, and waited for up to wait first);
 * LS_RCACHE_FAILED when the file has none (it crashed, hung or exceeded
 * a limit; until the file changes); APR_ENOTIMPL when renditions are not
 * generated or not for this type; another status when the store or the
 * cache failed (logged). */
apr_status_t ls_rendition_get(request_rec *r, const char *real,
                              const apr_finfo_t *fi, const char *kind,
                              int priority, apr_interval_time_t wait,
                              const char **path);

/* What there is of kind for the file real, without queueing or waiting:
 * APR_SUCCESS (made), APR_ENOENT (not yet), LS_RCACHE_FAILED (never, until
 * it changes), APR_ENOTIMPL (not generated for it). */
apr_status_t ls_rendition_state(request_rec *r, const char *real,
                                const char *kind);

/* ls_rendition_state for a file a page is about to show: when it is not
 * made yet (APR_ENOENT), it is queued ahead of its share's other files
 * once the response is sent, as if a recipient were waiting for it. */
apr_status_t ls_rendition_wanted(request_rec *r, const char *real,
                                 const char *kind);
/* A share was created: queue the thumbnails (then the web renditions) of
 * its files and of the files directly in its folders, at most a few
 * hundred, without waiting. Never fails the request. */
void ls_rendition_queue_share(request_rec *r, const ls_share_t *sh);

/* Worker: makes the most urgent queued rendition, if any. Non-zero when
 * it did one (or tried). */
int ls_rendition_work(server_rec *s, ls_store *store, apr_pool_t *p,
                      const char *claim);

/* Worker 0, now and then: removes the least recently used renditions
 * past LinkShareRenditionCacheSize. Returns the bytes the cache keeps
 * (for the mod_status section), -1 when renditions are off or the walk
 * failed. */
apr_off_t ls_rendition_evict(server_rec *s, apr_pool_t *p);

#endif /* LS_RENDITION_H */
