/* One still from a video (or a BMP, which FFmpeg decodes as a one-frame
 * stream): demux with an explicitly chosen demuxer, seek, skip black
 * frames, convert to RGB. Owns the FFmpeg side only; the caller
 * thumbnails and saves the image with libvips like any other. */
#ifndef LS_RENDER_VIDEO_H
#define LS_RENDER_VIDEO_H

#include <stdint.h>
#include <vips/vips.h>

#include "ls_render.h"

/* The FFmpeg demuxer for the file whose first bytes are head (len of
 * them), or NULL when none of ours recognises it: "mov" (MP4, MOV),
 * "matroska" (MKV, WebM), "avi", "bmp_pipe". */
const char *ls_render_video_sniff(const unsigned char *head, size_t len);

/* Decodes a representative frame of the file open on fd with the demuxer
 * named by sniff: about 10 % in (at most 1 s), the first frame that is
 * not black, else the brightest of the first ~50. The frame is scaled to
 * fit box x box at its display aspect and turned upright (display
 * matrix). Sets *out to a new 8-bit sRGB image the caller unrefs.
 * Refuses frames of more than max_pixels before decoding any. Returns
 * LS_RENDER_OK or another status, having reported it (ls_render_fail). */
ls_render_status_t ls_render_video_frame(int fd, const char *demuxer, int box,
                                         uint64_t max_pixels, VipsImage **out);

#endif /* LS_RENDER_VIDEO_H */
