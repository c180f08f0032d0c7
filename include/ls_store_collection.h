/* ls_store_collection: collections in the store, a named list of an
 * owner's paths (ls_store_collection.c). Not the shares made from them. */
/* The umbrella first, outside the guard: it defines the handle and
 * includes the store's headers in dependency order (this one too), so
 * this header compiles on its own whichever is included first. */
#include "ls_store.h"
#ifndef LS_STORE_COLLECTION_H
#define LS_STORE_COLLECTION_H

typedef struct {
    const char *id;
    const char *owner;
    const char *name;
    apr_int64_t created;
    apr_array_header_t *paths; /* const char * */
} ls_collection_t;


apr_status_t ls_store_collection_insert(ls_store *s, apr_pool_t *p,
                                        const ls_collection_t *c,
                                        const char **err);
apr_status_t ls_store_collection_get(ls_store *s, apr_pool_t *p, const char *id,
                                     ls_collection_t **out, const char **err);
apr_status_t ls_store_collection_list(ls_store *s, apr_pool_t *p,
                                      const char *owner,
                                      apr_array_header_t **out,
                                      const char **err);
apr_status_t ls_store_collection_delete(ls_store *s, apr_pool_t *p,
                                        const char *id, const char **err);

#endif /* LS_STORE_COLLECTION_H */
