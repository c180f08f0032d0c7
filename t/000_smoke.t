# The module is loaded and its public handlers answer.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET);

plan tests => 5;

# Asserted, not a skip condition: without the module every test is moot.
ok have_module('linkshare'), 'mod_linkshare is in the modules list';

my $res = GET '/linkexpired.html';
is $res->code, 200, 'expired page renders';
like $res->content_type, qr{^text/html}, 'as HTML';
like $res->decoded_content, qr/expired/i, 'and says the link expired';

is GET('/linkshare.html')->code, 404, 'share page without a token is 404';
