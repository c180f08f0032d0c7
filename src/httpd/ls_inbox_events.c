/* ls_inbox_events: op=events, the Download Inbox's progress pushed to the
 * page as server-sent events (text/event-stream).
 *
 * A stream holds one worker thread of the event MPM for as long as it is
 * open, so it is bounded three ways: it lasts LinkShareEventStream's
 * DURATION (then the browser's EventSource reconnects by itself), one
 * process serves at most STREAMS of them (never more than half its
 * threads; the rest answer 503 and the page polls op=inbox instead), and
 * it ends as soon as the client goes away (a closed socket is seen within
 * a tick) or httpd stops.
 *
 * What it watches: the shared-memory progress table (ls_progress), every
 * TICK; the store is read only when a worker wrote its slot (a job
 * started, moved on or ended) and every RECHECK in any case (jobs run by
 * another host, a cancel from another tab). The share itself is read
 * again every RECHECK too: a link revoked or expired while the page is
 * open ends the stream with an event that says so. */
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "ap_mpm.h"
#include "apr_atomic.h"
#include "apr_portable.h"
#include "apr_strings.h"

#include "ls_config.h"
#include "ls_http.h"
#include "ls_inbox.h"
#include "ls_inbox_int.h"
#include "ls_proc.h"
#include "ls_progress.h"
#include "ls_tag.h"
#include "ls_text.h"
#include "ls_token.h"

APLOG_USE_MODULE(linkshare);

#define TICK      apr_time_from_msec(25)  /* the progress table is looked at */
#define MIN_READ  apr_time_from_msec(100) /* the store at most this often */
#define RECHECK   apr_time_from_sec(2)    /* the store is read in any case */
#define HEARTBEAT apr_time_from_sec(15)   /* a comment keeps proxies open */
#define RETRY_MS  1000                    /* the browser's reconnect delay */

static apr_uint32_t streams; /* open in this process */

/* How many streams this process may hold: the directive's, but never
 * more than half the process's threads (the pages need the others). */
static int stream_cap(request_rec *r)
{
    int threads = 0, cap = ls_config_get(r->server)->events_streams;

    if (ap_mpm_query(AP_MPMQ_MAX_THREADS, &threads) == APR_SUCCESS
        && threads > 1 && cap > threads / 2) {
        cap = threads / 2;
    }
    return cap;
}

static int stopping(void)
{
    int state = AP_MPMQ_RUNNING;

    return ap_mpm_query(AP_MPMQ_MPM_STATE, &state) == APR_SUCCESS
           && state == AP_MPMQ_STOPPING;
}

/* Has the client closed the connection? A stream's client sends nothing
 * after its request, so a readable socket with nothing to read is a
 * close: the thread is free again within a tick, not at the next write.
 * (Over TLS a close_notify reads as data: the next write notices.) */
static int client_gone(conn_rec *c)
{
    apr_socket_t *sock = ap_get_conn_socket(c);
    apr_os_sock_t fd;
    struct pollfd pfd;
    char b;
    ssize_t n;

    if (c->aborted) {
        return 1;
    }
    if (sock == NULL || apr_os_sock_get(&fd, sock) != APR_SUCCESS) {
        return 0;
    }
    pfd.fd = fd;
    pfd.events = POLLIN;
    pfd.revents = 0;
    if (poll(&pfd, 1, 0) <= 0) {
        return 0;
    }
    if (pfd.revents & (POLLHUP | POLLERR)) {
        return 1;
    }
    n = recv(fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

/* Writes one event and flushes it; nonzero when the client is gone. */
static int send_event(request_rec *r, const char *event, const char *data)
{
    if (event) {
        ap_rvputs(r, "event: ", event, "\n", NULL);
    }
    if (data) {
        ap_rvputs(r, "data: ", data, "\n", NULL);
    }
    ap_rputs("\n", r);
    return ap_rflush(r) < 0 || r->connection->aborted;
}

/* o as compact JSON on one line, in p; o's reference is taken. */
static char *dump(apr_pool_t *p, json_t *o)
{
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    char *copy = s ? apr_pstrdup(p, s) : NULL;

    free(s);
    json_decref(o);
    return copy;
}

/* This browser's jobs as {"jobs": [...]} (compact, one line), in p;
 * NULL when the store failed. */
static char *jobs_json(request_rec *r, const ls_req_t *req, apr_pool_t *p,
                       const char *browser)
{
    apr_array_header_t *jobs;
    apr_pool_t *rp = r->pool;
    const char *err = NULL;
    json_t *arr;
    int i;

    if (browser == NULL) {
        return apr_pstrdup(p, "{\"jobs\":[]}");
    }
    if (ls_store_job_list(ls_proc_store(), p, req->share->id, browser, &jobs,
                          &err)
        != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      LS_TAG(00541) "share %s: event stream cannot read the "
                                    "jobs: %s",
                             req->share->id, err ? err : "");
        return NULL;
    }
    /* The job JSON allocates from r->pool; a stream lives for a minute, so
     * it borrows the per-round pool instead and gives r->pool back. */
    r->pool = p;
    arr = json_array();
    for (i = 0; i < jobs->nelts; i++) {
        json_array_append_new(
            arr, ls_inbox_job_json(r, req, APR_ARRAY_IDX(jobs, i, ls_job_t *)));
    }
    r->pool = rp;
    return dump(p, json_pack("{s:o}", "jobs", arr));
}

/* The share again, from the store (not the cache): NULL while it works,
 * else the sentence the page shows. */
static const char *share_gone(const ls_req_t *req, apr_pool_t *p)
{
    char hash[LS_HASH_HEX_LEN + 1];
    ls_share_t *sh = NULL;
    const char *err = NULL;
    apr_status_t rv;

    ls_token_hash(req->token, hash);
    rv = ls_store_share_by_hash(ls_proc_store(), p, hash, &sh, &err);
    if (rv == APR_NOTFOUND || (rv == APR_SUCCESS && sh->revoked)) {
        return ls_text("This link was withdrawn by the person who shared "
                       "it, so its files can no longer be downloaded.");
    }
    if (rv == APR_SUCCESS && sh->expires <= apr_time_sec(apr_time_now())) {
        return ls_text("This link has expired, so its files can no longer "
                       "be downloaded.");
    }
    return NULL; /* works, or the store is down: the jobs say so */
}

int ls_inbox_events(request_rec *r, ls_req_t *req)
{
    ls_server_conf *sc = ls_config_get(r->server);
    const char *browser, *gone;
    apr_time_t start = apr_time_now(), now, last_read = 0, last_write;
    apr_time_t last_share = start;
    apr_time_t end = start + apr_time_from_sec(sc->events_seconds);
    apr_uint32_t gen, seen;
    apr_pool_t *round;
    char *last = NULL, *cur;
    int cap = stream_cap(r);

    if (r->method_number != M_GET) {
        r->allowed = (AP_METHOD_BIT << M_GET);
        return HTTP_METHOD_NOT_ALLOWED;
    }
    if ((int)apr_atomic_inc32(&streams) >= cap) {
        apr_atomic_dec32(&streams);
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      LS_TAG(00540) "share %s: event stream refused: this "
                                    "process already serves %d "
                                    "(LinkShareEventStream)",
                             req->share->id, cap);
        apr_table_setn(r->err_headers_out, "Retry-After", "30");
        apr_table_setn(r->err_headers_out, "Cache-Control", "no-store");
        return ls_http_json_error(
            r, HTTP_SERVICE_UNAVAILABLE,
            ls_text("Progress cannot be pushed right now; ask op=inbox "
                    "instead."));
    }
    /* A first visit has no browser id yet: make it here, so the stream
     * already watches the jobs this page is about to queue (the queue
     * request carries the cookie this answer sets). */
    browser = ls_inbox_browser(r, 1);
    ap_set_content_type(r, "text/event-stream; charset=utf-8");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    apr_table_setn(r->headers_out, "X-Accel-Buffering", "no");
    apr_table_setn(r->subprocess_env, "no-gzip", "1"); /* mod_deflate */
    apr_pool_create(&round, r->pool);
    apr_pool_tag(round, "ls_events");

    last_write = start;
    seen = ls_progress_generation() - 1; /* read the store at once */
    ap_rprintf(r, "retry: %d\n\n", RETRY_MS);
    for (;;) {
        now = apr_time_now();
        gen = ls_progress_generation();
        if ((gen != seen && now - last_read >= MIN_READ)
            || now - last_read >= RECHECK) {
            apr_pool_clear(round);
            /* Its own clock: a busy worker's progress makes the store
             * reads above frequent, and the share must be looked at even
             * so. */
            if (now - last_share >= RECHECK
                && (last_share = now, gone = share_gone(req, round)) != NULL) {
                ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                              LS_TAG(00542) "share %s: event stream ends: "
                                            "the link is no longer valid",
                                     req->share->id);
                send_event(r, "gone",
                           dump(round, json_pack("{s:s}", "error", gone)));
                break;
            }
            seen = gen;
            last_read = now;
            cur = jobs_json(r, req, round, browser);
            if (cur && (last == NULL || strcmp(cur, last) != 0)) {
                free(last);
                last = strdup(cur);
                if (send_event(r, "jobs", cur)) {
                    break;
                }
                last_write = now;
            }
        }
        if (now - last_write >= HEARTBEAT) {
            ap_rputs(": still here\n\n", r);
            if (ap_rflush(r) < 0 || r->connection->aborted) {
                break;
            }
            last_write = now;
        }
        if (client_gone(r->connection)) {
            break;
        }
        if (now >= end || stopping()) {
            /* The browser reconnects after RETRY_MS by itself. */
            send_event(r, "bye", "{}");
            break;
        }
        apr_sleep(TICK);
    }
    free(last);
    apr_pool_destroy(round);
    apr_atomic_dec32(&streams);
    return OK;
}
