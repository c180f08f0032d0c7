/* ls_rcache: the rendition cache on disk (thumbnails and web renditions
 * of a source file), shared by every process and by every share of the
 * same file. Owns the key, the layout, publication and eviction; not the
 * rendering (a separate program fills a temporary) nor the queue of work
 * (ls_store_render.h).
 *
 *   DIR/ab/KEY.KIND.jpg          a rendition (ab: the key's first two chars)
 *   DIR/ab/KEY.KIND.fail         one line, why: no rendition until the
 *                                source changes (and so gets a new key)
 *   DIR/ab/KEY.KIND.RAND16.tmp   a writer's temporary, same directory
 *
 * KEY is 64 lowercase hex characters (ls_rcache_key), KIND is "thumb" or
 * "web"; every function that takes them refuses anything else with
 * APR_EINVAL, since both become parts of paths. A rendition's mtime is
 * its last use (bumped by lookups at most once a minute), which is what
 * eviction orders by. */
#ifndef LS_RCACHE_H
#define LS_RCACHE_H

#include <apr_errno.h>
#include <apr_file_info.h>
#include <apr_pools.h>

/* ls_rcache_lookup: this source failed to render before; no rendition
 * until it changes. */
#define LS_RCACHE_FAILED (APR_OS_START_USERERR + 10)

/* The kinds and the boxes their renditions fit in. */
#define LS_RCACHE_THUMB     "thumb"
#define LS_RCACHE_THUMB_BOX 400
#define LS_RCACHE_WEB       "web"
#define LS_RCACHE_WEB_BOX   2048

/* Temporaries older than this are a dead writer's and go at eviction. */
#define LS_RCACHE_TMP_MAX_AGE apr_time_from_sec(3600)

/* The key of a source file: SHA-256 over its identity (device, inode,
 * size, mtime in microseconds), 64 lowercase hex characters in p. The
 * path is not part of it: the same file shared twice shares its
 * renditions, and a changed file gets a new key. */
const char *ls_rcache_key(apr_pool_t *p, apr_uint64_t dev, apr_uint64_t ino,
                          apr_off_t size, apr_time_t mtime);

/* 1 when key is 64 lowercase hex characters, else 0. */
int ls_rcache_key_valid(const char *key);

/* *path (in p) = where the rendition of key and kind lives, whether or
 * not it exists. APR_EINVAL for a bad key or kind. */
apr_status_t ls_rcache_path(apr_pool_t *p, const char *dir, const char *key,
                            const char *kind, const char **path);

/* Is there a rendition? APR_SUCCESS with *path (in p) the file, its mtime
 * bumped to now when older than a minute (the LRU order); APR_ENOENT when
 * none was made yet; LS_RCACHE_FAILED when a failure marker is there
 * (*path is the marker, whose one line says why); APR_EINVAL for a bad
 * key or kind; another status when the cache cannot be read. */
apr_status_t ls_rcache_lookup(apr_pool_t *p, const char *dir, const char *key,
                              const char *kind, const char **path);

/* Creates (O_EXCL, mode 0644 less the umask, empty) a temporary with a
 * unique name beside the final file, making the directories (0755) as
 * needed; *tmp_path (in p) is for a writer to fill, then for
 * ls_rcache_publish. Temporaries left behind go at eviction after
 * LS_RCACHE_TMP_MAX_AGE. */
apr_status_t ls_rcache_temp(apr_pool_t *p, const char *dir, const char *key,
                            const char *kind, const char **tmp_path);

/* Flushes tmp_path (from ls_rcache_temp for the same key and kind, else
 * APR_EINVAL) to disk and puts it in place atomically, never replacing a
 * rendition: when another writer published first, theirs stays and
 * tmp_path is removed. APR_SUCCESS either way (a rendition is there);
 * tmp_path is gone on success. */
apr_status_t ls_rcache_publish(apr_pool_t *p, const char *dir, const char *key,
                               const char *kind, const char *tmp_path);

/* Writes the failure marker of key and kind atomically (temporary, fsync,
 * rename; a later marker replaces an earlier one): why on one line (CR
 * and LF become spaces). */
apr_status_t ls_rcache_fail(apr_pool_t *p, const char *dir, const char *key,
                            const char *kind, const char *why);

/* Walks DIR: when the renditions and markers total more than max_bytes
 * (file sizes), removes renditions least recently used first until at
 * most 90 % of max_bytes remain (a rendition used since the walk saw it
 * is skipped); removes temporaries older than LS_RCACHE_TMP_MAX_AGE;
 * failure markers stay. Safe while other processes look up and publish:
 * a file that vanishes mid-walk is skipped. *kept (if given) = the bytes
 * that remain, *removed (if given) = the files removed (renditions and
 * temporaries). A missing DIR is an empty cache. Holds one small record
 * per rendition (about 56 bytes) while it sorts. */
apr_status_t ls_rcache_evict(apr_pool_t *p, const char *dir,
                             apr_off_t max_bytes, apr_off_t *kept,
                             int *removed);

#endif /* LS_RCACHE_H */
