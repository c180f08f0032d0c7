/* ls_cache: the per-process cache of share lookups on the public path.
 * APR-only. A store query per request would cost ten times the file
 * delivery (TOOLCHAIN.md), so lookups are kept for LinkShareCacheTTL
 * seconds, and every change to a share (revoke, new expiry) bumps a
 * generation counter in shared memory that all processes of this httpd
 * compare against, so changes made on this host take effect at once.
 * Changes made on another node sharing the database take effect within
 * the TTL. Expiry is checked on every request against the cached time.
 *
 *   parent (post_config)          children (event MPM threads)
 *   +-------------------+         +-------------------------------+
 *   | apr_shm, 1 word:  | <-read- | hash: token_hash -> entry     |
 *   | generation (u32)  | -bump-  | entry: share copy, gen, stamp |
 *   +-------------------+         +-------------------------------+
 */
#ifndef LS_CACHE_H
#define LS_CACHE_H

#include <apr_pools.h>
#include <apr_errno.h>

#include "ls_store.h"

/* Parent, before children fork: creates the anonymous shared memory that
 * holds the generation; it lives as long as pconf. */
apr_status_t ls_cache_create_shm(apr_pool_t *pconf);

/* Each child: creates this process's cache; ttl 0 disables caching. */
apr_status_t ls_cache_child_init(apr_pool_t *pchild, int ttl);

/* A copy (in p) of the cached share for token_hash, or NULL when absent,
 * stale (older than the TTL) or from an older generation. */
ls_share_t *ls_cache_get(apr_pool_t *p, const char *token_hash,
                         apr_int64_t now);

/* Remembers share under token_hash as read at generation gen, which the
 * caller took with ls_cache_generation() before querying the store. */
void ls_cache_put(const char *token_hash, const ls_share_t *share,
                  apr_uint32_t gen, apr_int64_t now);

/* The current generation. */
apr_uint32_t ls_cache_generation(void);

/* A share changed: every process must forget what it cached. */
void ls_cache_invalidate(void);

#endif /* LS_CACHE_H */
