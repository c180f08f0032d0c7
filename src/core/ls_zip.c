/* ls_zip: writes one part (ls_zip_write) by driving libzip over our own
 * sources: owns the writer's life, entry names and metadata, the first
 * failure and progress; not reading, deflating nor output (ls_zip_int.h). */
#include <string.h>

#include <apr_strings.h>

#include "ls_zip_int.h"

#define PROGRESS (1024 * 1024)
#define UT_FIELD 0x5455 /* Info-ZIP extended timestamp: mtime in UTC */

int ls_zip_fail(ls_zip_writer_t *w, apr_status_t status, const char *msg)
{
    if (w->status == APR_SUCCESS) {
        w->status = status;
        w->err = msg;
    }
    return -1;
}

const ls_zip_entry_t *ls_zip_entry_at(ls_zip_writer_t *w, int i)
{
    return &APR_ARRAY_IDX(w->entries, i, ls_zip_entry_t);
}

/* An entry's name as our sentences quote it: control characters (only
 * in names we refuse) become '?', so a message cannot break a log line. */
const char *ls_zip_shown(ls_zip_writer_t *w, const char *name)
{
    char *s = apr_pstrdup(w->pool, name), *c;

    for (c = s; *c; c++) {
        if ((unsigned char)*c < 0x20 || *c == 0x7f) {
            *c = '?';
        }
    }
    return s;
}

int ls_zip_report(ls_zip_writer_t *w, int force)
{
    if (w->progress
        && (force || w->bytes_done - w->bytes_reported >= PROGRESS)) {
        w->bytes_reported = w->bytes_done;
        if (w->progress(w->baton, w->files_done, w->bytes_done)) {
            zip_error_set(&w->zerr, ZIP_ER_CANCELLED, 0);
            return ls_zip_fail(w, LS_ZIP_ECANCELED, "Packaging was cancelled.");
        }
    }
    return 0;
}

void ls_zip_lock(ls_zip_writer_t *w)
{
    if (w->nthreads) {
        apr_thread_mutex_lock(w->lock);
    }
}

void ls_zip_unlock(ls_zip_writer_t *w)
{
    if (w->nthreads) {
        apr_thread_mutex_unlock(w->lock);
    }
}

/* ---- ls_zip_write ----------------------------------------------------- */

/* Names must extract below the folder a recipient picks, on any system. */
static int name_ok(const char *name, int folder)
{
    size_t len = strlen(name);
    const char *seg = name, *s;

    if (len == 0 || len > 65535 || name[0] == '/'
        || (name[len - 1] == '/') != folder) {
        return 0;
    }
    for (s = name;; s++) {
        if (*s == '/' || *s == '\0') {
            size_t n = (size_t)(s - seg);

            if ((n == 0 && *s == '/') || (n == 1 && seg[0] == '.')
                || (n == 2 && seg[0] == '.' && seg[1] == '.')) {
                return 0;
            }
            if (*s == '\0') {
                return 1;
            }
            seg = s + 1;
        }
        else if ((unsigned char)*s < 0x20 || *s == 0x7f || *s == '\\') {
            return 0;
        }
    }
}

/* The UT field (flags: mtime present; mtime as 32-bit UTC seconds): what
 * unzip and most extractors restore exactly, whatever their time zone. */
static int add_ut(zip_t *za, zip_uint64_t idx, apr_time_t mtime)
{
    apr_int64_t t = apr_time_sec(mtime);
    zip_uint8_t ut[5];

    if (t < 0 || t > 0x7fffffff) {
        return 0;
    }
    ut[0] = 1;
    ut[1] = (zip_uint8_t)(t & 0xff);
    ut[2] = (zip_uint8_t)((t >> 8) & 0xff);
    ut[3] = (zip_uint8_t)((t >> 16) & 0xff);
    ut[4] = (zip_uint8_t)((t >> 24) & 0xff);
    return zip_file_extra_field_set(za, idx, UT_FIELD, ZIP_EXTRA_FIELD_NEW, ut,
                                    sizeof(ut), ZIP_FL_LOCAL | ZIP_FL_CENTRAL);
}

/* Adds every entry of the part to za, each read through ls_zip_source_cb. */
static apr_status_t add_entries(ls_zip_writer_t *w, zip_t *za,
                                ls_zip_mode_t mode)
{
    int k;

    for (k = 0; k < w->part->count; k++) {
        ls_zip_src_t *ent = &w->srcs[k];
        const ls_zip_entry_t *e;
        zip_source_t *src;
        zip_int64_t idx;
        int folder;

        ent->w = w;
        ent->i = w->part->first + k;
        ent->fd = -1;
        e = ls_zip_entry_at(w, ent->i);
        folder = e->src == NULL;
        ent->deflated = !folder && e->size > 0
                        && (mode == LS_ZIP_DEFLATE
                            || (mode == LS_ZIP_AUTO && !e->compressed));
        if (!name_ok(e->name, folder)) {
            ls_zip_fail(w, APR_EINVAL,
                        apr_psprintf(w->pool,
                                     "\"%s\" is not a name that can go into an "
                                     "archive.",
                                     ls_zip_shown(w, e->name)));
            return w->status;
        }
        if ((src = zip_source_function_create(ls_zip_source_cb, ent, NULL))
            == NULL) {
            ls_zip_fail(w, APR_ENOMEM, "Packaging failed (out of memory).");
            return w->status;
        }
        idx = zip_file_add(za, e->name, src, ZIP_FL_ENC_UTF_8);
        if (idx < 0) {
            int ze = zip_error_code_zip(zip_get_error(za));

            zip_source_free(src);
            ls_zip_fail(
                w, APR_EINVAL,
                apr_psprintf(w->pool,
                             ze == ZIP_ER_EXISTS
                                 ? "\"%s\" appears twice in the selection."
                                 : "\"%s\" is not a name that can go into "
                                   "an archive.",
                             ls_zip_shown(w, e->name)));
            return w->status;
        }
        if (zip_set_file_compression(za, (zip_uint64_t)idx,
                                     ent->deflated ? ZIP_CM_DEFLATE
                                                   : ZIP_CM_STORE,
                                     ent->deflated ? (zip_uint32_t)w->level : 0)
                < 0
            || zip_file_set_mtime(za, (zip_uint64_t)idx,
                                  (time_t)apr_time_sec(e->mtime), 0)
                   < 0
            || zip_file_set_external_attributes(
                   za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
                   (folder ? 040755u : 0100644u) << 16)
                   < 0
            || add_ut(za, (zip_uint64_t)idx, e->mtime) < 0) {
            ls_zip_fail(w, APR_EGENERAL,
                        apr_psprintf(w->pool, "Packaging failed (%s).",
                                     zip_strerror(za)));
            return w->status;
        }
    }
    return APR_SUCCESS;
}

/* Sink first: helper threads (started last) may hash for it at once. */
static apr_status_t setup(ls_zip_writer_t *w)
{
    apr_status_t rv;

    ls_zip_source_setup(w);
    if ((rv = ls_zip_sink_setup(w)) != APR_SUCCESS) {
        return rv;
    }
    return ls_zip_deflate_setup(w);
}

/* Helpers stopped first: they may be hashing the sink's file. */
static void teardown(ls_zip_writer_t *w)
{
    ls_zip_deflate_teardown(w);
    ls_zip_sink_teardown(w);
}

apr_status_t ls_zip_write(apr_pool_t *p, const apr_array_header_t *entries,
                          const ls_zip_part_t *part, ls_zip_mode_t mode,
                          int deflate_level, const char *out_path,
                          ls_zip_progress_fn progress, void *baton,
                          char *sha256_hex, apr_off_t *size_out,
                          const char **err)
{
    apr_pool_t *sub;
    ls_zip_writer_t *w;
    zip_t *za = NULL;
    zip_source_t *out;
    apr_status_t rv;

    *err = NULL;
    if (part == NULL || part->count <= 0 || part->first < 0
        || part->first + part->count > entries->nelts) {
        *err = "There is nothing to package.";
        return APR_EINVAL;
    }
    if ((rv = apr_pool_create(&sub, p)) != APR_SUCCESS) {
        *err = "Packaging failed (out of memory).";
        return rv;
    }
    apr_pool_tag(sub, "ls_zip_write");
    w = apr_pcalloc(sub, sizeof(*w));
    w->pool = sub;
    w->entries = entries;
    w->part = part;
    w->out_path = out_path;
    w->level = deflate_level <= 0  ? LS_ZIP_DEFAULT_LEVEL
               : deflate_level > 9 ? 9
                                   : deflate_level;
    w->tuned = deflate_level <= 0;
    w->progress = progress;
    w->baton = baton;
    zip_error_init(&w->zerr);

    if ((rv = setup(w)) != APR_SUCCESS) {
        ls_zip_fail(w, rv, "Packaging could not start (out of resources).");
        goto done;
    }
    if ((out = zip_source_function_create(ls_zip_sink_cb, w, NULL)) == NULL) {
        ls_zip_fail(w, APR_ENOMEM, "Packaging failed (out of memory).");
        goto done;
    }
    if ((za = zip_open_from_source(out, ZIP_CREATE | ZIP_TRUNCATE, NULL))
        == NULL) {
        zip_source_free(out);
        ls_zip_fail(w, APR_EGENERAL,
                    "Packaging failed (libzip would not start).");
        goto done;
    }
    if (add_entries(w, za, mode) != APR_SUCCESS) {
        goto done;
    }
    if (zip_close(za) == 0) {
        za = NULL; /* zip_close freed it */
    }
    else {
        ls_zip_fail(
            w, APR_EGENERAL,
            apr_psprintf(sub, "Packaging failed (%s).", zip_strerror(za)));
    }

done:
    if (za) {
        zip_discard(za); /* rolls the output back if it was begun */
    }
    if (w->status == APR_SUCCESS) {
        ls_zip_sink_digest(w, sha256_hex);
        *size_out = w->sink.end;
    }
    teardown(w);
    zip_error_fini(&w->zerr);
    rv = w->status;
    *err = rv == APR_SUCCESS ? NULL : apr_pstrdup(p, w->err);
    apr_pool_destroy(sub);
    return rv;
}
