/* ls_store_collection: collections in the store (see
 * ls_store_collection.h), a named list of an owner's paths to share again
 * later: insert, get, list, delete. Not the shares made from them
 * (ls_store_share.c). */
#include <apr_strings.h>

#include "ls_store_collection.h"
#include "ls_store_int.h"

static void row_collection(ls_store *s, apr_pool_t *p, apr_dbd_row_t *row,
                           void *baton)
{
    ls_collection_t *co = apr_pcalloc(p, sizeof(*co));
    co->id = ls_store_col_dup(s, p, row, 0);
    co->owner = ls_store_col_dup(s, p, row, 1);
    co->name = ls_store_col_dup(s, p, row, 2);
    co->created = ls_store_col_int(s, row, 3);
    co->paths = apr_array_make(p, 4, sizeof(const char *));
    APR_ARRAY_PUSH((apr_array_header_t *)baton, ls_collection_t *) = co;
}

static void row_path(ls_store *s, apr_pool_t *p, apr_dbd_row_t *row,
                     void *baton)
{
    APR_ARRAY_PUSH((apr_array_header_t *)baton,
                   const char *) = ls_store_col_dup(s, p, row, 0);
}

typedef struct {
    const char *sql;
    const char *key;         /* its one argument, or NULL for none */
    apr_array_header_t *out; /* ls_collection_t * */
} collections_q;

/* The collections and their paths, on one connection. */
static apr_status_t collections_read(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                                     void *baton, const char **err)
{
    collections_q *q = baton;
    const char *args[] = {q->key};
    apr_status_t rv;
    int i;

    rv = ls_store_select(s, c, p, q->sql, q->key ? 1 : 0, args, row_collection,
                         q->out, NULL, err);
    for (i = 0; rv == APR_SUCCESS && i < q->out->nelts; i++) {
        ls_collection_t *co = APR_ARRAY_IDX(q->out, i, ls_collection_t *);
        const char *a[] = {co->id};
        rv = ls_store_select(s, c, p,
                             "SELECT path FROM ls_collection_item WHERE "
                             "collection_id = %s ORDER BY pos",
                             1, a, row_path, co->paths, NULL, err);
    }
    return rv;
}

static apr_status_t collections_query(ls_store *s, apr_pool_t *p,
                                      const char *sql, const char *key,
                                      apr_array_header_t **out,
                                      const char **err)
{
    collections_q q = {sql, key,
                       apr_array_make(p, 4, sizeof(ls_collection_t *))};

    *out = q.out;
    return ls_store_run(s, p, collections_read, &q, err);
}

apr_status_t ls_store_collection_get(ls_store *s, apr_pool_t *p, const char *id,
                                     ls_collection_t **out, const char **err)
{
    apr_array_header_t *rows;
    apr_status_t rv = collections_query(
        s, p,
        "SELECT id, owner, name, created FROM ls_collection WHERE "
        "id = %s",
        id, &rows, err);

    if (rv == APR_SUCCESS && rows->nelts == 0) {
        return APR_NOTFOUND;
    }
    if (rv == APR_SUCCESS) {
        *out = APR_ARRAY_IDX(rows, 0, ls_collection_t *);
    }
    return rv;
}

apr_status_t ls_store_collection_list(ls_store *s, apr_pool_t *p,
                                      const char *owner,
                                      apr_array_header_t **out,
                                      const char **err)
{
    return collections_query(
        s, p,
        owner ? "SELECT id, owner, name, created FROM ls_collection "
                "WHERE owner = %s ORDER BY created DESC, id"
              : "SELECT id, owner, name, created FROM ls_collection "
                "ORDER BY created DESC, id",
        owner, out, err);
}

static apr_status_t collection_insert(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                                      void *baton, const char **err)
{
    const ls_collection_t *co = baton;
    apr_status_t rv;
    int i;

    {
        const char *args[] = {co->id, co->owner, co->name,
                              ls_store_i64(p, co->created)};
        rv = ls_store_exec(
            s, c, p,
            "INSERT INTO ls_collection (id, owner, name, created) "
            "VALUES (%s, %s, %s, %s)",
            4, args, NULL, err);
    }
    for (i = 0; rv == APR_SUCCESS && i < co->paths->nelts; i++) {
        const char *args[] = {co->id, ls_store_i64(p, i),
                              APR_ARRAY_IDX(co->paths, i, const char *)};
        rv = ls_store_exec(
            s, c, p,
            "INSERT INTO ls_collection_item (collection_id, pos, "
            "path) VALUES (%s, %s, %s)",
            3, args, NULL, err);
    }
    return rv;
}

apr_status_t ls_store_collection_insert(ls_store *s, apr_pool_t *p,
                                        const ls_collection_t *co,
                                        const char **err)
{
    /* The baton is only read. */
    return ls_store_tx(s, p, "cannot commit the new collection",
                       collection_insert, (void *)co, err);
}

/* baton: the id; APR_NOTFOUND when no collection had it. */
static apr_status_t collection_delete(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                                      void *baton, const char **err)
{
    const char *args[] = {baton};
    apr_status_t rv;
    int n = 0;

    /* Items first: SQLite only cascades with foreign_keys on, and the
     * explicit delete keeps both drivers alike. */
    rv = ls_store_exec(
        s, c, p, "DELETE FROM ls_collection_item WHERE collection_id = %s", 1,
        args, NULL, err);
    if (rv == APR_SUCCESS) {
        rv = ls_store_exec(s, c, p, "DELETE FROM ls_collection WHERE id = %s",
                           1, args, &n, err);
    }
    return rv == APR_SUCCESS && n == 0 ? APR_NOTFOUND : rv;
}

apr_status_t ls_store_collection_delete(ls_store *s, apr_pool_t *p,
                                        const char *id, const char **err)
{
    /* The id is only read. */
    return ls_store_run(s, p, collection_delete, (void *)id, err);
}
