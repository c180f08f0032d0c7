/* Unit tests of ls_mail: message composition, encodings, address rules. */
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_strings.h>
#include <apr_base64.h>

#include "ls_mail.h"
#include "ls_view.h"
#include "ls_view_mail.h"
#include "tap.h"

/* Decodes quoted-printable (soft breaks removed, CRLF kept as "\n"). */
static char *qp_decode(apr_pool_t *p, const char *s)
{
    char *out = apr_palloc(p, strlen(s) + 1), *o = out;

    while (*s) {
        if (s[0] == '=' && s[1] == '\r' && s[2] == '\n') {
            s += 3;
        }
        else if (s[0] == '=' && s[1] && s[2]) {
            char h[3] = {s[1], s[2], 0};
            *o++ = (char)strtol(h, NULL, 16);
            s += 3;
        }
        else if (s[0] == '\r' && s[1] == '\n') {
            *o++ = '\n';
            s += 2;
        }
        else {
            *o++ = *s++;
        }
    }
    *o = '\0';
    return out;
}

/* Decodes a header made of RFC 2047 B-words folded with CRLF SP. */
static char *words_decode(apr_pool_t *p, const char *s)
{
    char *out = apr_pcalloc(p, strlen(s) + 1), *o = out;

    while (*s) {
        const char *b, *e;
        if (strncmp(s, "=?UTF-8?B?", 10) != 0) {
            return NULL;
        }
        b = s + 10;
        e = strstr(b, "?=");
        if (e == NULL || e - s > 75) {
            return NULL;
        }
        o += apr_base64_decode(o, apr_pstrmemdup(p, b, e - b));
        s = e + 2;
        if (strncmp(s, "\r\n ", 3) == 0) {
            s += 3;
        }
    }
    *o = '\0';
    return out;
}

/* Every line ends in CRLF, none is longer than max, none starts with a
 * dot. */
static int lines_ok(const char *msg, int max)
{
    const char *line = msg, *crlf;

    while (*line) {
        crlf = strstr(line, "\r\n");
        if (crlf == NULL || memchr(line, '\n', crlf - line)
            || memchr(line, '\r', crlf - line) || crlf - line > max
            || line[0] == '.') {
            return 0;
        }
        line = crlf + 2;
    }
    return 1;
}

static const char *header(apr_pool_t *p, const char *msg, const char *name)
{
    const char *end, *h, *e;
    char *key = apr_pstrcat(p, "\r\n", name, ": ", NULL);

    msg = apr_pstrcat(p, "\r\n", msg, NULL); /* the first header too */
    end = strstr(msg, "\r\n\r\n");
    h = strstr(msg, key);
    if (h == NULL || h > end) {
        return NULL;
    }
    h += strlen(key);
    /* Unfolded value: up to a CRLF not followed by a space. */
    for (e = h; !(e[0] == '\r' && e[1] == '\n' && e[2] != ' '); e++)
        ;
    return apr_pstrmemdup(p, h, e - h);
}

static ls_mail_msg_t base_msg(void)
{
    ls_mail_msg_t m;

    memset(&m, 0, sizeof(m));
    m.from_addr = "linkshare@example.com";
    m.from_name = "Alice via LinkShare";
    m.to = "bob@example.org";
    m.subject = "Photos";
    m.text = "hello\n";
    m.html = "<p>hello</p>\n";
    m.date = apr_time_from_sec(1796144400); /* 2026-12-01T17:00:00Z */
    m.msgid = "0123456789abcdef";
    return m;
}

int main(void)
{
    apr_pool_t *p;
    ls_mail_msg_t m;
    ls_view_mail_link_t l;
    apr_array_header_t *items, *doms;
    const char *out = NULL, *why = NULL, *text, *html, *s, *subj;
    char *big;
    int i;

    apr_initialize();
    apr_pool_create(&p, NULL);

    /* ---- a plain message ---- */
    m = base_msg();
    ok(ls_mail_compose(p, &m, &out, &why) == APR_SUCCESS, "compose plain");
    ok(lines_ok(out, LS_MAIL_MAX_LINE), "CRLF lines, none too long, no dot");
    is_str(header(p, out, "To"), "bob@example.org", "To header");
    is_str(header(p, out, "From"),
           "\"Alice via LinkShare\" "
           "<linkshare@example.com>",
           "From: quoted display name");
    is_str(header(p, out, "Subject"), "Photos", "ASCII subject as is");
    is_str(header(p, out, "Date"), "Tue, 01 Dec 2026 17:00:00 +0000",
           "Date header, RFC 5322");
    is_str(header(p, out, "Message-ID"), "<0123456789abcdef@example.com>",
           "Message-ID in the sender's domain");
    ok(strncmp(out, "Date: ", 6) == 0, "headers start the message");
    ok(strstr(out, "Content-Type: multipart/alternative; boundary=") != NULL,
       "multipart/alternative");
    ok(strstr(out, "Content-Type: text/plain; charset=UTF-8\r\n"
                   "Content-Transfer-Encoding: quoted-printable")
           != NULL,
       "text part QP UTF-8");
    ok(strstr(out, "Content-Type: text/html; charset=UTF-8\r\n"
                   "Content-Transfer-Encoding: quoted-printable")
           != NULL,
       "html part QP UTF-8");
    ok(header(p, out, "Reply-To") == NULL, "no Reply-To unless given");
    m.reply_to = "alice@example.com";
    ls_mail_compose(p, &m, &out, &why);
    is_str(header(p, out, "Reply-To"), "alice@example.com", "Reply-To");

    /* ---- non-ASCII subject and name ---- */
    m = base_msg();
    m.subject = "Fotos für Zoë — 日本語の写真とても長い件名がここに続きます、"
                "さらに続きます";
    m.from_name = "Zoë Ørsted";
    ok(ls_mail_compose(p, &m, &out, &why) == APR_SUCCESS, "compose UTF-8");
    ok(lines_ok(out, 78), "encoded headers fold under 78 characters");
    s = header(p, out, "Subject");
    ok(s && strstr(s, "\r\n ") != NULL, "long subject folded into words");
    is_str(words_decode(p, s), m.subject, "subject round-trips (RFC 2047)");
    s = header(p, out, "From");
    ok(s && strncmp(s, "=?UTF-8?B?", 10) == 0
           && strstr(s, "\r\n <linkshare@example.com>"),
       "non-ASCII display name encoded, address plain");
    big = apr_palloc(p, 3001);
    memset(big, 'x', 3000);
    big[3000] = '\0';
    m.subject = big;
    m.from_name = big;
    ok(ls_mail_compose(p, &m, &out, &why) == APR_SUCCESS && lines_ok(out, 78),
       "a 3000-character ASCII subject and name are folded, not one line");
    is_str(words_decode(p, header(p, out, "Subject")), big,
           "... and round-trip");
    m.subject = "=?UTF-8?B?Zm9v?=";
    ls_mail_compose(p, &m, &out, &why);
    is_str(words_decode(p, header(p, out, "Subject")), "=?UTF-8?B?Zm9v?=",
           "a subject that looks encoded is encoded, not trusted");

    /* ---- injection ---- */
    m = base_msg();
    m.subject = "Hi\r\nBcc: eve@evil.example";
    ok(ls_mail_compose(p, &m, &out, &why) == APR_EINVAL
           && strstr(why, "subject"),
       "CRLF in subject refused: %s", why);
    m.subject = "Hi\nBcc: eve@evil.example";
    ok(ls_mail_compose(p, &m, &out, &why) == APR_EINVAL, "LF in subject");
    m.subject = "Hi\rthere";
    ok(ls_mail_compose(p, &m, &out, &why) == APR_EINVAL, "CR in subject");
    m.subject = "Hi\xc2\x85there";
    ok(ls_mail_compose(p, &m, &out, &why) == APR_EINVAL, "NEL (C1) in subject");
    m = base_msg();
    m.to = "bob@example.org\r\nBcc: eve@evil.example";
    ok(ls_mail_compose(p, &m, &out, &why) == APR_EINVAL
           && strstr(why, "recipient"),
       "CRLF in address refused");
    m = base_msg();
    m.from_name = "Alice\r\nX-Evil: 1";
    ok(ls_mail_compose(p, &m, &out, &why) == APR_EINVAL, "CRLF in name");
    m = base_msg();
    m.from_name = "Al\"ice\\";
    ls_mail_compose(p, &m, &out, &why);
    is_str(header(p, out, "From"), "\"Al\\\"ice\\\\\" <linkshare@example.com>",
           "quotes in a name escaped");
    m = base_msg();
    m.text = "bad \xff byte";
    ok(ls_mail_compose(p, &m, &out, &why) == APR_EINVAL, "invalid UTF-8 body");

    /* ---- bodies: dots, long lines, QP round trip ---- */
    big = apr_palloc(p, 5001);
    for (i = 0; i < 5000; i++) {
        big[i] = "abc déf."[i % 9];
    }
    big[5000] = '\0';
    m = base_msg();
    m.text = apr_pstrcat(p, ".\nline\n.hidden\n\r\n..\nend \ntab\t\n", big,
                         "\n.", NULL);
    ok(ls_mail_compose(p, &m, &out, &why) == APR_SUCCESS, "compose dots");
    ok(lines_ok(out, 76), "body lines within 76, none starts with a dot");
    ok(strstr(out, "\r\n.\r\n") == NULL, "no end-of-data line in the body");
    s = ls_mail_qp(p, m.text);
    is_str(qp_decode(p, s),
           apr_pstrcat(p, ".\nline\n.hidden\n\n..\nend \ntab\t\n", big, "\n.",
                       NULL),
           "QP round-trips (line ends as LF)");
    is_str(ls_mail_qp(p, "a=b end \n"), "a=3Db end=20\r\n",
           "'=' and trailing space encoded");
    is_str(ls_mail_qp(p, "gr\xc3\xbc\xc3\x9f"), "gr=C3=BC=C3=9F",
           "UTF-8 octets encoded");

    /* ---- checks ---- */
    ok(ls_mail_header_text_ok("Fotos für dich"), "UTF-8 header ok");
    ok(!ls_mail_header_text_ok("a\tb"), "tab not in a header");
    ok(!ls_mail_header_text_ok("\xc0\xaf"), "overlong UTF-8 refused");
    ok(!ls_mail_header_text_ok("\xed\xa0\x80"), "surrogate refused");
    ok(ls_mail_body_text_ok("line 1\nline 2\r\n\ttab"), "body line breaks ok");
    ok(!ls_mail_body_text_ok("bare\rCR"), "bare CR refused in a body");
    ok(!ls_mail_body_text_ok("nul\x01"), "control char refused in a body");
    is_str(ls_view_esc(p, "<b>\"Tom\" & 'Jerry'</b>"),
           "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;",
           "HTML escape");

    doms = apr_array_make(p, 2, sizeof(const char *));
    ok(!ls_mail_is_external(doms, "x@anywhere.org"),
       "no org domains: nobody external");
    APR_ARRAY_PUSH(doms, const char *) = "example.com";
    APR_ARRAY_PUSH(doms, const char *) = "corp.example";
    ok(!ls_mail_is_external(doms, "bob@example.com"), "org domain inside");
    ok(!ls_mail_is_external(doms, "bob@EXAMPLE.com"), "case ignored");
    ok(!ls_mail_is_external(doms, "bob@mail.corp.example"), "subdomain inside");
    ok(ls_mail_is_external(doms, "bob@notexample.com"), "suffix is not a "
                                                        "subdomain");
    ok(ls_mail_is_external(doms, "bob@example.org"), "other domain external");

    /* ---- the share mail ---- */
    items = apr_array_make(p, 2, sizeof(const char *));
    APR_ARRAY_PUSH(items, const char *) = "cat <1>.jpg";
    memset(&l, 0, sizeof(l));
    l.sharer = "alice";
    l.message = "See <script>alert(1)</script> & enjoy\nline two";
    l.items = items;
    l.link = "https://files.example.com/linkshare.html?sh=abc&x=1";
    l.expires = 1796144400;
    l.allow_original = 0;
    is_str(ls_view_mail_link_subject(p, &l),
           "alice shared \"cat <1>.jpg\" with you",
           "default subject, one item");
    ls_view_mail_link_bodies(p, &l, &text, &html);
    ok(strstr(text, l.message) != NULL, "text has the message as written");
    ok(strstr(text, l.link) != NULL, "text has the link");
    ok(strstr(text, "Tuesday 1 December 2026, 17:00 UTC") != NULL,
       "expiry as date, time and zone");
    ok(strstr(text, "renditions") != NULL, "says renditions only");
    ok(strstr(html, "<script>") == NULL
           && strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; "
                           "enjoy"),
       "HTML escapes the message");
    ok(strstr(html, "cat &lt;1&gt;.jpg") != NULL, "HTML escapes item names");
    ok(strstr(html, "href=\"https://files.example.com/linkshare.html?sh=abc"
                    "&amp;x=1\"")
           != NULL,
       "HTML link attribute escaped");
    APR_ARRAY_PUSH(items, const char *) = "press kit";
    is_str(ls_view_mail_link_subject(p, &l), "alice shared 2 items with you",
           "default subject, several items");

    /* The button, a name, a display name that needs escaping, kinds. */
    ok(strstr(html, ">Open the shared files</a>") != NULL
           && strstr(html, "bgcolor=\"#0b57d0\"") != NULL,
       "HTML: a big \"Open the shared files\" button");
    ok(strstr(html, "<table role=\"presentation\"") != NULL
           && strstr(html, "<style") == NULL && strstr(html, "class=") == NULL,
       "HTML: table layout, inline styles only");
    ok(strstr(text, "Open the shared files:\n" /* the plain part */) != NULL,
       "text part still there, with the link");
    {
        apr_array_header_t *kinds = apr_array_make(p, 2, sizeof(char *));
        APR_ARRAY_PUSH(kinds, const char *) = "file";
        APR_ARRAY_PUSH(kinds, const char *) = "folder";
        l.kinds = kinds;
        l.sharer = "Ren\xc3\xa9"
                   "e \"R\" <Martin> & Co";
        l.name = "Q3 <final> report";
        l.allow_original = 1;
        is_str(ls_view_mail_link_subject(p, &l),
               "Ren\xc3\xa9"
               "e \"R\" <Martin> & Co shared \"Q3 <final> "
               "report\" with you",
               "default subject names the share by its name");
        ls_view_mail_link_bodies(p, &l, &text, &html);
        ok(strstr(html, "Ren\xc3\xa9"
                        "e &quot;R&quot; &lt;Martin&gt; &amp; Co "
                        "shared &quot;Q3 &lt;final&gt; report&quot; with "
                        "you")
               != NULL,
           "HTML: who shared (display name) and the share's name, escaped");
        ok(strstr(html, "<Martin>") == NULL && strstr(html, "<final>") == NULL,
           "... never as markup");
        ok(strstr(text, "Ren\xc3\xa9"
                        "e \"R\" <Martin> & Co shared \"Q3 "
                        "<final> report\" with you")
               != NULL,
           "text: who shared and the name, as written");
        ok(strstr(html, ">FOLDER</span> press kit") != NULL
               && strstr(html, ">FILE</span> cat &lt;1&gt;.jpg") != NULL,
           "HTML: items with their kind");
        ok(strstr(text, "original files can be downloaded") != NULL,
           "says originals may be downloaded");
        ok(ls_mail_body_text_ok(html) && ls_mail_body_text_ok(text),
           "both bodies are mail body text");
        l.kinds = NULL;
        l.name = NULL;
    }

    /* Names for a From header: controls out, spaces one, cut by
     * characters. */
    is_str(ls_mail_clean_name(p, "  Alice\r\nBcc: eve@x\t Martin ", 100),
           "Alice Bcc: eve@x Martin", "CR, LF, TAB become one space; trimmed");
    is_str(ls_mail_clean_name(p,
                              "a\x01"
                              "b\x7f\xc2\x85"
                              "c\xff"
                              "d",
                              100),
           "a bcd", "C0 to a space; DEL, C1 and non-UTF-8 bytes removed");
    is_str(ls_mail_clean_name(p,
                              "Ren\xc3\xa9"
                              "e Martin",
                              4),
           "Ren\xc3\xa9", "cut at whole characters");
    ok(ls_mail_clean_name(p, " \r\n\x01 ", 100) == NULL, "nothing left: NULL");
    ok(ls_mail_clean_name(p, NULL, 100) == NULL, "NULL: NULL");
    ok(ls_mail_header_text_ok(
           ls_mail_clean_name(p, "x\r\ny\x1b[0m\xc2\x9bz", 100)),
       "what is left is header text");

    ls_view_mail_receipt(p, "photos", 2, 3, 1796144400, &subj, &text, &html);
    is_str(subj, "Downloaded: part 2 of 3 of photos", "receipt subject");
    ok(strstr(text, "Tuesday 1 December 2026, 17:00 UTC") != NULL,
       "receipt says when");
    ls_view_mail_receipt(p, "a<b", 1, 1, 1796144400, &subj, &text, &html);
    is_str(subj, "Downloaded: a<b", "single part: no part number");
    ok(strstr(html, "a&lt;b") != NULL, "receipt HTML escaped");

    apr_pool_destroy(p);
    apr_terminate();
    done_testing();
}
