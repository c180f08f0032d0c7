/* ls_view_listing: the Link Share page of a folder (see
 * ls_view_listing.h). */
#include <apr_strings.h>

#include "ls_assets.h"
#include "ls_text.h"
#include "ls_view_listing.h"

/* A sort control: the label, and the arrow of the active one. */
static const char *sort_link(apr_pool_t *p, const ls_view_sort_t *s,
                             const char *label)
{
    return apr_pstrcat(p, "<a href=\"", ls_view_esc(p, s->url), "\"",
                       s->active ? (s->desc ? " aria-sort=\"descending\""
                                            : " aria-sort=\"ascending\"")
                                 : "",
                       ">", ls_view_esc(p, ls_text(label)),
                       s->active ? (s->desc ? " \xe2\x96\xbc" : " \xe2\x96\xb2")
                                 : "",
                       "</a>", NULL);
}

/* The selection checkbox of an entry (a folder's size is -1: the page
 * script cannot add it up). */
static const char *checkbox(apr_pool_t *p, const ls_view_entry_t *e)
{
    return apr_psprintf(p,
                        "<input type=\"checkbox\" name=\"path\" value=\"%s\" "
                        "data-size=\"%" APR_INT64_T_FMT "\" aria-label=\"%s\">",
                        ls_view_esc(p, e->rel),
                        e->is_dir ? (apr_int64_t)-1 : e->size,
                        ls_view_esc(p, ls_textf(p, "Select %s", e->name)));
}

static void row_html(ls_view_out_t *o, const ls_view_entry_t *e)
{
    apr_pool_t *p = o->p;
    const char *name = ls_view_esc(p, e->name);
    const char *label = ls_view_esc(p, ls_text(e->label));

    if (!e->available) {
        ls_view_put(o, "<tr class=\"item gone\"><td></td><td class=\"name\">",
                    name, "</td><td>", label,
                    "</td><td class=\"num opt\"></td><td class=\"num opt\">"
                    "</td><td>",
                    ls_view_esc(p, ls_text("Unavailable: moved or deleted")),
                    "</td></tr>\n", NULL);
        return;
    }
    ls_view_put(o, "<tr class=\"item\"><td>", checkbox(p, e),
                "</td><td class=\"name\"><a href=\"",
                ls_view_esc(p, e->open_url), "\">", name, "</a></td><td>",
                label, "</td><td class=\"num opt\">",
                e->is_dir ? "" : ls_view_size(p, e->size),
                "</td><td class=\"num opt\">", ls_view_time(p, e->mtime),
                "</td><td>", NULL);
    if (e->file_url) {
        ls_view_put(o, "<a href=\"", ls_view_esc(p, e->file_url),
                    "\" download>", ls_view_esc(p, ls_text("Download")), "</a>",
                    NULL);
    }
    else if (e->no_original) {
        ls_view_put(o, "<span class=\"meta\">",
                    ls_view_esc(p, ls_text("Not available without originals")),
                    "</span>", NULL);
    }
    ls_view_put(o, "</td></tr>\n", NULL);
}

static void card_html(ls_view_out_t *o, const ls_view_entry_t *e)
{
    apr_pool_t *p = o->p;
    const char *name = ls_view_esc(p, e->name);
    const char *open = ls_view_esc(p, e->open_url);

    if (!e->available) {
        ls_view_put(o, "<li class=\"item card gone\"><span class=\"icon ",
                    ls_view_esc(p, e->kind),
                    "\" aria-hidden=\"true\"></span><span class=\"name\">",
                    name, "</span><span class=\"sub\">",
                    ls_view_esc(p, ls_text("Unavailable: moved or deleted")),
                    "</span></li>\n", NULL);
        return;
    }
    ls_view_put(o, "<li class=\"item card\">", checkbox(p, e),
                "<a class=\"thumb\" href=\"", open,
                "\" tabindex=\"-1\" aria-hidden=\"true\">", NULL);
    if (e->thumb_url) {
        ls_view_put(o, "<img src=\"", ls_view_esc(p, e->thumb_url),
                    "\" alt=\"\" loading=\"lazy\"",
                    e->thumb_pending ? " data-pending=\"1\"" : "", ">", NULL);
    }
    else {
        ls_view_put(o, "<span class=\"icon ", ls_view_esc(p, e->kind), "\">",
                    e->is_dir ? "" : ls_view_esc(p, e->ext), "</span>", NULL);
    }
    ls_view_put(o, "</a><a class=\"name\" href=\"", open, "\">", name,
                "</a><span class=\"sub\"><span class=\"badge\">",
                ls_view_esc(p, ls_text(e->label)), "</span> ",
                e->is_dir ? "" : ls_view_size(p, e->size), NULL);
    if (e->file_url) {
        ls_view_put(o, " <a href=\"", ls_view_esc(p, e->file_url),
                    "\" download aria-label=\"",
                    ls_view_esc(p, ls_textf(p, "Download %s", e->name)), "\">",
                    ls_view_esc(p, ls_text("Download")), "</a>", NULL);
    }
    else if (e->no_original) {
        ls_view_put(o, " <span class=\"meta\">",
                    ls_view_esc(p, ls_text("Not available without originals")),
                    "</span>", NULL);
    }
    ls_view_put(o, "</span></li>\n", NULL);
}

/* Previous/next page links when a folder has more than one page. */
static void pager(ls_view_out_t *o, const ls_view_listing_t *m)
{
    apr_pool_t *p = o->p;

    if (m->pages < 2) {
        return;
    }
    ls_view_put(o, "<nav class=\"pager\" aria-label=\"",
                ls_view_esc(p, ls_text("Pages")), "\">", NULL);
    if (m->prev_url) {
        ls_view_put(o, "<a rel=\"prev\" href=\"", ls_view_esc(p, m->prev_url),
                    "\">&larr; ", ls_view_esc(p, ls_text("Previous")), "</a>",
                    NULL);
    }
    ls_view_put(o, "<span>",
                ls_view_esc(p, ls_textf(p, "Page %d of %d", m->page, m->pages)),
                "</span>", NULL);
    if (m->next_url) {
        ls_view_put(o, "<a rel=\"next\" href=\"", ls_view_esc(p, m->next_url),
                    "\">", ls_view_esc(p, ls_text("Next")), " &rarr;</a>",
                    NULL);
    }
    ls_view_put(o, "</nav>\n", NULL);
}

static void header_html(ls_view_out_t *o, const ls_view_listing_t *m)
{
    apr_pool_t *p = o->p;

    ls_view_put(
        o, "<header><h1>", ls_view_esc(p, m->title), "</h1><p class=\"meta\">",
        ls_view_esc(p, ls_textf(p, "Shared by %s. This link expires on %s.",
                                m->owner, ls_view_time(p, m->expires))),
        m->renditions_only
            ? ls_view_esc(p, ls_text(" Downloads are renditions, not "
                                     "original files."))
            : "",
        "</p></header><main>\n", NULL);
    ls_view_crumbs(o, m->crumbs);
    ls_view_put(o, "<div class=\"tools\"><nav class=\"views\" aria-label=\"",
                ls_view_esc(p, ls_text("View")), "\"><a href=\"",
                ls_view_esc(p, m->card_url), "\"",
                m->cards ? " aria-current=\"true\"" : "", ">",
                ls_view_esc(p, ls_text("Cards")), "</a> <a href=\"",
                ls_view_esc(p, m->list_url), "\"",
                m->cards ? "" : " aria-current=\"true\"", ">",
                ls_view_esc(p, ls_text("List")),
                "</a></nav><nav class=\"sort\" aria-label=\"",
                ls_view_esc(p, ls_text("Sort")), "\">",
                ls_view_esc(p, ls_text("Sort by")), " ",
                sort_link(p, &m->by_name, "name"), " ",
                sort_link(p, &m->by_size, "size"), " ",
                sort_link(p, &m->by_date, "date"), "</nav></div>\n", NULL);
}

/* The selection form. Without JavaScript it posts the selection and the
 * server answers with this page again (303); the inbox after it is
 * rendered here too, and the script only makes it refresh itself. */
static void form_html(ls_view_out_t *o, const ls_view_listing_t *m)
{
    apr_pool_t *p = o->p;
    int i;

    ls_view_put(o, "<form id=\"ls-select\" method=\"post\" action=\"",
                ls_view_esc(p, m->queue_url),
                "\"><div class=\"actions\"><label class=\"all\" hidden>"
                "<input type=\"checkbox\" id=\"ls-all\"> ",
                ls_view_esc(p, m->pages > 1 ? ls_text("Select all on this "
                                                      "page")
                                            : ls_text("Select all")),
                "</label> <button type=\"submit\" id=\"ls-queue\">",
                ls_view_esc(p, ls_text("Queue Download")),
                "</button> <span id=\"ls-count\" aria-live=\"polite\">",
                ls_view_esc(p, ls_text("Nothing selected: Queue Download "
                                       "takes everything.")),
                "</span></div>\n", NULL);
    pager(o, m);
    if (m->cards) {
        ls_view_put(o, "<ul class=\"cards items\">\n", NULL);
    }
    else {
        ls_view_put(o,
                    "<table class=\"items\"><thead><tr><th scope=\"col\">"
                    "<span class=\"visually-hidden\">",
                    ls_view_esc(p, ls_text("Selected")),
                    "</span></th><th scope=\"col\">",
                    sort_link(p, &m->by_name, "Name"),
                    "</th><th scope=\"col\">", ls_view_esc(p, ls_text("Type")),
                    "</th><th scope=\"col\" class=\"opt\">",
                    sort_link(p, &m->by_size, "Size"),
                    "</th><th scope=\"col\" class=\"opt\">",
                    sort_link(p, &m->by_date, "Modified"),
                    "</th><th scope=\"col\"><span class=\"visually-hidden\">",
                    ls_view_esc(p, ls_text("Actions")),
                    "</span></th></tr></thead><tbody>\n", NULL);
    }
    for (i = 0; i < m->entries->nelts; i++) {
        const ls_view_entry_t *e = &APR_ARRAY_IDX(m->entries, i,
                                                  ls_view_entry_t);
        if (m->cards) {
            card_html(o, e);
        }
        else {
            row_html(o, e);
        }
    }
    if (m->entries->nelts == 0) {
        const char *empty = ls_view_esc(p, ls_text("This folder is empty."));
        ls_view_put(
            o, m->cards ? "<li class=\"empty\">" : "<tr><td colspan=\"6\">",
            empty, m->cards ? "</li>\n" : "</td></tr>\n", NULL);
    }
    ls_view_put(o, m->cards ? "</ul>\n" : "</tbody></table>\n", NULL);
    pager(o, m);
    ls_view_put(o, "</form>\n", NULL);
}

const char *ls_view_listing_page(apr_pool_t *p, const ls_view_listing_t *m)
{
    ls_view_out_t *o = ls_view_out(p);

    ls_view_put(o, ls_view_head(p, m->title, ls_asset_recipient_css), NULL);
    header_html(o, m);
    form_html(o, m);
    ls_view_inbox(o, m->inbox);
    ls_view_put(o, "</main><script>", ls_asset_linkshare_js,
                "</script>\n</body></html>\n", NULL);
    return ls_view_text(o);
}
