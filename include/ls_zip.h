/* ls_zip: the ZIP parts of a selection. Pure units (APR, libzip, zlib,
 * OpenSSL; src/core/ls_zip*.c, sharing ls_zip_int.h). Owns how a
 * selection splits into parts and how one part is written: deterministic
 * bytes, per-byte progress and cancel, atomic publication, SHA-256. It
 * does not pick files, resolve paths or decide where parts live (the
 * worker does). */
#ifndef LS_ZIP_H
#define LS_ZIP_H

#include <errno.h>

#include <apr.h>
#include <apr_errno.h>
#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_time.h>

/* The deflate settings when the caller passes a level of 0 or less:
 * zlib's level 6 (Info-ZIP's) with a shorter search, set by deflateTune
 * (good_length, max_lazy, nice_length, max_chain); an explicit level 1-9
 * is zlib's own. Measured with bench/zip.sh's text (100 MiB, 3.4x) against
 * Info-ZIP `zip -r` (one core, 6.2 s of CPU): CPU is user+sys of the whole
 * write in one thread (ls-zip -j 0, at nice -15 on a shared machine), the
 * least of 3 runs, as a share of zip's; size against zip's archive:
 *
 *   good lazy nice chain      CPU share   size
 *      8   16   32    32        0.50     +3.9 %   zlib level 5
 *      4   16   32    56        0.52     +2.4 %
 *      4   16   32    64        0.55     +2.0 %
 *      4   16   32    72        0.58     +1.6 %   the default
 *      4   16   32    80        0.64     +1.3 %
 *      8   16  128   128        0.95     +0.0 %   zlib level 6
 *
 * The cost is almost all in the helper threads, so wall time on 2 CPUs
 * scales with the CPU share: level 5 measured 3.42x faster than zip on an
 * idle machine, which puts the default near 2.9x. The size follows
 * max_chain; good_length 4 (a quarter of the chain once a match of 4 is
 * in hand) costs less size than a shorter chain saves (8 16 64 64: +1.8 %
 * at about 0.69 in a noisier run); nice_length 64 changed nothing;
 * memLevel 9 and 1 MiB blocks (less priming) were no better. The target:
 * text within 2 % of zip's size, at least 2.5x faster on 2 CPUs
 * (bench/RESULTS-zip.md). */
#define LS_ZIP_DEFAULT_LEVEL 6
#define LS_ZIP_TUNE_GOOD     4
#define LS_ZIP_TUNE_LAZY     16
#define LS_ZIP_TUNE_NICE     32
#define LS_ZIP_TUNE_CHAIN    72

/* APR has no status for "cancelled"; this is ECANCELED as an APR status. */
#define LS_ZIP_ECANCELED APR_FROM_OS_ERROR(ECANCELED)

typedef struct {
    const char *src;  /* absolute path to read; NULL for a folder entry */
    const char *name; /* name in the archive: UTF-8, '/'-separated,
                       * relative; a folder's ends in '/' */
    apr_off_t size;   /* size at planning time (0 for folders) */
    apr_time_t mtime; /* modification time kept in the archive */
    int compressed;   /* already-compressed media: stored in auto mode */
    /* What ls_zip_write checks when it opens src (zero: size only, the
     * source opened by its path). */
    const char *root; /* src lies below this directory: opened with
                       * ls_path_open_beneath, never through a symlink
                       * that leads out of it; NULL: opened by path */
    int verify;       /* LS_ZIP_VERIFY_* bits */
    apr_uint64_t dev; /* device and inode at planning time */
    apr_uint64_t ino;
    const char *of; /* a rendition: the absolute path of the original it
                       * stands for (checked again at download time);
                       * NULL when src is the file itself */
} ls_zip_entry_t;

#define LS_ZIP_VERIFY_MTIME 1 /* mtime must be the one planned */
#define LS_ZIP_VERIFY_IDENT 2 /* dev and ino must be the ones planned */

/* Part n (1-based) holds entries [first, first + count); bytes is the sum
 * of their sizes, the total that progress counts towards. */
typedef struct {
    int n;
    int first;
    int count;
    apr_off_t bytes;
} ls_zip_part_t;

typedef enum {
    LS_ZIP_AUTO,   /* store entries marked compressed, deflate the rest */
    LS_ZIP_STORE,  /* store everything */
    LS_ZIP_DEFLATE /* deflate every non-empty file */
} ls_zip_mode_t;

/* Called in the thread that called ls_zip_write, at least every MiB of
 * source data and after each entry (and every 16 MiB while the finished
 * part is hashed), with totals for this part: entries finished (folders
 * count, so it ends at part->count) and source bytes consumed (ends at
 * part->bytes). Return non-zero to cancel. */
typedef int (*ls_zip_progress_fn)(void *baton, int files_done,
                                  apr_off_t bytes_done);

/* Splits entries (an array of ls_zip_entry_t) into parts, in entry order:
 * a new part starts when the next entry could make the current part's
 * archive exceed part_size (headers, and deflate's growth on data that
 * does not compress, counted), so no part exceeds it in any mode unless a
 * file alone does; such a file gets a part of its own; a file is never
 * split. part_size <= 0 means one part. Returns an array of ls_zip_part_t
 * in p, empty when entries is. */
apr_array_header_t *ls_zip_plan(apr_pool_t *p,
                                const apr_array_header_t *entries,
                                apr_off_t part_size);

/* Writes one part as a complete ZIP (ZIP64 where sizes, offsets or the
 * entry count need it) to out_path: built in an unnamed file (O_TMPFILE;
 * "<out_path>.tmp.*" where unsupported) in out_path's directory and
 * renamed over out_path when complete, so nothing is left behind on
 * failure or cancel, and a reader never sees half a part. The same
 * entries (same bytes, names and mtimes) give the same archive bytes,
 * whatever the thread count; DOS times are local time, so keep TZ fixed.
 * deflate_level is 1-9, or <= 0 for the default (LS_ZIP_TUNE_*).
 * Memory: fixed buffers (about 8 MB with two helper threads) whatever the
 * bytes, plus about 0.5 KB per entry that libzip keeps until the part is
 * closed; cap the entries of a part if selections can hold hundreds of
 * thousands.
 * Names are refused (APR_EINVAL) when absolute, with "." or ".." or empty
 * segments, backslashes, control characters or invalid UTF-8.
 * On success fills sha256_hex (65 bytes: 64 hex digits and a NUL) with the
 * digest of the finished file and *size_out with its size.
 * On failure *err is a sentence a recipient can read, naming the entry
 * (its archive name, never its server path) where one is at fault:
 *   LS_ZIP_ECANCELED  progress asked to stop
 *   APR_ENOSPC        the disk is full (EDQUOT, EFBIG and other write
 *                     errors come back as they are, with a sentence)
 *   APR_ENOENT        a source vanished since planning
 *   APR_EMISMATCH     a source is no longer the size planned, not a
 *                     regular file, or (per entry->verify) has another
 *                     mtime, device or inode; or it is reached through a
 *                     symlink that leaves entry->root
 *   APR_EINVAL        a bad or duplicate name, an empty part
 *   other             the errno status of a failed read, or APR_EGENERAL
 *                     for a libzip failure. */
apr_status_t ls_zip_write(apr_pool_t *p, const apr_array_header_t *entries,
                          const ls_zip_part_t *part, ls_zip_mode_t mode,
                          int deflate_level, const char *out_path,
                          ls_zip_progress_fn progress, void *baton,
                          char *sha256_hex, apr_off_t *size_out,
                          const char **err);

/* Helper threads per ls_zip_write (deflate and hashing run there while
 * the calling thread feeds libzip): -1, the default, means one per online
 * CPU up to 4, none on a single CPU; 0 does everything in the calling
 * thread. The archive bytes do not depend on it. Process-wide; set it
 * before writing, not during. */
void ls_zip_set_threads(int n);

#endif /* LS_ZIP_H */
