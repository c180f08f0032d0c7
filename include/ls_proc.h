/* ls_proc: process lifecycle glue. Owns opening and migrating the store at
 * startup (parent), the per-child store connection pool and cache, and
 * the startup log line. Other units reach the store through
 * ls_proc_store(). */
#ifndef LS_PROC_H
#define LS_PROC_H

#include "httpd.h"
#include "http_config.h"

#include "ls_store.h"

#define LS_VERSION "0.1.0"

int ls_proc_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                        server_rec *s);
void ls_proc_child_init(apr_pool_t *pchild, server_rec *s);

/* This process's store, or NULL when the module is not configured. */
ls_store *ls_proc_store(void);

#endif /* LS_PROC_H */
