/* ls_smtp: one message to one recipient over SMTP with libesmtp. APR and
 * libesmtp only, no httpd, no logging: the outcome and the server's
 * words come back to the caller (ls_mailer), which records and logs
 * them. Blocking; each exchange is bounded by the configured timeout. */
#ifndef LS_SMTP_H
#define LS_SMTP_H

#include <apr_pools.h>
#include <apr_errno.h>

typedef struct {
    const char *server;   /* "host:port" */
    int starttls;         /* 0 off, 1 optional, 2 required (LS_STARTTLS_*) */
    const char *user;     /* AUTH user; NULL for no AUTH */
    const char *password; /* AUTH password */
    int timeout;          /* seconds per exchange */
} ls_smtp_conf_t;

typedef enum {
    LS_SMTP_SENT,     /* the server accepted the message (2xx) */
    LS_SMTP_TEMPFAIL, /* try again later: 4xx, no connection, timeout */
    LS_SMTP_PERMFAIL  /* 5xx, or STARTTLS required and not offered */
} ls_smtp_outcome_t;

/* Sends message (a complete RFC 5322 message with CRLF line ends) from
 * the envelope sender from to rcpt. *reply gets the server's reply
 * ("250 2.0.0 Ok: queued") or a sentence saying what went wrong, in p.
 * The caller ignores SIGPIPE. */
void ls_smtp_send(apr_pool_t *p, const ls_smtp_conf_t *conf, const char *from,
                  const char *rcpt, const char *message,
                  ls_smtp_outcome_t *outcome, const char **reply);

#endif /* LS_SMTP_H */
