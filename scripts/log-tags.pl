#!/usr/bin/env perl
# The log tag registry (docs/log-tags.md) and its check.
#
#   perl scripts/log-tags.pl --check   fails when a tag names two different
#                                      messages, or when the registry does not
#                                      list exactly the tags the code uses
#                                      (make check-log-tags, part of make test)
#   perl scripts/log-tags.pl --write   rewrites docs/log-tags.md from the code
#
# A tag is "LS" and five digits in a C string of mod_linkshare.c or src/.
# Its message is the text after "LSnnnnn: " up to the end of the string
# literals that follow (the format, not the values); its level is the
# APLOG_* of the statement it is in, when there is one in that statement.
use strict;
use warnings;
use FindBin;

my $top  = "$FindBin::Bin/..";
my $reg  = "$top/docs/log-tags.md";
my $mode = shift // '--check';
die "usage: $0 --check|--write\n" unless $mode =~ /^--(check|write)$/;

my %tag;    # tag -> { msgs => {text => 1}, levels => {lvl => 1}, files => {f => 1} }
for my $f (glob("$top/mod_linkshare.c $top/src/*/*.c")) {
    open my $fh, '<', $f or die "$f: $!";
    local $/;
    my $src = <$fh>;
    (my $rel = $f) =~ s{^\Q$top\E/}{};
    # Statements, roughly: up to the next ';' outside a string.
    while ($src =~ /"(LS\d{5})(?::\s*((?:[^"\\]|\\.)*))?"/g) {
        my ($t, $text, $at) = ($1, $2, pos($src));
        # Joined literals: "a " "b" -> "a b".
        if (defined $text) {
            my $rest = substr($src, $at);
            # ... and the APR format macros between them ("%" APR_OFF_T_FMT).
            while ($rest =~ /\G\s*(?:"((?:[^"\\]|\\.)*)"|(APR_[A-Z0-9_]*FMT|LS_[A-Z_]+))/gc) {
                $text .= defined $1 ? $1 : $2 =~ /FMT$/ ? 'd' : "<$2>";
            }
        }
        my $start = rindex($src, ';', $at);
        my $stmt = substr($src, $start + 1, $at - $start);
        my ($lvl) = $stmt =~ /APLOG_(EMERG|ALERT|CRIT|ERR|WARNING|NOTICE|INFO|DEBUG|TRACE\d)/;
        my $e = $tag{$t} ||= { msgs => {}, levels => {}, files => {} };
        $e->{msgs}{ defined $text ? $text : '(message given by the caller)' } = 1;
        $e->{levels}{ lc($lvl // 'by caller') } = 1;
        $e->{files}{$rel} = 1;
    }
}

my @bad;
for my $t (sort keys %tag) {
    my @m = keys %{ $tag{$t}{msgs} };
    push @bad, "$t names " . scalar(@m) . " different messages: " . join(' | ', @m)
      if @m > 1;
}

my $text = "# Log tags\n\n"
  . "Every message mod_linkshare writes to the error log starts with its own tag,\n"
  . "so admins can search for it and tests can assert on it. Ranges: `LS000xx`\n"
  . "startup and configuration, `LS001xx` public requests, `LS002xx` sharer API\n"
  . "and pages, `LS003xx` download jobs and workers, `LS004xx` mail. One tag, one\n"
  . "message. This file is written by `perl scripts/log-tags.pl --write`;\n"
  . "`make check-log-tags` (part of `make test`) fails when it and the code\n"
  . "disagree.\n\n"
  . "| tag | level | where | message |\n|---|---|---|---|\n";
for my $t (sort keys %tag) {
    my ($m) = keys %{ $tag{$t}{msgs} };
    $m =~ s/\\"/"/g;
    $m =~ s/\|/\\|/g;
    $text .= sprintf "| %s | %s | %s | %s |\n", $t, join(', ', sort keys %{ $tag{$t}{levels} }),
      join(', ', map { (my $x = $_) =~ s{^src/}{}; $x } sort keys %{ $tag{$t}{files} }), $m;
}

if ($mode eq '--write') {
    die join("\n", @bad) . "\n" if @bad;
    open my $out, '>', $reg or die "$reg: $!";
    print $out $text;
    close $out or die;
    printf "log-tags: wrote %s (%d tags)\n", 'docs/log-tags.md', scalar keys %tag;
    exit 0;
}
my $have = do { local $/; open my $in, '<', $reg or die "$reg: $! (run $0 --write)\n"; <$in> };
push @bad, "docs/log-tags.md does not match the code: run perl scripts/log-tags.pl --write"
  if $have ne $text;
if (@bad) {
    print STDERR "log-tags: $_\n" for @bad;
    exit 1;
}
printf "log-tags: ok (%d tags, one message each, all in docs/log-tags.md)\n", scalar keys %tag;
