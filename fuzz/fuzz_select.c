/* libFuzzer target for ls_select_from_json (a job's entries as the store
 * keeps them) and ls_entryname_map (archive names). What loads must
 * survive a round trip through ls_select_to_json unchanged; mapped names
 * must hold no character Windows refuses, end in no dot or space, and
 * mapping them again must change nothing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "ls_entryname.h"
#include "ls_select.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    apr_initialize();
    return 0;
}

static int same(const ls_zip_entry_t *a, const ls_zip_entry_t *b)
{
    return ((a->src == NULL && b->src == NULL)
            || (a->src && b->src && strcmp(a->src, b->src) == 0))
           && strcmp(a->name, b->name) == 0 && a->size == b->size
           && a->mtime == b->mtime && a->compressed == b->compressed
           && a->verify == b->verify && a->dev == b->dev && a->ino == b->ino;
}

/* Aborts when a non-empty segment of name could not be created on
 * Windows. */
static void check_name(const char *name)
{
    const char *seg = name, *c;

    for (c = name;; c++) {
        if (*c == '/' || *c == '\0') {
            if (c > seg && (c[-1] == '.' || c[-1] == ' ')) {
                abort();
            }
            if (*c == '\0') {
                return;
            }
            seg = c + 1;
        }
        else if ((unsigned char)*c < 0x20 || *c == 0x7f
                 || strchr("<>:\"|?*\\", *c)) {
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    apr_array_header_t *entries, *again;
    char *in = malloc(size + 1);
    int i;

    memcpy(in, data, size);
    in[size] = '\0';
    apr_pool_create(&p, NULL);
    if (ls_select_from_json(p, in, &entries) == APR_SUCCESS) {
        if (ls_select_from_json(p, ls_select_to_json(p, entries), &again)
                != APR_SUCCESS
            || again->nelts != entries->nelts) {
            abort();
        }
        for (i = 0; i < entries->nelts; i++) {
            if (!same(&APR_ARRAY_IDX(entries, i, ls_zip_entry_t),
                      &APR_ARRAY_IDX(again, i, ls_zip_entry_t))) {
                abort(); /* the JSON did not round-trip */
            }
        }
        ls_entryname_map(p, entries);
        ls_entryname_map(p, again);
        ls_entryname_map(p, again);
        for (i = 0; i < entries->nelts; i++) {
            const char *n = APR_ARRAY_IDX(entries, i, ls_zip_entry_t).name;
            check_name(n);
            if (strcmp(n, APR_ARRAY_IDX(again, i, ls_zip_entry_t).name)) {
                abort(); /* mapping twice changed a name */
            }
        }
    }
    apr_pool_destroy(p);
    free(in);
    return 0;
}
