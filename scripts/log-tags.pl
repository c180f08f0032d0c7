#!/usr/bin/env perl
# The log tag registry (docs/log-tags.md) and its check.
#
#   perl scripts/log-tags.pl --check   fails when a tag names two different
#                                      messages, or when the registry does not
#                                      list exactly the tags the code uses
#                                      (make check-log-tags, part of make test)
#   perl scripts/log-tags.pl --write   rewrites docs/log-tags.md from the code
#
# A tag is written LS_TAG(nnnnn) "message..." (include/ls_tag.h) in
# mod_linkshare.c or src/; LS_TAG_ID(nnnnn) hands a tag to a helper that
# logs the caller's message. The message is the text of the string
# literals after LS_TAG (the format, not the values); its level is the
# APLOG_* of the statement it is in, when there is one. The check also
# fails on a tag written as a plain "LSnnnnn" string and on a log call
# (ap_log_error, ap_log_rerror, ap_log_cerror, LS_STARTUP_ERR) that
# carries no tag (a helper's "%s: %s" with the tag it was handed counts).
use strict;
use warnings;
use FindBin;

my $top  = "$FindBin::Bin/..";
my $reg  = "$top/docs/log-tags.md";
my $mode = shift // '--check';
die "usage: $0 --check|--write\n" unless $mode =~ /^--(check|write)$/;

my %tag;    # tag -> { msgs => {text => 1}, levels => {lvl => 1}, files => {f => 1} }
my @bad;
for my $f (glob("$top/mod_linkshare.c $top/src/*/*.c")) {
    open my $fh, '<', $f or die "$f: $!";
    local $/;
    my $src = <$fh>;
    (my $rel = $f) =~ s{^\Q$top\E/}{};
    push @bad, "$rel: tag $1 written as a string: use LS_TAG($2) or LS_TAG_ID($2)"
      while $src =~ /"(LS(\d{5}))/g;
    # Log calls, roughly up to the ';' that ends them (not one in a string).
    while ($src =~ /\b(ap_log_[rc]?error|LS_STARTUP_ERR)\s*\(((?:[^;"]|"(?:[^"\\]|\\.)*")*);/g) {
        my ($fn, $args) = ($1, $2);
        next if $args =~ /LS_TAG\(\d{5}\)/ || $args =~ /"%s: %s",\s*tag\b/;
        (my $show = substr($args, 0, 80)) =~ s/\s+/ /g;
        push @bad, "$rel: $fn without a tag: $show";
    }
    while ($src =~ /\bLS_TAG(_ID)?\((\d{5})\)/g) {
        my ($id, $t, $at) = ($1, "LS$2", pos($src));
        my $text;
        # Joined literals: "a " "b" -> "a b", and the APR format macros
        # between them ("%" APR_OFF_T_FMT).
        if (!$id) {
            $text = '';
            my $rest = substr($src, $at);
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

for my $t (sort keys %tag) {
    my @m = keys %{ $tag{$t}{msgs} };
    push @bad, "$t names " . scalar(@m) . " different messages: " . join(' | ', @m)
      if @m > 1;
}

my $text = "# Log tags\n\n"
  . "Every message mod_linkshare writes to the error log starts with its own tag,\n"
  . "written `LS_TAG(nnnnn) \"message\"` in the code (include/ls_tag.h),\n"
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
