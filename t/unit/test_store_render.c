/* Unit tests for ls_store_render (the queue of rendition work) and the
 * migration that adds it, against SQLite, and against PostgreSQL when
 * LS_TEST_PG holds a connection string (scripts/unit-tests.sh sets it). */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "ls_rcache.h"
#include "ls_store.h"
#include "ls_store_int.h"
#include "ls_token.h"
#include "tap.h"

#define WORKERS 4
#define ROWS    40

static apr_status_t downgrade(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                              void *baton, const char **err)
{
    apr_status_t rv;
    static const char *const later[] = {
        "DROP TABLE ls_activity",
        "ALTER TABLE ls_share DROP COLUMN password_hash",
        "ALTER TABLE ls_share DROP COLUMN password_gen",
        "ALTER TABLE ls_share DROP COLUMN max_downloads", NULL};
    int i;

    static const char *const triggers[] = {
        "DROP TRIGGER ls_share_changed ON ls_share",
        "DROP TRIGGER ls_share_deleted ON ls_share",
        "DROP TRIGGER ls_job_queued ON ls_job",
        "DROP TRIGGER ls_mail_queued ON ls_mail", NULL};

    /* Version 8's triggers first (PostgreSQL only): they name columns. */
    rv = APR_SUCCESS;
    for (i = 0; rv == APR_SUCCESS && strcmp(baton, "pgsql") == 0 && triggers[i];
         i++) {
        rv = ls_store_exec(s, c, p, triggers[i], 0, NULL, NULL, err);
    }
    if (rv == APR_SUCCESS) {
        rv = ls_store_exec(s, c, p, "DROP TABLE ls_render", 0, NULL, NULL, err);
    }
    /* Version 5's, 6's and 7's columns and tables too, so that the way up
     * runs as it did. */
    for (i = 0; rv == APR_SUCCESS && later[i]; i++) {
        rv = ls_store_exec(s, c, p, later[i], 0, NULL, NULL, err);
    }
    if (rv == APR_SUCCESS) {
        rv = ls_store_exec(s, c, p, "ALTER TABLE ls_job DROP COLUMN label", 0,
                           NULL, NULL, err);
    }
    if (rv == APR_SUCCESS) {
        rv = ls_store_exec(s, c, p, "ALTER TABLE ls_share DROP COLUMN name", 0,
                           NULL, NULL, err);
    }
    if (rv == APR_SUCCESS) {
        rv = ls_store_exec(s, c, p,
                           "ALTER TABLE ls_share DROP COLUMN sealed_token", 0,
                           NULL, NULL, err);
    }
    if (rv == APR_SUCCESS) {
        rv = ls_store_exec(s, c, p, "UPDATE ls_schema SET version = 3", 0, NULL,
                           NULL, err);
    }
    return rv;
}

/* A database at version 3 with a share in it comes up to version 4 and
 * keeps the share. */
static void run_migration(apr_pool_t *p, ls_store *s, const char *driver)
{
    const char *err = NULL;
    ls_share_t sh, *got = NULL;
    char id[LS_ID_LEN + 1], token[LS_TOKEN_LEN + 1];
    char hash[LS_HASH_HEX_LEN + 1];
    int from = -1, n = -1;

    memset(&sh, 0, sizeof(sh));
    ls_id_generate(id);
    ls_token_generate(token);
    ls_token_hash(token, hash);
    sh.id = id;
    sh.owner = "render-test";
    sh.created = 1000;
    sh.expires = 90000;
    sh.items = apr_array_make(p, 0, sizeof(ls_item_t));
    sh.recipients = apr_array_make(p, 0, sizeof(ls_recipient_t));
    ok(ls_store_share_insert(s, p, &sh, hash, &err) == APR_SUCCESS,
       "%s: a share before the downgrade (%s)", driver, err ? err : "");
    ok(ls_store_tx(s, p, "downgrade", downgrade, (void *)driver, &err)
           == APR_SUCCESS,
       "%s: back to version 3 (%s)", driver, err ? err : "");
    ok(ls_store_migrate_to(s, p, 4, &from, &err) == APR_SUCCESS && from == 3,
       "%s: migrated from version %d (%s)", driver, from, err ? err : "");
    ok(ls_store_migrate_to(s, p, 4, &from, &err) == APR_SUCCESS && from == 4,
       "%s: now at version %d", driver, from);
    ok(ls_store_migrate(s, p, &from, &err) == APR_SUCCESS && from == 4,
       "%s: and on to the current version (%s)", driver, err ? err : "");
    ok(ls_store_share_by_hash(s, p, hash, &got, &err) == APR_SUCCESS
           && strcmp(got->id, id) == 0,
       "%s: the share survived the migration", driver);
    ok(ls_store_render_pending(s, p, &n, &err) == APR_SUCCESS && n == 0,
       "%s: the new queue is empty (%d)", driver, n);
}

static const char *key_of(apr_pool_t *p, apr_uint64_t run, int i)
{
    return ls_rcache_key(p, run, (apr_uint64_t)i, 0, 0);
}

static void run_queue(apr_pool_t *p, ls_store *s, const char *driver,
                      apr_uint64_t run)
{
    const char *err = NULL, *a = key_of(p, run, 1), *b = key_of(p, run, 2);
    const char *c = key_of(p, run, 3), *d = key_of(p, run, 4);
    ls_render_t *r = NULL;
    int queued = -1, n = -1, q2 = -1;

    ok(ls_store_render_queue(s, p, a, "web", "/srv/a.jpg", LS_RENDER_LATER, 100,
                             &queued, &err)
               == APR_SUCCESS
           && queued == 1,
       "%s: queued (%s)", driver, err ? err : "");
    ok(ls_store_render_queue(s, p, a, "web", "/srv/other/a.jpg",
                             LS_RENDER_WAITING, 150, &q2, &err)
               == APR_SUCCESS
           && q2 == 0,
       "%s: queued again: not a new row", driver);
    ok(ls_store_render_queue(s, p, a, "web", "/srv/a.jpg", LS_RENDER_LATER, 160,
                             &q2, &err)
               == APR_SUCCESS
           && q2 == 0,
       "%s: and a third time, less urgent", driver);
    ok(ls_store_render_queue(s, p, a, "thumb", "/srv/a.jpg", LS_RENDER_SOON,
                             100, &queued, &err)
               == APR_SUCCESS
           && queued == 1,
       "%s: the other kind is its own row", driver);
    ok(ls_store_render_pending(s, p, &n, &err) == APR_SUCCESS && n == 2,
       "%s: two rows pending (%d)", driver, n);

    /* b: priority 1 at 300; c: priority 1 at 200; d: priority 2 at 50. */
    ls_store_render_queue(s, p, b, "thumb", "/srv/b", 1, 300, &queued, &err);
    ls_store_render_queue(s, p, c, "thumb", "/srv/c", 1, 200, &queued, &err);
    ls_store_render_queue(s, p, d, "web", "/srv/d", 2, 50, &queued, &err);

    ok(ls_store_render_claim(s, p, "w1", 1000, 60, &r, &err) == APR_SUCCESS
           && strcmp(r->key, a) == 0 && strcmp(r->kind, "web") == 0
           && r->priority == LS_RENDER_WAITING && r->attempts == 1,
       "%s: the raised row comes first, at the higher priority", driver);
    is_str(r ? r->src : NULL, "/srv/a.jpg", "%s: with the first source path",
           driver);
    ok(ls_store_render_claim(s, p, "w2", 1000, 60, &r, &err) == APR_SUCCESS
           && strcmp(r->key, a) == 0 && strcmp(r->kind, "thumb") == 0,
       "%s: then priority 1, oldest first (a at 100)", driver);
    ok(ls_store_render_claim(s, p, "w3", 1000, 60, &r, &err) == APR_SUCCESS
           && strcmp(r->key, c) == 0,
       "%s: then c (200)", driver);
    ok(ls_store_render_claim(s, p, "w4", 1000, 60, &r, &err) == APR_SUCCESS
           && strcmp(r->key, b) == 0,
       "%s: then b (300)", driver);
    ok(ls_store_render_claim(s, p, "w5", 1000, 60, &r, &err) == APR_SUCCESS
           && strcmp(r->key, d) == 0 && r->priority == 2,
       "%s: priority 2 last though queued first", driver);
    ok(ls_store_render_claim(s, p, "w6", 1000, 60, &r, &err) == APR_NOTFOUND,
       "%s: nothing left to claim", driver);
    ok(ls_store_render_pending(s, p, &n, &err) == APR_SUCCESS && n == 5,
       "%s: running rows still pending (%d)", driver, n);

    /* w1 died holding a/web: reclaimed only once it is stale. */
    ok(ls_store_render_claim(s, p, "w7", 1059, 60, &r, &err) == APR_NOTFOUND,
       "%s: a running row is not reclaimed before it is stale", driver);
    ok(ls_store_render_done(s, p, a, "thumb", "w2", &err) == APR_SUCCESS
           && ls_store_render_done(s, p, c, "thumb", "w3", &err) == APR_SUCCESS
           && ls_store_render_done(s, p, b, "thumb", "w4", &err) == APR_SUCCESS
           && ls_store_render_done(s, p, d, "web", "w5", &err) == APR_SUCCESS,
       "%s: the others done", driver);
    ok(ls_store_render_claim(s, p, "w7", 1061, 60, &r, &err) == APR_SUCCESS
           && strcmp(r->key, a) == 0 && strcmp(r->kind, "web") == 0
           && r->attempts == 2,
       "%s: a stale running row is reclaimed (attempt %d)", driver,
       r ? r->attempts : -1);
    ok(ls_store_render_done(s, p, a, "web", "w1", &err) == APR_NOTFOUND,
       "%s: done with the dead worker's claim deletes nothing", driver);
    ok(ls_store_render_done(s, p, a, "thumb", "w7", &err) == APR_NOTFOUND,
       "%s: done on another row deletes nothing", driver);
    ok(ls_store_render_pending(s, p, &n, &err) == APR_SUCCESS && n == 1,
       "%s: one row left (%d)", driver, n);
    ok(ls_store_render_done(s, p, a, "web", "w7", &err) == APR_SUCCESS,
       "%s: done with the right claim", driver);
    ok(ls_store_render_pending(s, p, &n, &err) == APR_SUCCESS && n == 0,
       "%s: the queue is empty", driver);
    ok(ls_store_render_done(s, p, a, "web", "w7", &err) == APR_NOTFOUND,
       "%s: done twice is NOTFOUND", driver);
}

/* A worker process: its own store, claims until nothing is left, writes
 * each key it got to fd (one write per line: atomic on a pipe). */
static void child(const char *driver, const char *params, int w, int fd)
{
    apr_pool_t *p;
    ls_store *s = NULL;
    const char *err = NULL;
    int got = 0, again = 0;

    apr_pool_create(&p, NULL);
    if (ls_store_open(p, driver, params, 1, 1, &s, &err) != APR_SUCCESS) {
        _exit(2);
    }
    for (;;) {
        ls_render_t *r = NULL;
        const char *claim = apr_psprintf(p, "worker-%d-%d", w, got);
        apr_status_t rv = ls_store_render_claim(s, p, claim, 5000, 60, &r,
                                                &err);
        if (rv == APR_EAGAIN && ++again < 100) {
            continue;
        }
        if (rv != APR_SUCCESS) {
            _exit(rv == APR_NOTFOUND ? 0 : 3);
        }
        {
            const char *line = apr_pstrcat(p, r->key, "\n", NULL);
            if (write(fd, line, strlen(line)) < 0) {
                _exit(4);
            }
        }
        got++;
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void run_concurrent(apr_pool_t *p, ls_store *s, const char *driver,
                           const char *params, apr_uint64_t run)
{
    const char *err = NULL, *keys[ROWS + WORKERS * 2];
    char buf[(ROWS + 1) * 65 + 1];
    size_t len = 0;
    ssize_t n;
    int fds[2], i, queued, status, clean = 1, nkeys = 0, dups = 0;

    for (i = 0; i < ROWS; i++) {
        ls_store_render_queue(s, p, key_of(p, run, 100 + i), "thumb", "/s",
                              i % 3, 4000 + i, &queued, &err);
    }
    if (pipe(fds) != 0) {
        ok(0, "%s: pipe", driver);
        return;
    }
    for (i = 0; i < WORKERS; i++) {
        if (fork() == 0) {
            close(fds[0]);
            child(driver, params, i, fds[1]);
        }
    }
    close(fds[1]);
    while ((n = read(fds[0], buf + len, sizeof(buf) - 1 - len)) > 0) {
        len += (size_t)n;
    }
    close(fds[0]);
    buf[len] = '\0';
    for (i = 0; i < WORKERS; i++) {
        if (wait(&status) < 0 || !WIFEXITED(status)
            || WEXITSTATUS(status) != 0) {
            clean = 0;
        }
    }
    {
        char *last, *tok = apr_strtok(buf, "\n", &last);
        for (; tok && nkeys < ROWS + WORKERS * 2;
             tok = apr_strtok(NULL, "\n", &last)) {
            keys[nkeys++] = tok;
        }
    }
    qsort(keys, (size_t)nkeys, sizeof(keys[0]), cmp_str);
    for (i = 1; i < nkeys; i++) {
        dups += strcmp(keys[i - 1], keys[i]) == 0;
    }
    ok(clean, "%s: %d workers claimed until nothing was left, no error", driver,
       WORKERS);
    ok(nkeys == ROWS && dups == 0,
       "%s: every row claimed exactly once (%d claims, %d twice)", driver,
       nkeys, dups);
    for (i = 0; i < ROWS; i++) {
        const char *args[] = {key_of(p, run, 100 + i)};
        ls_store_update(s, p, "DELETE FROM ls_render WHERE key = %s", 1, args,
                        &err);
    }
}

static void run(apr_pool_t *p, const char *driver, const char *params)
{
    ls_store *s = NULL;
    const char *err = NULL;
    int from = -1;
    apr_uint64_t run_id;

    apr_generate_random_bytes((unsigned char *)&run_id, sizeof(run_id));
    printf("# driver %s\n", driver);
    ok(ls_store_open(p, driver, params, 4, 1, &s, &err) == APR_SUCCESS,
       "%s: open (%s)", driver, err ? err : "");
    if (s == NULL) {
        return;
    }
    ok(ls_store_migrate(s, p, &from, &err) == APR_SUCCESS,
       "%s: migrate from %d (%s)", driver, from, err ? err : "");
    run_migration(p, s, driver);
    run_queue(p, s, driver, run_id);
    run_concurrent(p, s, driver, params, run_id);
}

int main(void)
{
    apr_pool_t *p;
    char dir[] = "/tmp/ls_store_render_XXXXXX";
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
    ok(system(apr_pstrcat(p, "rm -rf ", dir, NULL)) == 0, "cleaned up");
    apr_pool_destroy(p);
    apr_terminate();
    done_testing();
}
