/* ls_view_mail: what the mails say: a share mail (subject, text and
 * HTML bodies) and a delivery receipt, from plain models. Core unit; the
 * message itself (headers, MIME, encodings) is ls_mail's.
 *
 * Mail is not under the pages' Content-Security-Policy, and mail clients
 * keep little of a stylesheet: the HTML is tables for layout (Outlook's
 * Word engine ignores most else), every style inline, colours that read
 * the same when a client darkens the message, system fonts, no images
 * (blocked by default in most clients) and a button that is a padded,
 * coloured link in a table cell, so it works even where padding on links
 * does not. */
#include <string.h>

#include <apr_strings.h>
#include <apr_time.h>

#include "ls_text.h"
#include "ls_view.h"
#include "ls_view_mail.h"

/* The look, shared with the pages (assets/sharer.css): one accent. */
#define FONT                                                                   \
    "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,"          \
    "Helvetica,Arial,sans-serif;"
#define INK    "#1f2328"
#define MUTED  "#59636e"
#define ACCENT "#0b57d0"
#define LINE   "#d8dee4"

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

    if (l->name && *l->name) {
        return ls_textf(p, "%s shared \"%s\" with you", l->sharer, l->name);
    }
    if (n == 1) {
        return ls_textf(p, "%s shared \"%s\" with you", l->sharer,
                        APR_ARRAY_IDX(l->items, 0, const char *));
    }
    return ls_textf(p, "%s shared %d items with you", l->sharer, n);
}

/* The frame every mail shares, around rows of the card (each a <tr>):
 * a grey page, a white card of at most 560 pixels, the product's name. */
static const char *frame(apr_pool_t *p, const char *title, const char *rows,
                         const char *note)
{
    return apr_pstrcat(
        p,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width,"
        "initial-scale=1\"><meta name=\"color-scheme\" content=\"light\">"
        "<title>",
        ls_view_esc(p, title),
        "</title></head>\n<body style=\"margin:0;padding:0;"
        "background:#f3f4f6;\">\n<table role=\"presentation\" width=\"100%\" "
        "cellpadding=\"0\" cellspacing=\"0\" border=\"0\" "
        "style=\"background:#f3f4f6;\"><tr><td align=\"center\" "
        "style=\"padding:24px 12px;\">\n<table role=\"presentation\" "
        "width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" "
        "style=\"max-width:560px;background:#ffffff;border:1px solid " LINE
        ";border-radius:12px;\">\n<tr><td style=\"padding:24px 32px 0;" FONT
        "font-size:13px;font-weight:600;letter-spacing:.04em;color:" ACCENT
        ";\">",
        ls_view_esc(p, ls_text("LinkShare")), "</td></tr>\n", rows,
        "</table>\n<table role=\"presentation\" width=\"100%\" "
        "cellpadding=\"0\" cellspacing=\"0\" border=\"0\" "
        "style=\"max-width:560px;\"><tr><td style=\"padding:14px 32px;" FONT
        "font-size:12px;line-height:1.5;color:" MUTED ";text-align:center;\">",
        ls_view_esc(p, note),
        "</td></tr></table>\n</td></tr></table>\n</body></html>\n", NULL);
}

/* A row of the card with the given padding and its content. */
static const char *row(apr_pool_t *p, const char *pad, const char *style,
                       const char *content)
{
    return apr_pstrcat(p, "<tr><td style=\"padding:", pad, ";" FONT, style,
                       "\">", content, "</td></tr>\n", NULL);
}

static const char *html_items(apr_pool_t *p, const ls_view_mail_link_t *l)
{
    const char *out = "";
    int i;

    for (i = 0; i < l->items->nelts; i++) {
        const char *it = APR_ARRAY_IDX(l->items, i, const char *);
        const char *kind = l->kinds && i < l->kinds->nelts
                               ? APR_ARRAY_IDX(l->kinds, i, const char *)
                               : NULL;
        int folder = kind && strcmp(kind, "folder") == 0;
        out = apr_pstrcat(
            p, out,
            "<tr><td style=\"padding:8px 0;border-top:1px solid " LINE ";" FONT
            "font-size:15px;color:" INK ";word-break:break-word;\">"
            "<span style=\"display:inline-block;min-width:64px;font-size:11px;"
            "font-weight:700;letter-spacing:.05em;color:" MUTED ";\">",
            ls_view_esc(p, folder ? ls_text("FOLDER") : ls_text("FILE")),
            "</span> ", ls_view_esc(p, it), "</td></tr>", NULL);
    }
    return apr_pstrcat(p,
                       "<table role=\"presentation\" width=\"100%\" "
                       "cellpadding=\"0\" cellspacing=\"0\" border=\"0\">",
                       out, "</table>", NULL);
}

/* The button: a coloured cell holding a padded link (bulletproof). */
static const char *button(apr_pool_t *p, const char *link, const char *label)
{
    return apr_pstrcat(
        p,
        "<table role=\"presentation\" cellpadding=\"0\" cellspacing=\"0\" "
        "border=\"0\"><tr><td align=\"center\" bgcolor=\"" ACCENT
        "\" style=\"border-radius:8px;background:" ACCENT ";\"><a href=\"",
        ls_view_esc(p, link),
        "\" style=\"display:inline-block;padding:14px 28px;" FONT
        "font-size:16px;font-weight:600;line-height:20px;color:#ffffff;"
        "text-decoration:none;border-radius:8px;\">",
        ls_view_esc(p, label), "</a></td></tr></table>", NULL);
}

static const char *link_html(apr_pool_t *p, const ls_view_mail_link_t *l,
                             const char *headline, const char *what,
                             const char *when)
{
    const char *rows = row(
        p, "8px 32px 4px",
        "font-size:22px;line-height:1.3;font-weight:600;color:" INK ";",
        ls_view_esc(p, headline));

    if (l->message && *l->message) {
        rows = apr_pstrcat(
            p, rows,
            row(p, "12px 32px 4px", "",
                apr_pstrcat(p,
                            "<div style=\"border-left:3px solid " ACCENT
                            ";padding:10px 14px;background:#f6f8fa;" FONT
                            "font-size:15px;line-height:1.5;color:" INK
                            ";white-space:pre-wrap;\">",
                            ls_view_esc(p, l->message), "</div>", NULL)),
            NULL);
    }
    return frame(
        p, headline,
        apr_pstrcat(
            p, rows, row(p, "16px 32px 8px", "", html_items(p, l)),
            row(p, "16px 32px 8px", "",
                button(p, l->link, ls_text("Open the shared files"))),
            row(p, "8px 32px 0",
                "font-size:14px;line-height:1.5;color:" MUTED ";",
                ls_view_esc(
                    p, apr_pstrcat(
                           p, ls_textf(p, "The link works until %s.", when),
                           " ", what, NULL))),
            row(p, "16px 32px 28px",
                "font-size:13px;line-height:1.5;color:" MUTED ";",
                apr_pstrcat(p,
                            ls_view_esc(p, ls_text("If the button does not "
                                                   "work, copy this link "
                                                   "into your browser:")),
                            "<br><a href=\"", ls_view_esc(p, l->link),
                            "\" style=\"color:" ACCENT
                            ";word-break:break-all;\">",
                            ls_view_esc(p, l->link), "</a>", NULL)),
            NULL),
        ls_textf(p,
                 "%s sent you this link with LinkShare. Anyone who has the "
                 "link can open it until it expires.",
                 l->sharer));
}

void ls_view_mail_link_bodies(apr_pool_t *p, const ls_view_mail_link_t *l,
                              const char **text, const char **html)
{
    const char *when = ls_view_mail_time(p, l->expires);
    const char *what = l->allow_original
                           ? ls_text("The original files can be downloaded.")
                           : ls_text("Previews (renditions) only, not the "
                                     "original files.");
    const char *headline = l->name && *l->name
                               ? ls_textf(p, "%s shared \"%s\" with you",
                                          l->sharer, l->name)
                               : ls_textf(
                                   p, "%s shared this with you:", l->sharer);
    apr_array_header_t *t = apr_array_make(p, 16, sizeof(const char *));
    int i;

#define T(...)                                                                 \
    APR_ARRAY_PUSH(t, const char *) = apr_pstrcat(p, __VA_ARGS__, NULL)
    T(headline, "\n");
    if (l->message && *l->message) {
        T("\n", l->message, "\n");
    }
    T("\n");
    for (i = 0; i < l->items->nelts; i++) {
        T("  - ", APR_ARRAY_IDX(l->items, i, const char *), "\n");
    }
    T("\n", ls_text("Open the shared files:"), "\n", l->link, "\n\n",
      ls_textf(p, "The link works until %s.", when), " ", what, "\n");
#undef T
    *text = apr_array_pstrcat(p, t, '\0');
    *html = link_html(p, l, headline, what, when);
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
    *html = frame(
        p, *subject,
        apr_pstrcat(p,
                    row(p, "8px 32px 4px",
                        "font-size:17px;line-height:1.4;color:" INK ";",
                        ls_view_esc(p, what)),
                    row(p, "8px 32px 28px",
                        "font-size:14px;line-height:1.5;color:" MUTED ";",
                        ls_view_esc(p, why)),
                    NULL),
        ls_text("A delivery receipt from LinkShare."));
}
