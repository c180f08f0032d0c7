/* ls_view_sharer: the sharer's pages, the Link Sharing dialog and the
 * Shared Links list: a labelled, escaped shell the page scripts fill from
 * the sharer API. Core unit: a plain model in, the whole page out. */
#ifndef LS_VIEW_SHARER_H
#define LS_VIEW_SHARER_H

#include <apr_pools.h>

typedef enum {
    LS_SHARER_DIALOG, /* share.html: Link Sharing */
    LS_SHARER_LINKS   /* links.html: Shared Links */
} ls_sharer_page_t;

typedef struct {
    ls_sharer_page_t page;
    const char *user;    /* who is signed in */
    const char *api_url; /* the sharer API the scripts call */
} ls_view_sharer_t;

/* The whole page, in p. */
const char *ls_view_sharer_page(apr_pool_t *p, const ls_view_sharer_t *m);

/* The Content-Security-Policy of a page (its style and scripts by hash),
 * in p: computed once at startup by the glue. */
const char *ls_view_sharer_csp(apr_pool_t *p, ls_sharer_page_t page);

#endif /* LS_VIEW_SHARER_H */
