/* ls_view_inbox: the Download Inbox section and its header control (see
 * ls_view_inbox.h). Without script the section is part of the page and
 * the control links to it; the page script opens it as a panel. The
 * script builds the same markup for the jobs it is sent (linkshare.js). */
#include <string.h>

#include <apr_strings.h>

#include "ls_text.h"
#include "ls_view_inbox.h"

#define ICON_INBOX                                                             \
    "<svg class=\"i\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" "             \
    "focusable=\"false\"><path d=\"M4 13h4l2 3h4l2-3h4M6 4h12l2 9v6a1 1 0 0 "  \
    "1-1 1H5a1 1 0 0 1-1-1v-6z\"/></svg>"
#define ICON_CLOSE                                                             \
    "<svg class=\"i\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" "             \
    "focusable=\"false\"><path d=\"M6 6l12 12M18 6L6 18\"/></svg>"

static int in_progress(const ls_view_job_t *j)
{
    return strcmp(j->state, "queued") == 0 || strcmp(j->state, "running") == 0;
}

/* "asked just now", "asked 5 minutes ago", "asked 2 days ago". */
static const char *asked(apr_pool_t *p, apr_int64_t secs)
{
    apr_int64_t n;

    if (secs < 60) {
        return ls_text("asked just now");
    }
    if (secs < 3600) {
        n = secs / 60;
        return ls_textf(p, "asked %d %s ago", (int)n,
                        ls_text_n((long)n, "minute", "minutes"));
    }
    if (secs < 2 * 86400) {
        n = secs / 3600;
        return ls_textf(p, "asked %d %s ago", (int)n,
                        ls_text_n((long)n, "hour", "hours"));
    }
    n = secs / 86400;
    return ls_textf(p, "asked %d %s ago", (int)n,
                    ls_text_n((long)n, "day", "days"));
}

static void action(ls_view_out_t *o, const char *cls, const char *url,
                   const char *label)
{
    apr_pool_t *p = o->p;

    ls_view_put(o, "<form class=\"", cls, "\" method=\"post\" action=\"",
                ls_view_esc(p, url), "\"><button type=\"submit\">",
                ls_view_esc(p, ls_text(label)), "</button></form>", NULL);
}

static void job_html(ls_view_out_t *o, const ls_view_inbox_t *m,
                     const ls_view_job_t *j)
{
    apr_pool_t *p = o->p;
    int k, nparts = j->parts ? j->parts->nelts : 0;

    ls_view_put(o, "<li class=\"job ", ls_view_esc(p, j->state),
                "\" data-job=\"", ls_view_esc(p, j->id),
                "\"><div class=\"job-head\"><span class=\"what\">",
                ls_view_esc(p, j->label), "</span><span class=\"state\">",
                ls_view_esc(p, ls_text(j->state)), "</span></div>", NULL);
    ls_view_put(
        o, "<p class=\"job-meta\"><span class=\"size\">",
        ls_view_esc(p, ls_textf(p, "%d %s, %s", j->files_total,
                                ls_text_n(j->files_total, "file", "files"),
                                ls_view_size(p, j->bytes_total))),
        "</span><time class=\"asked\" datetime=\"",
        ls_view_esc(p, ls_view_datetime(p, j->created)), "\">",
        ls_view_esc(p, asked(p, m->now - j->created)), "</time></p>", NULL);
    if (in_progress(j)) {
        ls_view_putf(o,
                     "<div class=\"progress\"><progress max=\"%" APR_INT64_T_FMT
                     "\" value=\"%" APR_INT64_T_FMT
                     "\" aria-label=\"%s\"></progress>",
                     j->bytes_total ? j->bytes_total : 1, j->bytes_done,
                     ls_view_esc(p, ls_text("Progress")));
        ls_view_put(o, "<span class=\"done\">",
                    ls_view_esc(p, ls_textf(p, "%d of %d files", j->files_done,
                                            j->files_total)),
                    "</span></div>", NULL);
    }
    if (j->error) {
        ls_view_put(o, "<p class=\"error\">", ls_view_esc(p, j->error), "</p>",
                    NULL);
    }
    if (nparts > 0) {
        ls_view_put(o, "<ul class=\"parts\">", NULL);
        for (k = 0; k < nparts; k++) {
            const ls_view_part_t *pt = &APR_ARRAY_IDX(j->parts, k,
                                                      ls_view_part_t);
            ls_view_put(o, "<li class=\"part\"><a href=\"",
                        ls_view_esc(p, pt->url), "\" download>",
                        ls_view_esc(p, ls_textf(p, "Download %s (%s)", pt->name,
                                                ls_view_size(p, pt->size))),
                        "</a></li>", NULL);
        }
        ls_view_put(o, "</ul><details class=\"sha\"><summary>",
                    ls_view_esc(p, ls_text("SHA-256 checksums")),
                    "</summary><ul>", NULL);
        for (k = 0; k < nparts; k++) {
            const ls_view_part_t *pt = &APR_ARRAY_IDX(j->parts, k,
                                                      ls_view_part_t);
            ls_view_put(o, "<li><span>", ls_view_esc(p, pt->name),
                        "</span><code>", ls_view_esc(p, pt->sha256),
                        "</code></li>", NULL);
        }
        ls_view_put(o, "</ul></details>", NULL);
    }
    ls_view_put(o, "<div class=\"job-actions\">", NULL);
    if (nparts > 1) {
        /* The script's: it starts each part's download in turn. */
        ls_view_put(
            o, "<button type=\"button\" class=\"dlall\" hidden>",
            ls_view_esc(p, ls_textf(p, "Download all %d parts", nparts)),
            "</button>", NULL);
    }
    if (in_progress(j)) {
        action(o, "cancel", j->cancel_url, "Cancel");
    }
    else {
        action(o, "remove", j->remove_url, "Remove");
    }
    ls_view_put(o, "</div></li>", NULL);
}

const char *ls_view_inbox_control(apr_pool_t *p, const ls_view_inbox_t *m)
{
    int n = m->jobs ? m->jobs->nelts : 0;

    return apr_pstrcat(
        p,
        "<a class=\"btn inbox-open\" id=\"ls-inbox-open\" href=\"#ls-inbox\" "
        "aria-haspopup=\"dialog\">",
        ICON_INBOX, "<span>", ls_view_esc(p, ls_text("Download Inbox")),
        "</span><span class=\"count\" id=\"ls-inbox-count\"",
        n ? "" : " hidden", "><span class=\"n\">", apr_itoa(p, n),
        "</span><span class=\"visually-hidden\">",
        ls_view_esc(p, ls_text_n(n, " download", " downloads")),
        "</span></span></a>", NULL);
}

void ls_view_inbox(ls_view_out_t *o, const ls_view_inbox_t *m)
{
    apr_pool_t *p = o->p;
    int i, busy = 0, n = m->jobs ? m->jobs->nelts : 0;

    for (i = 0; i < n; i++) {
        busy |= in_progress(&APR_ARRAY_IDX(m->jobs, i, ls_view_job_t));
    }
    ls_view_put(
        o,
        "<section id=\"ls-inbox\" aria-labelledby=\"ls-inbox-h\" "
        "data-src=\"",
        ls_view_esc(p, m->inbox_url), "\" data-events=\"",
        ls_view_esc(p, m->events_url), "\" data-busy=\"", busy ? "1" : "0",
        "\"><div class=\"inbox-head\"><h2 id=\"ls-inbox-h\">",
        ls_view_esc(p, ls_text("Download Inbox")),
        "</h2><a class=\"refresh\" href=\"", ls_view_esc(p, m->page_url),
        "#ls-inbox\">", ls_view_esc(p, ls_text("Refresh")),
        "</a><button type=\"button\" class=\"close\" hidden aria-label=\"",
        ls_view_esc(p, ls_text("Close the Download Inbox")), "\">", ICON_CLOSE,
        "</button></div><p class=\"status\" id=\"ls-inbox-status\" "
        "role=\"status\"></p>\n",
        NULL);
    if (n == 0) {
        ls_view_put(o, "<p class=\"empty\">",
                    ls_view_esc(p, m->unavailable
                                       ? ls_text("The inbox cannot be shown "
                                                 "right now.")
                                       : ls_text("No downloads yet. Select "
                                                 "files and Queue Download: "
                                                 "they are packaged here.")),
                    "</p></section>\n", NULL);
        return;
    }
    ls_view_put(o, "<ul class=\"jobs\">", NULL);
    for (i = 0; i < n; i++) {
        job_html(o, m, &APR_ARRAY_IDX(m->jobs, i, ls_view_job_t));
    }
    ls_view_put(o, "</ul></section>\n", NULL);
}
