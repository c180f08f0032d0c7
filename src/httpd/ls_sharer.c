/* ls_sharer: the sharer's pages (see ls_sharer.h). The server renders a
 * labelled, escaped shell; the page's script fills it from the sharer API
 * and sends the sharer's actions there, so every rule (permission,
 * expiry limits, mail) lives in one place, ls_api. The pages find the API
 * at "api" beside them (/linkshare/share.html -> /linkshare/api) and link
 * to each other as share.html and links.html in the same folder. */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_strings.h"

#include "ls_access.h"
#include "ls_http.h"
#include "ls_sharer.h"
#include "ls_tag.h"
#include "ls_view_sharer.h"

APLOG_USE_MODULE(linkshare);


static const char *csp[2]; /* by ls_sharer_page_t: css + its scripts */

void ls_sharer_init(apr_pool_t *pconf)
{
    csp[LS_SHARER_DIALOG] = ls_view_sharer_csp(pconf, LS_SHARER_DIALOG);
    csp[LS_SHARER_LINKS] = ls_view_sharer_csp(pconf, LS_SHARER_LINKS);
}

/* The API beside this page: everything up to the last '/' plus "api". */
static const char *api_base(request_rec *r)
{
    const char *slash = strrchr(r->uri, '/');

    return apr_pstrcat(
        r->pool,
        slash ? apr_pstrmemdup(r->pool, r->uri, slash - r->uri + 1) : "/",
        "api", NULL);
}

static int page(request_rec *r, ls_sharer_page_t which)
{
    ls_view_sharer_t m;

    m.page = which;
    m.user = r->user;
    m.api_url = api_base(r);
    ap_set_content_type(r, "text/html; charset=utf-8");
    ls_http_public_headers(r, csp[which]);
    ap_rputs(ls_view_sharer_page(r->pool, &m), r);
    return OK;
}

int ls_sharer_handler(request_rec *r)
{
    ls_kind_t kind = ls_access_kind(r);

    if (kind != LS_KIND_SHARER && kind != LS_KIND_LINKS) {
        return DECLINED;
    }
    if (r->method_number != M_GET) {
        ap_allow_standard_methods(r, REPLACE_ALLOW, M_GET, -1);
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      LS_TAG(00213) "method %s refused on a sharer page",
                             r->method);
        return HTTP_METHOD_NOT_ALLOWED;
    }
    if (r->user == NULL || *r->user == '\0') {
        ap_log_rerror(
            APLOG_MARK, APLOG_ERR, 0, r,
            LS_TAG(00214) "the sharer page %s is reachable without "
                          "authentication; protect its Location with AuthType "
                          "and Require",
                   r->uri);
        ls_http_public_headers(r, NULL);
        return HTTP_FORBIDDEN;
    }
    return page(r, kind == LS_KIND_SHARER ? LS_SHARER_DIALOG : LS_SHARER_LINKS);
}
