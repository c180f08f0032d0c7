/* ls_preview: linksharepreview.html and the bytes it shows (op=view).
 * What a preview may show is decided in one place, view_source(), so the
 * page never offers an element whose source would then be refused:
 *   images  the "web" rendition, else the original when the share allows
 *           originals, else any raster rendition;
 *   PDF     the original when allowed, else a PDF rendition; shown in the
 *           browser's own viewer inside a frame whose response carries
 *           CSP sandbox (no script of ours or the document's origin);
 *   video   a video rendition, else an MP4/WebM original when allowed;
 *   text    the start of the original (when allowed), escaped in a <pre>.
 * HTML, SVG and everything else are never rendered: the page says there is
 * no preview and offers the download. Glue unit. */
#include "httpd.h"
#include "http_log.h"
#include "http_protocol.h"
#include "apr_strings.h"

#include "ls_authz.h"
#include "ls_config.h"
#include "ls_html.h"
#include "ls_mime.h"
#include "ls_deliver.h"
#include "ls_path.h"
#include "ls_rcache.h"
#include "ls_rendition.h"
#include "ls_preview.h"
#include "ls_tag.h"
#include "ls_text.h"
#include "ls_view_preview.h"

APLOG_USE_MODULE(linkshare);

#define TEXT_PREVIEW_MAX (64 * 1024) /* bytes of a text file shown */

/* What kind of preview a file name calls for. */
static ls_preview_kind_t kind_of(const ls_mime_t *m)
{
    static const char *const images[] = {"jpg", "jpeg", "png", "gif",
                                         "bmp", "webp", NULL};
    int i;

    for (i = 0; images[i]; i++) {
        if (strcmp(m->ext, images[i]) == 0) {
            return LS_PREVIEW_IMAGE;
        }
    }
    if (strcmp(m->ext, "pdf") == 0) {
        return LS_PREVIEW_PDF;
    }
    if (strcmp(m->kind, "video") == 0) {
        return LS_PREVIEW_VIDEO;
    }
    if (strcmp(m->kind, "text") == 0) {
        return LS_PREVIEW_TEXT;
    }
    return LS_PREVIEW_NONE; /* HTML and SVG included: never rendered */
}

/* A PDF of a share without originals, with no PDF rendition from the
 * admin, is previewed as the image of its first page (generated). */
static int pdf_as_image(request_rec *r, const ls_req_t *req,
                        const ls_target_t *t)
{
    return !req->share->allow_original
           && ls_rendition_supported(r->server, t->real)
           && !ls_resolve_rendition_type(
               r->pool, ls_config_get(r->server)->rendition_root, t->asset_rel,
               "application/pdf");
}

/* The file a preview of t shows, or NULL when there is none. */
static const char *view_source(request_rec *r, const ls_req_t *req,
                               const ls_target_t *t, ls_preview_kind_t kind,
                               int for_page)
{
    const char *rr = ls_config_get(r->server)->rendition_root;
    const char *ext = ls_mime_lookup(t->share_rel)->ext, *path = NULL;
    int orig = req->share->allow_original;
    apr_status_t rv;

    switch (kind) {
    case LS_PREVIEW_IMAGE:
        path = ls_resolve_rendition(r->pool, rr, t->asset_rel, "web");
        if (path != NULL) {
            return path;
        }
        /* The generated web rendition: a 40-megapixel photo is not sent
         * to a phone. The page only asks for it (queued); op=view waits
         * a little for it before falling back. */
        rv = ls_rendition_get(r, t->real, &t->finfo, LS_RCACHE_WEB,
                              LS_RENDER_WAITING,
                              for_page ? 0 : apr_time_from_sec(5), &path);
        if (rv == APR_SUCCESS) {
            return path;
        }
        path = NULL;
        if (rv == APR_ENOENT && for_page) {
            return ""; /* it is being made: the page may show it */
        }
        if (orig) {
            path = t->real;
        }
        if (path == NULL) {
            path = ls_resolve_rendition_type(r->pool, rr, t->asset_rel,
                                             "image/");
        }
        return path;
    case LS_PREVIEW_PDF:
        return orig ? t->real
                    : ls_resolve_rendition_type(r->pool, rr, t->asset_rel,
                                                "application/pdf");
    case LS_PREVIEW_VIDEO:
        path = ls_resolve_rendition_type(r->pool, rr, t->asset_rel, "video/");
        if (path == NULL && orig
            && (!strcmp(ext, "mp4") || !strcmp(ext, "m4v")
                || !strcmp(ext, "webm"))) {
            path = t->real;
        }
        return path;
    case LS_PREVIEW_TEXT:
        return orig ? t->real : NULL;
    default:
        return NULL;
    }
}

int ls_preview_view(request_rec *r, ls_req_t *req, const ls_target_t *t)
{
    ls_preview_kind_t kind;
    const char *path;

    if (t->item < 0 || t->finfo.filetype == APR_DIR) {
        return ls_html_bad_request(r, ls_text("Folders have no preview."));
    }
    kind = kind_of(ls_mime_lookup(t->share_rel));
    if (kind == LS_PREVIEW_PDF && pdf_as_image(r, req, t)) {
        kind = LS_PREVIEW_IMAGE;
    }
    path = kind == LS_PREVIEW_TEXT ? NULL : view_source(r, req, t, kind, 0);
    if (path == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      LS_TAG(00120) "share %s: no preview of %s to serve",
                             req->share->id, t->asset_rel);
        return ls_html_not_found(r,
                                 ls_text("There is no preview of this file."));
    }
    if (kind == LS_PREVIEW_PDF) {
        /* Framed by our preview page only, and sandboxed: the viewer
         * runs, no script runs with our origin. */
        apr_table_setn(r->err_headers_out, "X-Frame-Options", "SAMEORIGIN");
        apr_table_setn(r->err_headers_out, "Content-Security-Policy",
                       "sandbox; frame-ancestors 'self'");
    }
    return ls_deliver_inline(r, path, path == t->real ? &t->finfo : NULL,
                             path == t->real ? t->file : NULL,
                             ls_path_basename(path));
}

/* ---- the page ---- */

/* The start of a text file, cut on a UTF-8 boundary, into the model;
 * text NULL when it cannot be read. */
static void text_start(request_rec *r, const ls_target_t *t,
                       ls_view_preview_t *m)
{
    apr_file_t *f;
    apr_size_t n = TEXT_PREVIEW_MAX;
    char *buf = apr_palloc(r->pool, TEXT_PREVIEW_MAX + 1);

    if (apr_file_open(&f, t->real, APR_FOPEN_READ, 0, r->pool) != APR_SUCCESS) {
        m->text = NULL;
        return;
    }
    if (apr_file_read_full(f, buf, n, &n) != APR_SUCCESS && n == 0) {
        n = 0;
    }
    apr_file_close(f);
    if (n == TEXT_PREVIEW_MAX) {
        while (n > 0 && ((unsigned char)buf[n - 1] & 0xC0) == 0x80) {
            n--; /* continuation bytes of a cut character */
        }
        if (n > 0 && ((unsigned char)buf[n - 1] & 0xC0) == 0xC0) {
            n--; /* its lead byte */
        }
    }
    buf[n] = '\0';
    m->text = buf;
    m->text_len = (apr_int64_t)n;
}

/* The previous and next files of the folder (folders and unavailable
 * items skipped), in the listing's default order, into the model. */
static void neighbours(request_rec *r, const ls_req_t *req,
                       const ls_target_t *t, const char *parent,
                       ls_view_preview_t *m)
{
    ls_server_conf *sc = ls_config_get(r->server);
    apr_array_header_t *entries;
    const char *why, *name = ls_path_basename(t->share_rel);
    const ls_entry_t *prev = NULL, *next = NULL;
    ls_target_t pt;
    int i, at = -1, pos = 0, files = 0;

    const ls_filter_t *may = ls_authz_filter(r, req->share->owner);

    if (ls_resolve(r->pool, sc->asset_real, req->share, may, parent, &pt, &why)
            != APR_SUCCESS
        || ls_resolve_list(r->pool, sc->asset_real, req->share, may, &pt,
                           &entries)
               != APR_SUCCESS) {
        return;
    }
    for (i = 0; i < entries->nelts; i++) {
        const ls_entry_t *e = &APR_ARRAY_IDX(entries, i, ls_entry_t);
        if (e->is_dir || !e->available) {
            continue;
        }
        files++;
        if (strcmp(e->name, name) == 0) {
            at = i;
            pos = files;
        }
        else if (at < 0) {
            prev = e;
        }
        else if (next == NULL) {
            next = e;
        }
    }
    if (at < 0) {
        return;
    }
    m->pos = pos;
    m->files = files;
    if (prev) {
        m->prev.label = prev->name;
        m->prev.url = ls_html_item(r, LS_URL_PREVIEW, req->token, NULL,
                                   ls_path_join(r->pool, parent, prev->name));
    }
    if (next) {
        m->next.label = next->name;
        m->next.url = ls_html_item(r, LS_URL_PREVIEW, req->token, NULL,
                                   ls_path_join(r->pool, parent, next->name));
    }
}

int ls_preview_page(request_rec *r, const ls_req_t *req, const ls_target_t *t)
{
    apr_pool_t *p = r->pool;
    const char *name = ls_path_basename(t->share_rel);
    const ls_mime_t *mt = ls_mime_lookup(name);
    const char *parent = ap_make_dirstr_parent(p, t->share_rel);
    const char *src;
    ls_view_preview_t m;

    if (t->item < 0 || t->finfo.filetype == APR_DIR) {
        return ls_html_bad_request(r, ls_text("Folders have no preview; open "
                                              "the folder instead."));
    }
    if (*parent) {
        parent = apr_pstrmemdup(p, parent, strlen(parent) - 1);
    }
    memset(&m, 0, sizeof(m));
    m.name = name;
    m.label = mt->label;
    m.size = t->finfo.size;
    m.mtime = apr_time_sec(t->finfo.mtime);
    m.crumbs = ls_html_crumbs(r, req->token, t->share_rel);
    neighbours(r, req, t, parent, &m);
    m.kind = kind_of(mt);
    if (m.kind == LS_PREVIEW_PDF && pdf_as_image(r, req, t)) {
        m.kind = LS_PREVIEW_IMAGE; /* its first page */
    }
    src = view_source(r, req, t, m.kind, 1);
    m.available = src != NULL;
    m.view_url = ls_html_item(r, LS_URL_PAGE, req->token, "view", t->share_rel);
    if ((m.kind == LS_PREVIEW_VIDEO || m.kind == LS_PREVIEW_PDF)
        && (ls_resolve_rendition(p, ls_config_get(r->server)->rendition_root,
                                 t->asset_rel, "thumbnail")
            || ls_rendition_supported(r->server, name))) {
        m.poster_url = ls_html_item(r, LS_URL_PAGE, req->token, "thumb",
                                    t->share_rel);
    }
    if (m.kind == LS_PREVIEW_TEXT && src) {
        text_start(r, t, &m);
    }
    m.download_url = ls_html_item(r, LS_URL_PAGE, req->token, "file",
                                  t->share_rel);
    m.back_url = ls_html_item(r, LS_URL_PAGE, req->token, NULL, parent);
    return ls_html_send(r, HTTP_OK, ls_view_preview_page(p, &m));
}
