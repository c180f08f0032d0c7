/* ls_api_activity: GET .../shares/ID/activity?before=CURSOR&limit=N, one
 * page of a share's activity log, newest first, for its owner or a
 * LinkShareAdmin (others get the 404 of an unknown share): JSON, or CSV
 * when the client accepts text/csv. Not the recording
 * (ls_activity_log.c) nor the rows (ls_store_activity.c). */
#include "httpd.h"
#include "http_log.h"
#include "http_protocol.h"
#include "apr_strings.h"

#include "ls_activity.h"
#include "ls_api_int.h"
#include "ls_http.h"
#include "ls_query.h"
#include "ls_store.h"
#include "ls_tag.h"

APLOG_USE_MODULE(linkshare);

/* limit=N: 1 to LS_ACTIVITY_PAGE_MAX, digits only; 0 when malformed. */
static int read_limit(const char *v)
{
    int n = 0;

    if (v == NULL) {
        return LS_ACTIVITY_PAGE_DEFAULT;
    }
    if (*v == '\0' || strlen(v) > 4) {
        return 0;
    }
    for (; *v; v++) {
        if (*v < '0' || *v > '9') {
            return 0;
        }
        n = n * 10 + (*v - '0');
    }
    return n <= LS_ACTIVITY_PAGE_MAX ? n : 0;
}

/* Whether the client asked for CSV: text/csv in Accept (a client that
 * accepts both gets JSON only if it does not name CSV). */
static int wants_csv(request_rec *r)
{
    const char *a = apr_table_get(r->headers_in, "Accept");

    return a && ap_strcasestr(a, "text/csv") != NULL;
}

static int send_csv(ls_api_ctx *c, const ls_share_t *sh,
                    const apr_array_header_t *events, const char *next)
{
    request_rec *r = c->r;
    const char *body = ls_activity_csv(r->pool, events);

    ap_set_content_type(r, "text/csv; charset=utf-8");
    apr_table_setn(r->headers_out, "Content-Disposition",
                   apr_psprintf(r->pool,
                                "attachment; filename=\"activity-%s.csv\"",
                                sh->id));
    apr_table_setn(r->err_headers_out, "Cache-Control", "no-store");
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    if (next) {
        /* The cursor of the next page, where CSV has no room for it. */
        apr_table_setn(r->headers_out, "Link",
                       apr_psprintf(r->pool,
                                    "<%s/shares/%s/activity?before=%s>; "
                                    "rel=\"next\"",
                                    c->base, sh->id, next));
    }
    ap_set_content_length(r, strlen(body));
    if (!r->header_only) {
        ap_rputs(body, r);
    }
    return OK;
}

int ls_api_share_activity(ls_api_ctx *c, const char *id)
{
    request_rec *r = c->r;
    ls_share_t *sh;
    apr_array_header_t *events;
    const char *before = NULL, *lv = NULL, *next = NULL, *err = NULL;
    int limit;
    apr_status_t rv;

    if (r->method_number != M_GET) {
        return ls_api_method_not_allowed(c, "GET");
    }
    if (ls_api_share_visible(c, id, &sh) != OK) {
        return OK;
    }
    if (ls_query_get(r->pool, r->args, "before", &before) == APR_EINVAL
        || ls_query_get(r->pool, r->args, "limit", &lv) == APR_EINVAL) {
        return ls_api_bad_request(c, "The query string is malformed.");
    }
    if ((limit = read_limit(lv)) == 0) {
        return ls_api_bad_request(
            c, apr_psprintf(r->pool, "The limit must be a number from 1 to %d.",
                            LS_ACTIVITY_PAGE_MAX));
    }
    rv = ls_store_activity_page(c->store, r->pool, sh->id, before, limit,
                                &events, &next, &err);
    if (rv == APR_EINVAL) {
        return ls_api_bad_request(c, err);
    }
    if (rv != APR_SUCCESS) {
        return ls_api_store_failed(c, rv, err);
    }
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                  LS_TAG(00250) "user %s read %d activity event(s) of share "
                                "%s",
                         r->user, events->nelts, sh->id);
    if (wants_csv(r)) {
        return send_csv(c, sh, events, next);
    }
    return ls_http_json(r, HTTP_OK, ls_activity_json(r->pool, events, next));
}
