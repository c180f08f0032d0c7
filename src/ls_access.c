/* ls_access: token check and log hygiene for the public URLs (see
 * ls_access.h). */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_strings.h"

#include "ls_access.h"
#include "ls_cache.h"
#include "ls_config.h"
#include "ls_http.h"
#include "ls_proc.h"
#include "ls_query.h"
#include "ls_throttle.h"
#include "ls_token.h"

APLOG_USE_MODULE(linkshare);

extern module AP_MODULE_DECLARE_DATA linkshare_module;

ls_kind_t ls_access_kind(const request_rec *r)
{
    if (r->handler == NULL || strncmp(r->handler, "linkshare-", 10) != 0) {
        return LS_KIND_NONE;
    }
    if (strcmp(r->handler + 10, "page") == 0) {
        return LS_KIND_PAGE;
    }
    if (strcmp(r->handler + 10, "preview") == 0) {
        return LS_KIND_PREVIEW;
    }
    if (strcmp(r->handler + 10, "expired") == 0) {
        return LS_KIND_EXPIRED;
    }
    if (strcmp(r->handler + 10, "api") == 0) {
        return LS_KIND_API;
    }
    if (strcmp(r->handler + 10, "sharer") == 0) {
        return LS_KIND_SHARER;
    }
    if (strcmp(r->handler + 10, "links") == 0) {
        return LS_KIND_LINKS;
    }
    return LS_KIND_NONE;
}

ls_req_t *ls_access_req(const request_rec *r)
{
    return ap_get_module_config(r->request_config, &linkshare_module);
}

/* Replaces the token wherever httpd or a later module could log it: the
 * request line (%r), the query (%q), the unparsed URI. What remains
 * ("sh=REDACTED:<share id>") still lets an admin tell links apart. */
static void redact(request_rec *r, const char *share_id)
{
    const char *repl = share_id
                           ? apr_pstrcat(r->pool, "REDACTED:", share_id, NULL)
                           : "REDACTED";

    r->the_request = (char *)ls_query_redact(r->pool, r->the_request, "sh",
                                             repl);
    r->unparsed_uri = (char *)ls_query_redact(r->pool, r->unparsed_uri, "sh",
                                              repl);
    r->args = (char *)ls_query_redact(r->pool, r->args, "sh", repl);
    r->parsed_uri.query = r->args;
}

/* Finds the share for a well-formed token: the cache first, the store on
 * a miss. APR_NOTFOUND, or a store failure with *err. */
static apr_status_t find_share(request_rec *r, const char *hash,
                               ls_share_t **out, const char **err)
{
    apr_int64_t now = apr_time_sec(r->request_time);
    ls_store *st = ls_proc_store();
    apr_uint32_t gen;
    apr_status_t rv;

    if ((*out = ls_cache_get(r->pool, hash, now)) != NULL) {
        return APR_SUCCESS;
    }
    if (st == NULL) {
        *err = "the store is not available in this process";
        return APR_EGENERAL;
    }
    /* Take the generation before the query: a change racing with it
     * then makes the entry stale rather than hiding the change. */
    gen = ls_cache_generation();
    rv = ls_store_share_by_hash(st, r->pool, hash, out, err);
    if (rv == APR_SUCCESS) {
        ls_cache_put(hash, *out, gen, now);
    }
    return rv;
}

/* POST is for the page's own writes only: queue and cancel. */
static int post_allowed(request_rec *r, ls_kind_t kind)
{
    const char *op = NULL;

    if (r->method_number != M_POST || kind != LS_KIND_PAGE
        || ls_query_get(r->pool, r->args, "op", &op) != APR_SUCCESS) {
        return 0;
    }
    if (strcmp(op, "queue") == 0 || strcmp(op, "cancel") == 0) {
        r->allowed |= (AP_METHOD_BIT << M_POST);
        return 1;
    }
    return 0;
}

int ls_access_fixups(request_rec *r)
{
    ls_kind_t kind = ls_access_kind(r);
    ls_req_t *req;
    const char *token = NULL, *err = NULL;
    char hash[LS_HASH_HEX_LEN + 1];
    apr_int64_t now = apr_time_sec(r->request_time);
    apr_status_t rv;
    int blocked;

    /* The sharer's URLs are signed in and carry no token. */
    if (kind == LS_KIND_NONE || kind == LS_KIND_API || kind == LS_KIND_SHARER
        || kind == LS_KIND_LINKS) {
        return DECLINED;
    }
    req = apr_pcalloc(r->pool, sizeof(*req));
    req->kind = kind;
    req->verdict = OK;
    ap_set_module_config(r->request_config, &linkshare_module, req);

    rv = ls_query_get(r->pool, r->args, "sh", &token);
    if (rv == APR_SUCCESS && ls_token_well_formed(token)) {
        ls_token_hash(token, hash);
        req->token = token;
    }
    else {
        token = NULL;
    }
    redact(r, NULL);

    if (r->method_number != M_GET && !post_allowed(r, kind)) {
        r->allowed = (AP_METHOD_BIT << M_GET);
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "LS00100: method %s refused on a public URL", r->method);
        return HTTP_METHOD_NOT_ALLOWED;
    }
    if (kind == LS_KIND_EXPIRED) {
        return OK;
    }
    if (token == NULL) {
        if ((blocked = ls_throttle_blocked(r)) != OK) {
            return blocked; /* 429 answered: LinkShareGuessLimit */
        }
        ls_throttle_miss(r);
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      rv == APR_NOTFOUND ? "LS00101: request without a share "
                                           "token"
                                         : "LS00102: malformed share token");
        req->verdict = HTTP_NOT_FOUND;
        return OK;
    }
    rv = find_share(r, hash, &req->share, &err);
    if (rv == APR_NOTFOUND) {
        if ((blocked = ls_throttle_blocked(r)) != OK) {
            return blocked; /* 429 answered: LinkShareGuessLimit */
        }
        ls_throttle_miss(r);
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "LS00103: unknown share token (hash prefix %.8s)", hash);
        req->verdict = HTTP_NOT_FOUND;
        return OK;
    }
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      "LS00104: store unavailable while checking a share "
                      "link: %s",
                      err ? err : "");
        req->verdict = HTTP_SERVICE_UNAVAILABLE;
        return OK;
    }
    redact(r, req->share->id);
    if (req->share->revoked) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "LS00105: share %s was revoked", req->share->id);
        req->verdict = HTTP_GONE;
    }
    else if (req->share->expires <= now) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "LS00106: share %s has expired", req->share->id);
        req->verdict = HTTP_GONE;
    }
    return OK;
}

int ls_access_redact(request_rec *r)
{
    const char *v;

    /* Requests refused before fixups (a Require, a bad header) never
     * reached the check above; scrub anything that looks like a token. */
    if (ls_access_req(r) == NULL && r->args
        && ls_query_get(r->pool, r->args, "sh", &v) == APR_SUCCESS
        && strlen(v) >= 16) {
        redact(r, NULL);
    }
    return DECLINED;
}
