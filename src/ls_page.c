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
#include "ls_http.h"
#include "ls_job.h"
#include "ls_mime.h"
#include "ls_page.h"
#include "ls_path.h"
#include "ls_query.h"
#include "ls_resolve.h"
#include "ls_time.h"

APLOG_USE_MODULE(linkshare);

static const char css[] =
    "body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d1d1f;"
    "background:#f6f6f7}"
    "header,main,footer{max-width:960px;margin:0 auto;padding:12px 16px}"
    "header{background:#fff;border-bottom:1px solid #ddd;max-width:none}"
    "h1{font-size:1.35em;margin:.2em 0}"
    ".meta{color:#555;margin:0}"
    "nav.crumbs{margin:8px 0;word-break:break-word}"
    "table{width:100%;border-collapse:collapse;background:#fff}"
    "th,td{text-align:left;padding:8px;border-bottom:1px solid #e4e4e4;"
    "vertical-align:top}"
    "td.name{word-break:break-word}"
    "td.num{white-space:nowrap}"
    ".gone{color:#888}"
    "a{color:#0a58ca}"
    ".box{background:#fff;border:1px solid #ddd;padding:16px;"
    "border-radius:6px}"
    ".preview img{max-width:100%;height:auto}"
    "#ls-inbox{margin-top:20px}"
    "ul.jobs{list-style:none;padding:0}"
    "li.job{background:#fff;border:1px solid #ddd;border-radius:6px;"
    "padding:10px;margin:8px 0}"
    "li.job span{margin-right:12px}"
    "li.job .state{font-weight:600;text-transform:capitalize}"
    "li.job .error{color:#b00020}"
    "form.cancel{display:inline}"
    "li.job progress{width:12em;vertical-align:middle;margin-right:8px}"
    ".part{margin-top:6px}.part code{display:block;font-size:.8em;color:#555;"
    "word-break:break-all}"
    ".actions{margin:10px 0}.actions button{font:inherit;padding:6px 14px}"
    ".visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;"
    "clip:rect(0 0 0 0);white-space:nowrap}"
    "@media (max-width:600px){th.opt,td.opt{display:none}}";

static const char *page_csp; /* CSP with the stylesheet's hash */

void ls_page_init(apr_pool_t *pconf)
{
    /* Only our own inline style and script run: no 'unsafe-inline'. */
    page_csp = apr_pstrcat(pconf,
                           "default-src 'none'; img-src 'self'; style-src ",
                           ls_http_csp_hash(pconf, css), "; script-src ",
                           ls_http_csp_hash(pconf, ls_asset_linkshare_js),
                           "; connect-src 'self'; base-uri 'none'; "
                           "form-action 'self'; frame-ancestors 'none'",
                           NULL);
}

/* ---- small formatting helpers ---- */

static const char *human_size(apr_pool_t *p, apr_off_t n)
{
    return ls_http_size(p, n);
}

static const char *human_time(apr_pool_t *p, apr_int64_t t)
{
    char *s = apr_pstrdup(p, ls_time_format_rfc3339(p, t));

    s[10] = ' ';
    s[16] = '\0'; /* minutes are enough on a page */
    return apr_pstrcat(p, s, " UTC", NULL);
}

static const char *public_base(request_rec *r)
{
    return ls_config_get(r->server)->public_url;
}

/* A link to one of our pages for this share, with extra query text. */
static const char *link_to(request_rec *r, const char *page, const char *token,
                           const char *extra)
{
    return apr_pstrcat(r->pool, public_base(r), "/", page, "?sh=", token,
                       extra ? extra : "", NULL);
}

static void page_open(request_rec *r, int status, const char *title)
{
    r->status = status;
    ap_set_content_type(r, "text/html; charset=utf-8");
    apr_table_setn(r->err_headers_out, "Content-Security-Policy", page_csp);
    ap_rprintf(r,
               "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
               "charset=\"utf-8\"><meta name=\"viewport\" "
               "content=\"width=device-width,initial-scale=1\"><meta "
               "name=\"robots\" content=\"noindex\"><title>%s</title>"
               "<style>%s</style></head><body>\n",
               ls_http_esc(r->pool, title), css);
}

static int page_close(request_rec *r)
{
    ap_rputs("</body></html>\n", r);
    return OK;
}

/* A whole page with one message; used for every refusal. */
static int message_page(request_rec *r, int status, const char *title,
                        const char *text_html)
{
    page_open(r, status, title);
    ap_rprintf(r,
               "<header><h1>%s</h1></header><main><div class=\"box\">%s"
               "</div></main>\n",
               ls_http_esc(r->pool, title), text_html);
    return page_close(r);
}

static int expired_page(request_rec *r, int status, const ls_share_t *sh)
{
    const char *who = "", *what;

    if (sh && sh->revoked) {
        what = "<p>This link was withdrawn by the person who shared it, so "
               "the files are no longer available here.</p>";
    }
    else {
        what = "<p>This link has expired, so the files it pointed to are "
               "no longer available here. Shared links work for a limited "
               "time only.</p>";
    }
    if (sh) {
        who = apr_psprintf(r->pool,
                           "<p>It was shared by <strong>%s</strong>. If you "
                           "still need the files, ask them to share them "
                           "again.</p>",
                           ls_http_esc(r->pool, sh->owner));
    }
    else {
        who = "<p>If you still need the files, ask the person who sent you "
              "the link to share them again.</p>";
    }
    return message_page(r, status,
                        sh && sh->revoked ? "This link was withdrawn"
                                          : "This link has expired",
                        apr_pstrcat(r->pool, what, who, NULL));
}

static int not_found_page(request_rec *r, const char *why)
{
    return message_page(
        r, HTTP_NOT_FOUND, "Not found",
        apr_pstrcat(r->pool, "<p>", ls_http_esc(r->pool, why),
                    "</p><p>Check that you copied the whole link, or ask "
                    "the person who sent it for a new one.</p>",
                    NULL));
}

static int bad_request_page(request_rec *r, const char *why)
{
    return message_page(
        r, HTTP_BAD_REQUEST, "Bad request",
        apr_pstrcat(r->pool, "<p>", ls_http_esc(r->pool, why), "</p>", NULL));
}

static int unavailable_page(request_rec *r)
{
    apr_table_setn(r->err_headers_out, "Retry-After", "60");
    return message_page(r, HTTP_SERVICE_UNAVAILABLE, "Temporarily unavailable",
                        "<p>The shared files cannot be shown right now "
                        "because the server cannot reach its database. "
                        "Please try again in a few minutes.</p>");
}

/* ---- the listing ---- */

static void breadcrumbs(request_rec *r, const ls_req_t *req, const char *rel)
{
    const char *acc = "";
    char *copy, *seg, *last;

    ap_rprintf(
        r,
        "<nav class=\"crumbs\" aria-label=\"Folders\"><a "
        "href=\"%s\">All shared items</a>",
        ls_http_esc(r->pool, link_to(r, "linkshare.html", req->token, NULL)));
    copy = apr_pstrdup(r->pool, rel);
    for (seg = apr_strtok(copy, "/", &last); seg;
         seg = apr_strtok(NULL, "/", &last)) {
        acc = ls_path_join(r->pool, acc, seg);
        if (strlen(acc) == strlen(rel)) {
            ap_rprintf(r, " / <span aria-current=\"page\">%s</span>",
                       ls_http_esc(r->pool, seg));
        }
        else {
            ap_rprintf(
                r, " / <a href=\"%s\">%s</a>",
                ls_http_esc(
                    r->pool,
                    link_to(r, "linkshare.html", req->token,
                            apr_pstrcat(r->pool, "&path=",
                                        ls_http_qenc(r->pool, acc), NULL))),
                ls_http_esc(r->pool, seg));
        }
    }
    ap_rputs("</nav>\n", r);
}

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
            p, e->is_dir ? link_to(r, "linkshare.html", req->token, q)
                         : link_to(r, "linksharepreview.html", req->token, q)),
        ls_http_esc(p, e->name), label, e->is_dir ? "" : human_size(p, e->size),
        human_time(p, apr_time_sec(e->mtime)));
    if (!e->is_dir) {
        ap_rprintf(
            r, "<a href=\"%s\" download>Download</a>",
            ls_http_esc(p, link_to(r, "linkshare.html", req->token,
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
        ls_http_esc(r->pool, link_to(r, "linkshare.html", req->token, q)),
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
        return not_found_page(r, "This folder cannot be read.");
    }
    /* ?sort=name|size|date&order=desc; the share root keeps the sharer's
     * order until asked. */
    if (ls_query_get(r->pool, r->args, "sort", &sort) == APR_SUCCESS) {
        desc = ls_query_get(r->pool, r->args, "order", &order) == APR_SUCCESS
               && strcmp(order, "desc") == 0;
        if (ls_resolve_sort(entries, sort, desc) != APR_SUCCESS) {
            return bad_request_page(r, "Sort by name, size or date.");
        }
    }
    page_open(r, HTTP_OK,
              t->item < 0 ? "Shared files" : ls_path_basename(t->share_rel));
    ap_rprintf(r,
               "<header><h1>%s</h1><p class=\"meta\">Shared by %s. This "
               "link expires on %s.%s</p></header><main>\n",
               t->item < 0
                   ? "Shared files"
                   : ls_http_esc(r->pool, ls_path_basename(t->share_rel)),
               ls_http_esc(r->pool, req->share->owner),
               human_time(r->pool, req->share->expires),
               req->share->allow_original
                   ? ""
                   : " Downloads are renditions, not original files.");
    breadcrumbs(r, req, t->share_rel);
    /* Without JavaScript the form posts the selection and the server
     * answers with this page again (303); the inbox below is rendered
     * here, and the script only makes it refresh itself. */
    ap_rprintf(r,
               "<form id=\"ls-select\" method=\"post\" action=\"%s\">"
               "<div class=\"actions\"><button type=\"submit\">Queue "
               "Download</button> <span id=\"ls-count\" "
               "aria-live=\"polite\">Nothing selected: Queue Download takes "
               "everything.</span></div>\n",
               ls_http_esc(r->pool, link_to(r, "linkshare.html", req->token,
                                            "&op=queue")));
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
    return page_close(r);
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
static int deliver(request_rec *r, const char *path, const apr_finfo_t *finfo,
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
        return not_found_page(r, "This file is no longer available.");
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
        return bad_request_page(r, "This is a folder. Open it to download "
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
            return not_found_page(r, "The person who shared this file did "
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
    return deliver(r, path, path == t->real ? &t->finfo : NULL, name,
                   "attachment");
}

static int serve_thumb(request_rec *r, const ls_req_t *req,
                       const ls_target_t *t)
{
    const char *path;

    (void)req;
    if (t->item < 0
        || (path = best_rendition(r, t->asset_rel, "thumbnail")) == NULL) {
        return not_found_page(r, "There is no thumbnail for this item.");
    }
    return deliver(r, path, NULL, ls_path_basename(path), "inline");
}

/* ---- preview ---- */

static int preview(request_rec *r, const ls_req_t *req, const ls_target_t *t)
{
    apr_pool_t *p = r->pool;
    const char *name = ls_path_basename(t->share_rel);
    const ls_mime_t *m = ls_mime_lookup(name);
    const char *q = apr_pstrcat(p, "&path=", ls_http_qenc(p, t->share_rel),
                                NULL);
    const char *parent = ap_make_dirstr_parent(p, t->share_rel);
    const char *file_url = link_to(r, "linkshare.html", req->token,
                                   apr_pstrcat(p, "&op=file", q, NULL));

    if (t->item < 0 || t->finfo.filetype == APR_DIR) {
        return bad_request_page(r, "Folders have no preview; open the "
                                   "folder instead.");
    }
    if (*parent) {
        parent = apr_pstrmemdup(p, parent, strlen(parent) - 1);
    }
    page_open(r, HTTP_OK, name);
    ap_rprintf(r,
               "<header><h1>%s</h1><p class=\"meta\">%s, %s, modified %s"
               "</p></header><main>\n",
               ls_http_esc(p, name), m->label, human_size(p, t->finfo.size),
               human_time(p, apr_time_sec(t->finfo.mtime)));
    breadcrumbs(r, req, t->share_rel);
    ap_rputs("<div class=\"box preview\">", r);
    /* Images only, and never SVG: shared markup is not rendered from our
     * origin. Richer previews come with the pages issue. */
    if (strncmp(m->type, "image/", 6) == 0 && strcmp(m->ext, "svg") != 0
        && strcmp(m->ext, "tif") != 0 && strcmp(m->ext, "tiff") != 0) {
        ap_rprintf(r, "<img src=\"%s\" alt=\"%s\">", ls_http_esc(p, file_url),
                   ls_http_esc(p, name));
    }
    else {
        ap_rputs("<p>There is no preview for this type of file.</p>", r);
    }
    ap_rprintf(
        r,
        "<p><a href=\"%s\" download>Download %s</a> &middot; <a "
        "href=\"%s\">Back to the folder</a></p></div></main>\n",
        ls_http_esc(p, file_url), ls_http_esc(p, name),
        ls_http_esc(p, link_to(r, "linkshare.html", req->token,
                               *parent ? apr_pstrcat(
                                   p, "&path=", ls_http_qenc(p, parent), NULL)
                                       : NULL)));
    return page_close(r);
}

/* ---- download jobs (ls_job) ---- */

#define LS_NOT_A_JOB_OP (-1000) /* not DECLINED (-1): deliver() answers that */

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
        return deliver(r, path, &fi, name, "attachment");
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
        return expired_page(r, HTTP_OK, NULL);
    }
    switch (req->verdict) {
    case OK:
        break;
    case HTTP_GONE:
        return expired_page(r, HTTP_GONE, req->share);
    case HTTP_SERVICE_UNAVAILABLE:
        return unavailable_page(r);
    default:
        return not_found_page(r, "This link does not work.");
    }
    if (ls_query_get(r->pool, r->args, "op", &op) == APR_EINVAL
        || ls_query_get(r->pool, r->args, "path", &rel) == APR_EINVAL) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "LS00112: share %s: badly encoded parameter",
                      req->share->id);
        return bad_request_page(r, "The address has a badly encoded "
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
        return bad_request_page(r, why);
    }
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "LS00114: share %s: path not in the share or gone",
                      req->share->id);
        return not_found_page(r, "This item is not part of the share, or it "
                                 "was moved or deleted.");
    }
    if (kind == LS_KIND_PREVIEW) {
        return op ? bad_request_page(r, "The preview page takes no "
                                        "operation.")
                  : preview(r, req, &t);
    }
    if (op == NULL) {
        if (t.item >= 0 && t.finfo.filetype != APR_DIR) {
            return preview(r, req, &t);
        }
        return listing(r, req, &t);
    }
    if (strcmp(op, "file") == 0) {
        return serve_file(r, req, &t);
    }
    if (strcmp(op, "thumb") == 0) {
        return serve_thumb(r, req, &t);
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  "LS00115: share %s: unknown operation", req->share->id);
    return bad_request_page(r, "Unknown operation.");
}
