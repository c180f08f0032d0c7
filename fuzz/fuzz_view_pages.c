/* libFuzzer target for the page views: one hostile string (a file name,
 * an owner, a job's error, a part's name, a text file's start, a user
 * name, a URL) put in every field of every model. Escaping must leave the
 * page's structure alone: the page rendered with the input has exactly as
 * many '<', '>' and '"' as the same page rendered with "a" in its place. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "ls_view.h"
#include "ls_view_inbox.h"
#include "ls_view_listing.h"
#include "ls_view_message.h"
#include "ls_view_unlock.h"
#include "ls_view_preview.h"
#include "ls_view_sharer.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    apr_initialize();
    return 0;
}

static apr_array_header_t *links(apr_pool_t *p, const char *s)
{
    apr_array_header_t *a = apr_array_make(p, 2, sizeof(ls_view_link_t));
    ls_view_link_t *c = apr_array_push(a);

    c->label = s;
    c->url = s;
    c = apr_array_push(a);
    c->label = s;
    c->url = NULL;
    return a;
}

static const ls_view_inbox_t *inbox(apr_pool_t *p, const char *s)
{
    ls_view_inbox_t *m = apr_pcalloc(p, sizeof(*m));
    ls_view_job_t *j;
    ls_view_part_t *pt;

    m->page_url = m->inbox_url = m->events_url = s;
    m->jobs = apr_array_make(p, 1, sizeof(ls_view_job_t));
    j = apr_array_push(m->jobs);
    memset(j, 0, sizeof(*j));
    j->state = "running";
    j->error = s;
    j->cancel_url = j->remove_url = j->id = j->label = s;
    j->parts = apr_array_make(p, 1, sizeof(ls_view_part_t));
    pt = apr_array_push(j->parts);
    pt->n = 1;
    pt->name = pt->url = pt->sha256 = s;
    pt->size = 1;
    return m;
}

/* The admin's brand, every field s (the css is checked at startup and
 * never holds input, but a hostile one must still not change the page's
 * structure beyond its own <style>). */
static const ls_view_brand_t *brand(apr_pool_t *p, const char *s)
{
    ls_view_brand_t *b = apr_pcalloc(p, sizeof(*b));

    b->name = b->logo_url = s;
    b->css = "a{}";
    return b;
}

static const char *listing(apr_pool_t *p, const char *s, int cards)
{
    ls_view_listing_t m;
    ls_view_entry_t *e;
    int i;

    memset(&m, 0, sizeof(m));
    m.title = m.owner = s;
    m.brand = brand(p, s);
    m.now = 0;
    m.expires = 1800 + cards * 86400 * 9;
    m.all = cards ? LS_ALL_FITS : LS_ALL_TOO_BIG;
    m.all_bytes = 1;
    m.all_files = 1;
    m.max_bytes = 100;
    m.max_files = 6;
    m.crumbs = links(p, s);
    m.cards = cards;
    m.card_url = m.list_url = m.queue_url = m.prev_url = m.next_url = s;
    m.by_name.url = m.by_size.url = m.by_date.url = s;
    m.by_name.active = 1;
    m.page = 2;
    m.pages = 3;
    m.inbox = inbox(p, s);
    m.entries = apr_array_make(p, 3, sizeof(ls_view_entry_t));
    for (i = 0; i < 3; i++) {
        e = apr_array_push(m.entries);
        e->name = e->rel = e->label = e->ext = s;
        /* The icon's shape follows kind, which the glue picks from a
         * closed list (ls_page's kind_class): "folder" draws a folder,
         * anything else a page, so it is not input here. */
        e->kind = i == 1 ? "folder" : "image";
        e->open_url = e->file_url = s;
        e->thumb_url = i == 0 ? s : NULL;
        e->is_dir = i == 1;
        e->available = i != 2;
        e->size = i == 1 ? -1 : 1;
        e->mtime = 0;
    }
    return ls_view_listing_page(p, &m);
}

static const char *preview(apr_pool_t *p, const char *s, int kind)
{
    ls_view_preview_t m;

    memset(&m, 0, sizeof(m));
    m.name = m.label = s;
    m.crumbs = links(p, s);
    m.pos = 1;
    m.files = 2;
    m.prev.label = m.prev.url = m.next.label = m.next.url = s;
    m.kind = (ls_preview_kind_t)kind;
    m.available = 1;
    m.view_url = m.poster_url = m.text = m.download_url = m.back_url = s;
    return ls_view_preview_page(p, &m);
}

static const char *message(apr_pool_t *p, const char *s)
{
    ls_view_message_t *m = ls_view_message_expired(p, 0, s);

    ls_view_message_add(m, s);
    m->back.label = m->back.url = s;
    m->brand = brand(p, s);
    return apr_pstrcat(p, ls_view_message_page(p, m),
                       ls_view_message_page(p, ls_view_message_not_found(p, s)),
                       ls_view_message_page(p, ls_view_message_bad_link(p)),
                       NULL);
}

static const char *unlock(apr_pool_t *p, const char *s)
{
    ls_view_unlock_t m;

    m.action = m.error = s;
    m.brand = brand(p, s);
    return ls_view_unlock_page(p, &m);
}

static const char *sharer(apr_pool_t *p, const char *s, int page)
{
    ls_view_sharer_t m;

    m.page = (ls_sharer_page_t)page;
    m.user = m.api_url = s;
    return ls_view_sharer_page(p, &m);
}

/* Every page, with s in every field. */
static const char *pages(apr_pool_t *p, const char *s)
{
    return apr_pstrcat(
        p, listing(p, s, 1), listing(p, s, 0), preview(p, s, LS_PREVIEW_NONE),
        preview(p, s, LS_PREVIEW_IMAGE), preview(p, s, LS_PREVIEW_PDF),
        preview(p, s, LS_PREVIEW_VIDEO), preview(p, s, LS_PREVIEW_TEXT),
        message(p, s), unlock(p, s), sharer(p, s, LS_SHARER_DIALOG),
        sharer(p, s, LS_SHARER_LINKS), NULL);
}

static void count(const char *s, size_t n[3])
{
    n[0] = n[1] = n[2] = 0;
    for (; *s; s++) {
        n[0] += *s == '<';
        n[1] += *s == '>';
        n[2] += *s == '"';
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    size_t got[3], want[3];

    apr_pool_create(&p, NULL);
    count(pages(p, apr_pstrmemdup(p, (const char *)data, size)), got);
    count(pages(p, "a"), want);
    if (memcmp(got, want, sizeof(got)) != 0) {
        abort();
    }
    apr_pool_destroy(p);
    return 0;
}
