/* ls_inbox: the Download Inbox operations (see ls_inbox.h). */
#include <sys/statvfs.h>

#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"
#include "apr_strings.h"

#include "ls_authz.h"
#include "ls_config.h"
#include "ls_html.h"
#include "ls_http.h"
#include "ls_deliver.h"
#include "ls_inbox.h"
#include "ls_mime.h"
#include "ls_path.h"
#include "ls_proc.h"
#include "ls_progress.h"
#include "ls_query.h"
#include "ls_resolve.h"
#include "ls_select.h"
#include "ls_store.h"
#include "ls_text.h"
#include "ls_token.h"
#include "ls_url.h"
#include "ls_view.h"
#include "ls_worker.h"

APLOG_USE_MODULE(linkshare);

#define LS_COOKIE     "lsb"
#define LS_QUEUE_BODY (256 * 1024)

/* ---- the browser ---- */

/* This browser's id from its cookie, or a new one (and the cookie). */
static const char *browser_id(request_rec *r, int create)
{
    const char *c = apr_table_get(r->headers_in, "Cookie"), *v;
    char *id;

    for (v = c; v && (v = strstr(v, LS_COOKIE "=")) != NULL; v++) {
        if ((v == c || v[-1] == ' ' || v[-1] == ';')
            && ls_id_well_formed(apr_pstrmemdup(r->pool, v + 4, LS_ID_LEN))
            && (v[4 + LS_ID_LEN] == '\0' || v[4 + LS_ID_LEN] == ';')) {
            return apr_pstrmemdup(r->pool, v + 4, LS_ID_LEN);
        }
    }
    if (!create) {
        return NULL;
    }
    id = apr_palloc(r->pool, LS_ID_LEN + 1);
    if (ls_id_generate(id) != APR_SUCCESS) {
        return NULL;
    }
    apr_table_addn(
        r->err_headers_out, "Set-Cookie",
        apr_psprintf(r->pool,
                     LS_COOKIE "=%s; Path=/; Max-Age=2592000; HttpOnly; "
                               "SameSite=Strict%s",
                     id,
                     strncmp(ls_config_get(r->server)->public_url, "https:", 6)
                             == 0
                         ? "; Secure"
                         : ""));
    return id;
}

/* ---- job JSON ---- */

/* This share's Link Share page, the base of every URL we hand out. */
static const char *page_url(request_rec *r, const ls_req_t *req)
{
    return ls_url_share(r->pool, ls_config_get(r->server)->public_url,
                        LS_URL_PAGE, req->token, NULL);
}

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

static const char *part_name(request_rec *r, const ls_job_t *j, int n,
                             int total)
{
    return apr_psprintf(r->pool, "%s-part%d-of-%d.zip",
                        j->title && *j->title ? j->title : "shared-files", n,
                        total);
}

static json_t *job_json(request_rec *r, const ls_req_t *req, ls_job_t *j)
{
    ls_progress_slot_t live;
    json_t *parts = json_array(), *o;
    int i;

    /* While a worker on this host runs it, the shared memory is fresher
     * than the store (written every few seconds). */
    if (strcmp(j->state, "running") == 0
        && ls_progress_find(j->id, &live) == APR_SUCCESS) {
        j->files_done = (int)live.files_done;
        j->bytes_done = (apr_int64_t)live.bytes_done;
    }
    if (strcmp(j->state, "done") == 0) {
        j->files_done = j->files_total;
        j->bytes_done = j->bytes_total;
    }
    for (i = 0; i < j->parts->nelts; i++) {
        const ls_part_t *pt = &APR_ARRAY_IDX(j->parts, i, ls_part_t);
        json_array_append_new(
            parts, json_pack("{s:i,s:I,s:s,s:s,s:s}", "n", pt->n, "size",
                             (json_int_t)pt->size, "sha256", pt->sha256, "name",
                             part_name(r, j, pt->n, j->parts->nelts), "url",
                             apr_psprintf(r->pool, "%s&op=part&job=%s&n=%d",
                                          page_url(r, req), j->id, pt->n)));
    }
    o = json_pack("{s:s,s:s,s:i,s:i,s:I,s:I,s:o}", "id", j->id, "state",
                  j->state, "files_total", j->files_total, "files_done",
                  j->files_done, "bytes_total", (json_int_t)j->bytes_total,
                  "bytes_done", (json_int_t)j->bytes_done, "parts", parts);
    json_object_set_new(o, "error",
                        j->error ? json_string(j->error) : json_null());
    return o;
}

static int back_to_page(request_rec *r, ls_req_t *req);

/* A form post from a browser (the page without script) wants a page. */
static int wants_page(request_rec *r)
{
    const char *ct = apr_table_get(r->headers_in, "Content-Type");
    const char *accept = apr_table_get(r->headers_in, "Accept");

    return ls_mime_type_is(ct, "application/x-www-form-urlencoded") && accept
           && strstr(accept, "text/html");
}

/* A refusal: {"error": why} for the script and API clients, the same
 * sentence on a page with the way back for a form post. */
static int error_answer(request_rec *r, int status, const char *why)
{
    ls_req_t *req = ls_access_req(r);

    if (req && wants_page(r)) {
        ls_view_message_t *m = ls_view_message_add(
            ls_view_message_new(r->pool, ls_text("Download not queued")), why);
        m->back.label = ls_text("Back to the shared files");
        m->back.url = page_url(r, req);
        return ls_html_message(r, status, m);
    }
    return ls_http_json_error(r, status, why);
}

static int store_down(request_rec *r, apr_status_t rv, const char *err)
{
    ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                  "LS00300: store failure on a download operation: %s",
                  err ? err : "");
    apr_table_setn(r->err_headers_out, "Retry-After", "60");
    return error_answer(
        r, HTTP_SERVICE_UNAVAILABLE,
        ls_text("Downloads are unavailable right now; please try "
                "again in a minute."));
}

static int refuse(request_rec *r, int status, const char *tag, const char *why)
{
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "%s: %s", tag, why);
    return error_answer(r, status, why);
}

/* ---- queue ---- */

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
        *answer = store_down(r, rv, err);
        return 1;
    }
    if (used + bytes > sc->spool_per_share) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      "LS00342: share %s: %" APR_INT64_T_FMT " bytes kept or "
                      "queued, a download of %" APR_OFF_T_FMT " bytes "
                      "would pass LinkShareSpoolPerShare (%" APR_INT64_T_FMT
                      "); refused",
                      sh->id, used, bytes, sc->spool_per_share);
        *answer = error_answer(
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
        *answer = store_down(r, rv, err);
        return 1;
    }
    if (used + bytes > sc->spool_max) {
        ap_log_rerror(
            APLOG_MARK, APLOG_WARNING, 0, r,
            "LS00343: share %s: the spool holds or has queued %" APR_INT64_T_FMT
            " bytes, a download of %" APR_OFF_T_FMT " bytes would "
            "pass LinkShareSpoolMax (%" APR_INT64_T_FMT "); refused",
            sh->id, used, bytes, sc->spool_max);
        *answer = error_answer(
            r, HTTP_INSUFFICIENT_STORAGE,
            ls_text("The server has no room to prepare this "
                    "download now; try again later or select "
                    "fewer files."));
        return 1;
    }
    return 0;
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
        return refuse(r, status, "LS00320", why);
    }
    /* ls_select takes a NULL rendition root as "originals allowed": a
     * share without originals on a server that keeps no renditions has
     * nothing it may package, and must not reach it. */
    if (!req->share->allow_original && sc->rendition_root == NULL) {
        return refuse(
            r, HTTP_BAD_REQUEST, "LS00344",
            ls_text("None of the selected files may be downloaded: the "
                    "person who shared them allowed renditions only, and "
                    "there are none on this server."));
    }
    rv = ls_select(r->pool, sc->asset_real,
                   req->share->allow_original ? NULL : sc->rendition_root,
                   req->share, ls_authz_filter(r, req->share->owner), rels,
                   sc->max_files, sc->max_content, &sel, &why);
    if (rv == LS_SELECT_TOO_BIG) {
        return refuse(r, HTTP_REQUEST_ENTITY_TOO_LARGE, "LS00321", why);
    }
    if (rv == LS_SELECT_TOO_MANY) {
        return refuse(r, HTTP_BAD_REQUEST, "LS00341", why);
    }
    if (rv != APR_SUCCESS) {
        return refuse(r, HTTP_BAD_REQUEST, "LS00322", why);
    }
    if (sel->files == 0) {
        return refuse(r, HTTP_BAD_REQUEST, "LS00323",
                      sel->skipped ? "None of the selected files may be "
                                     "downloaded: the person who shared "
                                     "them allowed renditions only, and "
                                     "these have none."
                                   : "The selection holds no files.");
    }
    browser = browser_id(r, 1);
    rv = ls_store_job_reusable(store, r->pool, req->share->id, sel->key, &found,
                               &err);
    if (rv == APR_SUCCESS) {
        rv = ls_store_job_link(store, r->pool, found->id, browser, &err);
        if (rv != APR_SUCCESS) {
            return store_down(r, rv, err);
        }
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "LS00324: share %s: same selection as job %s (%s); "
                      "reused",
                      req->share->id, found->id, found->state);
        return back_to_page(r, req)
                   ? OK
                   : ls_http_json(r, HTTP_ACCEPTED, job_json(r, req, found));
    }
    if (rv != APR_NOTFOUND) {
        return store_down(r, rv, err);
    }
    rv = ls_store_job_active(store, r->pool, req->share->id, &active, &err);
    if (rv != APR_SUCCESS) {
        return store_down(r, rv, err);
    }
    if (active >= sc->max_queued) {
        apr_table_setn(r->err_headers_out, "Retry-After", "30");
        return refuse(
            r, HTTP_TOO_MANY_REQUESTS, "LS00325",
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
                      "LS00326: spool %s has %" APR_INT64_T_FMT " bytes "
                      "free; a download of %" APR_OFF_T_FMT " bytes refused",
                      sc->spool, avail, sel->bytes);
        return error_answer(r, HTTP_INSUFFICIENT_STORAGE,
                            ls_text("The server has no room to prepare this "
                                    "download now; try again later or select "
                                    "fewer files."));
    }
    if (ls_id_generate(id) != APR_SUCCESS) {
        return error_answer(
            r, HTTP_INTERNAL_SERVER_ERROR,
            ls_text("The server could not queue the download."));
    }
    memset(&job, 0, sizeof(job));
    job.id = id;
    job.share_id = req->share->id;
    job.selection_key = sel->key;
    job.title = job_title(r, req->share, sel);
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
            return ls_http_json(r, HTTP_ACCEPTED, job_json(r, req, found));
        }
        return store_down(r, rv, err);
    }
    ls_worker_wake();
    ap_log_rerror(
        APLOG_MARK, APLOG_INFO, 0, r,
        "LS00327: share %s: job %s queued, %d file(s), %" APR_OFF_T_FMT
        " bytes",
        req->share->id, job.id, sel->files, sel->bytes);
    return back_to_page(r, req)
               ? OK
               : ls_http_json(r, HTTP_ACCEPTED, job_json(r, req, &job));
}

/* ---- the inbox on the page ---- */

const ls_view_inbox_t *ls_inbox_model(request_rec *r, const ls_req_t *req)
{
    apr_pool_t *p = r->pool;
    ls_view_inbox_t *m = apr_pcalloc(p, sizeof(*m));
    apr_array_header_t *jobs = NULL;
    const char *err = NULL, *browser = browser_id(r, 0);
    int i, k;

    m->page_url = page_url(r, req);
    m->inbox_url = apr_pstrcat(p, m->page_url, "&op=inbox", NULL);
    if (browser
        && ls_store_job_list(ls_proc_store(), p, req->share->id, browser, &jobs,
                             &err)
               != APR_SUCCESS) {
        m->unavailable = 1;
        jobs = NULL;
    }
    m->jobs = apr_array_make(p, jobs ? jobs->nelts : 1, sizeof(ls_view_job_t));
    for (i = 0; jobs && i < jobs->nelts; i++) {
        ls_job_t *j = APR_ARRAY_IDX(jobs, i, ls_job_t *);
        ls_view_job_t *v = apr_array_push(m->jobs);
        json_decref(job_json(r, req, j)); /* for its live figures */
        v->state = j->state;
        v->error = j->error;
        v->cancel_url = apr_psprintf(p, "%s&op=cancel&job=%s", m->page_url,
                                     j->id);
        v->files_total = j->files_total;
        v->files_done = j->files_done;
        v->bytes_total = j->bytes_total;
        v->bytes_done = j->bytes_done;
        v->parts = apr_array_make(p, j->parts->nelts + 1,
                                  sizeof(ls_view_part_t));
        for (k = 0; k < j->parts->nelts; k++) {
            const ls_part_t *pt = &APR_ARRAY_IDX(j->parts, k, ls_part_t);
            ls_view_part_t *vp = apr_array_push(v->parts);
            vp->n = pt->n;
            vp->name = part_name(r, j, pt->n, j->parts->nelts);
            vp->url = apr_psprintf(p, "%s&op=part&job=%s&n=%d", m->page_url,
                                   j->id, pt->n);
            vp->sha256 = pt->sha256;
            vp->size = pt->size;
        }
    }
    return m;
}

/* A form post from the page (no script): answer with the page again. */
static int back_to_page(request_rec *r, ls_req_t *req)
{
    if (wants_page(r)) {
        apr_table_setn(
            r->headers_out, "Location",
            apr_pstrcat(r->pool, page_url(r, req), "#ls-inbox", NULL));
        r->status = HTTP_SEE_OTHER;
        return 1;
    }
    return 0;
}

/* ---- inbox, cancel ---- */

int ls_inbox_list(request_rec *r, ls_req_t *req)
{
    apr_array_header_t *jobs;
    const char *err = NULL, *browser = browser_id(r, 1);
    json_t *arr = json_array();
    apr_status_t rv;
    int i;

    rv = ls_store_job_list(ls_proc_store(), r->pool, req->share->id,
                           browser ? browser : "", &jobs, &err);
    if (rv != APR_SUCCESS) {
        json_decref(arr);
        return store_down(r, rv, err);
    }
    for (i = 0; i < jobs->nelts; i++) {
        json_array_append_new(
            arr, job_json(r, req, APR_ARRAY_IDX(jobs, i, ls_job_t *)));
    }
    return ls_http_json(r, HTTP_OK, json_pack("{s:o}", "jobs", arr));
}

static int load_job(request_rec *r, ls_req_t *req, ls_job_t **job)
{
    const char *id = NULL, *err = NULL;
    apr_status_t rv = APR_NOTFOUND;

    if (ls_query_get(r->pool, r->args, "job", &id) == APR_SUCCESS
        && ls_id_well_formed(id)) {
        rv = ls_store_job_get(ls_proc_store(), r->pool, id, job, &err);
    }
    if (rv == APR_SUCCESS && strcmp((*job)->share_id, req->share->id) != 0) {
        rv = APR_NOTFOUND;
    }
    if (rv == APR_NOTFOUND) {
        refuse(r, HTTP_NOT_FOUND, "LS00328",
               ls_text("There is no such download."));
        return DONE;
    }
    if (rv != APR_SUCCESS) {
        store_down(r, rv, err);
        return DONE;
    }
    return OK;
}

/* A browser's cancel takes back only its own request: a job that another
 * browser (another recipient with the same selection) still waits for
 * keeps running for them; the last one's cancel stops it. */
int ls_inbox_cancel(request_rec *r, ls_req_t *req)
{
    ls_job_t *job;
    const char *err = NULL, *browser = browser_id(r, 0);
    apr_status_t rv;
    int stopped = 0;

    if (load_job(r, req, &job) != OK) {
        return OK;
    }
    rv = ls_store_job_cancel(ls_proc_store(), r->pool, job->id, req->share->id,
                             browser ? browser : "",
                             apr_time_sec(r->request_time), &stopped, &err);
    if (rv == APR_EACCES) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "LS00371: share %s: cancel of job %s refused: this "
                      "browser is not waiting for it",
                      req->share->id, job->id);
        return error_answer(r, HTTP_NOT_FOUND,
                            ls_text("There is no such download."));
    }
    if (rv == APR_NOTFOUND) {
        return refuse(r, HTTP_CONFLICT, "LS00329",
                      ls_textf(r->pool,
                               "This download is %s and can no "
                               "longer be cancelled.",
                               job->state));
    }
    if (rv != APR_SUCCESS) {
        return store_down(r, rv, err);
    }
    if (stopped) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "LS00330: share %s: job %s cancelled", req->share->id,
                      job->id);
    }
    else {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "LS00370: share %s: a browser left job %s; it goes on "
                      "for the others waiting for it",
                      req->share->id, job->id);
    }
    /* Cancelled as far as this browser is concerned, either way. */
    job->state = "cancelled";
    return back_to_page(r, req)
               ? OK
               : ls_http_json(r, HTTP_OK, job_json(r, req, job));
}

/* ---- parts ---- */

/* Does the share's owner still may read everything in job? A part made
 * before a rule changed must not hand out what the rule now refuses. */
static int job_still_allowed(request_rec *r, const ls_req_t *req,
                             const ls_job_t *job)
{
    ls_server_conf *sc = ls_config_get(r->server);
    apr_array_header_t *entries;
    apr_size_t al = strlen(sc->asset_real);
    apr_size_t rl = sc->rendition_root ? strlen(sc->rendition_root) : 0;
    int i;

    if (ls_select_from_json(r->pool, job->entries, &entries) != APR_SUCCESS) {
        return 0;
    }
    for (i = 0; i < entries->nelts; i++) {
        const char *src = APR_ARRAY_IDX(entries, i, ls_zip_entry_t).src;
        const char *rel, *slash;
        if (src == NULL) {
            continue; /* a folder entry */
        }
        if (strncmp(src, sc->asset_real, al) == 0 && src[al] == '/') {
            rel = src + al + 1;
        }
        else if (rl && strncmp(src, sc->rendition_root, rl) == 0
                 && src[rl] == '/'
                 && (slash = strrchr(src + rl + 1, '/')) != NULL) {
            /* A rendition: RenditionRoot/<asset path>/<name>. */
            rel = apr_pstrmemdup(r->pool, src + rl + 1, slash - (src + rl + 1));
        }
        else {
            return 0;
        }
        if (!ls_authz_may_read(r, req->share->owner, rel, 0)) {
            return 0;
        }
    }
    return 1;
}

int ls_inbox_part(request_rec *r, ls_req_t *req)
{
    ls_server_conf *sc = ls_config_get(r->server);
    ls_job_t *job;
    const char *n_arg = NULL, *real, *path;
    apr_finfo_t finfo;
    char *end;
    long n = 0;

    if (load_job(r, req, &job) != OK) {
        return OK; /* answered */
    }
    if (ls_query_get(r->pool, r->args, "n", &n_arg) == APR_SUCCESS) {
        n = strtol(n_arg, &end, 10);
        if (*n_arg == '\0' || *end) {
            n = 0;
        }
    }
    if (strcmp(job->state, "done") != 0 || n < 1 || n > job->parts->nelts) {
        refuse(r, HTTP_NOT_FOUND, "LS00331",
               ls_text("This part of the download is not available."));
        return OK;
    }
    if (!job_still_allowed(r, req, job)) {
        refuse(
            r, HTTP_NOT_FOUND, "LS00132",
            ls_text("This download holds files that are no longer shared with "
                    "you; select and queue the files again."));
        return OK;
    }
    path = APR_ARRAY_IDX(job->parts, n - 1, ls_part_t).path;
    /* Parts live in the spool, whatever the store says. */
    if (ls_path_confine(r->pool, sc->spool, path, &real) != APR_SUCCESS
        || apr_stat(&finfo, real, APR_FINFO_NORM, r->pool) != APR_SUCCESS) {
        refuse(r, HTTP_NOT_FOUND, "LS00332",
               ls_text("This part of the download is no longer available."));
        return OK;
    }
    return ls_deliver_download(r, real, &finfo,
                               part_name(r, job, (int)n, job->parts->nelts),
                               job, (int)n);
}
