/* ls_throttle: LinkShareGuessLimit on the public URLs (see ls_throttle.h
 * and, for the shared table, ls_throttle_table.h). */
#include <string.h>

#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"
#include "apr_shm.h"
#include "apr_strings.h"

#include "ls_config.h"
#include "ls_html.h"
#include "ls_tag.h"
#include "ls_text.h"
#include "ls_http.h"
#include "ls_query.h"
#include "ls_throttle.h"
#include "ls_throttle_table.h"

APLOG_USE_MODULE(linkshare);

/* 8192 clients with a live window; 16 bytes each. Past that the oldest
 * windows are forgotten first (ls_throttle_table.h). */
#define LS_THROTTLE_SLOTS 8192

static ls_throttle_table_t *table; /* in shared memory; NULL: off */

int ls_throttle_post_config(apr_pool_t *pconf, server_rec *s)
{
    apr_size_t size = ls_throttle_table_size(LS_THROTTLE_SLOTS);
    apr_uint64_t seed = 0;
    apr_shm_t *shm;
    apr_status_t rv;

    table = NULL;
    rv = apr_shm_create(&shm, size, NULL, pconf);
    if (rv == APR_SUCCESS) {
        rv = apr_generate_random_bytes((unsigned char *)&seed, sizeof(seed));
    }
    if (rv != APR_SUCCESS) {
        ap_log_error(
            APLOG_MARK, APLOG_EMERG, rv, s,
            LS_TAG(00050) "LinkShareGuessLimit: cannot set up its table "
                          "of clients (%" APR_SIZE_T_FMT " bytes of anonymous "
                          "shared memory)",
                   size);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    table = ls_throttle_table_init(apr_shm_baseaddr_get(shm), LS_THROTTLE_SLOTS,
                                   seed);
    return OK;
}

/* The client: an IPv4 address (IPv4-mapped IPv6 included), the /64 of an
 * IPv6 address, else the address text. */
static apr_uint64_t client_key(const request_rec *r)
{
    const apr_sockaddr_t *a = r->useragent_addr;
    unsigned char b[9];

    if (a && a->family == APR_INET) {
        b[0] = 4;
        memcpy(b + 1, &a->sa.sin.sin_addr, 4);
        return ls_throttle_table_key(table, b, 5);
    }
#if APR_HAVE_IPV6
    if (a && a->family == APR_INET6) {
        const unsigned char *v6 = (const unsigned char *)&a->sa.sin6.sin6_addr;
        static const unsigned char mapped[12] = {0, 0, 0, 0, 0,    0,
                                                 0, 0, 0, 0, 0xff, 0xff};
        if (memcmp(v6, mapped, 12) == 0) {
            b[0] = 4;
            memcpy(b + 1, v6 + 12, 4);
            return ls_throttle_table_key(table, b, 5);
        }
        b[0] = 6;
        memcpy(b + 1, v6, 8);
        return ls_throttle_table_key(table, b, 9);
    }
#endif
    return ls_throttle_table_key(table, r->useragent_ip ? r->useragent_ip : "",
                                 r->useragent_ip ? strlen(r->useragent_ip) : 0);
}

/* The page's script (op=inbox, queue and cancel by fetch) reads JSON; a
 * browser that navigates or posts a form gets a page. */
static int wants_json(request_rec *r)
{
    const char *op = NULL, *accept = apr_table_get(r->headers_in, "Accept");

    return ls_query_get(r->pool, r->args, "op", &op) == APR_SUCCESS
           && (!strcmp(op, "inbox") || !strcmp(op, "events")
               || !strcmp(op, "queue") || !strcmp(op, "cancel")
               || !strcmp(op, "remove"))
           && !(accept && strstr(accept, "text/html"));
}

int ls_throttle_blocked(request_rec *r)
{
    ls_server_conf *sc = ls_config_get(r->server);
    apr_int64_t now = apr_time_sec(r->request_time), retry = 0;
    const char *why;
    int first = 0;

    if (table == NULL
        || !ls_throttle_table_blocked(table, client_key(r), now,
                                      sc->guess_window, sc->guess_limit, &retry,
                                      &first)) {
        return OK;
    }
    if (first) {
        ap_log_rerror(
            APLOG_MARK, APLOG_WARNING, 0, r,
            LS_TAG(00160) "client %s tried %d links that do not exist "
                          "within %" APR_INT64_T_FMT "s (LinkShareGuessLimit); "
                          "its unknown links answer 429 for %" APR_INT64_T_FMT
                          "s (logged once per window)",
                   r->useragent_ip, sc->guess_limit, sc->guess_window, retry);
    }
    ls_http_public_headers(r, NULL);
    apr_table_setn(r->err_headers_out, "Retry-After",
                   apr_psprintf(r->pool, "%" APR_INT64_T_FMT, retry));
    why = ls_textf(r->pool,
                   "Too many links that do not work were tried from "
                   "your address. Wait %" APR_INT64_T_FMT " seconds, "
                   "then check that you copied the whole link.",
                   retry);
    if (wants_json(r)) {
        ls_http_json_error(r, HTTP_TOO_MANY_REQUESTS, why);
    }
    else {
        ls_view_message_t *m = ls_view_message_new(
            r->pool, ls_text("Too many attempts"));
        m->kind = LS_MSG_WAIT;
        ls_html_message(
            r, HTTP_TOO_MANY_REQUESTS,
            ls_view_message_add(
                ls_view_message_add(m, why),
                ls_text("Links that work keep working meanwhile.")));
    }
    return DONE;
}

void ls_throttle_miss(request_rec *r)
{
    ls_server_conf *sc = ls_config_get(r->server);

    if (table) {
        ls_throttle_table_miss(table, client_key(r),
                               apr_time_sec(r->request_time), sc->guess_window);
    }
}

int ls_throttle_blocked_clients(server_rec *s)
{
    ls_server_conf *sc = ls_config_get(s);

    return table ? ls_throttle_table_blocked_count(
               table, apr_time_sec(apr_time_now()), sc->guess_window,
               sc->guess_limit)
                 : 0;
}
