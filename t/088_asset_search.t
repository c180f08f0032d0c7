# The Link Sharing dialog's search: GET /linkshare/api/assets?path=REL&q=TEXT
# finds entries whose name holds TEXT in REL and its subfolders, nearest
# first, among what the caller may read (folders the caller may not read
# are not entered), within bounds (100 matches, 200 folders) it says it hit.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use File::Path qw(make_path remove_tree);

my @alice = (user => 'alice', pass => 'alicepw');
my @admin = (user => 'admin', pass => 'adminpw');

sub search {
    my ($path, $q, @who) = @_;
    @who = @alice unless @who;
    my $url = '/linkshare/api/assets?path=' . url_enc($path) . '&q=' . url_enc($q);
    my $res = req(GET => $url, @who);
    return ($res, decode_json_body($res));
}
sub url_enc { my $s = shift; utf8::encode($s); $s =~ s/([^A-Za-z0-9._~-])/sprintf '%%%02X', ord $1/ge; $s }
sub paths { [map { $_->{path} } @{ $_[0]{entries} || [] }] }

my ($res, $j) = search('', 'CAT');
is $res->code, 200, 'search from the top: 200';
is_deeply paths($j), ['photos/2026/cat.jpg'], '... finds a file two folders down, any case';
is $j->{entries}[0]{name}, 'cat.jpg', '... its name';
is $j->{entries}[0]{kind}, 'file', '... its kind';
ok $j->{entries}[0]{size} > 0, '... its size';
is $j->{q}, 'CAT', '... the query echoed';
ok !$j->{truncated}, '... complete';

($res, $j) = search('', '2026');
is_deeply paths($j), ['photos/2026'], 'a folder is found by its name';
is $j->{entries}[0]{kind}, 'folder', '... as a folder';

($res, $j) = search('', '.txt');
my %got = map { $_ => 1 } @{ paths($j) };
ok $got{'readme.txt'} && $got{'press kit/notes.txt'}, 'files at several depths';
ok !$got{'private/secret.txt'}, '... but not in a folder alice may not read';
my @depth = map { tr{/}{} } @{ paths($j) };
is_deeply \@depth, [sort { $a <=> $b } @depth], '... nearest first';

($res, $j) = search('', 'secret', @admin);
is_deeply paths($j), ['private/secret.txt'], 'the admin, who may read it, finds it';
($res, $j) = search('', 'secret');
is_deeply paths($j), [], 'alice finds nothing by its name';

($res, $j) = search('photos', 'o');
ok !grep({ !m{^photos/} } @{ paths($j) }), 'search under a folder stays in it';
ok grep({ $_ eq 'photos/2026/dog.png' } @{ paths($j) }), '... and finds in its subfolders';

($res, $j) = search('', 'passwd');
is_deeply paths($j), [], 'the symlink out of the asset root is not followed';

($res, $j) = search('', "caf\x{e9}");
is_deeply paths($j), ["caf\x{e9} menu.txt"], 'a non-ASCII query finds its name';

# Refusals.
($res, $j) = search('', 'a/b');
is $res->code, 400, 'a query with "/": 400';
like $j->{error}, qr/without "\/"/, '... saying why';
($res, $j) = search('', 'x' x 201);
is $res->code, 400, 'a query past 200 bytes: 400';
($res, $j) = search('private', 'secret');
is $res->code, 403, 'search in a folder alice may not read: 403';
($res, $j) = search('no such folder', 'a');
is $res->code, 404, 'search in a folder that does not exist: 404';
($res, $j) = search('../etc', 'passwd');
is $res->code, 400, 'a path going up: 400';
is req(GET => '/linkshare/api/assets?path=&q=%ZZ', @alice)->code, 400, 'a badly encoded query: 400';

# Bounds: 100 matches, 200 folders.
my $root = asset_root();
my $many = "$root/search many";
make_path($many);
for my $i (1 .. 120) { open my $f, '>', sprintf('%s/hit-%03d.txt', $many, $i) or die; close $f }
($res, $j) = search('search many', 'hit');
is scalar @{ $j->{entries} }, 100, '120 matches: the first 100 returned';
ok $j->{truncated}, '... said to be more';
is $j->{limit}, 100, '... and the limit named';

my $deep = "$root/search deep";
make_path(map { sprintf '%s/d%03d', $deep, $_ } 1 .. 210);
open my $f, '>', "$deep/d210/needle.txt" or die;
close $f;
($res, $j) = search('search deep', 'needle');
is_deeply paths($j), [], 'past 200 folders the search stops';
ok $j->{truncated}, '... and says it was not complete';
($res, $j) = search('search deep/d210', 'needle');
is_deeply paths($j), ['search deep/d210/needle.txt'], '... searching nearer finds it';

remove_tree($many, $deep);
done_testing();
