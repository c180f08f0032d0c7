/* ls_store_share: shares in the store (see ls_store_share.h): their
 * items and recipients, insert (with the share's mail, ls_store_mail.c),
 * find by token hash or id, list, recipient suggestions, expiry,
 * revocation, the download counter, and the deep copy the share cache
 * keeps. Not jobs or mail rows (ls_store_job.c, ls_store_mail.c). */
#include <string.h>

#include <apr_lib.h>
#include <apr_strings.h>

#include "ls_store_share.h"
#include "ls_store_int.h"

#define SHARE_COLS                                                             \
    "id, owner, created, expires, revoked, allow_original, collection_id, "    \
    "subject, message, downloads, name, sealed_token, password_hash, "         \
    "password_gen, max_downloads"

/* The columns from i on hold a share (SHARE_COLS). */
static ls_share_t *share_at(ls_store *s, apr_pool_t *p, apr_dbd_row_t *row,
                            int i)
{
    ls_share_t *sh = apr_pcalloc(p, sizeof(*sh));

    sh->id = ls_store_col_dup(s, p, row, i);
    sh->owner = ls_store_col_dup(s, p, row, i + 1);
    sh->created = ls_store_col_int(s, row, i + 2);
    sh->expires = ls_store_col_int(s, row, i + 3);
    sh->revoked = ls_store_col_int(s, row, i + 4);
    sh->allow_original = ls_store_col_int(s, row, i + 5) != 0;
    sh->collection_id = ls_store_col_dup(s, p, row, i + 6);
    sh->subject = ls_store_col_dup(s, p, row, i + 7);
    sh->message = ls_store_col_dup(s, p, row, i + 8);
    sh->downloads = ls_store_col_int(s, row, i + 9);
    sh->name = ls_store_col_dup(s, p, row, i + 10);
    sh->sealed_token = ls_store_col_dup(s, p, row, i + 11);
    sh->password_hash = ls_store_col_dup(s, p, row, i + 12);
    sh->password_gen = ls_store_col_int(s, row, i + 13);
    sh->max_downloads = ls_store_col_int(s, row, i + 14); /* NULL reads 0 */
    sh->items = apr_array_make(p, 4, sizeof(ls_item_t));
    sh->recipients = apr_array_make(p, 0, sizeof(ls_recipient_t));
    return sh;
}

/* The columns from i on hold an item (ITEM_COLS). */
static void item_at(ls_store *s, apr_pool_t *p, apr_dbd_row_t *row, int i,
                    apr_array_header_t *items)
{
    ls_item_t *it = apr_array_push(items);
    it->path = ls_store_col_dup(s, p, row, i);
    it->kind = ls_store_col_dup(s, p, row, i + 1);
}

/* The columns from i on hold a recipient (RECIPIENT_COLS). */
static void recipient_at(ls_store *s, apr_pool_t *p, apr_dbd_row_t *row, int i,
                         apr_array_header_t *recipients)
{
    ls_recipient_t *rc = apr_array_push(recipients);
    rc->email = ls_store_col_dup(s, p, row, i);
    rc->external = ls_store_col_int(s, row, i + 1) != 0;
    rc->mail_state = ls_store_col_dup(s, p, row, i + 2);
    rc->mail_reply = ls_store_col_dup(s, p, row, i + 3);
    rc->mail_attempts = (int)ls_store_col_int(s, row, i + 4);
    rc->mail_updated = ls_store_col_int(s, row, i + 5);
}

static void row_share(ls_store *s, apr_pool_t *p, apr_dbd_row_t *row,
                      void *baton)
{
    APR_ARRAY_PUSH((apr_array_header_t *)baton,
                   ls_share_t *) = share_at(s, p, row, 0);
}

/* An item's and a recipient's columns (r: ls_share_recipient, m: its
 * link mail, LEFT JOINed by RECIPIENT_MAIL): the mail's own state,
 * "sending" shown as still queued. */
#define ITEM_COLS "i.path, i.kind"
#define RECIPIENT_COLS                                                         \
    "r.email, r.external, CASE WHEN m.state IS NULL THEN r.mail_state WHEN "   \
    "m.state = 'sending' THEN 'queued' ELSE m.state END, m.reply, "            \
    "m.attempts, m.updated"
#define RECIPIENT_MAIL                                                         \
    "LEFT JOIN ls_mail m ON m.share_id = r.share_id AND m.kind = 'link' AND "  \
    "m.rcpt = r.email"

/* The items and recipients of a list of shares: one select each for all
 * of them (not two per share), each row led by its share's id and handed
 * to that share (by_id) in the order of its pos. */
#define ITEMS_OF(where)                                                        \
    "SELECT i.share_id, " ITEM_COLS " FROM ls_share_item i JOIN ls_share sh "  \
    "ON sh.id = i.share_id" where " ORDER BY i.share_id, i.pos"
#define RECIPIENTS_OF(where)                                                   \
    "SELECT r.share_id, " RECIPIENT_COLS " FROM ls_share_recipient r JOIN "    \
    "ls_share sh ON sh.id = r.share_id " RECIPIENT_MAIL where                  \
    " ORDER BY r.share_id, r.pos"

static ls_share_t *child_owner(ls_store *s, apr_dbd_row_t *row,
                               apr_hash_t *by_id)
{
    const char *id = ls_store_col(s, row, 0);
    return id ? apr_hash_get(by_id, id, APR_HASH_KEY_STRING) : NULL;
}

static void row_child_item(ls_store *s, apr_pool_t *p, apr_dbd_row_t *row,
                           void *baton)
{
    ls_share_t *sh = child_owner(s, row, baton);

    if (sh) {
        item_at(s, p, row, 1, sh->items);
    }
}

static void row_child_recipient(ls_store *s, apr_pool_t *p, apr_dbd_row_t *row,
                                void *baton)
{
    ls_share_t *sh = child_owner(s, row, baton);

    if (sh) {
        recipient_at(s, p, row, 1, sh->recipients);
    }
}

/* ---- one share, in one statement ----
 *
 * A link's lookup is on every uncached public request, so the share, its
 * items and its recipients come back from one statement (one round trip
 * to PostgreSQL where three took one each), prepared on the server
 * (ls_store_select_prepared). Each row says what it holds in its first
 * column; the others are NULL:
 *
 *   what | SHARE_COLS (15) | pos | ITEM_COLS (2) | RECIPIENT_COLS (6)
 *   0    | the share       |     |               |
 *   1    |                 | pos | an item       |
 *   2    |                 | pos |               | a recipient
 *
 * ordered by (what, pos): the share first, then its items and its
 * recipients in their own order. UNION ALL rather than JOINs, which would
 * repeat the share (its message) on every item and multiply items by
 * recipients. The placeholder is a %s compared with a VARCHAR or CHAR
 * column (see ls_store_select_prepared). */
#define SHARE_AT     1
#define ITEM_AT      17
#define RECIPIENT_AT 19
#define NULLS2       "NULL, NULL"
#define NULLS6       NULLS2 ", " NULLS2 ", " NULLS2
#define NULLS15      NULLS6 ", " NULLS6 ", " NULLS2 ", NULL"

/* The share's row in the columns of the others. PostgreSQL types a
 * UNION's columns pair by pair from the left, and NULL UNION NULL is
 * text, which then meets an integer: so the first branch's NULLs carry
 * the integer columns' types. */
#define NO_ITEM_OR_RECIPIENT                                                   \
    "CAST(NULL AS INTEGER) AS pos, " NULLS2 ", NULL, CAST(NULL AS INTEGER), "  \
    "NULL, NULL, CAST(NULL AS INTEGER), CAST(NULL AS BIGINT)"
#define SHARE_TREE(key)                                                        \
    "WITH sh AS (SELECT " SHARE_COLS " FROM ls_share WHERE " key " = %s) "     \
    "SELECT 0 AS what, sh.*, " NO_ITEM_OR_RECIPIENT " FROM sh "                \
    "UNION ALL SELECT 1, " NULLS15 ", i.pos, " ITEM_COLS ", " NULLS6           \
    " FROM ls_share_item i JOIN sh ON i.share_id = sh.id "                     \
    "UNION ALL SELECT 2, " NULLS15 ", r.pos, " NULLS2 ", " RECIPIENT_COLS      \
    " FROM ls_share_recipient r JOIN sh ON r.share_id = sh.id " RECIPIENT_MAIL \
    " ORDER BY 1, 17" /* what, pos */

static void row_share_tree(ls_store *s, apr_pool_t *p, apr_dbd_row_t *row,
                           void *baton)
{
    ls_share_t **sh = baton;
    const char *what = ls_store_col(s, row, 0);

    if (what && *what == '0') {
        *sh = share_at(s, p, row, SHARE_AT);
    }
    else if (*sh && what && *what == '1') {
        item_at(s, p, row, ITEM_AT, (*sh)->items);
    }
    else if (*sh && what && *what == '2') {
        recipient_at(s, p, row, RECIPIENT_AT, (*sh)->recipients);
    }
}

typedef struct {
    const char *sql;
    const char *key;
    ls_share_t *out;
} share_tree_q;

static apr_status_t share_tree_read(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                                    void *baton, const char **err)
{
    share_tree_q *q = baton;
    const char *args[] = {q->key};

    return ls_store_select_prepared(s, c, p, q->sql, 1, args, row_share_tree,
                                    &q->out, NULL, err);
}

/* A select of shares (SHARE_COLS) and their children, on one
 * connection: the shares of owner, or every share (owner NULL). */
typedef struct {
    const char *owner;
    apr_array_header_t *out; /* ls_share_t * */
} shares_q;

static apr_status_t shares_read(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                                void *baton, const char **err)
{
    shares_q *q = baton;
    const char *args[] = {q->owner};
    int nargs = q->owner ? 1 : 0;
    apr_hash_t *by_id;
    apr_status_t rv;
    int i;

    rv = ls_store_select(s, c, p,
                         q->owner ? "SELECT " SHARE_COLS " FROM ls_share WHERE "
                                    "owner = %s ORDER BY created DESC, id"
                                  : "SELECT " SHARE_COLS " FROM ls_share "
                                    "ORDER BY created DESC, id",
                         nargs, args, row_share, q->out, NULL, err);
    if (rv != APR_SUCCESS || q->out->nelts == 0) {
        return rv;
    }
    by_id = apr_hash_make(p);
    for (i = 0; i < q->out->nelts; i++) {
        ls_share_t *sh = APR_ARRAY_IDX(q->out, i, ls_share_t *);
        apr_hash_set(by_id, sh->id, APR_HASH_KEY_STRING, sh);
    }
    rv = ls_store_select(
        s, c, p, q->owner ? ITEMS_OF(" WHERE sh.owner = %s") : ITEMS_OF(""),
        nargs, args, row_child_item, by_id, NULL, err);
    if (rv == APR_SUCCESS) {
        rv = ls_store_select(s, c, p,
                             q->owner ? RECIPIENTS_OF(" WHERE sh.owner = %s")
                                      : RECIPIENTS_OF(""),
                             nargs, args, row_child_recipient, by_id, NULL,
                             err);
    }
    return rv;
}

static apr_status_t share_one(ls_store *s, apr_pool_t *p, const char *sql,
                              const char *key, ls_share_t **out,
                              const char **err)
{
    share_tree_q q = {sql, key, NULL};
    apr_status_t rv = ls_store_run(s, p, share_tree_read, &q, err);

    if (rv == APR_SUCCESS && q.out == NULL) {
        rv = APR_NOTFOUND;
    }
    if (rv == APR_SUCCESS) {
        *out = q.out;
    }
    return rv;
}

apr_status_t ls_store_share_by_hash(ls_store *s, apr_pool_t *p,
                                    const char *token_hash, ls_share_t **out,
                                    const char **err)
{
    return share_one(s, p, SHARE_TREE("token_hash"), token_hash, out, err);
}

apr_status_t ls_store_share_get(ls_store *s, apr_pool_t *p, const char *id,
                                ls_share_t **out, const char **err)
{
    return share_one(s, p, SHARE_TREE("id"), id, out, err);
}

apr_status_t ls_store_share_list(ls_store *s, apr_pool_t *p, const char *owner,
                                 apr_array_header_t **out, const char **err)
{
    shares_q q = {owner, apr_array_make(p, 8, sizeof(ls_share_t *))};

    *out = q.out;
    return ls_store_run(s, p, shares_read, &q, err);
}

static void row_email(ls_store *s, apr_pool_t *p, apr_dbd_row_t *row,
                      void *baton)
{
    APR_ARRAY_PUSH((apr_array_header_t *)baton,
                   const char *) = ls_store_col_dup(s, p, row, 0);
}

apr_status_t ls_store_recipient_suggest(ls_store *s, apr_pool_t *p,
                                        const char *owner, const char *prefix,
                                        apr_array_header_t **out,
                                        const char **err)
{
    char *like = apr_palloc(p, strlen(prefix) * 2 + 2), *w = like;
    const char *args[2];

    /* The prefix is data, not a pattern: '!' escapes LIKE's own
     * characters (a backslash would depend on PostgreSQL's settings). */
    for (; *prefix; prefix++) {
        if (*prefix == '%' || *prefix == '_' || *prefix == '!') {
            *w++ = '!';
        }
        *w++ = apr_tolower(*prefix);
    }
    *w++ = '%';
    *w = '\0';
    args[0] = owner;
    args[1] = like;
    *out = apr_array_make(p, 8, sizeof(const char *));
    return ls_store_query(
        s, p,
        "SELECT DISTINCT r.email FROM ls_share_recipient r JOIN ls_share sh "
        "ON sh.id = r.share_id WHERE sh.owner = %s AND lower(r.email) "
        "LIKE %s ESCAPE '!' ORDER BY r.email LIMIT " APR_STRINGIFY(
            LS_STORE_SUGGEST_MAX),
        2, args, row_email, *out, NULL, err);
}

typedef struct {
    const ls_share_t *sh;
    const char *token_hash;
} share_new;

static apr_status_t share_insert(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                                 void *baton, const char **err)
{
    const share_new *nw = baton;
    const ls_share_t *sh = nw->sh;
    apr_status_t rv;
    int i;

    {
        const char *args[] = {
            sh->id,
            nw->token_hash,
            sh->owner,
            ls_store_i64(p, sh->created),
            ls_store_i64(p, sh->expires),
            sh->allow_original ? "1" : "0",
            sh->collection_id,
            sh->subject,
            sh->message,
            sh->name,
            sh->sealed_token,
            sh->password_hash,
            sh->max_downloads > 0 ? ls_store_i64(p, sh->max_downloads) : NULL};
        rv = ls_store_exec(
            s, c, p,
            "INSERT INTO ls_share (id, token_hash, owner, created, "
            "expires, allow_original, collection_id, subject, "
            "message, name, sealed_token, password_hash, max_downloads) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            13, args, NULL, err);
    }
    for (i = 0; rv == APR_SUCCESS && i < sh->items->nelts; i++) {
        const ls_item_t *it = &APR_ARRAY_IDX(sh->items, i, ls_item_t);
        const char *args[] = {sh->id, ls_store_i64(p, i), it->path, it->kind};
        rv = ls_store_exec(
            s, c, p,
            "INSERT INTO ls_share_item (share_id, pos, path, kind) "
            "VALUES (%s, %s, %s, %s)",
            4, args, NULL, err);
    }
    for (i = 0;
         rv == APR_SUCCESS && sh->recipients && i < sh->recipients->nelts;
         i++) {
        const ls_recipient_t *rc = &APR_ARRAY_IDX(sh->recipients, i,
                                                  ls_recipient_t);
        const char *args[] = {sh->id, ls_store_i64(p, i), rc->email,
                              rc->external ? "1" : "0", rc->mail_state};
        rv = ls_store_exec(
            s, c, p,
            "INSERT INTO ls_share_recipient (share_id, pos, email, "
            "external, mail_state) VALUES (%s, %s, %s, %s, %s)",
            5, args, NULL, err);
    }
    if (rv == APR_SUCCESS && sh->mail) {
        rv = ls_store_mail_queue(s, c, p, sh, err);
    }
    return rv;
}

apr_status_t ls_store_share_insert(ls_store *s, apr_pool_t *p,
                                   const ls_share_t *sh, const char *token_hash,
                                   const char **err)
{
    share_new nw = {sh, token_hash};
    return ls_store_tx(s, p, "cannot commit the new share", share_insert, &nw,
                       err);
}

apr_status_t ls_store_share_set_expiry(ls_store *s, apr_pool_t *p,
                                       const char *id, apr_int64_t expires,
                                       const char **err)
{
    const char *args[] = {ls_store_i64(p, expires), id};
    return ls_store_update(
        s, p, "UPDATE ls_share SET expires = %s WHERE id = %s", 2, args, err);
}

apr_status_t ls_store_share_set_name(ls_store *s, apr_pool_t *p, const char *id,
                                     const char *name, const char **err)
{
    const char *args[] = {name, id};
    return ls_store_update(s, p, "UPDATE ls_share SET name = %s WHERE id = %s",
                           2, args, err);
}

apr_status_t ls_store_share_revoke(ls_store *s, apr_pool_t *p, const char *id,
                                   apr_int64_t when, const char **err)
{
    const char *args[] = {ls_store_i64(p, when), id};
    return ls_store_update(s, p,
                           "UPDATE ls_share SET revoked = %s WHERE id = %s AND "
                           "revoked = 0",
                           2, args, err);
}

apr_status_t ls_store_share_set_password(ls_store *s, apr_pool_t *p,
                                         const char *id, const char *hash,
                                         const char **err)
{
    const char *args[] = {hash, id};
    return ls_store_update(s, p,
                           "UPDATE ls_share SET password_hash = %s, "
                           "password_gen = password_gen + 1 WHERE id = %s",
                           2, args, err);
}

apr_status_t ls_store_share_set_max_downloads(ls_store *s, apr_pool_t *p,
                                              const char *id, apr_int64_t max,
                                              const char **err)
{
    const char *args[] = {max > 0 ? ls_store_i64(p, max) : NULL, id};
    return ls_store_update(
        s, p, "UPDATE ls_share SET max_downloads = %s WHERE id = %s", 2, args,
        err);
}

apr_status_t ls_store_share_take_download(ls_store *s, apr_pool_t *p,
                                          const char *id, const char **err)
{
    const char *args[] = {id};
    /* One statement: two processes racing for the last download cannot
     * both have it. */
    return ls_store_update(s, p,
                           "UPDATE ls_share SET downloads = downloads + 1 "
                           "WHERE id = %s AND (max_downloads IS NULL OR "
                           "downloads < max_downloads)",
                           1, args, err);
}

apr_status_t ls_store_share_add_downloads(ls_store *s, apr_pool_t *p,
                                          const char *id, apr_int64_t n,
                                          const char **err)
{
    const char *args[] = {ls_store_i64(p, n), id};
    return ls_store_update(s, p,
                           "UPDATE ls_share SET downloads = downloads + %s "
                           "WHERE id = %s",
                           2, args, err);
}

/* ---- the deep copy ---- */

static const char *dup0(apr_pool_t *p, const char *s)
{
    return s ? apr_pstrdup(p, s) : NULL;
}

ls_share_t *ls_share_copy(apr_pool_t *p, const ls_share_t *in)
{
    ls_share_t *out = apr_pmemdup(p, in, sizeof(*in));
    int i;

    out->id = dup0(p, in->id);
    out->owner = dup0(p, in->owner);
    out->collection_id = dup0(p, in->collection_id);
    out->subject = dup0(p, in->subject);
    out->message = dup0(p, in->message);
    out->name = dup0(p, in->name);
    out->sealed_token = dup0(p, in->sealed_token);
    out->password_hash = dup0(p, in->password_hash);
    out->items = apr_array_make(p, in->items->nelts, sizeof(ls_item_t));
    for (i = 0; i < in->items->nelts; i++) {
        const ls_item_t *src = &APR_ARRAY_IDX(in->items, i, ls_item_t);
        ls_item_t *dst = apr_array_push(out->items);
        dst->path = dup0(p, src->path);
        dst->kind = dup0(p, src->kind);
    }
    out->recipients = apr_array_make(p, in->recipients->nelts,
                                     sizeof(ls_recipient_t));
    for (i = 0; i < in->recipients->nelts; i++) {
        const ls_recipient_t *src = &APR_ARRAY_IDX(in->recipients, i,
                                                   ls_recipient_t);
        ls_recipient_t *dst = apr_array_push(out->recipients);
        dst->email = dup0(p, src->email);
        dst->external = src->external;
        dst->mail_state = dup0(p, src->mail_state);
        dst->mail_reply = dup0(p, src->mail_reply);
        dst->mail_attempts = src->mail_attempts;
        dst->mail_updated = src->mail_updated;
    }
    out->mail = NULL; /* insert only */
    return out;
}
