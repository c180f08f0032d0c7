/* Unit tests for schema version 5 (a share's name and its sealed token):
 * a database as version 4 left it, with a plain share and a mailed one,
 * comes up to version 5 keeping both; the mailed one gets its mail's
 * sealed token, the other none (no link to show again). Then names and
 * sealed tokens are written, read, changed and copied. Against SQLite,
 * and PostgreSQL when LS_TEST_PG holds a connection string. */
#include <stdlib.h>
#include <unistd.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "ls_store.h"
#include "ls_store_int.h"
#include "ls_token.h"
#include "tap.h"

typedef struct {
    const char *plain, *mailed, *sealed; /* ids, the mailed one's seal */
} v4_rows;

/* Rows as a version 4 module wrote them: its own column list. */
static apr_status_t insert_v4(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                              void *baton, const char **err)
{
    const v4_rows *v = baton;
    const char *sql = "INSERT INTO ls_share (id, token_hash, owner, created, "
                      "expires, allow_original) VALUES (%s, %s, 'v4-test', "
                      "1000, 90000, 1)";
    const char *a1[] = {
        v->plain, apr_pstrcat(p, v->plain, v->plain, v->plain, v->plain, NULL)};
    const char *a2[] = {v->mailed, apr_pstrcat(p, v->mailed, v->mailed,
                                               v->mailed, v->mailed, NULL)};
    const char *a3[] = {v->mailed, v->sealed};
    apr_status_t rv;

    rv = ls_store_exec(s, c, p, sql, 2, a1, NULL, err);
    if (rv == APR_SUCCESS) {
        rv = ls_store_exec(s, c, p, sql, 2, a2, NULL, err);
    }
    if (rv == APR_SUCCESS) {
        rv = ls_store_exec(s, c, p,
                           "INSERT INTO ls_share_mail (share_id, sealed_token, "
                           "link_base, sender) VALUES (%s, %s, "
                           "'http://x', 'v4-test')",
                           2, a3, NULL, err);
    }
    return rv;
}

static void run(apr_pool_t *p, const char *driver, const char *params)
{
    const char *err = NULL;
    ls_store *s = NULL;
    ls_share_t *got = NULL, *copy;
    char plain[LS_ID_LEN + 1], mailed[LS_ID_LEN + 1], fresh[LS_ID_LEN + 1];
    char token[LS_TOKEN_LEN + 1], hash[LS_HASH_HEX_LEN + 1];
    char sealed[LS_SEALED_LEN + 1], opened[LS_TOKEN_LEN + 1];
    unsigned char key[LS_SEAL_KEY_LEN];
    v4_rows v;
    ls_share_t sh;
    int from = -1;

    printf("# driver %s\n", driver);
    ok(ls_store_open(p, driver, params, 2, 1, &s, &err) == APR_SUCCESS,
       "%s: open (%s)", driver, err ? err : "");
    if (s == NULL) {
        return;
    }
    /* A database PostgreSQL runs may share: start from nothing. */
    if (strcmp(driver, "pgsql") == 0) {
        ls_store_update(s, p, "DROP SCHEMA public CASCADE", 0, NULL, &err);
        ls_store_update(s, p, "CREATE SCHEMA public", 0, NULL, &err);
    }
    ok(ls_store_migrate_to(s, p, 4, &from, &err) == APR_SUCCESS && from == 0,
       "%s: a new database at version 4 (%s)", driver, err ? err : "");
    memset(key, 7, sizeof(key));
    ls_token_generate(token);
    ls_token_seal(key, token, sealed);
    ls_id_generate(plain);
    ls_id_generate(mailed);
    v.plain = plain;
    v.mailed = mailed;
    v.sealed = sealed;
    ok(ls_store_tx(s, p, "v4 rows", insert_v4, &v, &err) == APR_SUCCESS,
       "%s: shares as version 4 wrote them (%s)", driver, err ? err : "");
    ok(ls_store_migrate(s, p, &from, &err) == APR_SUCCESS && from == 4,
       "%s: migrated from version %d (%s)", driver, from, err ? err : "");
    ok(ls_store_migrate(s, p, &from, &err) == APR_SUCCESS
           && from == LS_STORE_SCHEMA_VERSION && from == 9,
       "%s: now at version %d", driver, from);
    ok(ls_store_share_get(s, p, plain, &got, &err) == APR_SUCCESS
           && got->name == NULL && got->sealed_token == NULL
           && got->expires == 90000,
       "%s: a plain older share: kept, no name, no sealed token", driver);
    ok(ls_store_share_get(s, p, mailed, &got, &err) == APR_SUCCESS
           && got->name == NULL && got->sealed_token
           && strcmp(got->sealed_token, sealed) == 0,
       "%s: a mailed older share has its mail's sealed token", driver);
    ok(got && ls_token_unseal(key, got->sealed_token, opened) == APR_SUCCESS
           && strcmp(opened, token) == 0,
       "%s: ... which opens to its link's token", driver);

    memset(&sh, 0, sizeof(sh));
    ls_id_generate(fresh);
    ls_token_generate(token);
    ls_token_hash(token, hash);
    ls_token_seal(key, token, sealed);
    sh.id = fresh;
    sh.owner = "v5-test";
    sh.created = 2000;
    sh.expires = 92000;
    sh.name = "Q3 \xe2\x80\x94 \"final\" <report>";
    sh.sealed_token = sealed;
    sh.items = apr_array_make(p, 0, sizeof(ls_item_t));
    sh.recipients = apr_array_make(p, 0, sizeof(ls_recipient_t));
    ok(ls_store_share_insert(s, p, &sh, hash, &err) == APR_SUCCESS,
       "%s: a share with a name and a sealed token (%s)", driver,
       err ? err : "");
    ok(ls_store_share_by_hash(s, p, hash, &got, &err) == APR_SUCCESS
           && got->name && strcmp(got->name, sh.name) == 0 && got->sealed_token
           && strcmp(got->sealed_token, sealed) == 0,
       "%s: read back as written", driver);
    copy = got ? ls_share_copy(p, got) : NULL;
    ok(copy && copy->name != got->name && strcmp(copy->name, sh.name) == 0
           && copy->sealed_token != got->sealed_token
           && strcmp(copy->sealed_token, sealed) == 0,
       "%s: the cache's deep copy has both", driver);
    ok(ls_store_share_set_name(s, p, fresh, "renamed", &err) == APR_SUCCESS
           && ls_store_share_get(s, p, fresh, &got, &err) == APR_SUCCESS
           && strcmp(got->name, "renamed") == 0,
       "%s: renamed", driver);
    ok(ls_store_share_set_name(s, p, fresh, NULL, &err) == APR_SUCCESS
           && ls_store_share_get(s, p, fresh, &got, &err) == APR_SUCCESS
           && got->name == NULL,
       "%s: the name removed", driver);
    ok(ls_store_share_set_name(s, p, "ffffffffffffffff", "x", &err)
           == APR_NOTFOUND,
       "%s: naming an unknown share is NOTFOUND", driver);
}

int main(void)
{
    apr_pool_t *p;
    char dir[] = "/tmp/ls_store_v5_XXXXXX";
    const char *pg = getenv("LS_TEST_PG");

    apr_initialize();
    apr_pool_create(&p, NULL);
    ok(mkdtemp(dir) != NULL, "temp dir");
    run(p, "sqlite3", apr_pstrcat(p, dir, "/ls.db", NULL));
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
