/* ls_view_unlock: the password form a protected link shows until the
 * browser is unlocked. Core unit: plain text in, escaped markup out. It
 * names no file, folder, owner or share name: the person has not shown
 * yet that they may know them. */
#ifndef LS_VIEW_UNLOCK_H
#define LS_VIEW_UNLOCK_H

#include <apr_pools.h>

#include "ls_view.h"

typedef struct {
    const char *action;           /* the form's URL (op=unlock), built by
                                   * ls_url */
    const char *error;            /* plain text under the field, NULL for
                                   * none (the first visit) */
    const ls_view_brand_t *brand; /* may be NULL */
} ls_view_unlock_t;

/* The whole page (the recipients' frame and stylesheet), in p. */
const char *ls_view_unlock_page(apr_pool_t *p, const ls_view_unlock_t *m);

#endif /* LS_VIEW_UNLOCK_H */
