/* ls_page: the recipients' handler: linkshare.html (the listing of a
 * folder, op=file, op=thumb, and the Download Inbox operations it hands to
 * ls_inbox), linksharepreview.html (ls_preview) and linkexpired.html.
 * Glue unit: checks, builds the page model, renders, sends. */
#ifndef LS_PAGE_H
#define LS_PAGE_H

#include "httpd.h"

/* log_transaction hook: counts completed single-file downloads. */
int ls_page_log(request_rec *r);

/* handler hook for linkshare-page, -preview and -expired. */
int ls_page_handler(request_rec *r);

#endif /* LS_PAGE_H */
