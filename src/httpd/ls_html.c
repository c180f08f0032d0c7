/* ls_html: sending the recipients' pages (see ls_html.h). */
#include "httpd.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_strings.h"

#include "ls_access.h"
#include "ls_assets.h"
#include "ls_config.h"
#include "ls_html.h"
#include "ls_path.h"
#include "ls_text.h"

static const char *page_csp; /* CSP with the stylesheet's hash */

#define PAGE_CSP_ALLOW (LS_CSP_CONNECT | LS_CSP_MEDIA | LS_CSP_FORMS)

void ls_html_init(apr_pool_t *pconf, server_rec *s)
{
    static const char *const scripts[] = {ls_asset_linkshare_js,
                                          ls_asset_preview_js, NULL};

    /* Only our own inline style and script run: no 'unsafe-inline'. */
    page_csp = ls_view_csp(pconf, ls_asset_recipient_css, scripts,
                           PAGE_CSP_ALLOW);
    /* A brand's accent is a second inline style: its hash too. */
    for (; s; s = s->next) {
        ls_brand_t *b = (ls_brand_t *)ls_config_get(s)->brand;
        if (b && b->css && b->csp == NULL) {
            const char *styles[] = {ls_asset_recipient_css, b->css, NULL};
            b->csp = ls_view_csp_styles(pconf, styles, scripts, PAGE_CSP_ALLOW);
        }
    }
}

const char *ls_html_base(request_rec *r)
{
    return ls_config_get(r->server)->public_url;
}

const ls_view_brand_t *ls_html_brand(request_rec *r)
{
    const ls_brand_t *b = ls_config_get(r->server)->brand;
    ls_view_brand_t *v;

    if (b == NULL) {
        return NULL;
    }
    v = apr_pcalloc(r->pool, sizeof(*v));
    v->name = b->name;
    v->css = b->css;
    if (b->logo) {
        /* The ETag's hex, without its quotes, versions the URL. */
        v->logo_url = ls_url_logo(r->pool, ls_html_base(r),
                                  apr_pstrmemdup(r->pool, b->logo_etag + 1,
                                                 strlen(b->logo_etag) - 2));
    }
    return v;
}

const char *ls_html_item(request_rec *r, ls_url_page_t page, const char *token,
                         const char *op, const char *path)
{
    return ls_url_item(r->pool, ls_html_base(r), page, token, op, path);
}

apr_array_header_t *ls_html_crumbs(request_rec *r, const char *token,
                                   const char *rel)
{
    apr_array_header_t *crumbs = apr_array_make(r->pool, 4,
                                                sizeof(ls_view_link_t));
    ls_view_link_t *c = apr_array_push(crumbs);
    const char *acc = "";
    char *copy, *seg, *last;

    c->label = ls_text("All shared items");
    c->url = ls_html_item(r, LS_URL_PAGE, token, NULL, NULL);
    copy = apr_pstrdup(r->pool, rel);
    for (seg = apr_strtok(copy, "/", &last); seg;
         seg = apr_strtok(NULL, "/", &last)) {
        acc = ls_path_join(r->pool, acc, seg);
        c = apr_array_push(crumbs);
        c->label = seg;
        c->url = strlen(acc) == strlen(rel)
                     ? NULL
                     : ls_html_item(r, LS_URL_PAGE, token, NULL, acc);
    }
    return crumbs;
}

int ls_html_send(request_rec *r, int status, const char *html)
{
    const ls_brand_t *b = ls_config_get(r->server)->brand;

    apr_table_setn(r->err_headers_out, "Content-Security-Policy",
                   b && b->csp ? b->csp : page_csp);
    r->status = status;
    ap_set_content_type(r, "text/html; charset=utf-8");
    ap_rputs(html, r);
    return OK;
}

int ls_html_message(request_rec *r, int status, const ls_view_message_t *m)
{
    ls_view_message_t branded = *m;

    branded.brand = ls_html_brand(r);
    return ls_html_send(r, status, ls_view_message_page(r->pool, &branded));
}

int ls_html_expired(request_rec *r, int status, const ls_share_t *sh)
{
    return ls_html_message(r, status,
                           ls_view_message_expired(r->pool, sh && sh->revoked,
                                                   sh ? sh->owner : NULL));
}

int ls_html_not_found(request_rec *r, const char *why)
{
    ls_view_message_t *m = ls_view_message_not_found(r->pool, why);
    const ls_req_t *req = ls_access_req(r);

    /* Within a share that works: the way back to its files. */
    if (req && req->share && req->token) {
        m->back.label = ls_text("Back to the shared files");
        m->back.url = ls_html_item(r, LS_URL_PAGE, req->token, NULL, NULL);
    }
    return ls_html_message(r, HTTP_NOT_FOUND, m);
}

int ls_html_bad_link(request_rec *r)
{
    return ls_html_message(r, HTTP_NOT_FOUND,
                           ls_view_message_bad_link(r->pool));
}

int ls_html_bad_request(request_rec *r, const char *why)
{
    return ls_html_message(r, HTTP_BAD_REQUEST,
                           ls_view_message_bad_request(r->pool, why));
}

int ls_html_unavailable(request_rec *r)
{
    apr_table_setn(r->err_headers_out, "Retry-After", "60");
    return ls_html_message(r, HTTP_SERVICE_UNAVAILABLE,
                           ls_view_message_unavailable(r->pool));
}

int ls_html_logo(request_rec *r)
{
    const ls_brand_t *b = ls_config_get(r->server)->brand;
    int status;

    if (b == NULL || b->logo == NULL) {
        return ls_html_not_found(r, ls_text("This site has no logo."));
    }
    /* Public and the same for everyone: cacheable, unlike our pages. */
    apr_table_setn(r->err_headers_out, "Cache-Control",
                   "public, max-age=86400");
    /* An SVG is a document: never scripts, even opened on its own. */
    apr_table_setn(r->err_headers_out, "Content-Security-Policy",
                   "default-src 'none'; style-src 'unsafe-inline'; "
                   "frame-ancestors 'none'; sandbox");
    apr_table_setn(r->headers_out, "ETag", b->logo_etag);
    ap_update_mtime(r, b->logo_mtime);
    ap_set_last_modified(r);
    ap_set_content_type(r, b->logo_type);
    if ((status = ap_meets_conditions(r)) != OK) {
        return status; /* 304 (or 412) */
    }
    ap_set_content_length(r, (apr_off_t)b->logo_len);
    if (!r->header_only) {
        ap_rwrite(b->logo, (int)b->logo_len, r);
    }
    return OK;
}
