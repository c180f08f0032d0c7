/* ls_counter: write-behind download counts (see ls_counter.h). */
#include <apr_hash.h>
#include <apr_strings.h>
#include <apr_thread_mutex.h>

#include "ls_counter.h"

static apr_pool_t *cnt_pool; /* holds the pending table */
static apr_hash_t *pending;  /* share id -> apr_int64_t * */
static apr_thread_mutex_t *cnt_lock;
static ls_store *cnt_store;
static apr_int64_t last_flush;

/* Takes the pending table out under the lock, writes it without it. */
static void flush_locked_swap(apr_pool_t *p)
{
    apr_hash_t *todo = NULL;
    apr_hash_index_t *hi;
    const char *err;

    apr_thread_mutex_lock(cnt_lock);
    if (apr_hash_count(pending) > 0) {
        /* Copy keys and values out: cnt_pool is cleared below. */
        todo = apr_hash_make(p);
        for (hi = apr_hash_first(p, pending); hi; hi = apr_hash_next(hi)) {
            apr_hash_set(
                todo, apr_pstrdup(p, apr_hash_this_key(hi)),
                APR_HASH_KEY_STRING,
                apr_pmemdup(p, apr_hash_this_val(hi), sizeof(apr_int64_t)));
        }
        apr_pool_clear(cnt_pool);
        pending = apr_hash_make(cnt_pool);
    }
    apr_thread_mutex_unlock(cnt_lock);
    for (hi = todo ? apr_hash_first(p, todo) : NULL; hi;
         hi = apr_hash_next(hi)) {
        /* A share deleted meanwhile answers NOTFOUND: nothing to count. */
        ls_store_share_add_downloads(cnt_store, p, apr_hash_this_key(hi),
                                     *(apr_int64_t *)apr_hash_this_val(hi),
                                     &err);
    }
}

void ls_counter_flush(apr_pool_t *p)
{
    if (cnt_store && pending) {
        flush_locked_swap(p);
    }
}

static apr_status_t flush_at_exit(void *data)
{
    apr_pool_t *p;

    (void)data;
    if (apr_pool_create_unmanaged_ex(&p, NULL, NULL) == APR_SUCCESS) {
        ls_counter_flush(p);
        apr_pool_destroy(p);
    }
    return APR_SUCCESS;
}

void ls_counter_child_init(apr_pool_t *pchild, ls_store *store)
{
    cnt_store = store;
    apr_pool_create(&cnt_pool, pchild);
    apr_pool_tag(cnt_pool, "linkshare_counter");
    pending = apr_hash_make(cnt_pool);
    apr_thread_mutex_create(&cnt_lock, APR_THREAD_MUTEX_DEFAULT, pchild);
    /* pre_cleanup: runs before pchild destroys the store's pools. */
    apr_pool_pre_cleanup_register(pchild, NULL, flush_at_exit);
}

void ls_counter_add(apr_pool_t *p, const char *share_id, apr_int64_t now)
{
    apr_int64_t *v;
    int due;

    if (cnt_lock == NULL) {
        return;
    }
    apr_thread_mutex_lock(cnt_lock);
    v = apr_hash_get(pending, share_id, APR_HASH_KEY_STRING);
    if (v == NULL) {
        v = apr_pcalloc(cnt_pool, sizeof(*v));
        apr_hash_set(pending, apr_pstrdup(cnt_pool, share_id),
                     APR_HASH_KEY_STRING, v);
    }
    (*v)++;
    due = now - last_flush >= LS_COUNTER_FLUSH_SECS;
    if (due) {
        last_flush = now;
    }
    apr_thread_mutex_unlock(cnt_lock);
    if (due) {
        flush_locked_swap(p);
    }
}
