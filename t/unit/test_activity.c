/* Unit tests for the activity log: address truncation, JSON and CSV
 * (ls_activity), cursors, and the store's rows (ls_store_activity: insert,
 * 10,000 events paged, the sweep) and the write-behind queue
 * (ls_activity_queue), against SQLite and, when LS_TEST_PG holds a
 * connection string (scripts/unit-tests.sh), PostgreSQL. */
#include <stdlib.h>

#include <apr_general.h>
#include <apr_hash.h>
#include <apr_strings.h>

#include "ls_activity.h"
#include "ls_activity_queue.h"
#include "ls_store.h"
#include "ls_token.h"
#include "tap.h"

#define MANY 10000

static void test_address(apr_pool_t *p)
{
    is_str(ls_activity_address(p, "192.0.2.123", LS_ACTIVITY_ADDR_TRUNCATED),
           "192.0.2.0", "IPv4 truncated to /24");
    is_str(ls_activity_address(p, "192.0.2.123", LS_ACTIVITY_ADDR_FULL),
           "192.0.2.123", "IPv4 full");
    ok(ls_activity_address(p, "192.0.2.123", LS_ACTIVITY_ADDR_NONE) == NULL,
       "IPv4 none");
    is_str(ls_activity_address(p, "2001:db8:85a3:8d3:1319:8a2e:370:7348",
                               LS_ACTIVITY_ADDR_TRUNCATED),
           "2001:db8:85a3::", "IPv6 truncated to /48");
    is_str(ls_activity_address(p, "2001:DB8:85A3:8D3:1319:8A2E:370:7348",
                               LS_ACTIVITY_ADDR_FULL),
           "2001:db8:85a3:8d3:1319:8a2e:370:7348", "IPv6 full, canonical");
    is_str(ls_activity_address(p, "::1", LS_ACTIVITY_ADDR_TRUNCATED),
           "::", "IPv6 loopback truncated");
    is_str(ls_activity_address(p, "::ffff:198.51.100.7",
                               LS_ACTIVITY_ADDR_TRUNCATED),
           "198.51.100.0", "IPv4-mapped IPv6 truncated as IPv4");
    ok(ls_activity_address(p, "not-an-ip", LS_ACTIVITY_ADDR_FULL) == NULL,
       "garbage gives no address");
    ok(ls_activity_address(p, NULL, LS_ACTIVITY_ADDR_FULL) == NULL, "NULL");
}

static void test_formats(apr_pool_t *p)
{
    apr_array_header_t *ev = apr_array_make(p, 2, sizeof(ls_activity_t));
    ls_activity_t *e = apr_array_push(ev);
    json_t *j;
    char *txt;

    memset(e, 0, sizeof(*e));
    e->id = "0123456789abcdef";
    e->at = APR_INT64_C(1764612000) * APR_USEC_PER_SEC + 123456;
    e->kind = "download";
    e->path = "=HYPERLINK(\"http://x\",\"a, b\")";
    e->status = 200;
    e->bytes = 12345;
    e->address = "192.0.2.0";
    e = apr_array_push(ev);
    memset(e, 0, sizeof(*e));
    e->id = "0123456789abcdee";
    e->at = APR_INT64_C(1764611000) * APR_USEC_PER_SEC;
    e->kind = "part";
    e->path = "2";
    e->job = "00000000000000aa";
    e->status = 206;
    e->bytes = 10;
    is_str(
        ls_activity_csv(p, ev),
        "time,kind,path,job,status,bytes,address\r\n"
        "2025-12-01T18:00:00Z,download,\"'=HYPERLINK(\"\"http://x\"\",\"\"a, "
        "b\"\")\",,200,12345,192.0.2.0\r\n"
        "2025-12-01T17:43:20Z,part,2,00000000000000aa,206,10,\r\n",
        "CSV: header, quoting, formula neutralised, empty for none");
    j = ls_activity_json(p, ev, "1-0123456789abcdef");
    txt = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    is_str(txt,
           "{\"events\":[{\"time\":\"2025-12-01T18:00:00Z\",\"kind\":"
           "\"download\",\"path\":\"=HYPERLINK(\\\"http://x\\\",\\\"a, "
           "b\\\")\",\"job\":null,\"status\":200,\"bytes\":12345,\"address\":"
           "\"192.0.2.0\"},{\"time\":\"2025-12-01T17:43:20Z\",\"kind\":"
           "\"part\",\"path\":\"2\",\"job\":\"00000000000000aa\",\"status\":"
           "206,\"bytes\":10,\"address\":null}],\"next\":"
           "\"1-0123456789abcdef\"}",
           "JSON shape");
    free(txt);
    json_decref(j);

    /* A path a recipient sent that is not UTF-8 (path=%FF%20x). */
    e = &APR_ARRAY_IDX(ev, 0, ls_activity_t);
    e->path = "\xff x\xc3\xa9";
    j = ls_activity_json(p, ev, NULL);
    txt = j ? json_dumps(j, JSON_COMPACT) : NULL;
    ok(txt && strstr(txt, "\"path\":\"%FF x%C3%A9\""),
       "JSON: a path that is not UTF-8 has its high bytes percent-encoded");
    free(txt);
    json_decref(j);
    ok(strstr(ls_activity_csv(p, ev), ",download,%FF x%C3%A9,,200,") != NULL,
       "CSV: the same");
    e->path = "caf\xc3\xa9";
    j = ls_activity_json(p, ev, NULL);
    txt = j ? json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    ok(txt && strstr(txt, "\"path\":\"caf\\u00E9\""), "UTF-8 kept as is");
    free(txt);
    json_decref(j);
}

static void test_cursor(void)
{
    apr_int64_t at = 0;
    char id[LS_ACTIVITY_ID_LEN + 1];

    ok(ls_store_activity_cursor_parse("1764612000123456-0123456789abcdef", &at,
                                      id)
               == APR_SUCCESS
           && at == APR_INT64_C(1764612000123456)
           && strcmp(id, "0123456789abcdef") == 0,
       "a cursor parses");
    ok(ls_store_activity_cursor_parse("-0123456789abcdef", &at, id)
           == APR_EINVAL,
       "no time: refused");
    ok(ls_store_activity_cursor_parse("12x-0123456789abcdef", &at, id)
           == APR_EINVAL,
       "not digits: refused");
    ok(ls_store_activity_cursor_parse("1234567890123456789-0123456789abcdef",
                                      &at, id)
           == APR_EINVAL,
       "19 digits: refused (overflow)");
    ok(ls_store_activity_cursor_parse("12-0123456789abcdeg", &at, id)
           == APR_EINVAL,
       "bad id: refused");
    ok(ls_store_activity_cursor_parse("12", &at, id) == APR_EINVAL,
       "no id: refused");
    ok(ls_store_activity_cursor_parse("12-00064a1c2b3d4e5f0123456789000000ff",
                                      &at, id)
           == APR_EINVAL,
       "34 hex digits: refused");
    ok(ls_store_activity_cursor_parse("12-00064a1c2b3d4e5f012345678900ff00",
                                      &at, id)
               == APR_SUCCESS
           && at == 12 && strcmp(id, "00064a1c2b3d4e5f012345678900ff00") == 0,
       "a cursor with a time-ordered id (32 hex) parses");
    ok(ls_store_activity_cursor_parse("12-0123456789abcdef0123", &at, id)
           == APR_EINVAL,
       "20 hex digits: refused");
}

static const char *new_share(apr_pool_t *p, ls_store *s, const char *driver)
{
    ls_share_t sh;
    char *id = apr_palloc(p, LS_ID_LEN + 1);
    char token[LS_TOKEN_LEN + 1], hash[LS_HASH_HEX_LEN + 1];
    const char *err = NULL;

    memset(&sh, 0, sizeof(sh));
    ls_id_generate(id);
    ls_token_generate(token);
    ls_token_hash(token, hash);
    sh.id = id;
    sh.owner = "activity-test";
    sh.created = 1000;
    sh.expires = 4000000000;
    sh.items = apr_array_make(p, 0, sizeof(ls_item_t));
    sh.recipients = apr_array_make(p, 0, sizeof(ls_recipient_t));
    ok(ls_store_share_insert(s, p, &sh, hash, &err) == APR_SUCCESS,
       "%s: a share (%s)", driver, err ? err : "");
    return id;
}

/* MANY events, three per microsecond (ties broken by id), paged 37 and
 * 500 at a time: every event once, newest first, then next is null. */
static void run_many(apr_pool_t *p, ls_store *s, const char *driver,
                     const char *share, const char *other)
{
    ls_activity_t *ev = apr_pcalloc(p, sizeof(*ev) * MANY);
    const char *err = NULL, *next = NULL;
    apr_array_header_t *page;
    apr_int64_t base = APR_INT64_C(1764612000000000);
    apr_time_t t;
    int i, n = 0, sizes[] = {37, 500}, k;

    for (i = 0; i < MANY; i++) {
        ev[i].share_id = i % 10 == 9 ? other : share;
        ev[i].at = base + i / 3;
        ev[i].kind = LS_ACTIVITY_PAGE;
        ev[i].status = 200;
        ev[i].bytes = i;
    }
    t = apr_time_now();
    ok(ls_store_activity_insert(s, p, ev, MANY, &n, &err) == APR_SUCCESS
           && n == MANY,
       "%s: %d events inserted in one batch (%d; %s)", driver, MANY, n,
       err ? err : "");
    /* What the writer thread costs per event (for the bench's budget). */
    printf("# %s: %d events written in %" APR_TIME_T_FMT " ms\n", driver, MANY,
           (apr_time_now() - t) / 1000);
    for (k = 0; k < 2; k++) {
        apr_int64_t last_at = APR_INT64_MAX;
        const char *last_id = "g";
        const char *prev_id = NULL;
        int seen = 0, pages = 0, ordered = 1, mine = 1, by_time = 1;
        apr_hash_t *ids = apr_hash_make(p);

        next = NULL;
        do {
            apr_status_t rv = ls_store_activity_page(
                s, p, share, next, sizes[k], &page, &next, &err);
            if (rv != APR_SUCCESS) {
                ok(0, "%s: page %d (%s)", driver, pages, err ? err : "");
                break;
            }
            pages++;
            for (i = 0; i < page->nelts; i++) {
                ls_activity_t *e = &APR_ARRAY_IDX(page, i, ls_activity_t);

                if (e->at > last_at
                    || (e->at == last_at && strcmp(e->id, last_id) >= 0)) {
                    ordered = 0;
                }
                if (strcmp(e->share_id, share) != 0) {
                    mine = 0;
                }
                /* Made ids sort as the events' times do (they append to
                 * the primary key), and begin with the time in hex. */
                if (strlen(e->id) != LS_ACTIVITY_ID_LEN
                    || (prev_id && strcmp(e->id, prev_id) >= 0)
                    || strncmp(e->id,
                               apr_psprintf(p, "%014" APR_UINT64_T_HEX_FMT,
                                            (apr_uint64_t)e->at),
                               14)
                           != 0) {
                    by_time = 0;
                }
                prev_id = e->id;
                last_at = e->at;
                last_id = e->id;
                apr_hash_set(ids, e->id, APR_HASH_KEY_STRING, "");
                seen++;
            }
        } while (next && pages < MANY);
        ok(seen == MANY / 10 * 9 && (int)apr_hash_count(ids) == seen,
           "%s: limit %d: every event of the share once (%d in %d pages)",
           driver, sizes[k], seen, pages);
        ok(pages == (seen + sizes[k] - 1) / sizes[k],
           "%s: limit %d: no empty last page", driver, sizes[k]);
        ok(ordered, "%s: limit %d: newest first, ties by id", driver, sizes[k]);
        ok(mine, "%s: limit %d: only this share's events", driver, sizes[k]);
        ok(by_time, "%s: limit %d: ids are time-ordered, 32 hex digits", driver,
           sizes[k]);
    }
    ok(ls_store_activity_page(s, p, share, NULL, 1, &page, &next, &err)
               == APR_SUCCESS
           && page->nelts == 1
           && APR_ARRAY_IDX(page, 0, ls_activity_t).at == base + (MANY - 2) / 3,
       "%s: the first page starts at the newest", driver);
    ok(ls_store_activity_page(s, p, share, NULL, 0, &page, &next, &err)
           == APR_EINVAL,
       "%s: limit 0 refused", driver);
    ok(ls_store_activity_page(s, p, share, NULL, LS_ACTIVITY_PAGE_MAX + 1,
                              &page, &next, &err)
           == APR_EINVAL,
       "%s: limit %d refused", driver, LS_ACTIVITY_PAGE_MAX + 1);
    ok(ls_store_activity_page(s, p, share, "x-y", 10, &page, &next, &err)
           == APR_EINVAL,
       "%s: a bad cursor refused", driver);

    /* The sweep: events before base + 1000 (3,000 of them, both shares). */
    ok(ls_store_activity_sweep(s, p, base + 1000, &n, &err) == APR_SUCCESS
           && n == 3000,
       "%s: the sweep deletes the older events (%d; %s)", driver, n,
       err ? err : "");
    ok(ls_store_activity_sweep(s, p, base + 1000, &n, &err) == APR_SUCCESS
           && n == 0,
       "%s: a second sweep finds none", driver);
    n = 0;
    next = NULL;
    do {
        ls_store_activity_page(s, p, share, next, 500, &page, &next, &err);
        for (i = 0; i < page->nelts; i++) {
            if (APR_ARRAY_IDX(page, i, ls_activity_t).at < base + 1000) {
                n = -MANY;
            }
            n++;
        }
    } while (next);
    ok(n == 6300, "%s: the newer events stay (%d)", driver, n);
}

/* An event of a share deleted meanwhile is skipped, the batch written. */
static void run_gone(apr_pool_t *p, ls_store *s, const char *driver,
                     const char *share)
{
    ls_activity_t ev[2];
    const char *err = NULL, *next;
    apr_array_header_t *page;
    int n = -1;

    memset(ev, 0, sizeof(ev));
    ev[0].share_id = "ffffffffffffffff";
    ev[0].at = 5;
    ev[0].kind = LS_ACTIVITY_DOWNLOAD;
    ev[1] = ev[0];
    ev[1].share_id = share;
    ev[1].path = "a b/ü.jpg";
    ev[1].job = NULL;
    ev[1].address = "2001:db8:1::";
    ok(ls_store_activity_insert(s, p, ev, 2, &n, &err) == APR_SUCCESS && n == 1,
       "%s: an unknown share's event is skipped (%d; %s)", driver, n,
       err ? err : "");
    ok(ls_store_activity_page(s, p, share, NULL, 50, &page, &next, &err)
               == APR_SUCCESS
           && page->nelts == 1 && next == NULL,
       "%s: the other one is there", driver);
    if (page && page->nelts == 1) {
        ls_activity_t *e = &APR_ARRAY_IDX(page, 0, ls_activity_t);
        is_str(e->path, "a b/ü.jpg", "%s: path kept", driver);
        ok(e->job == NULL, "%s: no job is NULL", driver);
        is_str(e->address, "2001:db8:1::", "%s: address kept", driver);
    }
}

/* The queue: events added on this thread are in the store after a flush
 * and, without one, within the flush interval. */
static void run_queue(apr_pool_t *p, ls_store *s, const char *driver,
                      const char *share)
{
    apr_pool_t *qp;
    ls_activity_t ev;
    const char *err = NULL, *next;
    apr_array_header_t *page;
    int i;

    apr_pool_create(&qp, p);
    ok(ls_activity_queue_start(qp, s, NULL, NULL) == APR_SUCCESS,
       "%s: queue started", driver);
    memset(&ev, 0, sizeof(ev));
    ev.share_id = share;
    ev.kind = LS_ACTIVITY_PART;
    ev.status = 200;
    for (i = 0; i < 10; i++) {
        ev.at = apr_time_now();
        ls_activity_queue_add(&ev);
    }
    apr_sleep(apr_time_from_msec(LS_ACTIVITY_FLUSH_MSECS + 700));
    ls_store_activity_page(s, p, share, NULL, 50, &page, &next, &err);
    ok(page && page->nelts == 10,
       "%s: written by the thread within the interval (%d)", driver,
       page ? page->nelts : -1);
    for (i = 0; i < 5; i++) {
        ev.at = apr_time_now();
        ls_activity_queue_add(&ev);
    }
    apr_pool_destroy(qp); /* the exit path writes the rest */
    ls_store_activity_page(s, p, share, NULL, 50, &page, &next, &err);
    ok(page && page->nelts == 15, "%s: the rest written at exit (%d)", driver,
       page ? page->nelts : -1);
    ls_activity_queue_add(&ev); /* stopped: dropped, no crash */
}

typedef struct {
    int calls, lost;
} refused_t;

static void on_refused(void *baton, apr_status_t rv, const char *err, int lost,
                       int dropped)
{
    refused_t *r = baton;

    (void)rv;
    (void)err;
    (void)dropped;
    r->calls++;
    r->lost += lost;
}

/* A row the store refuses (here: an id twice) fails its batch; the last
 * try writes one event at a time and loses only that row. */
static void run_queue_refused(apr_pool_t *p, ls_store *s, const char *driver,
                              const char *share)
{
    apr_pool_t *qp;
    ls_activity_t ev;
    refused_t r = {0, 0};
    const char *err = NULL, *next;
    apr_array_header_t *page = NULL;
    int i;

    apr_pool_create(&qp, p);
    ls_activity_queue_start(qp, s, on_refused, &r);
    memset(&ev, 0, sizeof(ev));
    ev.share_id = share;
    ev.kind = LS_ACTIVITY_PAGE;
    for (i = 0; i < 5; i++) {
        ev.at = apr_time_now();
        ev.id = i < 2 ? "00000000000000a1" : NULL;
        ls_activity_queue_add(&ev);
    }
    for (i = 0; i < 60 && !(page && page->nelts == 4); i++) {
        apr_sleep(apr_time_from_msec(100));
        ls_store_activity_page(s, p, share, NULL, 50, &page, &next, &err);
    }
    ok(page && page->nelts == 4,
       "%s: a refused row costs itself only, on the last try (%d)", driver,
       page ? page->nelts : -1);
    apr_pool_destroy(qp);
    ok(r.lost == 1 && r.calls >= LS_ACTIVITY_TRIES,
       "%s: the failures were reported, one event lost (%d calls, %d lost)",
       driver, r.calls, r.lost);
}

static void run(apr_pool_t *p, const char *driver, const char *params)
{
    ls_store *s = NULL;
    const char *err = NULL;
    int from = -1;

    printf("# driver %s\n", driver);
    ok(ls_store_open(p, driver, params, 4, 1, &s, &err) == APR_SUCCESS,
       "%s: open (%s)", driver, err ? err : "");
    if (s == NULL) {
        return;
    }
    ok(ls_store_migrate(s, p, &from, &err) == APR_SUCCESS,
       "%s: migrate from %d (%s)", driver, from, err ? err : "");
    run_many(p, s, driver, new_share(p, s, driver), new_share(p, s, driver));
    run_gone(p, s, driver, new_share(p, s, driver));
    run_queue(p, s, driver, new_share(p, s, driver));
    run_queue_refused(p, s, driver, new_share(p, s, driver));
}

int main(void)
{
    apr_pool_t *p;
    char dir[] = "/tmp/ls_activity_XXXXXX";
    const char *pg = getenv("LS_TEST_PG");

    apr_initialize();
    apr_pool_create(&p, NULL);
    test_address(p);
    test_formats(p);
    test_cursor();
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
