/* ls_activity_queue: the activity log written behind the requests (see
 * ls_activity_queue.h). */
#include <apr_strings.h>
#include <apr_thread_cond.h>
#include <apr_thread_mutex.h>
#include <apr_thread_proc.h>

#include "ls_activity_queue.h"

/* One batch: its events and the pool their strings live in. */
typedef struct {
    apr_pool_t *pool;
    apr_array_header_t *ev; /* ls_activity_t */
} batch_t;

static struct {
    apr_thread_mutex_t *lock;       /* guards incoming, dropped, stop */
    apr_thread_cond_t *cond;        /* incoming is full, or stop */
    apr_thread_mutex_t *write_lock; /* one writer of outgoing at a time */
    apr_thread_t *thread;
    ls_activity_sink_fn sink;
    void *sink_baton;
    batch_t incoming, outgoing;
    int tries;   /* failed writes of outgoing so far */
    int dropped; /* events refused since the last report */
    int stop;
    ls_activity_queue_err_fn on_err;
    void *baton;
} q;

/* Each batch pool has an allocator of its own (an unmanaged pool): the
 * writer clears one while request threads fill the other, and a subpool
 * of pchild would share pchild's allocator, which has no mutex, with
 * every other subpool of it (the download counter's, say) used on other
 * threads under other locks. */
static apr_status_t batch_make(batch_t *b)
{
    apr_status_t rv = apr_pool_create_unmanaged_ex(&b->pool, NULL, NULL);

    if (rv != APR_SUCCESS) {
        b->pool = NULL;
        return rv;
    }
    apr_pool_tag(b->pool, "linkshare_activity");
    b->ev = apr_array_make(b->pool, 64, sizeof(ls_activity_t));
    return APR_SUCCESS;
}

static const char *dup0(apr_pool_t *p, const char *s)
{
    return s ? apr_pstrdup(p, s) : NULL;
}

void ls_activity_queue_add(const ls_activity_t *ev)
{
    ls_activity_t *e;

    if (q.lock == NULL) {
        return;
    }
    apr_thread_mutex_lock(q.lock);
    if (q.stop || q.incoming.ev->nelts >= LS_ACTIVITY_QUEUE_MAX) {
        q.dropped++;
        apr_thread_mutex_unlock(q.lock);
        return;
    }
    e = apr_array_push(q.incoming.ev);
    e->id = dup0(q.incoming.pool, ev->id);
    e->share_id = dup0(q.incoming.pool, ev->share_id);
    e->at = ev->at;
    e->kind = dup0(q.incoming.pool, ev->kind);
    e->path = dup0(q.incoming.pool, ev->path);
    e->job = dup0(q.incoming.pool, ev->job);
    e->status = ev->status;
    e->bytes = ev->bytes;
    e->address = dup0(q.incoming.pool, ev->address);
    if (q.incoming.ev->nelts == LS_ACTIVITY_BATCH) {
        apr_thread_cond_signal(q.cond);
    }
    apr_thread_mutex_unlock(q.lock);
}

/* Writes outgoing (first taking incoming into it when it is empty), under
 * write_lock: the thread and a caller of ls_activity_queue_flush. */
static void write_batch(void)
{
    apr_pool_t *scratch;
    const char *err = NULL;
    apr_status_t rv;
    int dropped, lost = 0;

    apr_thread_mutex_lock(q.write_lock);
    apr_thread_mutex_lock(q.lock);
    if (q.outgoing.ev->nelts == 0) {
        batch_t t = q.outgoing;

        q.outgoing = q.incoming;
        q.incoming = t;
    }
    dropped = q.dropped;
    q.dropped = 0;
    apr_thread_mutex_unlock(q.lock);
    if (q.outgoing.ev->nelts == 0) {
        apr_thread_mutex_unlock(q.write_lock);
        return;
    }
    apr_pool_create(&scratch, NULL);
    rv = q.sink(q.sink_baton, scratch,
                (const ls_activity_t *)q.outgoing.ev->elts,
                q.outgoing.ev->nelts, &err);
    if (rv != APR_SUCCESS && ++q.tries >= LS_ACTIVITY_TRIES) {
        lost = q.outgoing.ev->nelts; /* the last try: the batch is given up */
    }
    if (rv == APR_SUCCESS || lost) {
        apr_pool_clear(q.outgoing.pool);
        q.outgoing.ev = apr_array_make(q.outgoing.pool, 64,
                                       sizeof(ls_activity_t));
        q.tries = 0;
    }
    if ((rv != APR_SUCCESS || dropped) && q.on_err) {
        q.on_err(q.baton, rv, err, lost, dropped);
    }
    apr_pool_destroy(scratch);
    apr_thread_mutex_unlock(q.write_lock);
}

static void *APR_THREAD_FUNC flusher(apr_thread_t *t, void *data)
{
    int stop;

    (void)data;
    do {
        apr_thread_mutex_lock(q.lock);
        if (!q.stop && q.incoming.ev->nelts < LS_ACTIVITY_BATCH) {
            apr_thread_cond_timedwait(
                q.cond, q.lock, apr_time_from_msec(LS_ACTIVITY_FLUSH_MSECS));
        }
        stop = q.stop;
        apr_thread_mutex_unlock(q.lock);
        write_batch();
    } while (!stop);
    /* The last events: incoming may still hold some after one batch. */
    write_batch();
    write_batch();
    apr_thread_exit(t, APR_SUCCESS);
    return NULL;
}

void ls_activity_queue_flush(void)
{
    if (q.lock) {
        write_batch();
        write_batch(); /* what came in while the first was written */
    }
}

/* pre_cleanup: runs before the pool destroys the store's connections. */
static apr_status_t queue_stop(void *data)
{
    apr_status_t ignored;

    (void)data;
    if (q.thread) {
        apr_thread_mutex_lock(q.lock);
        q.stop = 1;
        apr_thread_cond_signal(q.cond);
        apr_thread_mutex_unlock(q.lock);
        apr_thread_join(&ignored, q.thread);
        q.thread = NULL;
    }
    q.lock = NULL; /* add() from now on drops */
    if (q.incoming.pool) {
        apr_pool_destroy(q.incoming.pool);
        apr_pool_destroy(q.outgoing.pool);
        q.incoming.pool = q.outgoing.pool = NULL;
    }
    return APR_SUCCESS;
}

apr_status_t ls_activity_queue_start(apr_pool_t *pool, ls_activity_sink_fn sink,
                                     void *sink_baton,
                                     ls_activity_queue_err_fn on_err,
                                     void *baton)
{
    apr_status_t rv;

    memset(&q, 0, sizeof(q));
    q.sink = sink;
    q.sink_baton = sink_baton;
    q.on_err = on_err;
    q.baton = baton;
    if ((rv = batch_make(&q.incoming)) != APR_SUCCESS
        || (rv = batch_make(&q.outgoing)) != APR_SUCCESS) {
        return rv;
    }
    if ((rv = apr_thread_mutex_create(&q.write_lock, APR_THREAD_MUTEX_DEFAULT,
                                      pool))
            != APR_SUCCESS
        || (rv = apr_thread_cond_create(&q.cond, pool)) != APR_SUCCESS
        || (rv = apr_thread_mutex_create(&q.lock, APR_THREAD_MUTEX_DEFAULT,
                                         pool))
               != APR_SUCCESS) {
        q.lock = NULL;
        return rv;
    }
    rv = apr_thread_create(&q.thread, NULL, flusher, NULL, pool);
    if (rv != APR_SUCCESS) {
        q.lock = NULL;
        q.thread = NULL;
        return rv;
    }
    apr_pool_pre_cleanup_register(pool, NULL, queue_stop);
    return APR_SUCCESS;
}
