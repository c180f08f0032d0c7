/* ls_inbox_queue: op=queue, a recipient queueing a download: reads the
 * selection (form or JSON), checks every limit before any work starts
 * (LinkShareMaxContentSize and the file count: 413; running jobs: 429;
 * the spool's room and LinkShareSpoolPerShare: 507), reuses an identical
 * queued or finished job, and stores the job for the workers. Glue unit;
 * the answers and the job JSON are ls_inbox's. */
#include <sys/statvfs.h>

#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"
#include "apr_strings.h"

#include "ls_activity_log.h"
#include "ls_authz.h"
#include "ls_config.h"
#include "ls_http.h"
#include "ls_inbox.h"
#include "ls_inbox_int.h"
#include "ls_mime.h"
#include "ls_path.h"
#include "ls_proc.h"
#include "ls_query.h"
#include "ls_rcache.h"
#include "ls_rendition.h"
#include "ls_select.h"
#include "ls_tag.h"
#include "ls_text.h"
#include "ls_token.h"
#include "ls_view.h"
#include "ls_worker.h"

APLOG_USE_MODULE(linkshare);

#define LS_QUEUE_BODY (256 * 1024) /* the largest selection body read */
/* How long a queue request waits for the renditions a share without
 * originals needs before answering "try again". */
#define QUEUE_RENDER_WAIT apr_time_from_sec(15)

/* What the parts are called: the selected item when there is one (a
 * folder's name, or a file's without its extension), else the share's
 * only item, else "shared-files". */
static const char *job_title(request_rec *r, const ls_share_t *sh,
                             const ls_selection_t *sel)
{
    const char *first = NULL, *dot;
    int i, is_file = 0;

    for (i = 0; i < sel->entries->nelts; i++) {
        const char *name = APR_ARRAY_IDX(sel->entries, i, ls_zip_entry_t).name;
        const char *slash = strchr(name, '/');
        const char *top = slash ? apr_pstrmemdup(r->pool, name, slash - name)
                                : name;
        if (first && strcmp(first, top) != 0) {
            first = NULL;
            break;
        }
        first = top;
        is_file = slash == NULL;
    }
    if (first == NULL) {
        if (sh->items->nelts != 1) {
            return "shared-files";
        }
        first = ls_path_basename(APR_ARRAY_IDX(sh->items, 0, ls_item_t).path);
        is_file = strcmp(APR_ARRAY_IDX(sh->items, 0, ls_item_t).kind, "file")
                  == 0;
    }
    dot = strrchr(first, '.');
    return is_file && dot && dot != first
               ? apr_pstrmemdup(r->pool, first, dot - first)
               : first;
}

/* The selected share paths: form path=REL (repeatable) or JSON
 * {"paths": [...]}. APR_EINVAL with *why for a bad body. */
static apr_status_t read_selection(request_rec *r, apr_array_header_t **rels,
                                   int *status, const char **why)
{
    const char *ct = apr_table_get(r->headers_in, "Content-Type"), *body;
    apr_size_t len;

    *why = "The request body could not be read.";
    if (ls_http_read_body(r, LS_QUEUE_BODY, &body, &len, status)) {
        if (*status == HTTP_REQUEST_ENTITY_TOO_LARGE) {
            *why = "The selection is too long.";
        }
        return APR_EINVAL;
    }
    *status = HTTP_BAD_REQUEST;
    if (ls_mime_type_is(ct, "application/json")) {
        json_error_t err;
        json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &err);
        json_t *paths = json_object_get(root, "paths"), *v;
        size_t i;
        *rels = apr_array_make(r->pool, 4, sizeof(const char *));
        if (!json_is_object(root) || (paths && !json_is_array(paths))) {
            json_decref(root);
            *why = "The body must be {\"paths\": [\"...\", ...]}.";
            return APR_EINVAL;
        }
        json_array_foreach(paths, i, v)
        {
            if (!json_is_string(v)) {
                json_decref(root);
                *why = "Each entry of \"paths\" must be a string.";
                return APR_EINVAL;
            }
            APR_ARRAY_PUSH(*rels, const char *) = apr_pstrdup(
                r->pool, json_string_value(v));
        }
        json_decref(root);
        return APR_SUCCESS;
    }
    /* No body (the whole share) needs no type; any other type is
     * refused, even without a body, rather than guessed at. */
    if ((len > 0 || ct)
        && !ls_mime_type_is(ct, "application/x-www-form-urlencoded")) {
        *status = HTTP_UNSUPPORTED_MEDIA_TYPE;
        *why = "Send the selection as a form (application/x-www-form-"
               "urlencoded) or as JSON (application/json).";
        return APR_EINVAL;
    }
    if (ls_query_all(r->pool, body, "path", rels) != APR_SUCCESS) {
        *why = "The selection has a badly encoded path.";
        return APR_EINVAL;
    }
    return APR_SUCCESS;
}

/* Free space in the spool, or -1 when it cannot be told. */
static apr_int64_t spool_free(const char *spool)
{
    struct statvfs v;

    if (statvfs(spool, &v) != 0) {
        return -1;
    }
    return (apr_int64_t)v.f_bavail * (apr_int64_t)v.f_frsize;
}

/* LinkShareSpoolPerShare and LinkShareSpoolMax: what the spool holds or
 * is about to hold (done parts, queued and running jobs), plus this job.
 * Non-zero, with the answer sent (*answer), when it would pass either. */
static int over_quota(request_rec *r, const ls_server_conf *sc,
                      const ls_share_t *sh, apr_off_t bytes, int *answer)
{
    ls_store *store = ls_proc_store();
    apr_int64_t used = 0;
    const char *err = NULL;
    apr_status_t rv;

    rv = ls_store_job_spool_usage(store, r->pool, sh->id, &used, &err);
    if (rv != APR_SUCCESS) {
        *answer = ls_inbox_store_down(r, rv, err);
        return 1;
    }
    if (used + bytes > sc->spool_per_share) {
        ap_log_rerror(
            APLOG_MARK, APLOG_WARNING, 0, r,
            LS_TAG(00342) "share %s: %" APR_INT64_T_FMT " bytes kept or "
                          "queued, a download of %" APR_OFF_T_FMT " bytes "
                          "would pass LinkShareSpoolPerShare (%" APR_INT64_T_FMT
                          "); refused",
                   sh->id, used, bytes, sc->spool_per_share);
        *answer = ls_inbox_error(
            r, HTTP_INSUFFICIENT_STORAGE,
            ls_textf(r->pool,
                     "This link's downloads may take up to %s on the "
                     "server, and this one would pass that; download "
                     "the ones in your inbox first (they are removed "
                     "when they expire), or select fewer files.",
                     ls_view_size(r->pool, sc->spool_per_share)));
        return 1;
    }
    if (sc->spool_max <= 0) {
        return 0;
    }
    rv = ls_store_job_spool_usage(store, r->pool, NULL, &used, &err);
    if (rv != APR_SUCCESS) {
        *answer = ls_inbox_store_down(r, rv, err);
        return 1;
    }
    if (used + bytes > sc->spool_max) {
        ap_log_rerror(
            APLOG_MARK, APLOG_WARNING, 0, r,
            LS_TAG(00343) "share "
                       "%s: the spool holds or has queued %" APR_INT64_T_FMT
                       " bytes, a download of %" APR_OFF_T_FMT " bytes would "
                       "pass LinkShareSpoolMax (%" APR_INT64_T_FMT "); refused",
                sh->id, used, bytes, sc->spool_max);
        *answer = ls_inbox_error(
            r, HTTP_INSUFFICIENT_STORAGE,
            ls_text("The server has no room to prepare this "
                    "download now; try again later or select "
                    "fewer files."));
        return 1;
    }
    return 0;
}

/* A share without originals: a file's web rendition, made by the
 * workers (ls_select_renditions_t.generated). Queued now when it is not
 * made yet. */
static apr_status_t generated_web(void *baton, const char *real,
                                  const apr_finfo_t *fi, const char **path,
                                  const char **root)
{
    request_rec *r = baton;

    *root = ls_config_get(r->server)->rendition_cache;
    return ls_rendition_get(r, real, fi, LS_RCACHE_WEB, LS_RENDER_WAITING, 0,
                            path);
}

/* The selection; for a share without originals, made of renditions, and
 * waited for (up to QUEUE_RENDER_WAIT) while some are being made. */
static apr_status_t select_files(request_rec *r, const ls_req_t *req,
                                 const apr_array_header_t *rels,
                                 ls_selection_t **sel, const char **why)
{
    ls_server_conf *sc = ls_config_get(r->server);
    ls_select_renditions_t rend = {NULL, NULL, NULL};
    apr_time_t until = apr_time_now() + QUEUE_RENDER_WAIT;
    apr_status_t rv;

    rend.rendition_real = sc->rendition_root;
    if (sc->renderer) {
        rend.generated = generated_web;
        rend.baton = r;
    }
    for (;;) {
        rv = ls_select(r->pool, sc->asset_real,
                       req->share->allow_original ? NULL : &rend, req->share,
                       ls_authz_filter(r, req->share->owner), rels,
                       sc->max_files, sc->max_content, sel, why);
        if (rv != APR_SUCCESS || (*sel)->pending == 0
            || apr_time_now() >= until) {
            return rv;
        }
        apr_sleep(apr_time_from_msec(250));
    }
}

int ls_inbox_queue(request_rec *r, ls_req_t *req)
{
    ls_server_conf *sc = ls_config_get(r->server);
    ls_store *store = ls_proc_store();
    apr_array_header_t *rels;
    ls_selection_t *sel;
    ls_job_t job, *found = NULL;
    const char *why = NULL, *err = NULL, *browser;
    char *id = apr_palloc(r->pool, LS_ID_LEN + 1);
    apr_int64_t now = apr_time_sec(r->request_time), avail;
    apr_status_t rv;
    int status, active = 0;

    if (read_selection(r, &rels, &status, &why) != APR_SUCCESS) {
        return ls_inbox_refuse(r, status, LS_TAG_ID(00320), why);
    }
    /* A share without originals packages renditions: the admin's, or
     * ones the workers make. With neither on this server it has nothing
     * it may package. */
    if (!req->share->allow_original && sc->rendition_root == NULL
        && sc->renderer == NULL) {
        return ls_inbox_refuse(
            r, HTTP_BAD_REQUEST,
            LS_TAG_ID(00344),
                ls_text("None of the selected files may be downloaded: the "
                        "person who shared them allowed renditions only, and "
                        "there are none on this server."));
    }
    rv = select_files(r, req, rels, &sel, &why);
    if (rv == LS_SELECT_TOO_BIG) {
        return ls_inbox_refuse(r, HTTP_REQUEST_ENTITY_TOO_LARGE,
                               LS_TAG_ID(00321), why);
    }
    if (rv == LS_SELECT_TOO_MANY) {
        return ls_inbox_refuse(r, HTTP_BAD_REQUEST, LS_TAG_ID(00341), why);
    }
    if (rv != APR_SUCCESS) {
        return ls_inbox_refuse(r, HTTP_BAD_REQUEST, LS_TAG_ID(00322), why);
    }
    if (sel->pending) {
        /* Not every rendition is made yet: a ZIP now would leave them
         * out. They are queued; the recipient asks again. */
        apr_table_setn(r->err_headers_out, "Retry-After", "10");
        return ls_inbox_refuse(
            r, HTTP_SERVICE_UNAVAILABLE,
            LS_TAG_ID(00345),
                ls_textf(r->pool,
                         "The renditions of %d %s are still being made; queue "
                         "the download again in a moment.",
                         sel->pending,
                         ls_text_n(sel->pending, "file", "files")));
    }
    if (sel->files == 0) {
        return ls_inbox_refuse(
            r, HTTP_BAD_REQUEST,
            LS_TAG_ID(00323), sel->skipped
                                  ? "None of the selected files may be "
                                    "downloaded: the person who shared "
                                    "them allowed renditions only, and "
                                    "these have none."
                                  : "The selection holds no files.");
    }
    browser = ls_inbox_browser(r, 1);
    rv = ls_store_job_reusable(store, r->pool, req->share->id, sel->key, &found,
                               &err);
    if (rv == APR_SUCCESS) {
        rv = ls_store_job_link(store, r->pool, found->id, browser, &err);
        if (rv != APR_SUCCESS) {
            return ls_inbox_store_down(r, rv, err);
        }
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      LS_TAG(00324) "share %s: same selection as job %s (%s); "
                                    "reused",
                             req->share->id, found->id, found->state);
        ls_activity_note_job(r, found->id);
        return ls_inbox_back_to_page(r, req)
                   ? OK
                   : ls_http_json(r, HTTP_ACCEPTED,
                                  ls_inbox_job_json(r, req, found));
    }
    if (rv != APR_NOTFOUND) {
        return ls_inbox_store_down(r, rv, err);
    }
    rv = ls_store_job_active(store, r->pool, req->share->id, &active, &err);
    if (rv != APR_SUCCESS) {
        return ls_inbox_store_down(r, rv, err);
    }
    if (active >= sc->max_queued) {
        apr_table_setn(r->err_headers_out, "Retry-After", "30");
        return ls_inbox_refuse(
            r, HTTP_TOO_MANY_REQUESTS,
            LS_TAG_ID(00325),
                ls_text("Too many downloads are being prepared for this link; "
                        "wait for one to finish."));
    }
    if (over_quota(r, sc, req->share, sel->bytes, &status)) {
        return status;
    }
    avail = spool_free(sc->spool);
    /* Room for the archive (at most the content plus headers) and a
     * margin, so the server never fills its disk on a recipient's say. */
    if (avail >= 0
        && avail < sel->bytes + sel->bytes / 10 + (APR_INT64_C(64) << 20)) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      LS_TAG(00326) "spool %s has %" APR_INT64_T_FMT " bytes "
                                    "free; a download of %" APR_OFF_T_FMT
                                    " bytes refused",
                             sc->spool, avail, sel->bytes);
        return ls_inbox_error(r, HTTP_INSUFFICIENT_STORAGE,
                              ls_text("The server has no room to prepare this "
                                      "download now; try again later or select "
                                      "fewer files."));
    }
    if (ls_id_generate(id) != APR_SUCCESS) {
        return ls_inbox_error(
            r, HTTP_INTERNAL_SERVER_ERROR,
            ls_text("The server could not queue the download."));
    }
    memset(&job, 0, sizeof(job));
    job.id = id;
    job.share_id = req->share->id;
    job.selection_key = sel->key;
    job.title = job_title(r, req->share, sel);
    job.label = ls_inbox_job_label(r->pool, sel->entries, sel->files);
    job.state = "queued";
    job.entries = ls_select_to_json(r->pool, sel->entries);
    job.files_total = sel->files;
    job.bytes_total = sel->bytes;
    job.created = now;
    job.updated = now;
    job.parts = apr_array_make(r->pool, 0, sizeof(ls_part_t));
    rv = ls_store_job_insert(store, r->pool, &job, browser, &err);
    if (rv != APR_SUCCESS) {
        /* Lost a race with an identical request: use its job. */
        if (ls_store_job_reusable(store, r->pool, req->share->id, sel->key,
                                  &found, &err)
                == APR_SUCCESS
            && ls_store_job_link(store, r->pool, found->id, browser, &err)
                   == APR_SUCCESS) {
            ls_activity_note_job(r, found->id);
            return ls_http_json(r, HTTP_ACCEPTED,
                                ls_inbox_job_json(r, req, found));
        }
        return ls_inbox_store_down(r, rv, err);
    }
    ls_worker_wake();
    ls_activity_note_job(r, job.id);
    ap_log_rerror(
        APLOG_MARK, APLOG_INFO, 0, r,
        LS_TAG(00327) "share %s: job %s queued, %d file(s), %" APR_OFF_T_FMT
                      " bytes",
               req->share->id, job.id, sel->files, sel->bytes);
    return ls_inbox_back_to_page(r, req)
               ? OK
               : ls_http_json(r, HTTP_ACCEPTED,
                              ls_inbox_job_json(r, req, &job));
}
