/* Unit tests for ls_store against SQLite, and against PostgreSQL when
 * LS_TEST_PG holds a connection string (scripts/pg.sh sets it). */
#include <stdlib.h>
#include <unistd.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "ls_store.h"
#include "ls_token.h"
#include "tap.h"

static ls_share_t *make_share(apr_pool_t *p, const char *owner,
                              apr_int64_t created)
{
    ls_share_t *sh = apr_pcalloc(p, sizeof(*sh));
    char *id = apr_palloc(p, LS_ID_LEN + 1);
    ls_item_t *it;

    ls_id_generate(id);
    sh->id = id;
    sh->owner = owner;
    sh->created = created;
    sh->expires = created + 86400;
    sh->allow_original = 1;
    sh->subject = "caf\xc3\xa9 'quoted'";
    sh->items = apr_array_make(p, 2, sizeof(ls_item_t));
    sh->recipients = apr_array_make(p, 0, sizeof(ls_recipient_t));
    it = apr_array_push(sh->items);
    it->path = "photos/2026/cat.jpg";
    it->kind = "file";
    it = apr_array_push(sh->items);
    it->path = "press kit";
    it->kind = "folder";
    return sh;
}

static void run(apr_pool_t *p, const char *driver, const char *params)
{
    ls_store *s = NULL;
    const char *err = NULL;
    char token[LS_TOKEN_LEN + 1], hash[LS_HASH_HEX_LEN + 1];
    ls_share_t *a, *b, *got = NULL;
    apr_array_header_t *list;
    ls_collection_t co, *cgot = NULL;
    int from = -1;

    /* Owners unique to this run: a PostgreSQL database may be reused. */
    char suffix[LS_ID_LEN + 1];
    const char *alice, *bob;

    ls_id_generate(suffix);
    alice = apr_pstrcat(p, "alice-", suffix, NULL);
    bob = apr_pstrcat(p, "bob-", suffix, NULL);
    printf("# driver %s\n", driver);
    ok(ls_store_open(p, driver, params, 4, 1, &s, &err) == APR_SUCCESS,
       "%s: open (%s)", driver, err ? err : "");
    if (s == NULL) {
        return;
    }
    ok(ls_store_migrate(s, p, &from, &err) == APR_SUCCESS,
       "%s: migrate from %d (%s)", driver, from, err ? err : "");
    ok(ls_store_migrate(s, p, &from, &err) == APR_SUCCESS
           && from == LS_STORE_SCHEMA_VERSION,
       "%s: second migrate is a no-op at version %d", driver, from);

    a = make_share(p, alice, 1000);
    b = make_share(p, bob, 2000);
    ls_token_generate(token);
    ls_token_hash(token, hash);
    ok(ls_store_share_insert(s, p, a, hash, &err) == APR_SUCCESS,
       "%s: insert share (%s)", driver, err ? err : "");
    ok(ls_store_share_insert(s, p, a, hash, &err) != APR_SUCCESS,
       "%s: duplicate id refused", driver);
    ls_token_generate(token);
    {
        char h2[LS_HASH_HEX_LEN + 1];
        ls_token_hash(token, h2);
        ok(ls_store_share_insert(s, p, b, h2, &err) == APR_SUCCESS,
           "%s: second share", driver);
    }
    ok(ls_store_share_by_hash(s, p, hash, &got, &err) == APR_SUCCESS,
       "%s: found by hash", driver);
    if (got) {
        is_str(got->id, a->id, "%s: same id", driver);
        is_str(got->owner, alice, "%s: owner", driver);
        ok(got->expires == 1000 + 86400, "%s: expires", driver);
        ok(got->revoked == 0 && got->allow_original == 1,
           "%s: active, originals allowed", driver);
        is_str(got->subject, "caf\xc3\xa9 'quoted'", "%s: UTF-8 subject",
               driver);
        ok(got->message == NULL && got->collection_id == NULL,
           "%s: NULL columns stay NULL", driver);
        ok(got->items->nelts == 2, "%s: two items", driver);
        is_str(APR_ARRAY_IDX(got->items, 1, ls_item_t).path, "press kit",
               "%s: item order kept", driver);
    }
    ok(ls_store_share_by_hash(s, p, "00", &got, &err) == APR_NOTFOUND,
       "%s: unknown hash is NOTFOUND", driver);
    ok(ls_store_share_list(s, p, alice, &list, &err) == APR_SUCCESS
           && list->nelts == 1,
       "%s: alice has one share", driver);
    ok(ls_store_share_list(s, p, NULL, &list, &err) == APR_SUCCESS
           && list->nelts >= 2,
       "%s: all shares listed", driver);
    if (list->nelts >= 2) {
        is_str(APR_ARRAY_IDX(list, 0, ls_share_t *)->id, b->id,
               "%s: newest first", driver);
    }
    ok(ls_store_share_set_expiry(s, p, a->id, 5000, &err) == APR_SUCCESS,
       "%s: expiry changed", driver);
    ok(ls_store_share_set_expiry(s, p, "ffffffffffffffff", 5000, &err)
           == APR_NOTFOUND,
       "%s: expiry of unknown id is NOTFOUND", driver);
    ok(ls_store_share_add_downloads(s, p, a->id, 3, &err) == APR_SUCCESS,
       "%s: downloads counted", driver);
    ok(ls_store_share_revoke(s, p, a->id, 4000, &err) == APR_SUCCESS,
       "%s: revoked", driver);
    ok(ls_store_share_revoke(s, p, a->id, 4001, &err) == APR_NOTFOUND,
       "%s: revoking twice is NOTFOUND", driver);
    ok(ls_store_share_get(s, p, a->id, &got, &err) == APR_SUCCESS
           && got->revoked == 4000 && got->expires == 5000
           && got->downloads == 3,
       "%s: get shows revoked, new expiry, downloads", driver);

    co.owner = alice;
    co.name = "Press \xe2\x80\x94 2026";
    co.created = 3000;
    co.paths = apr_array_make(p, 2, sizeof(const char *));
    APR_ARRAY_PUSH(co.paths, const char *) = "a.txt";
    APR_ARRAY_PUSH(co.paths, const char *) = "b/c.txt";
    {
        char *id = apr_palloc(p, LS_ID_LEN + 1);
        ls_id_generate(id);
        co.id = id;
    }
    ok(ls_store_collection_insert(s, p, &co, &err) == APR_SUCCESS,
       "%s: collection inserted (%s)", driver, err ? err : "");
    ok(ls_store_collection_get(s, p, co.id, &cgot, &err) == APR_SUCCESS
           && cgot->paths->nelts == 2,
       "%s: collection read back", driver);
    ok(ls_store_collection_list(s, p, alice, &list, &err) == APR_SUCCESS
           && list->nelts == 1,
       "%s: alice has one collection", driver);
    ok(ls_store_collection_delete(s, p, co.id, &err) == APR_SUCCESS,
       "%s: collection deleted", driver);
    ok(ls_store_collection_get(s, p, co.id, &cgot, &err) == APR_NOTFOUND,
       "%s: deleted collection is gone", driver);
    ok(ls_store_collection_delete(s, p, co.id, &err) == APR_NOTFOUND,
       "%s: deleting twice is NOTFOUND", driver);
}

int main(void)
{
    apr_pool_t *p;
    char dir[] = "/tmp/ls_store_XXXXXX";
    const char *pg = getenv("LS_TEST_PG");
    ls_store *s;
    const char *err = NULL;

    apr_initialize();
    apr_pool_create(&p, NULL);
    ok(mkdtemp(dir) != NULL, "temp dir");
    run(p, "sqlite3", apr_pstrcat(p, dir, "/ls.db", NULL));

    ok(ls_store_open(p, "sqlite3", "/nonexistent/dir/ls.db", 1, 1, &s, &err)
               != APR_SUCCESS
           && err != NULL,
       "unopenable SQLite file fails with a message (%s)", err);
    ok(ls_store_open(p, "nosuchdriver", "", 1, 1, &s, &err) != APR_SUCCESS
           && strstr(err, "nosuchdriver"),
       "unknown driver fails naming it");
    if (pg && *pg) {
        run(p, "pgsql", pg);
    }
    else {
        printf("# LS_TEST_PG not set: PostgreSQL part skipped\n");
    }
    {
        const char *sfx[] = {"/ls.db", "/ls.db-wal", "/ls.db-shm"};
        int i;
        for (i = 0; i < 3; i++) {
            unlink(apr_pstrcat(p, dir, sfx[i], NULL));
        }
        rmdir(dir);
    }
    apr_pool_destroy(p);
    apr_terminate();
    done_testing();
}
