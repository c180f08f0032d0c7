/* ls_deliver: sends one file to a recipient (a shared file, a rendition,
 * a thumbnail, a ZIP part) as httpd's default handler would, but opened by
 * us beneath its root and through no symlink; and remembers what a
 * download sent, so the log hooks (download counter, delivery receipts)
 * ask one predicate whether it was complete. Glue unit. */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_strings.h"

#include <unistd.h>

#include "ls_config.h"
#include "ls_deliver.h"
#include "ls_html.h"
#include "ls_http.h"
#include "ls_mime.h"
#include "ls_protect.h"
#include "ls_path.h"
#include "ls_tag.h"
#include "ls_text.h"

APLOG_USE_MODULE(linkshare);

/* r->pool userdata: the ls_sent_t of a download being sent. */
#define SENT_KEY "linkshare-sent"

/* The root a file we deliver must lie below: the asset root, the
 * rendition root, the spool (parts) or the rendition cache, the longest
 * that path starts with; NULL for none. */
static const char *deliver_root(const ls_server_conf *sc, const char *path)
{
    const char *roots[4], *best = NULL;
    apr_size_t best_len = 0;
    int k;

    roots[0] = sc->asset_real;
    roots[1] = sc->rendition_root;
    roots[2] = sc->spool;
    roots[3] = sc->renderer ? sc->rendition_cache : NULL;
    for (k = 0; k < 4; k++) {
        apr_size_t n = roots[k] ? strlen(roots[k]) : 0;
        if (n > best_len && strncmp(path, roots[k], n) == 0 && path[n] == '/') {
            best = roots[k];
            best_len = n;
        }
    }
    return best;
}

static apr_status_t close_fd(void *fd)
{
    close((int)(apr_uintptr_t)fd);
    return APR_SUCCESS;
}

/* Opens path beneath its root, through no symlink at all
 * into *f, registered on r->pool, with r->finfo from the descriptor.
 * A 404 page (and DONE) when it is not there, leaves the root, is not a
 * regular file, or is no longer the file stat'ed as expect: the 404
 * page is sent and the answer is ls_html_not_found's, so the caller
 * tells the cases apart by *f (NULL unless opened). */
static int deliver_open(request_rec *r, const char *path,
                        const apr_finfo_t *expect, apr_file_t *opened,
                        apr_file_t **f)
{
    const char *root = deliver_root(ls_config_get(r->server), path);
    core_dir_config *d = ap_get_core_module_config(r->per_dir_config);
    apr_status_t rv = APR_EACCES;
    apr_os_file_t fd = -1;

    *f = NULL;
    if (expect && opened && apr_os_file_get(&fd, opened) == APR_SUCCESS) {
        /* Opened for reading by ls_resolve_open as it found the file (its
         * pool closes it): that file, and no second walk to it. */
        apr_os_file_put(f, &fd,
                        APR_FOPEN_READ | APR_FOPEN_BINARY
                            | AP_SENDFILE_ENABLED(d->enable_sendfile),
                        r->pool);
        r->finfo = *expect;
        return OK;
    }
    if (root) {
        /* Every path delivered here was resolved without a symlink (by
         * ls_resolve, ls_path_confine): one met now was swapped in. */
        rv = ls_path_open_plain(root, path, &fd);
    }
    if (rv == APR_SUCCESS) {
        apr_pool_cleanup_register(r->pool, (void *)(apr_uintptr_t)fd, close_fd,
                                  apr_pool_cleanup_null);
        /* apr_os_file_put adds no cleanup of its own: the one above
         * closes the descriptor with the request. */
        apr_os_file_put(f, &fd,
                        APR_FOPEN_READ | APR_FOPEN_BINARY
                            | AP_SENDFILE_ENABLED(d->enable_sendfile),
                        r->pool);
        rv = apr_file_info_get(&r->finfo, APR_FINFO_NORM, *f);
        rv = rv == APR_INCOMPLETE ? APR_SUCCESS : rv;
    }
    if (rv == APR_SUCCESS
        && (r->finfo.filetype != APR_REG
            || (expect
                && (expect->inode != r->finfo.inode
                    || expect->device != r->finfo.device)))) {
        rv = APR_EMISMATCH;
    }
    if (rv != APR_SUCCESS) {
        ap_log_rerror(
            APLOG_MARK, APLOG_INFO, rv, r,
            LS_TAG(00150) "a file to deliver is gone, changed since it "
                          "was resolved, or reached through a symlink out of "
                          "its root; refused");
        r->finfo.filetype = APR_NOFILE;
        *f = NULL;
        return ls_html_not_found(r,
                                 ls_text("This file is no longer available."));
    }
    return OK;
}

/* Sends path (a file already confined) with our headers: opened by us
 * beneath its root, as httpd's default handler would send it otherwise
 * (Last-Modified, ETag, Accept-Ranges, Content-Length, conditionals; the
 * byterange filter does Range; HEAD sends no body). finfo may be a stat
 * of path taken already (APR_FINFO_NORM): the file opened must be that
 * file. */
static int deliver(request_rec *r, const char *path, const apr_finfo_t *finfo,
                   apr_file_t *opened, const char *name,
                   const char *disposition, ls_sent_t *sent)
{
    core_dir_config *d = ap_get_core_module_config(r->per_dir_config);
    conn_rec *c = r->connection;
    apr_bucket_brigade *bb;
    apr_bucket *e;
    apr_file_t *f;
    apr_status_t rv;
    int status;

    status = deliver_open(r, path, finfo, opened, &f);
    if (f == NULL) {
        return status; /* the 404 page */
    }
    /* A download of a share with a limit is counted first, in the store:
     * the last one allowed goes to one request only. */
    if (sent && ls_protect_take_download(r) != OK) {
        return OK; /* answered: 410 (limit reached meanwhile) or 503 */
    }
    if (sent) {
        sent->size = r->finfo.size; /* for ls_deliver_complete */
        apr_pool_userdata_setn(sent, SENT_KEY, NULL, r->pool);
    }
    ap_set_content_type(r, ls_mime_lookup(path)->type);
    apr_table_setn(r->headers_out, "Content-Disposition",
                   ls_http_disposition(r->pool, disposition, name));
    /* Browsers may keep the bytes but must ask again, so a revoked link
     * stops working at once; Range and ETag still let them resume. */
    apr_table_setn(r->err_headers_out, "Cache-Control", "private, no-cache");
    ap_update_mtime(r, r->finfo.mtime);
    ap_set_last_modified(r);
    ap_set_etag_fd(r, f);
    ap_set_accept_ranges(r);
    ap_set_content_length(r, r->finfo.size);
    bb = apr_brigade_create(r->pool, c->bucket_alloc);
    if ((status = ap_meets_conditions(r)) != OK) {
        r->status = status; /* 304 or 412, no body */
    }
    else {
        e = apr_brigade_insert_file(bb, f, 0, r->finfo.size, r->pool);
#if APR_HAS_MMAP
        if (d->enable_mmap == ENABLE_MMAP_OFF) {
            (void)apr_bucket_file_enable_mmap(e, 0);
        }
#endif
    }
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(c->bucket_alloc));
    rv = ap_pass_brigade(r->output_filters, bb);
    apr_brigade_cleanup(bb);
    if (rv == APR_SUCCESS || r->status != HTTP_OK || c->aborted) {
        return OK;
    }
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, rv, r,
                  LS_TAG(00151) "sending a file failed");
    return AP_FILTER_ERROR;
}

int ls_deliver_inline(request_rec *r, const char *path,
                      const apr_finfo_t *finfo, apr_file_t *file,
                      const char *name)
{
    return deliver(r, path, finfo, file, name, "inline", NULL);
}

int ls_deliver_download(request_rec *r, const char *path,
                        const apr_finfo_t *finfo, apr_file_t *file,
                        const char *name, const ls_job_t *job, int part_n)
{
    ls_sent_t *sent = apr_pcalloc(r->pool, sizeof(*sent));

    sent->job = job;
    sent->part_n = part_n;
    return deliver(r, path, finfo, file, name, "attachment", sent);
}

const ls_sent_t *ls_deliver_complete(const request_rec *r)
{
    void *v = NULL;
    const ls_sent_t *sent;

    apr_pool_userdata_get(&v, SENT_KEY, r->pool);
    sent = v;
    return sent && r->status == HTTP_OK && !r->header_only
                   && !r->connection->aborted && r->bytes_sent == sent->size
               ? sent
               : NULL;
}
