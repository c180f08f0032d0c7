# The share mail as a recipient sees it: who shared it by their display
# name when the site's authentication gives one (LinkShareDisplayNameVar,
# here a variable SetEnv sets as mod_authnz_ldap sets AUTHENTICATE_CN),
# else the user name; the share's name in the subject and the headline;
# a big "Open the shared files" button that is the share's link; the
# plain-text part beside it; everything the sharer or the directory typed
# escaped. Runs a private httpd configured for mail beside the test server.
use strict;
use warnings;
use utf8;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use LSMail;

plan skip_all => 'needs /usr/bin/python3 for the SMTP sink'
  unless -x '/usr/bin/python3';

my $sink = sink_start();
my $cn = 'Renée "R" <Martin> & Co';
(my $cn_conf = $cn) =~ s/"/\\"/g;
my $conf = <<"CONF";
LinkShareSMTPServer     127.0.0.1:$sink->{port}
LinkShareSMTPStartTLS   off
LinkShareMailFrom       linkshare\@example.com
LinkShareOrgDomain      example.com
LinkShareDisplayNameVar LS_TEST_CN
<Location /linkshare/api>
    <If "-n %{HTTP:X-Test-CN}">
        SetEnv LS_TEST_CN "$cn_conf"
    </If>
</Location>
CONF
utf8::encode($conf);
my ($h, $out) = mail_httpd_start($conf);
ok $h, 'httpd with LinkShareDisplayNameVar starts' or BAIL_OUT("no mail httpd: $out");
my $api = "$h->{url}/linkshare/api/shares";

sub create {
    my ($body, @headers) = @_;
    my $r = req(POST => $api, user => 'alice', pass => 'alicepw', json => $body,
        headers => \@headers);
    return ($r, decode_json_body($r));
}
sub to { my ($addr) = @_; grep { ($_->{rcpt} // '') eq $addr } sink_messages($sink) }

# -- the display name, the share's name, the button ----------------------------
my ($res, $j) = create({ paths => ['photos/2026/cat.jpg', 'press kit/'],
    name => 'Q3 <final> report', recipients => ['bob@example.com'],
    message => "Hi <b>Bob</b>\nsee you" }, 'X-Test-CN' => 1);
is $res->code, 201, 'a named share sent by mail: 201';
ok wait_until(15, sub { to('bob@example.com') }), 'the mail arrives';
my ($m) = to('bob@example.com');
is $m->{from}, "$cn via LinkShare <linkshare\@example.com>",
  'From: the display name from LinkShareDisplayNameVar (RFC 2047 words)';
like $m->{h}{from}, qr/^=\?UTF-8\?B\?[^\s<>"]+\?=(?: =\?UTF-8\?B\?[^\s<>"]+\?=)* <linkshare\@example\.com>$/,
  '... sent encoded, nothing of it loose in the header';
is $m->{subject}, qq{$cn shared "Q3 <final> report" with you},
  'subject: the display name and the share\'s name';
like $m->{html}, qr/Ren\x{e9}e &quot;R&quot; &lt;Martin&gt; &amp; Co shared &quot;Q3 &lt;final&gt; report&quot; with you/,
  'html headline: both, escaped';
unlike $m->{html}, qr/<Martin>|<final>|<b>Bob/, '... never as markup';
like $m->{html}, qr/Hi &lt;b&gt;Bob&lt;\/b&gt;/, '... the message escaped';
my ($button) = $m->{html} =~ m{<a href="([^"]+)"[^>]*>Open the shared files</a>};
ok $button, 'html: an "Open the shared files" button';
(my $href = $button // '') =~ s/&amp;/&/g;
is token_from_url($href), token_from_url($j->{url}), '... that is the share\'s link';
is req(GET => url_path($href))->code, 200, '... and opens the share';
like $m->{html}, qr/<table role="presentation"/, 'html: table layout';
unlike $m->{html}, qr/<style|class=|<script/i, '... inline styles only, no script';
like $m->{html}, qr/FOLDER<\/span> press kit/, '... items with their kind';
like $m->{text}, qr/^\Q$cn\E shared "Q3 <final> report" with you/m,
  'text part: who and what, as written';
like $m->{text}, qr/Open the shared files:\n\Q$j->{url}\E\n/, 'text part: the link';
like $m->{text}, qr/works until \w+day \d+ \w+ \d{4}, \d\d:\d\d UTC/, 'text part: until when';
is sql_value("SELECT sender FROM ls_share_mail WHERE share_id = " . sql_quote($j->{id})),
  do { my $s = $cn; utf8::encode($s); $s }, 'the display name is kept with the share\'s mail';

# -- no variable set: the user name --------------------------------------------
($res, $j) = create({ paths => ['readme.txt'], recipients => ['carol@example.com'] });
is $res->code, 201, 'a share without the variable set';
ok wait_until(15, sub { to('carol@example.com') }), 'the mail arrives';
($m) = to('carol@example.com');
is $m->{from}, '"alice via LinkShare" <linkshare@example.com>', 'From: the user name';
is $m->{subject}, 'alice shared "readme.txt" with you', 'subject: the user name and the item';
like $m->{text}, qr/^alice shared this with you:/m, 'text: the user name';
unlike error_log() . do { open my $f, '<', $h->{log}; local $/; <$f> },
  qr/\Q@{[token_from_url($j->{url})]}\E/, 'no log holds the token';
mail_httpd_stop($h);

# -- the directive is checked at startup ----------------------------------------
my ($bad, $why) = mail_httpd_start("LinkShareDisplayNameVar 'CN\$x'\n");
ok !$bad, 'a variable name with a "$" stops httpd';
like $why, qr/LinkShareDisplayNameVar: 'CN\$x' is not a variable name/,
  '... naming the directive and the value';
sink_stop($sink);
done_testing();
