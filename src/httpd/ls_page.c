/* ls_page: the recipients' pages and file delivery (see ls_page.h).
 * Pages are server-rendered and work without JavaScript; every string
 * from the share or the file system is HTML-escaped. Files are opened
 * here, beneath their root (never through a symlink out of it), and sent
 * as httpd's default handler sends them (sendfile, Range, ETag,
 * conditionals). */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_strings.h"

#include <unistd.h>

#include "ls_authz.h"
#include "ls_config.h"
#include "ls_counter.h"
#include "ls_protect.h"
#include "ls_html.h"
#include "ls_http.h"
#include "ls_deliver.h"
#include "ls_inbox.h"
#include "ls_mime.h"
#include "ls_page.h"
#include "ls_path.h"
#include "ls_preview.h"
#include "ls_query.h"
#include "ls_rcache.h"
#include "ls_rendition.h"
#include "ls_tally.h"
#include "ls_tag.h"
#include "ls_text.h"
#include "ls_view.h"
#include "ls_view_listing.h"

APLOG_USE_MODULE(linkshare);

/* ---- the listing ---- */

#define PAGE_SIZE 100 /* items per page of a folder */

/* How the listing is shown: from ?view=, else the remembered choice. */
typedef struct {
    const char *sort; /* NULL: the natural order */
    int desc;
    int page;  /* 1-based */
    int cards; /* card view, else list view */
} view_t;

/* The view a request asks for; a new choice is remembered in a cookie
 * (not a secret: only "card" or "list"). APR_EINVAL for a bad value. */
static apr_status_t view_of(request_rec *r, view_t *v)
{
    const char *s = NULL, *c = apr_table_get(r->headers_in, "Cookie");

    v->cards = 1; /* cards unless the visitor chose the list */
    if (ls_query_get(r->pool, r->args, "view", &s) == APR_SUCCESS) {
        if (strcmp(s, "card") && strcmp(s, "list")) {
            return APR_EINVAL;
        }
        v->cards = s[0] == 'c';
        apr_table_addn(r->err_headers_out, "Set-Cookie",
                       apr_psprintf(r->pool,
                                    "lsview=%s; Path=/; Max-Age=31536000; "
                                    "SameSite=Lax",
                                    s));
    }
    else if (c && (s = strstr(c, "lsview=")) != NULL
             && (s == c || s[-1] == ' ' || s[-1] == ';')) {
        v->cards = strncmp(s + 7, "list", 4) != 0;
    }
    v->page = 1;
    if (ls_query_get(r->pool, r->args, "page", &s) == APR_SUCCESS) {
        char *end;
        long n = strtol(s, &end, 10);
        if (*s == '\0' || *end || n < 1 || n > 1000000) {
            return APR_EINVAL;
        }
        v->page = (int)n;
    }
    return APR_SUCCESS;
}

/* A link to this folder's listing with view v (sort, order, page, and a
 * view only when it changes). */
static const char *list_link(request_rec *r, const ls_req_t *req,
                             const ls_target_t *t, const view_t *v,
                             const char *view)
{
    apr_pool_t *p = r->pool;
    const char *q = apr_pstrcat(
        p, *t->share_rel ? "&path=" : "",
        *t->share_rel ? ls_url_qenc(p, t->share_rel) : "", NULL);

    if (v->sort) {
        q = apr_pstrcat(p, q, "&sort=", v->sort, v->desc ? "&order=desc" : "",
                        NULL);
    }
    if (v->page > 1) {
        q = apr_psprintf(p, "%s&page=%d", q, v->page);
    }
    if (view) {
        q = apr_pstrcat(p, q, "&view=", view, NULL);
    }
    return ls_url_share(p, ls_html_base(r), LS_URL_PAGE, req->token, q);
}

/* A sort control by key: toggles the order when the list is already
 * sorted by it; back to page 1. */
static ls_view_sort_t sort_by(request_rec *r, const ls_req_t *req,
                              const ls_target_t *t, const view_t *cur,
                              const char *key)
{
    ls_view_sort_t s;
    view_t v;

    s.active = cur->sort && strcmp(cur->sort, key) == 0;
    s.desc = cur->desc;
    v.sort = key;
    v.desc = s.active && !cur->desc;
    v.page = 1;
    v.cards = cur->cards;
    s.url = list_link(r, req, t, &v, NULL);
    return s;
}

/* The icon of an entry. */
static const char *kind_class(const ls_entry_t *e, const ls_mime_t *m)
{
    static const char *const iconed[] = {"image", "video",   "audio", "pdf",
                                         "text",  "archive", NULL};
    int i;

    if (e->is_dir) {
        return "folder";
    }
    for (i = 0; iconed[i]; i++) {
        if (strcmp(m->kind, iconed[i]) == 0) {
            return iconed[i];
        }
    }
    return "other";
}

/* The real path of a listed file, or NULL. */
static const char *entry_real(request_rec *r, const ls_entry_t *e)
{
    const char *rel = e->real_rel ? e->real_rel : e->asset_rel;

    return rel ? ls_path_join(r->pool, ls_config_get(r->server)->asset_real,
                              rel)
               : NULL;
}

/* Can a share without originals send this file? Its admin rendition, or
 * a web rendition we make (unless the file is known to have none). */
static int sendable(request_rec *r, const ls_entry_t *e)
{
    const char *real = entry_real(r, e);
    apr_status_t rv;

    if (e->asset_rel
        && ls_resolve_rendition(r->pool,
                                ls_config_get(r->server)->rendition_root,
                                e->asset_rel, NULL)) {
        return 1;
    }
    rv = real ? ls_rendition_state(r, real, LS_RCACHE_WEB) : APR_ENOTIMPL;
    return rv == APR_SUCCESS || rv == APR_ENOENT;
}

/* What the page shows of one entry of folder t. */
static void entry_model(request_rec *r, const ls_req_t *req,
                        const ls_target_t *t, const ls_entry_t *e,
                        ls_view_entry_t *v)
{
    const ls_mime_t *m = ls_mime_lookup(e->name);
    const char *rr = ls_config_get(r->server)->rendition_root;

    v->name = e->name;
    v->rel = ls_path_join(r->pool, t->share_rel, e->name);
    v->label = e->is_dir ? "Folder" : m->label;
    v->kind = kind_class(e, m);
    v->ext = m->ext;
    v->is_dir = e->is_dir;
    v->available = e->available;
    v->size = e->is_dir ? (
                  e->available ? ls_tally_folder(r, req, entry_real(r, e)) : -1)
                        : e->size;
    v->mtime = apr_time_sec(e->mtime);
    v->open_url = ls_html_item(r, e->is_dir ? LS_URL_PAGE : LS_URL_PREVIEW,
                               req->token, NULL, v->rel);
    v->file_url = e->is_dir ? NULL
                            : ls_html_item(r, LS_URL_PAGE, req->token, "file",
                                           v->rel);
    v->thumb_url = NULL;
    v->thumb_pending = 0;
    v->no_original = 0;
    if (e->is_dir || !e->available) {
        return;
    }
    if (!req->share->allow_original && !sendable(r, e)) {
        v->file_url = NULL;
        v->no_original = 1;
    }
    if (e->asset_rel
        && ls_resolve_rendition(r->pool, rr, e->asset_rel, "thumbnail")) {
        v->thumb_url = ls_html_item(r, LS_URL_PAGE, req->token, "thumb",
                                    v->rel);
        return;
    }
    /* A generated thumbnail: shown when made, asked for (and looked for
     * again by the page script) when not yet, the type icon when the
     * file has none. */
    if (ls_rendition_supported(r->server, e->name) && entry_real(r, e)) {
        apr_status_t rv = ls_rendition_wanted(r, entry_real(r, e),
                                              LS_RCACHE_THUMB);
        if (rv == APR_SUCCESS || rv == APR_ENOENT) {
            v->thumb_url = ls_html_item(r, LS_URL_PAGE, req->token, "thumb",
                                        v->rel);
            v->thumb_pending = rv == APR_ENOENT;
        }
    }
}

/* Download all: the whole share's tally, said before anyone clicks. */
static void all_model(request_rec *r, const ls_req_t *req, ls_view_listing_t *m)
{
    ls_server_conf *sc = ls_config_get(r->server);
    ls_tally_t t = ls_tally_share(r, req);

    m->all = t.state == LS_TALLY_FITS      ? LS_ALL_FITS
             : t.state == LS_TALLY_TOO_BIG ? LS_ALL_TOO_BIG
                                           : LS_ALL_UNKNOWN;
    m->all_bytes = t.bytes;
    m->all_files = t.files;
    m->max_bytes = sc->max_content;
    m->max_files = sc->max_files;
    m->too_many_files = t.too_many_files;
    if (m->all == LS_ALL_FITS && t.files == 0) {
        m->all = LS_ALL_UNKNOWN; /* nothing to download */
    }
}

static int listing(request_rec *r, const ls_req_t *req, const ls_target_t *t)
{
    ls_server_conf *sc = ls_config_get(r->server);
    apr_array_header_t *entries;
    const char *order = NULL;
    view_t v = {NULL, 0, 1, 1}, o;
    ls_view_listing_t m;
    int i, first, last;

    if (view_of(r, &v) != APR_SUCCESS) {
        return ls_html_bad_request(r, ls_text("Choose the card or list view "
                                              "and a page number from 1."));
    }
    if (ls_resolve_list(r->pool, sc->asset_real, req->share,
                        ls_authz_filter(r, req->share->owner), t, &entries)
        != APR_SUCCESS) {
        return ls_html_not_found(r, ls_text("This folder cannot be read."));
    }
    /* ?sort=name|size|date&order=desc; the share root keeps the sharer's
     * order until asked. */
    if (ls_query_get(r->pool, r->args, "sort", &v.sort) == APR_SUCCESS) {
        v.desc = ls_query_get(r->pool, r->args, "order", &order) == APR_SUCCESS
                 && strcmp(order, "desc") == 0;
        if (ls_resolve_sort(entries, v.sort, v.desc) != APR_SUCCESS) {
            return ls_html_bad_request(r, ls_text("Sort by name, size or "
                                                  "date."));
        }
    }
    memset(&m, 0, sizeof(m));
    m.pages = entries->nelts ? (entries->nelts + PAGE_SIZE - 1) / PAGE_SIZE : 1;
    if (v.page > m.pages) {
        return ls_html_not_found(
            r, ls_textf(r->pool, "This folder has %d %s only.", m.pages,
                        ls_text_n(m.pages, "page", "pages")));
    }
    /* Inside a folder its name; at the top the name the sharer gave the
     * link, else its only item's, else how many there are. */
    m.title = t->item >= 0 ? ls_path_basename(t->share_rel)
              : req->share->name && *req->share->name ? req->share->name
              : entries->nelts == 1
                  ? APR_ARRAY_IDX(entries, 0, ls_entry_t).name
                  : ls_textf(r->pool, "%d %s", entries->nelts,
                             ls_text_n(entries->nelts, "item", "items"));
    m.owner = req->share->owner;
    m.expires = req->share->expires;
    m.now = apr_time_sec(r->request_time);
    m.brand = ls_html_brand(r);
    all_model(r, req, &m);
    m.renditions_only = !req->share->allow_original;
    m.crumbs = ls_html_crumbs(r, req->token, t->share_rel);
    m.cards = v.cards;
    m.card_url = list_link(r, req, t, &v, "card");
    m.list_url = list_link(r, req, t, &v, "list");
    m.by_name = sort_by(r, req, t, &v, "name");
    m.by_size = sort_by(r, req, t, &v, "size");
    m.by_date = sort_by(r, req, t, &v, "date");
    m.queue_url = ls_html_item(r, LS_URL_PAGE, req->token, "queue", NULL);
    m.page = v.page;
    o = v;
    o.page = v.page - 1;
    m.prev_url = v.page > 1 ? list_link(r, req, t, &o, NULL) : NULL;
    o.page = v.page + 1;
    m.next_url = v.page < m.pages ? list_link(r, req, t, &o, NULL) : NULL;
    first = (v.page - 1) * PAGE_SIZE;
    last = first + PAGE_SIZE < entries->nelts ? first + PAGE_SIZE
                                              : entries->nelts;
    m.entries = apr_array_make(r->pool, last - first + 1,
                               sizeof(ls_view_entry_t));
    for (i = first; i < last; i++) {
        entry_model(r, req, t, &APR_ARRAY_IDX(entries, i, ls_entry_t),
                    apr_array_push(m.entries));
    }
    m.inbox = ls_inbox_model(r, req);
    return ls_html_send(r, HTTP_OK, ls_view_listing_page(r->pool, &m));
}

/* ---- files ---- */

/* The rendition of an asset to serve (see ls_resolve_rendition). */
static const char *best_rendition(request_rec *r, const char *asset_rel,
                                  const char *prefer_prefix)
{
    return ls_resolve_rendition(r->pool,
                                ls_config_get(r->server)->rendition_root,
                                asset_rel, prefer_prefix);
}

static int serve_file(request_rec *r, ls_req_t *req, const ls_target_t *t)
{
    const char *name = ls_path_basename(t->share_rel), *path;

    if (t->item < 0 || t->finfo.filetype == APR_DIR) {
        return ls_html_bad_request(
            r, ls_text("This is a folder. Open it to download "
                       "its files one by one."));
    }
    if (req->share->allow_original) {
        path = t->real;
    }
    else {
        path = best_rendition(r, t->asset_rel, NULL);
        if (path == NULL
            && ls_rendition_get(r, t->real, &t->finfo, LS_RCACHE_WEB,
                                LS_RENDER_WAITING, apr_time_from_sec(10), &path)
                   != APR_SUCCESS) {
            path = NULL;
        }
        if (path == NULL) {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                          LS_TAG(00110) "share %s: no rendition of %s to serve "
                                        "instead of the original",
                                 req->share->id, t->asset_rel);
            return ls_html_not_found(
                r, ls_text("The person who shared this file did "
                           "not allow downloading the original, "
                           "and no rendition of it is "
                           "available."));
        }
        /* Keep the asset's name, with the rendition's extension. */
        {
            const char *ext = strrchr(path, '.'), *dot = strrchr(name, '.');
            name = apr_pstrcat(
                r->pool, dot ? apr_pstrmemdup(r->pool, name, dot - name) : name,
                ext ? ext : "", NULL);
        }
    }
    return ls_deliver_download(r, path, path == t->real ? &t->finfo : NULL,
                               path == t->real ? t->file : NULL, name, NULL, 0);
}

/* The type icon in place of a thumbnail not made (yet, or ever): not
 * cached, so the next look may get the thumbnail. */
static int type_icon(request_rec *r, const ls_target_t *t)
{
    const ls_mime_t *m = ls_mime_lookup(t->share_rel);

    ap_set_content_type(r, "image/svg+xml");
    apr_table_setn(r->err_headers_out, "Cache-Control", "no-store");
    ap_rputs(ls_view_icon_svg(r->pool, m->kind, m->ext), r);
    return OK;
}

/* op=thumb: the admin's thumbnail rendition, else the generated one
 * (waited for up to a second, then the type icon), else 404. */
static int serve_thumb(request_rec *r, const ls_req_t *req,
                       const ls_target_t *t)
{
    const char *path;
    apr_status_t rv;

    (void)req;
    if (t->item >= 0
        && (path = best_rendition(r, t->asset_rel, "thumbnail")) != NULL) {
        return ls_deliver_inline(r, path, NULL, NULL, ls_path_basename(path));
    }
    if (t->item < 0 || t->finfo.filetype == APR_DIR
        || (rv = ls_rendition_get(r, t->real, &t->finfo, LS_RCACHE_THUMB,
                                  LS_RENDER_WAITING, apr_time_from_sec(1),
                                  &path))
               == APR_ENOTIMPL) {
        return ls_html_not_found(
            r, ls_text("There is no thumbnail for this item."));
    }
    if (rv != APR_SUCCESS) {
        return type_icon(r, t);
    }
    return ls_deliver_inline(
        r, path, NULL, NULL,
        apr_pstrcat(r->pool, ls_path_basename(t->share_rel), ".jpg", NULL));
}

/* ---- the Download Inbox operations (ls_inbox) ---- */

/* The handler's answer for op=queue|cancel|inbox|events|part, or DECLINED for
 * another op. */
static int inbox_op(request_rec *r, ls_req_t *req, const char *op)
{
    int post = r->method_number == M_POST;

    if (strcmp(op, "queue") == 0 || strcmp(op, "cancel") == 0
        || strcmp(op, "remove") == 0) {
        if (!post) {
            apr_table_setn(r->err_headers_out, "Allow", "POST");
            return ls_http_json_error(r, HTTP_METHOD_NOT_ALLOWED,
                                      ls_text("Use POST for this operation."));
        }
        return op[0] == 'q'   ? ls_inbox_queue(r, req)
               : op[0] == 'r' ? ls_inbox_remove(r, req)
                              : ls_inbox_cancel(r, req);
    }
    if (strcmp(op, "inbox") == 0) {
        return ls_inbox_list(r, req);
    }
    if (strcmp(op, "events") == 0) {
        return ls_inbox_events(r, req);
    }
    if (strcmp(op, "part") == 0) {
        return ls_inbox_part(r, req);
    }
    return DECLINED;
}

/* ---- entry ---- */

int ls_page_log(request_rec *r)
{
    ls_req_t *req = ls_access_req(r);

    int complete = ls_deliver_complete(r) != NULL;

    /* A share with a limit counted the download before sending it
     * (ls_protect); the others count behind, here. */
    if (req && !ls_protect_log(r, complete) && complete) {
        ls_counter_add(r->pool, req->share->id, apr_time_sec(r->request_time));
    }
    return DECLINED;
}

int ls_page_handler(request_rec *r)
{
    ls_kind_t kind = ls_access_kind(r);
    ls_server_conf *sc = ls_config_get(r->server);
    ls_req_t *req;
    const char *op = NULL, *rel = NULL, *why = NULL;
    ls_target_t t;
    apr_status_t rv;
    int status;

    if (kind != LS_KIND_PAGE && kind != LS_KIND_PREVIEW
        && kind != LS_KIND_EXPIRED) {
        return DECLINED;
    }
    ls_http_public_headers(r, NULL);
    req = ls_access_req(r);
    if (sc->asset_real == NULL) {
        ap_log_rerror(
            APLOG_MARK, APLOG_ERR, 0, r,
            LS_TAG(00111) "%s is mapped here but LinkShareAssetRoot is "
                          "not set for this server",
                   r->handler);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if (req == NULL || !req->checked) {
        /* Only a request the access check let through gets here; one it
         * never saw (a subrequest that skipped the access phase) fails
         * closed. */
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      LS_TAG(00131) "%s reached without the share check (a "
                                    "subrequest?); refused",
                             r->handler);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if (kind == LS_KIND_EXPIRED) {
        return ls_html_expired(r, HTTP_OK, NULL);
    }
    if (req->share == NULL) {
        return ls_html_logo(r); /* the only page the check lets by without */
    }
    if (ls_query_get(r->pool, r->args, "op", &op) == APR_EINVAL
        || ls_query_get(r->pool, r->args, "path", &rel) == APR_EINVAL) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      LS_TAG(00112) "share %s: badly encoded parameter",
                             req->share->id);
        return ls_html_bad_request(r, ls_text("The address has a badly encoded "
                                              "parameter."));
    }
    if (op && (status = inbox_op(r, req, op)) != DECLINED) {
        return status;
    }
    /* A file about to be sent is opened as it is resolved. */
    rv = (op && (strcmp(op, "file") == 0 || strcmp(op, "view") == 0)
              ? ls_resolve_open
              : ls_resolve)(r->pool, sc->asset_real, req->share,
                            ls_authz_filter(r, req->share->owner), rel, &t,
                            &why);
    if (rv == APR_EINVAL) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      LS_TAG(00113) "share %s: refused path: %s",
                             req->share->id, why);
        return ls_html_bad_request(r, ls_text(why));
    }
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      LS_TAG(00114) "share %s: path not in the share or gone",
                             req->share->id);
        return ls_html_not_found(
            r, ls_text("This item is not part of the share, or it "
                       "was moved or deleted."));
    }
    if (kind == LS_KIND_PREVIEW) {
        return op ? ls_html_bad_request(r, ls_text("The preview page takes no "
                                                   "operation."))
                  : ls_preview_page(r, req, &t);
    }
    if (op == NULL) {
        if (t.item >= 0 && t.finfo.filetype != APR_DIR) {
            return ls_preview_page(r, req, &t);
        }
        return listing(r, req, &t);
    }
    if (strcmp(op, "file") == 0) {
        return serve_file(r, req, &t);
    }
    if (strcmp(op, "thumb") == 0) {
        return serve_thumb(r, req, &t);
    }
    if (strcmp(op, "view") == 0) {
        return ls_preview_view(r, req, &t);
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  LS_TAG(00115) "share %s: unknown operation", req->share->id);
    return ls_html_bad_request(r, ls_text("Unknown operation."));
}
