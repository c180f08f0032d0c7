/* Unit tests for the page views (ls_view_message, ls_view_listing,
 * ls_view_preview, ls_view_inbox, ls_view_sharer) and their helpers:
 * every string from a share, a file system or a request comes out
 * escaped, and what a recipient reads is there. */
#include <string.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "ls_text.h"
#include "ls_url.h"
#include "ls_view.h"
#include "ls_view_inbox.h"
#include "ls_view_listing.h"
#include "ls_view_message.h"
#include "ls_view_preview.h"
#include "ls_view_sharer.h"
#include "ls_view_unlock.h"
#include "tap.h"

#define EVIL     "<img src=x onerror=alert(1)>\"'&"
#define EVIL_ESC "&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;"

static int has(const char *hay, const char *needle)
{
    return strstr(hay, needle) != NULL;
}

static apr_array_header_t *crumbs(apr_pool_t *p)
{
    apr_array_header_t *a = apr_array_make(p, 2, sizeof(ls_view_link_t));
    ls_view_link_t *c = apr_array_push(a);

    c->label = "All shared items";
    c->url = "https://h/linkshare.html?sh=T";
    c = apr_array_push(a);
    c->label = EVIL;
    c->url = NULL;
    return a;
}

static void test_brand(apr_pool_t *p)
{
    static const char *const styles[] = {"a{}", "b{}", NULL};
    const char *css, *csp;

    is_str(ls_view_relative(p, 6 * 86400 + 5), "in 6 days", "days");
    is_str(ls_view_relative(p, 3 * 3600), "in 3 hours", "hours");
    is_str(ls_view_relative(p, 25 * 60 + 59), "in 25 minutes", "minutes");
    is_str(ls_view_relative(p, 61), "in 1 minute", "one minute");
    is_str(ls_view_relative(p, 30), "in less than a minute", "seconds");
    is_str(ls_view_datetime(p, 86400), "1970-01-02T00:00:00Z", "datetime");
    css = ls_view_brand_css(p, "#0a58ca");
    ok(css && has(css, ":root{--accent:#0a58ca;--on-accent:#fff;"),
       "a dark accent: white text on it");
    css = ls_view_brand_css(p, "#fc0");
    ok(css && has(css, "--accent:#ffcc00;--on-accent:#111;")
           && has(css, ";--accent-ink:#785f00}"),
       "#rgb, a light accent: dark text on it, a darker tone for text");
    ok(ls_view_brand_css(p, "0a58ca") == NULL
           && ls_view_brand_css(p, "#0a58c") == NULL
           && ls_view_brand_css(p, "#ggg") == NULL
           && ls_view_brand_css(p, "#fff;}x{") == NULL
           && ls_view_brand_css(p, "") == NULL,
       "not a colour: refused");
    csp = ls_view_csp_styles(p, styles, NULL, 0);
    ok(has(csp, apr_pstrcat(p, "style-src ", ls_view_csp_hash(p, "a{}"), " ",
                            ls_view_csp_hash(p, "b{}"), ";", NULL)),
       "two styles: both hashes");
    is_str(ls_url_logo(p, "https://h", "ab12"),
           "https://h/linkshare.html?op=logo&v=ab12", "the logo's URL");
    ok(has(ls_view_icon(p, "pdf", "<pdf>"), "<span class=\"icon pdf\">")
           && has(ls_view_icon(p, "pdf", "<pdf>"), "&lt;pdf"),
       "a type icon, its label escaped");
    ok(has(ls_view_icon(p, "folder", NULL), "icon folder"), "a folder icon");
}

static void test_helpers(apr_pool_t *p)
{
    is_str(ls_view_size(p, 1), "1 byte", "one byte");
    is_str(ls_view_size(p, 1023), "1023 bytes", "bytes below a KB");
    is_str(ls_view_size(p, 1536), "1.5 KB", "KB with one decimal");
    is_str(ls_view_size(p, (apr_int64_t)3 << 30), "3.0 GB", "GB");
    is_str(ls_view_time(p, 0), "1970-01-01 00:00 UTC", "the time, to minutes");
    is_str(ls_text("Download"), "Download", "a msgid is its own text");
    is_str(ls_textf(p, "%d of %d files", 2, 3), "2 of 3 files",
           "formatted through the catalog");
    is_str(ls_text_n(1, "file", "files"), "file", "singular");
    is_str(ls_text_n(0, "file", "files"), "files", "plural for 0");
    is_str(ls_url_qenc(p, "a b/\xc3\xa9&=#"), "a%20b%2F%C3%A9%26%3D%23",
           "query values are percent-encoded");
    is_str(ls_url_item(p, "https://h", LS_URL_PREVIEW, "T", NULL, "d/x y"),
           "https://h/linksharepreview.html?sh=T&path=d%2Fx%20y",
           "an item's preview");
    is_str(ls_url_item(p, "https://h", LS_URL_PAGE, "T", "file", "a"),
           "https://h/linkshare.html?sh=T&op=file&path=a",
           "an operation on an item");
    is_str(ls_url_item(p, "https://h", LS_URL_PAGE, "T", NULL, ""),
           "https://h/linkshare.html?sh=T", "the root has no path");
}

static ls_view_brand_t brand = {EVIL, "https://h/l?a=1&v=\"",
                                ":root{--accent:#0a58ca}"};

static void test_message(apr_pool_t *p)
{
    const char *html;
    ls_view_message_t *m;

    html = ls_view_message_page(p, ls_view_message_expired(p, 0, EVIL));
    ok(has(html, "<h1>This link has expired</h1>"), "expired: the title");
    ok(has(html, "<strong>" EVIL_ESC "</strong>") && !has(html, EVIL),
       "expired: the owner escaped, in strong");
    html = ls_view_message_page(p, ls_view_message_expired(p, 1, NULL));
    ok(has(html, "This link was withdrawn")
           && has(html, "ask the person who "
                        "sent you the link"),
       "withdrawn, owner unknown");
    html = ls_view_message_page(p, ls_view_message_not_found(p, EVIL));
    ok(has(html, "<p>" EVIL_ESC "</p>") && !has(html, EVIL)
           && !has(html, "Check that you copied the whole link"),
       "not found: the reason escaped; no advice about copying a link that "
       "works");
    html = ls_view_message_page(p, ls_view_message_bad_link(p));
    ok(has(html, "<h1>This link does not work</h1>")
           && has(html, "Check that you copied the whole link"),
       "an unknown link: whether it was copied whole");
    m = ls_view_message_expired(p, 1, "bob");
    m->brand = &brand;
    html = ls_view_message_page(p, m);
    ok(has(html, "<style>:root{--accent:#0a58ca")
           && has(html, "<span class=\"brand-name\">" EVIL_ESC "</span>")
           && has(html,
                  "<img class=\"logo\" src=\"https://h/l?a=1&amp;v=&quot;\""),
       "a message page is branded: accent, name and logo escaped");
    ok(has(html, "<strong>bob</strong>") && has(html, "class=\"pic\""),
       "withdrawn: who shared it, and a picture");
    m = ls_view_message_add(ls_view_message_new(p, EVIL), "x");
    m->back.label = "Back";
    m->back.url = "https://h/?a=1&b=\"2\"";
    html = ls_view_message_page(p, m);
    ok(has(html, "<title>" EVIL_ESC "</title>")
           && has(html, "<h1>" EVIL_ESC "</h1>"),
       "a hostile title escaped in both places");
    ok(has(html, "<a class=\"btn primary\" href=\"https://h/?a=1&amp;b=&quot;"
                 "2&quot;\">Back</a>"),
       "the way back, its URL escaped");
    ok(has(html, "</body></html>\n"), "a whole page");
}

/* The password form of a protected link: escaped action and error, a
 * labelled field, the error tied to it only when there is one. */
static void test_unlock(apr_pool_t *p)
{
    ls_view_unlock_t m;
    const char *html;

    memset(&m, 0, sizeof(m));
    m.action = "https://x.example/linkshare.html?sh=T&op=unlock";
    html = ls_view_unlock_page(p, &m);
    ok(has(html, "<h1>This link is protected by a password</h1>"),
       "unlock: the title");
    ok(has(html, "action=\"https://x.example/linkshare.html?sh=T&amp;"
                 "op=unlock\""),
       "unlock: the form posts to op=unlock, escaped");
    ok(has(html, "<label for=\"ls-password\">Password</label>")
           && has(html, "name=\"password\" type=\"password\" "
                        "autocomplete=\"current-password\""),
       "unlock: a labelled password field");
    ok(!has(html, "aria-invalid=\"true\"")
           && !has(html, "id=\"ls-password-error\""),
       "unlock: no error on the first visit");
    m.action = EVIL;
    m.error = EVIL;
    html = ls_view_unlock_page(p, &m);
    ok(!has(html, EVIL) && has(html, EVIL_ESC),
       "unlock: hostile action and error escaped");
    ok(has(html, "aria-invalid=\"true\" aria-describedby=\"ls-password-"
                 "error\"")
           && has(html, "<p id=\"ls-password-error\" class=\"error\" "
                        "role=\"alert\">"),
       "unlock: the error announced and tied to the field");
}

static void test_listing(apr_pool_t *p)
{
    ls_view_listing_t m;
    ls_view_inbox_t inbox;
    ls_view_entry_t *e;
    const char *html;

    memset(&m, 0, sizeof(m));
    memset(&inbox, 0, sizeof(inbox));
    inbox.page_url = "https://h/linkshare.html?sh=T";
    inbox.inbox_url = "https://h/linkshare.html?sh=T&op=inbox";
    m.title = EVIL;
    m.owner = EVIL;
    m.expires = 86400;
    m.now = 86400 - 6 * 86400 - 100;
    m.brand = &brand;
    m.all = LS_ALL_FITS;
    m.all_bytes = 42 << 20;
    m.all_files = 2;
    m.crumbs = crumbs(p);
    m.cards = 1;
    m.card_url = m.list_url = "https://h/linkshare.html?sh=T&view=card";
    m.by_name.url = m.by_size.url = m.by_date.url = "u";
    m.by_size.active = 1;
    m.by_size.desc = 1;
    m.queue_url = "https://h/linkshare.html?sh=T&op=queue";
    m.page = 2;
    m.pages = 3;
    m.prev_url = "prev";
    m.next_url = NULL;
    m.inbox = &inbox;
    m.entries = apr_array_make(p, 2, sizeof(ls_view_entry_t));
    e = apr_array_push(m.entries);
    memset(e, 0, sizeof(*e));
    e->name = EVIL;
    e->rel = "d/" EVIL;
    e->label = "Image";
    e->kind = "image";
    e->ext = "jpg";
    e->available = 1;
    e->size = 2048;
    e->open_url = "https://h/linksharepreview.html?sh=T&path=x";
    e->file_url = "https://h/linkshare.html?sh=T&op=file&path=x";
    e->thumb_url = "https://h/linkshare.html?sh=T&op=thumb&path=x";
    e->thumb_pending = 1;
    e = apr_array_push(m.entries);
    memset(e, 0, sizeof(*e));
    e->name = "gone";
    e->rel = "gone";
    e->label = "Folder";
    e->kind = "folder";
    e->is_dir = 1;
    e->available = 1;
    e->size = -1;
    e->open_url = "https://h/linkshare.html?sh=T&path=gone";
    e = apr_array_push(m.entries);
    memset(e, 0, sizeof(*e));
    e->name = "moved";
    e->rel = "moved";
    e->label = "Folder";
    e->kind = "folder";
    e->is_dir = 1;

    html = ls_view_listing_page(p, &m);
    ok(!has(html, EVIL), "cards: no hostile name unescaped anywhere");
    ok(has(html, "<h1>" EVIL_ESC "</h1>")
           && has(html, "Shared by <strong>" EVIL_ESC "</strong>"),
       "cards: title and owner, escaped");
    ok(has(html, "<span class=\"expiry\">")
           && has(html, "<span class=\"rel\">in 6 days</span> <time "
                        "datetime=\"1970-01-02T00:00:00Z\">1970-01-02 00:00 "
                        "UTC</time>"),
       "cards: the expiry, relative and in UTC for the script to localize");
    ok(has(html, "<span class=\"brand-name\">" EVIL_ESC "</span>")
           && has(html, "<style>:root{--accent:#0a58ca"),
       "the brand's name escaped, its accent in a second style");
    ok(has(html, "id=\"ls-dlall\"") && has(html, "2 files, 42.0 MB"),
       "Download all, with the share's size up front");
    ok(has(html, "<button type=\"submit\" class=\"qone\" form=\"ls-one\" "
                 "name=\"path\" value=\"d/" EVIL_ESC "\"")
           && has(html, "<form id=\"ls-one\" method=\"post\""),
       "queue this item: a button of the one-item form, its path escaped");
    ok(has(html, "value=\"gone\" data-size=\"-1\""),
       "a folder of unknown size is -1 for the script");
    ok(has(html, "value=\"d/" EVIL_ESC "\" data-size=\"2048\""),
       "cards: the selection value escaped, with its size");
    ok(has(html, "<img src=\"https://h/linkshare.html?sh=T&amp;op=thumb&amp;"
                 "path=x\""),
       "cards: the thumbnail");
    ok(has(html, "loading=\"lazy\" data-pending=\"1\">"),
       "cards: a thumbnail being made is marked for the page script");
    ok(has(html, "<span class=\"badge\">Image</span> <span "
                 "class=\"size\">2.0 KB</span>"),
       "cards: type and size");
    ok(has(html, "class=\"item card gone\"")
           && has(html, "Unavailable: moved or deleted"),
       "cards: an unavailable item says so");
    ok(has(html, "aria-sort=\"descending\">Size \xe2\x96\xbc</a>"),
       "the active sort shows its order");
    ok(has(html, "<a class=\"btn\" rel=\"prev\" href=\"prev\">")
           && !has(html, "rel=\"next\"") && has(html, "Page 2 of 3"),
       "the pager on the last page");
    ok(has(html, "Select all on this page"), "select all says: this page");
    ok(has(html, "<span aria-current=\"page\">" EVIL_ESC "</span>"),
       "the breadcrumb of the current folder, escaped");
    ok(has(html, "No downloads yet.") && has(html, "data-busy=\"0\""),
       "an empty inbox");
    ok(has(html, "id=\"ls-inbox-open\" href=\"#ls-inbox\"")
           && has(html, "id=\"ls-inbox-count\" hidden>"),
       "the header's Download Inbox control, no count without jobs");
    ok(has(html, "<script>") && has(html, "</body></html>\n"),
       "the page script, a whole page");

    m.now = 86400 - 1800;
    m.all = LS_ALL_TOO_BIG;
    m.max_bytes = 100 << 20;
    html = ls_view_listing_page(p, &m);
    ok(has(html, "<span class=\"expiry soon\">")
           && has(html, "<span class=\"rel\">in 30 minutes</span>"),
       "under an hour left: a warning");
    ok(!has(html, "id=\"ls-dlall\"")
           && has(html, "more than the 100.0 MB one download may hold"),
       "too big for one download: said up front, naming the limit");
    m.too_many_files = 1;
    m.max_files = 6;
    html = ls_view_listing_page(p, &m);
    ok(has(html, "more than the 6 files one download may hold"),
       "too many files: said, naming the limit");
    m.all = LS_ALL_UNKNOWN;
    m.brand = NULL;
    html = ls_view_listing_page(p, &m);
    ok(!has(html, "id=\"ls-dlall\"") && !has(html, "id=\"ls-limit\"")
           && !has(html, "class=\"brand\"") && !has(html, "--accent:#0a"),
       "not counted, no brand: neither said");

    m.cards = 0;
    m.renditions_only = 1;
    html = ls_view_listing_page(p, &m);
    ok(!has(html, EVIL), "list: no hostile name unescaped anywhere");
    ok(has(html, "<table class=\"items\">")
           && has(html, "<td class=\"num\">2.0 KB</td>"),
       "list: a table with sizes");
    ok(has(html, "Downloads are renditions, not original files."),
       "renditions only is said up front");
    e = &APR_ARRAY_IDX(m.entries, 0, ls_view_entry_t);
    e->file_url = NULL;
    e->no_original = 1;
    html = ls_view_listing_page(p, &m);
    ok(has(html, "Not available without originals"),
       "a file a share without originals cannot send says so");
    e->file_url = "https://h/linkshare.html?sh=T&op=file&path=x";
    e->no_original = 0;
    html = ls_view_listing_page(p, &m);
    ok(has(html, "<a class=\"dl\" href=\"https://h/linkshare.html?sh=T&amp;"
                 "op=file&amp;path=x\" download"),
       "list: the download link");

    apr_array_clear(m.entries);
    html = ls_view_listing_page(p, &m);
    ok(has(html, "This folder is empty."), "an empty folder says so");
}

static void test_preview(apr_pool_t *p)
{
    ls_view_preview_t m;
    const char *html;

    memset(&m, 0, sizeof(m));
    m.name = EVIL;
    m.label = "Text";
    m.size = 100000;
    m.crumbs = crumbs(p);
    m.pos = 2;
    m.files = 3;
    m.prev.label = EVIL;
    m.prev.url = "p?a&b";
    m.kind = LS_PREVIEW_TEXT;
    m.available = 1;
    m.view_url = "v";
    m.text = "</pre><script>alert(1)</script>";
    m.text_len = 31;
    m.download_url = "d";
    m.back_url = "b";
    html = ls_view_preview_page(p, &m);
    ok(!has(html, EVIL) && !has(html, "<script>alert"),
       "text: nothing hostile unescaped");
    ok(has(html, "<pre class=\"text\" tabindex=\"0\">&lt;/pre&gt;&lt;script"),
       "text: the start of the file, escaped");
    ok(has(html, "Showing the first 31 bytes of 97.7 KB."),
       "text: says it is only the start");
    ok(has(html, "File 2 of 3") && has(html, "href=\"p?a&amp;b\">&larr; "),
       "its place in the folder");
    ok(has(html, "Download " EVIL_ESC "</a>"), "the download button");

    m.text = NULL;
    html = ls_view_preview_page(p, &m);
    ok(has(html, "This file cannot be read right now."), "unreadable text");
    m.kind = LS_PREVIEW_VIDEO;
    m.poster_url = "t\"x";
    html = ls_view_preview_page(p, &m);
    ok(has(html, "<video controls preload=\"metadata\" src=\"v\" "
                 "poster=\"t&quot;x\">"),
       "video with its poster");
    m.kind = LS_PREVIEW_PDF;
    html = ls_view_preview_page(p, &m);
    ok(has(html, "<a class=\"pdf-poster\" href=\"v\"><img src=\"t&quot;x\" "
                 "alt=\"Page 1 of " EVIL_ESC "\"><span class=\"button\">Open "
                 "the PDF</span></a><iframe src=\"v\" title=\"" EVIL_ESC
                 "\" loading=\"lazy\"></iframe>"),
       "PDF: its first page as a poster before the viewer");
    m.poster_url = NULL;
    html = ls_view_preview_page(p, &m);
    ok(has(html, "<iframe src=\"v\" title=\"" EVIL_ESC "\"></iframe>")
           && !has(html, "<a class=\"pdf-poster\""),
       "PDF without a first-page image: the viewer alone");
    m.kind = LS_PREVIEW_IMAGE;
    html = ls_view_preview_page(p, &m);
    ok(has(html, "<img src=\"v\" alt=\"" EVIL_ESC "\">"), "image");
    m.available = 0;
    html = ls_view_preview_page(p, &m);
    ok(has(html, "box preview none")
           && has(html, "There is no preview of this file."),
       "an image with nothing to show");
    m.kind = LS_PREVIEW_NONE;
    html = ls_view_preview_page(p, &m);
    ok(has(html, "There is no preview for this type of file."),
       "a type never previewed");
}

static void test_inbox(apr_pool_t *p)
{
    ls_view_out_t *o = ls_view_out(p);
    ls_view_inbox_t m;
    ls_view_job_t *j;
    ls_view_part_t *pt;
    const char *html;

    memset(&m, 0, sizeof(m));
    m.page_url = "https://h/linkshare.html?sh=T";
    m.inbox_url = "https://h/linkshare.html?sh=T&op=inbox";
    m.events_url = "https://h/linkshare.html?sh=T&op=events";
    m.now = 100000;
    m.jobs = apr_array_make(p, 2, sizeof(ls_view_job_t));
    j = apr_array_push(m.jobs);
    memset(j, 0, sizeof(*j));
    j->id = "0123456789abcdef";
    j->label = "3 files from " EVIL;
    j->created = 100000 - 130;
    j->state = "running";
    j->cancel_url = "c?job=1&x";
    j->files_total = 3;
    j->files_done = 1;
    j->bytes_total = 300;
    j->bytes_done = 100;
    j = apr_array_push(m.jobs);
    memset(j, 0, sizeof(*j));
    j->id = "fedcba9876543210";
    j->label = "report.pdf";
    j->created = 100000 - 3 * 86400;
    j->remove_url = "r?job=2&x";
    j->state = "done";
    j->error = EVIL;
    j->files_total = 1;
    j->parts = apr_array_make(p, 2, sizeof(ls_view_part_t));
    pt = apr_array_push(j->parts);
    pt->n = 1;
    pt->name = EVIL ".zip";
    pt->url = "part?n=1&j=2";
    pt->sha256 = "ab";
    pt->size = 10;
    pt = apr_array_push(j->parts);
    pt->n = 2;
    pt->name = "second.zip";
    pt->url = "part?n=2&j=2";
    pt->sha256 = "cd";
    pt->size = 20;
    ls_view_inbox(o, &m);
    html = ls_view_text(o);
    ok(!has(html, EVIL), "no hostile name unescaped");
    ok(has(html, "data-src=\"https://h/linkshare.html?sh=T&amp;op=inbox\" "
                 "data-events=\"https://h/linkshare.html?sh=T&amp;op=events\" "
                 "data-busy=\"1\""),
       "busy while a job runs; where its progress is pushed from");
    ok(has(html, "data-job=\"0123456789abcdef\"")
           && has(html, "<span class=\"what\">3 files from " EVIL_ESC "</span>")
           && has(html, "<span class=\"what\">report.pdf</span>"),
       "each job says what it holds, escaped");
    ok(has(html, ">asked 2 minutes ago</time>")
           && has(html, ">asked 3 days ago</time>"),
       "and when it was asked for");
    ok(has(html, "<form class=\"remove\" method=\"post\" "
                 "action=\"r?job=2&amp;x\"><button type=\"submit\">Remove"),
       "an ended job: Remove");
    ok(has(html, "<details class=\"sha\"><summary>SHA-256 checksums"
                 "</summary><ul><li><span>" EVIL_ESC ".zip</span><code>ab"
                 "</code></li><li><span>second.zip</span><code>cd</code>"),
       "the SHA-256 of each part behind a toggle");
    ok(has(html, "<button type=\"button\" class=\"dlall\" hidden>Download "
                 "all 2 parts</button>"),
       "two parts: Download all parts (the script shows it)");
    html = ls_view_inbox_control(p, &m);
    ok(has(html, "href=\"#ls-inbox\"")
           && has(html, "id=\"ls-inbox-count\"><span class=\"n\">2</span>"),
       "the header's control: a link to the inbox with the count of jobs");
    html = ls_view_text(o);
    ok(has(html, "<progress max=\"300\" value=\"100\"")
           && has(html, "1 of 3 files")
           && has(html, "action=\"c?job=1&amp;x\""),
       "progress and cancel");
    ok(has(html, "3 files, 300 bytes") && has(html, "1 file, 0 bytes"),
       "what each job holds");
    ok(has(html, "href=\"part?n=1&amp;j=2\" download>Download " EVIL_ESC
                 ".zip (10 bytes)</a>"),
       "the part's link and name");
    ok(has(html, "<p class=\"error\">" EVIL_ESC "</p>"), "the error escaped");

    o = ls_view_out(p);
    apr_array_clear(m.jobs);
    m.unavailable = 1;
    ls_view_inbox(o, &m);
    ok(has(ls_view_text(o), "The inbox cannot be shown right now."),
       "a store that cannot be read");
}

static void test_sharer(apr_pool_t *p)
{
    ls_view_sharer_t m;
    const char *html;

    m.page = LS_SHARER_DIALOG;
    m.user = EVIL;
    m.api_url = "/x\"/api";
    html = ls_view_sharer_page(p, &m);
    ok(!has(html, EVIL) && has(html, "<strong>" EVIL_ESC "</strong>"),
       "dialog: the user escaped");
    ok(has(html, "data-api=\"/x&quot;/api\""), "dialog: the API escaped");
    ok(has(html, "<title>Link Sharing</title>")
           && has(html, "id=\"share-form\"") && has(html, "id=\"expires\""),
       "dialog: the form");
    ok(has(html, "id=\"preset-day\" value=\"day\"><span>1 day</span>")
           && has(html, "id=\"preset-custom\""),
       "dialog: expiry presets, each radio inside its label");
    ok(has(html, "<p class=\"field-error\" id=\"expires-error\"")
           && has(html, "id=\"name-error\"") && has(html, "id=\"items-error\"")
           && has(html, "id=\"recipient-error\""),
       "dialog: a place for each field's error");
    ok(has(html, "id=\"link-name\" maxlength=\"200\"")
           && has(html, "id=\"filter\"") && has(html, "id=\"open-link\"")
           && has(html, "id=\"mail-link\""),
       "dialog: name, search, Open and Send by email");
    ok(has(html, "<a href=\"share.html\" aria-current=\"page\">"),
       "dialog: its tab is the current one");
    ok(!has(html, "style=\"") && !has(html, " onclick=")
           && !has(html, " onchange="),
       "dialog: no inline style or handler (strict CSP)");
    m.page = LS_SHARER_LINKS;
    html = ls_view_sharer_page(p, &m);
    ok(has(html, "<title>Shared Links</title>") && has(html, "id=\"links\""),
       "links: the table");
    ok(has(html, "id=\"state-expired\" value=\"expired\"")
           && has(html, "id=\"search\"")
           && has(html, "<option value=\"expires-asc\">"),
       "links: state filter, search and sort");
    ok(has(html, "<a href=\"links.html\" aria-current=\"page\">")
           && !has(html, "style=\""),
       "links: its tab; no inline style");
    ok(strcmp(ls_view_sharer_csp(p, LS_SHARER_DIALOG),
              ls_view_sharer_csp(p, LS_SHARER_LINKS))
           != 0,
       "each page allows its own script only");
}

int main(void)
{
    apr_pool_t *p;

    apr_initialize();
    apr_pool_create(&p, NULL);
    test_helpers(p);
    test_brand(p);
    test_message(p);
    test_unlock(p);
    test_listing(p);
    test_preview(p);
    test_inbox(p);
    test_sharer(p);
    apr_pool_destroy(p);
    apr_terminate();
    done_testing();
}
