/* Unit tests for the activity log: address truncation, JSON and CSV
 * (ls_activity), cursors, and the store's rows (ls_store_activity: insert,
 * 10,000 events paged, the sweep), the write-behind queue
 * (ls_activity_queue) and the batch files between the children and the
 * node's writer (ls_activity_batch), against SQLite and, when LS_TEST_PG holds a
 * connection string (scripts/unit-tests.sh), PostgreSQL. */
#include <stdlib.h>

#include <apr_file_info.h>
#include <apr_file_io.h>
#include <apr_general.h>
#include <apr_hash.h>
#include <apr_strings.h>

#include "ls_activity.h"
#include "ls_activity_batch.h"
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

/* The tests' sink: straight into the store. */
static apr_status_t to_store(void *baton, apr_pool_t *p,
                             const ls_activity_t *ev, int n, const char **err)
{
    return ls_store_activity_insert(baton, p, ev, n, NULL, err);
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
    ok(ls_activity_queue_start(qp, to_store, s, NULL, NULL) == APR_SUCCESS,
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
    int calls, lost, fail; /* fail: the sink refuses while set */
    ls_store *store;
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

static apr_status_t flaky_sink(void *baton, apr_pool_t *p,
                               const ls_activity_t *ev, int n, const char **err)
{
    refused_t *r = baton;

    if (r->fail) {
        *err = "refused by the test";
        return APR_EGENERAL;
    }
    return ls_store_activity_insert(r->store, p, ev, n, NULL, err);
}

/* A sink that keeps refusing: the batch is tried LS_ACTIVITY_TRIES times,
 * then given up and reported lost; later batches go through once it
 * takes them again. */
static void run_queue_refused(apr_pool_t *p, ls_store *s, const char *driver,
                              const char *share)
{
    apr_pool_t *qp;
    ls_activity_t ev;
    refused_t r = {0, 0, 1, NULL};
    const char *err = NULL, *next;
    apr_array_header_t *page = NULL;
    int i;

    r.store = s;
    apr_pool_create(&qp, p);
    ls_activity_queue_start(qp, flaky_sink, &r, on_refused, &r);
    memset(&ev, 0, sizeof(ev));
    ev.share_id = share;
    ev.kind = LS_ACTIVITY_PAGE;
    for (i = 0; i < 5; i++) {
        ev.at = apr_time_now();
        ls_activity_queue_add(&ev);
    }
    for (i = 0; i < 80 && r.lost == 0; i++) {
        apr_sleep(apr_time_from_msec(100));
    }
    ok(r.lost == 5 && r.calls == LS_ACTIVITY_TRIES,
       "%s: a refused batch is given up after %d tries, reported lost (%d "
       "calls, %d lost)",
       driver, LS_ACTIVITY_TRIES, r.calls, r.lost);
    r.fail = 0;
    for (i = 0; i < 2; i++) {
        ev.at = apr_time_now();
        ls_activity_queue_add(&ev);
    }
    apr_pool_destroy(qp);
    ls_store_activity_page(s, p, share, NULL, 50, &page, &next, &err);
    ok(page && page->nelts == 2, "%s: the next batch goes through (%d)", driver,
       page ? page->nelts : -1);
}

/* ---- batch files (ls_activity_batch) ---- */

static int count_files(apr_pool_t *p, const char *dir, const char *sfx)
{
    apr_dir_t *d;
    apr_finfo_t fi;
    int n = 0;

    if (apr_dir_open(&d, dir, p) != APR_SUCCESS) {
        return -1;
    }
    while (apr_dir_read(&fi, APR_FINFO_NAME, d) == APR_SUCCESS) {
        apr_size_t len = strlen(fi.name), m = strlen(sfx);

        n += len > m && strcmp(fi.name + len - m, sfx) == 0;
    }
    apr_dir_close(d);
    return n;
}

static void spew(apr_pool_t *p, const char *path, const void *data,
                 apr_size_t n)
{
    apr_file_t *f;

    if (apr_file_open(&f, path, APR_FOPEN_WRITE | APR_FOPEN_CREATE,
                      APR_FPROT_OS_DEFAULT, p)
        == APR_SUCCESS) {
        apr_file_write_full(f, data, n, NULL);
        apr_file_close(f);
    }
}

/* Written and read back the same; whatever is not a whole batch refused. */
static void test_batch_format(apr_pool_t *p, const char *dir)
{
    ls_activity_t ev[3];
    apr_array_header_t *got = NULL;
    const char *err = NULL, *path = NULL;
    char *long_path = apr_palloc(p, 20001);
    apr_dir_t *d;
    apr_finfo_t fi;
    int same = 1, i;

    memset(long_path, 'x', 20000);
    long_path[20000] = '\0';
    memset(ev, 0, sizeof(ev));
    ev[0].share_id = "0123456789abcdef";
    ev[0].at = APR_INT64_C(1764612000123456);
    ev[0].kind = LS_ACTIVITY_DOWNLOAD;
    ev[0].path = "caf\xc3\xa9/a\tb\nc\r.jpg";
    ev[0].status = 206;
    ev[0].bytes = APR_INT64_C(5000000000);
    ev[0].address = "2001:db8:1::";
    ev[1] = ev[0];
    ev[1].path = long_path;
    ev[1].job = "fedcba9876543210";
    ev[1].address = NULL;
    ev[1].status = -1;
    ev[2] = ev[0];
    ev[2].path = "";
    ev[2].kind = LS_ACTIVITY_UNLOCK_FAILED;
    ok(apr_dir_make(dir, APR_FPROT_OS_DEFAULT, p) == APR_SUCCESS,
       "batch dir made");
    ok(ls_activity_batch_write(p, dir, ev, 3, &err) == APR_SUCCESS,
       "a batch written (%s)", err ? err : "");
    ok(count_files(p, dir, LS_ACTIVITY_BATCH_SUFFIX) == 1
           && count_files(p, dir, ".tmp") == 0,
       "one finished file, no temporary one left");
    if (apr_dir_open(&d, dir, p) == APR_SUCCESS) {
        while (apr_dir_read(&fi, APR_FINFO_NAME, d) == APR_SUCCESS) {
            if (fi.name[0] != '.') {
                path = apr_pstrcat(p, dir, "/", fi.name, NULL);
            }
        }
        apr_dir_close(d);
    }
    ok(path && ls_activity_batch_read(p, path, &got, &err) == APR_SUCCESS
           && got->nelts == 3,
       "read back: 3 events (%s)", err ? err : "");
    for (i = 0; got && i < got->nelts && i < 3; i++) {
        const ls_activity_t *e = &APR_ARRAY_IDX(got, i, ls_activity_t);
#define SAME(a, b) ((a) == NULL ? (b) == NULL : (b) != NULL && !strcmp(a, b))
        same = same && e->id == NULL && e->at == ev[i].at
               && e->status == ev[i].status && e->bytes == ev[i].bytes
               && SAME(e->share_id, ev[i].share_id) && SAME(e->kind, ev[i].kind)
               && SAME(e->path, ev[i].path) && SAME(e->job, ev[i].job)
               && SAME(e->address, ev[i].address);
#undef SAME
    }
    ok(same, "every field the same: NULLs, an empty path, tabs and newlines, "
             "20,000 bytes, 5 GB, a negative status");
    if (path) {
        apr_file_remove(path, p);
    }

    path = apr_pstrcat(p, dir, "/x.batch", NULL);
    spew(p, path, "LSACTV2\n", 8);
    ok(ls_activity_batch_read(p, path, &got, &err) == APR_EINVAL,
       "another format refused");
    spew(p, path, "LSA", 3);
    ok(ls_activity_batch_read(p, path, &got, &err) == APR_EINVAL,
       "3 bytes refused");
    {
        /* One event cut inside its share id; then a length past the end;
         * then a NUL inside a string. */
        static const unsigned char cut[] = {
            'L', 'S', 'A', 'C', 'T', 'V', '1', '\n', 1,   0,  0, 0,
            0,   0,   0,   0,   200, 0,   0,   0,    5,   0,  0, 0,
            0,   0,   0,   0,   16,  0,   0,   0,    'a', 'b'};
        static const unsigned char huge[] = {
            'L', 'S', 'A', 'C', 'T', 'V', '1',  '\n', 1,    0,   0,
            0,   0,   0,   0,   0,   200, 0,    0,    0,    5,   0,
            0,   0,   0,   0,   0,   0,   0xfe, 0xff, 0xff, 0xff};
        static const unsigned char nul[] = {
            'L', 'S', 'A', 'C', 'T', 'V', '1', '\n', 1,   0, 0, 0,
            0,   0,   0,   0,   200, 0,   0,   0,    5,   0, 0, 0,
            0,   0,   0,   0,   2,   0,   0,   0,    'a', 0};

        spew(p, path, cut, sizeof(cut));
        ok(ls_activity_batch_read(p, path, &got, &err) == APR_EINVAL,
           "an event cut short refused (%s)", err ? err : "");
        spew(p, path, huge, sizeof(huge));
        ok(ls_activity_batch_read(p, path, &got, &err) == APR_EINVAL,
           "a length past the end refused");
        spew(p, path, nul, sizeof(nul));
        ok(ls_activity_batch_read(p, path, &got, &err) == APR_EINVAL,
           "a NUL inside a string refused");
    }
    apr_file_remove(path, p);
    ok(ls_activity_batch_write(p, apr_pstrcat(p, dir, "/missing", NULL), ev, 1,
                               &err)
           == APR_ENOENT,
       "no directory: the error, not a crash (%s)", err ? err : "");
}

/* The node's writer: files in, rows out, files gone; a bad file set
 * aside; a store that refuses keeps the files; a dead writer's temporary
 * file swept; a backlog past its bound trimmed. */
static void run_ingest(apr_pool_t *p, ls_store *s, const char *driver,
                       const char *share, const char *dir)
{
    ls_activity_t ev[2];
    ls_activity_ingest_t got;
    apr_array_header_t *page = NULL;
    const char *err = NULL, *next, *stale, *fresh;
    ls_store *broken = NULL;
    int i;

    memset(ev, 0, sizeof(ev));
    ev[0].share_id = share;
    ev[0].kind = LS_ACTIVITY_DOWNLOAD;
    ev[0].path = "a.jpg";
    ev[0].status = 200;
    ev[1] = ev[0];
    ev[1].share_id = "ffffffffffffffff"; /* no such share: skipped */
    for (i = 0; i < 3; i++) {
        ev[0].at = ev[1].at = apr_time_now();
        ls_activity_batch_write(p, dir, ev, 2, &err);
    }
    spew(p, apr_pstrcat(p, dir, "/0-garbage.batch", NULL), "garbage", 7);
    stale = apr_pstrcat(p, dir, "/1-dead.tmp", NULL);
    fresh = apr_pstrcat(p, dir, "/2-writing.tmp", NULL);
    spew(p, stale, "x", 1);
    spew(p, fresh, "x", 1);
    apr_file_mtime_set(stale, apr_time_now() - apr_time_from_sec(3600), p);
    ok(ls_activity_batch_ingest(p, dir, s, &got, &err) == APR_SUCCESS
           && got.files == 3 && got.events == 6 && got.written == 3
           && got.bad == 1 && got.waiting == 0,
       "%s: 3 files ingested, 3 rows (the unknown share's skipped), the "
       "garbage set aside (%d files, %d events, %d rows, %d bad; %s)",
       driver, got.files, got.events, got.written, got.bad, err ? err : "");
    ls_store_activity_page(s, p, share, NULL, 50, &page, &next, &err);
    ok(page && page->nelts == 3, "%s: the rows are there (%d)", driver,
       page ? page->nelts : -1);
    ok(count_files(p, dir, LS_ACTIVITY_BATCH_SUFFIX) == 0
           && count_files(p, dir, ".bad") == 1,
       "%s: ingested files removed, the bad one kept as .bad", driver);
    ok(count_files(p, dir, ".tmp") == 1
           && apr_stat(&(apr_finfo_t){0}, fresh, APR_FINFO_SIZE, p)
                  == APR_SUCCESS,
       "%s: a dead writer's temporary file removed, a fresh one kept", driver);
    apr_file_remove(fresh, p);
    apr_file_remove(apr_pstrcat(p, dir, "/0-garbage.batch.bad", NULL), p);

    /* A file another node's writer has claimed (renamed) is its own. */
    {
        const char *theirs = apr_pstrcat(p, dir, "/3-other.batch.claim.99999",
                                         NULL);

        ev[0].at = apr_time_now();
        ok(ls_activity_batch_write(p, dir, ev, 1, &err) == APR_SUCCESS,
           "%s: one more batch", driver);
        {
            apr_dir_t *d;
            apr_finfo_t fi;

            if (apr_dir_open(&d, dir, p) == APR_SUCCESS) {
                while (apr_dir_read(&fi, APR_FINFO_NAME, d) == APR_SUCCESS) {
                    if (strstr(fi.name, LS_ACTIVITY_BATCH_SUFFIX)) {
                        apr_file_rename(apr_pstrcat(p, dir, "/", fi.name, NULL),
                                        theirs, p);
                    }
                }
                apr_dir_close(d);
            }
        }
        ok(ls_activity_batch_ingest(p, dir, s, &got, &err) == APR_SUCCESS
               && got.files == 0
               && apr_stat(&(apr_finfo_t){0}, theirs, APR_FINFO_SIZE, p)
                      == APR_SUCCESS,
           "%s: a file claimed by another writer is left to it", driver);
        /* That writer died: once its claim is stale (ten minutes; here at
         * once) the file goes back in line and is ingested. */
        ls_activity_batch_stale_after(0);
        apr_sleep(apr_time_from_msec(10));
        ls_activity_batch_ingest(p, dir, s, &got, &err);
        ok(ls_activity_batch_ingest(p, dir, s, &got, &err) == APR_SUCCESS
               && got.files == 1
               && apr_stat(&(apr_finfo_t){0}, theirs, APR_FINFO_SIZE, p)
                      != APR_SUCCESS,
           "%s: a dead writer's stale claim goes back in line, then in (%d)",
           driver, got.files);
        ls_activity_batch_stale_after(apr_time_from_sec(600));
        apr_file_remove(theirs, p);
    }

    /* A store without the table refuses: the files wait. */
    ok(ls_store_open(p, "sqlite3", apr_pstrcat(p, dir, "/../empty.db", NULL), 1,
                     1, &broken, &err)
           == APR_SUCCESS,
       "%s: an empty store opened (%s)", driver, err ? err : "");
    ev[0].at = apr_time_now();
    ls_activity_batch_write(p, dir, ev, 1, &err);
    ok(broken
           && ls_activity_batch_ingest(p, dir, broken, &got, &err)
                  != APR_SUCCESS
           && got.files == 0 && got.waiting == 1
           && count_files(p, dir, LS_ACTIVITY_BATCH_SUFFIX) == 1,
       "%s: a store that refuses: the file waits (%d waiting)", driver,
       got.waiting);
    for (i = 0; i < LS_ACTIVITY_BACKLOG_FILES + 2; i++) {
        ls_activity_batch_write(p, dir, ev, 1, &err);
    }
    ok(broken
           && ls_activity_batch_ingest(p, dir, broken, &got, &err)
                  != APR_SUCCESS
           && got.dropped == 3
           && count_files(p, dir, LS_ACTIVITY_BATCH_SUFFIX)
                  == LS_ACTIVITY_BACKLOG_FILES,
       "%s: a backlog past %d files loses its oldest (%d dropped)", driver,
       LS_ACTIVITY_BACKLOG_FILES, got.dropped);
    for (i = 0; i < 20 && count_files(p, dir, LS_ACTIVITY_BATCH_SUFFIX) > 0;
         i++) {
        ls_activity_batch_ingest(p, dir, s, &got, &err);
    }
    ok(count_files(p, dir, LS_ACTIVITY_BATCH_SUFFIX) == 0,
       "%s: the store back, the backlog drains %d files at a time", driver,
       LS_ACTIVITY_INGEST_FILES);
}

static const char *batch_dir;

/* Schema v9 on a store with events of v8 (16 random hex digits for ids):
 * ids rewritten time-first, pages and the sweep as before. */
static void run_v9(apr_pool_t *p, const char *driver, const char *params)
{
    ls_store *s = NULL;
    ls_activity_t ev[3];
    apr_array_header_t *page = NULL;
    const char *err = NULL, *next = NULL, *share;
    int from = -1, n = 0, i, good = 1;
    static const char *const old_ids[] = {
        "f000000000000001", "0000000000000002", "8000000000000003"};

    if (ls_store_open(p, driver, params, 1, 1, &s, &err) != APR_SUCCESS
        || ls_store_migrate_to(s, p, 8, &from, &err) != APR_SUCCESS) {
        ok(0, "%s: a store at version 8 (%s)", driver, err ? err : "");
        return;
    }
    share = new_share(p, s, driver);
    memset(ev, 0, sizeof(ev));
    for (i = 0; i < 3; i++) {
        ev[i].id = old_ids[i];
        ev[i].share_id = share;
        ev[i].at = APR_INT64_C(1764612000000000) + i * 1000;
        ev[i].kind = LS_ACTIVITY_PAGE;
        ev[i].status = 200;
    }
    ok(ls_store_activity_insert(s, p, ev, 3, &n, &err) == APR_SUCCESS && n == 3,
       "%s: 3 events with version 8's ids (%s)", driver, err ? err : "");
    ok(ls_store_migrate(s, p, &from, &err) == APR_SUCCESS && from == 8,
       "%s: migrated from version 8 (%s)", driver, err ? err : "");
    ok(ls_store_activity_page(s, p, share, NULL, 50, &page, &next, &err)
               == APR_SUCCESS
           && page->nelts == 3,
       "%s: the 3 events kept (%s)", driver, err ? err : "");
    for (i = 0; page && i < page->nelts; i++) {
        const ls_activity_t *e = &APR_ARRAY_IDX(page, i, ls_activity_t);
        const char *want = apr_psprintf(
            p, "%014" APR_UINT64_T_HEX_FMT "%.10s00000000",
            (apr_uint64_t)ev[2 - i].at, old_ids[2 - i]);

        good = good && strcmp(e->id, want) == 0 && e->at == ev[2 - i].at;
    }
    ok(good,
       "%s: their ids time-first (time, the old id's first 10 digits, "
       "zeros), newest first",
       driver);
    ok(ls_store_activity_sweep(s, p, ev[1].at, &n, &err) == APR_SUCCESS
           && n == 1,
       "%s: the sweep by the primary key deletes the older one (%d)", driver,
       n);
    ok(ls_store_activity_sweep(s, p, ev[2].at + 1, &n, &err) == APR_SUCCESS
           && n == 2,
       "%s: ... and at its own time the rest (%d)", driver, n);
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
    run_ingest(p, s, driver, new_share(p, s, driver), batch_dir);
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
    batch_dir = apr_pstrcat(p, dir, "/batches", NULL);
    test_batch_format(p, batch_dir);
    run(p, "sqlite3", apr_pstrcat(p, dir, "/ls.db", NULL));
    run_v9(p, "sqlite3", apr_pstrcat(p, dir, "/v8.db", NULL));
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
