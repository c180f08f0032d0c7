/* libFuzzer target for ls_apireq: every sharer API body parser gets the
 * input as a body, and ls_mail_address_ok gets it as a string. What a
 * parser accepts must satisfy the rules it promises (normal paths, valid
 * addresses, limits); what it refuses must come with a reason. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "ls_apireq.h"
#include "ls_mail.h"
#include "ls_path.h"
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

static void check_refusal(apr_status_t rv, const char *why)
{
    if (rv != APR_EINVAL || why == NULL || *why == '\0') {
        abort();
    }
}

/* Every accepted path is already in normal form. */
static void check_paths(apr_pool_t *p, const apr_array_header_t *paths, int max)
{
    int i;

    if (paths == NULL || paths->nelts > max) {
        abort();
    }
    for (i = 0; i < paths->nelts; i++) {
        const char *in = APR_ARRAY_IDX(paths, i, const char *), *out, *why;
        if (ls_path_clean(p, in, 0, &out, &why) != APR_SUCCESS
            || strcmp(in, out) != 0) {
            abort();
        }
    }
}

static void share_create(apr_pool_t *p, const char *body, size_t size)
{
    ls_share_req_t *req = NULL;
    const char *why = NULL;
    apr_status_t rv = ls_apireq_share_create(p, body, size, &req, &why);
    int i;

    if (rv != APR_SUCCESS) {
        check_refusal(rv, why);
        return;
    }
    check_paths(p, req->paths, LS_API_MAX_PATHS);
    if ((req->paths->nelts == 0 && req->collection == NULL)
        || (req->collection && !ls_id_well_formed(req->collection))
        || req->allow_original < -1 || req->allow_original > 1
        || req->recipients == NULL
        || req->recipients->nelts > LS_API_MAX_RECIPIENTS
        || (req->subject && strlen(req->subject) > LS_API_MAX_SUBJECT)
        || (req->message && strlen(req->message) > LS_API_MAX_MESSAGE)) {
        abort();
    }
    for (i = 0; i < req->recipients->nelts; i++) {
        if (!ls_mail_address_ok(APR_ARRAY_IDX(req->recipients, i, char *))) {
            abort();
        }
    }
    /* What reaches a mail header or body passed the mail checks. */
    if ((req->subject && !ls_mail_header_text_ok(req->subject))
        || (req->message && !ls_mail_body_text_ok(req->message))
        || (req->name
            && (*req->name == '\0' || !ls_mail_header_text_ok(req->name)))
        || (req->receipt != 0 && req->receipt != 1)) {
        abort();
    }
}

static void resend(apr_pool_t *p, const char *body, size_t size)
{
    const char *email = NULL, *why = NULL;
    apr_status_t rv = ls_apireq_resend(p, body, size, &email, &why);

    if (rv != APR_SUCCESS) {
        check_refusal(rv, why);
    }
    else if (!ls_mail_address_ok(email)) {
        abort();
    }
}

static void share_patch(apr_pool_t *p, const char *body, size_t size)
{
    ls_share_patch_t pt;
    const char *why = NULL;
    apr_status_t rv = ls_apireq_share_patch(p, body, size, &pt, &why);

    if (rv != APR_SUCCESS) {
        check_refusal(rv, why);
    }
    else if ((!pt.has_expires && !pt.has_name)
             || (pt.name && !ls_mail_header_text_ok(pt.name))) {
        abort();
    }
}

static void collection_create(apr_pool_t *p, const char *body, size_t size)
{
    const char *name = NULL, *why = NULL;
    apr_array_header_t *paths = NULL;
    apr_status_t rv = ls_apireq_collection_create(p, body, size, &name, &paths,
                                                  &why);

    if (rv != APR_SUCCESS) {
        check_refusal(rv, why);
        return;
    }
    check_paths(p, paths, LS_API_MAX_PATHS);
    if (name == NULL || *name == '\0' || strlen(name) > LS_API_MAX_NAME
        || strpbrk(name, "\r\n") || paths->nelts == 0) {
        abort();
    }
}

static void email(const char *s)
{
    const char *c, *at;

    if (!ls_mail_address_ok(s)) {
        return;
    }
    at = strchr(s, '@');
    if (strlen(s) < 3 || strlen(s) > LS_API_MAX_EMAIL || at == NULL || at == s
        || strchr(at + 1, '@') || strchr(at, '.') == NULL) {
        abort();
    }
    for (c = s; *c; c++) {
        if ((unsigned char)*c <= 0x20 || (unsigned char)*c >= 0x7f
            || strchr("\"<>", *c)) {
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    /* libFuzzer's buffer is exactly size bytes: ASan catches any read past
     * it, which a copy in pool memory would hide. */
    const char *body = (const char *)data;
    char *s = malloc(size + 1);

    memcpy(s, data, size);
    s[size] = '\0';
    apr_pool_create(&p, NULL);
    share_create(p, body, size);
    share_patch(p, body, size);
    collection_create(p, body, size);
    resend(p, body, size);
    email(s);
    apr_pool_destroy(p);
    free(s);
    return 0;
}
