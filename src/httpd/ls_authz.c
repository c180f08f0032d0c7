/* ls_authz: may a user read an asset? (see ls_authz.h)
 *
 * One subrequest per folder, not per file. A folder's answer is the
 * subrequest for its URL ("/assets/photos/") as the user; a file in it
 * gets the same answer unless httpd could judge that file differently,
 * which only these can do (we look at which sections exist, never at
 * what they say):
 *   - a <Files>/<FilesMatch> in effect in the folder whose pattern
 *     matches the file's name (the folder's subrequest lists them),
 *   - a <Location>/<LocationMatch> that matches the file's URL but not
 *     the folder's, or the other way round,
 *   - any <If> in effect in the folder.
 * Then the file gets its own subrequest. Both kinds of answer are kept
 * per process for LinkShareCacheTTL seconds:
 *
 *   dirs:  "user\0photos"          -> {allowed, per_file, <Files> rules}
 *   files: "user\0photos/a.txt"    -> {allowed}
 */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_request.h"
#include "apr_fnmatch.h"
#include "apr_hash.h"
#include "apr_strings.h"
#include "apr_thread_mutex.h"

#include <limits.h>
#include <stdlib.h>

#include "ls_authz.h"
#include "ls_config.h"
#include "ls_path.h"
#include "ls_tag.h"

APLOG_USE_MODULE(linkshare);

/* Set on the request that makes the subrequest: whom it runs as. */
#define NOTE_USER "linkshare-authz-user"
/* Answers kept per process before the cache starts over. */
#define CACHE_MAX 20000

typedef struct {
    const char *pattern; /* as configured */
    int regex;           /* <FilesMatch>, <Files ~> */
    int fnmatch;         /* a wildcard pattern */
    ap_regex_t *re;      /* compiled in the answer's pool */
} file_rule_t;

typedef struct {
    apr_time_t expires;
    int allowed;  /* the folder's own URL passed as the user */
    int per_file; /* an <If> applies: every file asks for itself */
    int nrules;
    file_rule_t *rules;
} dir_answer_t;

typedef struct {
    apr_time_t expires;
    int allowed;
} file_answer_t;

static apr_thread_mutex_t *lock;
static apr_pool_t *cache_pool; /* cleared when CACHE_MAX is reached */
static apr_hash_t *dirs, *files;
static int cached;
static apr_interval_time_t ttl;

apr_status_t ls_authz_child_init(apr_pool_t *pchild, int ttl_s)
{
    apr_status_t rv;

    ttl = apr_time_from_sec(ttl_s > 0 ? ttl_s : 0);
    if ((rv = apr_pool_create(&cache_pool, pchild)) != APR_SUCCESS) {
        return rv;
    }
    apr_pool_tag(cache_pool, "linkshare-authz");
    dirs = apr_hash_make(cache_pool);
    files = apr_hash_make(cache_pool);
    return apr_thread_mutex_create(&lock, APR_THREAD_MUTEX_DEFAULT, pchild);
}

int ls_authz_check_user(request_rec *r)
{
    const request_rec *m;
    const char *user;

    /* The parent, or further up: mod_dir looks up the index file of a
     * folder in a subrequest of our subrequest. */
    for (m = r->main; m; m = m->main) {
        if ((user = apr_table_get(m->notes, NOTE_USER)) != NULL) {
            r->user = apr_pstrdup(r->pool, user);
            r->ap_auth_type = "LinkShare";
            return OK;
        }
    }
    return DECLINED;
}

/* The asset's URL on this site, as httpd sees it after decoding. */
static const char *asset_uri(apr_pool_t *p, request_rec *r, const char *rel,
                             int is_dir)
{
    return apr_pstrcat(p, ls_config_get(r->server)->asset_url, "/", rel,
                       is_dir && *rel ? "/" : "", NULL);
}

/* Is file (what a subrequest mapped to) the asset at rel? Compared as
 * written first (the Alias target, LinkShareAssetRoot as configured or
 * resolved), then both resolved (a symlink on either side). */
static int same_place(request_rec *r, const char *file, const char *rel)
{
    ls_server_conf *sc = ls_config_get(r->server);
    const char *want = ls_path_join(r->pool, sc->asset_real, rel);
    char a[PATH_MAX], b[PATH_MAX];

    return strcmp(file, want) == 0
           || strcmp(file, ls_path_join(r->pool, sc->asset_root, rel)) == 0
           || (realpath(file, a) && realpath(want, b) && strcmp(a, b) == 0);
}

/* Did the subrequest land on the asset itself? When LinkShareAssetURL
 * does not map onto LinkShareAssetRoot (a missing Alias, say), httpd
 * answered for some other file: refuse, and tell the admin once. */
static int lands_on_asset(request_rec *r, const request_rec *rr,
                          const char *rel, int is_dir)
{
    static int told;
    ls_server_conf *sc = ls_config_get(r->server);
    char *got, *slash;
    apr_size_t n;

    if (rr->filename == NULL) {
        return 0;
    }
    got = apr_pstrdup(r->pool, rr->filename);
    n = strlen(got);
    while (n > 1 && got[n - 1] == '/') {
        got[--n] = '\0';
    }
    if (same_place(r, got, rel)) {
        return 1;
    }
    /* mod_dir may have answered with the folder's index file. */
    if (is_dir && (slash = strrchr(got, '/')) != NULL) {
        *slash = '\0';
        if (same_place(r, got, rel)) {
            return 1;
        }
    }
    if (!told) {
        told = 1;
        ap_log_rerror(
            APLOG_MARK, APLOG_ERR, 0, r,
            LS_TAG(00133) "LinkShareAssetURL %s does not map onto "
                          "LinkShareAssetRoot %s (%s/%s is served from %s): "
                          "nothing below a share can be checked, so nothing is "
                          "shown; map it with Alias",
                   sc->asset_url, sc->asset_root, sc->asset_url, rel,
                   rr->filename);
    }
    return 0;
}

/* One subrequest as user; its status, and the folder's rules when d. */
static int ask_httpd(request_rec *r, const char *user, const char *rel,
                     int is_dir, dir_answer_t *d)
{
    const char *uri, *saved = apr_table_get(r->notes, NOTE_USER);
    request_rec *rr;
    int status;

    uri = apr_pstrcat(r->pool, ls_config_get(r->server)->asset_url, "/",
                      ap_escape_uri(r->pool, rel), is_dir && *rel ? "/" : "",
                      NULL);
    apr_table_setn(r->notes, NOTE_USER, user);
    rr = ap_sub_req_lookup_uri(uri, r, NULL);
    if (saved) {
        apr_table_setn(r->notes, NOTE_USER, saved);
    }
    else {
        apr_table_unset(r->notes, NOTE_USER);
    }
    status = rr->status;
    if (status == HTTP_OK && !lands_on_asset(r, rr, rel, is_dir)) {
        status = HTTP_INTERNAL_SERVER_ERROR;
    }
    if (d) {
        core_dir_config *cd = ap_get_core_module_config(rr->per_dir_config);
        int i;

        memset(d, 0, sizeof(*d));
        d->allowed = status == HTTP_OK;
        d->per_file = cd->sec_if && cd->sec_if->nelts > 0;
        d->nrules = cd->sec_file ? cd->sec_file->nelts : 0;
        d->rules = apr_pcalloc(r->pool, sizeof(file_rule_t) * (d->nrules + 1));
        for (i = 0; i < d->nrules; i++) {
            core_dir_config *fc = ap_get_core_module_config(
                APR_ARRAY_IDX(cd->sec_file, i, ap_conf_vector_t *));
            /* Copied: an .htaccess section lives in the subrequest's pool. */
            d->rules[i].pattern = apr_pstrdup(r->pool, fc->d ? fc->d : "");
            d->rules[i].regex = fc->r != NULL;
            d->rules[i].fnmatch = fc->d_is_fnmatch;
        }
    }
    if (status != HTTP_OK) {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                      LS_TAG(00130) "user %s may not read asset \"%s\" (httpd "
                                    "answered %d)",
                             user, rel, status);
    }
    ap_destroy_sub_req(rr);
    return status;
}

/* Copies d and its rules' patterns into p. */
static dir_answer_t *copy_dir(apr_pool_t *p, const dir_answer_t *d)
{
    dir_answer_t *k = apr_pmemdup(p, d, sizeof(*d));
    int i;

    k->rules = apr_pcalloc(p, sizeof(file_rule_t) * (d->nrules + 1));
    for (i = 0; i < d->nrules; i++) {
        k->rules[i] = d->rules[i];
        k->rules[i].pattern = apr_pstrdup(p, d->rules[i].pattern);
        k->rules[i].re = NULL;
    }
    return k;
}

/* Compiles d's regular expressions in p (outside the cache's lock). A
 * pattern that does not compile stays NULL and "matches" (below). */
static dir_answer_t *compiled(apr_pool_t *p, dir_answer_t *d)
{
    int i;

    for (i = 0; i < d->nrules; i++) {
        if (d->rules[i].regex) {
            d->rules[i].re = ap_pregcomp(p, d->rules[i].pattern,
                                         AP_REG_EXTENDED);
        }
    }
    return d;
}

/* Could a <Files> section in effect in the folder apply to name? The
 * same test httpd's file walk makes, on the same pattern. */
static int rule_matches(const dir_answer_t *d, const char *name)
{
    int i;

    for (i = 0; i < d->nrules; i++) {
        const file_rule_t *f = &d->rules[i];
        if (f->regex
                ? (f->re == NULL || ap_regexec(f->re, name, 0, NULL, 0) == 0)
            : f->fnmatch
                ? apr_fnmatch(f->pattern, name, APR_FNM_PATHNAME) == APR_SUCCESS
                : strcmp(f->pattern, name) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Does <Location> section e apply to uri? (httpd's location walk test) */
static int location_matches(const core_dir_config *e, const char *uri)
{
    apr_size_t len;

    if (e->r) {
        return ap_regexec(e->r, uri, 0, NULL, 0) == 0;
    }
    if (e->d == NULL) {
        return 0;
    }
    if (e->d_is_fnmatch) {
        return apr_fnmatch(e->d, uri, APR_FNM_PATHNAME) == APR_SUCCESS;
    }
    len = strlen(e->d);
    return strncmp(e->d, uri, len) == 0
           && (len == 0 || e->d[len - 1] == '/' || uri[len] == '/'
               || uri[len] == '\0');
}

static const core_dir_config *location(request_rec *r, int i)
{
    core_server_config *sc = ap_get_core_module_config(
        r->server->module_config);

    return ap_get_core_module_config(
        APR_ARRAY_IDX(sc->sec_url, i, ap_conf_vector_t *));
}

static int locations(request_rec *r)
{
    core_server_config *sc = ap_get_core_module_config(
        r->server->module_config);

    return sc->sec_url ? sc->sec_url->nelts : 0;
}

static const char *cache_key(apr_pool_t *p, const char *user, const char *rel,
                             apr_ssize_t *klen)
{
    apr_size_t u = strlen(user), n = strlen(rel);
    char *k = apr_palloc(p, u + n + 2);

    memcpy(k, user, u + 1); /* the NUL separates: no user name holds one */
    memcpy(k + u + 1, rel, n + 1);
    *klen = (apr_ssize_t)(u + n + 1);
    return k;
}

/* Makes room: the cache starts over when it is full (under lock). */
static void make_room(void)
{
    if (++cached > CACHE_MAX) {
        apr_pool_clear(cache_pool);
        dirs = apr_hash_make(cache_pool);
        files = apr_hash_make(cache_pool);
        cached = 1;
    }
}

/* A file's own answer: cached, or a subrequest for it. */
static int file_allowed(request_rec *r, const char *user, const char *rel)
{
    apr_ssize_t klen;
    const char *key = cache_key(r->pool, user, rel, &klen);
    file_answer_t *f;
    int ok;

    if (ttl > 0) {
        apr_thread_mutex_lock(lock);
        f = apr_hash_get(files, key, klen);
        ok = f && f->expires > r->request_time ? f->allowed : -1;
        apr_thread_mutex_unlock(lock);
        if (ok >= 0) {
            return ok;
        }
    }
    ok = ask_httpd(r, user, rel, 0, NULL) == HTTP_OK;
    if (ttl > 0) {
        apr_thread_mutex_lock(lock);
        make_room();
        f = apr_palloc(cache_pool, sizeof(*f));
        f->expires = r->request_time + ttl;
        f->allowed = ok;
        apr_hash_set(files, apr_pmemdup(cache_pool, key, klen + 1), klen, f);
        apr_thread_mutex_unlock(lock);
    }
    return ok;
}

/* The folder dir's answer for this request, copied into r->pool (another
 * thread may start the cache over meanwhile): cached, or a subrequest. */
static dir_answer_t *dir_answer(request_rec *r, const char *user,
                                const char *dir)
{
    apr_ssize_t klen;
    const char *key = cache_key(r->pool, user, dir, &klen);
    dir_answer_t fresh, *d, *mine = NULL;

    if (ttl > 0) {
        apr_thread_mutex_lock(lock);
        d = apr_hash_get(dirs, key, klen);
        if (d && d->expires > r->request_time) {
            mine = copy_dir(r->pool, d);
        }
        apr_thread_mutex_unlock(lock);
        if (mine) {
            return compiled(r->pool, mine);
        }
    }
    ask_httpd(r, user, dir, 1, &fresh);
    fresh.expires = r->request_time + ttl;
    mine = compiled(r->pool, copy_dir(r->pool, &fresh));
    if (ttl > 0) {
        apr_thread_mutex_lock(lock);
        make_room();
        apr_hash_set(dirs, apr_pmemdup(cache_pool, key, klen + 1), klen,
                     copy_dir(cache_pool, &fresh));
        apr_thread_mutex_unlock(lock);
    }
    return mine;
}

/* Who is asking, and the folder last asked about in this request: a
 * listing asks about every file of one folder in a row. */
typedef struct {
    request_rec *r;
    const char *user;
    const char *dir; /* the folder below (NULL: none yet) */
    apr_size_t dir_len;
    dir_answer_t *answer;  /* its answer */
    const char *dir_uri;   /* its URL, "/assets/photos/" */
    int *live;             /* the <Location>s that may tell a file's URL
                            * from the folder's, -1 ended */
    unsigned char *in_loc; /* per <Location>: does it match dir_uri */
} asker_t;

static void asker_init(asker_t *a, request_rec *r, const char *user)
{
    memset(a, 0, sizeof(*a));
    a->r = r;
    a->user = user;
}

static int asker_may_read(asker_t *a, const char *asset_rel, int is_dir)
{
    request_rec *r = a->r;
    const char *slash, *name, *file_uri;
    apr_size_t dir_len;
    int i, k, n = locations(r), varies;

    if (a->user == NULL || *a->user == '\0' || asset_rel == NULL) {
        return 0;
    }
    if (is_dir) {
        return dir_answer(r, a->user, asset_rel)->allowed;
    }
    slash = strrchr(asset_rel, '/');
    name = slash ? slash + 1 : asset_rel;
    dir_len = slash ? (apr_size_t)(slash - asset_rel) : 0;
    if (a->dir == NULL || a->dir_len != dir_len
        || strncmp(a->dir, asset_rel, dir_len) != 0) {
        a->dir = apr_pstrmemdup(r->pool, asset_rel, dir_len);
        a->dir_len = dir_len;
        a->answer = dir_answer(r, a->user, a->dir);
        a->dir_uri = asset_uri(r->pool, r, a->dir, 1);
        a->in_loc = apr_palloc(r->pool, n + 1);
        a->live = apr_palloc(r->pool, sizeof(int) * (n + 1));
        for (i = 0, k = 0; i < n; i++) {
            const core_dir_config *e = location(r, i);
            apr_size_t dl = strlen(a->dir_uri);
            a->in_loc[i] = (unsigned char)location_matches(e, a->dir_uri);
            /* A plain prefix answers every file as it answers the folder,
             * unless it is longer than the folder's URL and starts with
             * it (<Location /assets/photos/a.txt>). Patterns may differ. */
            if (e->r || e->d_is_fnmatch
                || (e->d && strlen(e->d) > dl
                    && strncmp(e->d, a->dir_uri, dl) == 0)) {
                a->live[k++] = i;
            }
        }
        a->live[k] = -1;
    }
    varies = a->answer->per_file || rule_matches(a->answer, name);
    if (!varies && a->live[0] >= 0) {
        /* A <Location> that tells the file's URL from its folder's. */
        file_uri = apr_pstrcat(r->pool, a->dir_uri, name, NULL);
        for (k = 0; a->live[k] >= 0 && !varies; k++) {
            i = a->live[k];
            varies = location_matches(location(r, i), file_uri) != a->in_loc[i];
        }
    }
    return varies ? file_allowed(r, a->user, asset_rel) : a->answer->allowed;
}

int ls_authz_may_read(request_rec *r, const char *user, const char *asset_rel,
                      int is_dir)
{
    asker_t a;

    asker_init(&a, r, user);
    return asker_may_read(&a, asset_rel, is_dir);
}

static int filter_allow(void *baton, const char *asset_rel,
                        const char *real_rel, int is_dir)
{
    asker_t *a = baton;

    /* Where the bytes are, and the name they are reached by: a symlink
     * inside the asset root must not lead around a rule. */
    return asker_may_read(a, asset_rel, is_dir)
           && (real_rel == NULL || asker_may_read(a, real_rel, is_dir));
}

const ls_filter_t *ls_authz_filter(request_rec *r, const char *user)
{
    ls_filter_t *f = apr_palloc(r->pool, sizeof(*f));
    asker_t *a = apr_palloc(r->pool, sizeof(*a));

    asker_init(a, r, user);
    f->allow = filter_allow;
    f->baton = a;
    return f;
}
