/* ls_throttle: LinkShareGuessLimit. Owns counting unknown or malformed
 * share tokens per client address across every httpd process, and the 429
 * that answers a client past the limit. It never sees a valid token: the
 * access check calls it only where its verdict is "no such link", so a
 * link keeps working for everyone however hard someone guesses at it.
 * The table itself is ls_throttle_table (pure); this is the httpd side.
 *
 * The client is r->useragent_addr (what mod_remoteip sets): an IPv4
 * address, or the /64 of an IPv6 one (one host or household, which can
 * otherwise pick a new address per request). */
#ifndef LS_THROTTLE_H
#define LS_THROTTLE_H

#include "httpd.h"

/* Parent, post_config, before anything forks: the table in anonymous
 * shared memory (~128 KB, lives as long as pconf, so counts start over at
 * a graceful restart). Logs LS00050 and returns an error status when it
 * cannot be had. */
int ls_throttle_post_config(apr_pool_t *pconf, server_rec *s);

/* Access check, before answering 404 for a missing, malformed or unknown
 * token: OK when r's client may have its 404; otherwise the 429 has been
 * answered (Retry-After, the page or {"error"} like the other public
 * refusals, LS00160 once per window per client) and this returns DONE,
 * for the hook to return. */
int ls_throttle_blocked(request_rec *r);

/* Access check: counts one missing, malformed or unknown token for r's
 * client (after ls_throttle_blocked said OK). */
void ls_throttle_miss(request_rec *r);

/* The clients whose unknown links answer 429 now (the mod_status
 * section); 0 without a table. */
int ls_throttle_blocked_clients(server_rec *s);

#endif /* LS_THROTTLE_H */
