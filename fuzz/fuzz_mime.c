/* libFuzzer target for ls_mime_type_is, the check of every request's
 * Content-Type. The input is the header value. Whatever it accepts as
 * application/json must start (after spaces) with exactly that type, end
 * it there, and hold no control character but tabs. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <apr_general.h>

#include "ls_mime.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    apr_initialize();
    return 0;
}

static void check(const char *ct, const char *want)
{
    size_t n = strlen(want);
    const char *s = ct, *c;

    if (!ls_mime_type_is(ct, want)) {
        return;
    }
    while (*s == ' ' || *s == '\t') {
        s++;
    }
    if (strncasecmp(s, want, n) != 0 || (s[n] && !strchr(" \t;", s[n]))) {
        abort();
    }
    for (c = ct; *c; c++) {
        if (((unsigned char)*c < 0x20 && *c != '\t') || *c == 0x7f) {
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A malloc'd copy, so ASan sees reads past the end. */
    char *s = malloc(size + 1);

    memcpy(s, data, size);
    s[size] = '\0';
    check(s, "application/json");
    check(s, "application/x-www-form-urlencoded");
    free(s);
    return 0;
}
