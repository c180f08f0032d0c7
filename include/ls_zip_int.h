/* ls_zip_int: what the ls_zip units share about one archive write (the
 * writer) and the calls between them. Internal to src/core/ls_zip*.c;
 * callers (the worker, tools, tests of the public API) use ls_zip.h. */
#ifndef LS_ZIP_INT_H
#define LS_ZIP_INT_H

#include <apr_thread_cond.h>
#include <apr_thread_mutex.h>
#include <apr_thread_proc.h>
#include <openssl/evp.h>
#include <zip.h>
#include <zlib.h>

#include "ls_zip.h"

/* One ls_zip_write is one writer, owned by the calling thread; the units
 * each own a part of it:
 *
 *   ls_zip.c          the writer's life (setup, libzip, teardown), the
 *                     first failure, progress; the lock, conds, threads
 *   ls_zip_source.c   opening and reading sources, the libzip source of
 *                     each entry (w->srcs, w->rbuf)
 *   ls_zip_deflate.c  the block pipeline and its helper threads (w->pipe)
 *   ls_zip_sink.c     the output file, SHA-256, publication (w->sink)
 *   ls_zip_plan.c     ls_zip_plan (no writer)
 *
 *   caller's thread: libzip --read--> source --blocks--> deflate pipeline
 *                    libzip --write--> sink
 *   helper threads:  deflate queued blocks; when idle, hash for the sink
 *
 * w->lock (only when there are helpers) guards the block states, the
 * pipeline's sequence numbers and the sink's hashing fields. */
typedef struct ls_zip_writer ls_zip_writer_t;
typedef struct ls_zip_block ls_zip_block_t;   /* ls_zip_deflate.c */
typedef struct ls_zip_helper ls_zip_helper_t; /* ls_zip_deflate.c */

/* What libzip holds for each entry: a pointer back to the writer. */
typedef struct {
    ls_zip_writer_t *w;
    int i;          /* index into entries */
    int deflated;   /* we hand libzip raw deflate data */
    int eof;        /* all data given; crc is final */
    int fd;         /* stored file being read */
    apr_off_t left; /* bytes of a stored file still to come */
    int short_read; /* the last read returned less than asked: at its end */
    unsigned long crc;
} ls_zip_src_t;

/* The deflate pipeline (ls_zip_deflate.c). */
typedef struct {
    ls_zip_block_t *blk; /* a ring of nblk blocks */
    int nblk;
    apr_uint64_t admitted, taken, consumed; /* sequence numbers */
    int adm_entry;                          /* next entry to admit */
    int adm_fd;                             /* its file, once opened */
    apr_off_t adm_off;                      /* next offset to admit */
    ls_zip_helper_t *helpers;
    z_stream *zs_main; /* when there are no helpers */
    int zs_ready;      /* deflateInit2 done on them */
    apr_thread_t **threads;
    int started, stop;
} ls_zip_pipe_t;

/* The output (ls_zip_sink.c): a buffered window [woff, woff + wlen) over
 * the file. */
typedef struct {
    int fd;
    int anonymous;   /* O_TMPFILE: no name until commit */
    const char *tmp; /* the named temporary, while it exists */
    unsigned char *wbuf;
    apr_size_t wlen;
    apr_off_t woff, pos, end;
    apr_off_t phys; /* end of what was flushed (written, or skipped zeros) */

    /* Hashing runs behind the writing: libzip only ever goes back to
     * finish the local header of the entry it has just written, so once
     * it seeks back to X everything below X is final, and once it seeks
     * forward again everything below that is. Bytes below `hashable` are
     * final and on disk; any write below `final` proves that reasoning
     * wrong and the file is hashed again from the start at commit. */
    apr_off_t final, hashable, hashed;
    int hashing, hash_invalid;
    apr_status_t hash_status;
    unsigned char *hbuf;
    EVP_MD_CTX *sha;
} ls_zip_sink_t;

struct ls_zip_writer {
    apr_pool_t *pool; /* the write's own subpool */
    const apr_array_header_t *entries;
    const ls_zip_part_t *part;
    const char *out_path;
    int level;
    int tuned; /* the default level: LS_ZIP_TUNE_* apply */
    ls_zip_progress_fn progress;
    void *baton;

    /* The first failure, in words for the recipient. */
    apr_status_t status;
    const char *err;
    zip_error_t zerr; /* what our sources tell libzip */

    /* Progress, caller's thread only. */
    int files_done;
    apr_off_t bytes_done, bytes_reported;

    /* Entry k of the part is srcs[k]. Stored files share one read buffer
     * (one is open at a time). */
    ls_zip_src_t *srcs;
    unsigned char *rbuf;
    apr_size_t rpos, rlen;

    apr_thread_mutex_t *lock;
    apr_thread_cond_t *work; /* helpers wait here */
    apr_thread_cond_t *done; /* the caller waits here */
    int nthreads;            /* helper threads; 0: none, no locking */

    ls_zip_pipe_t pipe;
    ls_zip_sink_t sink;
};

/* ---- ls_zip.c ---------------------------------------------------------- */

/* Records the first failure (status, and msg for the recipient); later
 * ones are dropped. Returns -1, what libzip callbacks return. */
int ls_zip_fail(ls_zip_writer_t *w, apr_status_t status, const char *msg);
const ls_zip_entry_t *ls_zip_entry_at(ls_zip_writer_t *w, int i);
/* name with control characters replaced, for quoting in a message. */
const char *ls_zip_shown(ls_zip_writer_t *w, const char *name);
/* Calls the progress callback (every MiB, or now if force); -1 when it
 * asked to cancel (the writer has then failed with LS_ZIP_ECANCELED). */
int ls_zip_report(ls_zip_writer_t *w, int force);
/* w->lock, a no-op without helper threads. */
void ls_zip_lock(ls_zip_writer_t *w);
void ls_zip_unlock(ls_zip_writer_t *w);

/* ---- ls_zip_source.c --------------------------------------------------- */

/* Allocates w->srcs (zeroed: ls_zip.c fills them) and the read buffer. */
void ls_zip_source_setup(ls_zip_writer_t *w);
/* Opens entry i and checks it is still the file planned; the fd, or -1
 * with the writer failed. */
int ls_zip_source_open(ls_zip_writer_t *w, int i);
/* Fails the writer with a sentence about entry i that cannot be read. */
void ls_zip_source_fail(ls_zip_writer_t *w, int i, apr_status_t status);
/* The libzip source callback of an entry; ud is its ls_zip_src_t. */
zip_int64_t ls_zip_source_cb(void *ud, void *data, zip_uint64_t len,
                             zip_source_cmd_t cmd);

/* ---- ls_zip_deflate.c -------------------------------------------------- */

/* Allocates the block ring and the z_streams, starts the helper threads
 * (ls_zip_set_threads); the writer's lock and conds come with them. */
apr_status_t ls_zip_deflate_setup(ls_zip_writer_t *w);
/* Stops the helpers, closes what blocks still hold, frees the streams;
 * nothing if ls_zip_deflate_setup was never called. */
void ls_zip_deflate_teardown(ls_zip_writer_t *w);
/* Queues blocks of the coming deflated files while the ring has room. */
int ls_zip_deflate_admit(ls_zip_writer_t *w);
/* Copies up to len deflated bytes of src's entry into out. */
zip_int64_t ls_zip_deflate_read(ls_zip_src_t *src, unsigned char *out,
                                zip_uint64_t len);

/* ---- ls_zip_sink.c ----------------------------------------------------- */

/* Allocates the buffers and the digest; no file yet (libzip's
 * BEGIN_WRITE makes it). */
apr_status_t ls_zip_sink_setup(ls_zip_writer_t *w);
/* Removes an unpublished output and frees the digest. */
void ls_zip_sink_teardown(ls_zip_writer_t *w);
/* The libzip source callback of the output; ud is the writer. */
zip_int64_t ls_zip_sink_cb(void *ud, void *data, zip_uint64_t len,
                           zip_source_cmd_t cmd);
/* Hashes up to steps MiB of final bytes; called with w->lock held by
 * whoever set w->sink.hashing (a helper when idle, or the commit). */
void ls_zip_sink_hash_some(ls_zip_writer_t *w, int steps);
/* The finished part's SHA-256 as 64 hex digits and a NUL. */
void ls_zip_sink_digest(ls_zip_writer_t *w, char *sha256_hex);

#endif /* LS_ZIP_INT_H */
