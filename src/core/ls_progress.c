/* ls_progress: the shared-memory slot table (see ls_progress.h). */
#include <string.h>

#include <apr_atomic.h>
#include <apr_shm.h>
#include <apr_strings.h>

#include "ls_progress.h"

static ls_progress_slot_t *slots; /* in the shared segment */
static ls_progress_host_t *host;  /* after the slots, same segment */
static int nslots;

apr_status_t ls_progress_create(apr_pool_t *p, int n)
{
    apr_shm_t *shm;
    apr_status_t rv;

    apr_size_t size = sizeof(ls_progress_slot_t) * (n > 0 ? n : 1);

    rv = apr_shm_create(&shm, size + sizeof(ls_progress_host_t), NULL, p);
    if (rv != APR_SUCCESS) {
        slots = NULL;
        host = NULL;
        nslots = 0;
        return rv;
    }
    slots = apr_shm_baseaddr_get(shm);
    memset(slots, 0, size);
    host = (ls_progress_host_t *)((char *)slots + size);
    memset(host, 0, sizeof(*host));
    host->spool_bytes = host->spool_free = host->cache_bytes = -1;
    nslots = n;
    return APR_SUCCESS;
}

/* A seqlock: odd while writing, so readers retry rather than mix. */
static void begin(ls_progress_slot_t *s)
{
    apr_atomic_inc32(&s->seq);
}

static void end(ls_progress_slot_t *s)
{
    apr_atomic_inc32(&s->seq);
}

void ls_progress_start(int i, const char *job_id, apr_uint32_t files_total,
                       apr_uint64_t bytes_total, apr_int64_t now)
{
    ls_progress_slot_t *s;

    if (slots == NULL || i < 0 || i >= nslots) {
        return;
    }
    s = &slots[i];
    begin(s);
    memset(s->job_id, 0, sizeof(s->job_id));
    if (job_id) {
        strncpy(s->job_id, job_id, sizeof(s->job_id) - 1);
    }
    s->files_done = 0;
    s->files_total = files_total;
    s->bytes_done = 0;
    s->bytes_total = bytes_total;
    s->updated = now;
    s->job_started = job_id ? now : 0;
    s->state = job_id ? LS_PROGRESS_PACKAGING : LS_PROGRESS_IDLE;
    end(s);
}

void ls_progress_update(int i, apr_uint32_t files_done, apr_uint64_t bytes_done,
                        apr_int64_t now)
{
    ls_progress_slot_t *s;

    if (slots == NULL || i < 0 || i >= nslots) {
        return;
    }
    s = &slots[i];
    begin(s);
    s->files_done = files_done;
    s->bytes_done = bytes_done;
    s->updated = now;
    end(s);
}

apr_status_t ls_progress_find(const char *job_id, ls_progress_slot_t *out)
{
    int i, tries;

    for (i = 0; slots && i < nslots; i++) {
        for (tries = 0; tries < 100; tries++) {
            apr_uint32_t before = apr_atomic_read32(&slots[i].seq);
            if (before & 1) {
                continue; /* being written */
            }
            memcpy(out, &slots[i], sizeof(*out));
            if (apr_atomic_read32(&slots[i].seq) == before) {
                break;
            }
        }
        if (tries < 100 && strcmp(out->job_id, job_id) == 0) {
            return APR_SUCCESS;
        }
    }
    return APR_NOTFOUND;
}

apr_uint32_t ls_progress_generation(void)
{
    apr_uint32_t sum = 0;
    int i;

    for (i = 0; slots && i < nslots; i++) {
        sum += apr_atomic_read32(&slots[i].seq);
    }
    return sum;
}

void ls_progress_claim(int i, const char *claim)
{
    ls_progress_slot_t *s;

    if (slots == NULL || i < 0 || i >= nslots) {
        return;
    }
    s = &slots[i];
    begin(s);
    apr_cpystrn(s->claim, claim, sizeof(s->claim));
    end(s);
}

void ls_progress_peek(int i, char *job_id, apr_size_t jlen, char *claim,
                      apr_size_t clen)
{
    ls_progress_slot_t copy;

    *job_id = *claim = '\0';
    if (slots == NULL || i < 0 || i >= nslots) {
        return;
    }
    /* The worker is dead or not started: nobody writes the slot now. */
    memcpy(&copy, &slots[i], sizeof(copy));
    apr_cpystrn(job_id, copy.job_id, jlen);
    apr_cpystrn(claim, copy.claim, clen);
}

void ls_progress_worker(int i, apr_int64_t pid, apr_int64_t now)
{
    ls_progress_slot_t *s;

    if (slots == NULL || i < 0 || i >= nslots) {
        return;
    }
    s = &slots[i];
    begin(s);
    s->pid = pid;
    s->started = now;
    s->state = LS_PROGRESS_IDLE;
    end(s);
}

/* Outside the sequence: an idle worker's rounds (mail, renditions, wait)
 * must not move ls_progress_generation, which event streams watch to
 * know when to read the store. One aligned word: readers see the old or
 * the new state, never a mix. */
void ls_progress_state(int i, apr_uint32_t state)
{
    if (slots == NULL || i < 0 || i >= nslots) {
        return;
    }
    apr_atomic_set32((volatile apr_uint32_t *)&slots[i].state, state);
}

int ls_progress_slots(void)
{
    return slots ? nslots : 0;
}

apr_status_t ls_progress_snapshot(int i, ls_progress_slot_t *out)
{
    int tries;

    if (slots == NULL || i < 0 || i >= nslots) {
        return APR_NOTFOUND;
    }
    for (tries = 0; tries < 100; tries++) {
        apr_uint32_t before = apr_atomic_read32(&slots[i].seq);
        if (before & 1) {
            continue; /* being written */
        }
        memcpy(out, &slots[i], sizeof(*out));
        if (apr_atomic_read32(&slots[i].seq) == before) {
            return APR_SUCCESS;
        }
    }
    return APR_EAGAIN;
}

void ls_progress_host_set(apr_int64_t spool_bytes, apr_int64_t spool_free,
                          apr_int64_t cache_bytes, apr_int64_t now)
{
    if (host == NULL) {
        return;
    }
    apr_atomic_inc32(&host->seq);
    host->spool_bytes = spool_bytes;
    host->spool_free = spool_free;
    host->cache_bytes = cache_bytes;
    host->updated = now;
    apr_atomic_inc32(&host->seq);
}

void ls_progress_host_get(ls_progress_host_t *out)
{
    int tries;

    memset(out, 0, sizeof(*out));
    out->spool_bytes = out->spool_free = out->cache_bytes = -1;
    for (tries = 0; host && tries < 100; tries++) {
        apr_uint32_t before = apr_atomic_read32(&host->seq);
        if (before & 1) {
            continue;
        }
        memcpy(out, host, sizeof(*out));
        if (apr_atomic_read32(&host->seq) == before) {
            return;
        }
    }
}
