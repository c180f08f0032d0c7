/* ls_page: the recipients' side: linkshare.html (listing, folders,
 * op=file, op=thumb), linksharepreview.html and linkexpired.html, plus
 * the pages for the access verdicts (404, 410, 503). Glue unit. */
#ifndef LS_PAGE_H
#define LS_PAGE_H

#include "httpd.h"

/* post_config: computes the stylesheet hash for the CSP. */
void ls_page_init(apr_pool_t *pconf);

/* log_transaction hook: counts completed single-file downloads. */
int ls_page_log(request_rec *r);

/* handler hook for linkshare-page, -preview and -expired. */
int ls_page_handler(request_rec *r);

#endif /* LS_PAGE_H */
