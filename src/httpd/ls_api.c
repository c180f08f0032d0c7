/* ls_api: the sharer's JSON API (see ls_api.h and API.md): the entry,
 * the routes, the answers and checks every resource shares; the resources
 * are ls_api_shares, ls_api_collections and ls_api_browse. Routes are
 * the path below the API's own <Location> ("/shares", "/shares/ID",
 * "/shares/ID/resend", "/shares/ID/recipients", "/shares/ID/activity",
 * "/collections", "/collections/ID", "/assets",
 * "/settings", "/recipients"), so the admin may mount the API anywhere;
 * anything else is 404 before anything is read or written. */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_strings.h"

#include "ls_access.h"
#include "ls_api.h"
#include "ls_api_int.h"
#include "ls_apireq.h"
#include "ls_authz.h"
#include "ls_http.h"
#include "ls_mime.h"
#include "ls_path.h"
#include "ls_proc.h"
#include "ls_tag.h"

APLOG_USE_MODULE(linkshare);

/* ---- JSON out ---- */

int ls_api_asset_exists(ls_api_ctx *c, const char *path, int *is_dir)
{
    const char *real;
    apr_finfo_t fi;

    if (ls_path_confine(c->r->pool, c->sc->asset_real,
                        ls_path_join(c->r->pool, c->sc->asset_real, path),
                        &real)
            != APR_SUCCESS
        || apr_stat(&fi, real, APR_FINFO_TYPE, c->r->pool) != APR_SUCCESS
        || (fi.filetype != APR_REG && fi.filetype != APR_DIR)) {
        return 0;
    }
    *is_dir = fi.filetype == APR_DIR;
    return 1;
}

/* ---- errors ---- */

int ls_api_store_failed(ls_api_ctx *c, apr_status_t rv, const char *err)
{
    ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, c->r,
                  LS_TAG(00200) "store failure in the sharer API: %s",
                         err ? err : "");
    apr_table_setn(c->r->err_headers_out, "Retry-After", "60");
    return ls_http_json_error(c->r, HTTP_SERVICE_UNAVAILABLE,
                              "The share database is not available right "
                              "now; please try again in a minute.");
}

int ls_api_bad_request(ls_api_ctx *c, const char *why)
{
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, c->r,
                  LS_TAG(00201) "sharer API request refused: %s", why);
    return ls_http_json_error(c->r, HTTP_BAD_REQUEST, why);
}

int ls_api_method_not_allowed(ls_api_ctx *c, const char *allow)
{
    apr_table_setn(c->r->err_headers_out, "Allow", allow);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, c->r,
                  LS_TAG(00202) "method %s not allowed here", c->r->method);
    return ls_http_json_error(c->r, HTTP_METHOD_NOT_ALLOWED,
                              apr_psprintf(c->r->pool, "Use %s here.", allow));
}

/* Reads a JSON body. OK, or DONE after answering the client. */
int ls_api_read_json(ls_api_ctx *c, const char **body, apr_size_t *len)
{
    const char *ct = apr_table_get(c->r->headers_in, "Content-Type");
    int status;

    if (!ls_mime_type_is(ct, "application/json")) {
        ap_log_rerror(
            APLOG_MARK, APLOG_INFO, 0, c->r,
            LS_TAG(00203) "request body is not JSON (Content-Type %s)",
                   ct ? ct : "absent");
        ls_http_json_error(c->r, HTTP_UNSUPPORTED_MEDIA_TYPE,
                           "Send the request body as JSON with "
                           "Content-Type: application/json.");
        return DONE;
    }
    if (ls_http_read_body(c->r, LS_API_MAX_BODY, body, len, &status)) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, c->r,
                      LS_TAG(00204) "request body too large or unreadable");
        ls_http_json_error(c->r, status,
                           status == HTTP_REQUEST_ENTITY_TOO_LARGE
                               ? "The request body is too large."
                               : "The request body could not be read.");
        return DONE;
    }
    return OK;
}

/* ---- permission ---- */

/* May the caller read this asset? httpd decides (ls_authz: a subrequest
 * for its URL on this site, as this user). HTTP_OK when allowed, else
 * HTTP_FORBIDDEN. */
int ls_api_may_read(ls_api_ctx *c, const char *path, int is_dir)
{
    return ls_authz_may_read(c->r, c->r->user, path, is_dir) ? HTTP_OK
                                                             : HTTP_FORBIDDEN;
}

/* A path to share: 0 with *kind when the caller may read it and it
 * exists, else an HTTP status with *why. */
int ls_api_check_asset(ls_api_ctx *c, const char *field, int idx,
                       const char *path, const char **kind, const char **why)
{
    int is_dir = 0, exists = ls_api_asset_exists(c, path, &is_dir);
    int status = ls_api_may_read(c, path, is_dir);

    /* Permission first, so a refusal says nothing about existence. */
    if (status != HTTP_OK) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, c->r,
                      LS_TAG(00205) "user %s may not read asset %s (subrequest "
                                    "answered %d)",
                             c->r->user, path, status);
        *why = apr_psprintf(c->r->pool,
                            "Field \"%s\", entry %d: you do not have access "
                            "to \"%s\".",
                            field, idx, path);
        return HTTP_FORBIDDEN;
    }
    if (!exists) {
        *why = apr_psprintf(c->r->pool,
                            "Field \"%s\", entry %d: there is no file or "
                            "folder \"%s\".",
                            field, idx, path);
        return HTTP_BAD_REQUEST;
    }
    *kind = is_dir ? "folder" : "file";
    return 0;
}

/* The read-only resources: GET (and HEAD) only. */
static int get_only(ls_api_ctx *c, int (*fn)(ls_api_ctx *))
{
    return c->r->method_number == M_GET ? fn(c)
                                        : ls_api_method_not_allowed(c, "GET");
}

/* ---- entry ---- */

/* Where this API is mounted: the path of the <Location> (or the match of
 * the <LocationMatch>) whose SetHandler is linkshare-api and which covers
 * r->uri, the longest when several do. NULL when the handler was set some
 * other way (<Directory>, <Files>, <If>): then no route can be trusted. */
static const char *api_base(request_rec *r)
{
    core_server_config *sconf = ap_get_core_module_config(
        r->server->module_config);
    const char *best = NULL;
    apr_size_t best_len = 0;
    int i;

    for (i = 0; sconf->sec_url && i < sconf->sec_url->nelts; i++) {
        ap_conf_vector_t *v = APR_ARRAY_IDX(sconf->sec_url, i,
                                            ap_conf_vector_t *);
        core_dir_config *d = ap_get_core_module_config(v);
        const char *h, *err = NULL;
        apr_size_t len;
        ap_regmatch_t m[1];

        if (d == NULL || d->expr_handler == NULL || d->d == NULL) {
            continue;
        }
        h = ap_expr_str_exec(r, d->expr_handler, &err);
        if (err || h == NULL || strcasecmp(h, "linkshare-api") != 0) {
            continue;
        }
        if (d->r) {
            if (ap_regexec(d->r, r->uri, 1, m, 0) != 0) {
                continue;
            }
            len = (apr_size_t)m[0].rm_eo;
        }
        else if (d->d_is_fnmatch) {
            continue;
        }
        else {
            len = strlen(d->d);
            /* As httpd matches a <Location>: whole segments only. */
            if (strncmp(r->uri, d->d, len) != 0
                || (len && d->d[len - 1] != '/' && r->uri[len] != '/'
                    && r->uri[len] != '\0')) {
                continue;
            }
        }
        while (len > 0 && r->uri[len - 1] == '/') {
            len--;
        }
        if (best == NULL || len > best_len) {
            best = apr_pstrmemdup(r->pool, r->uri, len);
            best_len = len;
        }
    }
    return best;
}

/* The route: the path below the API's own Location, split into at most
 * four segments (a trailing '/' is dropped). 0 when it is not a route's
 * shape at all (empty or "." segments, more segments). */
static int api_route(request_rec *r, const char *base, char **seg, int *n)
{
    char *rest = apr_pstrdup(r->pool, r->uri + strlen(base)), *p, *last;
    apr_size_t len = strlen(rest);

    *n = 0;
    while (len > 0 && rest[len - 1] == '/') {
        rest[--len] = '\0';
    }
    if (*rest != '/') {
        return 0;
    }
    for (p = rest + 1;; p = last + 1) {
        last = strchr(p, '/');
        if (last) {
            *last = '\0';
        }
        if (*p == '\0' || *n == 3) {
            return 0;
        }
        seg[(*n)++] = p;
        if (last == NULL) {
            return 1;
        }
    }
}

/* httpd's error log escapes control characters in the message itself. */
static int no_route(ls_api_ctx *c, const char *why)
{
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, c->r,
                  LS_TAG(00220) "no such API resource: %s (%s)", c->r->uri,
                         why);
    return ls_http_json_error(c->r, HTTP_NOT_FOUND,
                              "No such API resource: use .../shares, "
                              ".../collections, .../assets, .../settings "
                              "or .../recipients.");
}

int ls_api_handler(request_rec *r)
{
    ls_api_ctx c;
    char *seg[3];
    int n = 0;

    if (ls_access_kind(r) != LS_KIND_API) {
        return DECLINED;
    }
    memset(&c, 0, sizeof(c));
    c.r = r;
    c.sc = ls_config_get(r->server);
    c.store = ls_proc_store();
    c.now = apr_time_sec(r->request_time);
    apr_table_setn(r->err_headers_out, "Cache-Control", "no-store");
    if (r->user == NULL || *r->user == '\0') {
        ap_log_rerror(
            APLOG_MARK, APLOG_ERR, 0, r,
            LS_TAG(00211) "the sharer API is reachable without "
                          "authentication; protect its Location with AuthType "
                          "and Require");
        return ls_http_json_error(r, HTTP_FORBIDDEN,
                                  "The sharer API needs a signed-in user.");
    }
    if (c.sc->asset_real == NULL) {
        ap_log_rerror(
            APLOG_MARK, APLOG_ERR, 0, r,
            LS_TAG(00111) "%s is mapped here but LinkShareAssetRoot is "
                          "not set for this server",
                   r->handler);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    /* Routes are read below the API's own Location, never from the end
     * of whatever URI arrived: ".../x%0d%0a.../shares" is no route. */
    if ((c.base = api_base(r)) == NULL) {
        ap_log_rerror(
            APLOG_MARK, APLOG_ERR, 0, r,
            LS_TAG(00221) "linkshare-api is not set by a <Location> "
                          "or <LocationMatch> covering %s; mount the API with "
                          "SetHandler in one",
                   r->uri);
        return no_route(&c, "the API's Location is unknown");
    }
    if (!api_route(r, c.base, seg, &n)) {
        return no_route(&c, "not a route");
    }
    if (c.store == NULL) {
        return ls_api_store_failed(&c, APR_EGENERAL,
                                   "no store in this process");
    }
    c.admin = ls_config_is_admin(c.sc, r->user);

    if (n == 1 && strcmp(seg[0], "shares") == 0) {
        return ls_api_shares(&c);
    }
    if (n == 1 && strcmp(seg[0], "collections") == 0) {
        return ls_api_collections(&c);
    }
    if (n == 1 && strcmp(seg[0], "assets") == 0) {
        return get_only(&c, ls_api_assets);
    }
    if (n == 1 && strcmp(seg[0], "settings") == 0) {
        return get_only(&c, ls_api_settings);
    }
    if (n == 1 && strcmp(seg[0], "recipients") == 0) {
        return get_only(&c, ls_api_recipients);
    }
    if (n == 2 && strcmp(seg[0], "shares") == 0) {
        return ls_api_share(&c, seg[1]);
    }
    if (n == 3 && strcmp(seg[0], "shares") == 0
        && strcmp(seg[2], "resend") == 0) {
        return ls_api_share_resend(&c, seg[1]);
    }
    if (n == 3 && strcmp(seg[0], "shares") == 0
        && strcmp(seg[2], "recipients") == 0) {
        return ls_api_share_mail(&c, seg[1]);
    }
    if (n == 3 && strcmp(seg[0], "shares") == 0
        && strcmp(seg[2], "activity") == 0) {
        return ls_api_share_activity(&c, seg[1]);
    }
    if (n == 2 && strcmp(seg[0], "collections") == 0) {
        return ls_api_collection(&c, seg[1]);
    }
    return no_route(&c, "not a route");
}
