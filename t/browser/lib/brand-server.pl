#!/usr/bin/env perl
# A second httpd configured like the running test server plus
# LinkShareBrand (a logo and an accent), for the browser tests' branded
# screens: prints its base URL, then stops it when its stdin closes.
#   perl t/browser/lib/brand-server.pl DIR
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../../lib", "$FindBin::Bin/../..";
use Apache::TestConfig ();
use LSTest;

my $dir = shift or die "usage: $0 DIR\n";
chmod 0755, $dir;
open my $f, '>', "$dir/logo.svg" or die $!;
print $f <<'SVG';
<svg xmlns="http://www.w3.org/2000/svg" width="96" height="32" viewBox="0 0 96 32"><rect width="32" height="32" rx="8" fill="#0f766e"/><path d="M9 22l7-12 7 12z" fill="#fff"/><text x="40" y="22" font-family="sans-serif" font-size="15" font-weight="700" fill="#0f766e">Acme</text></svg>
SVG
close $f;
chmod 0644, "$dir/logo.svg";
my ($base, $stop) = second_server($dir, sub {
    $_[0] . qq{\nLinkShareBrand "Acme Studio" "$dir/logo.svg" #0f766e\n};
});
$| = 1;
print "$base\n";
1 while <STDIN>;
$stop->();
