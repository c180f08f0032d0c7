# The public pages are not files: httpd's directory walk does not run for
# them (ls_access_map_to_storage), so <Files> and <Directory> sections
# under DocumentRoot do not apply; their <Location> is their
# configuration. A second httpd, configured like the test server, with
# every public page's name denied by <Files>: the pages still answer,
# while an ordinary name under the same rule is refused (the control) and
# the <Location> still decides for the pages.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use File::Temp qw(tempdir);
use LWP::UserAgent;
use HTTP::Request;
use JSON::PP ();

my $ua = LWP::UserAgent->new(timeout => 10, max_redirect => 0);
my $dir = tempdir(CLEANUP => 1);
chmod 0755, $dir;

# Each page's name gets a <Files> that marks the request (SetEnv, shown
# in a log of our own) and would deny it (the pages' own <Location>
# Require overrides that anyway, so only the mark tells whether the
# section was read); an ordinary name gets the mark only (the control).
my $files = join "\n", (map {
    qq{<Files "$_">\n    SetEnv LS_FILES_READ $_\n    Require all denied\n</Files>}
} qw(linkshare.html linksharepreview.html linkexpired.html)),
  qq{<Files "control.txt">\n    SetEnv LS_FILES_READ control.txt\n</Files>};
my $log = qq{LogFormat "%U %{LS_FILES_READ}e" ls_files\n}
  . qq{CustomLog "$dir/files_log" ls_files};
my ($base, $stop) = second_server($dir, sub { $_[0] . "\n$files\n$log\n" });

# A share on the server at BASE; its link, on that server.
sub share_link {
    my ($base) = @_;
    my $req = HTTP::Request->new(POST => "$base/linkshare/api/shares");
    $req->authorization_basic('alice', 'alicepw');
    $req->content_type('application/json');
    $req->content('{"paths":["readme.txt"]}');
    my $res = $ua->request($req);
    is $res->code, 201, 'shared on the second server';
    my $j = eval { JSON::PP->new->utf8->decode($res->content) } // {};
    (my $url = $j->{url} // '') =~ s{^https?://[^/]+}{$base};
    return $url;
}
my $url = share_link($base);

is $ua->get("$base/control.txt")->code, 404,
  'control: an ordinary name under DocumentRoot (no such file)';
is $ua->get($url)->code, 200, 'the Link Share page: <Files> does not apply';
is $ua->get("$url&op=file&path=readme.txt")->code, 200, '... nor to a download';
(my $preview = $url) =~ s{/linkshare\.html\?}{/linksharepreview.html?};
is $ua->get("$preview&path=readme.txt")->code, 200, '... nor to the preview';
is $ua->get("$base/linkexpired.html")->code, 200, '... nor to the expired page';
is $ua->get("$base/linkshare.html?sh=" . ('A' x 43))->code, 404,
  'an unknown token still gets the access check (404)';

$stop->();
open my $fl, '<', "$dir/files_log" or die "no $dir/files_log: $!";
my %read;
while (<$fl>) {
    my ($uri, $mark) = split;
    $read{$uri} = $mark if defined $mark && $mark ne '-';
}
close $fl;
is $read{'/control.txt'}, 'control.txt',
  'control: the <Files> section of an ordinary name is read';
ok !exists $read{$_}, "$_: no <Files> section read (no directory walk)"
  for qw(/linkshare.html /linksharepreview.html /linkexpired.html);

# A <Location> still decides: the pages' configuration is theirs.
($base, $stop) = second_server($dir, sub {
    $_[0] . qq{\n<Location "/linkshare.html">\n    Require all denied\n</Location>\n};
});
is $ua->get(share_link($base))->code, 403,
  '<Location "/linkshare.html"> Require all denied: a good link gets 403';
$stop->();

done_testing();
