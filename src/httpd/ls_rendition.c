/* ls_rendition: generated renditions, glue side (see ls_rendition.h).
 *
 *   request (httpd child)            store (ls_render rows)   worker
 *   ls_rendition_get: cached? ─yes─> serve
 *        │ no: queue(key, kind, priority) ─────> row ──claim──> run the
 *        │ wake a worker                                        renderer
 *        └ wait <= wait, looking at the cache <── publish ───── under
 *                                                (or .fail)     limits
 *
 * The cache key is the file's identity (device, inode, size, mtime), so a
 * changed file gets new renditions and the same file shared twice shares
 * them. Nothing here decodes an image: the renderer is a separate program
 * (src/render/) each worker keeps running under setrlimit and asks one
 * file at a time, killed past its wall clock (ls_renderer); a crash, a
 * hang or a refusal leaves a failure marker and the file shows its type
 * icon until it changes. */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "apr_strings.h"

#include "ls_config.h"
#include "ls_path.h"
#include "ls_proc.h"
#include "ls_renderer.h"
#include "ls_rendition.h"
#include "ls_tag.h"
#include "ls_worker.h"

APLOG_USE_MODULE(linkshare);

#define RENDER_STALE    120 /* a claimed row older is a dead worker's */
#define RENDER_POLL     50  /* ms between looks while a request waits */
#define SHARE_MAX_FILES 500 /* files of a new share queued at once */
#define RENDER_ATTEMPTS 3   /* claims of one row before it is given up */

int ls_rendition_supported(const server_rec *s, const char *name)
{
    static const char *const exts[] = {
        "jpg",  "jpeg", "png", "gif", "webp", "tif",  "tiff", "bmp", "heic",
        "heif", "pdf",  "mp4", "m4v", "mov",  "webm", "mkv",  "avi", NULL};
    const char *dot = strrchr(name, '.');
    int i;

    if (ls_config_get(s)->renderer == NULL || dot == NULL || dot == name) {
        return 0;
    }
    for (i = 0; exts[i]; i++) {
        if (strcasecmp(dot + 1, exts[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

static const char *key_of(apr_pool_t *p, const apr_finfo_t *fi)
{
    return ls_rcache_key(p, (apr_uint64_t)fi->device, (apr_uint64_t)fi->inode,
                         fi->size, fi->mtime);
}

apr_status_t ls_rendition_get(request_rec *r, const char *real,
                              const apr_finfo_t *fi, const char *kind,
                              int priority, apr_interval_time_t wait,
                              const char **path)
{
    ls_server_conf *sc = ls_config_get(r->server);
    const char *key, *err = NULL;
    apr_time_t until = apr_time_now() + wait;
    apr_status_t rv;
    int queued = 0;

    if (!ls_rendition_supported(r->server, real) || fi->filetype != APR_REG) {
        return APR_ENOTIMPL;
    }
    key = key_of(r->pool, fi);
    rv = ls_rcache_lookup(r->pool, sc->rendition_cache, key, kind, path);
    if (rv != APR_ENOENT) {
        return rv;
    }
    rv = ls_store_render_queue(ls_proc_store(), r->pool, key, kind, real,
                               priority, apr_time_sec(apr_time_now()), &queued,
                               &err);
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      LS_TAG(00350) "cannot queue a rendition: %s",
                             err ? err : "");
        return rv;
    }
    ls_worker_wake();
    while (
        (rv = ls_rcache_lookup(r->pool, sc->rendition_cache, key, kind, path))
            == APR_ENOENT
        && apr_time_now() < until) {
        apr_sleep(apr_time_from_msec(RENDER_POLL));
    }
    return rv;
}

/* What the cache has of kind for the file real (one stat): as
 * ls_rendition_state, with the file's cache key in *key. */
static apr_status_t cached(request_rec *r, const char *real, const char *kind,
                           const char **key)
{
    const char *path;
    apr_finfo_t fi;

    if (!ls_rendition_supported(r->server, real)
        || apr_stat(&fi, real, APR_FINFO_NORM, r->pool) != APR_SUCCESS
        || fi.filetype != APR_REG) {
        return APR_ENOTIMPL;
    }
    *key = key_of(r->pool, &fi);
    return ls_rcache_lookup(r->pool, ls_config_get(r->server)->rendition_cache,
                            *key, kind, &path);
}

apr_status_t ls_rendition_state(request_rec *r, const char *real,
                                const char *kind)
{
    const char *key;

    return cached(r, real, kind, &key);
}

/* Files a page shows without their rendition yet: queued ahead of the
 * rest of their share in one transaction once the page is sent (a
 * cleanup of the request's pool), so the page never waits on the store
 * for them. */
typedef struct {
    server_rec *s;
    apr_array_header_t *rows; /* ls_render_t, in r->pool */
} wanted_t;

static apr_status_t queue_wanted(void *data)
{
    wanted_t *w = data;
    const char *err = NULL;
    apr_pool_t *p;
    apr_status_t rv;

    apr_pool_create(&p, NULL);
    rv = ls_store_render_queue_all(
        ls_proc_store(), p, (const ls_render_t *)w->rows->elts, w->rows->nelts,
        apr_time_sec(apr_time_now()), &err);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_ERR, rv, w->s,
                     LS_TAG(00352) "cannot queue a page's renditions: %s",
                            err ? err : "");
    }
    else {
        ls_worker_wake();
    }
    apr_pool_destroy(p);
    return APR_SUCCESS;
}

apr_status_t ls_rendition_wanted(request_rec *r, const char *real,
                                 const char *kind)
{
    static const char note[] = "linkshare-wanted";
    wanted_t *w = NULL;
    ls_render_t *row = apr_pcalloc(r->pool, sizeof(*row));
    apr_status_t rv = cached(r, real, kind, &row->key);

    if (rv != APR_ENOENT || ls_proc_store() == NULL) {
        return rv;
    }
    apr_pool_userdata_get((void **)&w, note, r->pool);
    if (w == NULL) {
        w = apr_pcalloc(r->pool, sizeof(*w));
        w->s = r->server;
        w->rows = apr_array_make(r->pool, 16, sizeof(ls_render_t));
        apr_pool_userdata_setn(w, note, NULL, r->pool);
        apr_pool_cleanup_register(r->pool, w, queue_wanted,
                                  apr_pool_cleanup_null);
    }
    row->kind = kind;
    row->src = real;
    row->priority = LS_RENDER_WAITING;
    APR_ARRAY_PUSH(w->rows, ls_render_t) = *row;
    return rv;
}

/* Queues kind of one file (a stat of real) unless it is cached or known
 * to have none. */
static void queue_file(request_rec *r, const char *real, const char *kind,
                       int priority, int *n)
{
    const char *key, *err = NULL;
    int queued = 0;

    if (*n >= SHARE_MAX_FILES || cached(r, real, kind, &key) != APR_ENOENT) {
        return;
    }
    if (ls_store_render_queue(ls_proc_store(), r->pool, key, kind, real,
                              priority, apr_time_sec(apr_time_now()), &queued,
                              &err)
        == APR_SUCCESS) {
        (*n)++;
    }
}

/* The files of a new share: each file item, and the files directly in
 * each folder item. */
static apr_array_header_t *share_files(request_rec *r, const ls_share_t *sh)
{
    ls_server_conf *sc = ls_config_get(r->server);
    apr_array_header_t *files = apr_array_make(r->pool, 16,
                                               sizeof(const char *));
    int i;

    for (i = 0; i < sh->items->nelts; i++) {
        const ls_item_t *it = &APR_ARRAY_IDX(sh->items, i, ls_item_t);
        const char *real = ls_path_join(r->pool, sc->asset_real, it->path);
        apr_dir_t *dir;
        apr_finfo_t e;

        if (strcmp(it->kind, "file") == 0) {
            APR_ARRAY_PUSH(files, const char *) = real;
            continue;
        }
        if (apr_dir_open(&dir, real, r->pool) != APR_SUCCESS) {
            continue;
        }
        while (files->nelts < SHARE_MAX_FILES
               && apr_dir_read(&e, APR_FINFO_NAME | APR_FINFO_TYPE, dir)
                      == APR_SUCCESS) {
            if (e.filetype == APR_REG && e.name[0] != '.') {
                APR_ARRAY_PUSH(files, const char *) = ls_path_join(
                    r->pool, real, e.name);
            }
        }
        apr_dir_close(dir);
    }
    return files;
}

void ls_rendition_queue_share(request_rec *r, const ls_share_t *sh)
{
    apr_array_header_t *files;
    int i, n = 0;

    if (ls_config_get(r->server)->renderer == NULL || ls_proc_store() == NULL) {
        return;
    }
    /* Thumbnails first: a recipient opening the link sees them. */
    files = share_files(r, sh);
    for (i = 0; i < files->nelts; i++) {
        queue_file(r, APR_ARRAY_IDX(files, i, const char *), LS_RCACHE_THUMB,
                   LS_RENDER_SOON, &n);
    }
    for (i = 0; i < files->nelts; i++) {
        queue_file(r, APR_ARRAY_IDX(files, i, const char *), LS_RCACHE_WEB,
                   LS_RENDER_LATER, &n);
    }
    if (n) {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                      LS_TAG(00351) "share %s: %d rendition(s) queued", sh->id,
                             n);
        ls_worker_wake();
    }
}

/* ---- the worker's side ---- */

int ls_rendition_work(server_rec *s, ls_store *store, apr_pool_t *p,
                      const char *claim)
{
    ls_server_conf *sc = ls_config_get(s);
    ls_render_t *job = NULL;
    const char *err = NULL, *why = NULL, *tmp, *path;
    apr_int64_t now = apr_time_sec(apr_time_now());
    apr_finfo_t fi;
    apr_status_t rv;

    if (sc->renderer == NULL) {
        return 0;
    }
    rv = ls_store_render_claim(store, p, claim, now, RENDER_STALE, &job, &err);
    if (rv != APR_SUCCESS) {
        ls_renderer_idle(s);
        if (rv != APR_NOTFOUND && rv != APR_EAGAIN) {
            ap_log_error(APLOG_MARK, APLOG_WARNING, rv, s,
                         LS_TAG(00354) "cannot claim a rendition: %s",
                                err ? err : "");
        }
        return 0;
    }
    /* The file must still be the one queued: its identity is the key. */
    if (apr_stat(&fi, job->src, APR_FINFO_NORM, p) != APR_SUCCESS
        || strcmp(key_of(p, &fi), job->key) != 0) {
        rv = APR_ENOENT;
    }
    else if (job->attempts > RENDER_ATTEMPTS) {
        /* Its workers stopped each time (the renderer's own crashes are
         * caught below): give up on this file until it changes. */
        ls_rcache_fail(p, sc->rendition_cache, job->key, job->kind,
                       "given up: its workers stopped while rendering it");
    }
    else if (ls_rcache_lookup(p, sc->rendition_cache, job->key, job->kind,
                              &path)
             != APR_ENOENT) {
        rv = APR_SUCCESS; /* another node made it */
    }
    else if ((rv = ls_rcache_temp(p, sc->rendition_cache, job->key, job->kind,
                                  &tmp))
             == APR_SUCCESS) {
        rv = ls_renderer_run(s, p, job->kind, job->src, tmp, &why);
        if (rv == APR_SUCCESS) {
            rv = ls_rcache_publish(p, sc->rendition_cache, job->key, job->kind,
                                   tmp);
        }
        else {
            apr_file_remove(tmp, p);
            if (rv == LS_RCACHE_FAILED) {
                ap_log_error(APLOG_MARK, APLOG_INFO, 0, s,
                             LS_TAG(00355) "no %s rendition of %s: %s",
                                    job->kind, job->src, why);
                ls_rcache_fail(p, sc->rendition_cache, job->key, job->kind,
                               why);
            }
            else if (apr_stat(&fi, job->src, APR_FINFO_NORM, p) != APR_SUCCESS
                     || strcmp(key_of(p, &fi), job->key) != 0) {
                /* Deleted or changed while it was rendered: nothing went
                 * wrong, and its new version gets its own row. */
                ap_log_error(APLOG_MARK, APLOG_DEBUG, rv, s,
                             LS_TAG(00353) "%s changed while rendered: %s",
                                    job->src, why ? why : "");
            }
            else {
                ap_log_error(APLOG_MARK, APLOG_ERR, rv, s,
                             LS_TAG(00356) "rendering %s failed: %s", job->src,
                                    why ? why : "");
            }
        }
    }
    if (ls_store_render_done(store, p, job->key, job->kind, claim, &err)
        != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                     LS_TAG(00357) "cannot finish a rendition: %s",
                            err ? err : "");
    }
    return 1;
}

apr_off_t ls_rendition_evict(server_rec *s, apr_pool_t *p)
{
    ls_server_conf *sc = ls_config_get(s);
    apr_off_t kept = 0;
    int removed = 0;

    if (sc->renderer == NULL) {
        return -1;
    }
    if (ls_rcache_evict(p, sc->rendition_cache, sc->rendition_cache_size, &kept,
                        &removed)
        != APR_SUCCESS) {
        return -1;
    }
    if (removed) {
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, s,
                     LS_TAG(00358) "rendition cache: %d least recently used "
                                   "removed, %" APR_OFF_T_FMT " bytes kept",
                            removed, kept);
    }
    return kept;
}
