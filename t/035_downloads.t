# Completed downloads are counted (write-behind, flushed when a child
# exits): ranges, HEADs and 304s are not downloads.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;

my ($res, $j) = create_share('alice', 'alicepw', { paths => ['photos/2026/cat.jpg'] });
is $res->code, 201, 'shared';
my $f = url_path($j->{url}) . '&op=file&path=cat.jpg';
my $etag;
for (1 .. 3) {
    $res = req(GET => $f);
    is $res->code, 200, "full download $_";
    $etag = $res->header('ETag');
}
is req(GET => $f, headers => [Range => 'bytes=0-3'])->code, 206, 'a range';
is req(GET => $f, headers => ['If-None-Match' => $etag])->code, 304, 'a 304';
is req(HEAD => $f)->code, 200, 'a HEAD';
is req(GET => url_path($j->{url}))->code, 200, 'the page itself';

# A graceful restart makes every child exit, writing its pending counts.
my $pidfile = var('t_logs') . '/httpd.pid';
open my $p, '<', $pidfile or die "no pid file: $!";
chomp(my $pid = <$p>);
ok kill('USR1', $pid), 'graceful restart';
my $n;
for (1 .. 40) {
    select undef, undef, undef, 0.25;
    $res = req(GET => "/linkshare/api/shares/$j->{id}", user => 'alice', pass => 'alicepw');
    next unless $res->code == 200;
    $n = decode_json_body($res)->{downloads};
    last if $n == 3;
}
is $n, 3, 'three downloads counted';
done_testing();
