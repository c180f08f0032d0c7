/* ls_html: the chrome shared by the recipients' pages: stylesheet and CSP,
 * the page frame, message pages, links between our pages, breadcrumbs.
 * Glue unit. */
#ifndef LS_HTML_H
#define LS_HTML_H

#include "httpd.h"

#include "ls_access.h"
#include "ls_store.h"
#include "ls_url.h"

/* post_config: hashes the stylesheet and page script for the CSP. */
void ls_html_init(apr_pool_t *pconf);

/* "2026-01-01 00:00 UTC". */
const char *ls_html_time(apr_pool_t *p, apr_int64_t t);

/* A link to one of our pages for this share (ls_url_share with
 * LinkSharePublicURL), plus extra query text (or NULL). */
const char *ls_html_link(request_rec *r, ls_url_page_t page, const char *token,
                         const char *extra);

/* Starts a page with status and title (escaped here); ls_html_close ends
 * it and returns OK. */
void ls_html_open(request_rec *r, int status, const char *title);
int ls_html_close(request_rec *r);

/* A whole page with one message (text_html is markup: escape first). */
int ls_html_message(request_rec *r, int status, const char *title,
                    const char *text_html);

/* The expired/withdrawn page; sh may be NULL (unknown share). */
int ls_html_expired(request_rec *r, int status, const ls_share_t *sh);
int ls_html_not_found(request_rec *r, const char *why);
int ls_html_bad_request(request_rec *r, const char *why);
int ls_html_unavailable(request_rec *r);

/* The breadcrumb trail from the share root to share path rel. */
void ls_html_crumbs(request_rec *r, const ls_req_t *req, const char *rel);

#endif /* LS_HTML_H */
