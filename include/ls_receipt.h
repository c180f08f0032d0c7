/* ls_receipt: delivery receipts. When a recipient's download of a ZIP
 * part completes, queues the receipt mail for the sharer (once per part,
 * only for shares that asked for receipts) and wakes a worker to send it.
 * Glue unit (httpd children). */
#ifndef LS_RECEIPT_H
#define LS_RECEIPT_H

#include "httpd.h"

/* log_transaction hook: a 200 op=part response whose every byte went out
 * (ls_deliver_complete) queues its receipt. DECLINED. */
int ls_receipt_log(request_rec *r);

#endif /* LS_RECEIPT_H */
