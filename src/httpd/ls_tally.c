/* ls_tally: the whole share's size and its folders' (see ls_tally.h).
 * The cache is a small table of slots, one per share, each with its own
 * pool, guarded by one mutex: request threads only hold it to look up or
 * to copy a finished tally in, never while walking. */
#include <pthread.h>

#include "httpd.h"
#include "apr_hash.h"
#include "apr_strings.h"

#include "ls_authz.h"
#include "ls_config.h"
#include "ls_select.h"
#include "ls_tally.h"

typedef struct {
    char id[64];      /* the share's id; "" = free */
    apr_time_t at;    /* when counted */
    apr_pool_t *pool; /* folders live here */
    ls_tally_t tally;
    apr_hash_t *folders; /* resolved folder path -> apr_off_t; NULL: not
                           * kept */
} slot_t;

static slot_t slots[LS_TALLY_SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* Adds size to every folder above src, up to (not including) root. */
static void add_up(apr_pool_t *p, apr_hash_t *folders, const char *root,
                   const char *src, apr_off_t size)
{
    apr_size_t rlen = strlen(root);
    char *dir = apr_pstrdup(p, src), *slash;

    while ((slash = strrchr(dir, '/')) != NULL
           && (apr_size_t)(slash - dir) > rlen) {
        apr_off_t *sum;
        *slash = '\0';
        sum = apr_hash_get(folders, dir, APR_HASH_KEY_STRING);
        if (sum == NULL) {
            sum = apr_pcalloc(p, sizeof(*sum));
            apr_hash_set(folders, apr_pstrdup(p, dir), APR_HASH_KEY_STRING,
                         sum);
        }
        *sum += size;
    }
}

/* Counts req's share in p (the walk of a queued download, over
 * originals); folders are kept unless there are too many. */
static void count(request_rec *r, const ls_req_t *req, apr_pool_t *p,
                  ls_tally_t *t, apr_hash_t **folders)
{
    ls_server_conf *sc = ls_config_get(r->server);
    ls_selection_t *sel = NULL;
    const char *why = NULL;
    apr_status_t rv;
    int i;

    memset(t, 0, sizeof(*t));
    *folders = NULL;
    rv = ls_select(r->pool, sc->asset_real, NULL, req->share,
                   ls_authz_filter(r, req->share->owner), NULL, sc->max_files,
                   sc->max_content, &sel, &why);
    if (rv == LS_SELECT_TOO_BIG) {
        t->state = LS_TALLY_TOO_BIG;
        /* ls_select says which limit in its sentence only. */
        t->too_many_files = why && strstr(why, " files;") != NULL;
        return;
    }
    if (rv != APR_SUCCESS) {
        t->state = LS_TALLY_UNKNOWN;
        return;
    }
    t->state = LS_TALLY_FITS;
    t->bytes = sel->bytes;
    t->files = sel->files;
    *folders = apr_hash_make(p);
    for (i = 0; i < sel->entries->nelts; i++) {
        const ls_zip_entry_t *e = &APR_ARRAY_IDX(sel->entries, i,
                                                 ls_zip_entry_t);
        if (e->src) {
            add_up(p, *folders, sc->asset_real, e->src, e->size);
        }
        if (apr_hash_count(*folders) > LS_TALLY_FOLDERS) {
            *folders = NULL;
            return;
        }
    }
}

/* The slot of req's share, counted now when it is not there or too old.
 * Returns with the lock held. */
static slot_t *slot_of(request_rec *r, const ls_req_t *req)
{
    apr_time_t now = apr_time_now();
    slot_t *s, *oldest = &slots[0];
    ls_tally_t t;
    apr_hash_t *folders;
    apr_pool_t *scratch;
    int i;

    pthread_mutex_lock(&lock);
    for (i = 0; i < LS_TALLY_SLOTS; i++) {
        s = &slots[i];
        if (strcmp(s->id, req->share->id) == 0
            && now - s->at < apr_time_from_sec(LS_TALLY_TTL)) {
            return s;
        }
        if (s->at < oldest->at) {
            oldest = s;
        }
    }
    pthread_mutex_unlock(&lock);

    /* Walk without the lock, into a pool of its own. */
    if (apr_pool_create(&scratch, NULL) != APR_SUCCESS) {
        return NULL;
    }
    count(r, req, scratch, &t, &folders);

    pthread_mutex_lock(&lock);
    s = oldest;
    for (i = 0; i < LS_TALLY_SLOTS; i++) {
        if (strcmp(slots[i].id, req->share->id) == 0) {
            s = &slots[i]; /* another thread counted it meanwhile */
        }
    }
    if (s->pool) {
        apr_pool_destroy(s->pool);
    }
    apr_cpystrn(s->id, req->share->id, sizeof(s->id));
    s->at = now;
    s->pool = scratch;
    s->tally = t;
    s->folders = folders;
    return s;
}

ls_tally_t ls_tally_share(request_rec *r, const ls_req_t *req)
{
    slot_t *s = slot_of(r, req);
    ls_tally_t t;

    if (s == NULL) {
        memset(&t, 0, sizeof(t));
        return t;
    }
    t = s->tally;
    pthread_mutex_unlock(&lock);
    return t;
}

apr_off_t ls_tally_folder(request_rec *r, const ls_req_t *req, const char *real)
{
    slot_t *s = slot_of(r, req);
    apr_off_t *sum, out = -1;

    if (s == NULL) {
        return -1;
    }
    if (s->folders && real) {
        sum = apr_hash_get(s->folders, real, APR_HASH_KEY_STRING);
        out = sum ? *sum : -1; /* empty, or not where we looked */
    }
    pthread_mutex_unlock(&lock);
    return out;
}
