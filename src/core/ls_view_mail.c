/* ls_view_mail: what the mails say: a share mail (subject, text and
 * HTML bodies) and a delivery receipt, from plain models. Core unit; the
 * message itself (headers, MIME, encodings) is ls_mail's. */
#include <apr_strings.h>
#include <apr_time.h>

#include "ls_text.h"
#include "ls_view.h"
#include "ls_view_mail.h"

const char *ls_view_mail_time(apr_pool_t *p, apr_int64_t t)
{
    static const char *const days[] = {"Sunday",    "Monday",   "Tuesday",
                                       "Wednesday", "Thursday", "Friday",
                                       "Saturday"};
    static const char *const months[] = {
        "January", "February", "March",     "April",   "May",      "June",
        "July",    "August",   "September", "October", "November", "December"};
    apr_time_exp_t tm;

    apr_time_exp_gmt(&tm, apr_time_from_sec(t));
    return apr_psprintf(p, "%s %d %s %d, %02d:%02d UTC", days[tm.tm_wday],
                        tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900,
                        tm.tm_hour, tm.tm_min);
}

const char *ls_view_mail_link_subject(apr_pool_t *p,
                                      const ls_view_mail_link_t *l)
{
    int n = l->items->nelts;

    if (n == 1) {
        return ls_textf(p, "%s shared \"%s\" with you", l->sharer,
                        APR_ARRAY_IDX(l->items, 0, const char *));
    }
    return ls_textf(p, "%s shared %d items with you", l->sharer, n);
}

void ls_view_mail_link_bodies(apr_pool_t *p, const ls_view_mail_link_t *l,
                              const char **text, const char **html)
{
    const char *when = ls_view_mail_time(p, l->expires);
    const char *what = l->allow_original
                           ? ls_text("the original files")
                           : ls_text(
                               "renditions (previews) only, not the originals");
    apr_array_header_t *t = apr_array_make(p, 16, sizeof(const char *));
    apr_array_header_t *h = apr_array_make(p, 16, sizeof(const char *));
    int i;

#define T(...)                                                                 \
    APR_ARRAY_PUSH(t, const char *) = apr_pstrcat(p, __VA_ARGS__, NULL)
#define H(...)                                                                 \
    APR_ARRAY_PUSH(h, const char *) = apr_pstrcat(p, __VA_ARGS__, NULL)
    T(ls_textf(p, "%s shared this with you:", l->sharer), "\n");
    H("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>"
      "<body style=\"font-family:sans-serif\">\n<p>",
      ls_view_esc(p, ls_textf(p, "%s shared this with you:", l->sharer)),
      "</p>\n");
    if (l->message && *l->message) {
        T("\n", l->message, "\n");
        H("<blockquote style=\"white-space:pre-wrap\">",
          ls_view_esc(p, l->message), "</blockquote>\n");
    }
    T("\n");
    H("<ul>\n");
    for (i = 0; i < l->items->nelts; i++) {
        const char *it = APR_ARRAY_IDX(l->items, i, const char *);
        T("  - ", it, "\n");
        H("<li>", ls_view_esc(p, it), "</li>\n");
    }
    H("</ul>\n");
    T("\n", ls_textf(p, "Open the link to see and download them (%s):", what),
      "\n", l->link, "\n\n", ls_textf(p, "The link works until %s.", when),
      "\n");
    H("<p><a href=\"", ls_view_esc(p, l->link), "\">",
      ls_view_esc(p, ls_text("Open the shared items")), "</a> (",
      ls_view_esc(p, what), ")</p>\n<p>",
      ls_view_esc(p, ls_text("Or copy this link:")), " ",
      ls_view_esc(p, l->link), "</p>\n<p>",
      ls_view_esc(p, ls_textf(p, "The link works until %s.", when)),
      "</p>\n</body></html>\n");
#undef T
#undef H
    *text = apr_array_pstrcat(p, t, '\0');
    *html = apr_array_pstrcat(p, h, '\0');
}

void ls_view_mail_receipt(apr_pool_t *p, const char *title, int n, int total,
                          apr_int64_t when, const char **subject,
                          const char **text, const char **html)
{
    const char *at = ls_view_mail_time(p, when);
    const char *part = total > 1 ? ls_textf(p, "part %d of %d of ", n, total)
                                 : "";
    const char *what = ls_textf(p,
                                "Someone with your link downloaded %s\"%s\" "
                                "completely on %s.",
                                part, title, at);
    const char *why = ls_text("You asked to be told when this happens; you "
                              "get one message per part.");

    *subject = ls_textf(p, "Downloaded: %s%s", part, title);
    *text = apr_pstrcat(p, what, "\n\n", why, "\n", NULL);
    *html = apr_pstrcat(
        p,
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>"
        "<body style=\"font-family:sans-serif\">\n<p>",
        ls_view_esc(p, what), "</p>\n<p>", ls_view_esc(p, why),
        "</p>\n</body></html>\n", NULL);
}
