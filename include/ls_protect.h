/* ls_protect: protected links, the httpd side. Owns the password lock of
 * the public URLs (the unlock cookie's key, checking it, the password
 * form, op=unlock with its throttle and its bound on concurrent checks)
 * and the download limit (the 410 of an exhausted link, taking one
 * download from the store before a file or part is sent, giving it back
 * when the download did not complete). The KDF and the cookie's format
 * are ls_password (core); the token, expiry and revocation checks stay in
 * ls_access, which calls in here right after them. */
#ifndef LS_PROTECT_H
#define LS_PROTECT_H

#include "httpd.h"

#include "ls_access.h"

/* At most this many password checks (32 MiB, ~0.1 s each) run at once
 * in one process; more answer 503 with Retry-After: 1. */
#define LS_PROTECT_CHECKS_MAX 2

/* post_config (parent, before any fork): the unlock cookies' key, derived
 * from the sealing key (LinkShareStateDir/mail.key, so every node of a
 * site accepts the others' cookies), or, without that key, a random one
 * for this run (LS00065: unlocks then end at a restart). */
void ls_protect_post_config(server_rec *s);

/* Access check, after the token, revocation and expiry checks passed:
 * DECLINED when the request may go on; otherwise the answer (410 limit
 * reached, 401 password form, 303 after op=unlock, 429, 503) has been
 * written and this returns DONE. */
int ls_protect_check(request_rec *r, ls_req_t *req);

/* Before a download (op=file, op=part) is sent, for a share with a
 * limit: takes one download in the store (marking r so ls_protect_log
 * gives it back if the download does not complete). OK, or DONE after
 * answering 410 (the limit was reached meanwhile), or 503. */
int ls_protect_take_download(request_rec *r);

/* Log hook: non-zero when r took a download (ls_protect_take_download);
 * gives it back when the download was not complete. */
int ls_protect_log(request_rec *r, int complete);

#endif /* LS_PROTECT_H */
