/* ls_api_int: what the sharer API's units share: ls_api (entry, routes,
 * answers, checks), ls_api_shares, ls_api_collections and ls_api_browse
 * (what the dialog reads). Not for the rest of the module. */
#ifndef LS_API_INT_H
#define LS_API_INT_H

#include "httpd.h"

#include "ls_config.h"
#include "ls_store.h"

typedef struct {
    request_rec *r;
    ls_server_conf *sc;
    ls_store *store;
    apr_int64_t now;
    int admin;        /* caller is listed in LinkShareAdmin */
    const char *base; /* the API's Location path, no trailing '/' */
} ls_api_ctx;

/* Answers 503 after a store failure (logged with err). */
int ls_api_store_failed(ls_api_ctx *c, apr_status_t rv, const char *err);

/* Answers 400 {"error": why} (logged). */
int ls_api_bad_request(ls_api_ctx *c, const char *why);

/* Answers 405 with Allow: allow (logged). */
int ls_api_method_not_allowed(ls_api_ctx *c, const char *allow);

/* May the caller read this asset? httpd decides: a subrequest for its URL
 * on this site, as this user, must pass the site's own access checks
 * (ls_authz). HTTP_OK when allowed, else HTTP_FORBIDDEN. */
int ls_api_may_read(ls_api_ctx *c, const char *path, int is_dir);

/* Reads a JSON body. OK, or DONE after answering the client. */
int ls_api_read_json(ls_api_ctx *c, const char **body, apr_size_t *len);

/* Does the asset at share path path exist below the asset root (and is
 * it a folder)? */
int ls_api_asset_exists(ls_api_ctx *c, const char *path, int *is_dir);

/* Entry idx of field, a path to share or collect: 0 with *kind ("file",
 * "folder") when the caller may read it and it exists, else 403 or 400
 * with *why (permission is checked first, so a refusal says nothing
 * about existence). */
int ls_api_check_asset(ls_api_ctx *c, const char *field, int idx,
                       const char *path, const char **kind, const char **why);

/* .../shares (POST, GET), .../shares/ID (GET, PATCH, DELETE),
 * .../shares/ID/resend (POST), .../shares/ID/recipients (POST). */
int ls_api_shares(ls_api_ctx *c);
int ls_api_share(ls_api_ctx *c, const char *id);
int ls_api_share_resend(ls_api_ctx *c, const char *id);
int ls_api_share_mail(ls_api_ctx *c, const char *id);

/* The share id names when the caller may see it (theirs, or any for an
 * admin): OK with *sh; else the 404 (or 503) is answered and that status
 * returned (ls_api_shares.c). */
int ls_api_share_visible(ls_api_ctx *c, const char *id, ls_share_t **sh);

/* GET .../shares/ID/activity (ls_api_activity.c). */
int ls_api_share_activity(ls_api_ctx *c, const char *id);

/* .../collections (POST, GET), .../collections/ID (GET, DELETE). */
int ls_api_collections(ls_api_ctx *c);
int ls_api_collection(ls_api_ctx *c, const char *id);

/* GET .../settings, .../assets?path=REL, .../recipients?q=PREFIX. */
int ls_api_settings(ls_api_ctx *c);
int ls_api_assets(ls_api_ctx *c);
int ls_api_recipients(ls_api_ctx *c);

#endif /* LS_API_INT_H */
