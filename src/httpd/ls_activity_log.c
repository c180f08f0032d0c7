/* ls_activity_log: the request side of the activity log (see
 * ls_activity_log.h). */
#include "apr_strings.h"
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"

#include "ls_access.h"
#include "ls_activity.h"
#include "ls_activity_batch.h"
#include "ls_activity_log.h"
#include "ls_activity_queue.h"
#include "ls_config.h"
#include "ls_query.h"
#include "ls_tag.h"
#include "ls_token.h"

APLOG_USE_MODULE(linkshare);

#define JOB_NOTE "linkshare-activity-job"

/* The address as recorded, worked out once per connection (a keep-alive
 * connection's requests share it), with the address it was made of: a
 * module such as mod_remoteip may change that per request. */
typedef struct {
    const char *ip;
    const char *recorded;
} conn_addr_t;

static const char *recorded_address(request_rec *r, ls_activity_addr_t mode)
{
    conn_rec *c = r->connection;
    conn_addr_t *ca = ap_get_module_config(c->conn_config, &linkshare_module);

    if (r->useragent_ip == NULL || mode == LS_ACTIVITY_ADDR_NONE) {
        return NULL;
    }
    if (ca == NULL) {
        ca = apr_pcalloc(c->pool, sizeof(*ca));
        ap_set_module_config(c->conn_config, &linkshare_module, ca);
    }
    if (ca->ip == NULL || strcmp(ca->ip, r->useragent_ip) != 0) {
        ca->ip = apr_pstrdup(c->pool, r->useragent_ip);
        ca->recorded = ls_activity_address(c->pool, ca->ip, mode);
    }
    return ca->recorded;
}

void ls_activity_record(request_rec *r, const char *share_id, const char *kind,
                        const char *path, const char *job, int status,
                        apr_off_t bytes)
{
    ls_server_conf *sc = ls_config_get(r->server);
    ls_activity_t ev;

    if (sc->activity_retention == 0 || share_id == NULL) {
        return;
    }
    ev.id = NULL;
    ev.share_id = share_id;
    ev.at = r->request_time;
    ev.kind = kind;
    /* What a recipient sent: text the store takes (ls_activity_text), a
     * job only when it is an id (job_id is VARCHAR(32)). */
    ev.path = ls_activity_text(r->pool, path);
    ev.job = job && ls_id_well_formed(job) ? job : NULL;
    ev.status = status;
    ev.bytes = bytes;
    ev.address = recorded_address(r, sc->activity_address);
    ls_activity_queue_add(&ev);
}

void ls_activity_note_job(request_rec *r, const char *job_id)
{
    apr_table_set(r->notes, JOB_NOTE, job_id);
}

static const char *arg(request_rec *r, const char *name)
{
    const char *v = NULL;

    return ls_query_get(r->pool, r->args, name, &v) == APR_SUCCESS ? v : NULL;
}

/* Which 410: revoked, expired, or (neither) the download limit. */
static const char *refusal_kind(request_rec *r, const ls_share_t *sh)
{
    if (sh->revoked) {
        return LS_ACTIVITY_REVOKED;
    }
    if (sh->expires <= apr_time_sec(r->request_time)) {
        return LS_ACTIVITY_EXPIRED;
    }
    return LS_ACTIVITY_LIMIT;
}

int ls_activity_log(request_rec *r)
{
    ls_req_t *req = ls_access_req(r);
    request_rec *last = r;
    const char *kind = NULL, *path = NULL, *job = NULL, *op;

    if (req == NULL || req->share == NULL) {
        return DECLINED;
    }
    while (last->next) {
        last = last->next; /* the status and bytes the client got */
    }
    if (req->refused) {
        if (last->status == HTTP_GONE) {
            kind = refusal_kind(r, req->share);
        }
    }
    else if (!req->checked) {
        return DECLINED;
    }
    else if (req->kind == LS_KIND_PREVIEW) {
        kind = LS_ACTIVITY_PREVIEW;
        path = arg(r, "path");
    }
    else if (req->kind == LS_KIND_PAGE) {
        op = arg(r, "op");
        if (op == NULL) {
            kind = LS_ACTIVITY_PAGE;
            path = arg(r, "path");
        }
        else if (strcmp(op, "file") == 0) {
            kind = LS_ACTIVITY_DOWNLOAD;
            path = arg(r, "path");
        }
        else if (strcmp(op, "queue") == 0) {
            kind = LS_ACTIVITY_QUEUE;
            job = apr_table_get(r->notes, JOB_NOTE);
        }
        else if (strcmp(op, "part") == 0) {
            kind = LS_ACTIVITY_PART;
            job = arg(r, "job");
            path = arg(r, "n");
        }
    }
    if (kind) {
        ls_activity_record(r, req->share->id, kind, path, job, last->status,
                           last->bytes_sent);
    }
    return DECLINED;
}

/* On the queue's thread: a batch could not be handed over, or the queue
 * was full. */
static void queue_failed(void *baton, apr_status_t rv, const char *err,
                         int lost, int dropped)
{
    server_rec *s = baton;

    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, rv, s,
                     LS_TAG(00181) "activity log: cannot hand events to the "
                                   "writer (%d lost, else tried again "
                                   "within a second): %s",
                            lost, err ? err : "");
    }
    if (dropped) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                     LS_TAG(00182) "activity log: %d event(s) dropped: "
                                   "more were waiting than the queue holds",
                            dropped);
    }
}

const char *ls_activity_dir(apr_pool_t *p, server_rec *s)
{
    return apr_pstrcat(p, ls_config_get(s)->state_dir, "/activity", NULL);
}

/* The children's sink: a batch file for the node's writer. */
static apr_status_t to_batch_file(void *baton, apr_pool_t *p,
                                  const ls_activity_t *ev, int n,
                                  const char **err)
{
    return ls_activity_batch_write(p, baton, ev, n, err);
}

void ls_activity_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_status_t rv;

    if (ls_config_get(s)->activity_retention == 0) {
        return;
    }
    rv = ls_activity_queue_start(pchild, to_batch_file,
                                 (void *)ls_activity_dir(pchild, s),
                                 queue_failed, s);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_ERR, rv, s,
                     LS_TAG(00180) "activity log: cannot start this "
                                   "process's queue; its requests are not "
                                   "recorded");
    }
}

/* ---- the node's writer (worker 0) ---- */

static struct {
    server_rec *s;
    ls_store *store;
    const char *dir;
    apr_thread_t *thread;
    volatile sig_atomic_t *stop;
    volatile int done; /* the pool is going: stop now */
} writer;

/* One ingest, logged: failures once per streak, set-aside files and a
 * dropped backlog each time. */
static void ingest(apr_pool_t *p, int *failing)
{
    ls_activity_ingest_t got;
    const char *err = NULL;
    apr_status_t rv = ls_activity_batch_ingest(p, writer.dir, writer.store,
                                               &got, &err);

    if (rv != APR_SUCCESS && !*failing) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, rv, writer.s,
                     LS_TAG(00183) "activity log: cannot write events to the "
                                   "store; they wait in %s (%d file(s)) and "
                                   "are tried again: %s",
                            writer.dir, got.waiting, err ? err : "");
    }
    else if (rv == APR_SUCCESS && *failing) {
        ap_log_error(APLOG_MARK, APLOG_NOTICE, 0, writer.s,
                     LS_TAG(00184) "activity log: writing events to the "
                                   "store again");
    }
    *failing = rv != APR_SUCCESS;
    if (got.bad) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, writer.s,
                     LS_TAG(00185) "activity log: %d batch file(s) in %s "
                                   "unreadable or refused by the store; set "
                                   "aside as *.bad",
                            got.bad, writer.dir);
    }
    if (got.dropped) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, writer.s,
                     LS_TAG(00186) "activity log: %d unwritten batch file(s) "
                                   "removed: more than %d were waiting",
                            got.dropped, LS_ACTIVITY_BACKLOG_FILES);
    }
}

static void *APR_THREAD_FUNC writer_main(apr_thread_t *t, void *data)
{
    apr_pool_t *p;
    int failing = 0, ms;

    (void)data;
    apr_pool_create_unmanaged_ex(&p, NULL, NULL);
    while (!writer.done && !*writer.stop) {
        for (ms = 0;
             ms < LS_ACTIVITY_INGEST_MSECS && !writer.done && !*writer.stop;
             ms += 50) {
            apr_sleep(apr_time_from_msec(50));
        }
        apr_pool_clear(p);
        ingest(p, &failing);
    }
    apr_pool_destroy(p);
    apr_thread_exit(t, APR_SUCCESS);
    return NULL;
}

/* pre_cleanup: the thread ends (after its last ingest) before the store's
 * connections close. */
static apr_status_t writer_stop(void *data)
{
    apr_status_t ignored;

    (void)data;
    if (writer.thread) {
        writer.done = 1;
        apr_thread_join(&ignored, writer.thread);
        writer.thread = NULL;
    }
    return APR_SUCCESS;
}

void ls_activity_writer_start(server_rec *s, apr_pool_t *pool, ls_store *store,
                              volatile sig_atomic_t *stop)
{
    apr_status_t rv;

    if (ls_config_get(s)->activity_retention == 0) {
        return;
    }
    writer.s = s;
    writer.store = store;
    writer.dir = ls_activity_dir(pool, s);
    writer.stop = stop;
    writer.done = 0;
    rv = apr_thread_create(&writer.thread, NULL, writer_main, NULL, pool);
    if (rv != APR_SUCCESS) {
        writer.thread = NULL;
        ap_log_error(APLOG_MARK, APLOG_ERR, rv, s,
                     LS_TAG(00187) "activity log: cannot start the writer "
                                   "thread; events wait in %s",
                            writer.dir);
        return;
    }
    apr_pool_pre_cleanup_register(pool, NULL, writer_stop);
}

void ls_activity_sweep(server_rec *s, ls_store *store, apr_pool_t *p)
{
    apr_int64_t keep = ls_config_get(s)->activity_retention;
    apr_int64_t before = keep > 0 ? apr_time_now() - apr_time_from_sec(keep)
                                  : APR_INT64_MAX;
    const char *err = NULL;
    int n = 0;
    apr_status_t rv = ls_store_activity_sweep(store, p, before, &n, &err);

    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, rv, s,
                     LS_TAG(00380) "activity log: cannot delete old events: "
                                   "%s",
                            err ? err : "");
    }
    else if (n > 0) {
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, s,
                     LS_TAG(00381) "activity log: %d event(s) older than "
                                   "LinkShareActivityRetention deleted",
                            n);
    }
}
