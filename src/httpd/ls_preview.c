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
#include "ls_http.h"
#include "ls_mime.h"
#include "ls_page.h"
#include "ls_path.h"
#include "ls_preview.h"
#include "ls_resolve.h"

APLOG_USE_MODULE(linkshare);

#define TEXT_PREVIEW_MAX (64 * 1024) /* bytes of a text file shown */

typedef enum { PV_NONE, PV_IMAGE, PV_PDF, PV_VIDEO, PV_TEXT } pv_kind;

/* What kind of preview a file name calls for. */
static pv_kind kind_of(const ls_mime_t *m)
{
    static const char *const images[] = {"jpg", "jpeg", "png", "gif",
                                         "bmp", "webp", NULL};
    int i;

    for (i = 0; images[i]; i++) {
        if (strcmp(m->ext, images[i]) == 0) {
            return PV_IMAGE;
        }
    }
    if (strcmp(m->ext, "pdf") == 0) {
        return PV_PDF;
    }
    if (strncmp(m->type, "video/", 6) == 0) {
        return PV_VIDEO;
    }
    if (strcmp(m->label, "Text") == 0) {
        return PV_TEXT;
    }
    return PV_NONE; /* HTML and SVG included: never rendered from here */
}

/* The file a preview of t shows, or NULL when there is none. */
static const char *view_source(request_rec *r, const ls_req_t *req,
                               const ls_target_t *t, pv_kind kind)
{
    const char *rr = ls_config_get(r->server)->rendition_root;
    const char *ext = ls_mime_lookup(t->share_rel)->ext, *path = NULL;
    int orig = req->share->allow_original;

    switch (kind) {
    case PV_IMAGE:
        path = ls_resolve_rendition(r->pool, rr, t->asset_rel, "web");
        if (path == NULL && orig) {
            path = t->real;
        }
        if (path == NULL) {
            path = ls_resolve_rendition_type(r->pool, rr, t->asset_rel,
                                             "image/");
        }
        return path;
    case PV_PDF:
        return orig ? t->real
                    : ls_resolve_rendition_type(r->pool, rr, t->asset_rel,
                                                "application/pdf");
    case PV_VIDEO:
        path = ls_resolve_rendition_type(r->pool, rr, t->asset_rel, "video/");
        if (path == NULL && orig
            && (!strcmp(ext, "mp4") || !strcmp(ext, "m4v")
                || !strcmp(ext, "webm"))) {
            path = t->real;
        }
        return path;
    case PV_TEXT:
        return orig ? t->real : NULL;
    default:
        return NULL;
    }
}

int ls_preview_view(request_rec *r, ls_req_t *req, const ls_target_t *t)
{
    pv_kind kind;
    const char *path;

    if (t->item < 0 || t->finfo.filetype == APR_DIR) {
        return ls_html_bad_request(r, "Folders have no preview.");
    }
    kind = kind_of(ls_mime_lookup(t->share_rel));
    path = kind == PV_TEXT ? NULL : view_source(r, req, t, kind);
    if (path == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "LS00120: share %s: no preview of %s to serve",
                      req->share->id, t->asset_rel);
        return ls_html_not_found(r, "There is no preview of this file.");
    }
    if (kind == PV_PDF) {
        /* Framed by our preview page only, and sandboxed: the viewer
         * runs, no script runs with our origin. */
        apr_table_setn(r->err_headers_out, "X-Frame-Options", "SAMEORIGIN");
        apr_table_setn(r->err_headers_out, "Content-Security-Policy",
                       "sandbox; frame-ancestors 'self'");
    }
    return ls_page_deliver(r, path, path == t->real ? &t->finfo : NULL,
                           ls_path_basename(path), "inline");
}

/* ---- the page ---- */

/* The start of a text file, escaped; cut on a UTF-8 boundary. */
static void text_block(request_rec *r, const ls_target_t *t)
{
    apr_file_t *f;
    apr_size_t n = TEXT_PREVIEW_MAX;
    char *buf = apr_palloc(r->pool, TEXT_PREVIEW_MAX + 1);

    if (apr_file_open(&f, t->real, APR_FOPEN_READ, 0, r->pool) != APR_SUCCESS) {
        ap_rputs("<p>This file cannot be read right now.</p>", r);
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
    ap_rprintf(r, "<pre class=\"text\" tabindex=\"0\">%s</pre>",
               ls_http_esc(r->pool, buf));
    if (t->finfo.size > (apr_off_t)n) {
        ap_rprintf(r,
                   "<p class=\"meta\">Showing the first %s of %s. Download "
                   "the file to see all of it.</p>",
                   ls_http_size(r->pool, n),
                   ls_http_size(r->pool, t->finfo.size));
    }
}

/* The escaped address of the preview of folder/name. */
static const char *preview_link(request_rec *r, const ls_req_t *req,
                                const char *folder, const char *name)
{
    return ls_http_esc(
        r->pool,
        ls_html_link(
            r, LS_URL_PREVIEW, req->token,
            apr_pstrcat(
                r->pool, "&path=",
                ls_http_qenc(r->pool, ls_path_join(r->pool, folder, name)),
                NULL)));
}

/* Previous and next files of the folder (folders and unavailable items
 * skipped), in the listing's default order. */
static void neighbours(request_rec *r, const ls_req_t *req,
                       const ls_target_t *t, const char *parent)
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
    ap_rputs("<nav class=\"pager\" aria-label=\"Files in this folder\">", r);
    if (prev) {
        ap_rprintf(r, "<a rel=\"prev\" href=\"%s\">&larr; %s</a>",
                   preview_link(r, req, parent, prev->name),
                   ls_http_esc(r->pool, prev->name));
    }
    ap_rprintf(r, "<span>File %d of %d</span>", pos, files);
    if (next) {
        ap_rprintf(r, "<a rel=\"next\" href=\"%s\">%s &rarr;</a>",
                   preview_link(r, req, parent, next->name),
                   ls_http_esc(r->pool, next->name));
    }
    ap_rputs("</nav>\n", r);
}

int ls_preview_page(request_rec *r, const ls_req_t *req, const ls_target_t *t)
{
    apr_pool_t *p = r->pool;
    const char *name = ls_path_basename(t->share_rel);
    const ls_mime_t *m = ls_mime_lookup(name);
    const char *q = apr_pstrcat(p, "&path=", ls_http_qenc(p, t->share_rel),
                                NULL);
    const char *parent = ap_make_dirstr_parent(p, t->share_rel);
    const char *file_url = ls_html_link(r, LS_URL_PAGE, req->token,
                                        apr_pstrcat(p, "&op=file", q, NULL));
    const char *view_url = ls_http_esc(
        p, ls_html_link(r, LS_URL_PAGE, req->token,
                        apr_pstrcat(p, "&op=view", q, NULL)));
    pv_kind kind = kind_of(m);
    const char *src;

    if (t->item < 0 || t->finfo.filetype == APR_DIR) {
        return ls_html_bad_request(r, "Folders have no preview; open the "
                                      "folder instead.");
    }
    if (*parent) {
        parent = apr_pstrmemdup(p, parent, strlen(parent) - 1);
    }
    src = view_source(r, req, t, kind);
    ls_html_open(r, HTTP_OK, name);
    ap_rprintf(r,
               "<header><h1>%s</h1><p class=\"meta\">%s, %s, modified %s"
               "</p></header><main>\n",
               ls_http_esc(p, name), m->label, ls_http_size(p, t->finfo.size),
               ls_html_time(p, apr_time_sec(t->finfo.mtime)));
    ls_html_crumbs(r, req, t->share_rel);
    neighbours(r, req, t, parent);
    ap_rprintf(r, "<div class=\"box preview %s\">",
               src == NULL        ? "none"
               : kind == PV_IMAGE ? "image"
               : kind == PV_PDF   ? "pdf"
               : kind == PV_VIDEO ? "video"
                                  : "text");
    if (src == NULL) {
        ap_rputs(kind == PV_NONE
                     ? "<p>There is no preview for this type of file.</p>"
                     : "<p>There is no preview of this file.</p>",
                 r);
    }
    else if (kind == PV_IMAGE) {
        ap_rprintf(r, "<img src=\"%s\" alt=\"%s\">", view_url,
                   ls_http_esc(p, name));
    }
    else if (kind == PV_PDF) {
        ap_rprintf(r, "<iframe src=\"%s\" title=\"%s\"></iframe>", view_url,
                   ls_http_esc(p, name));
    }
    else if (kind == PV_VIDEO) {
        const char *thumb = ls_resolve_rendition(
            p, ls_config_get(r->server)->rendition_root, t->asset_rel,
            "thumbnail");
        ap_rprintf(r,
                   "<video controls preload=\"metadata\" src=\"%s\"%s%s%s>"
                   "Your browser cannot play this video.</video>",
                   view_url, thumb ? " poster=\"" : "",
                   thumb ? ls_http_esc(
                       p, ls_html_link(r, LS_URL_PAGE, req->token,
                                       apr_pstrcat(p, "&op=thumb", q, NULL)))
                         : "",
                   thumb ? "\"" : "");
    }
    else {
        text_block(r, t);
    }
    ap_rprintf(
        r,
        "<p class=\"actions\"><a class=\"button\" href=\"%s\" download>"
        "Download %s</a> <a href=\"%s\">Back to the folder</a></p></div>"
        "</main>\n",
        ls_http_esc(p, file_url), ls_http_esc(p, name),
        ls_http_esc(p,
                    ls_html_link(r, LS_URL_PAGE, req->token,
                                 *parent ? apr_pstrcat(
                                     p, "&path=", ls_http_qenc(p, parent), NULL)
                                         : NULL)));
    return ls_html_close(r);
}
