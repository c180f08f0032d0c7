/* ls_mailer: share mail, glue side. Owns the sealing key (loaded or made
 * at startup), sealing a new share's token for its mail, sending due
 * mail from the worker processes (ls_mail composes, ls_smtp sends,
 * ls_store_mail records) with retries and give-up. A request never talks
 * SMTP (ls_receipt queues a receipt; the workers send it). */
#ifndef LS_MAILER_H
#define LS_MAILER_H

#include <signal.h>

#include "httpd.h"

#include "ls_store.h"
#include "ls_token.h"

/* post_config (parent): reads the sealing key LinkShareStateDir/mail.key,
 * creating it (0600) the first time. It seals every new share's token
 * (Shared Links shows an active link again) and the mail's. OK, or, when
 * mail is configured and the key cannot be had, HTTP_INTERNAL_SERVER_ERROR
 * after logging why; without mail a missing key is a warning (LS00520):
 * new links are then shown only once. */
int ls_mailer_post_config(apr_pool_t *pconf, apr_pool_t *ptemp, server_rec *s);

/* Seals token for the store into out (LS_SEALED_LEN + 1 bytes).
 * APR_ENOTIMPL when there is no key. */
apr_status_t ls_mailer_seal(const char *token, char *out);

/* Opens a sealed token into token (LS_TOKEN_LEN + 1 bytes; cleanse it
 * after use). APR_ENOTIMPL without a key, APR_EINVAL when it was sealed
 * under another key. */
apr_status_t ls_mailer_unseal(const char *sealed, char *token);

/* A key for another purpose derived from the sealing key:
 * HMAC-SHA256(sealing key, label) into out (32 bytes). APR_ENOTIMPL when
 * there is no sealing key. Call after ls_mailer_post_config. */
apr_status_t ls_mailer_derive_key(const char *label, unsigned char *out);

/* Worker, after dropping privileges: libesmtp looks for TLS client
 * certificates under $HOME/.authenticate, and an unreadable HOME (root's,
 * inherited) fails every STARTTLS session; HOME becomes
 * LinkShareStateDir in the worker processes. */
void ls_mailer_worker_init(server_rec *s);

/* Worker: sends the mail that is due, at most max messages (so packaging
 * waits at most max SMTP sessions), stopping early when *stop becomes
 * set. Returns the number of messages handled. */
int ls_mailer_send_due(server_rec *s, ls_store *store, apr_pool_t *p,
                       const char *claim, int max, volatile sig_atomic_t *stop);

#endif /* LS_MAILER_H */
