/* ls_store_mail: the mail queue in the store, one row per message
 * (ls_store_mail.c). Not the messages' words nor sending them (ls_mail.h,
 * ls_smtp.h, ls_mailer.h). */
/* The umbrella first, outside the guard: it defines the handle and
 * includes the store's headers in dependency order (this one too), so
 * this header compiles on its own whichever is included first. */
#include "ls_store.h"
#ifndef LS_STORE_MAIL_H
#define LS_STORE_MAIL_H

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
/* Mails a share made earlier to sh->recipients, in one transaction:
 * sh->mail becomes the share's mail settings when it had none (else they
 * are kept, receipts only turned on); sh->subject and sh->message replace
 * the share's when not NULL; each address gets a recipient row and a
 * queued mail, or, if it already is a recipient, its mail queued again. */
apr_status_t ls_store_mail_add(ls_store *s, apr_pool_t *p, const ls_share_t *sh,
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

#endif /* LS_STORE_MAIL_H */
