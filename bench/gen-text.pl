#!/usr/bin/perl
# Generates the text half of the packaging benchmark (bench/zip.sh): files
# of prose, CSV, logs and JSON that deflate about 3.5x, like documents and
# exports do (not zeros, not one repeated line). Same seed, same bytes.
#
#   gen-text.pl DIR MEGABYTES
#
# Each kind is written once into a pool of a few MB and files are cut from
# the pools at random offsets: deflate only looks back 32 KiB, so a file
# compresses the same as if it were all new, and generating stays fast.
use strict;
use warnings;

my ($dir, $mb) = @ARGV;
die "usage: gen-text.pl DIR MEGABYTES\n" unless $dir && $mb;
srand(42);

# A vocabulary of made-up words, drawn with Zipf-like frequencies through
# a table where word i fills a share of slots proportional to 1/(i+1).
my @syl = qw(ka to ri en an mo sa li ve dor mar tin ul pe ro gen ste bu cha
             lo ni qu is er al);
my @vocab;
for (1 .. 20000) {
    my $n = 1 + int(rand(4));
    push @vocab, join('', map { $syl[int(rand(@syl))] } 1 .. $n);
}
my @table;
{
    my $total = 0;
    $total += 1 / ($_ + 1)**1.07 for 0 .. $#vocab;
    my $slots = 1 << 18;
    for my $i (0 .. $#vocab) {
        my $k = int($slots * (1 / ($i + 1)**1.07) / $total + 0.5);
        push @table, ($vocab[$i]) x ($k || 1);
    }
}
sub word { $table[int(rand(@table))] }
sub words { join(' ', map { word() } 1 .. $_[0]) }

my @names  = map { ucfirst } @vocab[0 .. 2999];
my @cities = map { ucfirst } @vocab[100 .. 399];
my @paths  = map { '/' . join('/', map { word() } 0 .. int(rand(3))) } 1 .. 500;

sub prose {
    my $s = '';
    while (length($s) < $_[0]) {
        my @p;
        for (1 .. 3 + int(rand(6))) {
            my $t = ucfirst(words(6 + int(rand(19))));
            $t =~ s/ /, / if rand() < 0.3;
            push @p, $t . ('.', '.', '.', '?', '!')[int(rand(5))];
        }
        $s .= join(' ', @p) . "\n\n";
    }
    return $s;
}

sub csv {
    my $s = "id,date,customer,city,amount,currency,status\n";
    my $id = 1000;
    while (length($s) < $_[0]) {
        $id += 1 + int(rand(3));
        $s .= sprintf("%d,2025-%02d-%02d,%s %s,%s,%.2f,%s,%s\n", $id,
                      1 + int(rand(12)), 1 + int(rand(28)),
                      $names[int(rand(@names))], $names[int(rand(@names))],
                      $cities[int(rand(@cities))], exp(4 + 1.2 * (rand() - 0.5) * 3),
                      (qw(EUR USD GBP))[int(rand(3))],
                      (qw(paid paid paid open refunded))[int(rand(5))]);
    }
    return $s;
}

sub logs {
    my $s = '';
    my $t = 1767225600;
    while (length($s) < $_[0]) {
        $t += rand(0.1);
        my @g = gmtime($t);
        $s .= sprintf("2026-01-%02dT%02d:%02d:%02d.%03dZ %s [worker-%d] %s %s "
                      . "status=%d bytes=%d ms=%d req=%08x\n",
                      $g[3], $g[2], $g[1], $g[0], int(($t - int($t)) * 1000),
                      (qw(INFO INFO INFO DEBUG WARN ERROR))[int(rand(6))],
                      1 + int(rand(8)), (qw(GET GET GET POST PUT))[int(rand(5))],
                      $paths[int(rand(@paths))],
                      (200, 200, 200, 200, 304, 404, 500)[int(rand(7))],
                      100 + int(rand(90000)), 1 + int(rand(900)),
                      int(rand(4294967295)));
    }
    return $s;
}

sub json {
    my $s = "[\n";
    my $i = 0;
    while (length($s) < $_[0]) {
        $i++;
        $s .= sprintf('  {"id": %d, "name": "%s", "tags": ["%s", "%s"], '
                      . '"score": %.3f, "active": %s, "note": "%s"},' . "\n",
                      $i, $names[int(rand(@names))], $vocab[int(rand(200))],
                      $vocab[int(rand(200))], rand(100),
                      rand() < 0.5 ? 'true' : 'false', words(3 + int(rand(10))));
    }
    return $s . "  {}\n]\n";
}

my @kinds = (['txt', \&prose], ['md', \&prose], ['csv', \&csv],
             ['log', \&logs], ['json', \&json]);
my %pool;
$pool{$_->[0]} = $_->[1]->(6 << 20) for @kinds;

my ($total, $done, $k) = ($mb << 20, 0, 0);
while ($done < $total) {
    my ($ext) = @{ $kinds[$k % @kinds] };
    my $p = $pool{$ext};
    # Sizes spread like documents: mostly 50 KB - 1 MB, some up to 4 MB.
    my $n = int(exp(12.5 + (rand() + rand() + rand() - 1.5) * 1.6));
    $n = 4 << 20 if $n > 4 << 20;
    $n = $total - $done if $n > $total - $done;
    $n = 1 if $n < 1;
    my $off = int(rand(length($p) - $n));
    my $d = sprintf("%s/%s/batch-%02d", $dir, $ext, int($k / 40));
    system('mkdir', '-p', $d) unless -d $d;
    open(my $fh, '>', sprintf("%s/doc-%04d.%s", $d, $k, $ext)) or die "$d: $!";
    print $fh substr($p, $off, $n);
    close($fh);
    $done += $n;
    $k++;
}
print "$k files, $done bytes\n";
