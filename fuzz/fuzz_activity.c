/* libFuzzer target for the activity log's parsers and writers of
 * untrusted text: the API's cursor (before=), client addresses under each
 * LinkShareActivityAddress mode, and a recipient-chosen path through CSV
 * and JSON. A cursor that parses must make itself again; a CSV field
 * never starts with a formula character outside quotes; the JSON always
 * serialises, whatever bytes the path holds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "ls_activity.h"
#include "ls_token.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    apr_initialize();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    apr_array_header_t *ev;
    ls_activity_t *e;
    apr_int64_t at;
    char id[LS_ACTIVITY_ID_LEN + 1];
    const char *csv, *field;
    char *s = malloc(size + 1); /* exact size: ASan sees over-reads */
    json_t *j;
    char *text;
    int m;

    memcpy(s, data, size);
    s[size] = '\0';
    apr_pool_create(&p, NULL);
    if (ls_store_activity_cursor_parse(s, &at, id) == APR_SUCCESS) {
        ls_activity_t c;

        memset(&c, 0, sizeof(c));
        c.at = at;
        c.id = id;
        if (at < 0 || strcmp(ls_store_activity_cursor(p, &c), s) != 0) {
            /* Leading zeros parse too; the remade one has none. */
            if (s[0] != '0') {
                abort();
            }
        }
    }
    for (m = LS_ACTIVITY_ADDR_FULL; m <= LS_ACTIVITY_ADDR_NONE; m++) {
        const char *a = ls_activity_address(p, s, (ls_activity_addr_t)m);
        if (a && (m == LS_ACTIVITY_ADDR_NONE || strlen(a) > 45)) {
            abort();
        }
    }
    ev = apr_array_make(p, 1, sizeof(ls_activity_t));
    e = apr_array_push(ev);
    memset(e, 0, sizeof(*e));
    e->at = 1;
    e->kind = "download";
    e->path = s;
    csv = ls_activity_csv(p, ev);
    /* The path is the third field of the second line. */
    field = strstr(csv, "\r\n1970-01-01T00:00:00Z,download,");
    if (field == NULL) {
        abort();
    }
    field += strlen("\r\n1970-01-01T00:00:00Z,download,");
    if (*field && strchr("=+-@\t\r", *field)) {
        abort();
    }
    j = ls_activity_json(p, ev, NULL);
    /* A path that is not UTF-8 (path=%FF is recorded too) must still
     * give JSON: its bytes are percent-encoded. */
    text = j ? json_dumps(j, 0) : NULL;
    if (text == NULL) {
        abort();
    }
    free(text);
    json_decref(j);
    apr_pool_destroy(p);
    free(s);
    return 0;
}
