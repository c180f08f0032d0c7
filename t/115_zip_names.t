# ZIP entry names extract on Windows, macOS and Linux: < > : " | ? * and
# trailing dots or spaces become "_", reserved device names (CON, NUL.txt,
# ...) get "_" after the name, and names that then collide in a folder
# (ignoring case) get " (2)". Checked by listing the archives (unzip -Z1)
# and reading the bytes back.
use strict;
use warnings;
use Apache::Test qw(-withtestmore);
use FindBin;
use lib "$FindBin::Bin/lib";
use LSTest;
use File::Temp qw(tempdir);
use HTTP::Cookies;

LSTest::ua()->cookie_jar(HTTP::Cookies->new);
my $dir = asset_root() . '/names';
my $tmp = tempdir(CLEANUP => 1);

sub spew { open my $f, '>:raw', $_[0] or die "$_[0]: $!"; print $f $_[1]; close $f; chmod 0644, $_[0] }
system('rm', '-rf', $dir);
mkdir $dir or die;
mkdir "$dir/bad:dir" or die;
my @files = ('a<b>.txt', 'what?.txt', 'CON', 'nul.txt', 'end.', 'sp ', 'col:on.txt',
    'col_on.txt', 'pipe|star*.txt', 'quote".txt', 'Case.txt', 'case.txt', 'bad:dir/CON.txt',
    'bad:dir/ok.txt');
spew("$dir/$_", "bytes of $_\n") for @files;
system('chmod', '-R', 'a+rX', $dir);
END { system('rm', '-rf', $dir) if $dir }

my ($res, $j) = create_share('alice', 'alicepw', { paths => ['names'] });
is $res->code, 201, 'shared a folder of awkward names';
my $base = url_path($j->{url});

# Queues the share paths, waits, downloads every part; the names listed
# and the ZIP files.
sub packaged {
    my (@paths) = @_;
    my $r = req(POST => "$base&op=queue", json => { paths => \@paths });
    my $job = decode_json_body($r) || {};
    for (1 .. 200) {
        $r = req(GET => "$base&op=inbox");
        my ($x) = grep { $_->{id} eq ($job->{id} // '') } @{ (decode_json_body($r) || {})->{jobs} || [] };
        $job = $x if $x;
        last if ($job->{state} // '') =~ /^(done|failed)$/;
        select undef, undef, undef, 0.1;
    }
    my (@names, @zips);
    for my $p (@{ $job->{parts} || [] }) {
        my $z = "$tmp/$job->{id}-$p->{n}.zip";
        spew($z, req(GET => url_path($p->{url}))->content);
        push @zips, $z;
        push @names, split /\n/, `unzip -Z1 '$z'`;
    }
    return ($job, \@names, \@zips);
}

sub bytes_of {
    my ($zips, $name) = @_;
    for my $z (@$zips) {
        my $list = `unzip -Z1 '$z'`;
        next unless grep { $_ eq $name } split /\n/, $list;
        (my $pat = $name) =~ s/([\[\]*?\\])/\\$1/g;    # unzip's wildcards
        return `unzip -p '$z' '$pat'`;
    }
    return undef;
}

my ($job, $names, $zips) = packaged(map {"names/$_"} @files[0 .. 5]);
is $job->{state}, 'done', 'characters and reserved names: packaged';
is_deeply [sort @$names],
  [sort map {"names/$_"} 'a_b_.txt', 'what_.txt', 'CON_', 'nul_.txt', 'end_', 'sp_'],
  '... listed under safe names';
is bytes_of($zips, 'names/CON_'), "bytes of CON\n", '... CON_ holds CON';
is system("unzip -tq '$_' >/dev/null 2>&1"), 0, '... valid archive' for @$zips;

($job, $names, $zips) = packaged(map {"names/$_"} @files[6 .. 11]);
is $job->{state}, 'done', 'names that collide once mapped: packaged';
is_deeply [sort @$names],
  [sort map {"names/$_"} 'col_on.txt', 'col_on (2).txt', 'pipe_star_.txt', 'quote_.txt',
    'Case.txt', 'case (2).txt'],
  '... a collision (also ignoring case) gets " (2)"';
is bytes_of($zips, 'names/col_on.txt'), "bytes of col:on.txt\n", '... the first keeps the name';
is bytes_of($zips, 'names/col_on (2).txt'), "bytes of col_on.txt\n", '... the second gets (2)';
is bytes_of($zips, 'names/case (2).txt'), "bytes of case.txt\n", '... whatever the case';

($job, $names, $zips) = packaged('names/bad:dir');
is $job->{state}, 'done', 'a folder with an awkward name: packaged';
is_deeply [sort @$names], ['names/bad_dir/', 'names/bad_dir/CON_.txt', 'names/bad_dir/ok.txt'],
  '... the folder and its files under safe names';
system("mkdir -p '$tmp/x' && cd '$tmp/x' && unzip -qo '$zips->[0]'") if @$zips;
ok -f "$tmp/x/names/bad_dir/ok.txt", '... and it extracts';
done_testing();
