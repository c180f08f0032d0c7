/* ls_access: the access check of the public URLs. Owns reading the share
 * token, looking the share up (cache, then store), the refusals (404
 * unknown, 410 expired or revoked, 503 store down, 405 method) and
 * keeping the token out of everything another module can see or log.
 * The token is taken out of the request line as soon as httpd has read
 * it (post_read_request: before the scoreboard or any module copies it);
 * the check runs in httpd's access phase, so a request with a bad token
 * never reaches another module's fixups, type checker or handler. Which
 * of our URLs a request is for comes from the Location's SetHandler,
 * read from core's per-directory config (r->handler is only set in
 * fixups). */
#ifndef LS_ACCESS_H
#define LS_ACCESS_H

#include "httpd.h"

#include "ls_store.h"

typedef enum {
    LS_KIND_NONE = 0,
    LS_KIND_PAGE,    /* linkshare-page: linkshare.html */
    LS_KIND_PREVIEW, /* linkshare-preview: linksharepreview.html */
    LS_KIND_EXPIRED, /* linkshare-expired: linkexpired.html */
    LS_KIND_API,     /* linkshare-api: the sharer API */
    LS_KIND_SHARER,  /* linkshare-sharer: the Link Sharing dialog */
    LS_KIND_LINKS    /* linkshare-links: the Shared Links list */
} ls_kind_t;

typedef struct {
    ls_kind_t kind;
    int checked;       /* the access check let this request through */
    int refused;       /* the access check answered an error page */
    ls_share_t *share; /* the share (set when checked, but for the
                               * expired page) */
    const char *token; /* the well-formed token, for building links only:
                        * never logged, never stored */
} ls_req_t;

/* The kind of handler r is for, from r->handler. */
ls_kind_t ls_access_kind(const request_rec *r);

/* The kind the Location's SetHandler will give r in fixups (core's
 * core_override_type), read before that from core's per-directory config:
 * the phases before fixups (translate_name, access) tell our URLs by it. */
ls_kind_t ls_access_configured_kind(request_rec *r);

/* This request's state: NULL, or not ->checked, when the access check
 * did not let it through. */
ls_req_t *ls_access_req(const request_rec *r);

/* post_read_request hook: takes a share token out of the request line
 * (the access check reads it from the query, still intact). */
int ls_access_post_read(request_rec *r);

/* The public pages (linkshare.html, linksharepreview.html,
 * linkexpired.html) are not files: translate_name notes a request whose
 * <Location> makes it one (seen there, while its configuration is still
 * the <Location>'s; httpd resets it to the server's before
 * map_to_storage), and map_to_storage then answers OK for it, so core's
 * directory walk does not run: it would stat every segment of a file name
 * under DocumentRoot that does not exist (about a tenth of the link's
 * CPU in make bench), and <Directory> sections and .htaccess files could
 * only add surprises to a URL that has no file. Their <Location> is
 * their configuration (conf/linkshare.conf). */
int ls_access_translate(request_rec *r);
int ls_access_map_to_storage(request_rec *r);

/* access_checker hook: the token check of the public URLs. Declines
 * (lets Require decide), or answers the refusal page itself and returns
 * DONE (or 405). */
int ls_access_check(request_rec *r);


/* log_transaction hook, first: strips tokens from what will be logged. */
int ls_access_redact(request_rec *r);

#endif /* LS_ACCESS_H */
