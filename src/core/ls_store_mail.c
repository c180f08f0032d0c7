/* ls_store_mail: the mail queue in the store (see ls_store_mail.h). One row
 * per message; the workers claim due rows the way they claim jobs (one
 * UPDATE that re-checks the state), so several processes and nodes never
 * send the same row twice at once. Not the messages' words nor sending
 * them (ls_mail, ls_smtp, ls_mailer).
 *
 *   queued ──claim──> sending ──> sent
 *     ^                  │  └──> failed (5xx, or retries given up)
 *     └── 4xx / down ────┘            resend: any state ──> queued
 */
#include <string.h>

#include <apr_strings.h>

#include "ls_store_mail.h"
#include "ls_store_int.h"
#include "ls_token.h"

#define MAIL_COLS                                                              \
    "m.id, m.share_id, m.kind, m.rcpt, m.state, m.reply, m.attempts, "         \
    "m.next_attempt, m.queued_at, m.updated, m.job_id, m.part_n, "             \
    "m.part_total, m.title, s.sealed_token, s.link_base, s.sender, "           \
    "s.sender_email, s.receipt"

static void row_mail(ls_store *s, apr_pool_t *p, apr_dbd_row_t *row,
                     void *baton)
{
    ls_mail_t *m = apr_pcalloc(p, sizeof(*m));

    m->id = ls_store_col_dup(s, p, row, 0);
    m->share_id = ls_store_col_dup(s, p, row, 1);
    m->kind = ls_store_col_dup(s, p, row, 2);
    m->rcpt = ls_store_col_dup(s, p, row, 3);
    m->state = ls_store_col_dup(s, p, row, 4);
    m->reply = ls_store_col_dup(s, p, row, 5);
    m->attempts = (int)ls_store_col_int(s, row, 6);
    m->next_attempt = ls_store_col_int(s, row, 7);
    m->queued_at = ls_store_col_int(s, row, 8);
    m->updated = ls_store_col_int(s, row, 9);
    m->job_id = ls_store_col_dup(s, p, row, 10);
    m->part_n = (int)ls_store_col_int(s, row, 11);
    m->part_total = (int)ls_store_col_int(s, row, 12);
    m->title = ls_store_col_dup(s, p, row, 13);
    m->share.sealed_token = ls_store_col_dup(s, p, row, 14);
    m->share.link_base = ls_store_col_dup(s, p, row, 15);
    m->share.sender = ls_store_col_dup(s, p, row, 16);
    m->share.sender_email = ls_store_col_dup(s, p, row, 17);
    m->share.receipt = ls_store_col_int(s, row, 18) != 0;
    APR_ARRAY_PUSH((apr_array_header_t *)baton, ls_mail_t *) = m;
}

/* One queued link mail to rcpt. */
static apr_status_t link_mail(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                              const char *share_id, const char *rcpt,
                              const char *now, const char **err)
{
    char *id = apr_palloc(p, LS_ID_LEN + 1);
    const char *args[] = {id, share_id, rcpt, now, now, now};

    if (ls_id_generate(id) != APR_SUCCESS) {
        *err = "the random number generator failed";
        return APR_EGENERAL;
    }
    return ls_store_exec(s, c, p,
                         "INSERT INTO ls_mail (id, share_id, kind, rcpt, "
                         "state, next_attempt, queued_at, updated) VALUES "
                         "(%s, %s, 'link', %s, 'queued', %s, %s, %s)",
                         6, args, NULL, err);
}

/* The share's mail settings (ls_share_mail). */
static apr_status_t mail_settings(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                                  const char *share_id,
                                  const ls_share_mail_t *m, const char **err)
{
    const char *args[] = {share_id,  m->sealed_token, m->link_base,
                          m->sender, m->sender_email, m->receipt ? "1" : "0"};
    return ls_store_exec(s, c, p,
                         "INSERT INTO ls_share_mail (share_id, "
                         "sealed_token, link_base, sender, sender_email, "
                         "receipt) VALUES (%s, %s, %s, %s, %s, %s)",
                         6, args, NULL, err);
}

apr_status_t ls_store_mail_queue(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                                 const ls_share_t *sh, const char **err)
{
    const char *now = ls_store_i64(p, sh->created);
    apr_status_t rv;
    int i;

    rv = mail_settings(s, c, p, sh->id, sh->mail, err);
    for (i = 0; rv == APR_SUCCESS && i < sh->recipients->nelts; i++) {
        rv = link_mail(s, c, p, sh->id,
                       APR_ARRAY_IDX(sh->recipients, i, ls_recipient_t).email,
                       now, err);
    }
    return rv;
}

typedef struct {
    const ls_share_t *sh;
    apr_int64_t now;
} mail_add_q;

/* One recipient of mail_add: its mail queued again when it has one,
 * else a new recipient row (after the others) and a new mail. */
static apr_status_t add_one(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                            const char *share_id, const ls_recipient_t *rc,
                            const char *now, const char **err)
{
    const char *again[] = {now, now, now, share_id, rc->email};
    const char *row[] = {share_id};
    apr_int64_t pos = 0;
    int n = 0;
    apr_status_t rv;

    rv = ls_store_exec(s, c, p,
                       "UPDATE ls_mail SET state = 'queued', claim = NULL, "
                       "attempts = 0, next_attempt = %s, queued_at = %s, "
                       "updated = %s WHERE share_id = %s AND kind = 'link' "
                       "AND lower(rcpt) = lower(%s)",
                       5, again, &n, err);
    if (rv != APR_SUCCESS || n > 0) {
        return rv;
    }
    /* After the others (a plain VALUES: PostgreSQL types parameters from
     * the columns there, not in a SELECT list). */
    rv = ls_store_select(s, c, p,
                         "SELECT COALESCE(MAX(pos), -1) + 1 FROM "
                         "ls_share_recipient WHERE share_id = %s",
                         1, row, ls_store_row_i64, &pos, NULL, err);
    if (rv == APR_SUCCESS) {
        const char *args[] = {share_id, ls_store_i64(p, pos), rc->email,
                              rc->external ? "1" : "0"};
        rv = ls_store_exec(s, c, p,
                           "INSERT INTO ls_share_recipient (share_id, pos, "
                           "email, external, mail_state) VALUES (%s, %s, %s, "
                           "%s, 'queued')",
                           4, args, NULL, err);
    }
    return rv == APR_SUCCESS ? link_mail(s, c, p, share_id, rc->email, now, err)
                             : rv;
}

static apr_status_t mail_add(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                             void *baton, const char **err)
{
    const mail_add_q *q = baton;
    const ls_share_t *sh = q->sh;
    const char *now = ls_store_i64(p, q->now);
    const char *id[] = {sh->id};
    int n = 0, i;
    apr_status_t rv;

    /* Settings kept from the first mail (its sender, its link); receipts
     * only ever turned on here. */
    rv = ls_store_exec(s, c, p,
                       sh->mail->receipt
                           ? "UPDATE ls_share_mail SET receipt = 1 WHERE "
                             "share_id = %s"
                           : "UPDATE ls_share_mail SET receipt = receipt "
                             "WHERE share_id = %s",
                       1, id, &n, err);
    if (rv == APR_SUCCESS && n == 0) {
        rv = mail_settings(s, c, p, sh->id, sh->mail, err);
    }
    if (rv == APR_SUCCESS && sh->subject) {
        const char *args[] = {sh->subject, sh->id};
        rv = ls_store_exec(s, c, p,
                           "UPDATE ls_share SET subject = %s WHERE id = %s", 2,
                           args, NULL, err);
    }
    if (rv == APR_SUCCESS && sh->message) {
        const char *args[] = {sh->message, sh->id};
        rv = ls_store_exec(s, c, p,
                           "UPDATE ls_share SET message = %s WHERE id = %s", 2,
                           args, NULL, err);
    }
    for (i = 0; rv == APR_SUCCESS && i < sh->recipients->nelts; i++) {
        rv = add_one(s, c, p, sh->id,
                     &APR_ARRAY_IDX(sh->recipients, i, ls_recipient_t), now,
                     err);
    }
    return rv;
}

apr_status_t ls_store_mail_add(ls_store *s, apr_pool_t *p, const ls_share_t *sh,
                               apr_int64_t now, const char **err)
{
    mail_add_q q = {sh, now};
    return ls_store_tx(s, p, "cannot queue the share's mail", mail_add, &q,
                       err);
}

typedef struct {
    const char *claim;
    apr_int64_t now;
    apr_int64_t stale_before;
    ls_mail_t **out;
} mail_claim_q;

/* The claiming UPDATE, then the row it claimed, on one connection. */
static apr_status_t mail_claim(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                               void *baton, const char **err)
{
    const mail_claim_q *q = baton;
    const char *t = ls_store_i64(p, q->now);
    const char *st = ls_store_i64(p, q->stale_before);
    const char *args[] = {q->claim, t, t, st, t, st};
    const char *mine[] = {q->claim};
    apr_array_header_t *rows = apr_array_make(p, 1, sizeof(ls_mail_t *));
    apr_status_t rv;
    int n = 0;

    rv = ls_store_exec(s, c, p,
                       "UPDATE ls_mail SET state = 'sending', claim = %s, "
                       "updated = %s, attempts = attempts + 1 WHERE id = "
                       "(SELECT id FROM ls_mail WHERE (state = 'queued' AND "
                       "next_attempt <= %s) OR (state = 'sending' AND updated "
                       "< %s) ORDER BY next_attempt, id LIMIT 1) AND ((state "
                       "= 'queued' AND next_attempt <= %s) OR (state = "
                       "'sending' AND updated < %s))",
                       6, args, &n, err);
    if (rv == APR_SUCCESS && n == 0) {
        rv = APR_NOTFOUND;
    }
    if (rv == APR_SUCCESS) {
        rv = ls_store_select(s, c, p,
                             "SELECT " MAIL_COLS " FROM ls_mail m JOIN "
                             "ls_share_mail s ON s.share_id = m.share_id "
                             "WHERE m.claim = %s AND m.state = 'sending'",
                             1, mine, row_mail, rows, NULL, err);
        if (rv == APR_SUCCESS && rows->nelts == 0) {
            rv = APR_NOTFOUND; /* taken back by a resend meanwhile */
        }
    }
    if (rv == APR_SUCCESS) {
        *q->out = APR_ARRAY_IDX(rows, 0, ls_mail_t *);
    }
    return rv;
}

apr_status_t ls_store_mail_claim(ls_store *s, apr_pool_t *p, const char *claim,
                                 apr_int64_t now, apr_int64_t stale_before,
                                 ls_mail_t **out, const char **err)
{
    mail_claim_q q = {claim, now, stale_before, out};
    return ls_store_run(s, p, mail_claim, &q, err);
}

apr_status_t ls_store_mail_finish(ls_store *s, apr_pool_t *p, const char *id,
                                  const char *claim, const char *state,
                                  const char *reply, apr_int64_t next_attempt,
                                  apr_int64_t now, const char **err)
{
    const char *args[] = {
        state, reply, ls_store_i64(p, next_attempt), ls_store_i64(p, now),
        id,    claim};

    return ls_store_update(s, p,
                           "UPDATE ls_mail SET state = %s, reply = %s, "
                           "next_attempt = %s, updated = %s, claim = NULL "
                           "WHERE id = %s AND claim = %s AND state = "
                           "'sending'",
                           6, args, err);
}

apr_status_t ls_store_mail_resend(ls_store *s, apr_pool_t *p,
                                  const char *share_id, const char *email,
                                  apr_int64_t now, const char **err)
{
    const char *t = ls_store_i64(p, now);
    const char *args[] = {t, t, t, share_id, email};

    return ls_store_update(s, p,
                           "UPDATE ls_mail SET state = 'queued', claim = "
                           "NULL, attempts = 0, next_attempt = %s, queued_at "
                           "= %s, updated = %s WHERE share_id = %s AND kind = "
                           "'link' AND rcpt = %s",
                           5, args, err);
}

apr_status_t ls_store_mail_receipt(ls_store *s, apr_pool_t *p,
                                   const char *share_id, const char *job_id,
                                   int n, int total, const char *title,
                                   apr_int64_t now, int *queued,
                                   const char **err)
{
    char *id = apr_palloc(p, LS_ID_LEN + 1);
    const char *t = ls_store_i64(p, now), *pn = apr_itoa(p, n);
    const char *args[] = {
        id,    t,        t,      t, job_id, pn, apr_itoa(p, total),
        title, share_id, job_id, pn};
    apr_status_t rv;

    *queued = 0;
    if (ls_id_generate(id) != APR_SUCCESS) {
        *err = "the random number generator failed";
        return APR_EGENERAL;
    }
    /* Once per part: the NOT EXISTS keeps the common case quiet; the
     * unique index ls_mail_receipt settles a race between two
     * processes (the loser's insert fails and is reported as done). */
    rv = ls_store_update(
        s, p,
        "INSERT INTO ls_mail (id, share_id, kind, rcpt, state, next_attempt, "
        "queued_at, updated, job_id, part_n, part_total, title) SELECT "
        /* PostgreSQL types parameters in a select list as text: cast. */
        "CAST(%s AS VARCHAR(32)), share_id, 'receipt', sender_email, 'queued', "
        "CAST(%s AS BIGINT), CAST(%s AS BIGINT), CAST(%s AS BIGINT), CAST(%s "
        "AS VARCHAR(32)), CAST(%s AS INTEGER), CAST(%s AS INTEGER), CAST(%s AS "
        "TEXT) FROM ls_share_mail WHERE share_id = %s AND receipt = 1 AND "
        "sender_email IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ls_mail WHERE "
        "kind = 'receipt' AND job_id = %s AND part_n = %s)",
        11, args, err);
    *queued = rv == APR_SUCCESS;
    return rv == APR_NOTFOUND ? APR_SUCCESS : rv; /* not asked, or queued */
}
