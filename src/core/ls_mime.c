/* ls_mime: media types by extension, and Content-Type matching (see
 * ls_mime.h). */
#include <string.h>
#include <strings.h>

#include "ls_mime.h"

static const ls_mime_t table[] = {
    {"jpg", "image/jpeg", "Image", "image", 1},
    {"jpeg", "image/jpeg", "Image", "image", 1},
    {"png", "image/png", "Image", "image", 1},
    {"gif", "image/gif", "Image", "image", 1},
    {"webp", "image/webp", "Image", "image", 1},
    {"bmp", "image/bmp", "Image", "image", 0},
    {"tif", "image/tiff", "Image", "image", 0},
    {"tiff", "image/tiff", "Image", "image", 0},
    {"svg", "image/svg+xml", "Image", "image", 0},
    {"heic", "image/heic", "Image", "image", 1},
    {"pdf", "application/pdf", "PDF", "pdf", 0},
    {"txt", "text/plain", "Text", "text", 0},
    {"md", "text/markdown", "Text", "text", 0},
    {"csv", "text/csv", "Text", "text", 0},
    {"json", "application/json", "Text", "text", 0},
    {"xml", "application/xml", "Text", "text", 0},
    {"html", "text/html", "HTML", "html", 0},
    {"htm", "text/html", "HTML", "html", 0},
    {"mp4", "video/mp4", "Video", "video", 1},
    {"m4v", "video/mp4", "Video", "video", 1},
    {"mov", "video/quicktime", "Video", "video", 1},
    {"webm", "video/webm", "Video", "video", 1},
    {"mkv", "video/x-matroska", "Video", "video", 1},
    {"mp3", "audio/mpeg", "Audio", "audio", 1},
    {"m4a", "audio/mp4", "Audio", "audio", 1},
    {"wav", "audio/wav", "Audio", "audio", 0},
    {"zip", "application/zip", "Archive", "archive", 1},
    {"gz", "application/gzip", "Archive", "archive", 1},
    {"7z", "application/x-7z-compressed", "Archive", "archive", 1},
    {"docx",
     "application/vnd.openxmlformats-officedocument."
     "wordprocessingml.document",
     "Document", "document", 1},
    {"xlsx",
     "application/vnd.openxmlformats-officedocument."
     "spreadsheetml.sheet",
     "Spreadsheet", "spreadsheet", 1},
    {"pptx",
     "application/vnd.openxmlformats-officedocument."
     "presentationml.presentation",
     "Presentation", "presentation", 1},
    {NULL, NULL, NULL, NULL, 0}};

static const ls_mime_t generic = {"", "application/octet-stream", "File",
                                  "other", 0};

const ls_mime_t *ls_mime_lookup(const char *name)
{
    const char *dot = name ? strrchr(name, '.') : NULL;
    const ls_mime_t *m;

    if (dot == NULL || dot == name || strchr(dot, '/')) {
        return &generic;
    }
    for (m = table; m->ext; m++) {
        if (strcasecmp(dot + 1, m->ext) == 0) {
            return m;
        }
    }
    return &generic;
}

/* RFC 9110 5.6.2: tchar. */
static int tchar(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')
           || (c >= 'A' && c <= 'Z') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static const char *ows(const char *s)
{
    while (*s == ' ' || *s == '\t') {
        s++;
    }
    return s;
}

/* The end of the token at s (s itself when there is none). */
static const char *token(const char *s)
{
    while (tchar((unsigned char)*s)) {
        s++;
    }
    return s;
}

/* The end of the quoted-string at s (which is '"'), or NULL. */
static const char *quoted(const char *s)
{
    unsigned char c;

    for (s++; (c = (unsigned char)*s) != '"'; s++) {
        if (c == '\\') {
            c = (unsigned char)*++s;
            if (c != '\t' && (c < 0x20 || c == 0x7f)) {
                return NULL; /* quoted-pair: HTAB, SP, VCHAR, obs-text */
            }
        }
        else if (c != '\t' && (c < 0x20 || c == 0x7f)) {
            return NULL; /* qdtext; the NUL that ends the string too */
        }
    }
    return s + 1;
}

int ls_mime_type_is(const char *ct, const char *want)
{
    const char *slash = want ? strchr(want, '/') : NULL, *s, *e;
    size_t tlen, slen;

    if (ct == NULL || slash == NULL) {
        return 0;
    }
    tlen = (size_t)(slash - want);
    slen = strlen(slash + 1);
    s = ows(ct);
    e = token(s);
    if ((size_t)(e - s) != tlen || strncasecmp(s, want, tlen) != 0
        || *e != '/') {
        return 0;
    }
    s = e + 1;
    e = token(s);
    if ((size_t)(e - s) != slen || strncasecmp(s, slash + 1, slen) != 0) {
        return 0;
    }
    /* *( OWS ";" OWS [ token "=" ( token / quoted-string ) ] ) OWS */
    for (s = ows(e); *s; s = ows(s)) {
        if (*s++ != ';') {
            return 0;
        }
        s = ows(s);
        if (*s == ';' || *s == '\0') {
            continue; /* an empty parameter is allowed */
        }
        e = token(s);
        if (e == s || *e != '=') {
            return 0;
        }
        s = e + 1;
        e = *s == '"' ? quoted(s) : token(s);
        if (e == NULL || e == s) {
            return 0;
        }
        s = e;
    }
    return 1;
}
