/* Unit tests for ls_throttle_table: counting per client, the limit, the
 * window, one log line per window, a full table, and processes sharing
 * one table. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <apr_general.h>

#include "ls_throttle_table.h"
#include "tap.h"

static ls_throttle_table_t *make(apr_uint32_t n, void **mem)
{
    *mem = calloc(1, ls_throttle_table_size(n));
    return ls_throttle_table_init(*mem, n, 42);
}

int main(void)
{
    void *mem;
    ls_throttle_table_t *t = make(64, &mem);
    apr_uint64_t a = ls_throttle_table_key(t, "10.0.0.1", 8);
    apr_uint64_t b = ls_throttle_table_key(t, "10.0.0.2", 8);
    apr_int64_t retry = -1;
    int first = -1, i, logs, blocked, status;
    void *shared;

    apr_initialize();
    ok(a != 0 && b != 0 && a != b, "keys differ per address, never 0");
    ok(a == ls_throttle_table_key(t, "10.0.0.1", 8), "a key is stable");
    {
        void *m2 = calloc(1, ls_throttle_table_size(64));
        ls_throttle_table_t *t2 = ls_throttle_table_init(m2, 64, 43);
        ok(ls_throttle_table_key(t2, "10.0.0.1", 8) != a,
           "another seed, another key");
        free(m2);
    }

    ok(!ls_throttle_table_blocked(t, a, 1000, 60, 3, &retry, &first),
       "an unknown client is not blocked");
    ok(first == 0, "... and nothing to log");
    for (i = 0; i < 3; i++) {
        ok(!ls_throttle_table_blocked(t, a, 1000 + i, 60, 3, &retry, &first),
           "miss %d: not blocked before it", i + 1);
        ls_throttle_table_miss(t, a, 1000 + i, 60);
    }
    ok(ls_throttle_table_blocked(t, a, 1010, 60, 3, &retry, &first),
       "at the limit: blocked");
    ok(retry == 50, "Retry-After: the window started at 1000, 60 s: 50 (%d)",
       (int)retry);
    ok(first == 1, "the first refusal logs");
    ok(ls_throttle_table_blocked(t, a, 1011, 60, 3, &retry, &first)
           && first == 0,
       "the second refusal in the window does not");
    ok(!ls_throttle_table_blocked(t, b, 1011, 60, 3, &retry, &first),
       "another client is not blocked");
    ok(ls_throttle_table_blocked_count(t, 1011, 60, 3) == 1,
       "one client blocked (the status page's count)");
    ok(ls_throttle_table_blocked_count(t, 1011, 60, 4) == 0,
       "none at a higher limit");
    ok(ls_throttle_table_blocked_count(t, 1070, 60, 3) == 0,
       "none once the window is over");
    ok(!ls_throttle_table_blocked(t, a, 1011, 60, 4, &retry, &first),
       "a higher limit: not blocked");
    ok(ls_throttle_table_blocked(t, a, 1059, 60, 3, &retry, &first)
           && retry == 1,
       "one second before the window ends: Retry-After 1");
    ok(!ls_throttle_table_blocked(t, a, 1060, 60, 3, &retry, &first),
       "the window is over: not blocked");
    ls_throttle_table_miss(t, a, 1060, 60);
    ok(!ls_throttle_table_blocked(t, a, 1061, 60, 3, &retry, &first),
       "a miss after the window starts a new count");
    ls_throttle_table_miss(t, a, 1061, 60);
    ls_throttle_table_miss(t, a, 1062, 60);
    ok(ls_throttle_table_blocked(t, a, 1062, 60, 3, &retry, &first)
           && first == 1 && retry == 58,
       "blocked again in the new window, logged once more, retry 58");
    ok(!ls_throttle_table_blocked(t, a, 900, 60, 3, &retry, &first),
       "a clock that went back ends the window");

    /* Many clients on a small table: every one is counted while it has a
     * slot, and the table never grows. */
    free(mem);
    t = make(16, &mem);
    for (i = 0; i < 1000; i++) {
        char addr[16];
        apr_uint64_t k;
        int n = snprintf(addr, sizeof(addr), "192.0.2.%d", i);
        k = ls_throttle_table_key(t, addr, (apr_size_t)n);
        ls_throttle_table_miss(t, k, 5000 + i, 10);
        ls_throttle_table_miss(t, k, 5000 + i, 10);
    }
    {
        apr_uint64_t k = ls_throttle_table_key(t, "192.0.2.999", 11);
        ok(ls_throttle_table_blocked(t, k, 5999, 10, 2, &retry, &first),
           "full table: the newest client is still counted");
        k = ls_throttle_table_key(t, "192.0.2.0", 9);
        ok(!ls_throttle_table_blocked(t, k, 5999, 10, 2, &retry, &first),
           "... an old window was forgotten to make room");
    }

    /* Four processes share one table (as httpd's children do): no miss
     * is lost to a race, and exactly one of them logs. */
    shared = mmap(NULL, ls_throttle_table_size(64), PROT_READ | PROT_WRITE,
                  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    t = ls_throttle_table_init(shared, 64, 7);
    for (i = 0; i < 4; i++) {
        if (fork() == 0) {
            int j;
            for (j = 0; j < 5000; j++) {
                ls_throttle_table_miss(t, a, 100, 60);
            }
            _exit(0);
        }
    }
    while (wait(&status) > 0) {
    }
    ok(ls_throttle_table_blocked(t, a, 100, 60, 20000, &retry, &first),
       "20000 misses from 4 processes: all counted");
    ok(!ls_throttle_table_blocked(t, a, 100, 60, 20001, &retry, &first),
       "... and not one more");
    /* Reset the log flag by a new window, then race the first refusal. */
    ls_throttle_table_miss(t, a, 200, 60);
    for (i = 0; i < 4; i++) {
        if (fork() == 0) {
            int j, mine = 0;
            for (j = 0; j < 1000; j++) {
                ls_throttle_table_blocked(t, a, 201, 60, 1, &retry, &first);
                mine += first;
            }
            _exit(mine);
        }
    }
    logs = 0;
    while (wait(&status) > 0) {
        logs += WEXITSTATUS(status);
    }
    ok(logs == 1, "4 processes refusing 4000 times: one log line (%d)", logs);
    blocked = ls_throttle_table_blocked(t, a, 201, 60, 1, &retry, &first);
    ok(blocked && retry == 59, "still blocked, retry 59");
    munmap(shared, ls_throttle_table_size(64));
    free(mem);
    done_testing();
}
