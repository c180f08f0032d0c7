/* Unit tests for ls_conffile: words and quotes, continuation lines,
 * comments, ${VAR}, Include and IncludeOptional (globs, directories,
 * relative to ServerRoot), a missing Include, nesting too deep. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <apr_file_io.h>
#include <apr_general.h>
#include <apr_strings.h>

#include "ls_conffile.h"
#include "tap.h"

static apr_pool_t *p;
static char dir[] = "/tmp/ls-conffile-XXXXXX";

static void put(const char *name, const char *text)
{
    FILE *f = fopen(apr_pstrcat(p, dir, "/", name, NULL), "w");
    fputs(text, f);
    fclose(f);
}

static const char *arg(const apr_array_header_t *d, const char *name, int i)
{
    const ls_directive_t *x = ls_conffile_find(d, name);
    return x && x->args->nelts > i ? APR_ARRAY_IDX(x->args, i, const char *)
                                   : "(none)";
}

int main(void)
{
    apr_array_header_t *w, *d = NULL;
    const char *err = NULL;
    const ls_directive_t *x;
    char cmd[256];

    apr_initialize();
    apr_pool_create(&p, NULL);
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }

    w = ls_conffile_words(p, "  LinkShareDatabase pgsql \"host=db "
                             "dbname='ls'\"\t'a \\' b' \"\"");
    ok(w->nelts == 5, "words: five");
    is_str(APR_ARRAY_IDX(w, 2, const char *), "host=db dbname='ls'",
           "words: double quotes group, single quotes inside kept");
    is_str(APR_ARRAY_IDX(w, 3, const char *), "a ' b",
           "words: an escaped quote inside single quotes");
    is_str(APR_ARRAY_IDX(w, 4, const char *), "", "words: an empty argument");

    setenv("LS_TEST_STATE", "/srv/ls", 1);
    apr_dir_make(apr_pstrcat(p, dir, "/conf.d", NULL), APR_OS_DEFAULT, p);
    apr_dir_make(apr_pstrcat(p, dir, "/sites", NULL), APR_OS_DEFAULT, p);
    put("httpd.conf", "# LinkShareStateDir /commented\n"
                      "ServerRoot \"DIR\"\n"
                      "LinkShareStateDir ${LS_TEST_STATE}/state\n"
                      "LinkShareDatabase sqlite3 \\\n"
                      "    /var/lib/one.db\n"
                      "Include conf.d/*.conf\n"
                      "IncludeOptional nothing/*.conf\n"
                      "IncludeOptional sites\n"
                      "<VirtualHost *:80>\n"
                      "  linksharebrand \"Example\"\n"
                      "</VirtualHost>\n");
    /* ServerRoot names the temporary directory. */
    snprintf(cmd, sizeof(cmd), "sed -i 's|DIR|%s|' %s/httpd.conf", dir, dir);
    ok(system(cmd) == 0, "fixture written");
    put("conf.d/b.conf", "LinkShareDatabase pgsql \"dbname=ls\"\n");
    put("conf.d/a.conf", "LinkShareSpool /spool/a\n");
    put("sites/one", "LinkShareRenditionCache /cache\n");

    ok(ls_conffile_read(p, apr_pstrcat(p, dir, "/httpd.conf", NULL), NULL, &d,
                        &err)
           == APR_SUCCESS,
       "read with includes (%s)", err ? err : "");
    is_str(arg(d, "LinkShareStateDir", 0), "/srv/ls/state",
           "${VAR} from the environment");
    is_str(arg(d, "LinkShareDatabase", 0), "pgsql",
           "the last occurrence wins (conf.d/b.conf after the main file)");
    is_str(arg(d, "LinkShareDatabase", 1), "dbname=ls", "... its argument");
    is_str(arg(d, "LinkShareSpool", 0), "/spool/a",
           "Include with a glob, relative to ServerRoot");
    is_str(arg(d, "LinkShareRenditionCache", 0), "/cache",
           "IncludeOptional of a directory reads the files in it");
    is_str(arg(d, "LinkShareBrand", 0), "Example",
           "names are case-insensitive, containers are read through");
    x = ls_conffile_find(d, "LinkShareStateDir");
    ok(x && x->line == 3 && strstr(x->file, "httpd.conf"),
       "where a directive was read: file and line");
    ok(d->nelts == 6, "comment lines are skipped (%d directives)", d->nelts);
    x = &APR_ARRAY_IDX(d, 1, ls_directive_t);
    ok(strcmp(x->name, "LinkShareDatabase") == 0 && x->line == 4
           && x->args->nelts == 2
           && strcmp(APR_ARRAY_IDX(x->args, 1, const char *), "/var/lib/one.db")
                  == 0,
       "a continued line is one directive, at its first line");

    put("missing.conf", "Include /nonexistent/file.conf\n");
    ok(ls_conffile_read(p, apr_pstrcat(p, dir, "/missing.conf", NULL), NULL, &d,
                        &err)
               != APR_SUCCESS
           && strstr(err, "/nonexistent/file.conf"),
       "Include of a file that does not exist: an error naming it");
    put("loop.conf", "Include loop.conf\n");
    ok(ls_conffile_read(p, apr_pstrcat(p, dir, "/loop.conf", NULL), dir, &d,
                        &err)
               != APR_SUCCESS
           && strstr(err, "nested deeper"),
       "a file including itself: stopped (%s)", err ? err : "");
    ok(ls_conffile_read(p, "/nonexistent/httpd.conf", NULL, &d, &err)
               != APR_SUCCESS
           && strstr(err, "/nonexistent/httpd.conf"),
       "an unreadable configuration: an error naming it");

    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    ok(system(cmd) == 0, "cleaned up");
    apr_pool_destroy(p);
    apr_terminate();
    done_testing();
}
