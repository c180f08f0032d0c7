/* ls_sharer: the sharer's pages, behind the site's own authentication:
 * the Link Sharing dialog (linkshare-sharer) and the Shared Links list
 * (linkshare-links). Owns their HTML, stylesheet and headers; their
 * scripts (assets/sharer.js, assets/links.js) do the work through the
 * sharer API (ls_api), which this unit never bypasses. Glue unit. */
#ifndef LS_SHARER_H
#define LS_SHARER_H

#include "httpd.h"

/* post_config: the pages' Content-Security-Policy (hashes of the inline
 * stylesheet and scripts), computed once. */
void ls_sharer_init(apr_pool_t *pconf);

/* handler hook for linkshare-sharer and linkshare-links. */
int ls_sharer_handler(request_rec *r);

#endif /* LS_SHARER_H */
