/* ls_mailer: share mail, glue side (see ls_mailer.h).
 *
 * A share with recipients gets one ls_mail row per recipient in the same
 * transaction as the share (the token only sealed). Workers claim due
 * rows between packaging jobs, compose (ls_mail), send (ls_smtp) and
 * record the outcome:
 *
 *   2xx                 -> sent
 *   5xx, TLS refused    -> failed, with the server's words
 *   4xx, no connection  -> queued again after LinkShareMailRetry's first
 *                          delay, doubled each attempt (at most an hour),
 *                          failed once the mail is older than its give-up
 *                          age
 *
 * Logs name the mail, the share and the recipient, never the link. */
#include <stdlib.h>
#include <string.h>

#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"
#include "apr_strings.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "ls_config.h"
#include "ls_mail.h"
#include "ls_tag.h"
#include "ls_view_mail.h"
#include "ls_mailer.h"
#include "ls_smtp.h"
#include "ls_url.h"

APLOG_USE_MODULE(linkshare);

#define LS_MAX_BACKOFF 3600 /* longest wait between two attempts */

/* Read in the parent before any fork: children and workers inherit it.
 * It never touches the store. */
static unsigned char seal_key[LS_SEAL_KEY_LEN];
static int seal_key_set;

/* ---- the sealing key ---- */

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

static apr_status_t key_create(const char *path, apr_pool_t *p)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char raw[LS_SEAL_KEY_LEN];
    char text[LS_SEAL_KEY_LEN * 2 + 1];
    apr_file_t *f;
    apr_size_t n = sizeof(text);
    apr_status_t rv;
    int i;

    if (RAND_bytes(raw, sizeof(raw)) != 1) {
        return APR_EGENERAL;
    }
    for (i = 0; i < LS_SEAL_KEY_LEN; i++) {
        text[2 * i] = hex[raw[i] >> 4];
        text[2 * i + 1] = hex[raw[i] & 15];
    }
    text[sizeof(text) - 1] = '\n';
    OPENSSL_cleanse(raw, sizeof(raw));
    /* EXCL: a second starter (another node, the second config pass)
     * reads the first one's key rather than replacing it. */
    rv = apr_file_open(&f, path,
                       APR_FOPEN_WRITE | APR_FOPEN_CREATE | APR_FOPEN_EXCL,
                       APR_FPROT_UREAD | APR_FPROT_UWRITE, p);
    if (rv == APR_SUCCESS) {
        rv = apr_file_write_full(f, text, n, NULL);
        apr_file_close(f);
    }
    OPENSSL_cleanse(text, sizeof(text));
    return rv == APR_EEXIST ? APR_SUCCESS : rv;
}

static apr_status_t key_read(const char *path, apr_pool_t *p)
{
    char text[LS_SEAL_KEY_LEN * 2 + 2];
    apr_file_t *f;
    apr_size_t n = sizeof(text);
    apr_status_t rv;
    int i;

    rv = apr_file_open(&f, path, APR_FOPEN_READ, 0, p);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    rv = apr_file_read_full(f, text, n, &n);
    apr_file_close(f);
    if (n < LS_SEAL_KEY_LEN * 2) {
        return APR_EINVAL;
    }
    for (i = 0; i < LS_SEAL_KEY_LEN; i++) {
        int hi = hexval(text[2 * i]), lo = hexval(text[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            return APR_EINVAL;
        }
        seal_key[i] = (unsigned char)(hi << 4 | lo);
    }
    OPENSSL_cleanse(text, sizeof(text));
    seal_key_set = 1;
    return APR_SUCCESS;
}

int ls_mailer_post_config(apr_pool_t *pconf, apr_pool_t *ptemp, server_rec *s)
{
    ls_server_conf *sc = ls_config_get(s);
    const char *path;
    apr_status_t rv;

    (void)pconf;
    seal_key_set = 0;
    path = apr_pstrcat(ptemp, sc->state_dir, "/mail.key", NULL);
    rv = apr_dir_make_recursive(sc->state_dir,
                                APR_FPROT_UREAD | APR_FPROT_UWRITE
                                    | APR_FPROT_UEXECUTE | APR_FPROT_GREAD
                                    | APR_FPROT_GEXECUTE,
                                ptemp);
    if (rv == APR_SUCCESS) {
        rv = key_create(path, ptemp);
    }
    if (rv == APR_SUCCESS) {
        rv = key_read(path, ptemp);
    }
    if (rv != APR_SUCCESS && !ls_config_mail_configured(s)) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, rv, s,
                     LS_TAG(00520) "cannot create or read the sealing key "
                                   "%s: new links are shown once, when they "
                                   "are made, and not again in Shared Links",
                            path);
        return OK;
    }
    if (rv != APR_SUCCESS) {
        ap_log_error(
            APLOG_MARK, APLOG_EMERG, rv, s,
            LS_TAG(00400) "LinkShareSMTPServer: "
                       "cannot create or read the "
                       "mail sealing key %s (64 hex digits; with several nodes "
                       "on one database every node needs the same file)",
                path);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if (!ls_config_mail_configured(s)) {
        return OK;
    }
    ap_log_error(
        APLOG_MARK, APLOG_INFO, 0, s,
        LS_TAG(00401) "share "
                   "mail through %s (STARTTLS %s%s), from %s, "
                   "%d organisation domain(s), retries from %" APR_INT64_T_FMT
                   "s, given up after %" APR_INT64_T_FMT "s",
            sc->smtp_server,
            sc->smtp_starttls == LS_STARTTLS_REQUIRED   ? "required"
            : sc->smtp_starttls == LS_STARTTLS_OPTIONAL ? "optional"
                                                        : "off",
            sc->smtp_user ? ", AUTH" : "", sc->mail_from,
            sc->org_domains->nelts, sc->mail_retry, sc->mail_giveup);
    return OK;
}

apr_status_t ls_mailer_seal(const char *token, char *out)
{
    return seal_key_set ? ls_token_seal(seal_key, token, out) : APR_ENOTIMPL;
}

apr_status_t ls_mailer_derive_key(const char *label, unsigned char *out)
{
    unsigned int n = 0;

    if (!seal_key_set
        || HMAC(EVP_sha256(), seal_key, LS_SEAL_KEY_LEN,
                (const unsigned char *)label, strlen(label), out, &n)
               == NULL
        || n != 32) {
        return APR_ENOTIMPL;
    }
    return APR_SUCCESS;
}

apr_status_t ls_mailer_unseal(const char *sealed, char *token)
{
    return seal_key_set ? ls_token_unseal(seal_key, sealed, token)
                        : APR_ENOTIMPL;
}

/* ---- sending ---- */

void ls_mailer_worker_init(server_rec *s)
{
    if (ls_config_mail_configured(s)) {
        setenv("HOME", ls_config_get(s)->state_dir, 1);
    }
}

/* What is shared, as the recipient will see it: the items' names and
 * kinds. */
static void item_names(apr_pool_t *p, const ls_share_t *sh,
                       ls_view_mail_link_t *l)
{
    int i;

    l->items = apr_array_make(p, sh->items->nelts, sizeof(const char *));
    l->kinds = apr_array_make(p, sh->items->nelts, sizeof(const char *));
    for (i = 0; i < sh->items->nelts; i++) {
        const ls_item_t *it = &APR_ARRAY_IDX(sh->items, i, ls_item_t);
        const char *slash = strrchr(it->path, '/');
        APR_ARRAY_PUSH(l->items, const char *) = slash ? slash + 1 : it->path;
        APR_ARRAY_PUSH(l->kinds, const char *) = it->kind;
    }
}

/* Builds the message for m, or says why it cannot be sent (for good). */
static const char *build(server_rec *s, ls_store *store, apr_pool_t *p,
                         const ls_mail_t *m, const char **msg)
{
    ls_server_conf *sc = ls_config_get(s);
    apr_int64_t now = apr_time_sec(apr_time_now());
    ls_mail_msg_t mm;
    ls_share_t *sh;
    const char *err = NULL, *why = NULL;
    apr_status_t rv;

    memset(&mm, 0, sizeof(mm));
    rv = ls_store_share_get(store, p, m->share_id, &sh, &err);
    if (rv != APR_SUCCESS) {
        return rv == APR_NOTFOUND ? "the share no longer exists"
                                  : apr_pstrcat(p, "store: ", err, NULL);
    }
    mm.from_addr = sc->mail_from;
    mm.to = m->rcpt;
    mm.date = apr_time_now();
    mm.msgid = apr_psprintf(p, "%s.%" APR_INT64_T_FMT ".linkshare", m->id,
                            m->queued_at);
    if (strcmp(m->kind, "receipt") == 0) {
        mm.from_name = "LinkShare";
        ls_view_mail_receipt(p, m->title ? m->title : "download", m->part_n,
                             m->part_total, m->queued_at, &mm.subject, &mm.text,
                             &mm.html);
    }
    else {
        ls_view_mail_link_t l;
        char token[LS_TOKEN_LEN + 1];
        if (sh->revoked) {
            return "the share was revoked before the mail could be sent";
        }
        if (sh->expires <= now) {
            return "the share expired before the mail could be sent";
        }
        if (!seal_key_set
            || ls_token_unseal(seal_key, m->share.sealed_token, token)
                   != APR_SUCCESS) {
            return "the link cannot be unsealed: LinkShareStateDir/mail.key "
                   "is not the key it was sealed with";
        }
        memset(&l, 0, sizeof(l));
        l.sharer = m->share.sender;
        l.name = sh->name;
        l.message = sh->message;
        item_names(p, sh, &l);
        l.link = ls_url_share(p, m->share.link_base, LS_URL_PAGE, token, NULL);
        OPENSSL_cleanse(token, sizeof(token));
        l.expires = sh->expires;
        l.allow_original = sh->allow_original;
        mm.from_name = apr_pstrcat(p, m->share.sender, " via LinkShare", NULL);
        mm.reply_to = m->share.sender_email;
        mm.subject = sh->subject && *sh->subject
                         ? sh->subject
                         : ls_view_mail_link_subject(p, &l);
        ls_view_mail_link_bodies(p, &l, &mm.text, &mm.html);
    }
    if (ls_mail_compose(p, &mm, msg, &why) != APR_SUCCESS) {
        return apr_pstrcat(p, "the message cannot be composed: ", why, NULL);
    }
    return NULL;
}

static void send_one(server_rec *s, ls_store *store, apr_pool_t *p,
                     const ls_mail_t *m, const char *claim)
{
    ls_server_conf *sc = ls_config_get(s);
    ls_smtp_conf_t conf;
    ls_smtp_outcome_t outcome = LS_SMTP_PERMFAIL;
    const char *msg = NULL, *reply, *state, *err = NULL;
    apr_int64_t now, next = 0, delay;
    apr_status_t rv;
    int i;

    reply = build(s, store, p, m, &msg);
    if (reply == NULL) {
        memset(&conf, 0, sizeof(conf));
        conf.server = sc->smtp_server;
        conf.starttls = sc->smtp_starttls;
        conf.user = sc->smtp_user;
        conf.password = sc->smtp_pw;
        conf.timeout = sc->smtp_timeout;
        ls_smtp_send(p, &conf, sc->mail_from, m->rcpt, msg, &outcome, &reply);
    }
    now = apr_time_sec(apr_time_now());
    delay = sc->mail_retry;
    for (i = 1; i < m->attempts && delay < LS_MAX_BACKOFF; i++) {
        delay *= 2;
    }
    delay = delay > LS_MAX_BACKOFF ? LS_MAX_BACKOFF : delay;
    if (outcome == LS_SMTP_SENT) {
        state = "sent";
    }
    else if (outcome == LS_SMTP_TEMPFAIL
             && now + delay <= m->queued_at + sc->mail_giveup) {
        state = "queued";
        next = now + delay;
    }
    else {
        state = "failed";
        if (outcome == LS_SMTP_TEMPFAIL) {
            reply = apr_psprintf(p, "given up after %d attempts: %s",
                                 m->attempts, reply);
        }
    }
    rv = ls_store_mail_finish(store, p, m->id, claim, state, reply, next, now,
                              &err);
    if (rv != APR_SUCCESS && rv != APR_NOTFOUND) {
        ap_log_error(
            APLOG_MARK, APLOG_ERR, rv, s,
            LS_TAG(00402) "mail %s: cannot record its outcome (%s): %s", m->id,
                   state, err ? err : "");
        return;
    }
    if (strcmp(state, "sent") == 0) {
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, s,
                     LS_TAG(00403) "%s mail %s of share %s to %s sent: %s",
                            m->kind, m->id, m->share_id, m->rcpt, reply);
    }
    else if (strcmp(state, "queued") == 0) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                     LS_TAG(00404) "%s mail %s of share %s to %s not sent "
                                   "(attempt %d), retrying in %" APR_INT64_T_FMT
                                   "s: %s",
                            m->kind, m->id, m->share_id, m->rcpt, m->attempts,
                            delay, reply);
    }
    else {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s,
                     LS_TAG(00405) "%s mail %s of share %s to %s failed: %s",
                            m->kind, m->id, m->share_id, m->rcpt, reply);
    }
}

int ls_mailer_send_due(server_rec *s, ls_store *store, apr_pool_t *p,
                       const char *claim, int max, volatile sig_atomic_t *stop)
{
    ls_server_conf *sc = ls_config_get(s);
    apr_pool_t *iter;
    int n = 0;

    if (!ls_config_mail_configured(s)) {
        return 0; /* another node, configured for mail, sends */
    }
    apr_pool_create(&iter, p);
    while (n < max && !*stop) {
        apr_int64_t now = apr_time_sec(apr_time_now());
        const char *err = NULL;
        ls_mail_t *m;
        apr_status_t rv;

        apr_pool_clear(iter);
        /* A claim older than a whole session's worth of timeouts belongs
         * to a worker that died while sending. */
        rv = ls_store_mail_claim(store, iter, claim, now,
                                 now - 6 * sc->smtp_timeout - 60, &m, &err);
        if (rv == APR_NOTFOUND) {
            break;
        }
        if (rv != APR_SUCCESS) {
            ap_log_error(APLOG_MARK, APLOG_WARNING, rv, s,
                         LS_TAG(00406) "cannot claim mail from the store: %s",
                                err ? err : "");
            break;
        }
        send_one(s, store, iter, m, claim);
        n++;
    }
    apr_pool_destroy(iter);
    return n;
}
