/* ls_html: sends the recipients' pages the views render: the page's CSP
 * and headers, the status, the body; the refusal pages every public
 * handler answers with; and the parts of a page model that need the
 * request (our base URL, breadcrumbs). Glue unit: the markup itself is in
 * the ls_view_* core units. */
#ifndef LS_HTML_H
#define LS_HTML_H

#include "httpd.h"

#include "ls_store.h"
#include "ls_url.h"
#include "ls_view_message.h"

/* post_config: hashes the stylesheet and page script for the CSP, and
 * each LinkShareBrand's accent stylesheet for its servers' CSP. */
void ls_html_init(apr_pool_t *pconf, server_rec *s);

/* The server's LinkShareBrand for a page model, or NULL. In r->pool. */
const ls_view_brand_t *ls_html_brand(request_rec *r);

/* LinkSharePublicURL: the base of every link we hand out. */
const char *ls_html_base(request_rec *r);

/* The link to an item of this share (ls_url_item at our base). */
const char *ls_html_item(request_rec *r, ls_url_page_t page, const char *token,
                         const char *op, const char *path);

/* The breadcrumbs (ls_view_link_t) from the share's root to share path
 * rel, for a page model. */
apr_array_header_t *ls_html_crumbs(request_rec *r, const char *token,
                                   const char *rel);

/* Sends a rendered recipients' page with status and its CSP. OK. */
int ls_html_send(request_rec *r, int status, const char *html);

/* Renders and sends a message page. OK. */
int ls_html_message(request_rec *r, int status, const ls_view_message_t *m);

/* The expired/withdrawn page; sh may be NULL (unknown share). */
int ls_html_expired(request_rec *r, int status, const ls_share_t *sh);
int ls_html_not_found(request_rec *r, const char *why);
int ls_html_bad_request(request_rec *r, const char *why);
int ls_html_unavailable(request_rec *r);

/* An unknown or malformed token: the page that asks whether the whole
 * link was copied. 404. */
int ls_html_bad_link(request_rec *r);

/* op=logo: LinkShareBrand's logo (no token needed): its type, ETag,
 * Last-Modified, a day's public caching, nosniff and a sandboxing CSP
 * (an SVG never runs script); 304 when unchanged; the 404 page when no
 * logo is configured. */
int ls_html_logo(request_rec *r);

#endif /* LS_HTML_H */
