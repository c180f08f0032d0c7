/* ls_text: the one door every user-visible string passes through, so a
 * message catalog (translations, an admin's wording) can be added later
 * without touching a view. Core unit (APR only). Today the catalog is
 * empty: a message is its own English text. */
#ifndef LS_TEXT_H
#define LS_TEXT_H

#include <apr_pools.h>

/* The text to show for msgid, an English sentence or label written in
 * the code (a static string; the result is static or catalog-owned).
 * Markup never goes through here: only words a person reads. */
const char *ls_text(const char *msgid);

/* ls_text(fmt) formatted with the arguments, in p. fmt is the msgid: the
 * catalog entry keeps the conversions in the same order. */
const char *ls_textf(apr_pool_t *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* one or many, by n (English plural rule; a catalog may know others). */
const char *ls_text_n(long n, const char *one, const char *many);

#endif /* LS_TEXT_H */
