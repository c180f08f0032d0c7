/* ls_store_schema: the store's schema version and the migration that
 * brings a database up to it (ls_store_schema.c). Not the rows. */
/* The umbrella first, outside the guard: it defines the handle and
 * includes the store's headers in dependency order (this one too), so
 * this header compiles on its own whichever is included first. */
#include "ls_store.h"
#ifndef LS_STORE_SCHEMA_H
#define LS_STORE_SCHEMA_H

#define LS_STORE_SCHEMA_VERSION 9

/* Brings the schema up to LS_STORE_SCHEMA_VERSION; *from is the version
 * found. Safe to run concurrently from several processes or nodes. */
apr_status_t ls_store_migrate(ls_store *s, apr_pool_t *p, int *from,
                              const char **err);

/* The same, up to version target only (at most LS_STORE_SCHEMA_VERSION):
 * for tests that need a database as an older module left it. */
apr_status_t ls_store_migrate_to(ls_store *s, apr_pool_t *p, int target,
                                 int *from, const char **err);

#endif /* LS_STORE_SCHEMA_H */
