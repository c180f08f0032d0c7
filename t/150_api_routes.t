# The sharer API routes on the path below its own <Location>, not on the
# last segments of whatever URI arrives: an unknown route is 404 before
# anything is written, and no response header is built from request text
# (POST /linkshare/api/x%0d%0aSet-Cookie:%20pwn=1/shares used to create a
# share, then answer 500 building its Location header from the URI).
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;

my $count = sub { sql_value("SELECT COUNT(*) FROM ls_share WHERE owner = 'bob'") };
my $colls = sub { sql_value("SELECT COUNT(*) FROM ls_collection WHERE owner = 'bob'") };
my $share = { paths => ['readme.txt'] };
my $coll  = { name => 'routes', paths => ['readme.txt'] };

my ($before, $cbefore) = ($count->(), $colls->());
my $m = log_mark();
for my $case (
    [POST => '/linkshare/api/x%0d%0aSet-Cookie:%20pwn=1/shares', $share],
    [POST => '/linkshare/api/anything/shares',                    $share],
    [POST => '/linkshare/api/assets/shares',                      $share],
    [POST => '/linkshare/api/x%0d%0aSet-Cookie:%20pwn=1/collections', $coll],
    [POST => '/linkshare/api/shares/0123456789abcdef/collections', $coll],
    [GET  => '/linkshare/api'],
    [GET  => '/linkshare/api/'],
    [GET  => '/linkshare/api/sharesX'],
    [GET  => '/linkshare/api/shares/0123456789abcdef/resend/again'],
    [POST => '/linkshare/api/collections/0123456789abcdef/resend', { email => 'a@b.c' }],
    [GET  => '/linkshare/api/x/settings'],
    [GET  => '/linkshare/api/x%0d%0a/assets'],
  ) {
    my ($method, $url, $body) = @$case;
    my $res = req($method => $url, user => 'bob', pass => 'bobpw',
        $body ? (json => $body) : ());
    is $res->code, 404, "$method $url: 404";
    like decode_json_body($res)->{error} // '', qr/^No such API resource/, '... in JSON, in words';
    ok !defined $res->header('Set-Cookie'), '... no header from the request';
    ok !defined $res->header('Location'), '... no Location';
}
is $count->(), $before, 'no share was created';
is $colls->(), $cbefore, 'no collection was created';
like log_since($m, 'error_log', qr/LS00220/),
  qr/LS00220: no such API resource: \/linkshare\/api\/x\\r\\nSet-Cookie: pwn=1\/shares/,
  'LS00220, with the control characters escaped';

# The real routes, with and without a trailing slash: Location is the
# API's own path and the new id.
for my $url ('/linkshare/api/shares', '/linkshare/api/shares/') {
    my $res = req(POST => $url, user => 'bob', pass => 'bobpw', json => $share);
    is $res->code, 201, "POST $url: 201";
    my $id = decode_json_body($res)->{id};
    is $res->header('Location'), "/linkshare/api/shares/$id", '... Location: the API path and the id';
    is req(GET => $res->header('Location'), user => 'bob', pass => 'bobpw')->code, 200,
      '... which answers';
}
my $res = req(POST => '/linkshare/api/collections', user => 'bob', pass => 'bobpw', json => $coll);
is $res->code, 201, 'POST /linkshare/api/collections: 201';
my $cid = decode_json_body($res)->{id};
is $res->header('Location'), "/linkshare/api/collections/$cid", '... Location: the API path and the id';
is req(GET => "/linkshare/api/collections/$cid", user => 'bob', pass => 'bobpw')->code, 200,
  '... which answers';
for my $url ('/linkshare/api/settings', '/linkshare/api/assets?path=', '/linkshare/api/recipients?q=a',
    '/linkshare/api/shares', '/linkshare/api/collections/') {
    is req(GET => $url, user => 'bob', pass => 'bobpw')->code, 200, "GET $url: 200";
}
done_testing();
