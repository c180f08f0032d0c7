/* ls_html: the chrome every recipient page shares: the stylesheet and
 * the CSP that allows it and the page script, the page frame, the message
 * pages (404, 400, 410, 503), links between our pages and breadcrumbs.
 * Every string from a share or the file system is escaped here. Glue
 * unit. */
#include "httpd.h"
#include "http_protocol.h"
#include "apr_strings.h"

#include "ls_access.h"
#include "ls_assets.h"
#include "ls_config.h"
#include "ls_html.h"
#include "ls_http.h"
#include "ls_path.h"
#include "ls_time.h"
#include "ls_url.h"
#include "ls_view.h"


static const char *page_csp; /* CSP with the stylesheet's hash */

void ls_html_init(apr_pool_t *pconf)
{
    static const char *const scripts[] = {ls_asset_linkshare_js, NULL};

    /* Only our own inline style and script run: no 'unsafe-inline'. */
    page_csp = ls_view_csp(pconf, ls_asset_recipient_css, scripts,
                           LS_CSP_CONNECT | LS_CSP_MEDIA | LS_CSP_FORMS);
}

const char *ls_html_time(apr_pool_t *p, apr_int64_t t)
{
    char *s = apr_pstrdup(p, ls_time_format_rfc3339(p, t));

    s[10] = ' ';
    s[16] = '\0'; /* minutes are enough on a page */
    return apr_pstrcat(p, s, " UTC", NULL);
}

static const char *public_base(request_rec *r)
{
    return ls_config_get(r->server)->public_url;
}

/* A link to one of our pages for this share, with extra query text. */
const char *ls_html_link(request_rec *r, ls_url_page_t page, const char *token,
                         const char *extra)
{
    return ls_url_share(r->pool, public_base(r), page, token, extra);
}

/* The head of every page, up to <body>; sets the page's CSP. */
static const char *page_head(request_rec *r, const char *title)
{
    apr_table_setn(r->err_headers_out, "Content-Security-Policy", page_csp);
    return ls_view_head(r->pool, title, ls_asset_recipient_css);
}

void ls_html_open(request_rec *r, int status, const char *title)
{
    r->status = status;
    ap_set_content_type(r, "text/html; charset=utf-8");
    ap_rputs(page_head(r, title), r);
}

int ls_html_close(request_rec *r)
{
    ap_rputs("</body></html>\n", r);
    return OK;
}

static const char *message_page(request_rec *r, const char *title,
                                const char *text_html)
{
    return apr_pstrcat(r->pool, page_head(r, title), "<header><h1>",
                       ls_http_esc(r->pool, title),
                       "</h1></header><main><div class=\"box\">", text_html,
                       "</div></main>\n</body></html>\n", NULL);
}

static int send_page(request_rec *r, int status, const char *page)
{
    r->status = status;
    ap_set_content_type(r, "text/html; charset=utf-8");
    ap_rputs(page, r);
    return OK;
}

/* A whole page with one message; used for every refusal. */
int ls_html_message(request_rec *r, int status, const char *title,
                    const char *text_html)
{
    return send_page(r, status, message_page(r, title, text_html));
}

static const char *expired_page(request_rec *r, const ls_share_t *sh)
{
    const char *who = "", *what;

    if (sh && sh->revoked) {
        what = "<p>This link was withdrawn by the person who shared it, so "
               "the files are no longer available here.</p>";
    }
    else {
        what = "<p>This link has expired, so the files it pointed to are "
               "no longer available here. Shared links work for a limited "
               "time only.</p>";
    }
    if (sh) {
        who = apr_psprintf(r->pool,
                           "<p>It was shared by <strong>%s</strong>. If you "
                           "still need the files, ask them to share them "
                           "again.</p>",
                           ls_http_esc(r->pool, sh->owner));
    }
    else {
        who = "<p>If you still need the files, ask the person who sent you "
              "the link to share them again.</p>";
    }
    return message_page(r,
                        sh && sh->revoked ? "This link was withdrawn"
                                          : "This link has expired",
                        apr_pstrcat(r->pool, what, who, NULL));
}

int ls_html_expired(request_rec *r, int status, const ls_share_t *sh)
{
    return send_page(r, status, expired_page(r, sh));
}

static const char *not_found_page(request_rec *r, const char *why)
{
    return message_page(
        r, "Not found",
        apr_pstrcat(r->pool, "<p>", ls_http_esc(r->pool, why),
                    "</p><p>Check that you copied the whole link, or ask "
                    "the person who sent it for a new one.</p>",
                    NULL));
}

int ls_html_not_found(request_rec *r, const char *why)
{
    return send_page(r, HTTP_NOT_FOUND, not_found_page(r, why));
}

int ls_html_bad_request(request_rec *r, const char *why)
{
    return ls_html_message(
        r, HTTP_BAD_REQUEST, "Bad request",
        apr_pstrcat(r->pool, "<p>", ls_http_esc(r->pool, why), "</p>", NULL));
}

static const char *unavailable_page(request_rec *r)
{
    apr_table_setn(r->err_headers_out, "Retry-After", "60");
    return message_page(r, "Temporarily unavailable",
                        "<p>The shared files cannot be shown right "
                        "now because the server cannot reach its "
                        "database. Please try again in a few "
                        "minutes.</p>");
}

int ls_html_unavailable(request_rec *r)
{
    return send_page(r, HTTP_SERVICE_UNAVAILABLE, unavailable_page(r));
}

void ls_html_crumbs(request_rec *r, const ls_req_t *req, const char *rel)
{
    const char *acc = "";
    char *copy, *seg, *last;

    ap_rprintf(
        r,
        "<nav class=\"crumbs\" aria-label=\"Folders\"><a "
        "href=\"%s\">All shared items</a>",
        ls_http_esc(r->pool, ls_html_link(r, LS_URL_PAGE, req->token, NULL)));
    copy = apr_pstrdup(r->pool, rel);
    for (seg = apr_strtok(copy, "/", &last); seg;
         seg = apr_strtok(NULL, "/", &last)) {
        acc = ls_path_join(r->pool, acc, seg);
        if (strlen(acc) == strlen(rel)) {
            ap_rprintf(r, " / <span aria-current=\"page\">%s</span>",
                       ls_http_esc(r->pool, seg));
        }
        else {
            ap_rprintf(
                r, " / <a href=\"%s\">%s</a>",
                ls_http_esc(r->pool,
                            ls_html_link(r, LS_URL_PAGE, req->token,
                                         apr_pstrcat(r->pool, "&path=",
                                                     ls_http_qenc(r->pool, acc),
                                                     NULL))),
                ls_http_esc(r->pool, seg));
        }
    }
    ap_rputs("</nav>\n", r);
}
