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
#include "ls_html.h"
#include "ls_http.h"
#include "ls_proc.h"
#include "ls_protect.h"
#include "ls_query.h"
#include "ls_tag.h"
#include "ls_text.h"
#include "ls_throttle.h"
#include "ls_token.h"

APLOG_USE_MODULE(linkshare);

extern module AP_MODULE_DECLARE_DATA linkshare_module;

static ls_kind_t kind_of(const char *h)
{
    if (h == NULL || strncmp(h, "linkshare-", 10) != 0) {
        return LS_KIND_NONE;
    }
    if (strcmp(h + 10, "page") == 0) {
        return LS_KIND_PAGE;
    }
    if (strcmp(h + 10, "preview") == 0) {
        return LS_KIND_PREVIEW;
    }
    if (strcmp(h + 10, "expired") == 0) {
        return LS_KIND_EXPIRED;
    }
    if (strcmp(h + 10, "api") == 0) {
        return LS_KIND_API;
    }
    if (strcmp(h + 10, "sharer") == 0) {
        return LS_KIND_SHARER;
    }
    if (strcmp(h + 10, "links") == 0) {
        return LS_KIND_LINKS;
    }
    return LS_KIND_NONE;
}

ls_kind_t ls_access_kind(const request_rec *r)
{
    return kind_of(r->handler);
}

ls_kind_t ls_access_configured_kind(request_rec *r)
{
    core_dir_config *d = ap_get_core_module_config(r->per_dir_config);
    const char *h = NULL, *err = NULL;

    if (d->expr_handler) {
        h = ap_expr_str_exec(r, d->expr_handler, &err);
        if (err) {
            h = NULL;
        }
    }
    else {
        h = d->handler;
    }
    return kind_of(h);
}

/* The note of a public page: r->uri as translate_name saw it. */
#define VIRTUAL_NOTE "linkshare-virtual-uri"

int ls_access_translate(request_rec *r)
{
    ls_kind_t kind = ls_access_configured_kind(r);

    if (kind == LS_KIND_PAGE || kind == LS_KIND_PREVIEW
        || kind == LS_KIND_EXPIRED) {
        apr_table_setn(r->notes, VIRTUAL_NOTE, r->uri);
    }
    return DECLINED;
}

int ls_access_map_to_storage(request_rec *r)
{
    const char *uri = apr_table_get(r->notes, VIRTUAL_NOTE);

    /* The same URI: no translator (mod_rewrite, say) sent it elsewhere. */
    return uri && strcmp(uri, r->uri) == 0 ? OK : DECLINED;
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
    apr_time_t t0;
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
    t0 = apr_time_now();
    rv = ls_store_share_by_hash(st, r->pool, hash, out, err);
    /* The store's time for this link, for the access log
     * (%{linkshare-lookup-us}n): make bench-scale reads it. */
    apr_table_setn(
        r->notes, "linkshare-lookup-us",
        apr_psprintf(r->pool, "%" APR_TIME_T_FMT, apr_time_now() - t0));
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
    if (strcmp(op, "queue") == 0 || strcmp(op, "cancel") == 0
        || strcmp(op, "remove") == 0 || strcmp(op, "unlock") == 0) {
        r->allowed |= (AP_METHOD_BIT << M_POST);
        return 1;
    }
    return 0;
}

/* The brand's logo (op=logo without sh=): public, needs no share, and
 * is no guess at a token. */
static int is_logo(request_rec *r, ls_kind_t kind)
{
    const char *v = NULL;

    return kind == LS_KIND_PAGE
           && ls_query_get(r->pool, r->args, "sh", &v) == APR_NOTFOUND
           && ls_query_get(r->pool, r->args, "op", &v) == APR_SUCCESS
           && strcmp(v, "logo") == 0;
}

/* A token-shaped value: what the log hook scrubs too. */
#define LOOKS_LIKE_TOKEN(v) (strlen(v) >= 16)

int ls_access_post_read(request_rec *r)
{
    const char *v = NULL;

    /* Any request carrying something token-shaped in sh=, whatever its
     * URL: a link pasted to the wrong page must not leak either. Only the
     * request line changes here (what the scoreboard, mod_status, TRACE
     * and %r show); the query keeps the token until the access check
     * knows the request is ours and takes it into the request's config. */
    if (r->args == NULL
        || ls_query_get(r->pool, r->args, "sh", &v) != APR_SUCCESS
        || !LOOKS_LIKE_TOKEN(v)) {
        return DECLINED;
    }
    r->the_request = (char *)ls_query_redact(r->pool, r->the_request, "sh",
                                             "REDACTED");
    return DECLINED;
}

/* Answers a refused link with our page, here in the access phase: DONE
 * tells httpd the response is written, so no later phase of any module
 * runs (what httpd itself does for TRACE). */
static int refuse(request_rec *r, ls_req_t *req, int status)
{
    ls_http_public_headers(r, NULL);
    switch (status) {
    case HTTP_GONE:
        if (req->share && req->share->password_hash) {
            /* Who shared a protected link is for those with the
             * password: the refusal of an ended one names nobody. */
            ls_share_t anon = *req->share;
            anon.owner = NULL;
            ls_html_expired(r, HTTP_GONE, &anon);
            break;
        }
        ls_html_expired(r, HTTP_GONE, req->share);
        break;
    case HTTP_SERVICE_UNAVAILABLE:
        ls_html_unavailable(r);
        break;
    default:
        ls_html_bad_link(r);
    }
    req->refused = 1;
    return DONE;
}

int ls_access_check(request_rec *r)
{
    ls_kind_t kind = ls_access_configured_kind(r);
    ls_req_t *req;
    const char *token = NULL, *err = NULL, *v = NULL;
    char hash[LS_HASH_HEX_LEN + 1];
    apr_int64_t now = apr_time_sec(r->request_time);
    apr_status_t rv;
    int blocked;

    /* The sharer's URLs are signed in and carry no token. */
    if (kind != LS_KIND_PAGE && kind != LS_KIND_PREVIEW
        && kind != LS_KIND_EXPIRED) {
        return DECLINED;
    }
    req = apr_pcalloc(r->pool, sizeof(*req));
    ap_set_module_config(r->request_config, &linkshare_module, req);
    rv = ls_query_get(r->pool, r->args, "sh", &v);
    req->token = rv == APR_SUCCESS && ls_token_well_formed(v) ? v : NULL;
    req->kind = kind;
    token = req->token;
    if (token) {
        ls_token_hash(token, hash);
    }
    redact(r, NULL);

    if (r->method_number != M_GET && !post_allowed(r, kind)) {
        r->allowed = (AP_METHOD_BIT << M_GET);
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      LS_TAG(00100) "method %s refused on a public URL",
                             r->method);
        return HTTP_METHOD_NOT_ALLOWED;
    }
    if (kind == LS_KIND_EXPIRED || is_logo(r, kind)) {
        req->checked = 1; /* no share: the handler answers without one */
        return DECLINED;
    }
    if (token == NULL) {
        if ((blocked = ls_throttle_blocked(r)) != OK) {
            return blocked; /* 429 answered: LinkShareGuessLimit */
        }
        ls_throttle_miss(r);
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      rv == APR_NOTFOUND
                      ? LS_TAG(00101) "request without a share "
                                      "token"
                      : LS_TAG(00102) "malformed share token");
        return refuse(r, req, HTTP_NOT_FOUND);
    }
    rv = find_share(r, hash, &req->share, &err);
    if (rv == APR_NOTFOUND) {
        if ((blocked = ls_throttle_blocked(r)) != OK) {
            return blocked; /* 429 answered: LinkShareGuessLimit */
        }
        ls_throttle_miss(r);
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      LS_TAG(00103) "unknown share token (hash prefix %.8s)",
                             hash);
        return refuse(r, req, HTTP_NOT_FOUND);
    }
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      LS_TAG(00104) "store unavailable while checking a share "
                                    "link: %s",
                             err ? err : "");
        return refuse(r, req, HTTP_SERVICE_UNAVAILABLE);
    }
    redact(r, req->share->id);
    if (req->share->revoked) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      LS_TAG(00105) "share %s was revoked", req->share->id);
        return refuse(r, req, HTTP_GONE);
    }
    if (req->share->expires <= now) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      LS_TAG(00106) "share %s has expired", req->share->id);
        return refuse(r, req, HTTP_GONE);
    }
    /* A password or a download limit: the lock and the 410 of a used-up
     * link (ls_protect). */
    if ((blocked = ls_protect_check(r, req)) != DECLINED) {
        return blocked;
    }
    req->checked = 1;
    return DECLINED;
}

int ls_access_redact(request_rec *r)
{
    const char *v;
    ls_req_t *req = ls_access_req(r);

    /* Requests our check never saw (another URL, or refused before the
     * access phase): scrub anything that looks like a token. */
    if ((req == NULL || (!req->checked && !req->refused)) && r->args
        && ls_query_get(r->pool, r->args, "sh", &v) == APR_SUCCESS
        && LOOKS_LIKE_TOKEN(v)) {
        redact(r, NULL);
    }
    return DECLINED;
}
