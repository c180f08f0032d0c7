/* Unit tests for ls_store against SQLite, and against PostgreSQL when
 * LS_TEST_PG holds a connection string (scripts/pg.sh sets it). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "ls_store.h"
#include "ls_store_int.h"
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


static ls_job_t *make_job(apr_pool_t *p, const char *share_id, const char *key,
                          apr_int64_t created)
{
    ls_job_t *j = apr_pcalloc(p, sizeof(*j));
    char *id = apr_palloc(p, LS_ID_LEN + 1);

    ls_id_generate(id);
    j->id = id;
    j->share_id = share_id;
    j->selection_key = key;
    j->title = "press kit";
    j->entries = "[[\"/a/b.txt\",\"b.txt\",5,0,0]]";
    j->files_total = 1;
    j->bytes_total = 5;
    j->created = created;
    return j;
}

static void run_jobs(apr_pool_t *p, ls_store *s, const char *driver,
                     const char *share_id, const char *other_share)
{
    const char *err = NULL;
    ls_job_t *a = make_job(p, share_id, "k1", 100), *b, *got = NULL;
    apr_array_header_t *list, *parts;
    ls_part_t *pt;
    int n = -1, stopped = -1;

    ok(ls_store_job_insert(s, p, a, "browser1", &err) == APR_SUCCESS,
       "%s: job inserted (%s)", driver, err ? err : "");
    ok(ls_store_job_reusable(s, p, share_id, "k1", &got, &err) == APR_SUCCESS
           && strcmp(got->id, a->id) == 0,
       "%s: same selection finds the job to reuse", driver);
    ok(ls_store_job_reusable(s, p, other_share, "k1", &got, &err)
           == APR_NOTFOUND,
       "%s: not on another share", driver);
    ok(ls_store_job_link(s, p, a->id, "browser2", &err) == APR_SUCCESS
           && ls_store_job_link(s, p, a->id, "browser2", &err) == APR_SUCCESS,
       "%s: linked to a second browser, twice", driver);
    ok(ls_store_job_list(s, p, share_id, "browser2", &list, &err) == APR_SUCCESS
           && list->nelts == 1,
       "%s: the second browser sees it once", driver);
    ok(ls_store_job_list(s, p, share_id, "browser3", &list, &err) == APR_SUCCESS
           && list->nelts == 0,
       "%s: a third browser does not", driver);
    ok(ls_store_job_active(s, p, share_id, &n, &err) == APR_SUCCESS && n == 1,
       "%s: one active job", driver);

    b = make_job(p, share_id, "k2", 200);
    ls_store_job_insert(s, p, b, "browser1", &err);
    ok(ls_store_job_claim(s, p, "claimA", 1000, 900, &got, &err) == APR_SUCCESS
           && strcmp(got->id, a->id) == 0 && got->entries
           && strcmp(got->state, "running") == 0 && got->attempts == 1,
       "%s: the oldest job claimed, with its entries", driver);
    ok(ls_store_job_claim(s, p, "claimB", 1000, 900, &got, &err) == APR_SUCCESS
           && strcmp(got->id, b->id) == 0,
       "%s: a second worker gets the other job", driver);
    ok(ls_store_job_claim(s, p, "claimC", 1000, 900, &got, &err)
           == APR_NOTFOUND,
       "%s: nothing left to claim", driver);
    ok(ls_store_job_progress(s, p, a->id, "claimA", 1, 3, 1001, &err)
           == APR_SUCCESS,
       "%s: progress written", driver);
    ok(ls_store_job_progress(s, p, a->id, "claimB", 1, 3, 1001, &err)
           == APR_NOTFOUND,
       "%s: progress with a wrong claim refused", driver);
    ok(ls_store_job_claim(s, p, "claimC", 2000, 1500, &got, &err) == APR_SUCCESS
           && strcmp(got->id, a->id) == 0 && got->attempts == 2,
       "%s: a job whose worker stopped heartbeating is reclaimed", driver);
    ok(ls_store_job_progress(s, p, a->id, "claimA", 1, 3, 2001, &err)
           == APR_NOTFOUND,
       "%s: the old worker learns it lost the job", driver);

    parts = apr_array_make(p, 2, sizeof(ls_part_t));
    pt = apr_array_push(parts);
    pt->n = 1;
    pt->size = 123;
    pt->sha256 = "ab";
    pt->path = "/spool/x-1.zip";
    ok(ls_store_job_finish(s, p, a->id, "claimC", "done", NULL, parts, 2002,
                           &err)
           == APR_SUCCESS,
       "%s: finished with a part (%s)", driver, err ? err : "");
    ok(ls_store_job_get(s, p, a->id, &got, &err) == APR_SUCCESS
           && strcmp(got->state, "done") == 0 && got->parts->nelts == 1
           && APR_ARRAY_IDX(got->parts, 0, ls_part_t).size == 123
           && got->parts_total == 1,
       "%s: done with its part", driver);
    ok(ls_store_job_cancel(s, p, a->id, share_id, "browser1", 2003, &stopped,
                           &err)
           == APR_NOTFOUND,
       "%s: a done job cannot be cancelled", driver);
    ok(ls_store_job_cancel(s, p, b->id, other_share, "browser1", 2003, &stopped,
                           &err)
           == APR_NOTFOUND,
       "%s: not through another share", driver);
    ok(ls_store_job_cancel(s, p, b->id, share_id, "browser2", 2003, &stopped,
                           &err)
           == APR_EACCES,
       "%s: not by a browser that is not waiting for it", driver);
    ls_store_job_link(s, p, b->id, "browser3", &err);
    ok(ls_store_job_cancel(s, p, b->id, share_id, "browser1", 2003, &stopped,
                           &err)
               == APR_SUCCESS
           && !stopped,
       "%s: a browser leaves a job another still waits for", driver);
    ok(ls_store_job_get(s, p, b->id, &got, &err) == APR_SUCCESS
           && strcmp(got->state, "running") == 0,
       "%s: ... which keeps running", driver);
    ok(ls_store_job_list(s, p, share_id, "browser1", &list, &err) == APR_SUCCESS
           && list->nelts == 1,
       "%s: ... and is gone from the leaver's inbox (only job a left)", driver);
    ok(ls_store_job_cancel(s, p, b->id, share_id, "browser1", 2003, &stopped,
                           &err)
           == APR_EACCES,
       "%s: ... which cannot cancel it again", driver);
    ok(ls_store_job_cancel(s, p, b->id, share_id, "browser3", 2003, &stopped,
                           &err)
               == APR_SUCCESS
           && stopped,
       "%s: the last browser waiting stops it", driver);
    ok(ls_store_job_finish(s, p, b->id, "claimB", "done", NULL, NULL, 2004,
                           &err)
           == APR_NOTFOUND,
       "%s: its worker cannot finish it any more", driver);
    ok(ls_store_job_expired(s, p, 2005, 10, &list, &err) == APR_SUCCESS,
       "%s: expired query runs", driver);
    ok(ls_store_job_expired(s, p, 3000, 10, &list, &err) == APR_SUCCESS
           && list->nelts >= 2,
       "%s: ended jobs past the TTL are listed", driver);
    ok(ls_store_job_delete(s, p, a->id, &err) == APR_SUCCESS
           && ls_store_job_get(s, p, a->id, &got, &err) == APR_NOTFOUND,
       "%s: deleted", driver);
}

/* The mail queue: recipients' states through claim, retry, failure,
 * resend; receipts once per part. Leaves nothing queued (a PostgreSQL
 * database is reused between runs). */
static void run_mail(apr_pool_t *p, ls_store *s, const char *driver,
                     const char *owner, const char *plain_share)
{
    ls_share_t *sh = make_share(p, owner, 5000), *got = NULL;
    ls_share_mail_t sm;
    ls_recipient_t *rc;
    ls_mail_t *m1 = NULL, *m2 = NULL, *m = NULL;
    const char *err = NULL;
    char token[LS_TOKEN_LEN + 1], hash[LS_HASH_HEX_LEN + 1];
    char job[LS_ID_LEN + 1];
    int queued = -1;

    memset(&sm, 0, sizeof(sm));
    sm.sealed_token = "00ff";
    sm.link_base = "https://files.example.com";
    sm.sender = "Zo\xc3\xab";
    sm.sender_email = "zoe@example.com";
    sm.receipt = 1;
    sh->mail = &sm;
    rc = apr_array_push(sh->recipients);
    rc->email = "r1@example.org";
    rc->mail_state = "queued";
    rc = apr_array_push(sh->recipients);
    rc->email = "r2@example.net";
    rc->external = 1;
    rc->mail_state = "queued";
    ls_token_generate(token);
    ls_token_hash(token, hash);
    ok(ls_store_share_insert(s, p, sh, hash, &err) == APR_SUCCESS,
       "%s: share with recipients and mail (%s)", driver, err ? err : "");
    ok(ls_store_share_get(s, p, sh->id, &got, &err) == APR_SUCCESS
           && got->recipients->nelts == 2
           && strcmp(
                  APR_ARRAY_IDX(got->recipients, 0, ls_recipient_t).mail_state,
                  "queued")
                  == 0
           && APR_ARRAY_IDX(got->recipients, 1, ls_recipient_t).external,
       "%s: recipients queued", driver);

    ok(ls_store_mail_claim(s, p, "wA", 5000, 4000, &m1, &err) == APR_SUCCESS
           && strcmp(m1->share_id, sh->id) == 0 && strcmp(m1->kind, "link") == 0
           && strcmp(m1->state, "sending") == 0 && m1->attempts == 1
           && strcmp(m1->share.sealed_token, "00ff") == 0
           && strcmp(m1->share.sender, "Zo\xc3\xab") == 0 && m1->share.receipt,
       "%s: a mail claimed with what sending needs", driver);
    ok(ls_store_mail_claim(s, p, "wB", 5000, 4000, &m2, &err) == APR_SUCCESS
           && strcmp(m2->id, m1->id) != 0,
       "%s: a second worker gets the other one", driver);
    ok(ls_store_mail_claim(s, p, "wC", 5000, 4000, &m, &err) == APR_NOTFOUND,
       "%s: nothing else is due", driver);
    ok(ls_store_mail_finish(s, p, m1->id, "wA", "sent", "250 2.0.0 Ok", 0, 5001,
                            &err)
           == APR_SUCCESS,
       "%s: first sent", driver);
    ok(ls_store_mail_finish(s, p, m2->id, "wA", "sent", "x", 0, 5001, &err)
           == APR_NOTFOUND,
       "%s: finishing with another's claim refused", driver);
    ok(ls_store_mail_finish(s, p, m2->id, "wB", "queued", "451 4.3.0 later",
                            5100, 5001, &err)
           == APR_SUCCESS,
       "%s: second queued for a retry", driver);
    ok(ls_store_mail_claim(s, p, "wC", 5050, 4000, &m, &err) == APR_NOTFOUND,
       "%s: not before its next attempt", driver);
    ok(ls_store_mail_claim(s, p, "wC", 5100, 4000, &m, &err) == APR_SUCCESS
           && strcmp(m->id, m2->id) == 0 && m->attempts == 2
           && strcmp(m->reply, "451 4.3.0 later") == 0,
       "%s: retried when due, second attempt", driver);
    ls_store_mail_finish(s, p, m2->id, "wC", "failed", "550 5.1.1 no such user",
                         0, 5101, &err);
    ok(ls_store_share_get(s, p, sh->id, &got, &err) == APR_SUCCESS, "%s: read",
       driver);
    {
        ls_recipient_t *a = &APR_ARRAY_IDX(got->recipients, 0, ls_recipient_t);
        ls_recipient_t *b = &APR_ARRAY_IDX(got->recipients, 1, ls_recipient_t);
        ls_recipient_t *sent = strcmp(m1->rcpt, a->email) == 0 ? a : b;
        ls_recipient_t *failed = sent == a ? b : a;
        is_str(sent->mail_state, "sent", "%s: one sent", driver);
        is_str(sent->mail_reply, "250 2.0.0 Ok", "%s: with the reply", driver);
        is_str(failed->mail_state, "failed", "%s: the other failed", driver);
        is_str(failed->mail_reply, "550 5.1.1 no such user",
               "%s: with the server's words", driver);
        ok(failed->mail_attempts == 2 && failed->mail_updated == 5101,
           "%s: attempts and time kept", driver);
    }
    ok(ls_store_mail_resend(s, p, sh->id, m2->rcpt, 6000, &err) == APR_SUCCESS,
       "%s: resend", driver);
    ok(ls_store_mail_resend(s, p, sh->id, "nobody@example.org", 6000, &err)
           == APR_NOTFOUND,
       "%s: resend to a stranger: NOTFOUND", driver);
    ok(ls_store_mail_claim(s, p, "wD", 6000, 5000, &m, &err) == APR_SUCCESS
           && strcmp(m->id, m2->id) == 0 && m->attempts == 1,
       "%s: resent mail due at once, attempts from zero", driver);
    ok(ls_store_mail_claim(s, p, "wE", 6001, 6000, &m, &err) == APR_NOTFOUND,
       "%s: a fresh sending claim is not taken over", driver);
    ok(ls_store_mail_claim(s, p, "wE", 6100, 6050, &m, &err) == APR_SUCCESS
           && strcmp(m->id, m2->id) == 0,
       "%s: a stale sending claim is taken over", driver);
    ls_store_mail_finish(s, p, m->id, "wE", "sent", "250 ok", 0, 6101, &err);

    ls_id_generate(job);
    ok(ls_store_mail_receipt(s, p, sh->id, job, 1, 2, "press kit", 7000,
                             &queued, &err)
               == APR_SUCCESS
           && queued == 1,
       "%s: receipt queued for part 1 (%s)", driver, err ? err : "");
    ok(ls_store_mail_receipt(s, p, sh->id, job, 1, 2, "press kit", 7001,
                             &queued, &err)
               == APR_SUCCESS
           && queued == 0,
       "%s: not twice for the same part", driver);
    ok(ls_store_mail_receipt(s, p, plain_share, job, 2, 2, "x", 7001, &queued,
                             &err)
               == APR_SUCCESS
           && queued == 0,
       "%s: not for a share that did not ask", driver);
    ok(ls_store_mail_claim(s, p, "wF", 7002, 6000, &m, &err) == APR_SUCCESS
           && strcmp(m->kind, "receipt") == 0
           && strcmp(m->rcpt, "zoe@example.com") == 0 && m->part_n == 1
           && m->part_total == 2 && strcmp(m->title, "press kit") == 0
           && strcmp(m->job_id, job) == 0,
       "%s: the receipt goes to the sharer, with the part", driver);
    ls_store_mail_finish(s, p, m->id, "wF", "sent", "250 ok", 0, 7003, &err);
    ok(ls_store_mail_claim(s, p, "wG", 7004, 6000, &m, &err) == APR_NOTFOUND,
       "%s: queue empty at the end", driver);
}

/* ls_store_tx's body for the tests: inserts the collection row named by
 * baton, then fails with what the id's first character asks for ('n':
 * nothing, 'x': APR_EGENERAL, 'd': a duplicate insert, a failing SQL). */
static apr_status_t tx_body(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                            void *baton, const char **err)
{
    const char *id = baton;
    const char *args[] = {id, "tx-owner", "tx", "1"};
    const char *sql = "INSERT INTO ls_collection (id, owner, name, created) "
                      "VALUES (%s, %s, %s, %s)";
    apr_status_t rv = ls_store_exec(s, c, p, sql, 4, args, NULL, err);

    if (rv != APR_SUCCESS || id[0] == 'n') {
        return rv;
    }
    if (id[0] == 'd') {
        return ls_store_exec(s, c, p, sql, 4, args, NULL, err);
    }
    *err = "the body failed";
    return APR_EGENERAL;
}

static void run_tx(apr_pool_t *p, ls_store *s, const char *driver)
{
    char ok_id[LS_ID_LEN + 1], bad_id[LS_ID_LEN + 1], dup_id[LS_ID_LEN + 1];
    const char *err = NULL;
    ls_collection_t *got = NULL;
    apr_status_t rv;
    int i;

    ls_id_generate(ok_id);
    ls_id_generate(bad_id);
    ls_id_generate(dup_id);
    ok_id[0] = 'n';
    bad_id[0] = 'x';
    dup_id[0] = 'd';
    ok(ls_store_tx(s, p, "cannot commit the test", tx_body, ok_id, &err)
           == APR_SUCCESS,
       "%s: tx: a body that succeeds commits (%s)", driver, err ? err : "");
    ok(ls_store_collection_get(s, p, ok_id, &got, &err) == APR_SUCCESS,
       "%s: tx: its row is there", driver);
    err = NULL;
    rv = ls_store_tx(s, p, "cannot commit the test", tx_body, bad_id, &err);
    ok(rv == APR_EGENERAL && err && strcmp(err, "the body failed") == 0,
       "%s: tx: the failing body's status and reason come back", driver);
    ok(ls_store_collection_get(s, p, bad_id, &got, &err) == APR_NOTFOUND,
       "%s: tx: rolled back, its row is not there", driver);
    err = NULL;
    rv = ls_store_tx(s, p, "cannot commit the test", tx_body, dup_id, &err);
    ok(rv != APR_SUCCESS && err && strstr(err, "query failed"),
       "%s: tx: a failing statement fails it (%s)", driver, err ? err : "");
    ok(ls_store_collection_get(s, p, dup_id, &got, &err) == APR_NOTFOUND,
       "%s: tx: rolled back after a failed statement", driver);
    /* More operations than pooled connections (4): the connections that
     * saw the errors were dropped, the pool hands out working ones. */
    for (i = 0, rv = APR_SUCCESS; rv == APR_SUCCESS && i < 6; i++) {
        rv = ls_store_collection_get(s, p, ok_id, &got, &err);
    }
    ok(rv == APR_SUCCESS, "%s: tx: the store works on after rollbacks", driver);
    ok(ls_store_collection_delete(s, p, ok_id, &err) == APR_SUCCESS,
       "%s: tx: cleaned up", driver);
}

/* Resident memory of this process, KB. */
static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long size = 0, rss = 0;

    if (f == NULL) {
        return -1;
    }
    if (fscanf(f, "%ld %ld", &size, &rss) != 2) {
        rss = -1;
    }
    fclose(f);
    return rss < 0 ? -1 : rss * (sysconf(_SC_PAGESIZE) / 1024);
}

/* The same query 20,000 times on long-lived pooled connections leaves
 * memory where it was: statements are prepared once per connection
 * (apr_dbd's SQLite driver keeps every statement prepared on a
 * connection until it closes; preparing per query grew by ~1.5 KB each). */
static void run_flat(apr_pool_t *p, ls_store *s, const char *driver)
{
    const char *err = NULL;
    apr_pool_t *iter;
    long before = -1, after;
    int i, n = 0, bad = 0;

    apr_pool_create(&iter, p);
    for (i = 0; i < 22000; i++) {
        if (i == 2000) {
            before = rss_kb();
        }
        apr_pool_clear(iter);
        bad += ls_store_render_pending(s, iter, &n, &err) != APR_SUCCESS;
    }
    after = rss_kb();
    apr_pool_destroy(iter);
    ok(bad == 0 && before > 0 && after - before < 1024,
       "%s: 20,000 queries on pooled connections: RSS %ld -> %ld KB", driver,
       before, after);
}

/* ls_store_select_prepared: typed placeholders on a statement PostgreSQL
 * prepares once per connection (the link lookup's path). */
typedef struct {
    const char *sql;
    const char **args;
    int nargs;
    int rows[3]; /* rows of each of three runs on one connection */
} prepared_q;

static apr_status_t run_prepared_fn(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                                    void *baton, const char **err)
{
    prepared_q *q = baton;
    apr_status_t rv = APR_SUCCESS;
    int i, first = 0;

    for (i = 0; i < 3 && rv == APR_SUCCESS; i++) {
        rv = ls_store_select_prepared(s, c, p, q->sql, q->nargs, q->args,
                                      ls_store_row_int, &first, &q->rows[i],
                                      err);
    }
    return rv;
}

static void run_prepared(apr_pool_t *p, ls_store *s, const char *driver,
                         const char *owner)
{
    const char *err = NULL;
    ls_share_t *sh = make_share(p, owner, 7000), *got = NULL;
    char token[LS_TOKEN_LEN + 1], hash[LS_HASH_HEX_LEN + 1];
    const char *args[] = {NULL, "93400", "1"};
    prepared_q q = {"SELECT id FROM ls_share WHERE id = %s AND expires = %lld "
                    "AND allow_original = %d",
                    args,
                    3,
                    {-1, -1, -1}};
    int i, in_order = 1;

    for (i = 2; i < 12; i++) { /* 12 items: "10" sorts before "2" */
        ls_item_t *it = apr_array_push(sh->items);
        it->path = apr_psprintf(p, "item %d", i);
        it->kind = "file";
    }
    args[0] = sh->id;
    ls_token_generate(token);
    ls_token_hash(token, hash);
    ok(ls_store_share_insert(s, p, sh, hash, &err) == APR_SUCCESS,
       "%s: a share of 12 items (%s)", driver, err ? err : "");
    /* BIGINT and INTEGER columns through %lld and %d: on PostgreSQL a
     * server-side PREPARE would refuse them as %s (varchar). Three runs
     * on one connection: prepared once, then reused by name. */
    ok(ls_store_run(s, p, run_prepared_fn, &q, &err) == APR_SUCCESS
           && q.rows[0] == 1 && q.rows[1] == 1 && q.rows[2] == 1,
       "%s: prepared, %%lld and %%d against BIGINT and INTEGER, run 3 times "
       "(%s)",
       driver, err ? err : "");
    /* The trap itself, which says the statement really is prepared on
     * the server: PostgreSQL (only) refuses a %s compared with BIGINT. */
    err = NULL;
    q.sql = "SELECT id FROM ls_share WHERE id = %s AND expires = %s";
    q.nargs = 2;
    ok((ls_store_run(s, p, run_prepared_fn, &q, &err) == APR_SUCCESS)
           == (strcmp(driver, "sqlite3") == 0),
       "%s: %%s against BIGINT: %s", driver,
       strcmp(driver, "sqlite3") == 0 ? "SQLite does not mind"
                                      : "PostgreSQL refuses it");
    /* The link lookup, past the 5 runs after which PostgreSQL may switch
     * to a generic plan, on pooled connections. */
    err = NULL;
    for (i = 0; i < 8; i++) {
        got = NULL;
        if (ls_store_share_by_hash(s, p, hash, &got, &err) != APR_SUCCESS
            || got == NULL || strcmp(got->id, sh->id) != 0) {
            break;
        }
    }
    ok(i == 8, "%s: found by hash 8 times in a row (%s)", driver,
       err ? err : "");
    for (i = 0; got && i < got->items->nelts; i++) {
        const ls_item_t *it = &APR_ARRAY_IDX(got->items, i, ls_item_t);
        const ls_item_t *want = &APR_ARRAY_IDX(sh->items, i, ls_item_t);
        in_order = in_order && strcmp(it->path, want->path) == 0;
    }
    ok(got && got->items->nelts == 12 && in_order,
       "%s: its 12 items, in share order", driver);
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
    {
        /* The list reads every share's items and recipients (one select
         * each for the whole list): each as the share read alone. */
        int k, same = 1;

        for (k = 0; k < list->nelts; k++) {
            const ls_share_t *l = APR_ARRAY_IDX(list, k, ls_share_t *);
            ls_share_t *one = NULL;
            int j;

            if (ls_store_share_get(s, p, l->id, &one, &err) != APR_SUCCESS
                || one->items->nelts != l->items->nelts
                || one->recipients->nelts != l->recipients->nelts) {
                same = 0;
                continue;
            }
            for (j = 0; j < l->items->nelts; j++) {
                same &= strcmp(APR_ARRAY_IDX(one->items, j, ls_item_t).path,
                               APR_ARRAY_IDX(l->items, j, ls_item_t).path)
                        == 0;
            }
            for (j = 0; j < l->recipients->nelts; j++) {
                same &=
                    strcmp(
                        APR_ARRAY_IDX(one->recipients, j, ls_recipient_t).email,
                        APR_ARRAY_IDX(l->recipients, j, ls_recipient_t).email)
                    == 0;
            }
        }
        ok(same,
           "%s: the list's items and recipients, in order, are each "
           "share's own",
           driver);
        ok(ls_store_share_list(s, p, alice, &list, &err) == APR_SUCCESS
               && list->nelts == 1
               && APR_ARRAY_IDX(list, 0, ls_share_t *)->items->nelts == 2
               && strcmp(
                      APR_ARRAY_IDX(APR_ARRAY_IDX(list, 0, ls_share_t *)->items,
                                    1, ls_item_t)
                          .path,
                      "press kit")
                      == 0,
           "%s: alice's share listed with its two items in order", driver);
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

    {
        /* Protection (#10): the password's string and generation, the
         * download limit taken one at a time and never past it. */
        ls_share_t *pr = make_share(p, alice, 6000);
        char h3[LS_HASH_HEX_LEN + 1];
        pr->password_hash = "scrypt$ln=10,r=8,p=1$00$00";
        pr->max_downloads = 2;
        ls_token_generate(token);
        ls_token_hash(token, h3);
        ok(ls_store_share_insert(s, p, pr, h3, &err) == APR_SUCCESS,
           "%s: a share with a password and a limit", driver);
        ok(ls_store_share_get(s, p, pr->id, &got, &err) == APR_SUCCESS
               && got->password_hash
               && strcmp(got->password_hash, pr->password_hash) == 0
               && got->password_gen == 0 && got->max_downloads == 2
               && !LS_SHARE_EXHAUSTED(got),
           "%s: read back, generation 0, not exhausted", driver);
        ok(ls_store_share_take_download(s, p, pr->id, &err) == APR_SUCCESS
               && ls_store_share_take_download(s, p, pr->id, &err)
                      == APR_SUCCESS,
           "%s: two downloads taken", driver);
        ok(ls_store_share_take_download(s, p, pr->id, &err) == APR_NOTFOUND,
           "%s: the third is refused (NOTFOUND)", driver);
        ok(ls_store_share_get(s, p, pr->id, &got, &err) == APR_SUCCESS
               && got->downloads == 2 && LS_SHARE_EXHAUSTED(got),
           "%s: exhausted at exactly 2", driver);
        ok(ls_store_share_add_downloads(s, p, pr->id, -1, &err) == APR_SUCCESS
               && ls_store_share_take_download(s, p, pr->id, &err)
                      == APR_SUCCESS,
           "%s: one given back can be taken again", driver);
        ok(ls_store_share_set_max_downloads(s, p, pr->id, 0, &err)
                   == APR_SUCCESS
               && ls_store_share_take_download(s, p, pr->id, &err)
                      == APR_SUCCESS,
           "%s: no limit: taking always works", driver);
        ok(ls_store_share_set_password(s, p, pr->id, NULL, &err) == APR_SUCCESS
               && ls_store_share_get(s, p, pr->id, &got, &err) == APR_SUCCESS
               && got->password_hash == NULL && got->password_gen == 1
               && got->max_downloads == 0 && got->downloads == 3,
           "%s: password removed, generation 1, limit gone", driver);
        /* got is NULL when the read above failed: a failure, no crash. */
        ok(got != NULL && ls_share_copy(p, got)->password_gen == 1,
           "%s: the cache's copy keeps the generation", driver);
    }

    {
        /* Suggestions: alice's earlier recipients by prefix, not bob's. */
        ls_share_t *r1 = make_share(p, alice, 3000);
        ls_share_t *r2 = make_share(p, bob, 3000);
        static const char *const mails[] = {"Ann@example.com",
                                            "ann@example.com", "a_b@x.org",
                                            "axb@x.org", "zed@example.com"};
        char h3[LS_HASH_HEX_LEN + 1], h4[LS_HASH_HEX_LEN + 1];
        apr_array_header_t *sug = NULL;
        int k;

        for (k = 0; k < 5; k++) {
            ls_recipient_t *rc = apr_array_push(r1->recipients);
            rc->email = mails[k];
            rc->mail_state = "queued";
        }
        ((ls_recipient_t *)apr_array_push(r2->recipients))
            ->email = "anna@bob.example";
        APR_ARRAY_IDX(r2->recipients, 0, ls_recipient_t).mail_state = "sent";
        ls_token_generate(token);
        ls_token_hash(token, h3);
        ls_token_generate(token);
        ls_token_hash(token, h4);
        err = NULL;
        ok(ls_store_share_insert(s, p, r1, h3, &err) == APR_SUCCESS
               && ls_store_share_insert(s, p, r2, h4, &err) == APR_SUCCESS,
           "%s: shares with recipients (%s)", driver, err ? err : "");
        ok(ls_store_recipient_suggest(s, p, alice, "AN", &sug, &err)
                   == APR_SUCCESS
               && sug->nelts == 2,
           "%s: suggestions ignore case, not another owner's", driver);
        ok(ls_store_recipient_suggest(s, p, alice, "a_", &sug, &err)
                   == APR_SUCCESS
               && sug->nelts == 1
               && strcmp(APR_ARRAY_IDX(sug, 0, const char *), "a_b@x.org") == 0,
           "%s: '_' in the prefix is a letter, not a wildcard", driver);
        ok(ls_store_recipient_suggest(s, p, alice, "", &sug, &err)
                   == APR_SUCCESS
               && sug->nelts == 5,
           "%s: an empty prefix suggests all of them", driver);
        ok(ls_store_recipient_suggest(s, p, alice, "%", &sug, &err)
                   == APR_SUCCESS
               && sug->nelts == 0,
           "%s: '%%' matches only itself", driver);
    }

    run_jobs(p, s, driver, b->id, a->id);

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
    run_mail(p, s, driver, alice, a->id);
    run_prepared(p, s, driver, bob);
    run_tx(p, s, driver);
    run_flat(p, s, driver);
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
