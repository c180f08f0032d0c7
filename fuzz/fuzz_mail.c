/* libFuzzer target for ls_mail: the input, split at NUL bytes, becomes a
 * subject, a message, a sender name and an item name (all of which come
 * from sharers). Whatever it holds, a composed message keeps the promises
 * that make it safe to hand to SMTP: CRLF line ends only, no line over
 * 998 octets, no line starting with a dot, and a header section made of
 * exactly our headers (nothing smuggled in). Refusals come with a
 * reason and only for text the header/body checks refuse. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "ls_mail.h"
#include "ls_view.h"
#include "ls_view_mail.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    apr_initialize();
    return 0;
}

static const char *const headers[] = {"Date: ",           "From: ",
                                      "Reply-To: ",       "To: ",
                                      "Subject: ",        "Message-ID: ",
                                      "MIME-Version: ",   "Content-Type: ",
                                      "Auto-Submitted: ", NULL};

static void check(const char *msg)
{
    const char *line = msg, *crlf;
    int in_head = 1;

    while (*line) {
        const char *const *h;
        crlf = strstr(line, "\r\n");
        if (crlf == NULL || memchr(line, '\n', crlf - line)
            || memchr(line, '\r', crlf - line) || crlf - line > 998
            || line[0] == '.') {
            abort();
        }
        if (in_head && crlf == line) {
            in_head = 0;
        }
        else if (in_head && line[0] != ' ') {
            for (h = headers; *h && strncmp(line, *h, strlen(*h)); h++)
                ;
            if (*h == NULL) {
                abort(); /* a header we did not write */
            }
        }
        line = crlf + 2;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    char *buf = malloc(size + 4);
    const char *field[4];
    ls_mail_msg_t m;
    ls_view_mail_link_t l;
    const char *out = NULL, *why = NULL;
    size_t i, at = 0;
    int f = 0;
    apr_status_t rv;

    memcpy(buf, data, size);
    memset(buf + size, 0, 4);
    for (i = 0; f < 4; i++) {
        if (i >= size || buf[i] == '\0') {
            field[f++] = buf + (at < size ? at : size);
            at = i + 1;
        }
        if (i >= size && f < 4) {
            field[f++] = "";
        }
    }
    apr_pool_create(&p, NULL);
    memset(&l, 0, sizeof(l));
    l.sharer = field[2];
    l.name = field[0];
    l.message = field[1];
    l.items = apr_array_make(p, 1, sizeof(const char *));
    APR_ARRAY_PUSH(l.items, const char *) = field[3];
    l.kinds = apr_array_make(p, 1, sizeof(const char *));
    APR_ARRAY_PUSH(l.kinds, const char *) = field[1];
    l.link = "https://files.example.com/linkshare.html?sh=x";
    l.expires = 1796144400;
    memset(&m, 0, sizeof(m));
    m.from_addr = "linkshare@example.com";
    m.from_name = field[2];
    m.reply_to = "alice@example.com";
    m.to = "bob@example.org";
    m.subject = field[0];
    m.date = apr_time_from_sec(1796144400);
    m.msgid = "0123456789abcdef.1";
    ls_view_mail_link_bodies(p, &l, &m.text, &m.html);
    rv = ls_mail_compose(p, &m, &out, &why);
    if (rv == APR_SUCCESS) {
        check(out);
    }
    else if (why == NULL
             || (ls_mail_header_text_ok(field[0])
                 && ls_mail_header_text_ok(field[2])
                 && ls_mail_body_text_ok(m.text)
                 && ls_mail_body_text_ok(m.html))) {
        abort(); /* refused text the checks accept */
    }
    apr_pool_destroy(p);
    free(buf);
    return 0;
}
