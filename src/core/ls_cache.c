/* ls_cache: per-process share cache with a shared generation (see
 * ls_cache.h). */
#include <string.h>

#include <apr_atomic.h>
#include <apr_hash.h>
#include <apr_shm.h>
#include <apr_strings.h>
#include <apr_thread_mutex.h>

#include "ls_cache.h"

#define LS_CACHE_MAX 4096 /* entries before the cache starts over */

typedef struct {
    apr_pool_t *pool;  /* owns the entry and its share copy */
    ls_share_t *share; /* deep copy */
    apr_uint32_t gen;  /* generation it was read at */
    apr_int64_t stamp; /* when it was read, epoch seconds */
} ls_cache_entry;

static apr_shm_t *gen_shm;              /* created by the parent */
static volatile apr_uint32_t *gen_word; /* in gen_shm */
static apr_uint32_t local_gen;          /* fallback without shm */

static apr_pool_t *cache_pool; /* child-lifetime */
static apr_hash_t *cache;      /* token_hash -> entry */
static apr_thread_mutex_t *cache_lock;
static int cache_ttl;

apr_status_t ls_cache_create_shm(apr_pool_t *pconf)
{
    apr_status_t rv = apr_shm_create(&gen_shm, sizeof(apr_uint32_t), NULL,
                                     pconf);

    if (rv != APR_SUCCESS) {
        gen_word = &local_gen;
        return rv;
    }
    gen_word = apr_shm_baseaddr_get(gen_shm);
    *gen_word = 0;
    return APR_SUCCESS;
}

apr_status_t ls_cache_child_init(apr_pool_t *pchild, int ttl)
{
    apr_status_t rv;

    if (gen_word == NULL) {
        gen_word = &local_gen;
    }
    cache_ttl = ttl;
    rv = apr_pool_create(&cache_pool, pchild);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    apr_pool_tag(cache_pool, "linkshare_cache");
    cache = apr_hash_make(cache_pool);
    /* The lock lives in pchild: cache_pool is cleared when full. */
    return apr_thread_mutex_create(&cache_lock, APR_THREAD_MUTEX_DEFAULT,
                                   pchild);
}

apr_uint32_t ls_cache_generation(void)
{
    return gen_word ? apr_atomic_read32(gen_word) : 0;
}

void ls_cache_invalidate(void)
{
    if (gen_word) {
        apr_atomic_inc32(gen_word);
    }
}

ls_share_t *ls_cache_get(apr_pool_t *p, const char *token_hash, apr_int64_t now)
{
    ls_cache_entry *e;
    ls_share_t *out = NULL;
    apr_uint32_t gen = ls_cache_generation();

    if (cache == NULL || cache_ttl == 0) {
        return NULL;
    }
    apr_thread_mutex_lock(cache_lock);
    e = apr_hash_get(cache, token_hash, APR_HASH_KEY_STRING);
    if (e && e->gen == gen && now - e->stamp < cache_ttl) {
        out = ls_share_copy(p, e->share);
    }
    apr_thread_mutex_unlock(cache_lock);
    return out;
}

void ls_cache_put(const char *token_hash, const ls_share_t *share,
                  apr_uint32_t gen, apr_int64_t now)
{
    ls_cache_entry *e, *old;
    apr_pool_t *ep;

    if (cache == NULL || cache_ttl == 0) {
        return;
    }
    apr_thread_mutex_lock(cache_lock);
    if (apr_hash_count(cache) >= LS_CACHE_MAX) {
        /* Start over rather than track ages: a miss costs one query. */
        apr_pool_clear(cache_pool);
        cache = apr_hash_make(cache_pool);
    }
    old = apr_hash_get(cache, token_hash, APR_HASH_KEY_STRING);
    if (old) {
        /* Unlink first: the hash keeps the first key pointer it was
         * given, which lives in the old entry's pool. */
        apr_hash_set(cache, token_hash, APR_HASH_KEY_STRING, NULL);
        apr_pool_destroy(old->pool);
    }
    if (apr_pool_create(&ep, cache_pool) == APR_SUCCESS) {
        e = apr_pcalloc(ep, sizeof(*e));
        e->pool = ep;
        e->share = ls_share_copy(ep, share);
        e->gen = gen;
        e->stamp = now;
        apr_hash_set(cache, apr_pstrdup(ep, token_hash), APR_HASH_KEY_STRING,
                     e);
    }
    apr_thread_mutex_unlock(cache_lock);
}
