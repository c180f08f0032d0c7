#!/usr/bin/env perl
# conf/linkshare.conf documents every directive, with the default the
# module's own help text states: each AP_INIT_* of src/httpd/ls_config*.c
# has a "# Name ..." entry there, and a help text ending in "(DEFAULT)"
# matches the entry's "(default: DEFAULT)" or "(...; default: DEFAULT)".
#   perl scripts/check-directives.pl     (make check-directives, in make test)
use strict;
use warnings;
use FindBin;

my $top = "$FindBin::Bin/..";
my (%help, @bad);
for my $f (glob "$top/src/httpd/ls_config*.c") {
    local $/;
    open my $fh, '<', $f or die "$f: $!";
    my $src = <$fh>;
    while ($src =~ /AP_INIT_\w+\(\s*"(LinkShare\w+)"(.*?)\)\s*,\s*$/msg) {
        my ($name, $rest) = ($1, $2);
        my $text = join '', $rest =~ /"((?:[^"\\]|\\.)*)"/g;
        $help{$name} = $text;
    }
}
my $conf = do { local $/; open my $c, '<', "$top/conf/linkshare.conf" or die $!; <$c> };
for my $name (sort keys %help) {
    my ($entry) = $conf =~ /^# \Q$name\E\b([^\n]*)$/m;
    if (!defined $entry) {
        push @bad, "$name is not documented in conf/linkshare.conf";
        next;
    }
    my ($want) = $help{$name} =~ /\(([^()]*)\)\s*$/;
    next unless defined $want;
    my ($doc) = $entry =~ /default: ([^)]*)\)/;
    push @bad, "$name: the help text says ($want), conf/linkshare.conf says (default: "
      . ($doc // 'none given') . ")"
      unless defined $doc && $doc eq $want;
}
if (@bad) { print STDERR "check-directives: $_\n" for @bad; exit 1 }
printf "check-directives: ok (%d directives documented, defaults agree)\n", scalar keys %help;
