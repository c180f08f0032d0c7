/* mod_linkshare: share files from a directory of assets as expiring
 * anonymous links. This file is wiring only: the module record and hook
 * registration; each hook is a call into a unit under src/ (see
 * docs/INTERNALS.md for the flow). */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "mod_status.h"

#include "ls_access.h"
#include "ls_activity_log.h"
#include "ls_api.h"
#include "ls_authz.h"
#include "ls_config.h"
#include "ls_counter.h"
#include "ls_html.h"
#include "ls_page.h"
#include "ls_receipt.h"
#include "ls_proc.h"
#include "ls_sharer.h"
#include "ls_status.h"
#include "ls_throttle.h"
#include "ls_token.h"
#include "ls_trace.h"

static int ls_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                          apr_pool_t *ptemp, server_rec *s)
{
    ls_html_init(pconf, s);
    ls_sharer_init(pconf);
    /* Shared memory before ls_proc forks the workers (children inherit). */
    if (ls_throttle_post_config(pconf, s) != OK) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    return ls_proc_post_config(pconf, plog, ptemp, s);
}

static void ls_child_init(apr_pool_t *pchild, server_rec *s)
{
    ls_token_init();
    ls_proc_child_init(pchild, s);
    ls_authz_child_init(pchild, ls_config_get(s)->cache_ttl);
    ls_counter_child_init(pchild, ls_proc_store());
    ls_activity_child_init(pchild, s);
}

static void ls_register_hooks(apr_pool_t *p)
{
    (void)p;
    ap_hook_post_config(ls_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(ls_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    /* Before the scoreboard or any module copies the request line. */
    ap_hook_post_read_request(ls_access_post_read, NULL, NULL,
                              APR_HOOK_REALLY_FIRST);
    /* Access phase, after old-style Allow/Deny (access_checker) and before
     * Require (mod_authz_core's access_checker_ex): it declines a good
     * token, so Require still decides. */
    ap_hook_check_access(ls_access_check, NULL, NULL, APR_HOOK_LAST,
                         AP_AUTH_INTERNAL_PER_CONF);
    /* First: our permission subrequests run as the share's owner. */
    ap_hook_check_user_id(ls_authz_check_user, NULL, NULL,
                          APR_HOOK_REALLY_FIRST);
    /* TRACE: before map_to_storage, where httpd would echo it; first, so
     * no other translator ends the phase before we look. */
    ap_hook_translate_name(ls_trace_refuse, NULL, NULL, APR_HOOK_REALLY_FIRST);
    /* The public pages are not files: no directory walk (ls_access.h). */
    ap_hook_translate_name(ls_access_translate, NULL, NULL,
                           APR_HOOK_REALLY_FIRST);
    ap_hook_map_to_storage(ls_access_map_to_storage, NULL, NULL,
                           APR_HOOK_FIRST);
    ap_hook_handler(ls_page_handler, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(ls_api_handler, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(ls_sharer_handler, NULL, NULL, APR_HOOK_MIDDLE);
    /* Before mod_log_config (MIDDLE) writes the access log: requests the
     * access check never saw. */
    ap_hook_log_transaction(ls_access_redact, NULL, NULL,
                            APR_HOOK_REALLY_FIRST);
    ap_hook_log_transaction(ls_page_log, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(ls_receipt_log, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(ls_activity_log, NULL, NULL, APR_HOOK_MIDDLE);
    /* Optional: a no-op unless mod_status is loaded. */
    APR_OPTIONAL_HOOK(ap, status_hook, ls_status_hook, NULL, NULL,
                      APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(linkshare) = {
    STANDARD20_MODULE_STUFF,
    NULL,                    /* per-directory config: SetHandler suffices */
    NULL,                    /* merge per-directory */
    ls_config_create_server, /* per-server config */
    ls_config_merge_server,  /* merge per-server */
    ls_config_cmds,          /* LinkShare* directives */
    ls_register_hooks,
    AP_MODULE_FLAG_NONE};
