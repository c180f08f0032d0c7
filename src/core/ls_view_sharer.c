/* ls_view_sharer: the sharer's pages (see ls_view_sharer.h). Static
 * markup: only the user name and the API path come from the request; the
 * scripts fill the lists and say what happened, with textContent only.
 *
 * The dialog is one sheet of two columns (one on a phone): what to share
 * on the left (the asset browser), how on the right (chips, name, expiry,
 * originals, email, Share), so the Share button shows without scrolling
 * on a laptop screen. */
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

/* An error shown under its field: filled and cleared by the script. */
static const char *field_error(apr_pool_t *p, const char *id)
{
    return apr_pstrcat(p, "<p class=\"field-error\" id=\"", id,
                       "\" aria-live=\"polite\"></p>", NULL);
}

static void items_section(ls_view_out_t *o, apr_pool_t *p)
{
    ls_view_put(
        o,
        "<section class=\"pick\" aria-labelledby=\"h-items\">"
        "<div class=\"pick-head\"><h2 id=\"h-items\">",
        T("Files and folders"),
        "</h2><div class=\"search\"><label class=\"visually-hidden\" "
        "for=\"filter\">",
        T("Search this folder and its subfolders"),
        "</label><input type=\"search\" id=\"filter\" autocomplete=\"off\" "
        "placeholder=\"",
        T("Search"), "\"></div></div><nav class=\"crumbs\" aria-label=\"",
        T("Folders"),
        "\" id=\"crumbs\"></nav><div class=\"scroll\"><table id=\"assets\">"
        "<caption class=\"visually-hidden\">",
        T("Files and folders you may share"),
        "</caption><thead><tr><th scope=\"col\" class=\"sel\"><span "
        "class=\"visually-hidden\">",
        T("Select"), "</span></th><th scope=\"col\">", T("Name"),
        "</th><th scope=\"col\" class=\"opt num\">", T("Size"),
        "</th><th scope=\"col\" class=\"opt\">", T("Modified"),
        "</th></tr></thead><tbody></tbody></table></div>"
        "<p id=\"assets-status\" class=\"meta\" role=\"status\"></p>"
        "<div class=\"collection\"><label for=\"collection\">",
        T("Or share a collection"),
        "</label><select id=\"collection\"><option value=\"\">",
        T("No collection"), "</option></select></div></section>\n", NULL);
}

static void expiry_fields(ls_view_out_t *o, apr_pool_t *p)
{
    static const char *const presets[][2] = {{"day", "1 day"},
                                             {"week", "1 week"},
                                             {"month", "1 month"},
                                             {"custom", "Custom"}};
    int i;

    ls_view_put(o,
                "<fieldset class=\"expiry\" aria-describedby=\"expires-hint\">"
                "<legend>",
                T("Link expires after"), "</legend><div class=\"seg\">", NULL);
    for (i = 0; i < 4; i++) {
        /* The radio inside its label: the whole segment takes the click. */
        ls_view_put(o,
                    "<label><input type=\"radio\" name=\"preset\" "
                    "id=\"preset-",
                    presets[i][0], "\" value=\"", presets[i][0], "\"><span>",
                    T(presets[i][1]), "</span></label>", NULL);
    }
    ls_view_put(o,
                "</div><div id=\"custom\" class=\"custom\" hidden><label "
                "for=\"expires\">",
                T("Expiration date and time"),
                "</label><input type=\"datetime-local\" id=\"expires\" "
                "aria-describedby=\"expires-error\"></div>"
                "<p id=\"expires-hint\" class=\"meta\"></p>",
                field_error(p, "expires-error"), "</fieldset>", NULL);
}

static void mail_fields(ls_view_out_t *o, apr_pool_t *p)
{
    ls_view_put(
        o, "<details id=\"mail-box\" class=\"mail\"><summary>",
        T("Send the link by email"), "</summary><p id=\"mail-off\" hidden>",
        T("Email is not set up on this server. Share, then copy the link or "
          "send it from your own mail app."),
        "</p><fieldset id=\"mail-fields\"><legend class=\"visually-hidden\">",
        T("Email the link"), "</legend><label for=\"recipient\">",
        T("Recipients"),
        "</label><div class=\"row\"><input type=\"email\" id=\"recipient\" "
        "list=\"recipient-suggestions\" autocomplete=\"off\" "
        "placeholder=\"name@example.com\" "
        "aria-describedby=\"recipient-hint recipient-error\"><button "
        "type=\"button\" id=\"add-recipient\">",
        T("Add"),
        "</button></div><datalist id=\"recipient-suggestions\"></datalist>"
        "<p id=\"recipient-hint\" class=\"meta\">",
        T("Enter or comma adds an address; several are allowed."), "</p>",
        field_error(p, "recipient-error"),
        "<ul id=\"recipients\" class=\"chips\" aria-label=\"",
        T("Added recipients"), "\"></ul><label for=\"subject\">", T("Subject"),
        "</label><input type=\"text\" id=\"subject\" maxlength=\"200\">"
        "<label for=\"message\">",
        T("Message"),
        "</label><textarea id=\"message\" maxlength=\"4000\" rows=\"3\">"
        "</textarea></fieldset></details>",
        NULL);
}

/* Link protection: a password (shown or hidden, or generated) and a
 * download limit; sharer.js marks the password required when the server
 * says so (GET .../settings). */
static void protection_fields(ls_view_out_t *o, apr_pool_t *p)
{
    ls_view_put(
        o, "<label for=\"link-password\">", T("Password"),
        " <span class=\"meta\" id=\"password-optional\">", T("(optional)"),
        "</span></label><div class=\"linkrow pwrow\"><input "
        "type=\"password\" id=\"link-password\" maxlength=\"256\" "
        "autocomplete=\"new-password\" spellcheck=\"false\" "
        "aria-describedby=\"password-hint password-error\"><button "
        "type=\"button\" id=\"password-show\" aria-pressed=\"false\" "
        "aria-controls=\"link-password\">",
        T("Show"), "</button><button type=\"button\" id=\"password-generate\">",
        T("Generate"), "</button></div><p id=\"password-hint\" class=\"meta\">",
        T("Recipients must enter it to open the link: 8 to 256 characters. "
          "Pass it on separately from the link."),
        "</p>", field_error(p, "password-error"),
        "<label for=\"max-downloads\">", T("Download limit"),
        " <span class=\"meta\">", T("(optional)"),
        "</span></label><input type=\"number\" id=\"max-downloads\" "
        "min=\"1\" max=\"1000000\" step=\"1\" inputmode=\"numeric\" "
        "aria-describedby=\"max-downloads-hint max-downloads-error\">"
        "<p id=\"max-downloads-hint\" class=\"meta\">",
        T("The link stops working after this many downloads."), "</p>",
        field_error(p, "max-downloads-error"), NULL);
}

static void options_section(ls_view_out_t *o, apr_pool_t *p)
{
    ls_view_put(
        o,
        "<section class=\"opts\" aria-labelledby=\"h-picked\">"
        "<h2 id=\"h-picked\">",
        T("Selected"),
        "</h2><ul id=\"picked\" class=\"chips\" aria-labelledby=\"h-picked\"></ul><p id=\"picked-none\" class=\"meta\">",
        T("Nothing selected yet: tick files and folders, or choose a "
          "collection."),
        "</p>", field_error(p, "items-error"), "<label for=\"link-name\">",
        T("Name"), " <span class=\"meta\">", T("(optional)"),
        "</span></label><input type=\"text\" id=\"link-name\" "
        "maxlength=\"200\" autocomplete=\"off\" "
        "aria-describedby=\"name-error\" placeholder=\"",
        T("e.g. Q3 report for the board"), "\">", field_error(p, "name-error"),
        NULL);
    expiry_fields(o, p);
    ls_view_put(o,
                "<p class=\"check\" id=\"original-row\"><input "
                "type=\"checkbox\" "
                "id=\"allow-original\" checked> <label for=\"allow-original\">",
                T("Allow download of original file"),
                "</label><span class=\"meta\" id=\"original-hint\">",
                T("Otherwise recipients get previews (renditions) only."),
                "</span></p>", NULL);
    protection_fields(o, p);
    mail_fields(o, p);
    ls_view_put(o,
                "<div class=\"actions\"><button type=\"submit\" "
                "class=\"primary\" id=\"share\">",
                T("Share"),
                "</button></div><p id=\"share-error\" class=\"error\" "
                "role=\"alert\"></p></section>\n",
                NULL);
}

/* After Share, when the server sends mail: the link mailed to more
 * people (POST .../shares/ID/recipients), shown by "Send by email". */
static void mail_later(ls_view_out_t *o, apr_pool_t *p)
{
    ls_view_put(
        o,
        "<form id=\"mail-later\" class=\"later\" novalidate hidden "
        "aria-labelledby=\"h-later\"><h3 id=\"h-later\">",
        T("Email this link"), "</h3><label for=\"later-to\">", T("To"),
        "</label><input type=\"text\" id=\"later-to\" inputmode=\"email\" "
        "autocomplete=\"off\" "
        "placeholder=\"name@example.com, other@example.com\" "
        "aria-describedby=\"later-hint later-error\"><p id=\"later-hint\" "
        "class=\"meta\">",
        T("Separate several addresses with commas."), "</p>",
        field_error(p, "later-error"), "<label for=\"later-subject\">",
        T("Subject"), " <span class=\"meta\">", T("(optional)"),
        "</span></label><input type=\"text\" id=\"later-subject\" "
        "maxlength=\"200\"><label for=\"later-message\">",
        T("Message"), " <span class=\"meta\">", T("(optional)"),
        "</span></label><textarea id=\"later-message\" maxlength=\"4000\" "
        "rows=\"3\"></textarea><div class=\"row next\"><button "
        "type=\"submit\" class=\"primary\" id=\"later-send\">",
        T("Send"),
        "</button><button type=\"button\" class=\"link\" "
        "id=\"later-cancel\">",
        T("Cancel"),
        "</button></div><p id=\"later-status\" class=\"meta\" "
        "role=\"status\"></p></form>",
        NULL);
}

static void result_section(ls_view_out_t *o, apr_pool_t *p)
{
    ls_view_put(
        o,
        "<section id=\"result\" class=\"sheet result\" "
        "aria-labelledby=\"h-result\" hidden><svg class=\"done\" "
        "viewBox=\"0 0 40 40\" aria-hidden=\"true\" focusable=\"false\">"
        "<circle cx=\"20\" cy=\"20\" r=\"20\" fill=\"#1e8e3e\"/><path "
        "d=\"M12 20.5l5.5 5.5L29 14.5\" fill=\"none\" stroke=\"#fff\" "
        "stroke-width=\"3.5\" stroke-linecap=\"round\" "
        "stroke-linejoin=\"round\"/></svg><h2 id=\"h-result\">",
        T("Your link is ready"),
        "</h2><p id=\"confirmation\" role=\"status\"></p>"
        "<ul id=\"shared-items\" class=\"chips\" aria-label=\"",
        T("Shared"), "\"></ul><label for=\"share-link\">", T("Share Link"),
        "</label><div class=\"linkrow\"><input type=\"text\" "
        "id=\"share-link\" readonly><button type=\"button\" id=\"copy\" "
        "class=\"primary\">",
        T("Copy"),
        "</button><a id=\"open-link\" class=\"button\" href=\"#\" "
        "target=\"_blank\" rel=\"noopener noreferrer\">",
        T("Open"),
        "</a></div><p id=\"copy-status\" class=\"meta\" role=\"status\"></p>"
        "<div class=\"row next\"><button type=\"button\" id=\"mail-later-open\" "
        "aria-controls=\"mail-later\" aria-expanded=\"false\" hidden>",
        T("Send by email"),
        "</button><a id=\"mail-link\" class=\"button\" "
        "href=\"#\">",
        T("Send by email"), "</a><a class=\"button\" href=\"links.html\">",
        T("See all your Shared Links"),
        "</a><button type=\"button\" class=\"link\" id=\"again\">",
        T("Share something else"), "</button></div>", NULL);
    mail_later(o, p);
    ls_view_put(o, "</section>\n", NULL);
}

static void dialog_body(ls_view_out_t *o, apr_pool_t *p)
{
    ls_view_put(o,
                "<form id=\"share-form\" class=\"sheet\" novalidate>"
                "<div class=\"cols\">\n",
                NULL);
    items_section(o, p);
    options_section(o, p);
    ls_view_put(o, "</div></form>\n", NULL);
    result_section(o, p);
}

static void links_body(ls_view_out_t *o, apr_pool_t *p)
{
    static const char *const states[][2] = {{"all", "All"},
                                            {"active", "Active"},
                                            {"expired", "Expired"},
                                            {"exhausted", "Used up"},
                                            {"revoked", "Revoked"}};
    int i;

    ls_view_put(o,
                "<div class=\"toolbar\"><div class=\"search\"><label "
                "class=\"visually-hidden\" for=\"search\">",
                T("Search by name or item"),
                "</label><input type=\"search\" id=\"search\" "
                "autocomplete=\"off\" placeholder=\"",
                T("Search by name or item"),
                "\"></div><fieldset class=\"seg\" id=\"state-filter\">"
                "<legend class=\"visually-hidden\">",
                T("Show"), "</legend>", NULL);
    for (i = 0; i < 5; i++) {
        ls_view_put(o,
                    "<label><input type=\"radio\" name=\"state\" "
                    "id=\"state-",
                    states[i][0], "\" value=\"", states[i][0], "\"",
                    i == 0 ? " checked" : "", "><span>", T(states[i][1]),
                    "</span></label>", NULL);
    }
    ls_view_put(
        o, "</fieldset><div class=\"sort\"><label for=\"sort\">", T("Sort by"),
        "</label><select id=\"sort\"><option value=\"created-desc\">",
        T("Newest first"), "</option><option value=\"created-asc\">",
        T("Oldest first"), "</option><option value=\"expires-asc\">",
        T("Expiring soonest"), "</option><option value=\"expires-desc\">",
        T("Expiring last"),
        "</option></select></div></div>"
        "<p id=\"all-toggle\" class=\"check\" hidden><input type=\"checkbox\" "
        "id=\"show-all\"> <label for=\"show-all\">",
        T("Show the links of every user"),
        "</label></p><p id=\"links-status\" class=\"meta\" role=\"status\">"
        "</p><p id=\"links-error\" class=\"error\" role=\"alert\"></p>"
        "<table id=\"links\" class=\"sheet\"><caption "
        "class=\"visually-hidden\">",
        T("Your shared links"), "</caption><thead><tr><th scope=\"col\">",
        T("Link"), "</th><th scope=\"col\">", T("State"),
        "</th><th scope=\"col\">", T("Expires"), "</th><th scope=\"col\">",
        T("Recipients"), "</th><th scope=\"col\" class=\"num\">",
        T("Downloads"), "</th><th scope=\"col\">", T("Actions"),
        "</th></tr></thead><tbody></tbody></table>\n", NULL);
}

const char *ls_view_sharer_page(apr_pool_t *p, const ls_view_sharer_t *m)
{
    ls_view_out_t *o = ls_view_out(p);
    int dialog = m->page == LS_SHARER_DIALOG;
    const char *title = dialog ? ls_text("Link Sharing")
                               : ls_text("Shared Links");

    ls_view_put(
        o, ls_view_head(p, title, ls_asset_sharer_css),
        "<header class=\"top\"><div class=\"bar\"><span class=\"brand\">",
        T("LinkShare"), "</span><nav class=\"tabs\" aria-label=\"",
        T("Sharing"), "\"><a href=\"share.html\"",
        dialog ? " aria-current=\"page\"" : "", ">", T("Share files"),
        "</a><a href=\"links.html\"", dialog ? "" : " aria-current=\"page\"",
        ">", T("Shared Links"), "</a></nav><p class=\"who\">",
        T("Signed in as"), " <strong>", ls_view_esc(p, m->user),
        "</strong></p></div></header>\n<main id=\"ls-main\" data-api=\"",
        ls_view_esc(p, m->api_url), "\">\n<h1>", ls_view_esc(p, title),
        "</h1>\n<noscript><p class=\"notice\">",
        T("This page needs JavaScript: it works through the sharing API of "
          "this site."),
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
