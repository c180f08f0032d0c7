# op=file sends exactly the file it resolved: a file swapped for a
# symlink (to /etc/passwd) at the moment it is opened is refused, not
# followed. The swap is made deterministic, not left to luck: a small
# LD_PRELOAD shim in a second httpd renames the symlink over the file at
# the very moment httpd opens that path for reading (whichever call does
# it: openat2, open, openat). Two opens can meet it:
# - a path without symlinks is opened as it is resolved (ls_resolve_open),
#   and that descriptor is what is sent: the swap there makes the path
#   one through a symlink out of the share, so 404;
# - a path through a symlink inside the share is resolved by name and
#   opened again to be sent (ls_deliver): the swap there is met by that
#   open, which follows no symlink (LS00150).
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use File::Path qw(make_path remove_tree);
use File::Temp qw(tempdir);
use LWP::UserAgent;

my $dir = tempdir(CLEANUP => 1);
chmod 0755, $dir;

# -- the shim --------------------------------------------------------------------
open my $c, '>', "$dir/swap.c" or die;
print $c <<'C';
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/openat2.h>

/* When this process opens a path ending in RACE_REL for reading,
 * RACE_SWAP (a symlink) is renamed over RACE_FILE first: once, as the
 * rename fails when RACE_SWAP is gone (the test puts it back). Every open
 * of such a path, for reading or O_PATH, adds a line to RACE_TRACE. */
static void maybe_swap(const char *path, long flags)
{
    const char *want = getenv("RACE_FILE"), *swap = getenv("RACE_SWAP");
    const char *rel = getenv("RACE_REL");
    size_t pl, rl;

    if (!want || !swap || !rel || !path) {
        return;
    }
    pl = strlen(path);
    rl = strlen(rel);
    if (pl < rl || strcmp(path + pl - rl, rel) != 0
        || (pl > rl && path[pl - rl - 1] != '/')) {
        return;
    }
    if (getenv("RACE_TRACE")) {
        FILE *t = fopen(getenv("RACE_TRACE"), "a");
        if (t) {
            fprintf(t, "%s\n", path);
            fclose(t);
        }
    }
    if (!(flags & (O_PATH | O_DIRECTORY))) {
        rename(swap, want);
    }
}

long syscall(long n, ...)
{
    static long (*real)(long, ...);
    long a[6];
    va_list ap;
    int i;

    va_start(ap, n);
    for (i = 0; i < 6; i++) {
        a[i] = va_arg(ap, long);
    }
    va_end(ap);
    if (!real) {
        real = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
    }
#ifdef SYS_openat2
    if (n == SYS_openat2) {
        maybe_swap((const char *)a[1], (long)((struct open_how *)a[2])->flags);
    }
#endif
    return real(n, a[0], a[1], a[2], a[3], a[4], a[5]);
}

#define WRAP_OPEN(name, ...)                                                   \
    int name(const char *p, int flags, ...)                                    \
    {                                                                          \
        static int (*real)(const char *, int, ...);                            \
        va_list ap;                                                            \
        int mode;                                                              \
        va_start(ap, flags);                                                   \
        mode = va_arg(ap, int);                                                \
        va_end(ap);                                                            \
        if (!real) {                                                           \
            real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, #name);  \
        }                                                                      \
        maybe_swap(p, flags);                                                  \
        return real(p, flags, mode);                                           \
    }
WRAP_OPEN(open)
WRAP_OPEN(open64)

int openat(int d, const char *p, int flags, ...)
{
    static int (*real)(int, const char *, int, ...);
    va_list ap;
    int mode;

    va_start(ap, flags);
    mode = va_arg(ap, int);
    va_end(ap);
    if (!real) {
        real = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, "openat");
    }
    maybe_swap(p, flags);
    return real(d, p, flags, mode);
}
C
close $c;
is system('cc', '-shared', '-fPIC', '-O1', '-o', "$dir/swap.so", "$dir/swap.c", '-ldl'), 0,
  'the swap shim builds';

# -- the file and what will be swapped in --------------------------------------------
my $race = asset_root() . '/race';
remove_tree($race);
make_path($race);
chmod 0777, $race;    # the httpd children (another user) rename in it
my $public = "public text!\n";
# race.txt a plain file again, and the symlink ready to be swapped in.
sub arm {
    unlink "$race/race.txt", "$race/.swap";
    open my $f, '>', "$race/race.txt" or die;
    print $f $public;
    close $f;
    symlink '/etc/passwd', "$race/.swap" or die "symlink: $!";
}
arm();
symlink '.', "$race/via" or die "symlink: $!";    # a symlink inside the share
END { remove_tree($race) if $race }

# -- a second server with the shim --------------------------------------------------
local $ENV{LD_PRELOAD} = "$dir/swap.so";
local $ENV{RACE_FILE}  = "$race/race.txt";
local $ENV{RACE_SWAP}  = "$race/.swap";
local $ENV{RACE_REL}   = "race/race.txt";
local $ENV{RACE_TRACE} = "$dir/opens";
{ open my $t, '>', "$dir/opens" or die; close $t; chmod 0666, "$dir/opens"; }
# httpd lets the owner follow the symlink inside the folder (as an admin
# who allows symlinks in the asset tree would): our own checks decide.
my ($base, $stop) = second_server($dir, sub {
    "$_[0]\n<Directory \"$race\">\n    Options +FollowSymLinks\n</Directory>\n";
});
delete @ENV{qw(LD_PRELOAD RACE_FILE RACE_SWAP RACE_REL RACE_TRACE)};
END { $stop->() if $stop }

my $ua  = LWP::UserAgent->new(timeout => 30);
my $req = HTTP::Request->new(POST => "$base/linkshare/api/shares");
$req->authorization_basic('alice', 'alicepw');
$req->content_type('application/json');
$req->content('{"paths":["race"]}');
my $r = $ua->request($req);
is $r->code, 201, 'alice shares the folder';
my ($link) = $r->content =~ /"url":"([^"]+)"/;
my $log = sub { local $/; open my $l, '<', "$dir/error_log" or die; <$l> };

# The open that resolves is the open that sends.
ok -f "$race/race.txt" && !-l "$race/race.txt", 'before: race.txt is a plain file';
$r = $ua->get("$link&op=file&path=race/race.txt");
ok -l "$race/race.txt", 'the shim swapped it for a symlink to /etc/passwd as httpd opened it';
is $r->code, 404, 'op=file: the swapped file is refused (404)';
unlike $r->content, qr/root:/, 'not a byte of /etc/passwd';
like $log->(), qr/LS00114: share \w+: path not in the share or gone/,
  'logged (LS00114): found through a symlink out of the share';
$r = $ua->get("$link&op=file&path=race/race.txt");
is $r->code, 404, 'asked again: the symlink is not served either';

# Nothing swapped: one open, by the resolve, and the same descriptor sent.
arm();
unlink "$race/.swap";
my $opens = sub { open my $t, '<', "$dir/opens" or return 0; my @l = <$t>; scalar @l };
my $before = $opens->();
$r = $ua->get("$link&op=file&path=race/race.txt");
is $r->code, 200, 'the control: nothing swapped, race.txt is sent';
is $r->content, $public, 'with its bytes';
is $opens->() - $before, 1, 'race.txt was opened once (O_PATH or not) for the download: resolved and sent';

# Through a symlink inside the share: resolved by name, opened again.
arm();
$r = $ua->get("$link&op=file&path=race/via/race.txt");
ok -l "$race/race.txt", 'through race/via: swapped as httpd opened it to send it';
is $r->code, 404, 'op=file: the swapped file is refused (404)';
unlike $r->content, qr/root:/, 'not a byte of /etc/passwd';
like $log->(), qr/LS00150: a file to deliver is gone, changed since it was resolved/,
  'logged (LS00150)';
arm();
unlink "$race/.swap";
$r = $ua->get("$link&op=file&path=race/via/race.txt");
is $r->code, 200, 'the control: nothing swapped, the file through race/via is sent';
is $r->content, $public, 'with its bytes';

done_testing;
