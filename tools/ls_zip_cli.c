/* ls-zip: packages a directory with ls_zip_plan and ls_zip_write, the way
 * a worker packages a selection. For benchmarks (bench/zip.sh) and for
 * trying part sizes and levels by hand; not installed with the module.
 *
 *   ls-zip [-m auto|store|deflate] [-l LEVEL] [-s PART_SIZE[k|m|g]]
 *          [-j THREADS] [-v] DIR OUT
 *
 * Writes OUT.zip, or OUT-partN-of-M.zip when the part size asks for
 * several, with DIR's own name as the top folder inside (like zip -r
 * DIR); prints a line per part: file, bytes, SHA-256, seconds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_file_info.h>
#include <apr_general.h>
#include <apr_getopt.h>
#include <apr_strings.h>

#include "ls_mime.h"
#include "ls_zip.h"

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Adds dir (absolute path abs, archive name name, ending in '/') and
 * everything below it, in byte order of names, so runs are repeatable. */
static apr_status_t walk(apr_pool_t *p, const char *abs, const char *name,
                         apr_time_t mtime, apr_array_header_t *out)
{
    apr_array_header_t *names = apr_array_make(p, 16, sizeof(char *));
    apr_dir_t *dir;
    apr_finfo_t fi;
    apr_status_t rv;
    ls_zip_entry_t *e;
    int i;

    e = apr_array_push(out);
    memset(e, 0, sizeof(*e));
    e->name = name;
    e->mtime = mtime;
    if ((rv = apr_dir_open(&dir, abs, p)) != APR_SUCCESS) {
        return rv;
    }
    while (apr_dir_read(&fi, APR_FINFO_NAME, dir) == APR_SUCCESS) {
        if (strcmp(fi.name, ".") && strcmp(fi.name, "..")) {
            APR_ARRAY_PUSH(names, char *) = apr_pstrdup(p, fi.name);
        }
    }
    apr_dir_close(dir);
    qsort(names->elts, names->nelts, sizeof(char *), by_name);
    for (i = 0; i < names->nelts; i++) {
        const char *n = APR_ARRAY_IDX(names, i, char *);
        const char *path = apr_pstrcat(p, abs, "/", n, NULL);

        rv = apr_stat(&fi, path,
                      APR_FINFO_TYPE | APR_FINFO_SIZE | APR_FINFO_MTIME, p);
        if (rv != APR_SUCCESS) {
            return rv;
        }
        if (fi.filetype == APR_DIR) {
            rv = walk(p, path, apr_pstrcat(p, name, n, "/", NULL), fi.mtime,
                      out);
            if (rv != APR_SUCCESS) {
                return rv;
            }
        }
        else if (fi.filetype == APR_REG) {
            e = apr_array_push(out);
            e->src = path;
            e->name = apr_pstrcat(p, name, n, NULL);
            e->size = fi.size;
            e->mtime = fi.mtime;
            e->compressed = ls_mime_lookup(n)->compressed;
        }
    }
    return APR_SUCCESS;
}

static int show(void *baton, int files, apr_off_t bytes)
{
    const ls_zip_part_t *part = baton;

    fprintf(stderr,
            "\r%d/%d entries, %" APR_OFF_T_FMT "/%" APR_OFF_T_FMT " bytes",
            files, part->count, bytes, part->bytes);
    return 0;
}

static apr_off_t parse_size(const char *s)
{
    char *end;
    double v = strtod(s, &end);

    switch (*end) {
    case 'k':
    case 'K':
        v *= 1024.0;
        break;
    case 'm':
    case 'M':
        v *= 1024.0 * 1024.0;
        break;
    case 'g':
    case 'G':
        v *= 1024.0 * 1024.0 * 1024.0;
        break;
    default:
        break;
    }
    return (apr_off_t)v;
}

static const char *why(apr_status_t rv)
{
    static char buf[120];

    return apr_strerror(rv, buf, sizeof(buf));
}

static int usage(void)
{
    fprintf(stderr, "usage: ls-zip [-m auto|store|deflate] [-l LEVEL] "
                    "[-s PART_SIZE[k|m|g]] [-j THREADS] [-v] DIR OUT\n");
    return 2;
}

int main(int argc, const char *const *argv)
{
    apr_pool_t *p;
    apr_getopt_t *opt;
    const char *arg, *dir, *base, *err;
    char c;
    ls_zip_mode_t mode = LS_ZIP_AUTO;
    int level = 0, verbose = 0, i;
    apr_off_t part_size = 0;
    apr_array_header_t *entries, *parts;
    apr_finfo_t fi;
    apr_status_t rv;
    char *top;

    apr_app_initialize(&argc, &argv, NULL);
    apr_pool_create(&p, NULL);
    apr_getopt_init(&opt, p, argc, argv);
    while ((rv = apr_getopt(opt, "m:l:s:j:v", &c, &arg)) == APR_SUCCESS) {
        switch (c) {
        case 'm':
            mode = !strcmp(arg, "store")     ? LS_ZIP_STORE
                   : !strcmp(arg, "deflate") ? LS_ZIP_DEFLATE
                                             : LS_ZIP_AUTO;
            break;
        case 'l':
            level = atoi(arg);
            break;
        case 's':
            part_size = parse_size(arg);
            break;
        case 'j':
            ls_zip_set_threads(atoi(arg));
            break;
        case 'v':
            verbose = 1;
            break;
        default:
            return usage();
        }
    }
    if (rv != APR_EOF || argc - opt->ind != 2) {
        return usage();
    }
    dir = argv[opt->ind];
    base = argv[opt->ind + 1];
    if ((rv = apr_filepath_merge((char **)&dir, NULL, dir,
                                 APR_FILEPATH_NOTRELATIVE, p))
            != APR_SUCCESS
        || (rv = apr_stat(&fi, dir, APR_FINFO_MTIME, p)) != APR_SUCCESS) {
        fprintf(stderr, "ls-zip: %s: %s\n", dir, why(rv));
        return 1;
    }
    top = apr_pstrdup(p, dir);
    while (strlen(top) > 1 && top[strlen(top) - 1] == '/') {
        top[strlen(top) - 1] = '\0';
    }
    entries = apr_array_make(p, 256, sizeof(ls_zip_entry_t));
    rv = walk(p, top, apr_pstrcat(p, strrchr(top, '/') + 1, "/", NULL),
              fi.mtime, entries);
    if (rv != APR_SUCCESS) {
        fprintf(stderr, "ls-zip: reading %s: %s\n", dir, why(rv));
        return 1;
    }
    parts = ls_zip_plan(p, entries, part_size);
    for (i = 0; i < parts->nelts; i++) {
        const ls_zip_part_t *part = &APR_ARRAY_IDX(parts, i, ls_zip_part_t);
        const char *out = parts->nelts == 1
                              ? apr_pstrcat(p, base, ".zip", NULL)
                              : apr_psprintf(p, "%s-part%d-of-%d.zip", base,
                                             part->n, parts->nelts);
        char sha[65];
        apr_off_t size = 0;
        apr_time_t t0 = apr_time_now();

        rv = ls_zip_write(p, entries, part, mode, level, out,
                          verbose ? show : NULL, (void *)part, sha, &size,
                          &err);
        if (verbose) {
            fputc('\n', stderr);
        }
        if (rv != APR_SUCCESS) {
            fprintf(stderr, "ls-zip: %s: %s\n", out, err);
            return 1;
        }
        printf("%s %" APR_OFF_T_FMT " %s %.3f\n", out, size, sha,
               (double)(apr_time_now() - t0) / APR_USEC_PER_SEC);
    }
    apr_pool_destroy(p);
    apr_terminate();
    return 0;
}
