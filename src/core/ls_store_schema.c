/* ls_store_schema: the store's tables, as one array of statements per
 * schema version (the same SQL for SQLite and PostgreSQL), and the
 * migration that applies the missing ones (ls_store_migrate). Not the
 * rows: each table's unit reads and writes those. */
#include <string.h>

#include <apr_dbd.h>
#include <apr_strings.h>

#include "ls_store_schema.h"
#include "ls_store_int.h"

/* Each entry brings the schema from version i to i + 1. Statements are
 * separated into an array so each driver runs them one at a time. */
static const char *const migration_1[] = {
    "CREATE TABLE ls_share ("
    " id VARCHAR(32) PRIMARY KEY,"
    " token_hash CHAR(64) NOT NULL UNIQUE,"
    " owner VARCHAR(255) NOT NULL,"
    " created BIGINT NOT NULL,"
    " expires BIGINT NOT NULL,"
    " revoked BIGINT NOT NULL DEFAULT 0,"
    " allow_original INTEGER NOT NULL,"
    " collection_id VARCHAR(32),"
    " subject TEXT,"
    " message TEXT,"
    " downloads BIGINT NOT NULL DEFAULT 0)",
    "CREATE INDEX ls_share_owner ON ls_share (owner, created)",
    "CREATE TABLE ls_share_item ("
    " share_id VARCHAR(32) NOT NULL REFERENCES ls_share (id)"
    "   ON DELETE CASCADE,"
    " pos INTEGER NOT NULL,"
    " path TEXT NOT NULL,"
    " kind VARCHAR(8) NOT NULL,"
    " PRIMARY KEY (share_id, pos))",
    "CREATE TABLE ls_share_recipient ("
    " share_id VARCHAR(32) NOT NULL REFERENCES ls_share (id)"
    "   ON DELETE CASCADE,"
    " pos INTEGER NOT NULL,"
    " email VARCHAR(254) NOT NULL,"
    " external INTEGER NOT NULL,"
    " mail_state VARCHAR(16) NOT NULL,"
    " PRIMARY KEY (share_id, pos))",
    "CREATE TABLE ls_collection ("
    " id VARCHAR(32) PRIMARY KEY,"
    " owner VARCHAR(255) NOT NULL,"
    " name VARCHAR(255) NOT NULL,"
    " created BIGINT NOT NULL)",
    "CREATE INDEX ls_collection_owner ON ls_collection (owner, created)",
    "CREATE TABLE ls_collection_item ("
    " collection_id VARCHAR(32) NOT NULL REFERENCES ls_collection (id)"
    "   ON DELETE CASCADE,"
    " pos INTEGER NOT NULL,"
    " path TEXT NOT NULL,"
    " PRIMARY KEY (collection_id, pos))",
    NULL};

/* Version 2: download jobs (packaging), the browsers that asked for them
 * and their finished parts. */
static const char *const migration_2[] = {
    "CREATE TABLE ls_job ("
    " id VARCHAR(32) PRIMARY KEY,"
    " share_id VARCHAR(32) NOT NULL REFERENCES ls_share (id)"
    "   ON DELETE CASCADE,"
    " selection_key CHAR(64) NOT NULL,"
    " title VARCHAR(255) NOT NULL,"
    " state VARCHAR(12) NOT NULL,"
    " entries TEXT NOT NULL,"
    " files_total INTEGER NOT NULL,"
    " bytes_total BIGINT NOT NULL,"
    " files_done INTEGER NOT NULL DEFAULT 0,"
    " bytes_done BIGINT NOT NULL DEFAULT 0,"
    " parts_total INTEGER NOT NULL DEFAULT 0,"
    " error TEXT,"
    " created BIGINT NOT NULL,"
    " updated BIGINT NOT NULL,"
    " claim VARCHAR(32),"
    " heartbeat BIGINT NOT NULL DEFAULT 0,"
    " attempts INTEGER NOT NULL DEFAULT 0)",
    /* One live job per selection: concurrent identical requests that
     * both miss the lookup cannot both insert. */
    "CREATE UNIQUE INDEX ls_job_live ON ls_job (share_id, selection_key) "
    "WHERE state IN ('queued', 'running', 'done')",
    "CREATE INDEX ls_job_state ON ls_job (state, created)",
    "CREATE TABLE ls_job_browser ("
    " job_id VARCHAR(32) NOT NULL REFERENCES ls_job (id) ON DELETE CASCADE,"
    " browser VARCHAR(64) NOT NULL,"
    " PRIMARY KEY (job_id, browser))",
    "CREATE TABLE ls_part ("
    " job_id VARCHAR(32) NOT NULL REFERENCES ls_job (id) ON DELETE CASCADE,"
    " n INTEGER NOT NULL,"
    " size BIGINT NOT NULL,"
    " sha256 CHAR(64) NOT NULL,"
    " path TEXT NOT NULL,"
    " PRIMARY KEY (job_id, n))",
    NULL};

/* Version 3: mail. What a share's mail needs (the token only sealed, see
 * ls_token_seal) and one row per message to send: the share link to each
 * recipient, delivery receipts to the sharer (at most one per part). */
static const char *const migration_3[] = {
    "CREATE TABLE ls_share_mail ("
    " share_id VARCHAR(32) PRIMARY KEY REFERENCES ls_share (id)"
    "   ON DELETE CASCADE,"
    " sealed_token VARCHAR(255) NOT NULL,"
    " link_base TEXT NOT NULL,"
    " sender VARCHAR(255) NOT NULL,"
    " sender_email VARCHAR(254),"
    " receipt INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE ls_mail ("
    " id VARCHAR(32) PRIMARY KEY,"
    " share_id VARCHAR(32) NOT NULL REFERENCES ls_share (id)"
    "   ON DELETE CASCADE,"
    " kind VARCHAR(8) NOT NULL,"
    " rcpt VARCHAR(254) NOT NULL,"
    " state VARCHAR(12) NOT NULL,"
    " reply TEXT,"
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " next_attempt BIGINT NOT NULL,"
    " queued_at BIGINT NOT NULL,"
    " updated BIGINT NOT NULL,"
    " claim VARCHAR(64),"
    " job_id VARCHAR(32),"
    " part_n INTEGER,"
    " part_total INTEGER,"
    " title TEXT)",
    "CREATE INDEX ls_mail_due ON ls_mail (state, next_attempt)",
    "CREATE UNIQUE INDEX ls_mail_link ON ls_mail (share_id, rcpt) "
    "WHERE kind = 'link'",
    "CREATE UNIQUE INDEX ls_mail_receipt ON ls_mail (job_id, part_n) "
    "WHERE kind = 'receipt'",
    NULL};

/* Version 4: the queue of rendition work (thumbnails, web renditions),
 * one row per source key and kind while it waits or renders; the
 * renditions themselves are files (ls_rcache). */
static const char *const migration_4[] = {
    "CREATE TABLE ls_render ("
    " key CHAR(64) NOT NULL,"
    " kind VARCHAR(8) NOT NULL,"
    " src TEXT NOT NULL,"
    " priority INTEGER NOT NULL,"
    " state VARCHAR(12) NOT NULL,"
    " claim VARCHAR(64),"
    " claimed_at BIGINT NOT NULL DEFAULT 0,"
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " queued_at BIGINT NOT NULL,"
    " PRIMARY KEY (key, kind))",
    "CREATE INDEX ls_render_due ON ls_render (state, priority, queued_at)",
    NULL};

/* Version 5: a share's name (the sharer's label, the recipient page's
 * title) and its token sealed (ls_token_seal, under the mail key), so
 * Shared Links can show an active link again while the database alone
 * holds nothing usable. A share that was mailed already has its token
 * sealed in ls_share_mail; other older shares have none, and no link. */
static const char *const migration_5[] = {
    "ALTER TABLE ls_share ADD COLUMN name TEXT",
    "ALTER TABLE ls_share ADD COLUMN sealed_token VARCHAR(255)",
    "UPDATE ls_share SET sealed_token = (SELECT m.sealed_token FROM "
    "ls_share_mail m WHERE m.share_id = ls_share.id)",
    NULL};

/* Version 6: what a job holds, in words ("3 files from Photos"), for the
 * Download Inbox; written when the job is queued (older jobs have none
 * and show their count of files). */
static const char *const migration_6[] = {
    "ALTER TABLE ls_job ADD COLUMN label TEXT", NULL};

/* Version 7: protected links and the activity log (#10). A share's
 * password as one encoded KDF string (algorithm, parameters, salt and
 * hash; NULL: none) and a generation bumped whenever it changes, which
 * unlock cookies carry so a changed password ends them; an optional limit
 * on downloads. One row per recorded recipient action, paged newest first
 * by (at, id) and swept by age. */
/* ls_activity's columns, as version 7 made them and version 9 rebuilds
 * them on SQLite. */
#define LS_ACTIVITY_COLUMNS                                                    \
    " id VARCHAR(32) PRIMARY KEY,"                                             \
    " share_id VARCHAR(32) NOT NULL REFERENCES ls_share (id)"                  \
    "   ON DELETE CASCADE,"                                                    \
    " at BIGINT NOT NULL,"                                                     \
    " kind VARCHAR(16) NOT NULL,"                                              \
    " path TEXT,"                                                              \
    " job_id VARCHAR(32),"                                                     \
    " status INTEGER NOT NULL,"                                                \
    " bytes BIGINT NOT NULL DEFAULT 0,"                                        \
    " address VARCHAR(64))"

static const char *const migration_7[] = {
    "ALTER TABLE ls_share ADD COLUMN password_hash TEXT",
    "ALTER TABLE ls_share ADD COLUMN password_gen INTEGER NOT NULL "
    "DEFAULT 0",
    "ALTER TABLE ls_share ADD COLUMN max_downloads BIGINT",
    "CREATE TABLE ls_activity (" LS_ACTIVITY_COLUMNS,
    "CREATE INDEX ls_activity_share ON ls_activity (share_id, at, id)",
    "CREATE INDEX ls_activity_at ON ls_activity (at)",
    NULL};

/* Version 8: several nodes (PostgreSQL only; a statement marked "pgsql:"
 * is skipped on SQLite, where one node sees its own changes at once).
 * Triggers announce, to every node LISTENing (ls_notify): a share whose
 * link must be looked up again (revoked, expiry, password or limit
 * changed, deleted) on channel linkshare_share with its id, and work
 * queued for the workers (a job or mail queued) on linkshare_work. The
 * download counter's updates announce nothing (UPDATE OF lists the
 * columns). */
#define LS_NOTIFY_FN(name, body)                                               \
    "pgsql:CREATE OR REPLACE FUNCTION " name "() RETURNS trigger LANGUAGE "    \
    "plpgsql AS $ls$ BEGIN " body " RETURN NULL; END $ls$"
static const char *const migration_8[] = {
    LS_NOTIFY_FN(
        "ls_notify_share",
        "IF TG_OP = 'DELETE' THEN PERFORM pg_notify('linkshare_share', "
        "OLD.id); ELSE PERFORM pg_notify('linkshare_share', NEW.id); "
        "END IF;"),
    "pgsql:DROP TRIGGER IF EXISTS ls_share_changed ON ls_share",
    "pgsql:DROP TRIGGER IF EXISTS ls_share_deleted ON ls_share",
    "pgsql:DROP TRIGGER IF EXISTS ls_job_queued ON ls_job",
    "pgsql:DROP TRIGGER IF EXISTS ls_mail_queued ON ls_mail",
    "pgsql:CREATE TRIGGER ls_share_changed AFTER UPDATE OF revoked, expires, "
    "password_hash, password_gen, max_downloads ON ls_share FOR EACH ROW "
    "EXECUTE PROCEDURE ls_notify_share()",
    "pgsql:CREATE TRIGGER ls_share_deleted AFTER DELETE ON ls_share FOR EACH "
    "ROW EXECUTE PROCEDURE ls_notify_share()",
    LS_NOTIFY_FN("ls_notify_work",
                 "PERFORM pg_notify('linkshare_work', TG_TABLE_NAME);"),
    "pgsql:CREATE TRIGGER ls_job_queued AFTER INSERT OR UPDATE OF state ON "
    "ls_job FOR EACH ROW WHEN (NEW.state = 'queued') EXECUTE PROCEDURE "
    "ls_notify_work()",
    "pgsql:CREATE TRIGGER ls_mail_queued AFTER INSERT OR UPDATE OF state, "
    "next_attempt ON ls_mail FOR EACH ROW WHEN (NEW.state = 'queued') EXECUTE "
    "PROCEDURE ls_notify_work()",
    NULL};

/* Version 9: the activity log, cheaper to write (#10). Its ids become
 * time-ordered (LS_ACTIVITY_ID_LEN: 14 hex digits of the time first), so
 * the sweep by age walks the primary key and the index on at goes; ids
 * made before (16 random hex digits) are rewritten in that form (the time,
 * their first 10 digits, 8 zeros). On SQLite the table is rebuilt WITHOUT
 * ROWID, its rows kept in the primary key's B-tree: an event is written
 * to two B-trees instead of four (table, primary key, two indexes).
 * ("sqlite3:" statements run on SQLite only, "pgsql:" on PostgreSQL.) */
static const char *const migration_9[] = {
    "sqlite3:UPDATE ls_activity SET id = printf('%014x', at) || "
    "substr(id, 1, 10) || '00000000' WHERE length(id) = 16",
    "pgsql:UPDATE ls_activity SET id = lpad(to_hex(at), 14, '0') || "
    "substr(id, 1, 10) || '00000000' WHERE length(id) = 16",
    "sqlite3:CREATE TABLE ls_activity_v9 (" LS_ACTIVITY_COLUMNS
    " WITHOUT ROWID",
    "sqlite3:INSERT INTO ls_activity_v9 (id, share_id, at, kind, path, "
    "job_id, status, bytes, address) SELECT id, share_id, at, kind, path, "
    "job_id, status, bytes, address FROM ls_activity",
    "sqlite3:DROP TABLE ls_activity",
    "sqlite3:ALTER TABLE ls_activity_v9 RENAME TO ls_activity",
    "sqlite3:CREATE INDEX ls_activity_share ON ls_activity (share_id, at, id)",
    "pgsql:DROP INDEX IF EXISTS ls_activity_at",
    NULL};

static const char *const *const migrations[LS_STORE_SCHEMA_VERSION] = {
    migration_1, migration_2, migration_3, migration_4, migration_5,
    migration_6, migration_7, migration_8, migration_9};

/* Outside the migration's transaction, each statement on its own: the
 * table holding the version and its one row, both idempotent. */
static apr_status_t schema_prepare(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                                   void *baton, const char **err)
{
    apr_status_t rv;

    (void)baton;
    if (s->is_sqlite) {
        /* WAL lets readers run beside a writer; the mode is stored in the
         * file, so setting it once here covers every connection. */
        apr_dbd_results_t *res = NULL;
        apr_dbd_row_t *row = NULL;
        if (apr_dbd_select(s->driver, p, c->handle, &res,
                           "PRAGMA journal_mode = WAL", 0)
            == 0) {
            while (apr_dbd_get_row(s->driver, p, res, &row, -1) == 0)
                ;
        }
    }
    rv = ls_store_exec(s, c, p,
                       "CREATE TABLE IF NOT EXISTS ls_schema (version INTEGER "
                       "NOT NULL)",
                       0, NULL, NULL, err);
    if (rv == APR_SUCCESS) {
        rv = ls_store_exec(s, c, p,
                           "INSERT INTO ls_schema (version) SELECT 0 WHERE NOT "
                           "EXISTS (SELECT 1 FROM ls_schema)",
                           0, NULL, NULL, err);
    }
    return rv;
}

/* What schema_upgrade is asked: up to which version, and the version
 * found. */
typedef struct {
    int target;
    int *from;
} upgrade_t;

/* In one transaction: the version found and the migrations from there. */
static apr_status_t schema_upgrade(ls_store *s, ls_conn_t *c, apr_pool_t *p,
                                   void *baton, const char **err)
{
    const upgrade_t *up = baton;
    int *from = up->from;
    int version = 0, n = 0, i;
    apr_status_t rv;

    /* Taking the row's write lock first serialises concurrent migrators
     * (several nodes on one PostgreSQL, or two processes on one file). */
    rv = ls_store_exec(s, c, p, "UPDATE ls_schema SET version = version", 0,
                       NULL, NULL, err);
    if (rv == APR_SUCCESS) {
        rv = ls_store_select(s, c, p, "SELECT version FROM ls_schema", 0, NULL,
                             ls_store_row_int, &version, &n, err);
    }
    *from = version;
    if (rv == APR_SUCCESS && version > LS_STORE_SCHEMA_VERSION) {
        *err = apr_psprintf(p,
                            "the database has schema version %d, newer "
                            "than this module's %d; upgrade the module",
                            version, LS_STORE_SCHEMA_VERSION);
        rv = APR_EGENERAL;
    }
    for (i = version; rv == APR_SUCCESS && i < up->target; i++) {
        const char *const *q;
        for (q = migrations[i]; rv == APR_SUCCESS && *q; q++) {
            const char *sql = *q;
            if (strncmp(sql, "pgsql:", 6) == 0) {
                if (s->is_sqlite) {
                    continue;
                }
                sql += 6;
            }
            else if (strncmp(sql, "sqlite3:", 8) == 0) {
                if (!s->is_sqlite) {
                    continue;
                }
                sql += 8;
            }
            rv = ls_store_exec(s, c, p, sql, 0, NULL, NULL, err);
        }
        if (rv == APR_SUCCESS) {
            const char *args[] = {ls_store_i64(p, i + 1)};
            rv = ls_store_exec(s, c, p, "UPDATE ls_schema SET version = %s", 1,
                               args, NULL, err);
        }
    }
    return rv;
}

apr_status_t ls_store_migrate_to(ls_store *s, apr_pool_t *p, int target,
                                 int *from, const char **err)
{
    upgrade_t up = {target, from};
    apr_status_t rv = ls_store_run(s, p, schema_prepare, NULL, err);

    if (rv == APR_SUCCESS) {
        rv = ls_store_tx(s, p, "cannot commit the schema migration",
                         schema_upgrade, &up, err);
    }
    return rv;
}

apr_status_t ls_store_migrate(ls_store *s, apr_pool_t *p, int *from,
                              const char **err)
{
    return ls_store_migrate_to(s, p, LS_STORE_SCHEMA_VERSION, from, err);
}
