# The database goes away while httpd runs: recipients and sharers get a
# clear 503 instead of a crash, and everything works again once it is back.
# Needs the throw-away PostgreSQL of scripts/integration-tests.sh.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
# Errors this test causes on purpose (the error-log gate checks the rest).
expect_errors(qr/LS00104: store unavailable while checking a share link/,
    qr/LS00200: store failure in the sharer API/);
use Cwd qw(abs_path);

my $dir  = $ENV{LS_PG_DIR};
my $port = $ENV{LS_PG_PORT};
plan skip_all => 'needs the PostgreSQL store (LS_PG_DIR)'
  unless db_driver() eq 'pgsql' && $dir && $port;

my $pgsh = abs_path("$FindBin::Bin/../scripts/pg.sh");
sub pg { system("cd /tmp && bash '$pgsh' @_ >/dev/null 2>&1") == 0 }

my ($res, $j) = create_share('alice', 'alicepw', { paths => ['readme.txt'] });
is $res->code, 201, 'shared while the store is up';
my $link = url_path($j->{url});    # never opened: nothing cached

ok pg('stop', $dir), 'PostgreSQL stopped';
my $m = log_mark();
$res = req(GET => $link);
is $res->code, 503, 'link while the store is down: 503';
like $res->decoded_content, qr/cannot reach its database/, '... a page that says so';
is $res->header('Retry-After'), 60, '... with Retry-After';
like log_since($m, 'error_log', qr/LS00104/), qr/LS00104: store unavailable/,
  '... logged LS00104';
$res = req(GET => '/linkshare/api/shares', user => 'alice', pass => 'alicepw');
is $res->code, 503, 'API while the store is down: 503';
like decode_json_body($res)->{error} // '', qr/not available/, '... JSON error';
like log_since($m, 'error_log', qr/LS00200/), qr/LS00200/, '... logged LS00200';
unlike error_log(), qr/(Segmentation fault|exit signal)/, 'no child crashed';

ok pg('start', $dir, $port), 'PostgreSQL started again';
my $code;
for (1 .. 20) {
    $code = req(GET => $link)->code;
    last if $code == 200;
    select undef, undef, undef, 0.25;
}
is $code, 200, 'the link works again once the store is back';
# Every child and every pooled connection, old or new, must cope: a dead
# pooled connection once crashed a child on its next transaction.
my @codes = map { (create_share('alice', 'alicepw', { paths => ['readme.txt'] }))[0]->code } 1 .. 8;
is_deeply \@codes, [(201) x 8], 'sharing works again in every process';
unlike error_log(), qr/exit signal/, 'no child crashed';
done_testing();
