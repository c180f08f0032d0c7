/* ls_store: the database of shares, collections, job rows and mail,
 * reached through apr_dbd (SQLite by default, PostgreSQL for several
 * nodes). APR-only: no httpd headers, no logging; failures come back as a
 * status and a message. One header for the store's units: ls_store.c
 * (open, a per-process pool of connections safe to use from several
 * threads), ls_store_schema.c (schema, migrations), ls_store_share.c,
 * ls_store_collection.c, ls_store_job.c, ls_store_mail.c. */
#ifndef LS_STORE_H
#define LS_STORE_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_errno.h>

#define LS_STORE_SCHEMA_VERSION 3

typedef struct ls_store ls_store;

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
    apr_int64_t downloads;          /* completed downloads so far */
    apr_array_header_t *items;      /* ls_item_t, in share order */
    apr_array_header_t *recipients; /* ls_recipient_t */
    const ls_share_mail_t *mail;    /* insert only: queue one mail per
                                     * recipient; NULL for none */
} ls_share_t;

typedef struct {
    const char *id;
    const char *owner;
    const char *name;
    apr_int64_t created;
    apr_array_header_t *paths; /* const char * */
} ls_collection_t;

/* Opens a store with up to max_conns pooled connections (created on
 * demand). driver is an apr_dbd driver name ("sqlite3", "pgsql"), params
 * its connection string. The store lives as long as pool. With probe set,
 * one connection is opened at once so a bad configuration fails here.
 * On failure *err says why (allocated in pool). */
apr_status_t ls_store_open(apr_pool_t *pool, const char *driver,
                           const char *params, int max_conns, int probe,
                           ls_store **out, const char **err);

/* Brings the schema up to LS_STORE_SCHEMA_VERSION; *from is the version
 * found. Safe to run concurrently from several processes or nodes. */
apr_status_t ls_store_migrate(ls_store *s, apr_pool_t *p, int *from,
                              const char **err);

/* Every function below: APR_SUCCESS, APR_NOTFOUND for an unknown id or
 * hash, or another status with *err (in p) for a store failure. Results
 * are allocated in p. */
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
apr_status_t ls_store_share_revoke(ls_store *s, apr_pool_t *p, const char *id,
                                   apr_int64_t when, const char **err);
apr_status_t ls_store_share_add_downloads(ls_store *s, apr_pool_t *p,
                                          const char *id, apr_int64_t n,
                                          const char **err);

apr_status_t ls_store_collection_insert(ls_store *s, apr_pool_t *p,
                                        const ls_collection_t *c,
                                        const char **err);
apr_status_t ls_store_collection_get(ls_store *s, apr_pool_t *p, const char *id,
                                     ls_collection_t **out, const char **err);
apr_status_t ls_store_collection_list(ls_store *s, apr_pool_t *p,
                                      const char *owner,
                                      apr_array_header_t **out,
                                      const char **err);
apr_status_t ls_store_collection_delete(ls_store *s, apr_pool_t *p,
                                        const char *id, const char **err);

/* ---- download jobs (ls_store_job.c) ---- */

typedef struct {
    int n;              /* 1-based */
    apr_int64_t size;   /* bytes */
    const char *sha256; /* hex */
    const char *path;   /* absolute, in the spool */
} ls_part_t;

typedef struct {
    const char *id;
    const char *share_id;
    const char *selection_key; /* SHA-256 of the planned entries */
    const char *title;         /* base of the parts' file names */
    const char *state;         /* queued|running|done|failed|cancelled */
    const char *entries;       /* the planned entries, JSON (ls_plan) */
    int files_total;
    apr_int64_t bytes_total;
    int files_done;
    apr_int64_t bytes_done;
    int parts_total;
    const char *error; /* for failed: a sentence for the recipient */
    apr_int64_t created;
    apr_int64_t updated;
    const char *claim;         /* the worker's claim while running */
    apr_int64_t heartbeat;     /* last progress write of that worker */
    int attempts;              /* claims so far */
    apr_array_header_t *parts; /* ls_part_t, done jobs only */
} ls_job_t;

/* A job on this share with this selection that is queued, running or
 * done (and not past max_age seconds when done): the one to reuse. */
apr_status_t ls_store_job_reusable(ls_store *s, apr_pool_t *p,
                                   const char *share_id, const char *key,
                                   ls_job_t **out, const char **err);
/* Inserts a queued job and links it to browser. */
apr_status_t ls_store_job_insert(ls_store *s, apr_pool_t *p,
                                 const ls_job_t *job, const char *browser,
                                 const char **err);
/* Shows an existing job to one more browser (idempotent). */
apr_status_t ls_store_job_link(ls_store *s, apr_pool_t *p, const char *job_id,
                               const char *browser, const char **err);
/* Jobs of share_id linked to browser, newest first, with parts. */
apr_status_t ls_store_job_list(ls_store *s, apr_pool_t *p, const char *share_id,
                               const char *browser, apr_array_header_t **out,
                               const char **err);
apr_status_t ls_store_job_get(ls_store *s, apr_pool_t *p, const char *id,
                              ls_job_t **out, const char **err);
/* Queued or running jobs of a share (the 429 limit). */
apr_status_t ls_store_job_active(ls_store *s, apr_pool_t *p,
                                 const char *share_id, int *count,
                                 const char **err);
/* Bytes the spool holds or is about to hold for share_id (NULL: for every
 * share): the parts of done jobs, plus bytes_total of queued and running
 * ones (what LinkShareSpoolPerShare and LinkShareSpoolMax count). */
apr_status_t ls_store_job_spool_usage(ls_store *s, apr_pool_t *p,
                                      const char *share_id, apr_int64_t *bytes,
                                      const char **err);
/* Claims the oldest queued job, or a running one whose heartbeat is older
 * than stale_before. APR_NOTFOUND when there is none. Atomic: two workers
 * (or two nodes) never get the same job. */
apr_status_t ls_store_job_claim(ls_store *s, apr_pool_t *p, const char *claim,
                                apr_int64_t now, apr_int64_t stale_before,
                                ls_job_t **out, const char **err);
/* Progress and heartbeat of a claimed job. APR_NOTFOUND when the claim is
 * lost (cancelled, or reclaimed): the worker must stop. */
apr_status_t ls_store_job_progress(ls_store *s, apr_pool_t *p, const char *id,
                                   const char *claim, int files_done,
                                   apr_int64_t bytes_done, apr_int64_t now,
                                   const char **err);
/* Ends a claimed job: done with parts, or failed with error, or back to
 * queued (abandoned by a stopping worker). APR_NOTFOUND when the claim
 * was lost meanwhile (e.g. cancelled). */
apr_status_t ls_store_job_finish(ls_store *s, apr_pool_t *p, const char *id,
                                 const char *claim, const char *state,
                                 const char *error,
                                 const apr_array_header_t *parts,
                                 apr_int64_t now, const char **err);
/* browser gives up the queued or running job id of share_id: only its
 * own entry goes while another browser still waits for the job; the last
 * one's cancel stops the job (*stopped set). One transaction.
 * APR_NOTFOUND: no queued or running job id on share_id; APR_EACCES:
 * browser is not waiting for it (another recipient's). Nothing changes
 * then. */
apr_status_t ls_store_job_cancel(ls_store *s, apr_pool_t *p, const char *id,
                                 const char *share_id, const char *browser,
                                 apr_int64_t now, int *stopped,
                                 const char **err);
/* Jobs whose files may go: their share expired or was revoked, they ended
 * (done, failed, cancelled) more than ttl seconds ago. With parts. */
apr_status_t ls_store_job_expired(ls_store *s, apr_pool_t *p, apr_int64_t now,
                                  apr_int64_t ttl, apr_array_header_t **out,
                                  const char **err);
apr_status_t ls_store_job_delete(ls_store *s, apr_pool_t *p, const char *id,
                                 const char **err);

/* ---- mail (ls_store_mail.c) ---- */

typedef struct {
    const char *id;
    const char *share_id;
    const char *kind;  /* "link" (to a recipient) or "receipt" (to the
                        * sharer) */
    const char *rcpt;  /* the recipient address */
    const char *state; /* queued|sending|sent|failed */
    const char *reply; /* last SMTP reply, NULL before any */
    int attempts;
    apr_int64_t next_attempt; /* queued: not before this */
    apr_int64_t queued_at;    /* (re)queued: retries end a while after */
    apr_int64_t updated;
    const char *job_id;    /* receipt: the job and part downloaded */
    int part_n;            /* receipt */
    int part_total;        /* receipt */
    const char *title;     /* receipt: the download's name */
    ls_share_mail_t share; /* from ls_share_mail */
} ls_mail_t;

/* Claims one due mail: queued with next_attempt <= now, or left in
 * sending by a worker that stopped before stale_before. APR_NOTFOUND
 * when none is due. Atomic across processes and nodes. */
apr_status_t ls_store_mail_claim(ls_store *s, apr_pool_t *p, const char *claim,
                                 apr_int64_t now, apr_int64_t stale_before,
                                 ls_mail_t **out, const char **err);
/* Records the outcome of a claimed mail: state sent, failed, or queued
 * again (retry at next_attempt); reply is the server's words.
 * APR_NOTFOUND when the claim was lost (a resend meanwhile). */
apr_status_t ls_store_mail_finish(ls_store *s, apr_pool_t *p, const char *id,
                                  const char *claim, const char *state,
                                  const char *reply, apr_int64_t next_attempt,
                                  apr_int64_t now, const char **err);
/* Queues the share mail to email again, now. APR_NOTFOUND when the share
 * has no such recipient. */
apr_status_t ls_store_mail_resend(ls_store *s, apr_pool_t *p,
                                  const char *share_id, const char *email,
                                  apr_int64_t now, const char **err);
/* Queues a delivery receipt for part n (of total) of job_id if its share
 * asked for receipts and none was queued for that part yet. *queued is
 * set when this call queued it. */
apr_status_t ls_store_mail_receipt(ls_store *s, apr_pool_t *p,
                                   const char *share_id, const char *job_id,
                                   int n, int total, const char *title,
                                   apr_int64_t now, int *queued,
                                   const char **err);

/* Deep copy of a share into p (for caches that outlive a request). */
ls_share_t *ls_share_copy(apr_pool_t *p, const ls_share_t *in);

#endif /* LS_STORE_H */
