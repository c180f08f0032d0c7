#!/usr/bin/env perl
# The error-log gate: after a test server's suite, every line of its error
# log at error level or worse ([error], [crit], [alert], [emerg], any
# module) and every "exit signal" (a crashed child) must be one a test said
# it causes (LSTest::expect_errors, collected in EXPECTED).
#   perl scripts/error-log-gate.pl ERROR_LOG EXPECTED
# Prints the unexpected lines (at most 30) and exits 1 when there are any.
use strict;
use warnings;

my ($log, $expected) = @ARGV;
die "usage: $0 ERROR_LOG EXPECTED\n" unless defined $log;
my @re;
if (defined $expected && open my $e, '<', $expected) {
    while (<$e>) {
        chomp;
        my ($test, $src) = split /\t/, $_, 2;
        next unless defined $src && length $src;
        push @re, [$test, qr/$src/];
    }
}
open my $l, '<', $log or die "$log: $!\n";
my (@bad, $n);
while (my $line = <$l>) {
    next unless $line =~ /\] \[[a-z_0-9]*:?(?:error|crit|alert|emerg)\] |exit signal/;
    $n++;
    next if grep { $line =~ $_->[1] } @re;
    push @bad, $line;
}
if (@bad) {
    print "error-log gate: ", scalar(@bad), " line(s) in $log no test expected:\n";
    print "  $_" for @bad[0 .. ($#bad < 29 ? $#bad : 29)];
    print "(a test that causes one on purpose declares it: expect_errors(qr/.../) in t/lib/LSTest.pm)\n";
    exit 1;
}
printf "error-log gate: ok (%d error line(s), all expected by %d declaration(s))\n", $n // 0,
  scalar @re;
