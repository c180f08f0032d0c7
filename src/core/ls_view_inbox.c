/* ls_view_inbox: the Download Inbox section (see ls_view_inbox.h). */
#include <string.h>

#include <apr_strings.h>

#include "ls_text.h"
#include "ls_view_inbox.h"

static int in_progress(const ls_view_job_t *j)
{
    return strcmp(j->state, "queued") == 0 || strcmp(j->state, "running") == 0;
}

static void job_html(ls_view_out_t *o, const ls_view_job_t *j)
{
    apr_pool_t *p = o->p;
    int k;

    ls_view_put(o, "<li class=\"job ", ls_view_esc(p, j->state),
                "\"><span class=\"state\">", ls_view_esc(p, ls_text(j->state)),
                "</span>", NULL);
    ls_view_put(
        o, "<span class=\"what\">",
        ls_view_esc(p, ls_textf(p, "%d %s, %s", j->files_total,
                                ls_text_n(j->files_total, "file", "files"),
                                ls_view_size(p, j->bytes_total))),
        "</span>", NULL);
    if (in_progress(j)) {
        ls_view_putf(o,
                     "<progress max=\"%" APR_INT64_T_FMT
                     "\" value=\"%" APR_INT64_T_FMT
                     "\" aria-label=\"%s\"></progress>",
                     j->bytes_total ? j->bytes_total : 1, j->bytes_done,
                     ls_view_esc(p, ls_text("Progress")));
        ls_view_put(o, "<span class=\"done\">",
                    ls_view_esc(p, ls_textf(p, "%d of %d files", j->files_done,
                                            j->files_total)),
                    "</span>", NULL);
        ls_view_put(
            o, "<form class=\"cancel\" method=\"post\" action=\"",
            ls_view_esc(p, j->cancel_url), "\"><button type=\"submit\">",
            ls_view_esc(p, ls_text("Cancel")), "</button></form>", NULL);
    }
    if (j->error) {
        ls_view_put(o, "<span class=\"error\">", ls_view_esc(p, j->error),
                    "</span>", NULL);
    }
    for (k = 0; j->parts && k < j->parts->nelts; k++) {
        const ls_view_part_t *pt = &APR_ARRAY_IDX(j->parts, k, ls_view_part_t);
        ls_view_put(o, "<div class=\"part\"><a href=\"",
                    ls_view_esc(p, pt->url), "\" download>",
                    ls_view_esc(p, ls_textf(p, "Download %s (%s)", pt->name,
                                            ls_view_size(p, pt->size))),
                    "</a><code class=\"sha\">SHA-256 ",
                    ls_view_esc(p, pt->sha256), "</code></div>", NULL);
    }
    ls_view_put(o, "</li>", NULL);
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
        ls_view_esc(p, m->inbox_url), "\" data-busy=\"", busy ? "1" : "0",
        "\"><h2 id=\"ls-inbox-h\">", ls_view_esc(p, ls_text("Download Inbox")),
        "</h2><p><a class=\"refresh\" href=\"", ls_view_esc(p, m->page_url),
        "#ls-inbox\">", ls_view_esc(p, ls_text("Refresh")), "</a></p>\n", NULL);
    if (n == 0) {
        ls_view_put(o, "<p class=\"empty\">",
                    ls_view_esc(p, m->unavailable
                                       ? ls_text("The inbox cannot be shown "
                                                 "right now.")
                                       : ls_text("No downloads yet.")),
                    "</p></section>\n", NULL);
        return;
    }
    ls_view_put(o, "<ul class=\"jobs\">", NULL);
    for (i = 0; i < n; i++) {
        job_html(o, &APR_ARRAY_IDX(m->jobs, i, ls_view_job_t));
    }
    ls_view_put(o, "</ul></section>\n", NULL);
}
