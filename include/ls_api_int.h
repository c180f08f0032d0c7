/* ls_api_int: what the sharer API's units share (ls_api routes and owns
 * shares and collections; ls_api_pages serves what the dialog reads).
 * Not for the rest of the module. */
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

/* GET .../settings, .../assets?path=REL, .../recipients?q=PREFIX. */
int ls_api_settings(ls_api_ctx *c);
int ls_api_assets(ls_api_ctx *c);
int ls_api_recipients(ls_api_ctx *c);

#endif /* LS_API_INT_H */
