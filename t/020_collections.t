# Collections: a named list of assets that can be shared as one.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
# Errors this test causes on purpose (the error-log gate checks the rest).
expect_errors(qr/AH01631: user (alice|bob): authorization failure for "\/assets\/private\//);

my $res = req(POST => '/linkshare/api/collections', user => 'alice',
    pass => 'alicepw',
    json => { name => "Press \x{2014} 2026", paths => ['press kit', 'readme.txt'] });
is $res->code, 201, 'collection created';
my $c = decode_json_body($res);
is_deeply $c->{paths}, ['press kit', 'readme.txt'], 'paths kept';
is $c->{name}, "Press \x{2014} 2026", 'UTF-8 name kept';

$res = req(GET => '/linkshare/api/collections', user => 'alice', pass => 'alicepw');
ok((grep { $_->{id} eq $c->{id} } @{ decode_json_body($res)->{collections} }),
  'listed for alice');
$res = req(GET => '/linkshare/api/collections', user => 'bob', pass => 'bobpw');
ok(!(grep { $_->{id} eq $c->{id} } @{ decode_json_body($res)->{collections} }),
  'not for bob');

my ($r2, $s) = create_share('alice', 'alicepw', { collection => $c->{id} });
is $r2->code, 201, 'share a collection';
is_deeply [map { $_->{path} } @{ $s->{items} }], ['press kit', 'readme.txt'],
  'the share holds the collection items';
($r2) = create_share('bob', 'bobpw', { collection => $c->{id} });
is $r2->code, 400, "bob cannot share alice's collection";

$res = req(POST => '/linkshare/api/collections', user => 'alice',
    pass => 'alicepw', json => { name => 'x', paths => ['private/secret.txt'] });
is $res->code, 403, 'a collection of unreadable assets is refused';
$res = req(POST => '/linkshare/api/collections', user => 'alice',
    pass => 'alicepw', json => { paths => ['readme.txt'] });
is $res->code, 400, 'name is required';
like decode_json_body($res)->{error}, qr/"name"/, '... named';

$res = req(DELETE => "/linkshare/api/collections/$c->{id}", user => 'bob', pass => 'bobpw');
is $res->code, 404, 'bob cannot delete it';
$res = req(DELETE => "/linkshare/api/collections/$c->{id}", user => 'alice', pass => 'alicepw');
is $res->code, 204, 'deleted';
$res = req(GET => "/linkshare/api/collections/$c->{id}", user => 'alice', pass => 'alicepw');
is $res->code, 404, 'gone';
is req(GET => url_path($s->{url}))->code, 200,
  'a share made from it keeps working';
$res = req(GET => '/linkshare/api/collections/../shares', user => 'alice', pass => 'alicepw');
isnt $res->code, 500, 'odd routes never 500';
done_testing();
