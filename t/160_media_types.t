# Request bodies are read by their exact media type: application/jsonp or
# application/json-seq are not JSON (the check was a prefix match), and a
# longer type is not a form. The wrong type answers 415 with a sentence
# and changes nothing; parameters and spacing around them are fine.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use JSON::PP ();

my $body = JSON::PP->new->encode({ paths => ['readme.txt'] });
my $shares = sub { sql_value("SELECT COUNT(*) FROM ls_share WHERE owner = 'bob'") };

# ---- the sharer API ---------------------------------------------------------

my $before = $shares->();
my $m = log_mark();
for my $ct ('application/jsonp', 'application/json-seq', 'application/json2',
    'text/json', 'application/json x', 'application/json; charset') {
    my $res = req(POST => '/linkshare/api/shares', user => 'bob', pass => 'bobpw',
        content => $body, headers => ['Content-Type' => $ct]);
    is $res->code, 415, "API, Content-Type '$ct': 415";
    like decode_json_body($res)->{error}, qr/Content-Type: application\/json/,
      '... saying what to send';
}
is $shares->(), $before, 'no share was created';
like log_since($m, 'error_log', qr/LS00203/),
  qr/LS00203: request body is not JSON \(Content-Type application\/jsonp\)/,
  'logged as LS00203 with the type';

my $id;
for my $ct ('Application/JSON; charset=utf-8', 'application/json ; charset="utf-8"',
    "application/json;\tcharset=UTF-8") {
    my $res = req(POST => '/linkshare/api/shares', user => 'bob', pass => 'bobpw',
        content => $body, headers => ['Content-Type' => $ct]);
    is $res->code, 201, "API, Content-Type '$ct': 201";
    $id //= decode_json_body($res)->{id};
}
my $res = req(PATCH => "/linkshare/api/shares/$id", user => 'bob', pass => 'bobpw',
    content => '{"expires":"2d"}', headers => ['Content-Type' => 'application/jsonp']);
is $res->code, 415, 'PATCH with application/jsonp: 415';

# ---- queueing a download -------------------------------------------------------

my ($r, $j) = create_share('alice', 'alicepw', { paths => ['readme.txt'] });
my $tok = token_from_url($j->{url});
my $q = "/linkshare.html?sh=$tok&op=queue";
my $jobs = sub { sql_value("SELECT COUNT(*) FROM ls_job WHERE share_id = '$j->{id}'") };

$m = log_mark();
for my $case (['application/jsonp', '{"paths":["readme.txt"]}'],
    ['application/json-seq', '{"paths":["readme.txt"]}'],
    ['application/x-www-form-urlencodedX', 'path=readme.txt'],
    ['text/plain', ''],
    ['application/x-www-form-urlencoded, text/html', 'path=readme.txt']) {
    $res = req(POST => $q, content => $case->[1], headers => ['Content-Type' => $case->[0]]);
    is $res->code, 415, "queue, Content-Type '$case->[0]': 415";
    like decode_json_body($res)->{error}, qr/Send the selection as a form .* or as JSON/,
      '... saying what to send';
}
is $jobs->(), 0, 'no job was queued';
like log_since($m, 'error_log', qr/LS00320/), qr/LS00320: Send the selection as a form/,
  'logged as LS00320';

$res = req(POST => $q, content => '{"paths":["readme.txt"]}',
    headers => ['Content-Type' => 'application/json; charset=UTF-8']);
is $res->code, 202, 'queue, application/json with a charset: 202';
$res = req(POST => $q, content => 'path=readme.txt',
    headers => ['Content-Type' => 'Application/X-WWW-Form-Urlencoded ; charset=UTF-8']);
is $res->code, 202, 'queue, a form type in capitals with a charset: 202';
$res = req(POST => $q, content => '');
is $res->code, 202, 'queue, no body and no type (the whole share): 202';
done_testing();
