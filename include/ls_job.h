/* ls_job: the recipient's download operations on linkshare.html:
 * op=queue (POST), op=inbox, op=cancel (POST) and op=part. Glue unit.
 * Owns the browser cookie that ties an inbox to a browser, the limits
 * checked before a job is queued (413, 429, 507), reuse of identical
 * selections, and the job JSON of API.md. */
#ifndef LS_JOB_H
#define LS_JOB_H

#include "httpd.h"

#include "ls_access.h"
#include "ls_view_inbox.h"

/* Each answers the request itself (JSON) and returns OK. */
int ls_job_queue(request_rec *r, ls_req_t *req);
int ls_job_inbox(request_rec *r, ls_req_t *req);
int ls_job_cancel(request_rec *r, ls_req_t *req);

/* The Download Inbox of the Link Share page (this browser's jobs for the
 * share, with their live figures), for ls_view_inbox. In r->pool. */
const ls_view_inbox_t *ls_job_inbox_model(request_rec *r, const ls_req_t *req);

/* op=part: on success fills *path, *name (the download's file name) and
 * *finfo and returns OK for the caller to deliver; otherwise it has
 * answered and returns DONE. */
int ls_job_part(request_rec *r, ls_req_t *req, const char **path,
                const char **name, apr_finfo_t *finfo);

#endif /* LS_JOB_H */
