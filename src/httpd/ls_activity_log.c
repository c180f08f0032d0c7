/* ls_activity_log: the request side of the activity log (see
 * ls_activity_log.h). */
#include "apr_strings.h"
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"

#include "ls_access.h"
#include "ls_activity.h"
#include "ls_activity_log.h"
#include "ls_activity_queue.h"
#include "ls_config.h"
#include "ls_proc.h"
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

/* On the queue's thread: the store refused a batch, or the queue was
 * full. */
static void queue_failed(void *baton, apr_status_t rv, const char *err,
                         int lost, int dropped)
{
    server_rec *s = baton;

    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, rv, s,
                     LS_TAG(00181) "activity log: cannot write events to "
                                   "the store (%d lost, else tried again "
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

void ls_activity_child_init(apr_pool_t *pchild, server_rec *s)
{
    ls_store *store = ls_proc_store();
    apr_status_t rv;

    if (ls_config_get(s)->activity_retention == 0 || store == NULL) {
        return;
    }
    rv = ls_activity_queue_start(pchild, store, queue_failed, s);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_ERR, rv, s,
                     LS_TAG(00180) "activity log: cannot start this "
                                   "process's writer; its requests are not "
                                   "recorded");
    }
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
