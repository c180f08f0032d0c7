/* ls_view_message: pages that say one thing (see ls_view_message.h). */
#include <apr_strings.h>

#include "ls_assets.h"
#include "ls_text.h"
#include "ls_view_message.h"

ls_view_message_t *ls_view_message_new(apr_pool_t *p, const char *title)
{
    ls_view_message_t *m = apr_pcalloc(p, sizeof(*m));

    m->title = title;
    m->paras = apr_array_make(p, 3, sizeof(ls_view_para_t));
    return m;
}

ls_view_message_t *ls_view_message_add(ls_view_message_t *m, const char *text)
{
    ls_view_para_t *para = apr_array_push(m->paras);

    para->text = text;
    para->strong = para->after = NULL;
    return m;
}

ls_view_message_t *ls_view_message_expired(apr_pool_t *p, int revoked,
                                           const char *owner)
{
    ls_view_message_t *m = ls_view_message_new(
        p, revoked ? ls_text("This link was withdrawn")
                   : ls_text("This link has expired"));
    ls_view_para_t *who;

    m->kind = revoked ? LS_MSG_REVOKED : LS_MSG_EXPIRED;
    ls_view_message_add(
        m, revoked ? ls_text("This link was withdrawn by the person who "
                             "shared it, so the files are no longer "
                             "available here.")
                   : ls_text("This link has expired, so the files it pointed "
                             "to are no longer available here. Shared links "
                             "work for a limited time only."));
    if (owner == NULL) {
        return ls_view_message_add(
            m, ls_text("If you still need the files, ask the person who "
                       "sent you the link to share them again."));
    }
    who = apr_array_push(m->paras);
    who->text = ls_text("It was shared by ");
    who->strong = owner;
    who->after = ls_text(". If you still need the files, ask them to share "
                         "them again.");
    return m;
}

ls_view_message_t *ls_view_message_not_found(apr_pool_t *p, const char *why)
{
    ls_view_message_t *m = ls_view_message_new(p, ls_text("Not found"));

    m->kind = LS_MSG_MISSING;
    return ls_view_message_add(m, why);
}

ls_view_message_t *ls_view_message_bad_link(apr_pool_t *p)
{
    ls_view_message_t *m = ls_view_message_new(
        p, ls_text("This link does not work"));

    m->kind = LS_MSG_MISSING;
    ls_view_message_add(m, ls_text("No shared files belong to this link."));
    return ls_view_message_add(
        m, ls_text("Check that you copied the whole link, or ask the person "
                   "who sent it for a new one."));
}

ls_view_message_t *ls_view_message_bad_request(apr_pool_t *p, const char *why)
{
    return ls_view_message_add(ls_view_message_new(p, ls_text("Bad request")),
                               why);
}

ls_view_message_t *ls_view_message_unavailable(apr_pool_t *p)
{
    ls_view_message_t *m = ls_view_message_new(
        p, ls_text("Temporarily unavailable"));

    m->kind = LS_MSG_WAIT;
    return ls_view_message_add(
        m,
        ls_text("The shared files cannot be shown right now because the "
                "server cannot reach its database. Please try again in a few "
                "minutes."));
}

/* The picture of a kind of news (decorative). */
static const char *picture(ls_view_msg_kind_t kind)
{
    switch (kind) {
    case LS_MSG_EXPIRED:
        return "<circle cx=\"12\" cy=\"12\" r=\"9\"/><path d=\"M12 7v5l3 "
               "2\"/>";
    case LS_MSG_REVOKED:
        return "<path d=\"M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 "
               "1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1M4 4l16 "
               "16\"/>";
    case LS_MSG_MISSING:
        return "<circle cx=\"11\" cy=\"11\" r=\"7\"/><path d=\"M20 20l-4-4"
               "M9 9l4 4M13 9l-4 4\"/>";
    case LS_MSG_WAIT:
        return "<path d=\"M7 3h10M7 21h10M8 3c0 5 8 5 8 9s-8 4-8 9M16 3c0 "
               "5-8 5-8 9s8 4 8 9\"/>";
    default:
        return "<circle cx=\"12\" cy=\"12\" r=\"9\"/><path d=\"M12 11v6M12 "
               "7.5v.01\"/>";
    }
}

const char *ls_view_message_page(apr_pool_t *p, const ls_view_message_t *m)
{
    ls_view_out_t *o = ls_view_out(p);
    int i;

    ls_view_put(
        o, ls_view_head_brand(p, m->title, ls_asset_recipient_css, m->brand),
        NULL);
    if (*ls_view_brandbar(p, m->brand)) {
        /* Only a brand has something to say above the message. */
        ls_view_put(o, "<header class=\"top\"><div class=\"wrap\">",
                    ls_view_brandbar(p, m->brand), "</div></header>", NULL);
    }
    ls_view_put(o,
                "<main><div class=\"wrap\"><div class=\"box "
                "message\"><span class=\"pic\"><svg class=\"i\" "
                "viewBox=\"0 0 24 24\" aria-hidden=\"true\" "
                "focusable=\"false\">",
                picture(m->kind), "</svg></span><h1>", ls_view_esc(p, m->title),
                "</h1>", NULL);
    for (i = 0; i < m->paras->nelts; i++) {
        const ls_view_para_t *para = &APR_ARRAY_IDX(m->paras, i,
                                                    ls_view_para_t);
        ls_view_put(o, "<p>", ls_view_esc(p, para->text), NULL);
        if (para->strong) {
            ls_view_put(o, "<strong>", ls_view_esc(p, para->strong),
                        "</strong>", NULL);
        }
        ls_view_put(o, ls_view_esc(p, para->after), "</p>", NULL);
    }
    if (m->back.label) {
        ls_view_put(o, "<p class=\"back\"><a class=\"btn primary\" href=\"",
                    ls_view_esc(p, m->back.url), "\">",
                    ls_view_esc(p, m->back.label), "</a></p>", NULL);
    }
    ls_view_put(o, "</div></div></main>\n</body></html>\n", NULL);
    return ls_view_text(o);
}
