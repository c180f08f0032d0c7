/* ls_url: the one place that builds the links the module hands out
 * (pages, operations, mail, the API's "url"). Core unit (APR only). The
 * base is LinkSharePublicURL (the externalizer); the page names are ours
 * (the admin maps them with <Location> + SetHandler at that base). */
#ifndef LS_URL_H
#define LS_URL_H

#include <apr_pools.h>

typedef enum {
    LS_URL_PAGE,   /* linkshare.html: the Link Share page and its ops */
    LS_URL_PREVIEW /* linksharepreview.html: the preview of one file */
} ls_url_page_t;

/* BASE/PAGE?sh=TOKEN followed by extra (query text starting with '&', or
 * NULL), in p. base has no trailing '/'; token is well formed (only
 * base64url characters, so it needs no escaping). */
const char *ls_url_share(apr_pool_t *p, const char *base, ls_url_page_t page,
                         const char *token, const char *extra);

/* s percent-encoded for a query value (RFC 3986 unreserved kept). In p. */
const char *ls_url_qenc(apr_pool_t *p, const char *s);

/* The link to an item of a share: ls_url_share with "&op=OP" (when op is
 * not NULL) and "&path=PATH" (when path is neither NULL nor ""), path
 * percent-encoded here. */
const char *ls_url_item(apr_pool_t *p, const char *base, ls_url_page_t page,
                        const char *token, const char *op, const char *path);

/* BASE/linkshare.html?op=logo[&v=VERSION]: the admin's logo
 * (LinkShareBrand), which needs no token; version (may be NULL) changes
 * with the file, so a cached copy is never stale. In p. */
const char *ls_url_logo(apr_pool_t *p, const char *base, const char *version);

#endif /* LS_URL_H */
