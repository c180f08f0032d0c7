/* ls_view_unlock: a protected link's password form (see
 * ls_view_unlock.h). Works without script: a plain form POST. */
#include <apr_strings.h>

#include "ls_assets.h"
#include "ls_text.h"
#include "ls_view_unlock.h"

const char *ls_view_unlock_page(apr_pool_t *p, const ls_view_unlock_t *m)
{
    ls_view_out_t *o = ls_view_out(p);
    const char *title = ls_text("This link is protected by a password");

    ls_view_put(o,
                ls_view_head_brand(p, title, ls_asset_recipient_css, m->brand),
                NULL);
    if (*ls_view_brandbar(p, m->brand)) {
        ls_view_put(o, "<header class=\"top\"><div class=\"wrap\">",
                    ls_view_brandbar(p, m->brand), "</div></header>", NULL);
    }
    ls_view_put(
        o,
        "<main><div class=\"wrap\"><div class=\"box message unlock\">"
        "<span class=\"pic\"><svg class=\"i\" viewBox=\"0 0 24 24\" "
        "aria-hidden=\"true\" focusable=\"false\"><rect x=\"5\" y=\"11\" "
        "width=\"14\" height=\"10\" rx=\"2\"/><path d=\"M8 11V8a4 4 0 0 1 "
        "8 0v3\"/></svg></span><h1>",
        ls_view_esc(p, title), "</h1><p>",
        ls_view_esc(p, ls_text("Enter the password you were given with the "
                               "link to see the shared files.")),
        "</p><form class=\"unlock-form\" method=\"post\" action=\"",
        ls_view_esc(p, m->action), "\"><label for=\"ls-password\">",
        ls_view_esc(p, ls_text("Password")),
        "</label><input id=\"ls-password\" name=\"password\" "
        "type=\"password\" autocomplete=\"current-password\" required "
        "autofocus",
        m->error ? " aria-invalid=\"true\" aria-describedby=\"ls-password-"
                   "error\""
                 : "",
        ">", NULL);
    if (m->error) {
        ls_view_put(o,
                    "<p id=\"ls-password-error\" class=\"error\" "
                    "role=\"alert\">",
                    ls_view_esc(p, m->error), "</p>", NULL);
    }
    ls_view_put(o, "<button class=\"btn primary\" type=\"submit\">",
                ls_view_esc(p, ls_text("Open")),
                "</button></form></div></div></main>\n</body></html>\n", NULL);
    return ls_view_text(o);
}
