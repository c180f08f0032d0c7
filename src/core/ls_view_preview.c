/* ls_view_preview: the preview page (see ls_view_preview.h). */
#include <apr_strings.h>

#include "ls_assets.h"
#include "ls_text.h"
#include "ls_view_preview.h"

static void neighbours(ls_view_out_t *o, const ls_view_preview_t *m)
{
    apr_pool_t *p = o->p;

    if (m->pos == 0) {
        return;
    }
    ls_view_put(o, "<nav class=\"pager\" aria-label=\"",
                ls_view_esc(p, ls_text("Files in this folder")), "\">", NULL);
    if (m->prev.label) {
        ls_view_put(o, "<a rel=\"prev\" href=\"", ls_view_esc(p, m->prev.url),
                    "\">&larr; ", ls_view_esc(p, m->prev.label), "</a>", NULL);
    }
    ls_view_put(o, "<span>",
                ls_view_esc(p, ls_textf(p, "File %d of %d", m->pos, m->files)),
                "</span>", NULL);
    if (m->next.label) {
        ls_view_put(o, "<a rel=\"next\" href=\"", ls_view_esc(p, m->next.url),
                    "\">", ls_view_esc(p, m->next.label), " &rarr;</a>", NULL);
    }
    ls_view_put(o, "</nav>\n", NULL);
}

static void text_html(ls_view_out_t *o, const ls_view_preview_t *m)
{
    apr_pool_t *p = o->p;

    if (m->text == NULL) {
        ls_view_put(o, "<p>",
                    ls_view_esc(p, ls_text("This file cannot be read right "
                                           "now.")),
                    "</p>", NULL);
        return;
    }
    ls_view_put(o, "<pre class=\"text\" tabindex=\"0\">",
                ls_view_esc(p, m->text), "</pre>", NULL);
    if (m->size > m->text_len) {
        ls_view_put(o, "<p class=\"meta\">",
                    ls_view_esc(p, ls_textf(p,
                                            "Showing the first %s of %s. "
                                            "Download the file to see all "
                                            "of it.",
                                            ls_view_size(p, m->text_len),
                                            ls_view_size(p, m->size))),
                    "</p>", NULL);
    }
}

static const char *kind_class(const ls_view_preview_t *m)
{
    if (!m->available || m->kind == LS_PREVIEW_NONE) {
        return "none";
    }
    return m->kind == LS_PREVIEW_IMAGE   ? "image"
           : m->kind == LS_PREVIEW_PDF   ? "pdf"
           : m->kind == LS_PREVIEW_VIDEO ? "video"
                                         : "text";
}

static void preview_html(ls_view_out_t *o, const ls_view_preview_t *m)
{
    apr_pool_t *p = o->p;
    const char *name = ls_view_esc(p, m->name);
    const char *src = ls_view_esc(p, m->view_url);

    if (m->kind == LS_PREVIEW_NONE || !m->available) {
        ls_view_put(o, "<p>",
                    ls_view_esc(p, m->kind == LS_PREVIEW_NONE
                                       ? ls_text("There is no preview for "
                                                 "this type of file.")
                                       : ls_text("There is no preview of "
                                                 "this file.")),
                    "</p>", NULL);
    }
    else if (m->kind == LS_PREVIEW_IMAGE) {
        ls_view_put(o, "<img src=\"", src, "\" alt=\"", name, "\">", NULL);
    }
    else if (m->kind == LS_PREVIEW_PDF) {
        /* The first page as a poster that opens the browser's own PDF
         * viewer: what a phone shows (phones do not draw a PDF in a
         * frame); wider screens get the viewer in the page, loaded only
         * when shown (loading=lazy). */
        if (m->poster_url) {
            ls_view_put(
                o, "<a class=\"pdf-poster\" href=\"", src, "\"><img src=\"",
                ls_view_esc(p, m->poster_url), "\" alt=\"",
                ls_view_esc(p, ls_textf(p, "Page 1 of %s", m->name)),
                "\"><span class=\"button\">",
                ls_view_esc(p, ls_text("Open the PDF")), "</span></a>", NULL);
        }
        ls_view_put(o, "<iframe src=\"", src, "\" title=\"", name, "\"",
                    m->poster_url ? " loading=\"lazy\"" : "", "></iframe>",
                    NULL);
    }
    else if (m->kind == LS_PREVIEW_VIDEO) {
        ls_view_put(o, "<video controls preload=\"metadata\" src=\"", src, "\"",
                    NULL);
        if (m->poster_url) {
            ls_view_put(o, " poster=\"", ls_view_esc(p, m->poster_url), "\"",
                        NULL);
        }
        ls_view_put(o, ">",
                    ls_view_esc(p, ls_text("Your browser cannot play this "
                                           "video.")),
                    "</video>", NULL);
    }
    else {
        text_html(o, m);
    }
}

const char *ls_view_preview_page(apr_pool_t *p, const ls_view_preview_t *m)
{
    ls_view_out_t *o = ls_view_out(p);
    const char *name = ls_view_esc(p, m->name);

    ls_view_put(
        o, ls_view_head(p, m->name, ls_asset_recipient_css), "<header><h1>",
        name, "</h1><p class=\"meta\">",
        ls_view_esc(p, ls_textf(p, "%s, %s, modified %s", ls_text(m->label),
                                ls_view_size(p, m->size),
                                ls_view_time(p, m->mtime))),
        "</p></header><main>\n", NULL);
    ls_view_crumbs(o, m->crumbs);
    neighbours(o, m);
    ls_view_put(o, "<div class=\"box preview ", kind_class(m), "\">", NULL);
    preview_html(o, m);
    ls_view_put(o, "<p class=\"actions\"><a class=\"button\" href=\"",
                ls_view_esc(p, m->download_url), "\" download>",
                ls_view_esc(p, ls_textf(p, "Download %s", m->name)),
                "</a> <a href=\"", ls_view_esc(p, m->back_url), "\">",
                ls_view_esc(p, ls_text("Back to the folder")),
                "</a></p></div></main><script>", ls_asset_preview_js,
                "</script>\n</body></html>\n", NULL);
    return ls_view_text(o);
}
