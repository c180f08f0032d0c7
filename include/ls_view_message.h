/* ls_view_message: the pages that say one thing (link expired or
 * withdrawn, not found, bad request, unavailable, too many attempts,
 * method not allowed, download not queued): the model and its HTML.
 * Core unit: plain text in, escaped markup out. */
#ifndef LS_VIEW_MESSAGE_H
#define LS_VIEW_MESSAGE_H

#include <apr_pools.h>
#include <apr_tables.h>

#include "ls_view.h"

/* One paragraph: text, then strong (in <strong>, may be NULL), then
 * after (may be NULL). All plain text. */
typedef struct {
    const char *text;
    const char *strong;
    const char *after;
} ls_view_para_t;

/* The picture above the title: what kind of news it is. */
typedef enum {
    LS_MSG_INFO,    /* an (i): bad request, method not allowed */
    LS_MSG_EXPIRED, /* a clock: the link's time ran out */
    LS_MSG_REVOKED, /* a crossed link: withdrawn by its sharer */
    LS_MSG_MISSING, /* a magnifier: not found, a link that does not work */
    LS_MSG_WAIT     /* an hourglass: too many attempts, unavailable, not
                     * queued */
} ls_view_msg_kind_t;

typedef struct {
    const char *title; /* plain text: the <title> and the <h1> */
    ls_view_msg_kind_t kind;
    apr_array_header_t *paras;    /* ls_view_para_t */
    ls_view_link_t back;          /* a button linking back; label NULL for
                                 * none */
    const ls_view_brand_t *brand; /* may be NULL */
} ls_view_message_t;

/* A message with title and no paragraph yet, in p. */
ls_view_message_t *ls_view_message_new(apr_pool_t *p, const char *title);

/* Adds a paragraph of plain text (and returns m). */
ls_view_message_t *ls_view_message_add(ls_view_message_t *m, const char *text);

/* The link that expired (revoked 0) or was withdrawn (1); owner is the
 * sharer's name, NULL when the share is not known. */
ls_view_message_t *ls_view_message_expired(apr_pool_t *p, int revoked,
                                           const char *owner);

/* "Not found": why (an item, a folder, a page of a share that works). */
ls_view_message_t *ls_view_message_not_found(apr_pool_t *p, const char *why);

/* A link whose token is unknown or malformed: the only page that asks
 * whether the whole link was copied. */
ls_view_message_t *ls_view_message_bad_link(apr_pool_t *p);

/* "Bad request": why. */
ls_view_message_t *ls_view_message_bad_request(apr_pool_t *p, const char *why);

/* The store cannot be reached. */
ls_view_message_t *ls_view_message_unavailable(apr_pool_t *p);

/* The whole page (the recipients' frame and stylesheet), in p. */
const char *ls_view_message_page(apr_pool_t *p, const ls_view_message_t *m);

#endif /* LS_VIEW_MESSAGE_H */
