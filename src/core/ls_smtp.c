/* ls_smtp: one message over SMTP with libesmtp (see ls_smtp.h). */
#include <stdarg.h>
#include <stddef.h> /* libesmtp.h needs size_t first */
#include <string.h>

/* auth-client.h and openssl/ssl.h first: libesmtp.h declares
 * smtp_auth_set_context and smtp_starttls_set_ctx only after them. */
#include <openssl/ssl.h>

#include <auth-client.h>

#include <libesmtp.h>

#include <apr_strings.h>

#include "ls_smtp.h"

/* libesmtp's own TLS context trusts only ~/.authenticate/ca.pem: ours
 * trusts the system's CAs (OpenSSL's default paths, so SSL_CERT_FILE and
 * SSL_CERT_DIR work too); libesmtp checks the chain and that the
 * certificate names the server. One per process, made on first use. */
static SSL_CTX *tls_ctx(void)
{
    static SSL_CTX *ctx;

    if (ctx == NULL && (ctx = SSL_CTX_new(TLS_client_method())) != NULL) {
        SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
        /* At most TLS 1.2: libesmtp 1.1 polls the socket before each read,
         * and TLS 1.3 session tickets arriving with the EHLO reply leave
         * that reply inside OpenSSL's buffer while the socket is empty;
         * about one session in ten then hung until LinkShareSMTPTimeout
         * (measured against t/lib/smtp_sink.py). */
        SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
        SSL_CTX_set_default_verify_paths(ctx);
        /* SSL_VERIFY_NONE: the handshake completes and libesmtp reads
         * the verification result, raising SMTP_EV_INVALID_PEER_CERTIFICATE
         * (refused in on_event) instead of a bare handshake failure; the
         * untrusted-certificate test in t/090_mail.t holds it to that. */
        SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    }
    return ctx;
}

typedef struct {
    const ls_smtp_conf_t *conf;
    const char *tls_problem; /* why TLS was refused, NULL if it was not */
    int no_starttls;         /* required but not offered */
} ls_smtp_state;

static void on_event(smtp_session_t session, int event, void *arg, ...)
{
    ls_smtp_state *st = arg;
    va_list ap;
    int *ok;

    (void)session;
    va_start(ap, arg);
    switch (event) {
    case SMTP_EV_EXTNA_STARTTLS:
        st->no_starttls = 1;
        break;
    case SMTP_EV_WEAK_CIPHER:
        (void)va_arg(ap, long);
        ok = va_arg(ap, int *);
        *ok = 0;
        st->tls_problem = "the server offered only a weak cipher";
        break;
    case SMTP_EV_INVALID_PEER_CERTIFICATE:
        (void)va_arg(ap, long);
        ok = va_arg(ap, int *);
        *ok = 0;
        st->tls_problem = "the server's certificate did not verify";
        break;
    case SMTP_EV_NO_PEER_CERTIFICATE:
    case SMTP_EV_WRONG_PEER_CERTIFICATE:
        ok = va_arg(ap, int *);
        *ok = 0;
        st->tls_problem = "the server's certificate is missing or names "
                          "another host";
        break;
    case SMTP_EV_UNUSABLE_CLIENT_CERTIFICATE:
        st->tls_problem = "libesmtp cannot read $HOME/.authenticate (its "
                          "client certificate store)";
        break;
    case SMTP_EV_NO_CLIENT_CERTIFICATE:
        ok = va_arg(ap, int *);
        *ok = 1; /* we authenticate with AUTH, if at all */
        break;
    default:
        break;
    }
    va_end(ap);
}

/* libesmtp asks for the AUTH fields it needs; we know user and password. */
static int on_auth(auth_client_request_t req, char **result, int fields,
                   void *arg)
{
    const ls_smtp_conf_t *conf = arg;
    int i;

    for (i = 0; i < fields; i++) {
        if (req[i].flags & AUTH_USER) {
            result[i] = (char *)conf->user;
        }
        else if (req[i].flags & AUTH_PASS) {
            result[i] = (char *)conf->password;
        }
        else {
            return 0;
        }
    }
    return 1;
}

static const char *status_text(apr_pool_t *p, const smtp_status_t *st)
{
    char *t = apr_psprintf(p, "%d %s", st->code, st->text ? st->text : "");
    apr_size_t n = strlen(t);

    /* The server's line ends are not ours to keep. */
    while (n && (t[n - 1] == '\n' || t[n - 1] == '\r' || t[n - 1] == ' ')) {
        t[--n] = '\0';
    }
    for (; *t && n; n--) {
        if (t[n - 1] == '\r' || t[n - 1] == '\n') {
            t[n - 1] = ' ';
        }
    }
    return t;
}

static void classify(apr_pool_t *p, const smtp_status_t *st,
                     ls_smtp_outcome_t *outcome, const char **reply)
{
    *reply = status_text(p, st);
    *outcome = st->code >= 200 && st->code < 300 ? LS_SMTP_SENT
               : st->code >= 500                 ? LS_SMTP_PERMFAIL
                                                 : LS_SMTP_TEMPFAIL;
}

void ls_smtp_send(apr_pool_t *p, const ls_smtp_conf_t *conf, const char *from,
                  const char *rcpt, const char *message,
                  ls_smtp_outcome_t *outcome, const char **reply)
{
    static int auth_ready;
    smtp_session_t session;
    smtp_message_t msg;
    smtp_recipient_t r;
    auth_context_t auth = NULL;
    ls_smtp_state st;
    const smtp_status_t *s;
    long ms = (long)conf->timeout * 1000;
    char buf[128];

    memset(&st, 0, sizeof(st));
    st.conf = conf;
    *outcome = LS_SMTP_TEMPFAIL;
    session = smtp_create_session();
    if (session == NULL) {
        *reply = "libesmtp could not create a session (out of memory)";
        return;
    }
    smtp_set_server(session, conf->server);
    smtp_set_eventcb(session, on_event, &st);
    /* Below RFC 5321's minutes-long minimums on purpose: a worker must
     * get back to packaging. */
    smtp_set_timeout(session,
                     Timeout_GREETING | Timeout_OVERRIDE_RFC2822_MINIMUM, ms);
    smtp_set_timeout(session,
                     Timeout_ENVELOPE | Timeout_OVERRIDE_RFC2822_MINIMUM, ms);
    smtp_set_timeout(session, Timeout_DATA | Timeout_OVERRIDE_RFC2822_MINIMUM,
                     ms);
    smtp_set_timeout(session,
                     Timeout_TRANSFER | Timeout_OVERRIDE_RFC2822_MINIMUM, ms);
    smtp_set_timeout(session, Timeout_DATA2 | Timeout_OVERRIDE_RFC2822_MINIMUM,
                     ms);
    if (conf->starttls && tls_ctx()) {
        smtp_starttls_set_ctx(session, tls_ctx());
    }
    smtp_starttls_enable(session, conf->starttls == 2   ? Starttls_REQUIRED
                                  : conf->starttls == 1 ? Starttls_ENABLED
                                                        : Starttls_DISABLED);
    if (conf->user) {
        if (!auth_ready) {
            auth_client_init();
            auth_ready = 1;
        }
        auth = auth_create_context();
        auth_set_mechanism_flags(auth, AUTH_PLUGIN_PLAIN, 0);
        auth_set_interact_cb(auth, on_auth, (void *)conf);
        smtp_auth_set_context(session, auth);
    }
    msg = smtp_add_message(session);
    smtp_set_reverse_path(msg, from);
    smtp_set_message_str(msg, (void *)message);
    r = smtp_add_recipient(msg, rcpt);

    if (!smtp_start_session(session)) {
        int e = smtp_errno();
        *reply = apr_psprintf(p, "no SMTP session with %s: %s", conf->server,
                              smtp_strerror(e, buf, sizeof(buf)));
    }
    else if (st.no_starttls) {
        /* libesmtp quit before MAIL FROM: nothing went out in clear. */
        *outcome = LS_SMTP_PERMFAIL;
        *reply = apr_psprintf(p,
                              "%s does not offer STARTTLS and "
                              "LinkShareSMTPStartTLS is required; nothing was "
                              "sent",
                              conf->server);
    }
    else if (st.tls_problem) {
        *reply = apr_psprintf(p, "TLS with %s refused: %s; nothing was sent",
                              conf->server, st.tls_problem);
    }
    else if ((s = smtp_reverse_path_status(msg)) && s->code >= 400) {
        classify(p, s, outcome, reply);
    }
    else if ((s = smtp_recipient_status(r)) && s->code >= 400) {
        classify(p, s, outcome, reply);
    }
    else if ((s = smtp_message_transfer_status(msg)) && s->code) {
        classify(p, s, outcome, reply);
    }
    else {
        *reply = apr_psprintf(p,
                              "the SMTP session with %s ended before the "
                              "message was sent",
                              conf->server);
    }
    smtp_destroy_session(session);
    if (auth) {
        auth_destroy_context(auth);
    }
}
