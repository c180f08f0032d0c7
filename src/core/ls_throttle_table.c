/* ls_throttle_table: lock-free per-client miss counting (see
 * ls_throttle_table.h). */
#include <stddef.h>
#include <string.h>

#include <apr_atomic.h>

#include "ls_throttle_table.h"

#define MAGIC     APR_UINT64_C(0x6c73677565737331) /* "lsguess1" */
#define COUNT_MAX 0x7fffffffu

typedef struct {
    volatile apr_uint64_t key;   /* 0: never used */
    volatile apr_uint64_t state; /* see the header's diagram */
} slot_t;

struct ls_throttle_table {
    apr_uint64_t magic;
    apr_uint64_t nslots; /* a power of 2 */
    apr_uint64_t seed;
    slot_t slots[1]; /* nslots of them */
};

static apr_uint64_t pack(apr_int64_t start, apr_uint32_t count, int logged)
{
    return ((apr_uint64_t)(apr_uint32_t)start << 32)
           | ((apr_uint64_t)(count & COUNT_MAX) << 1) | (logged ? 1 : 0);
}

static apr_int64_t st_start(apr_uint64_t st)
{
    return (apr_int64_t)(st >> 32);
}

static apr_uint32_t st_count(apr_uint64_t st)
{
    return (apr_uint32_t)(st >> 1) & COUNT_MAX;
}

/* A window is over once `window` seconds passed; a clock that went back
 * (now before the start) ends it too rather than freezing it. */
static int stale(apr_uint64_t st, apr_int64_t now, apr_int64_t window)
{
    apr_int64_t start = st_start(st);
    return now < start || now - start >= window;
}

apr_size_t ls_throttle_table_size(apr_uint32_t nslots)
{
    return offsetof(ls_throttle_table_t, slots) + nslots * sizeof(slot_t);
}

ls_throttle_table_t *ls_throttle_table_init(void *mem, apr_uint32_t nslots,
                                            apr_uint64_t seed)
{
    ls_throttle_table_t *t = mem;

    memset(mem, 0, ls_throttle_table_size(nslots));
    t->magic = MAGIC;
    t->nslots = nslots;
    t->seed = seed;
    return t;
}

/* FNV-1a over the seed and the address, then a 64-bit finaliser
 * (MurmurHash3's fmix64) so that every input bit moves every output bit.
 * Not a MAC: the seed only keeps slots from being aimed at, and nobody
 * outside sees a key. */
apr_uint64_t ls_throttle_table_key(const ls_throttle_table_t *t,
                                   const void *addr, apr_size_t len)
{
    const unsigned char *b = addr;
    apr_uint64_t h = APR_UINT64_C(0xcbf29ce484222325);
    apr_size_t i;

    for (i = 0; i < 8; i++) {
        h = (h ^ ((t->seed >> (i * 8)) & 0xff)) * APR_UINT64_C(0x100000001b3);
    }
    for (i = 0; i < len; i++) {
        h = (h ^ b[i]) * APR_UINT64_C(0x100000001b3);
    }
    h ^= h >> 33;
    h *= APR_UINT64_C(0xff51afd7ed558ccd);
    h ^= h >> 33;
    h *= APR_UINT64_C(0xc4ceb9fe1a85ec53);
    h ^= h >> 33;
    return h ? h : 1;
}

/* The slot of key, or NULL. With add, a slot is found or taken for it:
 * an empty one, else one whose window is over, else the one whose window
 * started first (its state then restarts for the new client). */
static slot_t *find(ls_throttle_table_t *t, apr_uint64_t key, int add,
                    apr_int64_t now, apr_int64_t window)
{
    apr_uint64_t mask = t->nslots - 1, k;
    slot_t *reuse = NULL, *oldest = NULL;
    apr_int64_t oldest_start = 0;
    int i;

    for (i = 0; i < LS_THROTTLE_PROBE; i++) {
        slot_t *s = &t->slots[(key + (apr_uint64_t)i) & mask];
        k = apr_atomic_read64(&s->key);
        if (k == key) {
            return s;
        }
        if (k == 0) {
            if (!add) {
                return NULL;
            }
            k = apr_atomic_cas64(&s->key, key, 0);
            if (k == 0 || k == key) {
                return s; /* ours, or the same client just took it */
            }
            continue; /* another client took it meanwhile */
        }
        if (add) {
            apr_uint64_t st = apr_atomic_read64(&s->state);
            if (reuse == NULL && stale(st, now, window)) {
                reuse = s;
            }
            if (oldest == NULL || st_start(st) < oldest_start) {
                oldest = s;
                oldest_start = st_start(st);
            }
        }
    }
    if (!add) {
        return NULL;
    }
    if (reuse) {
        /* Its window is over: the next update restarts it anyway. */
        k = apr_atomic_read64(&reuse->key);
        return apr_atomic_cas64(&reuse->key, key, k) == k ? reuse : NULL;
    }
    k = apr_atomic_read64(&oldest->key);
    if (apr_atomic_cas64(&oldest->key, key, k) != k) {
        return NULL; /* lost a race for it: this miss goes uncounted */
    }
    apr_atomic_set64(&oldest->state, pack(now, 0, 0));
    return oldest;
}

void ls_throttle_table_miss(ls_throttle_table_t *t, apr_uint64_t key,
                            apr_int64_t now, apr_int64_t window)
{
    slot_t *s = find(t, key, 1, now, window);
    apr_uint64_t st, next;

    if (s == NULL) {
        return;
    }
    do {
        st = apr_atomic_read64(&s->state);
        if (stale(st, now, window)) {
            next = pack(now, 1, 0);
        }
        else {
            apr_uint32_t n = st_count(st);
            next = pack(st_start(st), n < COUNT_MAX ? n + 1 : n, (int)(st & 1));
        }
    } while (apr_atomic_cas64(&s->state, next, st) != st);
}

int ls_throttle_table_blocked(ls_throttle_table_t *t, apr_uint64_t key,
                              apr_int64_t now, apr_int64_t window, int limit,
                              apr_int64_t *retry_after, int *first)
{
    slot_t *s = find(t, key, 0, now, window);
    apr_uint64_t st;

    *first = 0;
    if (s == NULL) {
        return 0;
    }
    st = apr_atomic_read64(&s->state);
    if (stale(st, now, window) || st_count(st) < (apr_uint32_t)limit) {
        return 0;
    }
    *retry_after = st_start(st) + window - now;
    if (*retry_after < 1) {
        *retry_after = 1;
    }
    /* One caller per window sets the flag, and so logs. */
    *first = !(st & 1) && apr_atomic_cas64(&s->state, st | 1, st) == st;
    return 1;
}

int ls_throttle_table_blocked_count(const ls_throttle_table_t *t,
                                    apr_int64_t now, apr_int64_t window,
                                    int limit)
{
    apr_uint64_t i;
    int n = 0;

    for (i = 0; t && i < t->nslots; i++) {
        apr_uint64_t st = t->slots[i].state;

        if (t->slots[i].key && !stale(st, now, window)
            && st_count(st) >= (apr_uint32_t)limit) {
            n++;
        }
    }
    return n;
}
