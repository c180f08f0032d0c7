# Protected links (#10): alice gives a link a password and a download
# limit. A recipient without the password gets a password form (401, no
# Basic challenge) for every operation, naming nothing of the share; the
# right password unlocks this browser with a signed cookie bound to the
# link; wrong ones count toward LinkShareGuessLimit. A new password ends
# earlier unlocks. The limit stops a sequential client exactly at N (410,
# "exhausted"); a Range request is not a download. The admin policy
# (LinkShareAllowOriginals, LinkShareOriginalsChoice,
# LinkShareRequirePassword) on a second server. The password is never
# returned or logged.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use File::Temp qw(tempdir);
use LWP::UserAgent;
use HTTP::Request;

my $PW  = 'correct horse battery';
my $PW2 = 'another-secret-9';

sub show {
    my ($id) = @_;
    my $res = req(GET => "/linkshare/api/shares/$id", user => 'alice',
        pass => 'alicepw');
    return decode_json_body($res);
}

sub patch {
    my ($id, $body) = @_;
    my $res = req(PATCH => "/linkshare/api/shares/$id", user => 'alice',
        pass => 'alicepw', json => $body);
    return ($res, decode_json_body($res));
}

sub unlock {
    my ($page, $pw) = @_;
    return req(POST => "$page&op=unlock", content => "password=$pw",
        headers => ['Content-Type' => 'application/x-www-form-urlencoded']);
}

my $m = log_mark();

# -- the API ------------------------------------------------------------------------
my ($res, $j) = create_share('alice', 'alicepw',
    { paths => ['readme.txt'], password => 'short12' });
is $res->code, 400, 'a 7-character password: 400';
is $j->{error}, 'Field "password" must have 8 to 256 characters.', '... a sentence naming the field';
like log_since($m, 'error_log', qr/LS00201/), qr/LS00201: sharer API request refused: Field "password"/,
  '... logged (LS00201)';
($res, $j) = create_share('alice', 'alicepw',
    { paths => ['readme.txt'], max_downloads => 0 });
is $res->code, 400, 'max_downloads 0: 400';
like $j->{error}, qr/"max_downloads" must be a whole number from 1 to 1000000/, '... says the range';

($res, $j) = create_share('alice', 'alicepw',
    { paths => ['readme.txt'], password => $PW, max_downloads => 2, name => 'Secret report' });
is $res->code, 201, 'a share with a password and a limit of 2: 201';
ok !exists $j->{password}, '... the password is not returned';
is $j->{password_protected}, JSON::PP::true(), '... password_protected true';
is $j->{max_downloads}, 2, '... max_downloads 2';
is $j->{state}, 'active', '... active';
my $id   = $j->{id};
my $page = url_path($j->{url});
like sql_value("SELECT password_hash FROM ls_share WHERE id = '$id'"),
  qr/^scrypt\$ln=15,r=8,p=1\$[0-9a-f]{32}\$[0-9a-f]{64}$/, 'the store holds an scrypt string';
my $listed = (grep { $_->{id} eq $id } @{ decode_json_body(
    req(GET => '/linkshare/api/shares', user => 'alice', pass => 'alicepw'))->{shares} })[0];
is $listed->{password_protected}, JSON::PP::true(), 'the list says password_protected too';

# -- locked -------------------------------------------------------------------------
$res = req(GET => $page);
is $res->code, 401, 'the link without the password: 401';
ok !defined $res->header('WWW-Authenticate'), '... without a Basic challenge';
my $html = $res->decoded_content;
like $html, qr{<form class="unlock-form" method="post" action="[^"]*op=unlock">}, '... a password form posting op=unlock';
like $html, qr{<input id="ls-password" name="password" type="password"}, '... a labelled password field';
unlike $html, qr/readme|alice|Secret report/, '... naming no item, owner or share name';
is $res->header('Cache-Control'), 'no-store', '... not stored';
like $res->header('Content-Security-Policy'), qr/form-action 'self'/, '... under the page CSP';
like log_since($m, 'error_log', qr/LS00170/), qr/LS00170: share $id is protected/, '... logged (LS00170)';

for my $op ('&op=file&path=readme.txt', '&op=thumb&path=readme.txt',
    '&op=view&path=readme.txt', '&path=readme.txt', '&op=part&job=0123456789abcdef&n=1') {
    $res = req(GET => "$page$op");
    is $res->code, 401, "locked: GET $op is 401";
    # The form's action may carry the path this request asked for (to come
    # back to it): the recipient's own words, not the share's.
    (my $body = $res->content) =~ s/ action="[^"]*"//;
    unlike $body, qr/readme/, '... and names nothing';
}
(my $preview = $page) =~ s{/linkshare\.html}{/linksharepreview.html};
$res = req(GET => "$preview&path=readme.txt");
is $res->code, 401, 'locked: the preview page is 401';
$res = req(GET => "$page&op=inbox");
is $res->code, 401, 'locked: op=inbox is 401';
like decode_json_body($res)->{error}, qr/protected by a password/, '... {"error"} for the script';
$res = req(POST => "$page&op=queue", json => { paths => [] });
is $res->code, 401, 'locked: op=queue is 401';
is sql_value("SELECT COUNT(*) FROM ls_job WHERE share_id = '$id'"), 0, '... and queued nothing';

# -- at most two password checks at once per process -----------------------------------
# Ten wrong passwords at once over the test server's two processes: one
# process gets at least five, and each check (scrypt, 32 MiB) outlasts the
# time it takes to send them, so some find two checks running: 503.
{
    my @k;
    for my $n (1 .. 10) {
        pipe my $rd, my $wr or die $!;
        my $pid = fork // die $!;
        if (!$pid) {
            close $rd;
            my $ua2 = LWP::UserAgent->new(timeout => 30);
            my $r = $ua2->post(base_url() . "$page&op=unlock", { password => "wrong-guess-$n" });
            print $wr $r->code, ' ', $r->header('Retry-After') // '-';
            close $wr;
            require POSIX;
            POSIX::_exit(0);
        }
        close $wr;
        push @k, [$pid, $rd];
    }
    my %got;
    for (@k) {
        my ($pid, $rd) = @$_;
        my $line = <$rd> // 'none';
        waitpid $pid, 0;
        $got{$line}++;
    }
    my @other = grep { !/^(401 -|503 1)$/ } keys %got;
    is_deeply \@other, [], 'ten checks at once: each 401 (wrong) or 503 with Retry-After: 1';
    ok $got{'503 1'}, "... some 503 (got " . join(', ', map {"$_ x$got{$_}"} sort keys %got) . ')';
    like log_since($m, 'error_log', qr/LS00173/), qr/LS00173: share $id: 2 password checks already running/,
      '... logged (LS00173)';
}

# -- unlocking -----------------------------------------------------------------------
$res = unlock($page, 'wrong-password');
is $res->code, 401, 'a wrong password: 401';
like $res->decoded_content, qr{<p id="ls-password-error" class="error" role="alert">That password is not right\.},
  '... the form again with a sentence';
like $res->decoded_content, qr/aria-invalid="true"/, '... the field marked invalid';
ok !defined $res->header('Set-Cookie'), '... no cookie';
like log_since($m, 'error_log', qr/LS00171/), qr/LS00171: share $id: wrong password/, '... logged (LS00171)';
$res = unlock($page, '');
is $res->code, 400, 'an empty password: 400';
like $res->decoded_content, qr/Enter the password/, '... says what to do';
like log_since($m, 'error_log', qr/LS00175/), qr/LS00175/, '... logged (LS00175)';

$res = req(GET => "$page&op=unlock");
is $res->code, 303, 'a GET of the form\'s URL: 303 to the page';
like $res->header('Location') // '', qr{/linkshare\.html\?sh=[A-Za-z0-9_-]{43}$}, '... its Location';
ok !defined $res->header('Set-Cookie'), '... unlocking nothing';
$res = unlock($page, 'correct+horse+battery');
is $res->code, 303, 'the right password: 303';
like $res->header('Location'), qr{/linkshare\.html\?sh=[A-Za-z0-9_-]{43}$}, '... back to the page';
my $sc = $res->header('Set-Cookie') // '';
like $sc, qr/^lsu_$id=$id\.0\.\d+\.[0-9a-f]{64}; Path=\/; Max-Age=86(?:39\d|400); HttpOnly; SameSite=Lax$/,
  '... an HttpOnly, SameSite=Lax cookie for this share, until the link ends (no Secure over http)';
like log_since($m, 'error_log', qr/LS00172/), qr/LS00172: share $id unlocked/, '... logged (LS00172)';
my ($cookie) = $sc =~ /^([^;]+)/;

$res = req(GET => $page, headers => [Cookie => "lsb=x; $cookie"]);
is $res->code, 200, 'with the cookie: the page (200)';
like $res->decoded_content, qr/readme\.txt/, '... with its files';
$res = req(GET => "$preview&path=readme.txt", headers => [Cookie => $cookie]);
is $res->code, 200, '... and the preview';
(my $bad = $cookie) =~ s/(.)$/$1 eq 'a' ? 'b' : 'a'/e;
is req(GET => $page, headers => [Cookie => $bad])->code, 401, 'an altered cookie: 401';
(my $other = $cookie) =~ s/^lsu_$id=/lsu_0123456789abcdef=/;
is req(GET => $page, headers => [Cookie => $other])->code, 401, 'a cookie under another name: 401';

# -- back where the password was asked for -------------------------------------------
# A recipient who opened a folder of the page, or a file's preview, lands
# there again after the password, also after a wrong one.
my ($r5, $j5) = create_share('alice', 'alicepw',
    { paths => ['press kit', 'readme.txt'], password => $PW });
is $r5->code, 201, 'a protected share of a folder and a file';
my $page5 = url_path($j5->{url});
(my $preview5 = $page5) =~ s{/linkshare\.html}{/linksharepreview.html};
my $form_action = sub {
    my ($html) = @_;
    my ($a) = $html =~ /<form class="unlock-form" method="post" action="([^"]*)"/;
    $a //= '';
    $a =~ s/&amp;/&/g;
    $a =~ s{^https?://[^/]+}{};
    return $a;
};
$res = req(GET => "$page5&path=press%20kit");
is $res->code, 401, 'a folder of the locked page: 401';
my $action = $form_action->($res->decoded_content);
like $action, qr{/linkshare\.html\?sh=[A-Za-z0-9_-]{43}&op=unlock&path=press%20kit$},
  '... the form goes back to the folder';
$res = req(POST => $action, content => "password=$PW",
    headers => ['Content-Type' => 'application/x-www-form-urlencoded']);
is $res->code, 303, '... unlocked: 303';
like $res->header('Location') // '', qr{/linkshare\.html\?sh=[A-Za-z0-9_-]{43}&path=press%20kit$},
  '... to the folder';
$res = req(GET => "$preview5&path=readme.txt");
is $res->code, 401, 'a locked preview: 401';
$action = $form_action->($res->decoded_content);
like $action, qr{&op=unlock&path=readme\.txt&view=preview$}, '... the form goes back to the preview';
$res = req(POST => $action, content => 'password=not-the-one',
    headers => ['Content-Type' => 'application/x-www-form-urlencoded']);
is $res->code, 401, '... a wrong password: the form again';
is $form_action->($res->decoded_content), $action, '... still going back to the preview';
$res = req(POST => $action, content => "password=$PW",
    headers => ['Content-Type' => 'application/x-www-form-urlencoded']);
like $res->header('Location') // '', qr{/linksharepreview\.html\?sh=[A-Za-z0-9_-]{43}&path=readme\.txt$},
  '... unlocked: to the preview';
$res = req(GET => "$page5&op=file&path=readme.txt");
unlike $form_action->($res->decoded_content), qr/path=/, 'a locked download: the form goes back to the page';

# -- the download limit ----------------------------------------------------------------
$res = req(GET => "$page&op=file&path=readme.txt", headers => [Cookie => $cookie, Range => 'bytes=0-3']);
is $res->code, 206, 'a Range request: 206';
is show($id)->{downloads}, 0, '... not a download';
$res = req(GET => "$page&op=file&path=readme.txt", headers => [Cookie => $cookie]);
is $res->code, 200, 'download 1 of 2: 200';
$res = req(GET => "$page&op=file&path=readme.txt", headers => [Cookie => $cookie]);
is $res->code, 200, 'download 2 of 2: 200';
$res = req(GET => "$page&op=file&path=readme.txt", headers => [Cookie => $cookie]);
is $res->code, 410, 'download 3: 410 at once';
like $res->decoded_content, qr/download limit of this link was reached/, '... the page says the limit was reached';
like $res->decoded_content, qr{shared by <strong>alice</strong>}, '... and who shared it (unlocked)';
like log_since($m, 'error_log', qr/LS00174/), qr/LS00174: share $id reached its download limit \(2\)/, '... logged (LS00174)';
$res = req(GET => $page);
is $res->code, 410, 'the page itself: 410 too';
unlike $res->decoded_content, qr/alice/, '... naming nobody without the password';
$j = show($id);
is $j->{state}, 'exhausted', 'the share is "exhausted"';
is $j->{downloads}, 2, '... after exactly 2 downloads';

# -- changes -----------------------------------------------------------------------------
($res, $j) = patch($id, { max_downloads => undef });
is $res->code, 200, 'the limit removed: 200';
ok !defined $j->{max_downloads}, '... max_downloads null';
is $j->{state}, 'active', '... active again';
is req(GET => $page, headers => [Cookie => $cookie])->code, 200, '... and the page works';
($res, $j) = patch($id, { password => $PW2 });
is $res->code, 200, 'a new password: 200';
like log_since($m, 'error_log', qr/LS00262/), qr/LS00262: user alice set a new password on share $id/, '... logged (LS00262)';
is req(GET => $page, headers => [Cookie => $cookie])->code, 401, '... the old unlock ends';
is unlock($page, 'correct+horse+battery')->code, 401, '... the old password is wrong now';
is unlock($page, $PW2)->code, 303, '... the new one opens it';
($res, $j) = patch($id, { password => undef });
is $res->code, 200, 'the password removed: 200';
is $j->{password_protected}, JSON::PP::false(), '... password_protected false';
is req(GET => $page)->code, 200, '... the link opens without one';
is sql_value("SELECT COALESCE(password_hash, 'none') FROM ls_share WHERE id = '$id'"), 'none', '... none stored';
($res, $j) = patch($id, { password => 'x' });
is $res->code, 400, 'a PATCH with a short password: 400';

# -- racing for the last downloads: never past the limit -----------------------------
($res, $j) = create_share('alice', 'alicepw', { paths => ['readme.txt'], max_downloads => 3 });
my ($rid, $rpage) = ($j->{id}, url_path($j->{url}));
is req(HEAD => "$rpage&op=file&path=readme.txt")->code, 200, 'a HEAD of a limited download: 200';
is show($rid)->{downloads}, 0, '... not counted';
my @kids;
for my $n (1 .. 8) {
    pipe my $rd, my $wr or die $!;
    my $pid = fork // die $!;
    if (!$pid) {
        close $rd;
        my $ua2 = LWP::UserAgent->new(timeout => 20);
        print $wr $ua2->get(base_url() . "$rpage&op=file&path=readme.txt")->code;
        close $wr;
        require POSIX;
        POSIX::_exit(0);
    }
    close $wr;
    push @kids, [$pid, $rd];
}
my %codes;
for (@kids) {
    my ($pid, $rd) = @$_;
    my $code = <$rd>;
    waitpid $pid, 0;
    $codes{$code // 'none'}++;
}
is $codes{200}, 3, '8 downloads at once for a limit of 3: three 200s';
is $codes{410}, 5, '... and five 410s';
is show($rid)->{downloads}, 3, '... downloads 3, not more';

my $log = log_since($m, 'error_log');
unlike $log, qr/correct horse|correct\+horse|another-secret/, 'no password in the error log';
unlike access_log(), qr/correct|another-secret/, 'none in the access log';

# -- the admin's policy, on a second server ----------------------------------------------
my $dir = tempdir(CLEANUP => 1);
chmod 0755, $dir;
my ($base, $stop) = second_server($dir, sub {
    my $x = shift;
    $x =~ s/^LinkShareGuessLimit\s.*$/LinkShareGuessLimit 3 1m/m or die 'no guess limit';
    # Links say https (a TLS proxy in front): the unlock cookie is Secure.
    $x =~ s{^LinkSharePublicURL http:}{LinkSharePublicURL https:}m or die 'no public URL';
    $x . "\nLinkShareAllowOriginals off\nLinkShareOriginalsChoice readonly\n"
      . "LinkShareRequirePassword on\nLinkShareUnlockTTL 1h\n";
});
END { $stop->() if $stop }
my $ua = LWP::UserAgent->new(timeout => 10, max_redirect => 0);
my $api = sub {
    my ($method, $path, $body) = @_;
    my $r = HTTP::Request->new($method => "$base/linkshare/api$path");
    $r->authorization_basic('alice', 'alicepw');
    if (defined $body) { $r->content_type('application/json'); $r->content($body) }
    my $x = $ua->request($r);
    return ($x, decode_json_body($x));
};
($res, $j) = $api->(GET => '/settings');
is $res->code, 200, 'settings on the strict server';
is_deeply [@$j{qw(allow_original originals_choice require_password password_min password_max)}],
  [JSON::PP::false(), 'readonly', JSON::PP::true(), 8, 256], '... tell the dialog the policy';
($res, $j) = $api->(POST => '/shares', '{"paths":["readme.txt"]}');
is $res->code, 400, 'LinkShareRequirePassword on: a share without a password is 400';
like $j->{error}, qr/Field "password" is required/, '... saying so';
($res, $j) = $api->(POST => '/shares', qq{{"paths":["readme.txt"],"password":"$PW","allow_original":true}});
is $res->code, 403, 'LinkShareOriginalsChoice readonly: allow_original true is 403';
like $j->{error}, qr/never include original files/, '... with a sentence';
($res, $j) = $api->(POST => '/shares', qq{{"paths":["readme.txt"],"password":"$PW","allow_original":false}});
is $res->code, 201, '... the admin\'s value is accepted';
($res, $j) = $api->(POST => '/shares', qq{{"paths":["readme.txt"],"password":"$PW"}});
is $res->code, 201, 'a share with a password, saying nothing of originals: 201';
is $j->{allow_original}, JSON::PP::false(), '... LinkShareAllowOriginals off applies';
my ($sid, $link) = ($j->{id}, $j->{url});
like $link, qr{^https://}, 'the strict server builds https links';
$link =~ s{^https:}{http:};    # no TLS here: the test talks to it directly
$res = $ua->get("$link&op=inbox");
is $res->code, 401, 'locked: op=inbox answers 401';
like $res->content, qr/"error":"This link is protected by a password/, '... as JSON';
$res = $ua->get("$link&op=events");
is $res->code, 401, 'locked: op=events answers 401';
($res) = $api->(PATCH => "/shares/$sid", '{"password":null}');
is $res->code, 400, 'the password cannot be removed there: 400';
my $post = sub {
    my $r = HTTP::Request->new(POST => "$link&op=unlock");
    $r->content_type('application/x-www-form-urlencoded');
    $r->content('password=' . shift);
    $ua->request($r);
};
$res = $post->('correct+horse+battery');
is $res->code, 303, 'unlocked before any wrong guess';
like $res->header('Set-Cookie'), qr/Max-Age=3600; HttpOnly; SameSite=Lax; Secure$/,
  '... for LinkShareUnlockTTL 1h, Secure (the links are https)';
like $res->header('Location'), qr{^https://}, '... back to the page at its public URL';
($cookie) = $res->header('Set-Cookie') =~ /^([^;]+)/;
is $post->("wrong-$_")->code, 401, "wrong password $_: 401" for 1 .. 3;
$res = $post->('correct+horse+battery');
is $res->code, 429, 'past LinkShareGuessLimit: 429, even for the right one';
ok $res->header('Retry-After'), '... with Retry-After';
$res = $ua->get($link, Cookie => $cookie);
is $res->code, 200, 'the link itself is never locked: an unlocked browser still gets it';
my $elog = LSTest::slurp("$dir/error_log");
like $elog, qr/LS00260: user alice: a share without a password refused/, 'LS00260 logged';
like $elog, qr/LS00261: user alice may not set allow_original to true/, 'LS00261 logged';
like $elog, qr/LS00160/, 'the throttle logged (LS00160)';
unlike $elog, qr/correct horse|correct\+horse/, 'no password in its log';

done_testing();
