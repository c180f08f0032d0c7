/* One still from a video with libavformat/libavcodec/libswscale, handed to
 * libvips as an RGB image. Owns demuxing, decoding and the choice of
 * frame; not the thumbnailing or saving (linkshare-render.c). Reads the
 * file only through the descriptor it is given: FFmpeg opens nothing
 * itself (no protocols, no external references, no probing of demuxers
 * we did not choose). */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>

#include "ls_render_video.h"

/* A frame whose mean luma (0-255, after conversion to full-range grey)
 * is at most this counts as black: fades, the black lead-in of a film. */
#define LS_VIDEO_BLACK_LUMA 20.0
/* Frames examined for a non-black one before settling on the brightest. */
#define LS_VIDEO_MAX_FRAMES 50
/* Frames decoded between the keyframe a seek lands on and the target,
 * at most: a second of a 240 fps stream. */
#define LS_VIDEO_MAX_LEAD 240
/* Files shorter than this are looked at from their first frame. */
#define LS_VIDEO_SHORT (AV_TIME_BASE / 2)
/* The luma is measured on a copy at most this wide and high. */
#define LS_VIDEO_PROBE_SIZE 64
#define LS_VIDEO_IO_BUFFER  65536
/* The decoders we let FFmpeg use (names, as its codec_whitelist takes
 * them): what cameras, phones, screen recorders and the web write into
 * MP4, MOV, WebM, MKV and AVI, and BMP (libvips has no loader for it).
 * Every other decoder (hundreds, many for formats nobody shares) is never
 * opened, not even by stream probing. */
static const char video_decoders[] =
    "h264,hevc,vp8,vp9,av1,libdav1d,mpeg4,msmpeg4,msmpeg4v2,mpeg2video,"
    "mpeg1video,mjpeg,prores,dnxhd,theora,h263,bmp";

/* Our side of the custom AVIOContext: the descriptor and a position of
 * our own (pread), so nothing else sharing the open file can move it. */
typedef struct {
    int fd;
    int64_t pos;
} ls_video_io_t;

/* Everything one run holds; video_close frees whatever is set. */
typedef struct {
    ls_video_io_t io;
    AVIOContext *avio;
    AVFormatContext *fmt;
    AVCodecContext *dec;
    AVPacket *pkt;
    AVFrame *frame;
    AVFrame *best;    /* the brightest frame so far (a reference) */
    double best_luma; /* its mean luma; -1 before any frame */
    int stream;       /* index of the video stream */
    int64_t target;   /* pts (stream time base) sought, or NOPTS */
    struct SwsContext *probe_sws;
} ls_video_t;

const char *ls_render_video_sniff(const unsigned char *head, size_t len)
{
    static const char *const mov_boxes[] = {"ftyp", "moov", "mdat",
                                            "wide", "free", "pnot"};
    size_t i;

    if (len >= 8) {
        for (i = 0; i < sizeof(mov_boxes) / sizeof(mov_boxes[0]); i++) {
            if (memcmp(head + 4, mov_boxes[i], 4) == 0) {
                return "mov";
            }
        }
    }
    if (len >= 4 && memcmp(head, "\x1a\x45\xdf\xa3", 4) == 0) {
        return "matroska";
    }
    if (len >= 12 && memcmp(head, "RIFF", 4) == 0
        && memcmp(head + 8, "AVI ", 4) == 0) {
        return "avi";
    }
    /* "BM" alone is two letters of text; the DIB header's size says BMP. */
    if (len >= 18 && head[0] == 'B' && head[1] == 'M') {
        uint32_t dib = head[14] | head[15] << 8 | head[16] << 16
                       | (uint32_t)head[17] << 24;

        if (dib == 12 || dib == 40 || dib == 52 || dib == 56 || dib == 64
            || dib == 108 || dib == 124) {
            return "bmp_pipe";
        }
    }
    return NULL;
}

static int io_read(void *opaque, uint8_t *buf, int size)
{
    ls_video_io_t *io = opaque;
    ssize_t n = pread(io->fd, buf, (size_t)size, io->pos);

    if (n < 0) {
        return AVERROR(errno);
    }
    if (n == 0) {
        return AVERROR_EOF;
    }
    io->pos += n;
    return (int)n;
}

static int64_t io_seek(void *opaque, int64_t offset, int whence)
{
    ls_video_io_t *io = opaque;
    struct stat st;

    if (fstat(io->fd, &st) != 0) {
        return AVERROR(errno);
    }
    switch (whence & ~AVSEEK_FORCE) {
    case AVSEEK_SIZE:
        return st.st_size;
    case SEEK_SET:
        break;
    case SEEK_CUR:
        offset += io->pos;
        break;
    case SEEK_END:
        offset += st.st_size;
        break;
    default:
        return AVERROR(EINVAL);
    }
    if (offset < 0) {
        return AVERROR(EINVAL);
    }
    io->pos = offset;
    return offset;
}

/* A demuxer asking to open another file (a MOV reference, a playlist
 * entry) is refused: the input is this one file. */
static int io_open_refused(struct AVFormatContext *s, AVIOContext **pb,
                           const char *url, int flags, AVDictionary **options)
{
    (void)s;
    (void)pb;
    (void)url;
    (void)flags;
    (void)options;
    return AVERROR(EPERM);
}

static void video_close(ls_video_t *v)
{
    sws_freeContext(v->probe_sws);
    av_frame_free(&v->best);
    av_frame_free(&v->frame);
    av_packet_free(&v->pkt);
    avcodec_free_context(&v->dec);
    avformat_close_input(&v->fmt);
    if (v->avio) {
        av_freep(&v->avio->buffer);
        avio_context_free(&v->avio);
    }
}

/* Is name one of video_decoders? */
static int decoder_allowed(const char *name)
{
    const char *at = video_decoders;
    size_t n = strlen(name);

    while ((at = strstr(at, name)) != NULL) {
        if ((at == video_decoders || at[-1] == ',')
            && (at[n] == ',' || at[n] == '\0')) {
            return 1;
        }
        at += n;
    }
    return 0;
}

static const char *av_why(int err)
{
    static char why[AV_ERROR_MAX_STRING_SIZE];

    return av_make_error_string(why, sizeof(why), err);
}

/* Opens the container with the one demuxer sniffing chose and the
 * decoder of its best video stream, after the size check. */
static ls_render_status_t video_open(ls_video_t *v, int fd, const char *demuxer,
                                     uint64_t max_pixels)
{
    const AVInputFormat *ifmt = av_find_input_format(demuxer);
    AVDictionary *opts = NULL;
    const AVCodec *codec = NULL;
    AVCodecParameters *par;
    unsigned char *buf;
    int err;

    v->io.fd = fd;
    buf = av_malloc(LS_VIDEO_IO_BUFFER);
    v->fmt = avformat_alloc_context();
    if (ifmt == NULL || buf == NULL || v->fmt == NULL) {
        av_free(buf);
        return ls_render_fail(LS_RENDER_ERROR,
                              "FFmpeg: no memory or no "
                              "demuxer %s",
                              demuxer);
    }
    v->avio = avio_alloc_context(buf, LS_VIDEO_IO_BUFFER, 0, &v->io, io_read,
                                 NULL, io_seek);
    if (v->avio == NULL) {
        av_free(buf);
        return ls_render_fail(LS_RENDER_ERROR, "FFmpeg: no memory");
    }
    v->fmt->pb = v->avio;
    v->fmt->flags |= AVFMT_FLAG_CUSTOM_IO;
    v->fmt->io_open = io_open_refused;
    av_dict_set(&opts, "format_whitelist", ifmt->name, 0);
    av_dict_set(&opts, "codec_whitelist", video_decoders, 0);
    av_dict_set(&opts, "protocol_whitelist", "none", 0);
    err = avformat_open_input(&v->fmt, "", ifmt, &opts);
    av_dict_free(&opts);
    if (err < 0) {
        return ls_render_fail(LS_RENDER_CORRUPT, "cannot open as %s: %s",
                              demuxer, av_why(err));
    }
    err = avformat_find_stream_info(v->fmt, NULL);
    if (err < 0) {
        return ls_render_fail(LS_RENDER_CORRUPT, "cannot read streams: %s",
                              av_why(err));
    }
    v->stream = av_find_best_stream(v->fmt, AVMEDIA_TYPE_VIDEO, -1, -1, &codec,
                                    0);
    if (v->stream == AVERROR_STREAM_NOT_FOUND) {
        return ls_render_fail(LS_RENDER_UNSUPPORTED, "no video stream");
    }
    if (v->stream < 0 || codec == NULL) {
        return ls_render_fail(LS_RENDER_UNSUPPORTED,
                              "no decoder for the video stream");
    }
    if (!decoder_allowed(codec->name)) {
        return ls_render_fail(LS_RENDER_UNSUPPORTED,
                              "not a video codec we decode (%s)", codec->name);
    }
    par = v->fmt->streams[v->stream]->codecpar;
    if (par->width <= 0 || par->height <= 0) {
        return ls_render_fail(LS_RENDER_CORRUPT, "video without a size");
    }
    if ((uint64_t)par->width * (uint64_t)par->height > max_pixels) {
        return ls_render_fail(LS_RENDER_TOO_BIG,
                              "frames of %dx%d, more than --max-pixels "
                              "%" PRIu64,
                              par->width, par->height, max_pixels);
    }
    v->dec = avcodec_alloc_context3(codec);
    if (v->dec == NULL || avcodec_parameters_to_context(v->dec, par) < 0) {
        return ls_render_fail(LS_RENDER_ERROR, "FFmpeg: no memory");
    }
    v->dec->thread_count = 1;
    v->dec->codec_whitelist = av_strdup(video_decoders);
    err = avcodec_open2(v->dec, codec, NULL);
    if (err < 0) {
        return ls_render_fail(LS_RENDER_CORRUPT, "cannot open decoder %s: %s",
                              codec->name, av_why(err));
    }
    v->pkt = av_packet_alloc();
    v->frame = av_frame_alloc();
    v->best = av_frame_alloc();
    if (v->pkt == NULL || v->frame == NULL || v->best == NULL) {
        return ls_render_fail(LS_RENDER_ERROR, "FFmpeg: no memory");
    }
    return LS_RENDER_OK;
}

/* Seeks to about 10 % of the duration, at most 1 s in: past a title fade,
 * still near the start. The seek lands on the keyframe before; frames up
 * to the target are decoded, not picked (video_pick). A failed seek just
 * starts at the beginning. */
static void video_seek(ls_video_t *v)
{
    int64_t dur = v->fmt->duration, ts;
    AVStream *st = v->fmt->streams[v->stream];

    v->target = AV_NOPTS_VALUE;
    if (dur == AV_NOPTS_VALUE || dur < LS_VIDEO_SHORT) {
        return;
    }
    ts = FFMIN(dur / 10, AV_TIME_BASE);
    if (v->fmt->start_time != AV_NOPTS_VALUE) {
        ts += v->fmt->start_time;
    }
    if (av_seek_frame(v->fmt, -1, ts, AVSEEK_FLAG_BACKWARD) >= 0) {
        avcodec_flush_buffers(v->dec);
        v->target = av_rescale_q(ts, AV_TIME_BASE_Q, st->time_base);
    }
}

/* Mean luma of f, 0-255, measured on a small full-range grey copy; -1 if
 * the pixel format cannot be converted. */
static double frame_luma(ls_video_t *v, const AVFrame *f)
{
    uint8_t grey[LS_VIDEO_PROBE_SIZE * LS_VIDEO_PROBE_SIZE];
    uint8_t *dst[4] = {grey, NULL, NULL, NULL};
    int dst_stride[4] = {LS_VIDEO_PROBE_SIZE, 0, 0, 0};
    int w = FFMIN(f->width, LS_VIDEO_PROBE_SIZE);
    int h = FFMIN(f->height, LS_VIDEO_PROBE_SIZE);
    uint64_t sum = 0;
    int x, y;

    v->probe_sws = sws_getCachedContext(v->probe_sws, f->width, f->height,
                                        f->format, w, h, AV_PIX_FMT_GRAY8,
                                        SWS_AREA, NULL, NULL, NULL);
    if (v->probe_sws == NULL
        || sws_scale(v->probe_sws, (const uint8_t *const *)f->data, f->linesize,
                     0, f->height, dst, dst_stride)
               <= 0) {
        return -1;
    }
    for (y = 0; y < h; y++) {
        for (x = 0; x < w; x++) {
            sum += grey[y * LS_VIDEO_PROBE_SIZE + x];
        }
    }
    return (double)sum / (w * h);
}

/* Looks at one decoded frame: keeps it if it is the brightest so far.
 * Returns 1 when it is bright enough to stop, -1 when it comes before the
 * target (still a candidate should the stream end before the target). */
static int frame_consider(ls_video_t *v, int *lead)
{
    int64_t pts = v->frame->best_effort_timestamp;
    int early = v->target != AV_NOPTS_VALUE && pts != AV_NOPTS_VALUE
                && pts < v->target && (*lead)++ < LS_VIDEO_MAX_LEAD;
    double luma = frame_luma(v, v->frame);

    if (luma > v->best_luma) {
        av_frame_unref(v->best);
        if (av_frame_ref(v->best, v->frame) < 0) {
            return 0;
        }
        v->best_luma = luma;
    }
    av_frame_unref(v->frame);
    if (early) {
        return -1;
    }
    return v->best_luma > LS_VIDEO_BLACK_LUMA;
}

/* Decodes until a frame is not black, LS_VIDEO_MAX_FRAMES have been
 * seen, or the stream ends; v->best holds the pick. Decode errors on
 * single packets are tolerated (a damaged GOP after the seek) as long
 * as some frame comes out. */
static ls_render_status_t video_pick(ls_video_t *v)
{
    int seen = 0, lead = 0, eof = 0, err = 0, last_err = 0, r;

    v->best_luma = -1;
    while (seen < LS_VIDEO_MAX_FRAMES) {
        if (!eof) {
            err = av_read_frame(v->fmt, v->pkt);
            if (err < 0) {
                eof = 1;
                avcodec_send_packet(v->dec, NULL);
            }
            else if (v->pkt->stream_index != v->stream) {
                av_packet_unref(v->pkt);
                continue;
            }
            else {
                err = avcodec_send_packet(v->dec, v->pkt);
                av_packet_unref(v->pkt);
                if (err < 0 && err != AVERROR(EAGAIN)) {
                    last_err = err;
                }
            }
        }
        for (;;) {
            err = avcodec_receive_frame(v->dec, v->frame);
            if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) {
                break;
            }
            if (err < 0) {
                last_err = err;
                break;
            }
            r = frame_consider(v, &lead);
            if (r < 0) {
                continue;
            }
            if (r > 0 || ++seen >= LS_VIDEO_MAX_FRAMES) {
                return LS_RENDER_OK;
            }
        }
        if (eof && (err == AVERROR_EOF || err < 0)) {
            break;
        }
    }
    if (v->best_luma < 0) {
        return ls_render_fail(LS_RENDER_CORRUPT, "no frame decoded%s%s",
                              last_err ? ": " : "",
                              last_err ? av_why(last_err) : "");
    }
    return LS_RENDER_OK;
}

/* The display size of f (sample aspect ratio applied) scaled down to fit
 * box x box. */
static void frame_size(const ls_video_t *v, const AVFrame *f, int box, int *w,
                       int *h)
{
    AVRational sar = av_guess_sample_aspect_ratio(
        v->fmt, v->fmt->streams[v->stream], (AVFrame *)f);
    double dw = f->width, dh = f->height, scale;

    if (sar.num > 0 && sar.den > 0) {
        dw = dw * sar.num / sar.den;
    }
    scale = FFMIN(1.0, FFMIN(box / dw, box / dh));
    *w = FFMAX(1, (int)(dw * scale + 0.5));
    *h = FFMAX(1, (int)(dh * scale + 0.5));
}

/* The rotation the stream's display matrix asks for, as libvips' angle. */
static VipsAngle frame_angle(const ls_video_t *v)
{
    const uint8_t *m = av_stream_get_side_data(v->fmt->streams[v->stream],
                                               AV_PKT_DATA_DISPLAYMATRIX, NULL);
    double theta;

    if (m == NULL) {
        return VIPS_ANGLE_D0;
    }
    /* As ffmpeg's own autorotate: clockwise degrees, into [0, 360). */
    theta = -av_display_rotation_get((const int32_t *)m);
    theta -= 360 * floor(theta / 360 + 0.9 / 360);
    if (theta > 45 && theta <= 135) {
        return VIPS_ANGLE_D90;
    }
    if (theta > 135 && theta <= 225) {
        return VIPS_ANGLE_D180;
    }
    if (theta > 225 && theta <= 315) {
        return VIPS_ANGLE_D270;
    }
    return VIPS_ANGLE_D0;
}

/* The picked frame as an upright sRGB libvips image fitting box. */
static ls_render_status_t frame_to_image(ls_video_t *v, int box,
                                         VipsImage **out)
{
    const AVFrame *f = v->best;
    struct SwsContext *sws;
    int w, h, *inv, *tbl, src_range, dst_range, bri, con, sat;
    uint8_t *rgb = NULL, *dst[4] = {NULL};
    int dst_stride[4] = {0};
    VipsImage *mem = NULL, *t = NULL;
    ls_render_status_t rv = LS_RENDER_CORRUPT;
    VipsAngle angle = frame_angle(v);

    frame_size(v, f, box, &w, &h);
    sws = sws_getContext(f->width, f->height, f->format, w, h, AV_PIX_FMT_RGB24,
                         SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT,
                         NULL, NULL, NULL);
    rgb = av_malloc((size_t)w * h * 3);
    if (sws == NULL || rgb == NULL) {
        ls_render_fail(rv, "cannot convert pixel format %s",
                       av_get_pix_fmt_name(f->format));
        goto done;
    }
    /* The frame's own matrix and range (BT.709 HD, full-range JPEG...). */
    if (sws_getColorspaceDetails(sws, &inv, &src_range, &tbl, &dst_range, &bri,
                                 &con, &sat)
        >= 0) {
        if (f->colorspace != AVCOL_SPC_UNSPECIFIED) {
            inv = (int *)sws_getCoefficients(f->colorspace);
        }
        if (f->color_range != AVCOL_RANGE_UNSPECIFIED) {
            src_range = f->color_range == AVCOL_RANGE_JPEG;
        }
        sws_setColorspaceDetails(sws, inv, src_range, tbl, dst_range, bri, con,
                                 sat);
    }
    dst[0] = rgb;
    dst_stride[0] = w * 3;
    if (sws_scale(sws, (const uint8_t *const *)f->data, f->linesize, 0,
                  f->height, dst, dst_stride)
        <= 0) {
        ls_render_fail(rv, "cannot convert the frame to RGB");
        goto done;
    }
    mem = vips_image_new_from_memory_copy(rgb, (size_t)w * h * 3, w, h, 3,
                                          VIPS_FORMAT_UCHAR);
    if (mem == NULL
        || vips_copy(mem, &t, "interpretation", VIPS_INTERPRETATION_sRGB, NULL)
               != 0) {
        ls_render_fail(LS_RENDER_ERROR, "libvips: %s", vips_error_buffer());
        goto done;
    }
    if (angle != VIPS_ANGLE_D0) {
        g_object_unref(mem);
        mem = t;
        t = NULL;
        if (vips_rot(mem, &t, angle, NULL) != 0) {
            ls_render_fail(LS_RENDER_ERROR, "libvips: %s", vips_error_buffer());
            goto done;
        }
    }
    *out = t;
    t = NULL;
    rv = LS_RENDER_OK;
done:
    if (t) {
        g_object_unref(t);
    }
    if (mem) {
        g_object_unref(mem);
    }
    av_free(rgb);
    sws_freeContext(sws);
    return rv;
}

ls_render_status_t ls_render_video_frame(int fd, const char *demuxer, int box,
                                         uint64_t max_pixels, VipsImage **out)
{
    ls_video_t v;
    ls_render_status_t rv;

    memset(&v, 0, sizeof(v));
    av_log_set_level(AV_LOG_QUIET);
    rv = video_open(&v, fd, demuxer, max_pixels);
    if (rv == LS_RENDER_OK) {
        video_seek(&v);
        rv = video_pick(&v);
    }
    if (rv == LS_RENDER_OK) {
        rv = frame_to_image(&v, box, out);
    }
    video_close(&v);
    return rv;
}
