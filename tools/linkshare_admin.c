/* linkshare-admin: the store of mod_linkshare seen and tended from a
 * shell, through the same core units the module uses (ls_store_*). It
 * finds the store, state directory and spool in the httpd configuration
 * (-f FILE, following Include and IncludeOptional; ls_conffile) or takes
 * the store from --db DRIVER PARAMS. Never prints a token or a link.
 *
 *   linkshare-admin [-f FILE | --db DRIVER PARAMS] COMMAND [ARGS]
 *   linkshare-admin COMMAND --help
 *
 * Exit status: 0 done, 1 `check` found problems, 2 an error (usage,
 * unknown id, store unavailable). As root against SQLite it runs as the
 * database file's owner, so the files SQLite creates beside it stay the
 * server's. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <apr_file_info.h>
#include <apr_file_io.h>
#include <apr_general.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include <jansson.h>

#include "ls_activity.h"
#include "ls_activity_batch.h"
#include "ls_conffile.h"
#include "ls_store.h"
#include "ls_store_activity.h"
#include "ls_store_admin.h"
#include "ls_time.h"
#include "ls_token.h"

#define EXIT_PROBLEMS 1
#define EXIT_ERROR    2

/* Defaults as the module applies them (ls_config_int.h's LS_DEF_*). */
#define DEF_STATE_DIR "/var/lib/linkshare"
#define DEF_CONFIGS                                                            \
    {                                                                          \
        "/etc/apache2/apache2.conf", "/etc/httpd/conf/httpd.conf"              \
    }

typedef struct {
    apr_pool_t *p;
    const char *conf;   /* -f */
    const char *root;   /* -d: ServerRoot for relative includes */
    const char *driver; /* from --db or LinkShareDatabase */
    const char *params;
    const char *state_dir; /* LinkShareStateDir */
    const char *spool;     /* LinkShareSpool */
    const char *rcache;    /* LinkShareRenditionCache */
    ls_store *store;
    const char *key_problem; /* key_problem's, read as root */
    apr_int64_t now;
    /* options */
    int json, csv, help;
    const char *owner, *state, *before;
    int limit;
    apr_array_header_t *args; /* positional, after the command */
} admin_t;

typedef struct {
    const char *name;
    const char *synopsis;
    const char *about;
    const char *options; /* the --options it accepts, space-separated */
    int nargs;           /* positional arguments it needs */
    int (*run)(admin_t *a);
} command_t;

static int fail(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int fail(int code, const char *fmt, ...)
{
    va_list ap;

    fputs("linkshare-admin: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return code;
}

static const char *when(admin_t *a, apr_int64_t t)
{
    return t ? ls_time_format_rfc3339(a->p, t) : "-";
}

/* ---- where the store is ---------------------------------------------------- */

static const char *arg0(const apr_array_header_t *dirs, const char *name, int i)
{
    const ls_directive_t *d = ls_conffile_find(dirs, name);
    return d && d->args->nelts > i ? APR_ARRAY_IDX(d->args, i, const char *)
                                   : NULL;
}

static int configure(admin_t *a)
{
    apr_array_header_t *dirs = NULL;
    const char *err = NULL;
    static const char *const tries[] = DEF_CONFIGS;
    unsigned i;

    if (a->conf == NULL && a->driver == NULL) {
        for (i = 0; i < sizeof(tries) / sizeof(tries[0]) && !a->conf; i++) {
            if (access(tries[i], R_OK) == 0) {
                a->conf = tries[i];
            }
        }
        if (a->conf == NULL) {
            return fail(EXIT_ERROR,
                        "no httpd configuration found; give one with -f "
                        "FILE, or the store with --db DRIVER PARAMS");
        }
    }
    if (a->conf) {
        if (ls_conffile_read(a->p, a->conf, a->root, &dirs, &err)
            != APR_SUCCESS) {
            return fail(EXIT_ERROR, "cannot read the configuration: %s", err);
        }
        a->state_dir = arg0(dirs, "LinkShareStateDir", 0);
        a->spool = arg0(dirs, "LinkShareSpool", 0);
        a->rcache = arg0(dirs, "LinkShareRenditionCache", 0);
        if (a->driver == NULL && ls_conffile_find(dirs, "LinkShareDatabase")) {
            a->driver = arg0(dirs, "LinkShareDatabase", 0);
            a->params = arg0(dirs, "LinkShareDatabase", 1);
        }
    }
    if (a->state_dir == NULL) {
        a->state_dir = DEF_STATE_DIR;
    }
    if (a->spool == NULL) {
        a->spool = apr_pstrcat(a->p, a->state_dir, "/spool", NULL);
    }
    if (a->rcache == NULL) {
        a->rcache = apr_pstrcat(a->p, a->state_dir, "/renditions", NULL);
    }
    if (a->driver == NULL) {
        a->driver = "sqlite3";
    }
    if (a->params == NULL || *a->params == '\0') {
        a->params = strcmp(a->driver, "sqlite3") == 0
                        ? apr_pstrcat(a->p, a->state_dir, "/linkshare.db", NULL)
                        : "";
    }
    return 0;
}

/* SQLite: never create a database, and work as its owner (root's -wal
 * and -shm files would lock the server out). */
static int open_store(admin_t *a)
{
    const char *err = NULL;

    if (strcmp(a->driver, "sqlite3") == 0) {
        apr_finfo_t fi;
        if (apr_stat(&fi, a->params, APR_FINFO_OWNER | APR_FINFO_TYPE, a->p)
                != APR_SUCCESS
            || fi.filetype != APR_REG) {
            return fail(EXIT_ERROR,
                        "store unavailable: no SQLite database at %s (has "
                        "httpd started with this configuration?)",
                        a->params);
        }
        if (geteuid() == 0 && fi.user != 0
            && (setgid(fi.group) != 0 || setuid(fi.user) != 0)) {
            return fail(EXIT_ERROR, "cannot become the owner of %s: %s",
                        a->params, strerror(errno));
        }
    }
    if (ls_store_open(a->p, a->driver, a->params, 1, 1, &a->store, &err)
        != APR_SUCCESS) {
        return fail(EXIT_ERROR, "store unavailable (%s): %s", a->driver,
                    err ? err : "cannot connect");
    }
    return 0;
}

/* The store at this program's schema version, or a sentence. */
static int schema_ok(admin_t *a, int *version)
{
    const char *err = NULL;

    if (ls_store_admin_version(a->store, a->p, version, &err) != APR_SUCCESS) {
        return fail(EXIT_ERROR, "store unavailable: %s", err);
    }
    return 0;
}

/* ---- shares ------------------------------------------------------------------ */

static const char *share_state(admin_t *a, const ls_share_t *sh,
                               apr_hash_t *exhausted)
{
    return sh->revoked             ? "revoked"
           : sh->expires <= a->now ? "expired"
           : exhausted && apr_hash_get(exhausted, sh->id, APR_HASH_KEY_STRING)
               ? "exhausted"
               : "active";
}

static json_t *share_json(admin_t *a, const ls_share_t *sh, const char *state)
{
    json_t *items = json_array(), *rcpts = json_array(), *j;
    int i;

    for (i = 0; i < sh->items->nelts; i++) {
        const ls_item_t *it = &APR_ARRAY_IDX(sh->items, i, ls_item_t);
        json_array_append_new(
            items, json_pack("{s:s,s:s}", "path", it->path, "kind", it->kind));
    }
    for (i = 0; sh->recipients && i < sh->recipients->nelts; i++) {
        const ls_recipient_t *rc = &APR_ARRAY_IDX(sh->recipients, i,
                                                  ls_recipient_t);
        json_array_append_new(rcpts, json_pack("{s:s,s:s?}", "email", rc->email,
                                               "mail_state", rc->mail_state));
    }
    j = json_pack("{s:s,s:s,s:s?,s:s,s:s,s:s,s:s?,s:b,s:I,s:b,s:o,s:o}", "id",
                  sh->id, "owner", sh->owner, "name", sh->name, "state", state,
                  "created", when(a, sh->created), "expires",
                  when(a, sh->expires), "revoked",
                  sh->revoked ? when(a, sh->revoked) : NULL, "allow_original",
                  sh->allow_original, "downloads", (json_int_t)sh->downloads,
                  "password_protected", sh->password_hash != NULL, "items",
                  items, "recipients", rcpts);
    if (sh->max_downloads > 0) {
        json_object_set_new(j, "max_downloads",
                            json_integer(sh->max_downloads));
    }
    return j;
}

static void print_json(json_t *j)
{
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
    puts(s);
    free(s);
    json_decref(j);
}

static const char *first_item(admin_t *a, const ls_share_t *sh)
{
    const char *path;

    if (sh->items->nelts == 0) {
        return "-";
    }
    path = APR_ARRAY_IDX(sh->items, 0, ls_item_t).path;
    return sh->items->nelts == 1
               ? path
               : apr_psprintf(a->p, "%s (+%d)", path, sh->items->nelts - 1);
}

static int cmd_list(admin_t *a)
{
    apr_array_header_t *list;
    apr_hash_t *exhausted;
    const char *err = NULL;
    json_t *arr = json_array();
    int i, n = 0;

    if (a->state && strcmp(a->state, "active") && strcmp(a->state, "expired")
        && strcmp(a->state, "revoked") && strcmp(a->state, "exhausted")) {
        json_decref(arr);
        return fail(EXIT_ERROR,
                    "--state %s: not one of active, expired, revoked, "
                    "exhausted",
                    a->state);
    }
    if (ls_store_share_list(a->store, a->p, a->owner, &list, &err)
            != APR_SUCCESS
        || ls_store_admin_exhausted(a->store, a->p, &exhausted, &err)
               != APR_SUCCESS) {
        json_decref(arr);
        return fail(EXIT_ERROR, "store unavailable: %s", err);
    }
    if (!a->json) {
        printf("%-16s  %-9s  %-16s  %-20s  %9s  %s\n", "ID", "STATE", "OWNER",
               "EXPIRES", "DOWNLOADS", "ITEMS");
    }
    for (i = 0; i < list->nelts; i++) {
        const ls_share_t *sh = APR_ARRAY_IDX(list, i, ls_share_t *);
        const char *st = share_state(a, sh, exhausted);
        if (a->state && strcmp(a->state, st) != 0) {
            continue;
        }
        n++;
        if (a->json) {
            json_array_append_new(arr, share_json(a, sh, st));
        }
        else {
            printf("%-16s  %-9s  %-16s  %-20s  %9" APR_INT64_T_FMT "  %s\n",
                   sh->id, st, sh->owner, when(a, sh->expires), sh->downloads,
                   first_item(a, sh));
        }
    }
    if (a->json) {
        print_json(json_pack("{s:o}", "shares", arr));
    }
    else {
        json_decref(arr);
        printf("%d share(s)\n", n);
    }
    return 0;
}

static int load_share(admin_t *a, const char *id, ls_share_t **sh)
{
    const char *err = NULL;
    apr_status_t rv = ls_store_share_get(a->store, a->p, id, sh, &err);

    if (rv == APR_NOTFOUND) {
        return fail(EXIT_ERROR, "no share with id %s", id);
    }
    if (rv != APR_SUCCESS) {
        return fail(EXIT_ERROR, "store unavailable: %s", err);
    }
    return 0;
}

static int cmd_show(admin_t *a)
{
    const char *id = APR_ARRAY_IDX(a->args, 0, const char *), *err = NULL;
    apr_hash_t *exhausted;
    ls_share_t *sh;
    const char *st;
    int i, rc;

    if ((rc = load_share(a, id, &sh)) != 0) {
        return rc;
    }
    if (ls_store_admin_exhausted(a->store, a->p, &exhausted, &err)
        != APR_SUCCESS) {
        return fail(EXIT_ERROR, "store unavailable: %s", err);
    }
    st = share_state(a, sh, exhausted);
    if (a->json) {
        print_json(share_json(a, sh, st));
        return 0;
    }
    printf("id:             %s\n", sh->id);
    printf("name:           %s\n", sh->name ? sh->name : "-");
    printf("owner:          %s\n", sh->owner);
    printf("state:          %s\n", st);
    printf("created:        %s\n", when(a, sh->created));
    printf("expires:        %s\n", when(a, sh->expires));
    printf("revoked:        %s\n", when(a, sh->revoked));
    printf("originals:      %s\n", sh->allow_original ? "yes" : "no");
    if (sh->max_downloads > 0) {
        printf("downloads:      %" APR_INT64_T_FMT " of %" APR_INT64_T_FMT "\n",
               sh->downloads, sh->max_downloads);
    }
    else {
        printf("downloads:      %" APR_INT64_T_FMT "\n", sh->downloads);
    }
    printf("password:       %s\n", sh->password_hash ? "yes" : "no");
    for (i = 0; i < sh->items->nelts; i++) {
        const ls_item_t *it = &APR_ARRAY_IDX(sh->items, i, ls_item_t);
        printf("item:           %s (%s)\n", it->path, it->kind);
    }
    for (i = 0; sh->recipients && i < sh->recipients->nelts; i++) {
        const ls_recipient_t *r = &APR_ARRAY_IDX(sh->recipients, i,
                                                 ls_recipient_t);
        printf("recipient:      %s (%s)\n", r->email,
               r->mail_state ? r->mail_state : "-");
    }
    return 0;
}

static int cmd_revoke(admin_t *a)
{
    const char *id = APR_ARRAY_IDX(a->args, 0, const char *), *err = NULL;
    ls_share_t *sh;
    apr_status_t rv;
    int rc;

    if ((rc = load_share(a, id, &sh)) != 0) {
        return rc;
    }
    if (sh->revoked) {
        printf("share %s was already revoked at %s\n", id,
               when(a, sh->revoked));
        return 0;
    }
    rv = ls_store_share_revoke(a->store, a->p, id, a->now, &err);
    if (rv != APR_SUCCESS && rv != APR_NOTFOUND) {
        return fail(EXIT_ERROR, "store unavailable: %s", err);
    }
    printf("share %s revoked: its link answers 410 within the servers' "
           "LinkShareCacheTTL\n",
           id);
    return 0;
}

/* WHEN: RFC 3339, "now", or a duration from now ("2h", "7d"); with ago
 * set, a duration counts back instead ("purge --before 30d"). */
static int parse_when(admin_t *a, const char *s, int ago, apr_int64_t *out)
{
    apr_int64_t d;

    if (strcmp(s, "now") == 0) {
        *out = a->now;
    }
    else if (ls_time_parse_rfc3339(s, out) == APR_SUCCESS) {
        return 0;
    }
    else if (ls_time_parse_duration(s, &d) == APR_SUCCESS) {
        *out = ago ? a->now - d : a->now + d;
    }
    else {
        return fail(EXIT_ERROR,
                    "'%s' is not a time: give RFC 3339 "
                    "(2027-01-31T18:00:00Z), now, or a duration (%s)",
                    s, ago ? "30d: that long ago" : "7d: from now");
    }
    return 0;
}

static int cmd_expire(admin_t *a)
{
    const char *id = APR_ARRAY_IDX(a->args, 0, const char *), *err = NULL;
    apr_int64_t t;
    ls_share_t *sh;
    int rc;

    if ((rc = parse_when(a, APR_ARRAY_IDX(a->args, 1, const char *), 0, &t))
        != 0) {
        return rc;
    }
    if ((rc = load_share(a, id, &sh)) != 0) {
        return rc;
    }
    if (sh->revoked) {
        return fail(EXIT_ERROR,
                    "share %s was revoked; its expiry no longer "
                    "matters",
                    id);
    }
    if (ls_store_share_set_expiry(a->store, a->p, id, t, &err) != APR_SUCCESS) {
        return fail(EXIT_ERROR, "store unavailable: %s", err);
    }
    printf("share %s now expires %s\n", id, when(a, t));
    return 0;
}

/* ---- jobs, stats, purge, check ------------------------------------------- */

static int cmd_jobs(admin_t *a)
{
    static const char *const states[] = {"queued", "running",   "done",
                                         "failed", "cancelled", NULL};
    apr_array_header_t *jobs;
    const char *err = NULL;
    json_t *arr = json_array();
    int i, known = a->state == NULL;

    for (i = 0; states[i] && !known; i++) {
        known = strcmp(states[i], a->state) == 0;
    }
    if (!known) {
        json_decref(arr);
        return fail(EXIT_ERROR,
                    "--state %s: not one of queued, running, done, failed, "
                    "cancelled",
                    a->state);
    }
    if (ls_store_admin_jobs(a->store, a->p, a->state, a->limit, &jobs, &err)
        != APR_SUCCESS) {
        json_decref(arr);
        return fail(EXIT_ERROR, "store unavailable: %s", err);
    }
    if (!a->json) {
        printf("%-16s  %-16s  %-9s  %11s  %13s  %5s  %-20s\n", "ID", "SHARE",
               "STATE", "FILES", "BYTES", "PARTS", "CREATED");
    }
    for (i = 0; i < jobs->nelts; i++) {
        ls_job_t *j = APR_ARRAY_IDX(jobs, i, ls_job_t *);
        if (strcmp(j->state, "done") == 0) {
            /* The row's counts are the last progress written; done is
             * all of it. */
            j->files_done = j->files_total;
            j->bytes_done = j->bytes_total;
        }
        if (a->json) {
            json_array_append_new(
                arr, json_pack("{s:s,s:s,s:s,s:i,s:i,s:I,s:I,s:i,s:s,s:s,s:s?,"
                               "s:s?}",
                               "id", j->id, "share", j->share_id, "state",
                               j->state, "files_total", j->files_total,
                               "files_done", j->files_done, "bytes_total",
                               (json_int_t)j->bytes_total, "bytes_done",
                               (json_int_t)j->bytes_done, "parts",
                               j->parts_total, "created", when(a, j->created),
                               "updated", when(a, j->updated), "label",
                               j->label, "error", j->error));
        }
        else {
            printf("%-16s  %-16s  %-9s  %5d/%-5d  %13" APR_INT64_T_FMT
                   "  %5d  %-20s\n",
                   j->id, j->share_id, j->state, j->files_done, j->files_total,
                   j->bytes_total, j->parts_total, when(a, j->created));
        }
    }
    if (a->json) {
        print_json(json_pack("{s:o}", "jobs", arr));
    }
    else {
        json_decref(arr);
        printf("%d job(s)%s\n", jobs->nelts,
               jobs->nelts == a->limit ? " (the newest; --limit for more)"
                                       : "");
    }
    return 0;
}

/* Bytes of the regular files under dir (0 when it is absent). */
static apr_int64_t dir_bytes(apr_pool_t *p, const char *dir, int depth)
{
    apr_dir_t *d;
    apr_finfo_t fi;
    apr_int64_t sum = 0;

    if (depth > 8 || apr_dir_open(&d, dir, p) != APR_SUCCESS) {
        return 0;
    }
    while (
        apr_dir_read(&fi, APR_FINFO_NAME | APR_FINFO_TYPE | APR_FINFO_SIZE, d)
        == APR_SUCCESS) {
        if (fi.name[0] == '.'
            && (fi.name[1] == '\0' || strcmp(fi.name, "..") == 0)) {
            continue;
        }
        if (fi.filetype == APR_REG) {
            sum += fi.size;
        }
        else if (fi.filetype == APR_DIR) {
            sum += dir_bytes(p, apr_pstrcat(p, dir, "/", fi.name, NULL),
                             depth + 1);
        }
    }
    apr_dir_close(d);
    return sum;
}

static void add_counts(admin_t *a, json_t *obj, const char *what,
                       const apr_array_header_t *counts)
{
    json_t *o = json_object();
    int i;

    for (i = 0; i < counts->nelts; i++) {
        const ls_state_count_t *c = &APR_ARRAY_IDX(counts, i, ls_state_count_t);
        json_object_set_new(o, c->state, json_integer(c->count));
        if (!a->json) {
            printf("%-8s %-10s %" APR_INT64_T_FMT "\n", what, c->state,
                   c->count);
        }
    }
    json_object_set_new(obj, what, o);
}

static int cmd_stats(admin_t *a)
{
    apr_array_header_t *shares, *jobs, *mail;
    const char *err = NULL;
    struct statvfs vfs;
    apr_int64_t spool, rcache, spool_free = -1;
    json_t *out = json_object();

    if (ls_store_admin_share_states(a->store, a->p, a->now, &shares, &err)
            != APR_SUCCESS
        || ls_store_admin_states(a->store, a->p, "ls_job", &jobs, &err)
               != APR_SUCCESS
        || ls_store_admin_states(a->store, a->p, "ls_mail", &mail, &err)
               != APR_SUCCESS) {
        json_decref(out);
        return fail(EXIT_ERROR, "store unavailable: %s", err);
    }
    add_counts(a, out, "shares", shares);
    add_counts(a, out, "jobs", jobs);
    add_counts(a, out, "mail", mail);
    spool = dir_bytes(a->p, a->spool, 0);
    rcache = dir_bytes(a->p, a->rcache, 0);
    if (statvfs(a->spool, &vfs) == 0) {
        spool_free = (apr_int64_t)vfs.f_bavail * (apr_int64_t)vfs.f_frsize;
    }
    json_object_set_new(out, "spool",
                        json_pack("{s:s,s:I,s:I}", "path", a->spool, "bytes",
                                  (json_int_t)spool, "free",
                                  (json_int_t)spool_free));
    json_object_set_new(
        out, "renditions",
        json_pack("{s:s,s:I}", "path", a->rcache, "bytes", (json_int_t)rcache));
    if (a->json) {
        print_json(out);
        return 0;
    }
    json_decref(out);
    printf("spool    bytes      %" APR_INT64_T_FMT " (%s)\n", spool, a->spool);
    if (spool_free >= 0) {
        printf("spool    free       %" APR_INT64_T_FMT "\n", spool_free);
    }
    printf("renditions bytes    %" APR_INT64_T_FMT " (%s)\n", rcache,
           a->rcache);
    return 0;
}

/* Whether path is inside dir (both as given; the spool's own paths are
 * absolute and normal). */
static int inside(const char *dir, const char *path)
{
    apr_size_t n = strlen(dir);
    return strncmp(dir, path, n) == 0 && path[n] == '/'
           && strstr(path + n, "/../") == NULL;
}

static int cmd_purge(admin_t *a)
{
    apr_array_header_t *parts;
    apr_int64_t before;
    const char *err = NULL;
    int shares = 0, removed = 0, kept = 0, events = 0, i, rc;

    if (a->before == NULL) {
        return fail(EXIT_ERROR, "purge needs --before WHEN (e.g. --before "
                                "30d: shares that ended over 30 days ago)");
    }
    if ((rc = parse_when(a, a->before, 1, &before)) != 0) {
        return rc;
    }
    if (before > a->now) {
        return fail(EXIT_ERROR, "--before %s is in the future",
                    when(a, before));
    }
    if (ls_store_admin_purge(a->store, a->p, before, &shares, &parts, &err)
        != APR_SUCCESS) {
        return fail(EXIT_ERROR, "store unavailable: %s", err);
    }
    /* And every share's activity older than that. */
    if (ls_store_activity_sweep(a->store, a->p, before * APR_USEC_PER_SEC,
                                &events, &err)
        != APR_SUCCESS) {
        return fail(EXIT_ERROR, "store unavailable: %s", err);
    }
    for (i = 0; i < parts->nelts; i++) {
        const char *path = APR_ARRAY_IDX(parts, i, const char *);
        if (path && inside(a->spool, path)
            && apr_file_remove(path, a->p) == APR_SUCCESS) {
            removed++;
        }
        else {
            kept++;
        }
    }
    printf("purged %d share(s) that ended before %s, with their jobs and "
           "activity, and %d older activity event(s); removed %d archive "
           "file(s)",
           shares, when(a, before), events, removed);
    printf(kept ? "; %d already gone or outside the spool\n" : "\n", kept);
    return 0;
}

/* Regular files in the spool that no part row names, older than ten
 * minutes (a part being written is younger). */
static int orphans(admin_t *a, apr_hash_t *known, const char *dir, int depth)
{
    apr_dir_t *d;
    apr_finfo_t fi;
    int n = 0;

    if (depth > 4 || apr_dir_open(&d, dir, a->p) != APR_SUCCESS) {
        return 0;
    }
    while (
        apr_dir_read(&fi, APR_FINFO_NAME | APR_FINFO_TYPE | APR_FINFO_MTIME, d)
        == APR_SUCCESS) {
        const char *path = apr_pstrcat(a->p, dir, "/", fi.name, NULL);
        if (fi.name[0] == '.') {
            continue;
        }
        if (fi.filetype == APR_DIR) {
            n += orphans(a, known, path, depth + 1);
        }
        else if (fi.filetype == APR_REG && apr_time_sec(fi.mtime) < a->now - 600
                 && !apr_hash_get(known, path, APR_HASH_KEY_STRING)) {
            printf("PROBLEM  orphaned spool file %s\n", path);
            n++;
        }
    }
    apr_dir_close(d);
    return n;
}

/* What is wrong with the sealing key, or NULL. Read before open_store
 * gives up root: the key is root's (httpd's parent reads it). */
static const char *key_problem(admin_t *a)
{
    const char *path = apr_pstrcat(a->p, a->state_dir, "/mail.key", NULL);
    char text[LS_SEAL_KEY_LEN * 2 + 1];
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
    int ok = n == sizeof(text) - 1;

    if (f) {
        fclose(f);
    }
    text[n] = '\0';
    ok = ok && strspn(text, "0123456789abcdefABCDEF") == n;
    memset(text, 0, sizeof(text));
    return ok ? NULL
              : apr_psprintf(a->p, "the sealing key %s is %s", path,
                             f ? "not 64 hex digits" : "missing or unreadable");
}

static int check_key(admin_t *a)
{
    if (a->key_problem) {
        printf("PROBLEM  %s\n", a->key_problem);
        return 1;
    }
    printf("ok       sealing key %s/mail.key\n", a->state_dir);
    return 0;
}

/* The activity log's batch files (LinkShareStateDir/activity): worker 0
 * takes each within a quarter of a second, so one waiting for a minute
 * means the writer is stopped or the store refuses; a NAME.bad was set
 * aside (LS00185 in the error log). No directory: recording is off or
 * httpd has not started. */
static int check_activity(admin_t *a)
{
    const char *dir = apr_pstrcat(a->p, a->state_dir, "/activity", NULL);
    apr_time_t now = apr_time_now();
    apr_dir_t *d;
    apr_finfo_t fi;
    int waiting = 0, bad = 0, problems = 0;

    if (apr_dir_open(&d, dir, a->p) != APR_SUCCESS) {
        printf("ok       activity log: no %s (recording off, or httpd not "
               "started yet)\n",
               dir);
        return 0;
    }
    while (
        apr_dir_read(&fi, APR_FINFO_NAME | APR_FINFO_MTIME | APR_FINFO_TYPE, d)
        == APR_SUCCESS) {
        apr_size_t n = strlen(fi.name);

        if (fi.filetype != APR_REG) {
            continue;
        }
        if (n > 4 && strcmp(fi.name + n - 4, ".bad") == 0) {
            bad++;
        }
        else if (strstr(fi.name, LS_ACTIVITY_BATCH_SUFFIX)
                 && now - fi.mtime > apr_time_from_sec(60)) {
            waiting++;
        }
    }
    apr_dir_close(d);
    if (waiting) {
        printf("PROBLEM  activity log: %d batch file(s) in %s waiting for "
               "more than a minute (is worker 0 running, and the store "
               "writable?)\n",
               waiting, dir);
        problems++;
    }
    if (bad) {
        printf("PROBLEM  activity log: %d batch file(s) in %s set aside as "
               "*.bad (see LS00185 in the error log)\n",
               bad, dir);
        problems++;
    }
    if (!problems) {
        printf("ok       activity log: nothing waiting in %s\n", dir);
    }
    return problems;
}

static int cmd_check(admin_t *a)
{
    apr_hash_t *known;
    const char *err = NULL;
    apr_finfo_t fi;
    int version = 0, problems = 0, n, rc;

    if ((rc = schema_ok(a, &version)) != 0) {
        return rc;
    }
    if (version != LS_STORE_SCHEMA_VERSION) {
        printf("PROBLEM  schema version %d, this linkshare-admin and module "
               "expect %d%s\n",
               version, LS_STORE_SCHEMA_VERSION,
               version < LS_STORE_SCHEMA_VERSION
                   ? " (httpd migrates it when it starts)"
                   : " (a newer module wrote it: upgrade linkshare-admin)");
        problems++;
    }
    else {
        printf("ok       schema version %d (%s)\n", version, a->driver);
    }
    problems += check_key(a);
    if (apr_stat(&fi, a->spool, APR_FINFO_TYPE, a->p) != APR_SUCCESS
        || fi.filetype != APR_DIR) {
        printf("PROBLEM  the spool %s is not a directory\n", a->spool);
        problems++;
    }
    else if (ls_store_admin_part_paths(a->store, a->p, &known, &err)
             != APR_SUCCESS) {
        return fail(EXIT_ERROR, "store unavailable: %s", err);
    }
    else if ((n = orphans(a, known, a->spool, 0)) > 0) {
        problems += n;
    }
    else {
        printf("ok       spool %s: no orphaned files\n", a->spool);
    }
    problems += check_activity(a);
    printf("%d problem(s)\n", problems);
    return problems ? EXIT_PROBLEMS : 0;
}

/* activity ID [--csv] [--limit N]: the share's recorded events, newest
 * first, paged through the store as the API pages them. */
static int cmd_activity(admin_t *a)
{
    const char *id = APR_ARRAY_IDX(a->args, 0, const char *), *err = NULL;
    const char *cursor = NULL, *next = NULL;
    apr_array_header_t *all = apr_array_make(a->p, 64, sizeof(ls_activity_t));
    ls_share_t *sh;
    int rc, i;

    if ((rc = load_share(a, id, &sh)) != 0) {
        return rc;
    }
    do {
        apr_array_header_t *page;
        int want = a->limit - all->nelts;
        if (want > LS_ACTIVITY_PAGE_MAX) {
            want = LS_ACTIVITY_PAGE_MAX;
        }
        if (ls_store_activity_page(a->store, a->p, id, cursor, want, &page,
                                   &next, &err)
            != APR_SUCCESS) {
            return fail(EXIT_ERROR, "store unavailable: %s", err);
        }
        apr_array_cat(all, page);
        cursor = next;
    } while (next && all->nelts < a->limit);
    if (a->csv) {
        fputs(ls_activity_csv(a->p, all), stdout);
        return 0;
    }
    if (a->json) {
        print_json(ls_activity_json(a->p, all, next));
        return 0;
    }
    printf("%-20s  %-13s  %6s  %12s  %-18s  %s\n", "TIME", "KIND", "STATUS",
           "BYTES", "ADDRESS", "PATH OR JOB");
    for (i = 0; i < all->nelts; i++) {
        const ls_activity_t *e = &APR_ARRAY_IDX(all, i, ls_activity_t);
        printf("%-20s  %-13s  %6d  %12" APR_INT64_T_FMT "  %-18s  %s\n",
               when(a, apr_time_sec(e->at)), e->kind, e->status, e->bytes,
               e->address ? e->address : "-",
               e->job ? (
                   e->path ? apr_pstrcat(a->p, e->job, " part ", e->path, NULL)
                           : e->job)
                      : ls_activity_text(a->p, e->path ? e->path : "-"));
    }
    printf("%d event(s)%s\n", all->nelts,
           next ? " (the newest; --limit for more)" : "");
    return 0;
}

/* ---- the command line -------------------------------------------------------- */

static const command_t commands[] = {
    {"list", "list [--owner USER] [--state STATE] [--json]",
     "Lists shares, newest first: id, state (active, expired, revoked, "
     "exhausted), owner, expiry, downloads, items. Never a link.",
     "--owner --state --json", 0, cmd_list},
    {"show", "show ID [--json]",
     "Shows one share: name, owner, state, times, downloads, items, "
     "recipients.",
     "--json", 1, cmd_show},
    {"revoke", "revoke ID",
     "Revokes a share: its link answers 410 on every server within "
     "LinkShareCacheTTL; its archives go with the workers' next sweep.",
     "", 1, cmd_revoke},
    {"expire", "expire ID WHEN",
     "Sets when a share's link stops working. WHEN is RFC 3339 "
     "(2027-01-31T18:00:00Z), now, or a duration from now (7d).",
     "", 2, cmd_expire},
    {"activity", "activity ID [--csv | --json] [--limit N]",
     "The share's recorded activity (page views, previews, downloads, queued "
     "jobs, parts, wrong passwords, refusals), newest first, at most --limit "
     "(100) events: time, kind, status, bytes, address, path or job.",
     "--csv --json --limit", 1, cmd_activity},
    {"jobs", "jobs [--state STATE] [--limit N] [--json]",
     "Lists download jobs, newest first (queued, running, done, failed, "
     "cancelled), at most --limit (100).",
     "--state --limit --json", 0, cmd_jobs},
    {"purge", "purge --before WHEN",
     "Deletes the shares that ended (expired or revoked) before WHEN, with "
     "their jobs, archive files, mail and activity. WHEN is RFC 3339, now, "
     "or a duration back from now (30d).",
     "--before", 0, cmd_purge},
    {"stats", "stats [--json]",
     "Counts shares, jobs and mail by state; spool bytes used and free; "
     "rendition cache bytes.",
     "--json", 0, cmd_stats},
    {"check", "check",
     "Checks the schema version, the sealing key (LinkShareStateDir/"
     "mail.key), the spool for files no job owns and the activity log's "
     "batch files (LinkShareStateDir/activity) for any waiting over a "
     "minute or set aside. Exit status 1 when it finds a problem.",
     "", 0, cmd_check},
};
#define NCOMMANDS (int)(sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *to)
{
    int i;

    fputs("usage: linkshare-admin [-f HTTPD_CONF [-d SERVER_ROOT] | --db "
          "DRIVER PARAMS] COMMAND [ARGS]\n\n"
          "The store, LinkShareStateDir, LinkShareSpool and "
          "LinkShareRenditionCache are read\nfrom the httpd configuration "
          "(-f; its Include and IncludeOptional files too;\nby default "
          "/etc/apache2/apache2.conf or /etc/httpd/conf/httpd.conf), or the "
          "store\nis given with --db (sqlite3 /var/lib/linkshare/linkshare.db, "
          "pgsql \"dbname=...\").\n\ncommands:\n",
          to);
    for (i = 0; i < NCOMMANDS; i++) {
        fprintf(to, "  %s\n", commands[i].synopsis);
    }
    fputs("\n`linkshare-admin COMMAND --help` says more. Exit status: 0 done, "
          "1 problems found\n(check), 2 an error.\n",
          to);
}

static int command_help(const command_t *c)
{
    printf("usage: linkshare-admin [-f HTTPD_CONF | --db DRIVER PARAMS] %s\n\n"
           "%s\n",
           c->synopsis, c->about);
    return 0;
}

/* Whether opt is one of the command's --options (space-separated). */
static int accepts(const command_t *c, const char *opt)
{
    const char *o = c->options;
    apr_size_t n = strlen(opt);

    while ((o = strstr(o, opt)) != NULL) {
        if (o[n] == ' ' || o[n] == '\0') {
            return 1;
        }
        o += n;
    }
    return 0;
}

static int parse(admin_t *a, int argc, const char *const *argv,
                 const command_t **cmd)
{
    int i;

    *cmd = NULL;
    for (i = 1; i < argc; i++) {
        const char *o = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(o, "-h") == 0 || strcmp(o, "--help") == 0) {
            a->help = 1;
        }
        else if (strcmp(o, "-f") == 0 || strcmp(o, "-d") == 0) {
            if (!v) {
                return fail(EXIT_ERROR, "%s needs a value", o);
            }
            *(o[1] == 'f' ? &a->conf : &a->root) = argv[++i];
        }
        else if (strcmp(o, "--db") == 0) {
            if (i + 2 >= argc) {
                return fail(EXIT_ERROR, "--db needs DRIVER and PARAMS");
            }
            a->driver = argv[++i];
            a->params = argv[++i];
        }
        else if (o[0] == '-' && o[1] == '-' && *cmd) {
            if (!accepts(*cmd, o)) {
                return fail(EXIT_ERROR,
                            "%s does not take %s (see "
                            "linkshare-admin %s --help)",
                            (*cmd)->name, o, (*cmd)->name);
            }
            if (strcmp(o, "--json") == 0 || strcmp(o, "--csv") == 0) {
                *(o[2] == 'j' ? &a->json : &a->csv) = 1;
                continue;
            }
            if (!v) {
                return fail(EXIT_ERROR, "%s needs a value", o);
            }
            i++;
            if (strcmp(o, "--owner") == 0) {
                a->owner = v;
            }
            else if (strcmp(o, "--state") == 0) {
                a->state = v;
            }
            else if (strcmp(o, "--before") == 0) {
                a->before = v;
            }
            else if (strcmp(o, "--limit") == 0) {
                char *end;
                long n = strtol(v, &end, 10);
                if (*end || n < 1 || n > 100000) {
                    return fail(EXIT_ERROR,
                                "--limit %s: give a number from 1 to 100000",
                                v);
                }
                a->limit = (int)n;
            }
        }
        else if (o[0] == '-' && o[1] != '\0') {
            return fail(EXIT_ERROR,
                        "unknown option %s (see linkshare-admin "
                        "--help)",
                        o);
        }
        else if (*cmd == NULL) {
            int c;
            for (c = 0; c < NCOMMANDS && !*cmd; c++) {
                if (strcmp(commands[c].name, o) == 0) {
                    *cmd = &commands[c];
                }
            }
            if (!*cmd) {
                return fail(EXIT_ERROR,
                            "unknown command '%s' (see "
                            "linkshare-admin --help)",
                            o);
            }
        }
        else {
            APR_ARRAY_PUSH(a->args, const char *) = o;
        }
    }
    return 0;
}

int main(int argc, const char *const *argv)
{
    admin_t a;
    const command_t *cmd;
    int rc, version;

    apr_app_initialize(&argc, &argv, NULL);
    atexit(apr_terminate);
    memset(&a, 0, sizeof(a));
    apr_pool_create(&a.p, NULL);
    a.args = apr_array_make(a.p, 2, sizeof(const char *));
    a.limit = 100;
    a.now = apr_time_sec(apr_time_now());
    if ((rc = parse(&a, argc, argv, &cmd)) != 0) {
        return rc;
    }
    if (cmd == NULL) {
        usage(a.help ? stdout : stderr);
        return a.help ? 0 : EXIT_ERROR;
    }
    if (a.help) {
        return command_help(cmd);
    }
    if (a.args->nelts != cmd->nargs) {
        return fail(EXIT_ERROR, "usage: linkshare-admin %s", cmd->synopsis);
    }
    if ((rc = configure(&a)) != 0) {
        return rc;
    }
    a.key_problem = key_problem(&a);
    if ((rc = open_store(&a)) != 0) {
        return rc;
    }
    if (cmd->run != cmd_check) {
        if ((rc = schema_ok(&a, &version)) != 0) {
            return rc;
        }
        if (version != LS_STORE_SCHEMA_VERSION) {
            return fail(EXIT_ERROR,
                        "the store has schema version %d, this "
                        "linkshare-admin works with %d%s",
                        version, LS_STORE_SCHEMA_VERSION,
                        version < LS_STORE_SCHEMA_VERSION
                            ? ": start httpd with the new module once to "
                              "migrate it"
                            : ": upgrade linkshare-admin");
        }
    }
    return cmd->run(&a);
}
