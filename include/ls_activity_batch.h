/* ls_activity_batch: how the activity log's events cross from the httpd
 * children to the one process of the node that writes them to the store.
 * APR and the store only; never logs (callers get a sentence).
 *
 * A child's write-behind queue (ls_activity_queue.h) hands each batch to
 * ls_activity_batch_write: one file in the node's activity directory
 * (LinkShareStateDir/activity), written under a temporary name and
 * renamed, so a reader sees whole batches only. Worker 0 runs
 * ls_activity_batch_ingest every LS_ACTIVITY_INGEST_MSECS: the finished files,
 * oldest first, inserted in one transaction, then removed. So the
 * children never write the store for the log: one writer per node
 * instead of one per child (with SQLite they queued behind each other
 * for its single write lock, holding apr_dbd's process-wide mutex while
 * they waited), and events wait on disk, not in a child's memory, while
 * the store is down.
 *
 * A file: the 8 bytes "LSACTV1\n", then per event its time (8 bytes),
 * status (4), bytes (8), then share id, kind, path, job and address, each
 * a 4-byte length (0xffffffff: none) and that many bytes. Integers are
 * little-endian. A file that does not parse whole is set aside as
 * NAME.bad, never half-inserted. An ingester first renames each file it
 * takes to NAME.batch.claim.PID: nodes that share a state directory
 * never insert a file twice, and a claim whose ingester died goes back
 * in line after ten minutes. */
#ifndef LS_ACTIVITY_BATCH_H
#define LS_ACTIVITY_BATCH_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_time.h>

#include "ls_store.h"

/* The name of a finished batch ends so; a temporary one ends ".tmp". */
#define LS_ACTIVITY_BATCH_SUFFIX ".batch"

/* How often the node's writer looks for finished files. */
#define LS_ACTIVITY_INGEST_MSECS 250

/* Files one ingest takes at most (one transaction), and the backlog kept
 * while the store refuses them: past it the oldest files are removed
 * (a child writes at most one file per LS_ACTIVITY_BATCH events). */
#define LS_ACTIVITY_INGEST_FILES  256
#define LS_ACTIVITY_BACKLOG_FILES 4096

/* The largest file read (a batch of LS_ACTIVITY_BATCH events of long
 * paths stays far below it). */
#define LS_ACTIVITY_BATCH_MAX_BYTES (64 * 1024 * 1024)

/* Writes n events as one new file in dir (which must exist); its name
 * holds the pid, the time and a per-process sequence, so names sort by
 * when they were written. APR_SUCCESS, or the failing status with *err a
 * sentence (the disk is full, dir is missing); then nothing is left
 * behind. */
apr_status_t ls_activity_batch_write(apr_pool_t *p, const char *dir,
                                     const ls_activity_t *ev, int n,
                                     const char **err);

/* Reads one file: *events an array of ls_activity_t (ids NULL), strings
 * in p. APR_EINVAL (with *err) when it is not a whole batch. */
apr_status_t ls_activity_batch_read(apr_pool_t *p, const char *path,
                                    apr_array_header_t **events,
                                    const char **err);

/* What one ingest did. */
typedef struct {
    int files;   /* batch files inserted and removed */
    int events;  /* events in them */
    int written; /* rows inserted (events of deleted shares are skipped) */
    int bad;     /* files that did not parse, renamed NAME.bad */
    int dropped; /* files removed unread: past LS_ACTIVITY_BACKLOG_FILES */
    int waiting; /* finished files left for the next ingest */
} ls_activity_ingest_t;

/* Inserts the events of up to LS_ACTIVITY_INGEST_FILES finished files of
 * dir, oldest first, in one transaction, and removes those files; also
 * removes temporary files older than ten minutes (a child that died
 * writing). On a store failure the files stay for the next call and the
 * store's status is returned with *err. */
apr_status_t ls_activity_batch_ingest(apr_pool_t *p, const char *dir,
                                      ls_store *store,
                                      ls_activity_ingest_t *done,
                                      const char **err);

/* How old a temporary file (by mtime) or a claim (by ctime) must be to
 * count as its process's that died: ten minutes; tests shorten it. */
void ls_activity_batch_stale_after(apr_interval_time_t usecs);

#endif /* LS_ACTIVITY_BATCH_H */
