/* ls_html: sending the recipients' pages (see ls_html.h). */
#include "httpd.h"
#include "http_protocol.h"
#include "apr_strings.h"

#include "ls_assets.h"
#include "ls_config.h"
#include "ls_html.h"
#include "ls_path.h"
#include "ls_text.h"

static const char *page_csp; /* CSP with the stylesheet's hash */

void ls_html_init(apr_pool_t *pconf)
{
    static const char *const scripts[] = {ls_asset_linkshare_js, NULL};

    /* Only our own inline style and script run: no 'unsafe-inline'. */
    page_csp = ls_view_csp(pconf, ls_asset_recipient_css, scripts,
                           LS_CSP_CONNECT | LS_CSP_MEDIA | LS_CSP_FORMS);
}

const char *ls_html_base(request_rec *r)
{
    return ls_config_get(r->server)->public_url;
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
    apr_table_setn(r->err_headers_out, "Content-Security-Policy", page_csp);
    r->status = status;
    ap_set_content_type(r, "text/html; charset=utf-8");
    ap_rputs(html, r);
    return OK;
}

int ls_html_message(request_rec *r, int status, const ls_view_message_t *m)
{
    return ls_html_send(r, status, ls_view_message_page(r->pool, m));
}

int ls_html_expired(request_rec *r, int status, const ls_share_t *sh)
{
    return ls_html_message(r, status,
                           ls_view_message_expired(r->pool, sh && sh->revoked,
                                                   sh ? sh->owner : NULL));
}

int ls_html_not_found(request_rec *r, const char *why)
{
    return ls_html_message(r, HTTP_NOT_FOUND,
                           ls_view_message_not_found(r->pool, why));
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
