/* linkshare-render: thumbnails and web renditions of files, as a
 * separate program, so that no image, PDF or video decoder ever runs in an
 * httpd process. The module's workers run it (--serve) under
 * setrlimit and a timeout and publish OUT atomically; this file owns the
 * command line, the format decision and the libvips side (images, PDF,
 * saving). Video frames come from ls_render_video.c.
 *
 *   linkshare-render [--max-pixels N] KIND IN OUT
 *     KIND thumb (fits 400x400, JPEG Q 80) or web (2048x2048, Q 85)
 *   exit 0 OUT written ("WxH\n" on stdout), 1 usage or output error,
 *        2 not a format we render, 3 corrupt, 4 over --max-pixels
 *
 *   linkshare-render [--max-pixels N] --serve FILE-CPU
 *     the same for many files, so libvips starts once (a third of a
 *     24-megapixel thumbnail's time): reads requests "KIND\0IN\0OUT\0"
 *     from stdin and answers each with one line on stdout, "STATUS WxH"
 *     or "STATUS reason" (STATUS as the exit statuses above); exits 0 at
 *     the end of stdin. Before each file it sets its own CPU soft limit
 *     to what it has used plus FILE-CPU seconds, so one file cannot use
 *     more however many came before (the hard limit, the whole session's,
 *     is the caller's).
 *
 * The third tier: no httpd header, no module code; libvips and FFmpeg
 * only. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <vips/vips.h>

#include "ls_render.h"
#include "ls_render_video.h"

#define LS_RENDER_MAX_PIXELS_DEFAULT UINT64_C(100000000)

/* What a KIND asks for. */
typedef struct {
    const char *name; /* the KIND word on the command line */
    int box;          /* the output fits box x box */
    int quality;      /* JPEG quality */
} ls_render_kind_t;

static const ls_render_kind_t kinds[] = {
    {"thumb", 400, 80},
    {"web", 2048, 85},
};

/* The loaders we let libvips use, by class name (each also covers its
 * _file/_buffer/_source subclasses). Every other loader is blocked:
 * libvips can also load through ImageMagick, OpenSlide, FITS, CSV and
 * more, which is more parser than a file share needs to expose. PDF's
 * loader is marked "untrusted" by libvips, so vips_block_untrusted_set()
 * would lose it; blocking by name keeps it. */
static const char *const loader_classes[] = {
    "VipsForeignLoadJpeg", "VipsForeignLoadPng",  "VipsForeignLoadNsgif",
    "VipsForeignLoadWebp", "VipsForeignLoadTiff", "VipsForeignLoadHeif",
    "VipsForeignLoadPdf",
};

/* The last failure's line, for --serve's answer; one-shot mode prints it
 * on stderr instead. */
static char last_why[1024];
static int serving;

ls_render_status_t ls_render_fail(ls_render_status_t status, const char *fmt,
                                  ...)
{
    char msg[512], line[sizeof(msg) * 2];
    va_list ap;
    size_t i, n = 0;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    for (i = 0; msg[i]; i++) {
        if (msg[i] != '\n' && msg[i] != '\r') {
            line[n++] = msg[i];
        }
        else if (msg[i + 1] && n > 0 && line[n - 1] != ' ') {
            line[n++] = ';';
            line[n++] = ' ';
        }
    }
    line[n] = '\0';
    memcpy(last_why, line, n + 1);
    if (!serving) {
        fprintf(stderr, "linkshare-render: %s\n", line);
    }
    return status;
}

/* libvips' last error as text for one line, and the buffer cleared. */
static const char *vips_why(void)
{
    static char why[256];

    snprintf(why, sizeof(why), "%s", vips_error_buffer());
    vips_error_clear();
    return why[0] ? why : "unknown libvips error";
}

static void quiet_log(const gchar *domain, GLogLevelFlags level,
                      const gchar *message, gpointer data)
{
    (void)domain;
    (void)level;
    (void)message;
    (void)data;
}

/* One thread, no operation cache (the caller runs several of us), only
 * our loaders, and never a temporary file: a large decode stays in memory
 * where the caller's RLIMIT_AS governs it, and OUT is all we write. */
static int vips_setup(const char *argv0)
{
    size_t i;

    if (setenv("VIPS_DISC_THRESHOLD", "1099511627776", 1) != 0
        || VIPS_INIT(argv0) != 0) {
        return -1;
    }
    vips_concurrency_set(1);
    vips_cache_set_max(0);
    vips_cache_set_max_mem(0);
    vips_cache_set_max_files(0);
    vips_operation_block_set("VipsForeignLoad", TRUE);
    for (i = 0; i < sizeof(loader_classes) / sizeof(loader_classes[0]); i++) {
        vips_operation_block_set(loader_classes[i], FALSE);
    }
    /* Warnings (a JPEG with trailing garbage, say) are no failure; the
     * contract keeps stderr for the one line that explains an exit. */
    g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE,
                      quiet_log, NULL);
    return 0;
}

/* The libvips loader for source if it is one of ours, else NULL.
 * vips_foreign_find_load_source() names a class: "VipsForeignLoadJpeg"
 * and "Source". */
static const char *image_loader(VipsSource *source)
{
    const char *name = vips_foreign_find_load_source(source);
    size_t i, n;

    vips_error_clear();
    if (name == NULL) {
        return NULL;
    }
    for (i = 0; i < sizeof(loader_classes) / sizeof(loader_classes[0]); i++) {
        n = strlen(loader_classes[i]);
        if (strncmp(name, loader_classes[i], n) == 0
            && strcmp(name + n, "Source") == 0) {
            return name;
        }
    }
    return NULL;
}

/* Reads only the header and refuses what claims more than max_pixels.
 * A PDF is exempt: it is vector data, rendered at the scale of the box
 * whatever size its page claims. */
static ls_render_status_t image_check_size(VipsSource *source,
                                           const char *loader,
                                           uint64_t max_pixels)
{
    VipsImage *head;
    uint64_t pixels;

    if (strcmp(loader, "VipsForeignLoadPdfSource") == 0) {
        return LS_RENDER_OK;
    }
    head = vips_image_new_from_source(source, "", NULL);
    if (head == NULL) {
        return ls_render_fail(LS_RENDER_CORRUPT, "unreadable header: %s",
                              vips_why());
    }
    pixels = (uint64_t)head->Xsize * (uint64_t)head->Ysize;
    g_object_unref(head);
    if (pixels > max_pixels) {
        return ls_render_fail(LS_RENDER_TOO_BIG,
                              "image claims %" PRIu64
                              " pixels, more than --max-pixels %" PRIu64,
                              pixels, max_pixels);
    }
    return LS_RENDER_OK;
}

/* The image shrunk on load to fit box, upright (EXIF orientation), and
 * colour managed to sRGB where it carries a profile or is CMYK. A
 * truncated file counts as corrupt rather than as a grey lower half. */
static ls_render_status_t image_thumbnail(VipsSource *source, int box,
                                          VipsImage **out)
{
    if (vips_thumbnail_source(source, out, box, "height", box, "size",
                              VIPS_SIZE_DOWN, "export_profile", "srgb",
                              "option_string", "fail_on=truncated", NULL)
        != 0) {
        return ls_render_fail(LS_RENDER_CORRUPT, "cannot decode: %s",
                              vips_why());
    }
    return LS_RENDER_OK;
}

/* Makes in 8-bit, 3-band sRGB without alpha (JPEG's terms: transparency
 * goes onto white) and decodes it into memory, so that a decode error
 * surfaces here, as "corrupt", and not later while writing OUT. Takes
 * over the reference to in. */
static ls_render_status_t image_finish(VipsImage *in, VipsImage **out)
{
    VipsImage *t[4] = {NULL, NULL, NULL, NULL};
    VipsArrayDouble *white = NULL;
    double white_v[3] = {255, 255, 255};
    ls_render_status_t rv = LS_RENDER_CORRUPT;
    VipsImage *cur = in;

    if (vips_colourspace(cur, &t[0], VIPS_INTERPRETATION_sRGB, NULL) != 0) {
        goto done;
    }
    cur = t[0];
    if (vips_image_hasalpha(cur)) {
        white = vips_array_double_new(white_v, 3);
        if (vips_flatten(cur, &t[1], "background", white, NULL) != 0) {
            goto done;
        }
        cur = t[1];
    }
    if (cur->BandFmt != VIPS_FORMAT_UCHAR) {
        if (vips_cast_uchar(cur, &t[2], NULL) != 0) {
            goto done;
        }
        cur = t[2];
    }
    t[3] = vips_image_copy_memory(cur);
    if (t[3] == NULL) {
        goto done;
    }
    *out = t[3];
    t[3] = NULL;
    rv = LS_RENDER_OK;
done:
    if (rv != LS_RENDER_OK) {
        ls_render_fail(rv, "cannot decode: %s", vips_why());
    }
    if (white) {
        vips_area_unref(VIPS_AREA(white));
    }
    for (int i = 0; i < 4; i++) {
        if (t[i]) {
            g_object_unref(t[i]);
        }
    }
    g_object_unref(in);
    return rv;
}

/* Writes img to the file out as a baseline JPEG with every piece of
 * metadata stripped (EXIF, GPS, XMP, IPTC, the ICC profile: the pixels
 * are sRGB, which is what a JPEG without a profile means). On failure
 * out is removed again: nothing half-written is left for the caller. */
static ls_render_status_t image_save(VipsImage *img, const char *out,
                                     int quality)
{
    VipsTarget *target;
    int fd, rc;

    fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) {
        return ls_render_fail(LS_RENDER_ERROR, "cannot open %s: %s", out,
                              strerror(errno));
    }
    target = vips_target_new_to_descriptor(fd);
    rc = target == NULL
         || vips_jpegsave_target(img, target, "Q", quality, "strip", TRUE,
                                 "optimize_coding", TRUE, NULL)
                != 0
         || vips_target_end(target) != 0;
    if (target) {
        g_object_unref(target);
    }
    if (close(fd) != 0 && !rc) {
        vips_error_system(errno, "linkshare-render", "close");
        rc = 1;
    }
    if (rc) {
        unlink(out);
        return ls_render_fail(LS_RENDER_ERROR, "cannot write %s: %s", out,
                              vips_why());
    }
    return LS_RENDER_OK;
}

/* Decides what in (open on fd) is and renders it into *img. */
static ls_render_status_t render(int fd, const ls_render_kind_t *kind,
                                 uint64_t max_pixels, VipsImage **img)
{
    unsigned char head[64];
    VipsSource *source;
    const char *loader, *demuxer;
    VipsImage *thumb = NULL;
    ls_render_status_t rv;
    ssize_t n;

    n = pread(fd, head, sizeof(head), 0);
    if (n < 0) {
        return ls_render_fail(LS_RENDER_ERROR, "cannot read input: %s",
                              strerror(errno));
    }
    source = vips_source_new_from_descriptor(fd);
    if (source == NULL) {
        return ls_render_fail(LS_RENDER_ERROR, "%s", vips_why());
    }
    loader = image_loader(source);
    if (loader != NULL) {
        rv = image_check_size(source, loader, max_pixels);
        if (rv == LS_RENDER_OK) {
            rv = image_thumbnail(source, kind->box, &thumb);
        }
        g_object_unref(source);
        return rv == LS_RENDER_OK ? image_finish(thumb, img) : rv;
    }
    g_object_unref(source);
    demuxer = ls_render_video_sniff(head, (size_t)n);
    if (demuxer == NULL) {
        return ls_render_fail(LS_RENDER_UNSUPPORTED, "not a format we render");
    }
    rv = ls_render_video_frame(fd, demuxer, kind->box, max_pixels, &thumb);
    if (rv != LS_RENDER_OK) {
        return rv;
    }
    return image_finish(thumb, img);
}

static ls_render_status_t usage(const char *why)
{
    ls_render_fail(LS_RENDER_ERROR, "%s", why);
    fprintf(stderr, "usage: linkshare-render [--max-pixels N] thumb|web IN "
                    "OUT\n"
                    "       linkshare-render [--max-pixels N] --serve "
                    "FILE-CPU\n");
    return LS_RENDER_ERROR;
}

static const ls_render_kind_t *kind_named(const char *name)
{
    size_t k;

    for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        if (strcmp(name, kinds[k].name) == 0) {
            return &kinds[k];
        }
    }
    return NULL;
}

/* Renders in into out; on success *w x *h is out's size. */
static ls_render_status_t render_file(const ls_render_kind_t *kind,
                                      const char *in, const char *out,
                                      uint64_t max_pixels, int *w, int *h)
{
    VipsImage *img = NULL;
    ls_render_status_t rv;
    struct stat st;
    int fd;

    /* O_NONBLOCK: a FIFO given as IN must not hang us before the check. */
    fd = open(in, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        return ls_render_fail(LS_RENDER_ERROR, "cannot open %s: %s", in,
                              strerror(errno));
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return ls_render_fail(LS_RENDER_UNSUPPORTED, "not a regular file");
    }
    rv = render(fd, kind, max_pixels, &img);
    close(fd);
    if (rv == LS_RENDER_OK) {
        rv = image_save(img, out, kind->quality);
    }
    if (rv == LS_RENDER_OK) {
        *w = img->Xsize;
        *h = img->Ysize;
    }
    if (img) {
        g_object_unref(img);
    }
    return rv;
}

/* One NUL-terminated field of a request into buf; 0 at the end of stdin
 * before the first byte of a request, -1 on a malformed request. */
static int read_field(char *buf, size_t size, int first)
{
    size_t n = 0;
    int c;

    while ((c = getchar()) != EOF) {
        if (c == '\0') {
            buf[n] = '\0';
            return 1;
        }
        if (n + 1 >= size) {
            return -1;
        }
        buf[n++] = (char)c;
    }
    return first && n == 0 ? 0 : -1;
}

/* Sets the CPU soft limit to what this process has used plus file_cpu
 * seconds (never above the hard limit the caller set). */
static void limit_next_file(rlim_t file_cpu)
{
    struct rusage ru;
    struct rlimit cpu;

    if (getrusage(RUSAGE_SELF, &ru) != 0 || getrlimit(RLIMIT_CPU, &cpu) != 0) {
        return;
    }
    cpu.rlim_cur = (rlim_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + 1)
                   + file_cpu;
    if (cpu.rlim_max != RLIM_INFINITY && cpu.rlim_cur > cpu.rlim_max) {
        cpu.rlim_cur = cpu.rlim_max;
    }
    setrlimit(RLIMIT_CPU, &cpu);
}

/* --serve: requests on stdin until its end, one answer line each. */
static int serve(uint64_t max_pixels, rlim_t file_cpu)
{
    char kind_name[16], in[PATH_MAX + 1], out[PATH_MAX + 1];
    const ls_render_kind_t *kind;
    ls_render_status_t rv;
    int got, w = 0, h = 0;

    serving = 1;
#ifdef __linux__
    /* Never outlive the worker that asks (a hang would otherwise wait
     * for its stdin's end forever). */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() == 1) {
        return LS_RENDER_ERROR;
    }
#endif
    while ((got = read_field(kind_name, sizeof(kind_name), 1)) == 1) {
        if (read_field(in, sizeof(in), 0) != 1
            || read_field(out, sizeof(out), 0) != 1) {
            got = -1;
            break;
        }
        limit_next_file(file_cpu);
        last_why[0] = '\0';
        kind = kind_named(kind_name);
        rv = kind ? render_file(kind, in, out, max_pixels, &w, &h)
                  : ls_render_fail(LS_RENDER_ERROR, "KIND is thumb or web");
        if (rv == LS_RENDER_OK) {
            printf("0 %dx%d\n", w, h);
        }
        else {
            printf("%d %s\n", (int)rv, last_why);
        }
        if (fflush(stdout) != 0) {
            return LS_RENDER_ERROR;
        }
    }
    if (got < 0) {
        serving = 0;
        return ls_render_fail(LS_RENDER_ERROR, "malformed request on stdin");
    }
    return LS_RENDER_OK;
}

int main(int argc, char **argv)
{
    uint64_t max_pixels = LS_RENDER_MAX_PIXELS_DEFAULT;
    const ls_render_kind_t *kind;
    ls_render_status_t rv;
    int i = 1, w = 0, h = 0;
    char *end;

    if (i + 1 < argc && strcmp(argv[i], "--max-pixels") == 0) {
        errno = 0;
        max_pixels = strtoull(argv[i + 1], &end, 10);
        if (errno || end == argv[i + 1] || *end || argv[i + 1][0] == '-'
            || max_pixels == 0) {
            return usage("--max-pixels takes a positive number");
        }
        i += 2;
    }
    if (argc - i == 2 && strcmp(argv[i], "--serve") == 0) {
        unsigned long file_cpu;

        errno = 0;
        file_cpu = strtoul(argv[i + 1], &end, 10);
        if (errno || end == argv[i + 1] || *end || argv[i + 1][0] == '-'
            || file_cpu == 0) {
            return usage("--serve takes a positive number of CPU seconds");
        }
        if (vips_setup(argv[0]) != 0) {
            return ls_render_fail(LS_RENDER_ERROR, "libvips: %s", vips_why());
        }
        rv = serve(max_pixels, (rlim_t)file_cpu);
        vips_shutdown();
        return rv;
    }
    if (argc - i != 3) {
        return usage("KIND IN OUT expected");
    }
    if ((kind = kind_named(argv[i])) == NULL) {
        return usage("KIND is thumb or web");
    }
    if (vips_setup(argv[0]) != 0) {
        return ls_render_fail(LS_RENDER_ERROR, "libvips: %s", vips_why());
    }
    rv = render_file(kind, argv[i + 1], argv[i + 2], max_pixels, &w, &h);
    if (rv == LS_RENDER_OK) {
        printf("%dx%d\n", w, h);
        if (fflush(stdout) != 0) {
            rv = LS_RENDER_ERROR;
        }
    }
    vips_shutdown();
    return rv;
}
