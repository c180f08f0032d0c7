# The test site itself, independent of the module: the sample assets, the
# Basic-auth setup, the access log format and the SQL helper all work, so a
# failure elsewhere points at the module, not at the harness.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";
use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET);
use LSTest;
# Errors this test causes on purpose (the error-log gate checks the rest).
expect_errors(qr/AH01617: user alice: authentication failure for "\/assets\/readme\.txt"/,
    qr/AH01631: user bob: authorization failure for "\/assets\/private\//,
    qr/AH00037: Symbolic link not allowed or link target not accessible: \S*\/assets\/escape/);

plan tests => 12;

ok -f asset_root() . '/photos/2026/cat.jpg', 'assets generated';
ok -f rendition_root() . '/photos/2026/cat.jpg/thumbnail.png', 'renditions generated';
is readlink(asset_root() . '/escape'), '/etc', 'escape symlink in place';

is GET('/assets/readme.txt')->code, 401, 'assets need a login';
my $res = GET_as('alice', 'alicepw', '/assets/readme.txt');
is $res->code, 200, 'alice reads an asset';
is GET_as('alice', 'wrong', '/assets/readme.txt')->code, 401, 'bad password refused';
# httpd answers an authorization failure with 401, not 403, unless
# AuthzSendForbiddenOnFailure is on.
is GET_as('bob', 'bobpw', '/assets/private/secret.txt')->code, 401, 'private/ is admin only';
is GET_as('admin', 'adminpw', '/assets/private/secret.txt')->code, 200, 'admin reads private/';
is GET_as('admin', 'adminpw', '/assets/escape/passwd')->code, 403,
  'httpd does not follow the escape symlink';
is GET_as('alice', 'alicepw', '/assets/caf%C3%A9%20menu.txt')->code, 200,
  'non-ASCII asset name served';

my $m = log_mark();
GET('/linkexpired.html?probe=42');
like log_since($m, 'access_log', qr/probe=42/), qr/GET \/linkexpired\.html\?probe=42 .*q="\?probe=42"/,
  'access log records request line and query';

is sql_value('SELECT 1+1'), 2, 'sql() reaches the ' . db_driver() . ' store';
