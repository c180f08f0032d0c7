#!/usr/bin/perl
# Writes a text PDF of a few A4 pages for the renditions benchmark
# (bench/renditions.sh): Helvetica lines of made-up prose, different for
# each SEED, written by hand like t/render/test_render.sh's fixture (no
# PDF library needed). Same seed, same bytes.
#
#   gen-pdf.pl OUT SEED PAGES
use strict;
use warnings;

my ($out, $seed, $pages) = @ARGV;
die "usage: gen-pdf.pl OUT SEED PAGES\n" unless $out && defined $seed && $pages;
srand($seed);

my @syl = qw(ka to ri en an mo sa li ve dor mar tin ul pe ro gen ste bu);
sub word { join '', map { $syl[int rand @syl] } 1 .. 1 + int rand 3 }

# Objects 1-3: catalog, page tree, font; then a page and its content
# stream for each page.
my @obj = ("<< /Type /Catalog /Pages 2 0 R >>", undef,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
my @kids;
for my $n (1 .. $pages) {
    my $s = "BT /F1 18 Tf 60 780 Td (Document $seed, page $n) Tj ET\n"
      . "BT /F1 10 Tf 60 750 Td 13 TL\n";
    for (1 .. 52) {
        my $line = join ' ', map { word() } 1 .. 10 + int rand 5;
        $s .= "($line) '\n";
    }
    $s .= "ET\n0.2 0.4 0.8 rg 60 40 " . (100 + int rand 400) . " 12 re f\n";
    push @obj, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
      . "/Resources << /Font << /F1 3 0 R >> >> /Contents " . (@obj + 2) . " 0 R >>";
    push @kids, scalar(@obj) . " 0 R";
    push @obj, "<< /Length " . length($s) . " >>\nstream\n${s}endstream";
}
$obj[1] = "<< /Type /Pages /Kids [@kids] /Count $pages >>";

my $pdf = "%PDF-1.4\n";
my @off;
for my $i (0 .. $#obj) {
    push @off, length $pdf;
    $pdf .= ($i + 1) . " 0 obj\n$obj[$i]\nendobj\n";
}
my $x = length $pdf;
$pdf .= "xref\n0 " . (@obj + 1) . "\n0000000000 65535 f \n";
$pdf .= sprintf("%010d 00000 n \n", $_) for @off;
$pdf .= "trailer\n<< /Size " . (@obj + 1) . " /Root 1 0 R >>\nstartxref\n$x\n%%EOF\n";
open my $f, '>:raw', $out or die "$out: $!\n";
print $f $pdf;
close $f or die "$out: $!\n";
