/* ls_mail: the messages mod_linkshare sends. Pure unit (APR only). Owns
 * composing a complete RFC 5322 message (headers, RFC 2047 words,
 * multipart/alternative quoted-printable UTF-8 text and HTML), the
 * wording of the share and receipt mails, and deciding whether an
 * address is inside the organisation. It never talks SMTP (ls_smtp) and
 * never reads the store (ls_mailer). */
#ifndef LS_MAIL_H
#define LS_MAIL_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_time.h>
#include <apr_errno.h>

/* Longest line ls_mail_compose writes, CRLF excluded (RFC 5322 allows
 * 998; quoted-printable keeps bodies at 76). */
#define LS_MAIL_MAX_LINE 998

typedef struct {
    const char *from_addr; /* envelope and header sender address */
    const char *from_name; /* display name (UTF-8), NULL for none */
    const char *reply_to;  /* address, NULL for none */
    const char *to;        /* the one recipient address */
    const char *subject;   /* UTF-8, no CR/LF */
    const char *text;      /* text/plain body, UTF-8, '\n' line ends */
    const char *html;      /* text/html body, UTF-8, '\n' line ends */
    apr_time_t date;       /* the Date header */
    const char *msgid;     /* unique left part of the Message-ID */
} ls_mail_msg_t;

/* Composes m into a complete message with CRLF line ends, no line over
 * LS_MAIL_MAX_LINE octets and no line that starts with a dot. Returns
 * APR_EINVAL with *why naming the field when a header value carries a
 * control character (CR, LF, ...) or an address is not one. */
apr_status_t ls_mail_compose(apr_pool_t *p, const ls_mail_msg_t *m,
                             const char **out, const char **why);

/* The RFC 2047 form of a header text: s itself when it is printable
 * ASCII of at most 64 characters, else UTF-8 base64 encoded-words of at
 * most 75 characters, folded with CRLF SP. */
const char *ls_mail_encode_words(apr_pool_t *p, const char *s);

/* Quoted-printable (RFC 2045) of UTF-8 text with '\n' (or CRLF) line
 * ends: CRLF hard breaks, soft breaks before 76 characters, a leading
 * dot encoded. */
const char *ls_mail_qp(apr_pool_t *p, const char *s);

/* The longest address we accept (RFC 5321's path limit). */
#define LS_MAIL_MAX_ADDRESS 254

/* Non-zero when s is an address we accept: local@domain, printable
 * ASCII, no spaces, quotes, angle brackets, CR or LF, a dotted domain. */
int ls_mail_address_ok(const char *s);

/* Non-zero when s holds no control character (CR, LF, TAB, NUL, DEL, C1
 * controls excluded too) and is valid UTF-8: safe in a header. */
int ls_mail_header_text_ok(const char *s);

/* A person's name as mail may show it: s with control characters (C0,
 * DEL, C1) and bytes that are not UTF-8 removed, runs of spaces made
 * one, trimmed, cut to at most max characters (whole characters). In p;
 * NULL when nothing is left or s is NULL. */
const char *ls_mail_clean_name(apr_pool_t *p, const char *s, apr_size_t max);

/* Non-zero when s is valid UTF-8 whose only control characters are LF,
 * CRLF and TAB: a message body a sharer may write. */
int ls_mail_body_text_ok(const char *s);

/* Non-zero when addr's domain is none of domains (const char *, compared
 * without case; a subdomain counts as inside) and domains is not empty.
 * With no domains configured nobody is external. */
int ls_mail_is_external(const apr_array_header_t *domains, const char *addr);

#endif /* LS_MAIL_H */
