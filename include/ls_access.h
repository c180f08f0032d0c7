/* ls_access: the access check of the public URLs. Owns reading the share
 * token, looking the share up (cache, then store), the verdict (404
 * unknown, 410 expired or revoked, 503 store down) and keeping the token
 * out of every log. It runs in the fixups phase: SetHandler only takes
 * effect there (TOOLCHAIN.md), and before it the request cannot be told
 * apart from any other. The handlers render the verdict. */
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
    int verdict;              /* OK, HTTP_NOT_FOUND, HTTP_GONE, 503 */
    ls_share_t *share;        /* set for OK and HTTP_GONE */
    const char *token;        /* the well-formed token, for building links only:
                        * never logged, never stored */
    int file_download;        /* op=file handed a file to the default handler */
    const ls_job_t *part_job; /* op=part: the job whose part is served */
    int part_n;               /* op=part: which part (1-based) */
    apr_off_t part_size;      /* op=part: its size in bytes */
} ls_req_t;

/* The kind of handler r is for, from r->handler. */
ls_kind_t ls_access_kind(const request_rec *r);

/* This request's state, or NULL when the access check did not run. */
ls_req_t *ls_access_req(const request_rec *r);

/* fixups hook. */
int ls_access_fixups(request_rec *r);

/* log_transaction hook, first: strips tokens from what will be logged. */
int ls_access_redact(request_rec *r);

#endif /* LS_ACCESS_H */
