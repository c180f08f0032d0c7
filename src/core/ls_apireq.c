/* ls_apireq: sharer API request bodies (see ls_apireq.h). */
#include <string.h>

#include <apr_strings.h>
#include <jansson.h>

#include "ls_apireq.h"
#include "ls_mail.h"
#include "ls_password.h"
#include "ls_path.h"
#include "ls_time.h"
#include "ls_token.h"

static apr_status_t fail(apr_pool_t *p, const char **why, const char *fmt,
                         const char *field)
{
    *why = apr_psprintf(p, fmt, field);
    return APR_EINVAL;
}

static apr_status_t load_object(apr_pool_t *p, const char *body, apr_size_t len,
                                json_t **root, const char **why)
{
    json_error_t err;

    if (len == 0) {
        *why = "The request body is empty; a JSON object is expected.";
        return APR_EINVAL;
    }
    if (len > LS_API_MAX_BODY) {
        *why = "The request body is too large.";
        return APR_EINVAL;
    }
    *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &err);
    if (*root == NULL) {
        /* jansson's text ends in "near '<the text there>'", which may be
         * a password: the sentence is logged and answered, so it keeps
         * the position and drops the quote. */
        char *near = strstr(err.text, " near ");
        if (near) {
            *near = '\0';
        }
        *why = apr_psprintf(p,
                            "The request body is not valid JSON: %s "
                            "(line %d, column %d).",
                            err.text, err.line, err.column);
        return APR_EINVAL;
    }
    if (!json_is_object(*root)) {
        json_decref(*root);
        *why = "The request body must be a JSON object.";
        return APR_EINVAL;
    }
    return APR_SUCCESS;
}

/* Refuses any key not in allowed (a NULL-terminated list), so a typo in a
 * field name is an error rather than a silently ignored setting. */
static apr_status_t check_keys(apr_pool_t *p, json_t *obj,
                               const char *const *allowed, const char **why)
{
    const char *key;
    json_t *v;

    json_object_foreach(obj, key, v)
    {
        const char *const *a;
        for (a = allowed; *a && strcmp(*a, key) != 0; a++)
            ;
        if (*a == NULL) {
            return fail(p, why, "Unknown field \"%s\".", key);
        }
    }
    return APR_SUCCESS;
}

static apr_status_t get_string(apr_pool_t *p, json_t *obj, const char *field,
                               apr_size_t max, const char **out,
                               const char **why)
{
    json_t *v = json_object_get(obj, field);

    *out = NULL;
    if (v == NULL || json_is_null(v)) {
        return APR_SUCCESS;
    }
    if (!json_is_string(v)) {
        return fail(p, why, "Field \"%s\" must be a string.", field);
    }
    if (json_string_length(v) > max) {
        *why = apr_psprintf(p, "Field \"%s\" is longer than %d characters.",
                            field, (int)max);
        return APR_EINVAL;
    }
    *out = apr_pstrmemdup(p, json_string_value(v), json_string_length(v));
    return APR_SUCCESS;
}

static apr_status_t get_paths(apr_pool_t *p, json_t *obj, int required,
                              apr_array_header_t **out, const char **why)
{
    json_t *v = json_object_get(obj, "paths"), *e;
    size_t i;

    *out = apr_array_make(p, 4, sizeof(const char *));
    if (v == NULL || json_is_null(v)) {
        return required ? fail(p, why, "Field \"%s\" is required.", "paths")
                        : APR_SUCCESS;
    }
    if (!json_is_array(v)) {
        return fail(p, why, "Field \"%s\" must be an array of strings.",
                    "paths");
    }
    if (json_array_size(v) > LS_API_MAX_PATHS) {
        *why = apr_psprintf(p, "Field \"paths\" has more than %d entries.",
                            LS_API_MAX_PATHS);
        return APR_EINVAL;
    }
    json_array_foreach(v, i, e)
    {
        const char *clean, *reason;
        if (!json_is_string(e)) {
            return fail(p, why, "Field \"%s\" must be an array of strings.",
                        "paths");
        }
        if (ls_path_clean(p, json_string_value(e), 0, &clean, &reason)) {
            *why = apr_psprintf(p, "Field \"paths\", entry %d: %s", (int)i + 1,
                                reason);
            return APR_EINVAL;
        }
        APR_ARRAY_PUSH(*out, const char *) = clean;
    }
    return APR_SUCCESS;
}

static apr_status_t get_expires(apr_pool_t *p, json_t *obj, int *has,
                                apr_int64_t *out, const char **why)
{
    json_t *v = json_object_get(obj, "expires");

    *has = 0;
    if (v == NULL || json_is_null(v)) {
        return APR_SUCCESS;
    }
    if (!json_is_string(v)
        || ls_time_parse_rfc3339(json_string_value(v), out)) {
        return fail(p, why,
                    "Field \"%s\" must be an RFC 3339 date and time, "
                    "e.g. 2026-12-31T17:00:00Z.",
                    "expires");
    }
    *has = 1;
    return APR_SUCCESS;
}

/* "name": a share's label, shown to people and put in mail subjects: at
 * most LS_API_MAX_SHARE_NAME characters, no control characters; null or
 * "" is no name (*out NULL). *has says whether the field was there. */
static apr_status_t get_share_name(apr_pool_t *p, json_t *obj, int *has,
                                   const char **out, const char **why)
{
    json_t *v = json_object_get(obj, "name");
    const char *s;
    apr_size_t chars = 0;

    *has = v != NULL;
    *out = NULL;
    if (v == NULL || json_is_null(v)) {
        return APR_SUCCESS;
    }
    if (!json_is_string(v)) {
        return fail(p, why, "Field \"%s\" must be a string or null.", "name");
    }
    s = json_string_value(v);
    if (strlen(s) != json_string_length(v) || !ls_mail_header_text_ok(s)) {
        return fail(p, why,
                    "Field \"%s\" may not contain line breaks or control "
                    "characters.",
                    "name");
    }
    for (; *s; s++) {
        chars += ((unsigned char)*s & 0xc0) != 0x80; /* lead bytes */
    }
    if (chars > LS_API_MAX_SHARE_NAME) {
        *why = apr_psprintf(p, "Field \"name\" is longer than %d characters.",
                            LS_API_MAX_SHARE_NAME);
        return APR_EINVAL;
    }
    if (chars > 0) {
        *out = apr_pstrdup(p, json_string_value(v));
    }
    return APR_SUCCESS;
}

/* "password": 8 to 256 characters, or null (*has says it was there, *out
 * NULL for null). The sentences never quote the value. */
static apr_status_t get_password(apr_pool_t *p, json_t *obj, int *has,
                                 const char **out, apr_size_t *len,
                                 const char **why)
{
    json_t *v = json_object_get(obj, "password");

    *has = v != NULL;
    *out = NULL;
    *len = 0;
    if (v == NULL || json_is_null(v)) {
        return APR_SUCCESS;
    }
    if (!json_is_string(v)) {
        return fail(p, why, "Field \"%s\" must be a string or null.",
                    "password");
    }
    if (!ls_password_length_ok(json_string_value(v), json_string_length(v))) {
        *why = apr_psprintf(p,
                            "Field \"password\" must have %d to %d "
                            "characters.",
                            LS_PASSWORD_MIN, LS_PASSWORD_MAX);
        return APR_EINVAL;
    }
    *len = json_string_length(v);
    *out = apr_pstrmemdup(p, json_string_value(v), *len);
    return APR_SUCCESS;
}

/* "max_downloads": 1 to LS_API_MAX_DOWNLOADS, or null (*out 0). */
static apr_status_t get_max_downloads(apr_pool_t *p, json_t *obj, int *has,
                                      apr_int64_t *out, const char **why)
{
    json_t *v = json_object_get(obj, "max_downloads");

    *has = v != NULL;
    *out = 0;
    if (v == NULL || json_is_null(v)) {
        return APR_SUCCESS;
    }
    if (!json_is_integer(v) || json_integer_value(v) < 1
        || json_integer_value(v) > LS_API_MAX_DOWNLOADS) {
        *why = apr_psprintf(p,
                            "Field \"max_downloads\" must be a whole number "
                            "from 1 to %d, or null for no limit.",
                            LS_API_MAX_DOWNLOADS);
        return APR_EINVAL;
    }
    *out = json_integer_value(v);
    return APR_SUCCESS;
}

static apr_status_t get_recipients(apr_pool_t *p, json_t *obj,
                                   apr_array_header_t **out, const char **why)
{
    json_t *v = json_object_get(obj, "recipients"), *e;
    size_t i;

    *out = apr_array_make(p, 2, sizeof(const char *));
    if (v == NULL || json_is_null(v)) {
        return APR_SUCCESS;
    }
    if (!json_is_array(v)) {
        return fail(p, why, "Field \"%s\" must be an array of strings.",
                    "recipients");
    }
    if (json_array_size(v) > LS_API_MAX_RECIPIENTS) {
        *why = apr_psprintf(p,
                            "Field \"recipients\" has more than %d "
                            "addresses.",
                            LS_API_MAX_RECIPIENTS);
        return APR_EINVAL;
    }
    json_array_foreach(v, i, e)
    {
        if (!json_is_string(e)) {
            return fail(p, why, "Field \"%s\" must be an array of strings.",
                        "recipients");
        }
        const char *addr = json_string_value(e);
        int j, dup = 0;
        if (!ls_mail_address_ok(addr)) {
            *why = apr_psprintf(p,
                                "Field \"recipients\", entry %d is not a "
                                "valid email address.",
                                (int)i + 1);
            return APR_EINVAL;
        }
        /* The same address twice gets one mail. */
        for (j = 0; j < (*out)->nelts; j++) {
            dup |= strcasecmp(APR_ARRAY_IDX(*out, j, const char *), addr) == 0;
        }
        if (!dup) {
            APR_ARRAY_PUSH(*out, const char *) = apr_pstrdup(p, addr);
        }
    }
    return APR_SUCCESS;
}

/* What a share's mail says and to whom: "recipients", "subject",
 * "message", "receipt" (all optional here). */
static apr_status_t get_mail(apr_pool_t *p, json_t *obj, ls_share_mail_req_t *m,
                             const char **why)
{
    json_t *v;
    apr_status_t rv;

    memset(m, 0, sizeof(*m));
    if ((rv = get_recipients(p, obj, &m->recipients, why))
        || (rv = get_string(p, obj, "subject", LS_API_MAX_SUBJECT, &m->subject,
                            why))
        || (rv = get_string(p, obj, "message", LS_API_MAX_MESSAGE, &m->message,
                            why))) {
        return rv;
    }
    /* A subject becomes a mail header, a message a mail body: nothing
     * that could end a header or smuggle one in. */
    if (m->subject && !ls_mail_header_text_ok(m->subject)) {
        return fail(p, why,
                    "Field \"%s\" may not contain line breaks or control "
                    "characters.",
                    "subject");
    }
    if (m->message && !ls_mail_body_text_ok(m->message)) {
        return fail(p, why,
                    "Field \"%s\" may contain line breaks and tabs but no "
                    "other control characters (and no lone carriage return).",
                    "message");
    }
    v = json_object_get(obj, "receipt");
    if (v != NULL && !json_is_null(v)) {
        if (!json_is_boolean(v)) {
            return fail(p, why, "Field \"%s\" must be true or false.",
                        "receipt");
        }
        m->receipt = json_is_true(v);
    }
    return APR_SUCCESS;
}

apr_status_t ls_apireq_share_create(apr_pool_t *p, const char *body,
                                    apr_size_t len, ls_share_req_t **out,
                                    const char **why)
{
    static const char *const keys[] = {
        "paths",      "collection", "expires",       "allow_original",
        "recipients", "subject",    "message",       "receipt",
        "name",       "password",   "max_downloads", NULL};
    ls_share_req_t *req = apr_pcalloc(p, sizeof(*req));
    ls_share_mail_req_t mail;
    json_t *root, *v;
    apr_status_t rv;
    int has_name, has;

    if ((rv = load_object(p, body, len, &root, why)) != APR_SUCCESS) {
        return rv;
    }
    req->allow_original = -1;
    if ((rv = check_keys(p, root, keys, why))
        || (rv = get_paths(p, root, 0, &req->paths, why))
        || (rv = get_string(p, root, "collection", LS_ID_LEN, &req->collection,
                            why))
        || (rv = get_expires(p, root, &req->has_expires, &req->expires, why))
        || (rv = get_mail(p, root, &mail, why))
        || (rv = get_share_name(p, root, &has_name, &req->name, why))
        || (rv = get_password(p, root, &has, &req->password, &req->password_len,
                              why))
        || (rv = get_max_downloads(p, root, &has, &req->max_downloads, why))) {
        goto done;
    }
    req->recipients = mail.recipients;
    req->subject = mail.subject;
    req->message = mail.message;
    req->receipt = mail.receipt;
    if (req->collection && !ls_id_well_formed(req->collection)) {
        rv = fail(p, why, "Field \"%s\" is not a collection id.", "collection");
        goto done;
    }
    v = json_object_get(root, "allow_original");
    if (v != NULL && !json_is_null(v)) {
        if (!json_is_boolean(v)) {
            rv = fail(p, why, "Field \"%s\" must be true or false.",
                      "allow_original");
            goto done;
        }
        req->allow_original = json_is_true(v);
    }
    if (req->paths->nelts == 0 && req->collection == NULL) {
        *why = "Nothing to share: give \"paths\" or a \"collection\".";
        rv = APR_EINVAL;
        goto done;
    }
    *out = req;
done:
    json_decref(root);
    return rv;
}

apr_status_t ls_apireq_share_patch(apr_pool_t *p, const char *body,
                                   apr_size_t len, ls_share_patch_t *out,
                                   const char **why)
{
    static const char *const keys[] = {"expires", "name", "password",
                                       "max_downloads", NULL};
    json_t *root;
    apr_status_t rv;

    memset(out, 0, sizeof(*out));
    if ((rv = load_object(p, body, len, &root, why)) != APR_SUCCESS) {
        return rv;
    }
    if (!(rv = check_keys(p, root, keys, why))
        && !(rv = get_expires(p, root, &out->has_expires, &out->expires, why))
        && !(rv = get_share_name(p, root, &out->has_name, &out->name, why))
        && !(rv = get_password(p, root, &out->has_password, &out->password,
                               &out->password_len, why))
        && !(rv = get_max_downloads(p, root, &out->has_max_downloads,
                                    &out->max_downloads, why))
        && !out->has_expires && !out->has_name && !out->has_password
        && !out->has_max_downloads) {
        *why = "Nothing to change: give \"expires\", \"name\", "
               "\"password\" or \"max_downloads\".";
        rv = APR_EINVAL;
    }
    json_decref(root);
    return rv;
}

apr_status_t ls_apireq_collection_create(apr_pool_t *p, const char *body,
                                         apr_size_t len, const char **name,
                                         apr_array_header_t **paths,
                                         const char **why)
{
    static const char *const keys[] = {"name", "paths", NULL};
    json_t *root;
    apr_status_t rv;

    if ((rv = load_object(p, body, len, &root, why)) != APR_SUCCESS) {
        return rv;
    }
    if (!(rv = check_keys(p, root, keys, why))
        && !(rv = get_string(p, root, "name", LS_API_MAX_NAME, name, why))
        && !(rv = get_paths(p, root, 1, paths, why))) {
        if (*name == NULL || **name == '\0') {
            rv = fail(p, why, "Field \"%s\" is required.", "name");
        }
        else if (strpbrk(*name, "\r\n")) {
            rv = fail(p, why, "Field \"%s\" may not contain line breaks.",
                      "name");
        }
        else if ((*paths)->nelts == 0) {
            rv = fail(p, why, "Field \"%s\" needs at least one path.", "paths");
        }
    }
    json_decref(root);
    return rv;
}

apr_status_t ls_apireq_resend(apr_pool_t *p, const char *body, apr_size_t len,
                              const char **email, const char **why)
{
    static const char *const keys[] = {"email", NULL};
    json_t *root;
    apr_status_t rv;

    if ((rv = load_object(p, body, len, &root, why)) != APR_SUCCESS) {
        return rv;
    }
    if (!(rv = check_keys(p, root, keys, why))
        && !(rv = get_string(p, root, "email", LS_API_MAX_EMAIL, email, why))
        && (*email == NULL || !ls_mail_address_ok(*email))) {
        rv = fail(p, why, "Field \"%s\" must be an email address.", "email");
    }
    json_decref(root);
    return rv;
}

apr_status_t ls_apireq_share_mail(apr_pool_t *p, const char *body,
                                  apr_size_t len, ls_share_mail_req_t *out,
                                  const char **why)
{
    static const char *const keys[] = {"recipients", "subject", "message",
                                       "receipt", NULL};
    json_t *root;
    apr_status_t rv;

    if ((rv = load_object(p, body, len, &root, why)) != APR_SUCCESS) {
        return rv;
    }
    if (!(rv = check_keys(p, root, keys, why))
        && !(rv = get_mail(p, root, out, why)) && out->recipients->nelts == 0) {
        rv = fail(p, why,
                  "Field \"%s\" needs at least one email address to send the "
                  "link to.",
                  "recipients");
    }
    json_decref(root);
    return rv;
}
