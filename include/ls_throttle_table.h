/* ls_throttle_table: the counting behind LinkShareGuessLimit, on a block
 * of memory the caller provides (anonymous shared memory in httpd, plain
 * memory in the unit test). Pure unit (APR atomics only, never logs);
 * ls_throttle is the httpd side (addresses, the 429, the log line).
 *
 * A fixed-size open-addressing table of clients, keyed by a hash of the
 * client address. Each slot is two 64-bit words, each updated with one
 * compare-and-swap, so every process updates it without a lock:
 *
 *   header  | magic | nslots (power of 2) | seed (64 bits, random)   |
 *   slot 0  | key (0 = never used)        | state                    |
 *   slot 1  | key                         | state                    |
 *   ...                                                              |
 *   state:  63            32 31                           1    0
 *           | window start  | misses in this window       | logged |
 *           | (epoch secs)  | (saturating)                |        |
 *
 * A window starts at a client's first miss and lasts `window` seconds;
 * past it the slot counts from zero again (no sweeping: a stale slot is
 * simply reused). A key is looked for in at most LS_THROTTLE_PROBE slots
 * from its hash; keys are never cleared, only replaced, so the first
 * empty slot ends a search. When all of them hold live windows, the one
 * whose window started first is taken over: a crowd of addresses can
 * make the count forget a client, never refuse one that did not miss. */
#ifndef LS_THROTTLE_TABLE_H
#define LS_THROTTLE_TABLE_H

#include <apr.h>
#include <apr_errno.h>

#define LS_THROTTLE_PROBE 16 /* slots looked at per key */

typedef struct ls_throttle_table ls_throttle_table_t;

/* Bytes needed for nslots slots (a power of 2, at least 16). */
apr_size_t ls_throttle_table_size(apr_uint32_t nslots);

/* Lays out an empty table in mem (ls_throttle_table_size(nslots) bytes,
 * 8-byte aligned) with the hash seed; returns it. */
ls_throttle_table_t *ls_throttle_table_init(void *mem, apr_uint32_t nslots,
                                            apr_uint64_t seed);

/* The key of a client address (any bytes), never 0. Keyed with the
 * table's seed, so nobody outside can aim addresses at one slot. */
apr_uint64_t ls_throttle_table_key(const ls_throttle_table_t *t,
                                   const void *addr, apr_size_t len);

/* Counts one miss (an unknown or malformed token) for key at now. */
void ls_throttle_table_miss(ls_throttle_table_t *t, apr_uint64_t key,
                            apr_int64_t now, apr_int64_t window);

/* Non-zero when key has `limit` or more misses in its current window:
 * *retry_after is then the seconds until that window ends (at least 1),
 * and *first is set for exactly one caller per window (the one that
 * should log). 0 otherwise (unknown key, window over, under the limit). */
int ls_throttle_table_blocked(ls_throttle_table_t *t, apr_uint64_t key,
                              apr_int64_t now, apr_int64_t window, int limit,
                              apr_int64_t *retry_after, int *first);

/* How many clients are blocked now (limit or more misses in a live
 * window): one pass over the table, no write. */
int ls_throttle_table_blocked_count(const ls_throttle_table_t *t,
                                    apr_int64_t now, apr_int64_t window,
                                    int limit);

#endif /* LS_THROTTLE_TABLE_H */
