/* ls_apireq: parsing and validation of sharer API request bodies. Pure
 * unit (APR + jansson). Owns the JSON shapes of API.md and their limits;
 * it does not touch the store or the file system. */
#ifndef LS_APIREQ_H
#define LS_APIREQ_H

#include <apr_pools.h>
#include <apr_tables.h>

#include "ls_mail.h"
#include <apr_errno.h>

#define LS_API_MAX_BODY       (1024 * 1024)
#define LS_API_MAX_PATHS      1000
#define LS_API_MAX_RECIPIENTS 50
#define LS_API_MAX_NAME       200
#define LS_API_MAX_SHARE_NAME 200 /* characters (UTF-8), not bytes */
#define LS_API_MAX_SUBJECT    200
#define LS_API_MAX_MESSAGE    4000
#define LS_API_MAX_EMAIL      LS_MAIL_MAX_ADDRESS
#define LS_API_MAX_DOWNLOADS  1000000 /* "max_downloads" at most */

/* A create-share request, after syntax checks. */
typedef struct {
    apr_array_header_t *paths;      /* const char *, normal relative paths */
    const char *collection;         /* collection id, NULL when absent */
    int has_expires;                /* "expires" was given */
    apr_int64_t expires;            /* epoch seconds when has_expires */
    int allow_original;             /* 1/0, or -1 when absent */
    apr_array_header_t *recipients; /* const char *, syntactically valid */
    const char *subject;            /* NULL when absent */
    const char *message;            /* NULL when absent */
    const char *name;               /* NULL when absent, null or "" */
    int receipt;          /* "receipt": tell the sharer of complete downloads */
    const char *password; /* NULL when absent or null; never logged */
    apr_size_t password_len;   /* its bytes */
    apr_int64_t max_downloads; /* 0 when absent or null (no limit) */
} ls_share_req_t;

/* Each parser returns APR_SUCCESS, or APR_EINVAL with *why a sentence
 * naming the offending field (allocated in p). */
apr_status_t ls_apireq_share_create(apr_pool_t *p, const char *body,
                                    apr_size_t len, ls_share_req_t **out,
                                    const char **why);

/* A change to a share: at least one field. */
typedef struct {
    int has_expires;           /* "expires" was given */
    apr_int64_t expires;       /* epoch seconds when has_expires */
    int has_name;              /* "name" was given (null or "" removes it) */
    const char *name;          /* the new name, NULL to remove */
    int has_password;          /* "password" was given (null removes it) */
    const char *password;      /* the new password, NULL to remove */
    apr_size_t password_len;   /* its bytes */
    int has_max_downloads;     /* "max_downloads" was given */
    apr_int64_t max_downloads; /* the new limit, 0 to remove */
} ls_share_patch_t;

/* {"expires": RFC3339?, "name": str|null?, "password": str|null?,
 *  "max_downloads": int|null?} */
apr_status_t ls_apireq_share_patch(apr_pool_t *p, const char *body,
                                   apr_size_t len, ls_share_patch_t *out,
                                   const char **why);

/* {"name": str, "paths": [str, ...]} */
apr_status_t ls_apireq_collection_create(apr_pool_t *p, const char *body,
                                         apr_size_t len, const char **name,
                                         apr_array_header_t **paths,
                                         const char **why);

/* Who a share's link is mailed to after the share was made, and what
 * the mail says (the share's subject and message when given). */
typedef struct {
    apr_array_header_t *recipients; /* const char *, at least one */
    const char *subject;            /* NULL when absent */
    const char *message;            /* NULL when absent */
    int receipt;                    /* "receipt": true turns receipts on */
} ls_share_mail_req_t;

/* {"recipients": [str, ...], "subject": str?, "message": str?,
 *  "receipt": bool?} */
apr_status_t ls_apireq_share_mail(apr_pool_t *p, const char *body,
                                  apr_size_t len, ls_share_mail_req_t *out,
                                  const char **why);

/* {"email": str}: the recipient to send a share's mail to again. */
apr_status_t ls_apireq_resend(apr_pool_t *p, const char *body, apr_size_t len,
                              const char **email, const char **why);

#endif /* LS_APIREQ_H */
