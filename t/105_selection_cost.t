# Selections cost what they are worth: 20,000 copies of one path, a
# folder of symlinks to itself and folders nested 70 deep all answer in
# well under a second, with a clear 400 or a selection holding each file
# once; nothing is queued for a refused one.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
# Errors this test causes on purpose (the error-log gate checks the rest).
expect_errors(qr/AH00037: Symbolic link not allowed or link target not accessible: \S*\/assets\/cost\//);
use HTTP::Cookies;
use Time::HiRes qw(time);

LSTest::ua()->cookie_jar(HTTP::Cookies->new);
my $root = asset_root();
my $top  = "$root/cost";

sub spew { open my $f, '>', $_[0] or die "$_[0]: $!"; print $f $_[1]; close $f; chmod 0644, $_[0] }
system('rm', '-rf', $top);
mkdir $top;
mkdir "$top/many";
spew("$top/many/$_.txt", "file $_\n") for 1 .. 3;
mkdir "$top/loop";
spew("$top/loop/a.txt", "a\n");
spew("$top/loop/b.txt", "b\n");
symlink '.', "$top/loop/self$_" or die for 1 .. 8;
mkdir "$top/loop/inner";
symlink '..', "$top/loop/inner/up" or die;
my $d = "$top/deep";
mkdir $d;
for (1 .. 70) { $d .= '/d'; mkdir $d or die "$d: $!" }
spew("$d/bottom.txt", "x\n");
system('chmod', '-R', 'a+rX', $top);
END { system('rm', '-rf', $top) if $top }

my ($res, $j) = create_share('alice', 'alicepw', { paths => ['cost/many', 'cost/loop', 'cost/deep'] });
is $res->code, 201, 'shared three folders';
my $base = url_path($j->{url});
my $jobs = sub { sql_value("SELECT COUNT(*) FROM ls_job WHERE share_id = " . sql_quote($j->{id})) };

sub timed_queue {
    my ($body) = @_;
    my $t0 = time;
    my $r = req(POST => "$base&op=queue", json => $body);
    return ($r, decode_json_body($r), time - $t0);
}

# -- 20,000 paths: refused at once ---------------------------------------------------
my $m = log_mark();
($res, my $body, my $secs) = timed_queue({ paths => [('many') x 20000] });
is $res->code, 400, '20,000 paths: 400';
like $body->{error} // '', qr/more than 1000 items/, '... says the limit';
cmp_ok $secs, '<', 1, sprintf('... in well under a second (%.2f s)', $secs);
like log_since($m, 'error_log', qr/LS00341/), qr/LS00341: The selection names more than 1000/,
  '... logged LS00341';
is $jobs->(), 0, '... and nothing queued';

# -- 1,000 copies of one folder: one selection -----------------------------------------
($res, $body, $secs) = timed_queue({ paths => [('many') x 999, 'many/1.txt'] });
is $res->code, 202, '1,000 paths naming one folder: queued';
is $body->{files_total}, 3, '... its three files, each once';
cmp_ok $secs, '<', 1, sprintf('... in well under a second (%.2f s)', $secs);

# -- a folder of symlinks to itself ------------------------------------------------------
($res, $body, $secs) = timed_queue({ paths => ['loop'] });
is $res->code, 202, 'a folder of symlinks to itself: queued';
is $body->{files_total}, 2, '... each file once';
cmp_ok $secs, '<', 1, sprintf('... in well under a second (%.2f s)', $secs);

# -- folders nested 70 deep ---------------------------------------------------------------
$m = log_mark();
my $before = $jobs->();
($res, $body, $secs) = timed_queue({ paths => ['deep'] });
is $res->code, 400, 'folders nested 70 deep: 400';
like $body->{error} // '', qr/nested more than 64 deep/, '... says why';
cmp_ok $secs, '<', 1, sprintf('... at once (%.2f s)', $secs);
like log_since($m, 'error_log', qr/LS00341/), qr/LS00341/, '... logged LS00341';
is $jobs->(), $before, '... and nothing queued';

# -- the same by form ------------------------------------------------------------------------
my $t0 = time;
$res = req(POST => "$base&op=queue", content => join('&', ('path=many') x 1001),
    headers => ['Content-Type' => 'application/x-www-form-urlencoded']);
is $res->code, 400, '1,001 form paths: 400';
cmp_ok time - $t0, '<', 1, '... at once';
done_testing();
