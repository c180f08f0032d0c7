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
#include "ls_assets.h"
#include "ls_config.h"
#include "ls_http.h"
#include "ls_sharer.h"
#include "ls_view.h"

APLOG_USE_MODULE(linkshare);


static const char *dialog_csp; /* CSP allowing css + sharer.js */
static const char *links_csp;  /* CSP allowing css + links.js */

static const char *csp_for(apr_pool_t *p, const char *script)
{
    /* Our inline style and scripts only (the shared helpers, then the
     * page's own); they talk to the API on this origin and nothing else. */
    const char *scripts[3];

    scripts[0] = ls_asset_sharerlib_js;
    scripts[1] = script;
    scripts[2] = NULL;
    return ls_view_csp(p, ls_asset_sharer_css, scripts, LS_CSP_CONNECT);
}

void ls_sharer_init(apr_pool_t *pconf)
{
    dialog_csp = csp_for(pconf, ls_asset_sharer_js);
    links_csp = csp_for(pconf, ls_asset_links_js);
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

static void page_open(request_rec *r, const char *csp, const char *title,
                      const char *nav_html)
{
    ap_set_content_type(r, "text/html; charset=utf-8");
    ls_http_public_headers(r, csp);
    ap_rputs(ls_view_head(r->pool, title, ls_asset_sharer_css), r);
    ap_rprintf(r,
               "<header><h1>%s</h1><p class=\"meta\">Signed in as "
               "<strong>%s</strong>. %s</p></header>\n"
               "<main id=\"ls-main\" data-api=\"%s\">\n"
               "<noscript><p class=\"notice\">This page needs JavaScript: "
               "it works through the sharing API of this site.</p>"
               "</noscript>\n",
               ls_view_esc(r->pool, title), ls_view_esc(r->pool, r->user),
               nav_html, ls_view_esc(r->pool, api_base(r)));
}

static int page_close(request_rec *r, const char *script)
{
    ap_rprintf(r,
               "</main>\n<script>%s</script>\n<script>%s</script>\n"
               "</body></html>\n",
               ls_asset_sharerlib_js, script);
    return OK;
}

/* The Link Sharing dialog. Static markup: only the user name and the API
 * path come from the request, and both are escaped above. */
static int dialog_page(request_rec *r)
{
    page_open(r, dialog_csp, "Link Sharing",
              "<a href=\"links.html\">Shared Links</a>");
    ap_rputs(
        "<form id=\"share-form\" novalidate>\n"
        "<section class=\"box\" aria-labelledby=\"h-items\">"
        "<h2 id=\"h-items\">Files and folders</h2>"
        "<nav class=\"crumbs\" aria-label=\"Folders\" id=\"crumbs\"></nav>"
        "<div class=\"scroll\"><table id=\"assets\"><caption "
        "class=\"visually-hidden\">Files and folders you may share</caption>"
        "<thead><tr><th scope=\"col\"><span class=\"visually-hidden\">"
        "Select</span></th><th scope=\"col\">Name</th><th scope=\"col\">"
        "Type</th><th scope=\"col\" class=\"opt\">Size</th><th scope=\"col\" "
        "class=\"opt\">Modified</th></tr></thead><tbody></tbody></table>"
        "</div><p id=\"assets-status\" role=\"status\"></p>"
        "<label class=\"block\" for=\"collection\">Or share a collection"
        "</label><select id=\"collection\"><option value=\"\">No collection"
        "</option></select>"
        "<h3 id=\"h-picked\">Selected</h3><ul id=\"picked\" class=\"chips\" "
        "aria-labelledby=\"h-picked\"></ul><p id=\"picked-none\">Nothing "
        "selected yet.</p></section>\n"
        "<section class=\"box\" aria-labelledby=\"h-link\">"
        "<h2 id=\"h-link\">Link</h2>"
        "<label class=\"block\" for=\"expires\">Expiration date and time"
        "</label><input type=\"datetime-local\" id=\"expires\" "
        "aria-describedby=\"expires-hint\"> <span id=\"expires-hint\" "
        "class=\"meta\"></span>"
        "<p><input type=\"checkbox\" id=\"allow-original\" checked> <label "
        "for=\"allow-original\">Allow download of original file</label></p>"
        "</section>\n"
        "<section class=\"box\" aria-labelledby=\"h-mail\">"
        "<h2 id=\"h-mail\">Email</h2>"
        "<p id=\"mail-off\" class=\"notice\" hidden>Mail is not configured "
        "on this server, so the link cannot be sent by email from here. "
        "Share, then copy the link and send it yourself.</p>"
        "<fieldset id=\"mail-fields\"><legend class=\"visually-hidden\">"
        "Email the link</legend>"
        "<label class=\"block\" for=\"recipient\">Recipients</label>"
        "<div class=\"row\"><input type=\"email\" id=\"recipient\" "
        "list=\"recipient-suggestions\" autocomplete=\"off\" "
        "placeholder=\"name@example.com\" aria-describedby=\"recipient-hint\">"
        "<button type=\"button\" id=\"add-recipient\">Add</button></div>"
        "<datalist id=\"recipient-suggestions\"></datalist>"
        "<span id=\"recipient-hint\" class=\"meta\">Enter or comma adds an "
        "address; several are allowed.</span>"
        "<ul id=\"recipients\" class=\"chips\" aria-label=\"Added recipients\">"
        "</ul>"
        "<label class=\"block\" for=\"subject\">Subject</label><input "
        "type=\"text\" id=\"subject\" maxlength=\"200\">"
        "<label class=\"block\" for=\"message\">Message</label><textarea "
        "id=\"message\" maxlength=\"4000\"></textarea></fieldset>"
        "</section>\n"
        "<div class=\"actions\"><button type=\"submit\" class=\"primary\" "
        "id=\"share\">Share</button></div>"
        "<p id=\"share-error\" class=\"error\" role=\"alert\"></p>"
        "</form>\n"
        "<section id=\"result\" class=\"box\" aria-labelledby=\"h-result\" "
        "hidden><h2 id=\"h-result\">Link created</h2>"
        "<p id=\"confirmation\" class=\"ok\" role=\"status\"></p>"
        "<label class=\"block\" for=\"share-link\">Share Link</label>"
        "<div class=\"row\"><input type=\"text\" id=\"share-link\" readonly>"
        "<button type=\"button\" id=\"copy\">Copy</button>"
        "<span id=\"copy-status\" role=\"status\"></span></div>"
        "<p><a href=\"links.html\">See all your Shared Links</a> or "
        "<button type=\"button\" class=\"link\" id=\"again\">share something "
        "else</button>.</p></section>\n",
        r);
    return page_close(r, ls_asset_sharer_js);
}

static int links_page(request_rec *r)
{
    page_open(r, links_csp, "Shared Links",
              "<a href=\"share.html\">Share files</a>");
    ap_rputs(
        "<p id=\"all-toggle\" hidden><input type=\"checkbox\" id=\"show-all\">"
        " <label for=\"show-all\">Show the links of every user</label></p>"
        "<p id=\"links-status\" role=\"status\"></p>"
        "<p id=\"links-error\" class=\"error\" role=\"alert\"></p>"
        "<table id=\"links\"><caption class=\"visually-hidden\">Your shared "
        "links</caption><thead><tr><th scope=\"col\">Items</th>"
        "<th scope=\"col\">Created</th><th scope=\"col\">Expires</th>"
        "<th scope=\"col\">State</th><th scope=\"col\">Recipients</th>"
        "<th scope=\"col\">Downloads</th><th scope=\"col\">Actions</th>"
        "</tr></thead><tbody></tbody></table>\n",
        r);
    return page_close(r, ls_asset_links_js);
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
                      "LS00213: method %s refused on a sharer page", r->method);
        return HTTP_METHOD_NOT_ALLOWED;
    }
    if (r->user == NULL || *r->user == '\0') {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "LS00214: the sharer page %s is reachable without "
                      "authentication; protect its Location with AuthType "
                      "and Require",
                      r->uri);
        ls_http_public_headers(r, NULL);
        return HTTP_FORBIDDEN;
    }
    return kind == LS_KIND_SHARER ? dialog_page(r) : links_page(r);
}
