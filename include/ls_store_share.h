/* ls_store_share: shares in the store, their items, recipients and what
 * their mail needs (ls_store_share.c). Not the mail rows
 * (ls_store_mail.h) nor the job rows (ls_store_job.h). */
/* The umbrella first, outside the guard: it defines the handle and
 * includes the store's headers in dependency order (this one too), so
 * this header compiles on its own whichever is included first. */
#include "ls_store.h"
#ifndef LS_STORE_SHARE_H
#define LS_STORE_SHARE_H

typedef struct {
    const char *path; /* relative to the asset root, normal form */
    const char *kind; /* "file" or "folder", as it was when shared */
} ls_item_t;

typedef struct {
    const char *email;
    int external;             /* outside LinkShareOrgDomain */
    const char *mail_state;   /* queued|sent|failed */
    const char *mail_reply;   /* the SMTP server's last reply, or NULL */
    int mail_attempts;        /* sending attempts so far */
    apr_int64_t mail_updated; /* last change of mail_state, 0 = none */
} ls_recipient_t;

/* What the workers need to send a share's mail, stored with the share
 * (ls_share_mail). */
typedef struct {
    const char *sealed_token; /* ls_token_seal()ed: never the token */
    const char *link_base;    /* LinkSharePublicURL of the sharer's site */
    const char *sender;       /* the sharer's name as mail shows it */
    const char *sender_email; /* Reply-To and receipts; NULL if unknown */
    int receipt;              /* tell sender_email of complete downloads */
} ls_share_mail_t;

typedef struct {
    const char *id;                 /* LS_ID_LEN hex */
    const char *owner;              /* r->user of the sharer */
    apr_int64_t created;            /* epoch seconds */
    apr_int64_t expires;            /* epoch seconds */
    apr_int64_t revoked;            /* epoch seconds, 0 when active */
    int allow_original;             /* originals may leave the server */
    const char *collection_id;      /* NULL unless shared from one */
    const char *subject;            /* NULL when none */
    const char *message;            /* NULL when none */
    const char *name;               /* the sharer's label for the link
                                     * (the recipient page's title), NULL
                                     * when none */
    const char *sealed_token;       /* the token ls_token_seal()ed, so the
                                     * owner can have the link again; NULL
                                     * for shares made before schema v5 */
    apr_int64_t downloads;          /* completed downloads so far */
    const char *password_hash;      /* ls_password_hash()'s string; NULL:
                                     * the link needs no password */
    apr_int64_t password_gen;       /* bumped at every password change;
                                     * unlock cookies carry it */
    apr_int64_t max_downloads;      /* the download limit; 0 = none (NULL
                                     * in the store). Reached when
                                     * downloads >= max_downloads: the
                                     * share is "exhausted" */
    apr_array_header_t *items;      /* ls_item_t, in share order */
    apr_array_header_t *recipients; /* ls_recipient_t */
    const ls_share_mail_t *mail;    /* insert only: queue one mail per
                                     * recipient; NULL for none */
} ls_share_t;

apr_status_t ls_store_share_insert(ls_store *s, apr_pool_t *p,
                                   const ls_share_t *share,
                                   const char *token_hash, const char **err);
apr_status_t ls_store_share_by_hash(ls_store *s, apr_pool_t *p,
                                    const char *token_hash, ls_share_t **out,
                                    const char **err);
apr_status_t ls_store_share_get(ls_store *s, apr_pool_t *p, const char *id,
                                ls_share_t **out, const char **err);
/* owner NULL lists every share; newest first. */
apr_status_t ls_store_share_list(ls_store *s, apr_pool_t *p, const char *owner,
                                 apr_array_header_t **out, const char **err);
/* The owner's earlier recipients whose address starts with prefix
 * (case-insensitive), distinct, sorted, at most LS_STORE_SUGGEST_MAX: the
 * sharer's suggestions. */
#define LS_STORE_SUGGEST_MAX 20
apr_status_t ls_store_recipient_suggest(ls_store *s, apr_pool_t *p,
                                        const char *owner, const char *prefix,
                                        apr_array_header_t **out,
                                        const char **err);
apr_status_t ls_store_share_set_expiry(ls_store *s, apr_pool_t *p,
                                       const char *id, apr_int64_t expires,
                                       const char **err);
/* name NULL removes the name. */
apr_status_t ls_store_share_set_name(ls_store *s, apr_pool_t *p, const char *id,
                                     const char *name, const char **err);
apr_status_t ls_store_share_revoke(ls_store *s, apr_pool_t *p, const char *id,
                                   apr_int64_t when, const char **err);
/* hash NULL removes the password; either way the generation moves on,
 * which ends every unlock cookie given before. */
apr_status_t ls_store_share_set_password(ls_store *s, apr_pool_t *p,
                                         const char *id, const char *hash,
                                         const char **err);
/* max 0 removes the limit. */
apr_status_t ls_store_share_set_max_downloads(ls_store *s, apr_pool_t *p,
                                              const char *id, apr_int64_t max,
                                              const char **err);
/* Counts one download of a share with a limit now, in one statement that
 * also checks the limit: APR_SUCCESS (counted), APR_NOTFOUND when the
 * limit is reached (nothing counted). Give it back with
 * ls_store_share_add_downloads(..., -1) when the download did not
 * complete. */
apr_status_t ls_store_share_take_download(ls_store *s, apr_pool_t *p,
                                          const char *id, const char **err);
/* n may be negative: a download taken that did not complete. */
apr_status_t ls_store_share_add_downloads(ls_store *s, apr_pool_t *p,
                                          const char *id, apr_int64_t n,
                                          const char **err);

/* Non-zero when a share has a download limit and has reached it. */
#define LS_SHARE_EXHAUSTED(sh)                                                 \
    ((sh)->max_downloads > 0 && (sh)->downloads >= (sh)->max_downloads)

/* Deep copy of a share into p (for caches that outlive a request). */
ls_share_t *ls_share_copy(apr_pool_t *p, const ls_share_t *in);

#endif /* LS_STORE_SHARE_H */
