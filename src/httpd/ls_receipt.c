/* ls_receipt: delivery receipts (see ls_receipt.h). */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"

#include "ls_access.h"
#include "ls_deliver.h"
#include "ls_proc.h"
#include "ls_receipt.h"
#include "ls_tag.h"
#include "ls_worker.h"

APLOG_USE_MODULE(linkshare);

int ls_receipt_log(request_rec *r)
{
    const ls_req_t *req = ls_access_req(r);
    const ls_sent_t *sent = req ? ls_deliver_complete(r) : NULL;
    ls_store *store = ls_proc_store();
    const char *err = NULL;
    int queued = 0;
    apr_status_t rv;

    if (sent == NULL || sent->job == NULL || store == NULL) {
        return DECLINED;
    }
    rv = ls_store_mail_receipt(store, r->pool, req->share->id, sent->job->id,
                               sent->part_n, sent->job->parts->nelts,
                               sent->job->title, apr_time_sec(apr_time_now()),
                               &queued, &err);
    if (rv != APR_SUCCESS) {
        ap_log_rerror(
            APLOG_MARK, APLOG_WARNING, rv, r,
            LS_TAG(00407) "cannot queue the delivery receipt for part "
                          "%d of job %s: %s",
                   sent->part_n, sent->job->id, err ? err : "");
    }
    else if (queued) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      LS_TAG(00408) "part %d of job %s downloaded completely; "
                                    "delivery receipt queued",
                             sent->part_n, sent->job->id);
        ls_worker_wake();
    }
    return DECLINED;
}
