/* ls_mime: media types by extension (see ls_mime.h). */
#include <string.h>
#include <strings.h>

#include "ls_mime.h"

static const ls_mime_t table[] = {
    {"jpg", "image/jpeg", "Image", 1},
    {"jpeg", "image/jpeg", "Image", 1},
    {"png", "image/png", "Image", 1},
    {"gif", "image/gif", "Image", 1},
    {"webp", "image/webp", "Image", 1},
    {"bmp", "image/bmp", "Image", 0},
    {"tif", "image/tiff", "Image", 0},
    {"tiff", "image/tiff", "Image", 0},
    {"svg", "image/svg+xml", "Image", 0},
    {"heic", "image/heic", "Image", 1},
    {"pdf", "application/pdf", "PDF", 0},
    {"txt", "text/plain", "Text", 0},
    {"md", "text/markdown", "Text", 0},
    {"csv", "text/csv", "Text", 0},
    {"json", "application/json", "Text", 0},
    {"xml", "application/xml", "Text", 0},
    {"html", "text/html", "HTML", 0},
    {"htm", "text/html", "HTML", 0},
    {"mp4", "video/mp4", "Video", 1},
    {"m4v", "video/mp4", "Video", 1},
    {"mov", "video/quicktime", "Video", 1},
    {"webm", "video/webm", "Video", 1},
    {"mkv", "video/x-matroska", "Video", 1},
    {"mp3", "audio/mpeg", "Audio", 1},
    {"m4a", "audio/mp4", "Audio", 1},
    {"wav", "audio/wav", "Audio", 0},
    {"zip", "application/zip", "Archive", 1},
    {"gz", "application/gzip", "Archive", 1},
    {"7z", "application/x-7z-compressed", "Archive", 1},
    {"docx",
     "application/vnd.openxmlformats-officedocument."
     "wordprocessingml.document",
     "Document", 1},
    {"xlsx",
     "application/vnd.openxmlformats-officedocument."
     "spreadsheetml.sheet",
     "Spreadsheet", 1},
    {"pptx",
     "application/vnd.openxmlformats-officedocument."
     "presentationml.presentation",
     "Presentation", 1},
    {NULL, NULL, NULL, 0}};

static const ls_mime_t generic = {"", "application/octet-stream", "File", 0};

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
