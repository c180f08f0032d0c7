/* ls_view_sharer: the sharer's pages (see ls_view_sharer.h). Static
 * markup: only the user name and the API path come from the request. */
#include <apr_strings.h>

#include "ls_assets.h"
#include "ls_text.h"
#include "ls_view.h"
#include "ls_view_sharer.h"

/* A user-visible string, escaped. */
#define T(s) ls_view_esc(p, ls_text(s))

static const char *page_script(ls_sharer_page_t page)
{
    return page == LS_SHARER_DIALOG ? ls_asset_sharer_js : ls_asset_links_js;
}

const char *ls_view_sharer_csp(apr_pool_t *p, ls_sharer_page_t page)
{
    /* Our inline style and scripts only (the shared helpers, then the
     * page's own); they talk to the API on this origin and nothing else. */
    const char *scripts[3];

    scripts[0] = ls_asset_sharerlib_js;
    scripts[1] = page_script(page);
    scripts[2] = NULL;
    return ls_view_csp(p, ls_asset_sharer_css, scripts, LS_CSP_CONNECT);
}

static void items_section(ls_view_out_t *o, apr_pool_t *p)
{
    ls_view_put(o, "<section class=\"box\" aria-labelledby=\"h-items\">",
                "<h2 id=\"h-items\">", T("Files and folders"), "</h2>",
                "<nav class=\"crumbs\" aria-label=\"", T("Folders"),
                "\" id=\"crumbs\"></nav>",
                "<div class=\"scroll\"><table id=\"assets\"><caption "
                "class=\"visually-hidden\">",
                T("Files and folders you may share"), "</caption>",
                "<thead><tr><th scope=\"col\"><span class=\"visually-hidden\">",
                T("Select"), "</span></th><th scope=\"col\">", T("Name"),
                "</th><th scope=\"col\">", T("Type"),
                "</th><th scope=\"col\" class=\"opt\">", T("Size"),
                "</th><th scope=\"col\" class=\"opt\">", T("Modified"),
                "</th></tr></thead><tbody></tbody></table>"
                "</div><p id=\"assets-status\" role=\"status\"></p>"
                "<label class=\"block\" for=\"collection\">",
                T("Or share a collection"),
                "</label><select id=\"collection\"><option value=\"\">",
                T("No collection"), "</option></select><h3 id=\"h-picked\">",
                T("Selected"),
                "</h3><ul id=\"picked\" class=\"chips\" "
                "aria-labelledby=\"h-picked\"></ul><p id=\"picked-none\">",
                T("Nothing selected yet."), "</p></section>\n", NULL);
}

static void link_section(ls_view_out_t *o, apr_pool_t *p)
{
    ls_view_put(o,
                "<section class=\"box\" aria-labelledby=\"h-link\">"
                "<h2 id=\"h-link\">",
                T("Link"), "</h2><label class=\"block\" for=\"expires\">",
                T("Expiration date and time"),
                "</label><input type=\"datetime-local\" id=\"expires\" "
                "aria-describedby=\"expires-hint\"> <span id=\"expires-hint\" "
                "class=\"meta\"></span>"
                "<p><input type=\"checkbox\" id=\"allow-original\" checked> "
                "<label for=\"allow-original\">",
                T("Allow download of original file"),
                "</label></p></section>\n", NULL);
}

static void mail_section(ls_view_out_t *o, apr_pool_t *p)
{
    ls_view_put(
        o,
        "<section class=\"box\" aria-labelledby=\"h-mail\">"
        "<h2 id=\"h-mail\">",
        T("Email"), "</h2><p id=\"mail-off\" class=\"notice\" hidden>",
        T("Mail is not configured on this server, so the link cannot be sent "
          "by email from here. Share, then copy the link and send it "
          "yourself."),
        "</p><fieldset id=\"mail-fields\"><legend class=\"visually-hidden\">",
        T("Email the link"),
        "</legend><label class=\"block\" "
        "for=\"recipient\">",
        T("Recipients"),
        "</label><div class=\"row\"><input type=\"email\" id=\"recipient\" "
        "list=\"recipient-suggestions\" autocomplete=\"off\" "
        "placeholder=\"name@example.com\" aria-describedby=\"recipient-hint\">"
        "<button type=\"button\" id=\"add-recipient\">",
        T("Add"),
        "</button></div><datalist id=\"recipient-suggestions\"></datalist>"
        "<span id=\"recipient-hint\" class=\"meta\">",
        T("Enter or comma adds an address; several are allowed."),
        "</span><ul id=\"recipients\" class=\"chips\" aria-label=\"",
        T("Added recipients"),
        "\"></ul><label class=\"block\" for=\"subject\">", T("Subject"),
        "</label><input type=\"text\" id=\"subject\" maxlength=\"200\">"
        "<label class=\"block\" for=\"message\">",
        T("Message"),
        "</label><textarea id=\"message\" maxlength=\"4000\"></textarea>"
        "</fieldset></section>\n",
        NULL);
}

static void dialog_body(ls_view_out_t *o, apr_pool_t *p)
{
    ls_view_put(o, "<form id=\"share-form\" novalidate>\n", NULL);
    items_section(o, p);
    link_section(o, p);
    mail_section(o, p);
    ls_view_put(
        o,
        "<div class=\"actions\"><button type=\"submit\" class=\"primary\" "
        "id=\"share\">",
        T("Share"),
        "</button></div><p id=\"share-error\" class=\"error\" "
        "role=\"alert\"></p></form>\n"
        "<section id=\"result\" class=\"box\" aria-labelledby=\"h-result\" "
        "hidden><h2 id=\"h-result\">",
        T("Link created"),
        "</h2><p id=\"confirmation\" class=\"ok\" role=\"status\"></p>"
        "<label class=\"block\" for=\"share-link\">",
        T("Share Link"),
        "</label><div class=\"row\"><input type=\"text\" id=\"share-link\" "
        "readonly><button type=\"button\" id=\"copy\">",
        T("Copy"),
        "</button><span id=\"copy-status\" role=\"status\"></span></div>"
        "<p><a href=\"links.html\">",
        T("See all your Shared Links"), "</a> ", T("or"),
        " <button type=\"button\" class=\"link\" id=\"again\">",
        T("share something else"), "</button>.</p></section>\n", NULL);
}

static void links_body(ls_view_out_t *o, apr_pool_t *p)
{
    ls_view_put(
        o,
        "<p id=\"all-toggle\" hidden><input type=\"checkbox\" id=\"show-all\">"
        " <label for=\"show-all\">",
        T("Show the links of every user"),
        "</label></p><p id=\"links-status\" role=\"status\"></p>"
        "<p id=\"links-error\" class=\"error\" role=\"alert\"></p>"
        "<table id=\"links\"><caption class=\"visually-hidden\">",
        T("Your shared links"), "</caption><thead><tr><th scope=\"col\">",
        T("Items"), "</th><th scope=\"col\">", T("Created"),
        "</th><th scope=\"col\">", T("Expires"), "</th><th scope=\"col\">",
        T("State"), "</th><th scope=\"col\">", T("Recipients"),
        "</th><th scope=\"col\">", T("Downloads"), "</th><th scope=\"col\">",
        T("Actions"), "</th></tr></thead><tbody></tbody></table>\n", NULL);
}

const char *ls_view_sharer_page(apr_pool_t *p, const ls_view_sharer_t *m)
{
    ls_view_out_t *o = ls_view_out(p);
    int dialog = m->page == LS_SHARER_DIALOG;
    const char *title = dialog ? ls_text("Link Sharing")
                               : ls_text("Shared Links");

    ls_view_put(o, ls_view_head(p, title, ls_asset_sharer_css), "<header><h1>",
                ls_view_esc(p, title), "</h1><p class=\"meta\">",
                T("Signed in as"), " <strong>", ls_view_esc(p, m->user),
                "</strong>. ",
                dialog ? "<a href=\"links.html\">" : "<a href=\"share.html\">",
                dialog ? T("Shared Links") : T("Share files"),
                "</a></p></header>\n<main id=\"ls-main\" data-api=\"",
                ls_view_esc(p, m->api_url),
                "\">\n<noscript><p "
                "class=\"notice\">",
                T("This page needs JavaScript: it works through the sharing "
                  "API of this site."),
                "</p></noscript>\n", NULL);
    if (dialog) {
        dialog_body(o, p);
    }
    else {
        links_body(o, p);
    }
    ls_view_put(o, "</main>\n<script>", ls_asset_sharerlib_js,
                "</script>\n<script>", page_script(m->page),
                "</script>\n</body></html>\n", NULL);
    return ls_view_text(o);
}
