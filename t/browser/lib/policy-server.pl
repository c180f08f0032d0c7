#!/usr/bin/env perl
# A second httpd configured like the running test server plus the admin's
# link protection policy (originals off, CHOICE readonly|hidden, a password
# required), for the dialog's policy test: prints its base URL, then stops
# it when its stdin closes.
#   perl t/browser/lib/policy-server.pl DIR readonly|hidden
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../../lib", "$FindBin::Bin/../..";
use Apache::TestConfig ();
use LSTest;

my ($dir, $choice) = @ARGV;
die "usage: $0 DIR readonly|hidden\n" unless $dir && $choice && $choice =~ /^(readonly|hidden)$/;
chmod 0755, $dir;
my ($base, $stop) = second_server($dir, sub {
    $_[0] . "\nLinkShareAllowOriginals off\nLinkShareOriginalsChoice $choice\n"
      . "LinkShareRequirePassword on\n";
});
$| = 1;
print "$base\n";
1 while <STDIN>;
$stop->();
