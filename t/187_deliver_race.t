# op=file opens exactly the file it resolved: a file swapped for a
# symlink (to /etc/passwd) between the check and the open is refused, not
# followed. The swap is made deterministic, not left to luck: a small
# LD_PRELOAD shim in a second httpd renames the symlink over the file at
# the very moment httpd opens that file to send it (whichever call does
# it: openat2, open, openat).
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

/* The first time this process opens RACE_FILE for reading, RACE_SWAP
 * (a symlink) is renamed over it first. */
static void maybe_swap(const char *path, long flags)
{
    static int done;
    const char *want = getenv("RACE_FILE"), *swap = getenv("RACE_SWAP");
    const char *b, *pb;

    if (done || !want || !swap || !path || (flags & (O_PATH | O_DIRECTORY))) {
        return;
    }
    b = strrchr(want, '/');
    pb = strrchr(path, '/');
    if (strcmp(b ? b + 1 : want, pb ? pb + 1 : path) != 0) {
        return;
    }
    done = 1;
    rename(swap, want);
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
open my $f, '>', "$race/race.txt" or die;
print $f $public;
close $f;
symlink '/etc/passwd', "$race/.swap" or die "symlink: $!";
END { remove_tree($race) if $race }

# -- a second server with the shim --------------------------------------------------
local $ENV{LD_PRELOAD} = "$dir/swap.so";
local $ENV{RACE_FILE}  = "$race/race.txt";
local $ENV{RACE_SWAP}  = "$race/.swap";
my ($base, $stop) = second_server($dir);
delete @ENV{qw(LD_PRELOAD RACE_FILE RACE_SWAP)};
END { $stop->() if $stop }

my $ua  = LWP::UserAgent->new(timeout => 30);
my $req = HTTP::Request->new(POST => "$base/linkshare/api/shares");
$req->authorization_basic('alice', 'alicepw');
$req->content_type('application/json');
$req->content('{"paths":["race"]}');
my $r = $ua->request($req);
is $r->code, 201, 'alice shares the folder';
my ($link) = $r->content =~ /"url":"([^"]+)"/;

ok -f "$race/race.txt" && !-l "$race/race.txt", 'before: race.txt is a plain file';
$r = $ua->get("$link&op=file&path=race/race.txt");
ok -l "$race/race.txt", 'the shim swapped it for a symlink to /etc/passwd as httpd opened it';
is $r->code, 404, 'op=file: the swapped file is refused (404)';
unlike $r->content, qr/root:/, 'not a byte of /etc/passwd';
my $log = do { local $/; open my $l, '<', "$dir/error_log" or die; <$l> };
like $log, qr/LS00150: a file to deliver is gone, changed since it was resolved/,
  'logged (LS00150)';
$r = $ua->get("$link&op=file&path=race/race.txt");
is $r->code, 404, 'asked again: the symlink is not served either';

done_testing;
