/* ls_notify: the listener for other nodes' changes (see ls_notify.h).
 * Glue unit: libpq directly, for LISTEN and the connection's socket. */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include <libpq-fe.h>

#include "httpd.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_proc.h"

#include "ls_cache.h"
#include "ls_config.h"
#include "ls_notify.h"
#include "ls_tag.h"
#include "ls_worker.h"

APLOG_USE_MODULE(linkshare);

#define LS_NOTIFY_POLL_MSECS 500 /* how often the stop flag is looked at */
#define LS_NOTIFY_RETRY_MAX  30  /* seconds between reconnects, at most */

typedef struct {
    server_rec *s;
    const char *conninfo;
    volatile sig_atomic_t *stop;
} notify_ctx;

/* Sleeps secs seconds unless asked to stop. */
static void nap(notify_ctx *n, int secs)
{
    int i;

    for (i = 0; i < secs * 1000 / LS_NOTIFY_POLL_MSECS && !*n->stop; i++) {
        apr_sleep(apr_time_from_msec(LS_NOTIFY_POLL_MSECS));
    }
}

/* A connection LISTENing on both channels, or NULL with *why. */
static PGconn *listen_conn(notify_ctx *n, const char **why, apr_pool_t *p)
{
    PGconn *conn = PQconnectdb(n->conninfo);
    PGresult *res;

    if (PQstatus(conn) != CONNECTION_OK) {
        *why = apr_pstrdup(p, PQerrorMessage(conn));
        PQfinish(conn);
        return NULL;
    }
    res = PQexec(conn, "LISTEN linkshare_share; LISTEN linkshare_work");
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        *why = apr_pstrdup(p, PQerrorMessage(conn));
        PQclear(res);
        PQfinish(conn);
        return NULL;
    }
    PQclear(res);
    return conn;
}

/* Until the connection fails or the worker stops: each notification
 * acted on as soon as it arrives. 0 when asked to stop. */
static int hear(notify_ctx *n, PGconn *conn)
{
    struct pollfd pfd;
    PGnotify *note;

    pfd.fd = PQsocket(conn);
    pfd.events = POLLIN;
    while (!*n->stop) {
        int shares = 0, work = 0;
        pfd.revents = 0;
        if (poll(&pfd, 1, LS_NOTIFY_POLL_MSECS) < 0 && errno != EINTR) {
            return 1;
        }
        if (!(pfd.revents & (POLLIN | POLLERR | POLLHUP))) {
            continue;
        }
        if (!PQconsumeInput(conn)) {
            return 1; /* lost: reconnect */
        }
        while ((note = PQnotifies(conn)) != NULL) {
            if (strcmp(note->relname, "linkshare_share") == 0) {
                shares = 1;
            }
            else {
                work = 1;
            }
            PQfreemem(note);
        }
        if (shares) {
            ls_cache_invalidate();
        }
        if (work) {
            ls_worker_wake();
        }
    }
    return 0;
}

static void *APR_THREAD_FUNC listener(apr_thread_t *t, void *data)
{
    notify_ctx *n = data;
    apr_pool_t *p;
    int down = 0, wait = 1;

    apr_pool_create(&p, NULL);
    while (!*n->stop) {
        const char *why = NULL;
        PGconn *conn;

        apr_pool_clear(p);
        conn = listen_conn(n, &why, p);
        if (conn == NULL) {
            if (!down) {
                ap_log_error(APLOG_MARK, APLOG_WARNING, 0, n->s,
                             LS_TAG(00360) "cannot listen for other nodes' "
                                           "changes (%s); until then they "
                                           "take effect within "
                                           "LinkShareCacheTTL",
                                    why ? why : "no reason given");
                down = 1;
            }
            nap(n, wait);
            wait = wait * 2 > LS_NOTIFY_RETRY_MAX ? LS_NOTIFY_RETRY_MAX
                                                  : wait * 2;
            continue;
        }
        /* Whatever was announced while no one listened. */
        ls_cache_invalidate();
        ls_worker_wake();
        if (down) {
            ap_log_error(APLOG_MARK, APLOG_NOTICE, 0, n->s,
                         LS_TAG(00361) "listening for other nodes' changes "
                                       "again");
            down = 0;
        }
        else {
            ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, n->s,
                         LS_TAG(00362) "listening for other nodes' changes");
        }
        wait = 1;
        if (hear(n, conn) && !*n->stop) {
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, n->s,
                         LS_TAG(00363) "the connection that listens for other "
                                       "nodes' changes was lost (%s); "
                                       "reconnecting",
                                apr_pstrdup(p, PQerrorMessage(conn)));
            down = 1;
        }
        PQfinish(conn);
    }
    apr_pool_destroy(p);
    apr_thread_exit(t, APR_SUCCESS);
    return NULL;
}

void ls_notify_start(server_rec *s, apr_pool_t *pool,
                     volatile sig_atomic_t *stop)
{
    ls_server_conf *sc = ls_config_get(s);
    notify_ctx *n;
    apr_threadattr_t *attr;
    apr_thread_t *t;
    apr_status_t rv;

    if (strcmp(sc->db_driver, "pgsql") != 0) {
        return;
    }
    n = apr_pcalloc(pool, sizeof(*n));
    n->s = s;
    n->conninfo = sc->db_params;
    n->stop = stop;
    apr_threadattr_create(&attr, pool);
    apr_threadattr_detach_set(attr, 1);
    rv = apr_thread_create(&t, attr, listener, n, pool);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, rv, s,
                     LS_TAG(00364) "cannot start the thread that listens for "
                                   "other nodes' changes; they take effect "
                                   "within LinkShareCacheTTL");
    }
}
