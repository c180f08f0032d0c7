/* ls_mail: composing the messages mod_linkshare sends (see ls_mail.h).
 * Everything that reaches a header is checked for control characters
 * here, whatever the callers checked before: CR and LF must never become
 * a header of their own. */
#include <string.h>

#include <apr_strings.h>
#include <apr_base64.h>

#include "ls_mail.h"

/* ---- text checks ---- */

/* Length of the UTF-8 sequence at s (1-4), or 0 when it is not one. */
static int utf8_len(const unsigned char *s)
{
    int n, i;

    if (s[0] < 0x80) {
        return 1;
    }
    n = s[0] >= 0xf0 && s[0] <= 0xf4   ? 4
        : s[0] >= 0xe0                 ? 3
        : s[0] >= 0xc2 && s[0] <= 0xdf ? 2
                                       : 0;
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            return 0;
        }
    }
    /* Overlong three-byte forms and surrogates. */
    if (n == 3
        && ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0))) {
        return 0;
    }
    if (n == 4
        && ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))) {
        return 0;
    }
    return n;
}

/* C1 controls are U+0080..U+009F: 0xc2 0x80..0x9f in UTF-8. */
static int is_c1(const unsigned char *s)
{
    return s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f;
}

static int text_ok(const char *s, int body)
{
    const unsigned char *u = (const unsigned char *)s;

    while (*u) {
        int n = utf8_len(u);
        if (n == 0 || (n == 2 && is_c1(u))) {
            return 0;
        }
        if (n == 1 && (*u < 0x20 || *u == 0x7f)) {
            int allowed = body
                          && (*u == '\n' || *u == '\t'
                              || (*u == '\r' && u[1] == '\n'));
            if (!allowed) {
                return 0;
            }
        }
        u += n;
    }
    return 1;
}

int ls_mail_header_text_ok(const char *s)
{
    return s && text_ok(s, 0);
}

int ls_mail_body_text_ok(const char *s)
{
    return s && text_ok(s, 1);
}

const char *ls_mail_clean_name(apr_pool_t *p, const char *s, apr_size_t max)
{
    const unsigned char *u = (const unsigned char *)s;
    char *out, *o;
    apr_size_t chars = 0;

    if (s == NULL) {
        return NULL;
    }
    o = out = apr_palloc(p, strlen(s) + 1);
    while (*u && chars < max) {
        int n = utf8_len(u);
        if (n == 0 || (n == 2 && is_c1(u)) || (n == 1 && *u == 0x7f)) {
            u++; /* not UTF-8, or a control: dropped */
            continue;
        }
        if (n == 1 && (*u < 0x20 || *u == ' ')) {
            /* Spaces and controls: one space between words. */
            if (o > out && o[-1] != ' ') {
                *o++ = ' ';
                chars++;
            }
            u++;
            continue;
        }
        memcpy(o, u, n);
        o += n;
        u += n;
        chars++;
    }
    while (o > out && o[-1] == ' ') {
        o--;
    }
    *o = '\0';
    return *out ? out : NULL;
}

int ls_mail_is_external(const apr_array_header_t *domains, const char *addr)
{
    const char *at = addr ? strrchr(addr, '@') : NULL;
    apr_size_t dl;
    int i;

    if (at == NULL || domains == NULL || domains->nelts == 0) {
        return 0;
    }
    at++;
    dl = strlen(at);
    for (i = 0; i < domains->nelts; i++) {
        const char *d = APR_ARRAY_IDX(domains, i, const char *);
        apr_size_t n = strlen(d);
        if (strcasecmp(at, d) == 0
            || (dl > n + 1 && at[dl - n - 1] == '.'
                && strcasecmp(at + dl - n, d) == 0)) {
            return 0;
        }
    }
    return 1;
}

/* ---- encodings ---- */

static int printable_ascii(const char *s)
{
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e) {
            return 0;
        }
    }
    return 1;
}

/* Plain header text: printable ASCII, nothing that reads as an encoded
 * word, and short enough that its line stays under 78 characters (a
 * longer one is folded as encoded words: a header line may never pass
 * 998 octets, whatever the sharer typed). */
static int plain_header_text(const char *s)
{
    return printable_ascii(s) && strstr(s, "=?") == NULL && strlen(s) <= 64;
}

const char *ls_mail_encode_words(apr_pool_t *p, const char *s)
{
    /* 39 octets make 52 base64 characters: with "=?UTF-8?B?" and "?="
     * a word is 64 characters (RFC 2047 allows 75), so even the first,
     * after "Subject: ", keeps its line within 78. */
    enum { CHUNK = 39 };
    apr_array_header_t *words;
    const unsigned char *u = (const unsigned char *)s;
    apr_size_t len = strlen(s), i = 0;

    if (plain_header_text(s)) {
        return s;
    }
    words = apr_array_make(p, 4, sizeof(const char *));
    while (i < len) {
        apr_size_t n = 0;
        char *b64;
        /* Whole characters only: a word must decode on its own. */
        while (i + n < len) {
            int c = utf8_len(u + i + n);
            if (c == 0) {
                c = 1; /* not UTF-8: callers check; keep going */
            }
            if (n + c > CHUNK) {
                break;
            }
            n += c;
        }
        b64 = apr_palloc(p, apr_base64_encode_len((int)n));
        apr_base64_encode(b64, s + i, (int)n);
        APR_ARRAY_PUSH(words, const char *) = apr_pstrcat(p, "=?UTF-8?B?", b64,
                                                          "?=", NULL);
        i += n;
    }
    {
        /* Folded: each further word on a continuation line. */
        const char *r = APR_ARRAY_IDX(words, 0, const char *);
        int k;
        for (k = 1; k < words->nelts; k++) {
            r = apr_pstrcat(p, r, "\r\n ",
                            APR_ARRAY_IDX(words, k, const char *), NULL);
        }
        return r;
    }
}

const char *ls_mail_qp(apr_pool_t *p, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    apr_size_t len = strlen(s);
    /* Worst case: every octet becomes "=XX", plus soft breaks. */
    char *out = apr_palloc(p, len * 4 + 3), *o = out;
    int col = 0;
    apr_size_t i;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        int eol = c == '\n' || (c == '\r' && s[i + 1] == '\n');
        int next_eol = i + 1 >= len || s[i + 1] == '\n'
                       || (s[i + 1] == '\r' && s[i + 2] == '\n');
        int enc;
        if (eol) {
            if (c == '\r') {
                i++;
            }
            *o++ = '\r';
            *o++ = '\n';
            col = 0;
            continue;
        }
        /* Literal: printable ASCII but '='; a space or tab only when no
         * line end follows (trailing white space may be stripped); never a
         * dot at the start of a line (SMTP's end of data). */
        enc = !((c >= 33 && c <= 126 && c != '=')
                || ((c == ' ' || c == '\t') && !next_eol))
              || (c == '.' && col == 0);
        if (col + (enc ? 3 : 1) > 75) {
            *o++ = '=';
            *o++ = '\r';
            *o++ = '\n';
            col = 0;
            if (c == '.') {
                enc = 1;
            }
        }
        if (enc) {
            *o++ = '=';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
            col += 3;
        }
        else {
            *o++ = (char)c;
            col++;
        }
    }
    *o = '\0';
    return out;
}

int ls_mail_address_ok(const char *s)
{
    const char *at, *c, *dot;
    apr_size_t len;

    if (s == NULL || (len = strlen(s)) < 3 || len > LS_MAIL_MAX_ADDRESS) {
        return 0;
    }
    at = strchr(s, '@');
    if (at == NULL || at == s || strchr(at + 1, '@') || at - s > 64) {
        return 0;
    }
    for (c = s; *c; c++) {
        unsigned char ch = (unsigned char)*c;
        if (ch <= 0x20 || ch >= 0x7f || strchr("\"<>(),;:\\[]", ch)) {
            return 0;
        }
    }
    /* Dot-atoms (RFC 5321): no leading, trailing or doubled dot. */
    if (s[0] == '.' || at[-1] == '.'
        || (strstr(s, "..") && strstr(s, "..") < at)) {
        return 0;
    }
    dot = strchr(at + 1, '.');
    if (dot == NULL || dot == at + 1 || s[len - 1] == '.'
        || strstr(at + 1, "..")) {
        return 0;
    }
    return 1;
}

/* A display name and address: "Name" <addr>, or an encoded word. */
static const char *mailbox(apr_pool_t *p, const char *name, const char *addr)
{
    char *q, *o;
    const char *c;

    if (name == NULL || *name == '\0') {
        return addr;
    }
    if (!plain_header_text(name)) {
        /* Folded before the address to stay within 78 characters. */
        return apr_psprintf(p, "%s\r\n <%s>", ls_mail_encode_words(p, name),
                            addr);
    }
    q = o = apr_palloc(p, strlen(name) * 2 + 1);
    for (c = name; *c; c++) {
        if (*c == '"' || *c == '\\') {
            *o++ = '\\';
        }
        *o++ = *c;
    }
    *o = '\0';
    return apr_psprintf(p, "\"%s\" <%s>", q, addr);
}

static const char *rfc5322_date(apr_pool_t *p, apr_time_t t)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed",
                                       "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr",
                                         "May", "Jun", "Jul", "Aug",
                                         "Sep", "Oct", "Nov", "Dec"};
    apr_time_exp_t tm;

    apr_time_exp_gmt(&tm, t);
    return apr_psprintf(p, "%s, %02d %s %d %02d:%02d:%02d +0000",
                        days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
                        tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

apr_status_t ls_mail_compose(apr_pool_t *p, const ls_mail_msg_t *m,
                             const char **out, const char **why)
{
    const char *domain, *boundary;

    if (!ls_mail_address_ok(m->from_addr)) {
        *why = "the sender address is not valid";
        return APR_EINVAL;
    }
    if (!ls_mail_address_ok(m->to)) {
        *why = "the recipient address is not valid";
        return APR_EINVAL;
    }
    if (m->reply_to && !ls_mail_address_ok(m->reply_to)) {
        *why = "the reply-to address is not valid";
        return APR_EINVAL;
    }
    if (!ls_mail_header_text_ok(m->subject)) {
        *why = "the subject contains a line break or control character";
        return APR_EINVAL;
    }
    if (m->from_name && !ls_mail_header_text_ok(m->from_name)) {
        *why = "the sender name contains a line break or control character";
        return APR_EINVAL;
    }
    if (!m->msgid || !*m->msgid || strpbrk(m->msgid, "<>@ \r\n")) {
        *why = "the message id is not usable";
        return APR_EINVAL;
    }
    if (!ls_mail_body_text_ok(m->text) || !ls_mail_body_text_ok(m->html)) {
        *why = "a body is not UTF-8 text";
        return APR_EINVAL;
    }
    domain = strrchr(m->from_addr, '@') + 1;
    boundary = apr_pstrcat(p, "=_ls_", m->msgid, NULL);
    *out = apr_pstrcat(
        p, "Date: ", rfc5322_date(p, m->date), "\r\n",
        "From: ", mailbox(p, m->from_name, m->from_addr), "\r\n",
        m->reply_to ? "Reply-To: " : "", m->reply_to ? m->reply_to : "",
        m->reply_to ? "\r\n" : "", "To: ", m->to, "\r\n",
        "Subject: ", ls_mail_encode_words(p, m->subject), "\r\n",
        "Message-ID: <", m->msgid, "@", domain, ">\r\n",
        "MIME-Version: 1.0\r\n",
        "Content-Type: multipart/alternative; boundary=\"", boundary, "\"\r\n",
        "Auto-Submitted: auto-generated\r\n", "\r\n", "--", boundary, "\r\n",
        "Content-Type: text/plain; charset=UTF-8\r\n",
        "Content-Transfer-Encoding: quoted-printable\r\n", "\r\n",
        ls_mail_qp(p, m->text), "\r\n", "--", boundary, "\r\n",
        "Content-Type: text/html; charset=UTF-8\r\n",
        "Content-Transfer-Encoding: quoted-printable\r\n", "\r\n",
        ls_mail_qp(p, m->html), "\r\n", "--", boundary, "--\r\n", NULL);
    return APR_SUCCESS;
}
