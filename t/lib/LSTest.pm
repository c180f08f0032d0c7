package LSTest;
# Helpers for the mod_linkshare integration tests (t/*.t).
# t/TEST puts t/lib on PERL5LIB; for a bare `prove t/foo.t` a test starts with
#   use FindBin; use lib "$FindBin::Bin/lib"; use LSTest;
#
#   my ($res, $json) = create_share('alice', 'alicepw', { paths => ['photos/'] });
#   my $tok = token_from_url($json->{url});
#   my $res = GET_as('bob', 'bobpw', "/linkshare/api/shares");
#   my $res = req(PATCH => "/linkshare/api/shares/$id", user => 'alice',
#                 pass => 'alicepw', json => { expires => '2d' });
#   like error_log(), qr/.../;   unlike access_log(), qr/\Q$tok\E/;
#   my @rows = sql("SELECT id FROM ls_share WHERE ...");   # list of arrayrefs
#
# Everything about the server (port, paths, store) comes from the config the
# running server was generated with (Apache::Test::vars), so a test never
# disagrees with the server about which store it uses.
use strict;
use warnings FATAL => 'all';

use Exporter 'import';
use Apache::Test ();
use Apache::TestRequest ();
use HTTP::Request ();
use JSON::PP ();

our @EXPORT = qw(
  req GET_as POST_as PATCH_as DELETE_as HEAD_as
  create_share decode_json_body token_from_url url_path
  base_url var asset_root rendition_root db_driver
  error_log access_log log_mark log_since
  sql sql_value sql_quote
  free_port private_httpd_conf second_server expect_errors
);

my $JSON = JSON::PP->new->utf8->canonical;

# The first call thaws the config and runs `httpd -l`, whose reading loop
# clobbers $_: keep the caller's $_ (maybe a read-only loop alias) out of it.
sub var            { my $k = shift; local $_; Apache::Test::vars($k) }
sub base_url       { 'http://' . Apache::TestRequest::hostport() }
sub asset_root     { var('ls_asset_root') }
sub rendition_root { var('ls_rendition_root') }
sub db_driver      { var('ls_db_driver') }

# ---- HTTP -----------------------------------------------------------------

# One user agent for the whole test: no redirects followed (tests look at
# 302/303 themselves), no credential prompting (we send Basic up front).
my $UA;
sub ua {
    $UA ||= do {
        my $ua = Apache::TestRequest->new(requests_redirectable => [],
            keep_alive => 0);
        $ua->timeout(30);
        $ua;
    };
}

# req(METHOD, PATH_OR_URL, user => U, pass => P, json => REF | content => STR,
#     headers => [NAME => VALUE, ...])  -> HTTP::Response
sub req {
    my ($method, $url, %o) = @_;
    my $r = HTTP::Request->new($method => Apache::TestRequest::resolve_url($url));
    $r->authorization_basic($o{user}, $o{pass}) if defined $o{user};
    my @h = @{ $o{headers} || [] };
    while (my ($k, $v) = splice @h, 0, 2) { $r->header($k => $v) }
    if (exists $o{json}) {
        $r->content_type('application/json');
        $r->content(ref $o{json} ? $JSON->encode($o{json}) : $o{json});
    }
    elsif (defined $o{content}) {
        $r->content($o{content});
    }
    $r->content_length(length ${ $r->content_ref })
      if length ${ $r->content_ref } or $method =~ /^(POST|PUT|PATCH)$/;
    return ua()->request($r);
}

sub GET_as    { my ($u, $p, $url, %o) = @_; req(GET    => $url, user => $u, pass => $p, %o) }
sub HEAD_as   { my ($u, $p, $url, %o) = @_; req(HEAD   => $url, user => $u, pass => $p, %o) }
sub POST_as   { my ($u, $p, $url, %o) = @_; req(POST   => $url, user => $u, pass => $p, %o) }
sub PATCH_as  { my ($u, $p, $url, %o) = @_; req(PATCH  => $url, user => $u, pass => $p, %o) }
sub DELETE_as { my ($u, $p, $url, %o) = @_; req(DELETE => $url, user => $u, pass => $p, %o) }

# The body as a Perl structure, or undef when it is not JSON.
sub decode_json_body {
    my ($res) = @_;
    my $d = eval { $JSON->decode($res->content) };
    return $d;
}

# POST /linkshare/api/shares; BODY is a hashref (encoded) or a raw string.
sub create_share {
    my ($user, $pass, $body) = @_;
    my $res = req(POST => '/linkshare/api/shares', user => $user, pass => $pass,
        json => $body);
    return ($res, decode_json_body($res));
}

# The sh= parameter of a share link (the token), URL-decoded.
sub token_from_url {
    my ($url) = @_;
    return undef unless defined $url && $url =~ /[?&]sh=([^&#]*)/;
    (my $t = $1) =~ s/%([0-9A-Fa-f]{2})/chr hex $1/ge;
    return $t;
}

# A link's path and query, to request it against the test server.
sub url_path {
    my ($url) = @_;
    $url =~ s{^\w+://[^/]+}{};
    return $url;
}

# ---- logs -----------------------------------------------------------------

sub slurp {
    my ($file, $from) = @_;
    open my $fh, '<:raw', $file or return '';
    seek $fh, $from || 0, 0;
    local $/;
    my $s = <$fh>;
    return defined $s ? $s : '';
}

sub logfile   { var('t_logs') . '/' . shift }
sub error_log  { slurp(logfile('error_log')) }
sub access_log { slurp(logfile('access_log')) }

# my $m = log_mark(); ...requests...; like log_since($m, 'error_log'), qr/.../;
# httpd writes the access log after the response is sent: a test that looks
# for its own request there may need a moment (log_since retries briefly).
sub log_mark {
    return { map { ($_ => -s logfile($_) || 0) } qw(error_log access_log) };
}

sub log_since {
    my ($mark, $which, $want) = @_;
    my $s = '';
    for (1 .. 20) {
        $s = slurp(logfile($which), $mark->{$which});
        last if !$want || $s =~ $want;
        select undef, undef, undef, 0.05;
    }
    return $s;
}

# expect_errors(qr/AH01631: user bob/, ...): error-level lines of the test
# server's error log that this test causes on purpose. After the suite,
# scripts/error-log-gate.pl fails the run on any other [error], [crit],
# [alert], [emerg] or "exit signal" line.
sub expect_errors {
    my $file = var('t_logs') . '/expected-errors';
    (my $test = $0) =~ s{.*/}{};
    open my $fh, '>>', $file or die "$file: $!";
    print $fh "$test\t$_\n" for @_;
    close $fh or die "$file: $!";
}

# ---- the store --------------------------------------------------------------

sub sql_quote {
    my ($s) = @_;
    return 'NULL' unless defined $s;
    $s =~ s/'/''/g;
    return "'$s'";
}

# Runs SQL against the store the server uses; returns rows as arrayrefs
# (NULL and empty both come back as ''). Dies on an SQL error.
sub sql {
    my ($sql) = @_;
    my @cmd;
    if (db_driver() eq 'sqlite3') {
        # As the httpd child user: sqlite3 may create the -wal/-shm files,
        # and root-owned ones would lock the server out of its database.
        @cmd = ('sqlite3', '-batch', '-bail', '-noheader', '-separator', "\x1f",
            '-cmd', '.timeout 5000', var('ls_db_params'), $sql);
        unshift @cmd, 'runuser', '-u', var('user'), '--' if $> == 0;
    }
    elsif (db_driver() eq 'pgsql') {
        @cmd = ('psql', '-X', '-q', '-A', '-t', '-F', "\x1f", '-v',
            'ON_ERROR_STOP=1', '-d', var('ls_db_params'), '-c', $sql);
    }
    else {
        die "sql(): unknown driver " . db_driver() . "\n";
    }
    open my $fh, '-|', @cmd or die "$cmd[0]: $!";
    my @rows = map { chomp; [split /\x1f/, $_, -1] } <$fh>;
    close $fh or die "sql failed ($?): $sql\n";
    return @rows;
}

# The first column of the first row, or undef.
sub sql_value {
    my @rows = sql(@_);
    return @rows ? $rows[0][0] : undef;
}

# ---- a private httpd beside the test server ----------------------------------

# A free TCP port on 127.0.0.1.
sub free_port {
    require IO::Socket::INET;
    IO::Socket::INET->new(Listen => 1, LocalAddr => '127.0.0.1',
        LocalPort => 0)->sockport;
}

# Writes DIR/httpd.conf for a private httpd on 127.0.0.1:PORT with the test
# server's modules, its own pid file, mutexes and error log (DIR/error_log),
# the test server's user and group when run as root, and EXTRA after that.
sub private_httpd_conf {
    my ($dir, $port, $extra) = @_;
    my $user = $> == 0 ? "User " . var('user') . "\nGroup " . var('group') : '';
    my $modules = var('t_conf') . '/modules.conf';
    open my $fh, '>', "$dir/httpd.conf" or die "$dir/httpd.conf: $!";
    print $fh <<"CONF";
$user
Include "$modules"
ServerName 127.0.0.1
Listen 127.0.0.1:$port
PidFile "$dir/httpd.pid"
DefaultRuntimeDir "$dir"
Mutex file:$dir
ErrorLog "$dir/error_log"
LogLevel info
$extra
CONF
    close $fh or die "$dir/httpd.conf: $!";
}

# Starts a second httpd configured like the test server (its httpd.conf and
# extra.conf) on 127.0.0.1 and a free port, with its own pid file, error
# and access logs, state directory and SQLite store under DIR. EDIT, a code
# ref, may change the extra.conf text (passed as its argument, returned).
# Returns (base URL, a sub that stops it); dies when it does not start.
sub second_server {
    my ($dir, $edit) = @_;
    my $httpd = var('httpd');
    my $conf  = var('t_conf');
    my $port  = free_port();
    my $slurp = sub { local $/; open my $f, '<', shift or die $!; <$f> };
    my $spew  = sub { open my $f, '>', $_[0] or die $!; print $f $_[1]; close $f };
    my $main = $slurp->("$conf/httpd.conf");
    $main =~ s/^Listen\s.*$/Listen 127.0.0.1:$port/m;
    $main =~ s/^PidFile\s.*$/PidFile "$dir\/httpd.pid"/m;
    $main =~ s/^DefaultRuntimeDir\s.*$/DefaultRuntimeDir "$dir"/m;
    $main =~ s/^ErrorLog\s.*$/ErrorLog "$dir\/error_log"/m;
    $main =~ s/^Include\s+"?\Q$conf\E\/extra\.conf"?\s*$/Include "$dir\/extra.conf"/m;
    my $extra = $slurp->("$conf/extra.conf");
    $extra =~ s/^CustomLog\s.*$/CustomLog "$dir\/access_log" linkshare_full/m;
    $extra =~ s/^LinkShareDatabase\s.*$/LinkShareDatabase sqlite3 "$dir\/state\/ls.db"/m;
    $extra =~ s/^LinkShareStateDir\s.*$/LinkShareStateDir "$dir\/state"/m;
    $extra =~ s/^LinkSharePublicURL\s.*$/LinkSharePublicURL http:\/\/127.0.0.1:$port/m;
    $extra = $edit->($extra) if $edit;
    $spew->("$dir/httpd.conf", $main);
    $spew->("$dir/extra.conf", $extra);
    my $root = var('serverroot');
    my $stop = sub {
        system("'$httpd' -d '$root' -f '$dir/httpd.conf' -k stop >/dev/null 2>&1")
          if -f "$dir/httpd.pid";
        for (1 .. 50) { last unless -f "$dir/httpd.pid"; select undef, undef, undef, 0.1 }
    };
    system("'$httpd' -d '$root' -f '$dir/httpd.conf' -k start") == 0
      or die "the second server did not start (see $dir/error_log)\n";
    require LWP::UserAgent;
    my $ua = LWP::UserAgent->new(timeout => 5);
    for (1 .. 50) {
        last if $ua->get("http://127.0.0.1:$port/linkexpired.html")->code == 200;
        select undef, undef, undef, 0.1;
    }
    return ("http://127.0.0.1:$port", $stop);
}

1;
