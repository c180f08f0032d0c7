/* ls_view_listing: the Link Share page of a folder (see
 * ls_view_listing.h): the header (the share's title, who shared it, when
 * it expires, Download all), the view and sort controls, the selection
 * form with its sticky bar and the entries as cards or rows, the pager and
 * the Download Inbox. */
#include <apr_strings.h>

#include "ls_assets.h"
#include "ls_text.h"
#include "ls_view_listing.h"

/* Small inline icons (decorative: the control around them is named). */
#define SVG_OPEN                                                               \
    "<svg class=\"i\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" "             \
    "focusable=\"false\">"
#define ICON_DOWNLOAD                                                          \
    SVG_OPEN "<path d=\"M12 3v12m0 0l-5-5m5 5l5-5M4 17v2a2 2 0 0 0 2 2h12a2 "  \
             "2 0 0 0 2-2v-2\"/></svg>"
#define ICON_QUEUE                                                             \
    SVG_OPEN "<path d=\"M4 13h4l2 3h4l2-3h4M6 4h12l2 9v6a1 1 0 0 1-1 1H5a1 "   \
             "1 0 0 1-1-1v-6z\"/><path d=\"M12 6v6m-3-3l3 3 3-3\"/></svg>"
#define ICON_GRID                                                              \
    SVG_OPEN "<path d=\"M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z\"/" \
             "></svg>"
#define ICON_LIST                                                              \
    SVG_OPEN "<path d=\"M8 6h12M8 12h12M8 18h12M4 6h.01M4 12h.01M4 "           \
             "18h.01\"/></svg>"
#define ICON_CLOCK                                                             \
    SVG_OPEN "<circle cx=\"12\" cy=\"12\" r=\"9\"/><path d=\"M12 7v5l3 "       \
             "2\"/></svg>"
#define ICON_USER                                                              \
    SVG_OPEN "<circle cx=\"12\" cy=\"8\" r=\"4\"/><path d=\"M4 21a8 8 0 0 1 "  \
             "16 0\"/></svg>"

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

/* The selection checkbox of an entry (a folder whose size is not known
 * has -1: the page script counts it apart). */
static const char *checkbox(apr_pool_t *p, const ls_view_entry_t *e)
{
    return apr_psprintf(p,
                        "<input type=\"checkbox\" name=\"path\" value=\"%s\" "
                        "data-size=\"%" APR_INT64_T_FMT "\" aria-label=\"%s\">",
                        ls_view_esc(p, e->rel), e->size < 0 ? -1 : e->size,
                        ls_view_esc(p, ls_textf(p, "Select %s", e->name)));
}

/* Queue this one item: submits the empty form #ls-one with its path. */
static const char *queue_one(apr_pool_t *p, const ls_view_entry_t *e)
{
    return apr_pstrcat(
        p,
        "<button type=\"submit\" class=\"qone\" form=\"ls-one\" "
        "name=\"path\" value=\"",
        ls_view_esc(p, e->rel), "\" title=\"",
        ls_view_esc(p, ls_text("Queue this item")), "\" aria-label=\"",
        ls_view_esc(p, ls_textf(p, "Queue a download of %s", e->name)), "\">",
        ICON_QUEUE, "</button>", NULL);
}

/* A file's own download, or why a share without originals has none. */
static const char *download(apr_pool_t *p, const ls_view_entry_t *e)
{
    if (e->file_url) {
        return apr_pstrcat(p, "<a class=\"dl\" href=\"",
                           ls_view_esc(p, e->file_url), "\" download title=\"",
                           ls_view_esc(p, ls_text("Download")),
                           "\" aria-label=\"",
                           ls_view_esc(p, ls_textf(p, "Download %s", e->name)),
                           "\">", ICON_DOWNLOAD, "</a>", NULL);
    }
    if (e->no_original) {
        return apr_pstrcat(
            p, "<span class=\"meta\">",
            ls_view_esc(p, ls_text("Not available without originals")),
            "</span>", NULL);
    }
    return "";
}

static const char *size_of(apr_pool_t *p, const ls_view_entry_t *e)
{
    return e->size < 0 ? "" : ls_view_size(p, e->size);
}

static void row_html(ls_view_out_t *o, const ls_view_entry_t *e)
{
    apr_pool_t *p = o->p;
    const char *name = ls_view_esc(p, e->name);
    const char *label = ls_view_esc(p, ls_text(e->label));

    if (!e->available) {
        ls_view_put(o,
                    "<tr class=\"item gone\"><td class=\"pick\"></td>"
                    "<td class=\"ic\">",
                    ls_view_icon(p, e->kind, e->ext),
                    "</td><td class=\"name\">", name, "</td><td class=\"opt\">",
                    label,
                    "</td><td class=\"num\"></td><td class=\"num opt\"></td>"
                    "<td class=\"act\">",
                    ls_view_esc(p, ls_text("Unavailable: moved or deleted")),
                    "</td></tr>\n", NULL);
        return;
    }
    ls_view_put(o, "<tr class=\"item\"><td class=\"pick\">", checkbox(p, e),
                "</td><td class=\"ic\">", ls_view_icon(p, e->kind, e->ext),
                "</td><td class=\"name\"><a href=\"",
                ls_view_esc(p, e->open_url), "\">", name,
                "</a></td><td class=\"opt\">", label, "</td><td class=\"num\">",
                size_of(p, e), "</td><td class=\"num opt\">",
                ls_view_time(p, e->mtime), "</td><td class=\"act\">",
                queue_one(p, e), download(p, e), "</td></tr>\n", NULL);
}

static void card_html(ls_view_out_t *o, const ls_view_entry_t *e)
{
    apr_pool_t *p = o->p;
    const char *name = ls_view_esc(p, e->name);
    const char *open = ls_view_esc(p, e->open_url);

    if (!e->available) {
        ls_view_put(o, "<li class=\"item card gone\"><span class=\"thumb\">",
                    ls_view_icon(p, e->kind, e->ext),
                    "</span><span class=\"info\"><span class=\"name\">", name,
                    "</span><span class=\"sub\">",
                    ls_view_esc(p, ls_text("Unavailable: moved or deleted")),
                    "</span></span></li>\n", NULL);
        return;
    }
    ls_view_put(o, "<li class=\"item card", e->is_dir ? " dir" : "", "\">",
                checkbox(p, e), "<a class=\"thumb\" href=\"", open,
                "\" tabindex=\"-1\" aria-hidden=\"true\">", NULL);
    if (e->thumb_url) {
        ls_view_put(o, "<img src=\"", ls_view_esc(p, e->thumb_url),
                    "\" alt=\"\" loading=\"lazy\"",
                    e->thumb_pending ? " data-pending=\"1\"" : "", ">", NULL);
    }
    else {
        ls_view_put(o, ls_view_icon(p, e->kind, e->ext), NULL);
    }
    ls_view_put(o, "</a>", queue_one(p, e),
                "<span class=\"info\"><a class=\"name\" href=\"", open, "\">",
                name, "</a><span class=\"sub\"><span class=\"badge\">",
                ls_view_esc(p, ls_text(e->label)), "</span> ",
                "<span class=\"size\">", size_of(p, e), "</span>",
                download(p, e), "</span></span></li>\n", NULL);
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
        ls_view_put(o, "<a class=\"btn\" rel=\"prev\" href=\"",
                    ls_view_esc(p, m->prev_url), "\">&larr; ",
                    ls_view_esc(p, ls_text("Previous")), "</a>", NULL);
    }
    ls_view_put(o, "<span>",
                ls_view_esc(p, ls_textf(p, "Page %d of %d", m->page, m->pages)),
                "</span>", NULL);
    if (m->next_url) {
        ls_view_put(o, "<a class=\"btn\" rel=\"next\" href=\"",
                    ls_view_esc(p, m->next_url), "\">",
                    ls_view_esc(p, ls_text("Next")), " &rarr;</a>", NULL);
    }
    ls_view_put(o, "</nav>\n", NULL);
}

/* When the link expires: relative (the page script keeps it current, in
 * the recipient's clock) and the moment, in UTC until the script shows it
 * in the recipient's time zone. Under an hour left: a warning. */
static const char *expiry(apr_pool_t *p, const ls_view_listing_t *m)
{
    apr_int64_t left = m->expires - m->now;

    return apr_pstrcat(
        p, "<span class=\"expiry", left < 3600 ? " soon" : "", "\">",
        ICON_CLOCK, "<span>", ls_view_esc(p, ls_text("Expires")),
        " <span class=\"rel\">", ls_view_esc(p, ls_view_relative(p, left)),
        "</span> <time datetime=\"",
        ls_view_esc(p, ls_view_datetime(p, m->expires)), "\">",
        ls_view_esc(p, ls_view_time(p, m->expires)), "</time></span></span>",
        NULL);
}

/* Download all: offered with its size when the whole share fits one
 * download; when it does not, said before anyone clicks, with the limit.
 * Its own form (empty: the whole share), so it works without script. */
static void all_html(ls_view_out_t *o, const ls_view_listing_t *m)
{
    apr_pool_t *p = o->p;

    if (m->all == LS_ALL_FITS) {
        ls_view_put(
            o, "<form class=\"all\" method=\"post\" action=\"",
            ls_view_esc(p, m->queue_url),
            "\"><button type=\"submit\" class=\"btn primary\" id=\"ls-dlall\">",
            ICON_DOWNLOAD, ls_view_esc(p, ls_text("Download all")),
            "</button><span class=\"total\" id=\"ls-total\">",
            ls_view_esc(p, ls_textf(p, "%d %s, %s", m->all_files,
                                    ls_text_n(m->all_files, "file", "files"),
                                    ls_view_size(p, m->all_bytes))),
            "</span></form>\n", NULL);
    }
    else if (m->all == LS_ALL_TOO_BIG) {
        ls_view_put(
            o, "<p class=\"limit\" id=\"ls-limit\">",
            ls_view_esc(
                p, m->too_many_files
                       ? ls_textf(p,
                                  "Everything together is more than the %d "
                                  "files one download may hold. Select "
                                  "fewer files to download them.",
                                  m->max_files)
                       : ls_textf(p,
                                  "Everything together is more than the %s "
                                  "one download may hold. Select fewer "
                                  "files to download them.",
                                  ls_view_size(p, m->max_bytes))),
            "</p>\n", NULL);
    }
}

static void header_html(ls_view_out_t *o, const ls_view_listing_t *m)
{
    apr_pool_t *p = o->p;

    ls_view_put(o, "<header class=\"top\"><div class=\"wrap\">",
                ls_view_brandbar(p, m->brand),
                "<div class=\"share\"><div class=\"head\"><h1>",
                ls_view_esc(p, m->title), "</h1><p class=\"meta\">", NULL);
    if (m->owner) {
        ls_view_put(o, "<span class=\"owner\">", ICON_USER, "<span>",
                    ls_view_esc(p, ls_text("Shared by")), " <strong>",
                    ls_view_esc(p, m->owner), "</strong></span></span>", NULL);
    }
    ls_view_put(o, expiry(p, m), "</p>", NULL);
    if (m->renditions_only) {
        ls_view_put(o, "<p class=\"note\">",
                    ls_view_esc(p, ls_text("Downloads are renditions, not "
                                           "original files.")),
                    "</p>", NULL);
    }
    ls_view_put(o, "</div><div class=\"share-actions\">",
                ls_view_inbox_control(p, m->inbox), NULL);
    all_html(o, m);
    ls_view_put(o, "</div>", NULL);
    ls_view_put(o, "</div></div></header>\n<main><div class=\"wrap\">\n", NULL);
    ls_view_crumbs(o, m->crumbs);
    ls_view_put(o,
                "<div class=\"tools\"><nav class=\"seg views\" "
                "aria-label=\"",
                ls_view_esc(p, ls_text("View")), "\"><a href=\"",
                ls_view_esc(p, m->card_url), "\"",
                m->cards ? " aria-current=\"true\"" : "", ">", ICON_GRID,
                ls_view_esc(p, ls_text("Cards")), "</a><a href=\"",
                ls_view_esc(p, m->list_url), "\"",
                m->cards ? "" : " aria-current=\"true\"", ">", ICON_LIST,
                ls_view_esc(p, ls_text("List")),
                "</a></nav><nav class=\"seg sort\" aria-label=\"",
                ls_view_esc(p, ls_text("Sort")), "\"><span>",
                ls_view_esc(p, ls_text("Sort by")), "</span>",
                sort_link(p, &m->by_name, "Name"),
                sort_link(p, &m->by_size, "Size"),
                sort_link(p, &m->by_date, "Date"), "</nav></div>\n", NULL);
}

/* The selection form. Without JavaScript it posts the selection and the
 * server answers with this page again (303); the inbox after it is
 * rendered here too, and the script only makes it refresh itself. The
 * bar with the count and Queue Download stays on screen (sticky). */
static void form_html(ls_view_out_t *o, const ls_view_listing_t *m)
{
    apr_pool_t *p = o->p;
    int i;

    ls_view_put(o, "<form id=\"ls-one\" method=\"post\" action=\"",
                ls_view_esc(p, m->queue_url), "\"></form>\n", NULL);
    ls_view_put(o, "<form id=\"ls-select\" method=\"post\" action=\"",
                ls_view_esc(p, m->queue_url),
                "\"><div class=\"bar\" id=\"ls-bar\"><label class=\"all\" "
                "hidden><input type=\"checkbox\" id=\"ls-all\"> ",
                ls_view_esc(p, m->pages > 1 ? ls_text("Select all on this "
                                                      "page")
                                            : ls_text("Select all")),
                "</label><span id=\"ls-count\" aria-live=\"polite\">",
                ls_view_esc(p, ls_text("Nothing selected: Queue Download "
                                       "takes everything.")),
                "</span><button type=\"submit\" class=\"btn\" "
                "id=\"ls-queue\">",
                ICON_QUEUE, ls_view_esc(p, ls_text("Queue Download")),
                "</button></div>\n", NULL);
    pager(o, m);
    if (m->cards) {
        ls_view_put(o, "<ul class=\"cards items\">\n", NULL);
    }
    else {
        ls_view_put(o,
                    "<table class=\"items\"><thead><tr><th scope=\"col\" "
                    "class=\"pick\"><span class=\"visually-hidden\">",
                    ls_view_esc(p, ls_text("Selected")),
                    "</span></th><th scope=\"col\" class=\"ic\"><span "
                    "class=\"visually-hidden\">",
                    ls_view_esc(p, ls_text("Icon")),
                    "</span></th><th scope=\"col\">",
                    sort_link(p, &m->by_name, "Name"),
                    "</th><th scope=\"col\" class=\"opt\">",
                    ls_view_esc(p, ls_text("Type")),
                    "</th><th scope=\"col\" class=\"num\">",
                    sort_link(p, &m->by_size, "Size"),
                    "</th><th scope=\"col\" class=\"num opt\">",
                    sort_link(p, &m->by_date, "Modified"),
                    "</th><th scope=\"col\" class=\"act\"><span "
                    "class=\"visually-hidden\">",
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
            o, m->cards ? "<li class=\"empty\">" : "<tr><td colspan=\"7\">",
            empty, m->cards ? "</li>\n" : "</td></tr>\n", NULL);
    }
    ls_view_put(o, m->cards ? "</ul>\n" : "</tbody></table>\n", NULL);
    pager(o, m);
    ls_view_put(o, "</form>\n", NULL);
}

const char *ls_view_listing_page(apr_pool_t *p, const ls_view_listing_t *m)
{
    ls_view_out_t *o = ls_view_out(p);

    ls_view_put(
        o, ls_view_head_brand(p, m->title, ls_asset_recipient_css, m->brand),
        NULL);
    header_html(o, m);
    form_html(o, m);
    ls_view_inbox(o, m->inbox);
    ls_view_put(o, "</div></main><script>", ls_asset_linkshare_js,
                "</script><script>", ls_asset_preview_js,
                "</script>\n</body></html>\n", NULL);
    return ls_view_text(o);
}
