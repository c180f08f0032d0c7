/* ls_authz: may a user read an asset? httpd decides, never a copy of its
 * rules: a subrequest for the asset's URL (LinkShareAssetURL/PATH) runs
 * as that user through the site's own Require, <Directory>, <Location>,
 * <Files> and .htaccess. Used for the share's owner on every public
 * request (what a recipient sees below a shared folder) and for the
 * signed-in user in the sharer API. Answers are cached per folder for
 * LinkShareCacheTTL seconds in each process; docs/INTERNALS.md explains
 * when a folder's answer is reused for its files. Glue unit. */
#ifndef LS_AUTHZ_H
#define LS_AUTHZ_H

#include "httpd.h"

#include "ls_resolve.h"

/* child_init: the per-process cache. ttl 0 asks httpd every time. */
apr_status_t ls_authz_child_init(apr_pool_t *pchild, int ttl);

/* check_user_id hook, first: a subrequest made by ls_authz_may_read
 * (or by a module on its behalf, e.g. mod_dir's index lookup) runs as
 * the user it names, without credentials. Declines everything else. */
int ls_authz_check_user(request_rec *r);

/* Non-zero when user may read asset_rel (relative to LinkShareAssetRoot,
 * "" for the root; a folder when is_dir). Never fails open: a lookup that
 * cannot be made answers 0. */
int ls_authz_may_read(request_rec *r, const char *user, const char *asset_rel,
                      int is_dir);

/* A filter for ls_resolve/ls_resolve_list/ls_select that admits what user
 * may read (both the path as named and where it resolves). In r->pool. */
const ls_filter_t *ls_authz_filter(request_rec *r, const char *user);

#endif /* LS_AUTHZ_H */
