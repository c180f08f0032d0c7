/* libFuzzer target for ls_path_clean, the gate every client path passes.
 * The first byte's low bit is allow_empty, the rest is the path. What it
 * accepts must obey every rule of ls_path.h and be its own normal form. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "ls_path.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    apr_initialize();
    return 0;
}

/* Aborts unless out follows the rules for a normal relative path. */
static void check_normal(const char *out, int allow_empty)
{
    const char *seg = out, *c;

    if (strlen(out) > LS_PATH_MAX || (*out == '\0' && !allow_empty)) {
        abort();
    }
    if (*out == '\0') {
        return;
    }
    for (c = out;; c++) {
        if (*c == '/' || *c == '\0') {
            size_t n = (size_t)(c - seg);
            if (n == 0 || (n == 1 && seg[0] == '.')
                || (n == 2 && seg[0] == '.' && seg[1] == '.')) {
                abort();
            }
            if (*c == '\0') {
                break;
            }
            seg = c + 1;
        }
        else if (*c == '\\' || (unsigned char)*c < 0x20 || *c == 0x7f) {
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    const char *out = NULL, *again = NULL, *why = NULL;
    int allow_empty;
    char *in;
    apr_status_t rv;

    if (size == 0) {
        return 0;
    }
    allow_empty = data[0] & 1;
    in = malloc(size); /* exact size: ASan sees any read past the end */
    memcpy(in, data + 1, size - 1);
    in[size - 1] = '\0';
    apr_pool_create(&p, NULL);
    rv = ls_path_clean(p, in, allow_empty, &out, &why);
    if (rv == APR_SUCCESS) {
        check_normal(out, allow_empty);
        if (ls_path_clean(p, out, allow_empty, &again, &why) != APR_SUCCESS
            || strcmp(out, again) != 0) {
            abort(); /* not idempotent */
        }
        if (*out
            && (strchr(ls_path_basename(out), '/')
                || strcmp(ls_path_join(p, "root", out),
                          apr_pstrcat(p, "root/", out, NULL))
                       != 0)) {
            abort();
        }
    }
    else if (rv != APR_EINVAL || why == NULL) {
        abort();
    }
    apr_pool_destroy(p);
    free(in);
    return 0;
}
