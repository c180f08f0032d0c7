/* ls_inbox: the Download Inbox operations on linkshare.html: op=queue
 * (POST), op=inbox, op=cancel (POST) and op=part. Glue unit. (A "job" is
 * the store's row of one queued download, ls_store_job; these are the
 * HTTP operations on it.)
 * Owns the browser cookie that ties an inbox to a browser, the limits
 * checked before a job is queued (413, 429, 507), reuse of identical
 * selections, and the job JSON of API.md. */
#ifndef LS_INBOX_H
#define LS_INBOX_H

#include "httpd.h"

#include "ls_access.h"
#include "ls_view_inbox.h"

/* Each answers the request itself (JSON) and returns OK. */
int ls_inbox_queue(request_rec *r, ls_req_t *req);
int ls_inbox_list(request_rec *r, ls_req_t *req);
int ls_inbox_cancel(request_rec *r, ls_req_t *req);
/* op=remove (POST): an ended job leaves this browser's inbox. */
int ls_inbox_remove(request_rec *r, ls_req_t *req);

/* op=events: this browser's jobs pushed as server-sent events while they
 * change (ls_inbox_events), bounded by LinkShareEventStream. OK. */
int ls_inbox_events(request_rec *r, ls_req_t *req);

/* The Download Inbox of the Link Share page (this browser's jobs for the
 * share, with their live figures), for ls_view_inbox. In r->pool. */
const ls_view_inbox_t *ls_inbox_model(request_rec *r, const ls_req_t *req);

/* op=part: sends the part (ls_deliver_download: a download that counts,
 * with a delivery receipt when complete) or answers why not. OK. */
int ls_inbox_part(request_rec *r, ls_req_t *req);

#endif /* LS_INBOX_H */
