/* ls_inbox: the Download Inbox operations but queueing (ls_inbox_queue):
 * op=inbox, op=cancel, op=part, the inbox of the page, and what both
 * share (see ls_inbox_int.h). */
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
#include "ls_inbox_int.h"
#include "ls_mime.h"
#include "ls_path.h"
#include "ls_proc.h"
#include "ls_progress.h"
#include "ls_query.h"
#include "ls_select.h"
#include "ls_tag.h"
#include "ls_text.h"
#include "ls_token.h"

APLOG_USE_MODULE(linkshare);

#define LS_COOKIE "lsb"

/* ---- the browser ---- */

/* This browser's id from its cookie, or a new one (and the cookie). */
const char *ls_inbox_browser(request_rec *r, int create)
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
const char *ls_inbox_page_url(request_rec *r, const ls_req_t *req)
{
    return ls_url_share(r->pool, ls_config_get(r->server)->public_url,
                        LS_URL_PAGE, req->token, NULL);
}

const char *ls_inbox_part_name(request_rec *r, const ls_job_t *j, int n,
                               int total)
{
    /* The job's id in the name: two jobs of one folder (another pick of
     * its files) do not download as "Photos-part1-of-1 (1).zip". */
    return apr_psprintf(r->pool, "%s-%.8s-part%d-of-%d.zip",
                        j->title && *j->title ? j->title : "shared-files",
                        j->id, n, total);
}

/* What a job holds, in words: "3 files from Photos" (one folder), a
 * file's own name (one file), or "5 files: a.jpg, b.jpg and 3 more". From the
 * planned entries (archive names: the first segment is what was picked).
 * Stored with the job when it is queued. */
const char *ls_inbox_job_label(apr_pool_t *p, const apr_array_header_t *entries,
                               int n)
{
    apr_array_header_t *tops;
    const char *a, *b, *only = NULL;
    int i, k, top_is_file = 0;

    /* One file, wherever it lies: its own name. */
    for (i = 0; n == 1 && i < entries->nelts; i++) {
        const ls_zip_entry_t *e = &APR_ARRAY_IDX(entries, i, ls_zip_entry_t);
        if (e->src) {
            only = strrchr(e->name, '/') ? strrchr(e->name, '/') + 1 : e->name;
        }
    }
    if (only) {
        return only;
    }
    tops = apr_array_make(p, 4, sizeof(const char *));
    for (i = 0; i < entries->nelts; i++) {
        const char *name = APR_ARRAY_IDX(entries, i, ls_zip_entry_t).name;
        const char *slash = strchr(name, '/');
        const char *top = slash ? apr_pstrmemdup(p, name, slash - name) : name;
        for (k = 0; k < tops->nelts; k++) {
            if (strcmp(APR_ARRAY_IDX(tops, k, const char *), top) == 0) {
                break;
            }
        }
        if (k == tops->nelts) {
            APR_ARRAY_PUSH(tops, const char *) = top;
            top_is_file = slash == NULL;
        }
    }
    if (tops->nelts == 0) {
        return ls_textf(p, "%d %s", n, ls_text_n(n, "file", "files"));
    }
    a = APR_ARRAY_IDX(tops, 0, const char *);
    if (tops->nelts == 1) {
        return top_is_file ? a
                           : ls_textf(p, "%d %s from %s", n,
                                      ls_text_n(n, "file", "files"), a);
    }
    b = APR_ARRAY_IDX(tops, 1, const char *);
    if (tops->nelts == 2) {
        return ls_textf(p, "%d %s: %s and %s", n, ls_text_n(n, "file", "files"),
                        a, b);
    }
    return ls_textf(p, "%d %s: %s, %s and %d more", n,
                    ls_text_n(n, "file", "files"), a, b, tops->nelts - 2);
}

json_t *ls_inbox_job_json(request_rec *r, const ls_req_t *req, ls_job_t *j)
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
            parts,
            json_pack("{s:i,s:I,s:s,s:s,s:s}", "n", pt->n, "size",
                      (json_int_t)pt->size, "sha256", pt->sha256, "name",
                      ls_inbox_part_name(r, j, pt->n, j->parts->nelts), "url",
                      apr_psprintf(r->pool, "%s&op=part&job=%s&n=%d",
                                   ls_inbox_page_url(r, req), j->id, pt->n)));
    }
    o = json_pack("{s:s,s:s,s:i,s:i,s:I,s:I,s:o}", "id", j->id, "state",
                  j->state, "files_total", j->files_total, "files_done",
                  j->files_done, "bytes_total", (json_int_t)j->bytes_total,
                  "bytes_done", (json_int_t)j->bytes_done, "parts", parts);
    json_object_set_new(o, "error",
                        j->error ? json_string(j->error) : json_null());
    json_object_set_new(o, "title", json_string(j->title ? j->title : ""));
    json_object_set_new(
        o, "label",
        json_string(
            j->label && *j->label
                ? j->label
                : ls_textf(r->pool, "%d %s", j->files_total,
                           ls_text_n(j->files_total, "file", "files"))));
    json_object_set_new(o, "created", json_integer((json_int_t)j->created));
    return o;
}

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
int ls_inbox_error(request_rec *r, int status, const char *why)
{
    ls_req_t *req = ls_access_req(r);

    if (req && wants_page(r)) {
        ls_view_message_t *m = ls_view_message_add(
            ls_view_message_new(r->pool, ls_text("Download not queued")), why);
        m->back.label = ls_text("Back to the shared files");
        m->back.url = ls_inbox_page_url(r, req);
        return ls_html_message(r, status, m);
    }
    return ls_http_json_error(r, status, why);
}

int ls_inbox_store_down(request_rec *r, apr_status_t rv, const char *err)
{
    ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                  LS_TAG(00300) "store failure on a download operation: %s",
                         err ? err : "");
    apr_table_setn(r->err_headers_out, "Retry-After", "60");
    return ls_inbox_error(
        r, HTTP_SERVICE_UNAVAILABLE,
        ls_text("Downloads are unavailable right now; please try "
                "again in a minute."));
}

int ls_inbox_refuse(request_rec *r, int status, const char *tag,
                    const char *why)
{
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "%s: %s", tag, why);
    return ls_inbox_error(r, status, why);
}

/* ---- the inbox on the page ---- */

const ls_view_inbox_t *ls_inbox_model(request_rec *r, const ls_req_t *req)
{
    apr_pool_t *p = r->pool;
    ls_view_inbox_t *m = apr_pcalloc(p, sizeof(*m));
    apr_array_header_t *jobs = NULL;
    const char *err = NULL, *browser = ls_inbox_browser(r, 0);
    int i, k;

    m->page_url = ls_inbox_page_url(r, req);
    m->inbox_url = apr_pstrcat(p, m->page_url, "&op=inbox", NULL);
    m->events_url = apr_pstrcat(p, m->page_url, "&op=events", NULL);
    m->now = apr_time_sec(r->request_time);
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
        json_decref(ls_inbox_job_json(r, req, j)); /* for its live figures */
        v->id = j->id;
        v->label = j->label && *j->label
                       ? j->label
                       : ls_textf(p, "%d %s", j->files_total,
                                  ls_text_n(j->files_total, "file", "files"));
        v->created = j->created;
        v->remove_url = apr_psprintf(p, "%s&op=remove&job=%s", m->page_url,
                                     j->id);
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
            vp->name = ls_inbox_part_name(r, j, pt->n, j->parts->nelts);
            vp->url = apr_psprintf(p, "%s&op=part&job=%s&n=%d", m->page_url,
                                   j->id, pt->n);
            vp->sha256 = pt->sha256;
            vp->size = pt->size;
        }
    }
    return m;
}

/* A form post from the page (no script): answer with the page again. */
int ls_inbox_back_to_page(request_rec *r, const ls_req_t *req)
{
    if (wants_page(r)) {
        apr_table_setn(
            r->headers_out, "Location",
            apr_pstrcat(r->pool, ls_inbox_page_url(r, req), "#ls-inbox", NULL));
        r->status = HTTP_SEE_OTHER;
        return 1;
    }
    return 0;
}

/* ---- inbox, cancel ---- */

int ls_inbox_list(request_rec *r, ls_req_t *req)
{
    apr_array_header_t *jobs;
    const char *err = NULL, *browser = ls_inbox_browser(r, 1);
    json_t *arr = json_array();
    apr_status_t rv;
    int i;

    rv = ls_store_job_list(ls_proc_store(), r->pool, req->share->id,
                           browser ? browser : "", &jobs, &err);
    if (rv != APR_SUCCESS) {
        json_decref(arr);
        return ls_inbox_store_down(r, rv, err);
    }
    for (i = 0; i < jobs->nelts; i++) {
        json_array_append_new(
            arr, ls_inbox_job_json(r, req, APR_ARRAY_IDX(jobs, i, ls_job_t *)));
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
        ls_inbox_refuse(r, HTTP_NOT_FOUND,
                        LS_TAG_ID(00328),
                                  ls_text("There is no such download."));
        return DONE;
    }
    if (rv != APR_SUCCESS) {
        ls_inbox_store_down(r, rv, err);
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
    const char *err = NULL, *browser = ls_inbox_browser(r, 0);
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
                      LS_TAG(00371) "share %s: cancel of job %s refused: this "
                                    "browser is not waiting for it",
                             req->share->id, job->id);
        return ls_inbox_error(r, HTTP_NOT_FOUND,
                              ls_text("There is no such download."));
    }
    if (rv == APR_NOTFOUND) {
        return ls_inbox_refuse(
            r, HTTP_CONFLICT,
            LS_TAG_ID(00329), ls_textf(r->pool,
                                       "This download is %s and can no "
                                       "longer be cancelled.",
                                       job->state));
    }
    if (rv != APR_SUCCESS) {
        return ls_inbox_store_down(r, rv, err);
    }
    if (stopped) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      LS_TAG(00330) "share %s: job %s cancelled",
                             req->share->id, job->id);
    }
    else {
        ap_log_rerror(
            APLOG_MARK, APLOG_INFO, 0, r,
            LS_TAG(00370) "share %s: a browser left job %s; it goes on "
                          "for the others waiting for it",
                   req->share->id, job->id);
    }
    /* Cancelled as far as this browser is concerned, either way. */
    job->state = "cancelled";
    return ls_inbox_back_to_page(r, req)
               ? OK
               : ls_http_json(r, HTTP_OK, ls_inbox_job_json(r, req, job));
}

/* Remove: an ended job leaves this browser's inbox (the page's Remove
 * button); the job and its parts stay for other browsers. */
int ls_inbox_remove(request_rec *r, ls_req_t *req)
{
    ls_job_t *job;
    const char *err = NULL, *browser = ls_inbox_browser(r, 0);
    apr_status_t rv;

    if (load_job(r, req, &job) != OK) {
        return OK;
    }
    if (strcmp(job->state, "queued") == 0
        || strcmp(job->state, "running") == 0) {
        return ls_inbox_refuse(
            r, HTTP_CONFLICT,
            LS_TAG_ID(00543),
                ls_text("Only a download that is done, failed or cancelled can "
                        "be removed; cancel it first."));
    }
    rv = ls_store_job_forget(ls_proc_store(), r->pool, job->id, req->share->id,
                             browser ? browser : "", &err);
    if (rv == APR_NOTFOUND) {
        /* Not in this browser's inbox (another recipient's, or gone). */
        return ls_inbox_refuse(r, HTTP_NOT_FOUND,
                               LS_TAG_ID(00545),
                                         ls_text("There is no such download."));
    }
    if (rv != APR_SUCCESS) {
        return ls_inbox_store_down(r, rv, err);
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  LS_TAG(00544) "share %s: a browser removed job %s from its "
                                "inbox",
                         req->share->id, job->id);
    return ls_inbox_back_to_page(r, req)
               ? OK
               : ls_http_json(r, HTTP_OK, ls_inbox_job_json(r, req, job));
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
        const ls_zip_entry_t *e = &APR_ARRAY_IDX(entries, i, ls_zip_entry_t);
        const char *src = e->of ? e->of : e->src;
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
        ls_inbox_refuse(
            r, HTTP_NOT_FOUND,
            LS_TAG_ID(00331),
                      ls_text("This part of the download is not available."));
        return OK;
    }
    if (!job_still_allowed(r, req, job)) {
        ls_inbox_refuse(
            r, HTTP_NOT_FOUND,
            LS_TAG_ID(00132),
                ls_text(
                    "This download holds files that are no longer shared with "
                    "you; select and queue the files again."));
        return OK;
    }
    path = APR_ARRAY_IDX(job->parts, n - 1, ls_part_t).path;
    /* Parts live in the spool, whatever the store says. */
    if (ls_path_confine(r->pool, sc->spool, path, &real) != APR_SUCCESS
        || apr_stat(&finfo, real, APR_FINFO_NORM, r->pool) != APR_SUCCESS) {
        ls_inbox_refuse(
            r, HTTP_NOT_FOUND,
            LS_TAG_ID(00332),
                ls_text("This part of the download is no longer available."));
        return OK;
    }
    return ls_deliver_download(
        r, real, &finfo, NULL,
        ls_inbox_part_name(r, job, (int)n, job->parts->nelts), job, (int)n);
}
