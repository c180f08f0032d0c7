/* ls_page: the recipients' side: linkshare.html (listing, folders,
 * op=file, op=thumb), linksharepreview.html and linkexpired.html, plus
 * the pages for the access verdicts (404, 410, 503). Glue unit. */
#ifndef LS_PAGE_H
#define LS_PAGE_H

#include "httpd.h"

/* Sends path (a file already confined, below the asset root, the
 * rendition root or the spool) with our download headers: Content-Type
 * from its name, Content-Disposition disposition ("attachment"/"inline")
 * with name. It is opened beneath its root, never through a symlink out
 * of it, and sent as httpd's default handler would (Range, ETag,
 * Last-Modified, 304s, HEAD). finfo may be a stat of path
 * (APR_FINFO_NORM) or NULL; when given, the file opened must be that file
 * (device and inode). OK (the response is sent, or a 404 page when path
 * is gone, changed, not a regular file or leaves its root), or
 * AP_FILTER_ERROR when sending failed. */
int ls_page_deliver(request_rec *r, const char *path, const apr_finfo_t *finfo,
                    const char *name, const char *disposition);

/* log_transaction hook: counts completed single-file downloads. */
int ls_page_log(request_rec *r);

/* handler hook for linkshare-page, -preview and -expired. */
int ls_page_handler(request_rec *r);

#endif /* LS_PAGE_H */
