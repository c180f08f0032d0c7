/* ls_page: the recipients' pages and file delivery (see ls_page.h).
 * Pages are server-rendered and work without JavaScript; every string
 * from the share or the file system is HTML-escaped. Files go out through
 * httpd's own default handler (sendfile, Range, ETag, conditionals): the
 * handler resolves the file, sets r->filename and declines. */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_strings.h"

#include "ls_access.h"
#include "ls_assets.h"
#include "ls_config.h"
#include "ls_counter.h"
#include "ls_html.h"
#include "ls_http.h"
#include "ls_job.h"
#include "ls_mime.h"
#include "ls_page.h"
#include "ls_path.h"
#include "ls_preview.h"
#include "ls_query.h"
#include "ls_resolve.h"
#include "ls_time.h"

APLOG_USE_MODULE(linkshare);

/* ---- the listing ---- */

static void listing_row(request_rec *r, const ls_req_t *req, const char *rel,
                        const ls_entry_t *e)
{
    apr_pool_t *p = r->pool;
    const char *child = ls_path_join(p, rel, e->name);
    const char *q = apr_pstrcat(p, "&path=", ls_http_qenc(p, child), NULL);
    const char *label = e->is_dir ? "Folder" : ls_mime_lookup(e->name)->label;

    if (!e->available) {
        ap_rprintf(
            r,
            "<tr class=\"gone\"><td></td><td class=\"name\">%s</td><td>%s"
            "</td><td class=\"num opt\"></td><td class=\"num opt\">"
            "</td><td>Unavailable: moved or deleted</td></tr>\n",
            ls_http_esc(p, e->name), label);
        return;
    }
    ap_rprintf(r,
               "<tr><td><input type=\"checkbox\" name=\"path\" value=\"%s\" "
               "data-size=\"%" APR_OFF_T_FMT "\" aria-label=\"Select %s\">"
               "</td>",
               ls_http_esc(p, child), e->is_dir ? (apr_off_t)-1 : e->size,
               ls_http_esc(p, e->name));
    ap_rprintf(
        r,
        "<td class=\"name\"><a href=\"%s\">%s</a></td>"
        "<td>%s</td><td class=\"num opt\">%s</td>"
        "<td class=\"num opt\">%s</td><td>",
        ls_http_esc(
            p, e->is_dir
                   ? ls_html_link(r, "linkshare.html", req->token, q)
                   : ls_html_link(r, "linksharepreview.html", req->token, q)),
        ls_http_esc(p, e->name), label,
        e->is_dir ? "" : ls_http_size(p, e->size),
        ls_html_time(p, apr_time_sec(e->mtime)));
    if (!e->is_dir) {
        ap_rprintf(
            r, "<a href=\"%s\" download>Download</a>",
            ls_http_esc(p, ls_html_link(r, "linkshare.html", req->token,
                                        apr_pstrcat(p, "&op=file", q, NULL))));
    }
    ap_rputs("</td></tr>\n", r);
}

/* A column header that sorts by key, toggling the order when the list is
 * already sorted by it. */
static const char *sort_link(request_rec *r, const ls_req_t *req,
                             const ls_target_t *t, const char *key,
                             const char *label, const char *cur, int desc)
{
    int active = cur && strcmp(cur, key) == 0;
    const char *q = apr_pstrcat(
        r->pool, *t->share_rel ? "&path=" : "",
        *t->share_rel ? ls_http_qenc(r->pool, t->share_rel) : "", "&sort=", key,
        active && !desc ? "&order=desc" : "", NULL);

    return apr_psprintf(
        r->pool, "<a href=\"%s\"%s>%s%s</a>",
        ls_http_esc(r->pool, ls_html_link(r, "linkshare.html", req->token, q)),
        active
            ? (desc ? " aria-sort=\"descending\"" : " aria-sort=\"ascending\"")
            : "",
        label, active ? (desc ? " \xe2\x96\xbc" : " \xe2\x96\xb2") : "");
}

static int listing(request_rec *r, const ls_req_t *req, const ls_target_t *t)
{
    ls_server_conf *sc = ls_config_get(r->server);
    apr_array_header_t *entries;
    const char *sort = NULL, *order = NULL;
    int i, desc = 0;

    if (ls_resolve_list(r->pool, sc->asset_real, req->share, t, &entries)
        != APR_SUCCESS) {
        return ls_html_not_found(r, "This folder cannot be read.");
    }
    /* ?sort=name|size|date&order=desc; the share root keeps the sharer's
     * order until asked. */
    if (ls_query_get(r->pool, r->args, "sort", &sort) == APR_SUCCESS) {
        desc = ls_query_get(r->pool, r->args, "order", &order) == APR_SUCCESS
               && strcmp(order, "desc") == 0;
        if (ls_resolve_sort(entries, sort, desc) != APR_SUCCESS) {
            return ls_html_bad_request(r, "Sort by name, size or date.");
        }
    }
    ls_html_open(r, HTTP_OK,
                 t->item < 0 ? "Shared files" : ls_path_basename(t->share_rel));
    ap_rprintf(r,
               "<header><h1>%s</h1><p class=\"meta\">Shared by %s. This "
               "link expires on %s.%s</p></header><main>\n",
               t->item < 0
                   ? "Shared files"
                   : ls_http_esc(r->pool, ls_path_basename(t->share_rel)),
               ls_http_esc(r->pool, req->share->owner),
               ls_html_time(r->pool, req->share->expires),
               req->share->allow_original
                   ? ""
                   : " Downloads are renditions, not original files.");
    ls_html_crumbs(r, req, t->share_rel);
    /* Without JavaScript the form posts the selection and the server
     * answers with this page again (303); the inbox below is rendered
     * here, and the script only makes it refresh itself. */
    ap_rprintf(r,
               "<form id=\"ls-select\" method=\"post\" action=\"%s\">"
               "<div class=\"actions\"><button type=\"submit\">Queue "
               "Download</button> <span id=\"ls-count\" "
               "aria-live=\"polite\">Nothing selected: Queue Download takes "
               "everything.</span></div>\n",
               ls_http_esc(r->pool, ls_html_link(r, "linkshare.html",
                                                 req->token, "&op=queue")));
    ap_rprintf(r,
               "<table><thead><tr><th scope=\"col\"><input type=\"checkbox\" "
               "id=\"ls-all\" hidden aria-label=\"Select all\"></th>"
               "<th scope=\"col\">%s</th><th scope=\"col\">Type</th>"
               "<th scope=\"col\" class=\"opt\">%s</th><th scope=\"col\" "
               "class=\"opt\">%s</th><th scope=\"col\"><span "
               "class=\"visually-hidden\">Actions</span></th></tr>"
               "</thead><tbody>\n",
               sort_link(r, req, t, "name", "Name", sort, desc),
               sort_link(r, req, t, "size", "Size", sort, desc),
               sort_link(r, req, t, "date", "Modified", sort, desc));
    for (i = 0; i < entries->nelts; i++) {
        listing_row(r, req, t->share_rel,
                    &APR_ARRAY_IDX(entries, i, ls_entry_t));
    }
    if (entries->nelts == 0) {
        ap_rputs("<tr><td colspan=\"6\">This folder is empty.</td></tr>\n", r);
    }
    ap_rputs("</tbody></table></form>\n", r);
    ls_job_inbox_html(r, (ls_req_t *)req);
    ap_rprintf(r, "</main><script>%s</script>\n", ls_asset_linkshare_js);
    return ls_html_close(r);
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

/* Hands path to httpd's default handler with our headers. finfo may be
 * a stat of path taken already (APR_FINFO_NORM), or NULL. */
int ls_page_deliver(request_rec *r, const char *path, const apr_finfo_t *finfo,
                    const char *name, const char *disposition)
{
    if (finfo) {
        r->finfo = *finfo;
    }
    else if (apr_stat(&r->finfo, path, APR_FINFO_NORM, r->pool)
             != APR_SUCCESS) {
        r->finfo.filetype = APR_NOFILE;
    }
    if (r->finfo.filetype != APR_REG) {
        return ls_html_not_found(r, "This file is no longer available.");
    }
    r->filename = apr_pstrdup(r->pool, path);
    r->canonical_filename = r->filename;
    r->path_info = NULL;
    ap_set_content_type(r, ls_mime_lookup(path)->type);
    apr_table_setn(r->headers_out, "Content-Disposition",
                   ls_http_disposition(r->pool, disposition, name));
    /* Browsers may keep the bytes but must ask again, so a revoked link
     * stops working at once; Range and ETag still let them resume. */
    apr_table_setn(r->err_headers_out, "Cache-Control", "private, no-cache");
    return DECLINED;
}

static int serve_file(request_rec *r, ls_req_t *req, const ls_target_t *t)
{
    const char *name = ls_path_basename(t->share_rel), *path;

    if (t->item < 0 || t->finfo.filetype == APR_DIR) {
        return ls_html_bad_request(r, "This is a folder. Open it to download "
                                      "its files one by one.");
    }
    if (req->share->allow_original) {
        path = t->real;
    }
    else {
        path = best_rendition(r, t->asset_rel, NULL);
        if (path == NULL) {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                          "LS00110: share %s: no rendition of %s to serve "
                          "instead of the original",
                          req->share->id, t->asset_rel);
            return ls_html_not_found(r, "The person who shared this file did "
                                        "not allow downloading the original, "
                                        "and no rendition of it is "
                                        "available.");
        }
        /* Keep the asset's name, with the rendition's extension. */
        {
            const char *ext = strrchr(path, '.'), *dot = strrchr(name, '.');
            name = apr_pstrcat(
                r->pool, dot ? apr_pstrmemdup(r->pool, name, dot - name) : name,
                ext ? ext : "", NULL);
        }
    }
    req->file_download = 1;
    return ls_page_deliver(r, path, path == t->real ? &t->finfo : NULL, name,
                           "attachment");
}

static int serve_thumb(request_rec *r, const ls_req_t *req,
                       const ls_target_t *t)
{
    const char *path;

    (void)req;
    if (t->item < 0
        || (path = best_rendition(r, t->asset_rel, "thumbnail")) == NULL) {
        return ls_html_not_found(r, "There is no thumbnail for this item.");
    }
    return ls_page_deliver(r, path, NULL, ls_path_basename(path), "inline");
}

/* ---- download jobs (ls_job) ---- */

#define LS_NOT_A_JOB_OP                                                        \
    (-1000) /* not DECLINED (-1): ls_page_deliver() answers that */

/* The handler's answer for a download-job operation, or LS_NOT_A_JOB_OP
 * (DECLINED is a real answer here: a part goes to the default handler). */
static int job_op(request_rec *r, ls_req_t *req, const char *op)
{
    const char *path, *name;
    apr_finfo_t fi;
    int post = r->method_number == M_POST;

    if (strcmp(op, "queue") == 0 || strcmp(op, "cancel") == 0) {
        if (!post) {
            apr_table_setn(r->err_headers_out, "Allow", "POST");
            return ls_http_json_error(r, HTTP_METHOD_NOT_ALLOWED,
                                      "Use POST for this operation.");
        }
        return op[0] == 'q' ? ls_job_queue(r, req) : ls_job_cancel(r, req);
    }
    if (strcmp(op, "inbox") == 0) {
        return ls_job_inbox(r, req);
    }
    if (strcmp(op, "part") == 0) {
        if (ls_job_part(r, req, &path, &name, &fi) != OK) {
            return OK;
        }
        req->file_download = 1;
        return ls_page_deliver(r, path, &fi, name, "attachment");
    }
    return LS_NOT_A_JOB_OP;
}

/* ---- entry ---- */

int ls_page_log(request_rec *r)
{
    ls_req_t *req = ls_access_req(r);

    /* Counted when the whole file went out: not a HEAD, a 304, a range
     * or a download the client broke off. */
    if (req && req->file_download && r->status == HTTP_OK && !r->header_only
        && !r->connection->aborted) {
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

    if (kind != LS_KIND_PAGE && kind != LS_KIND_PREVIEW
        && kind != LS_KIND_EXPIRED) {
        return DECLINED;
    }
    ls_http_public_headers(r, NULL);
    req = ls_access_req(r);
    if (req == NULL || sc->asset_real == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "LS00111: %s is mapped here but LinkShareAssetRoot is "
                      "not set for this server",
                      r->handler);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if (kind == LS_KIND_EXPIRED) {
        return ls_html_expired(r, HTTP_OK, NULL);
    }
    switch (req->verdict) {
    case OK:
        break;
    case HTTP_GONE:
        return ls_html_expired(r, HTTP_GONE, req->share);
    case HTTP_SERVICE_UNAVAILABLE:
        return ls_html_unavailable(r);
    default:
        return ls_html_not_found(r, "This link does not work.");
    }
    if (ls_query_get(r->pool, r->args, "op", &op) == APR_EINVAL
        || ls_query_get(r->pool, r->args, "path", &rel) == APR_EINVAL) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "LS00112: share %s: badly encoded parameter",
                      req->share->id);
        return ls_html_bad_request(r, "The address has a badly encoded "
                                      "parameter.");
    }
    if (op && (rv = job_op(r, req, op)) != LS_NOT_A_JOB_OP) {
        return rv;
    }
    rv = ls_resolve(r->pool, sc->asset_real, req->share, rel, &t, &why);
    if (rv == APR_EINVAL) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "LS00113: share %s: refused path: %s", req->share->id,
                      why);
        return ls_html_bad_request(r, why);
    }
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "LS00114: share %s: path not in the share or gone",
                      req->share->id);
        return ls_html_not_found(r, "This item is not part of the share, or it "
                                    "was moved or deleted.");
    }
    if (kind == LS_KIND_PREVIEW) {
        return op ? ls_html_bad_request(r, "The preview page takes no "
                                           "operation.")
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
                  "LS00115: share %s: unknown operation", req->share->id);
    return ls_html_bad_request(r, "Unknown operation.");
}
