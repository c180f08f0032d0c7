/* ls_store_render: the queue of rendition work in the store, one row per
 * (source key, kind) to render (ls_store_render.c). Not the cache on disk
 * (ls_rcache.h) nor the rendering. */
/* The umbrella first, outside the guard: it defines the handle and
 * includes the store's headers in dependency order (this one too), so
 * this header compiles on its own whichever is included first. */
#include "ls_store.h"
#ifndef LS_STORE_RENDER_H
#define LS_STORE_RENDER_H

/* Priorities: lower is sooner. */
#define LS_RENDER_WAITING 0 /* a recipient is waiting for it */
#define LS_RENDER_SOON    1 /* thumbnails of a new share */
#define LS_RENDER_LATER   2 /* web renditions of a new share */

typedef struct {
    const char *key;  /* ls_rcache_key of the source */
    const char *kind; /* "thumb" or "web" */
    const char *src;  /* the source's absolute path when queued */
    int priority;     /* LS_RENDER_* */
    int attempts;     /* claims so far, this one included */
} ls_render_t;

/* Queues the rendition of key and kind from src_path unless it is queued
 * already (*queued = 1 when this call added the row, else 0); an existing
 * row whose priority is lower (a higher number) is raised to priority.
 * Safe against concurrent queueing of the same row (one row results). */
apr_status_t ls_store_render_queue(ls_store *s, apr_pool_t *p, const char *key,
                                   const char *kind, const char *src_path,
                                   int priority, apr_int64_t now, int *queued,
                                   const char **err);
/* ls_store_render_queue for n rows (their key, kind, src and priority)
 * in one transaction. */
apr_status_t ls_store_render_queue_all(ls_store *s, apr_pool_t *p,
                                       const ls_render_t *rows, int n,
                                       apr_int64_t now, const char **err);
/* Claims the most urgent row (lowest priority, then oldest) that is
 * queued, or running with a claimed_at older than now - stale_secs (its
 * worker died), for claim (unique per worker). Atomic: two workers, on
 * one host or several sharing a PostgreSQL, never get the same row.
 * APR_NOTFOUND when nothing is due; APR_EAGAIN when other workers won
 * every row tried (rare: call again). */
apr_status_t ls_store_render_claim(ls_store *s, apr_pool_t *p,
                                   const char *claim, apr_int64_t now,
                                   apr_int64_t stale_secs, ls_render_t **out,
                                   const char **err);
/* Deletes the row once rendered (or failed for good), only while claim
 * still holds it: APR_NOTFOUND when it was reclaimed meanwhile. */
apr_status_t ls_store_render_done(ls_store *s, apr_pool_t *p, const char *key,
                                  const char *kind, const char *claim,
                                  const char **err);
/* *n = the rows in the queue, queued or running. */
apr_status_t ls_store_render_pending(ls_store *s, apr_pool_t *p, int *n,
                                     const char **err);

#endif /* LS_STORE_RENDER_H */
