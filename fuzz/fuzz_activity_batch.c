/* libFuzzer target for the activity log's batch files (ls_activity_batch):
 * whatever bytes a file holds, reading it either refuses it (APR_EINVAL)
 * or gives events that, written again and read back, are the same events.
 * The files come from the node's own children, but a torn or corrupted
 * one must cost the file, never the writer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <apr_file_io.h>
#include <apr_general.h>
#include <apr_strings.h>

#include "ls_activity_batch.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[] = "/tmp/ls_fuzz_batch_XXXXXX";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    apr_initialize();
    if (mkdtemp(dir) == NULL) {
        abort();
    }
    return 0;
}

static int same(const char *a, const char *b)
{
    return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    apr_file_t *f;
    apr_dir_t *d;
    apr_finfo_t fi;
    apr_array_header_t *ev = NULL, *again = NULL;
    const char *err = NULL, *path, *sub, *written = NULL;
    int i;

    apr_pool_create(&p, NULL);
    path = apr_pstrcat(p, dir, "/in.batch", NULL);
    if (apr_file_open(&f, path,
                      APR_FOPEN_WRITE | APR_FOPEN_CREATE | APR_FOPEN_TRUNCATE,
                      APR_FPROT_OS_DEFAULT, p)
        != APR_SUCCESS) {
        abort();
    }
    apr_file_write_full(f, data, size, NULL);
    apr_file_close(f);
    if (ls_activity_batch_read(p, path, &ev, &err) != APR_SUCCESS) {
        apr_file_remove(path, p);
        apr_pool_destroy(p);
        return 0;
    }
    /* Read: written again, it reads back the same. */
    sub = apr_pstrcat(p, dir, "/out", NULL);
    apr_dir_make(sub, APR_FPROT_OS_DEFAULT, p);
    if (ls_activity_batch_write(p, sub, (const ls_activity_t *)ev->elts,
                                ev->nelts, &err)
        != APR_SUCCESS) {
        abort();
    }
    if (apr_dir_open(&d, sub, p) == APR_SUCCESS) {
        while (apr_dir_read(&fi, APR_FINFO_NAME, d) == APR_SUCCESS) {
            if (fi.name[0] != '.') {
                written = apr_pstrcat(p, sub, "/", fi.name, NULL);
            }
        }
        apr_dir_close(d);
    }
    if (written == NULL
        || ls_activity_batch_read(p, written, &again, &err) != APR_SUCCESS
        || again->nelts != ev->nelts) {
        abort();
    }
    for (i = 0; i < ev->nelts; i++) {
        const ls_activity_t *a = &APR_ARRAY_IDX(ev, i, ls_activity_t);
        const ls_activity_t *b = &APR_ARRAY_IDX(again, i, ls_activity_t);

        if (a->at != b->at || a->status != b->status || a->bytes != b->bytes
            || !same(a->share_id, b->share_id) || !same(a->kind, b->kind)
            || !same(a->path, b->path) || !same(a->job, b->job)
            || !same(a->address, b->address)) {
            abort();
        }
    }
    apr_file_remove(written, p);
    apr_file_remove(path, p);
    apr_pool_destroy(p);
    return 0;
}
