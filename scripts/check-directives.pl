#!/usr/bin/env perl
# Each default is written once, in the table of include/ls_config_int.h
#   #define LS_DEF_NAME (C value, "as an admin writes it")
# and this checks that everything else agrees with it:
# - the two columns of each row say the same (1d = 86400, 100G = 100 << 30,
#   auto = LS_ZIP_AUTO, none = 0, LinkShareStateDir/spool = "/spool");
# - each row is applied (LS_DEF_C) and shown in a help text (LS_HELP);
# - a help text states no default of its own: one ending in "(...)" takes
#   it from the table;
# - conf/linkshare.conf documents every directive (AP_INIT_* of
#   src/httpd/ls_config*.c) with a "# Name ..." entry whose "(default: X)"
#   or "(...; default: X)" (on the first lines of the entry, before the
#   next blank line) is the help text's; a directive without a
#   default in the table may only say "default: none" (or "no ...");
# - the entry says "main server only" exactly when the directive's handler
#   refuses <VirtualHost> (ap_check_cmd_context(cmd, GLOBAL_ONLY)).
#   perl scripts/check-directives.pl     (make check-directives, in make test)
use strict;
use warnings;
use FindBin;

my $top = "$FindBin::Bin/..";
my (%help, %main_only, %def, %applied, %shown, @bad);
my $str = qr/"(?:[^"\\]|\\.)*"/;

my $src = '';
for my $f (glob("$top/src/httpd/ls_config*.c"), glob("$top/include/ls_config*.h")) {
    local $/;
    open my $fh, '<', $f or die "$f: $!";
    $src .= <$fh>;
}
$src =~ s/\\\n/ /g;    # macro continuation lines

# The table.
while ($src =~ /^#define (LS_DEF_\w+)\s+\((.+),\s*"([^"]*)"\)/mg) {
    $def{$1} = { c => $2, text => $3 };
}
die "check-directives: no defaults table (#define LS_DEF_X (C, \"text\")) found\n"
  unless %def;
$applied{$1} = 1 while $src =~ /\bLS_DEF_C\(\s*(LS_DEF_\w+)\s*\)/g;
$applied{$1} = 1 while $src =~ /\bDEFAULT_INT\(\s*\w+\s*,\s*(LS_DEF_\w+)\s*\)/g;

# A C value as a number or a string; undef when it cannot be read.
sub c_value {
    my ($c) = @_;
    return $1 if $c =~ /^"(.*)"$/;
    (my $e = $c) =~ s/APR_INT64_C\((\d+)\)/$1/g;
    return undef unless $e =~ /^[\d\s*+<()]+$/;
    my $v = eval $e;
    return $v;
}

# What an admin's text means, as the directive parsers read it.
sub text_value {
    my ($t) = @_;
    my %dur  = (s => 1, m => 60, h => 3600, d => 86400, w => 604800);
    my %size = (K => 1 << 10, M => 1 << 20, G => 1 << 30, T => 1 << 40);
    return 0 if $t eq 'none';
    return $1 * $dur{ $2 || 's' } if $t =~ /^(\d+)([smhdw]?)$/;
    return $1 * $size{$2} if $t =~ /^(\d+)([KMGT])$/;
    return undef;
}

for my $n (sort keys %def) {
    my ($c, $t) = @{ $def{$n} }{qw(c text)};
    my $ok;
    if ($c eq 'NULL') {                 # nothing: "none"
        $ok = $t eq 'none';
    }
    elsif ($c =~ /^LS_\w+_([A-Z]+)$/) {    # a keyword: LS_ZIP_AUTO is "auto"
        $ok = lc $1 eq lc $t;
    }
    elsif ($c =~ /^"/) {                # a path, perhaps under the state dir
        my $v = c_value($c);
        $ok = $t eq $v || $t eq "LinkShareStateDir$v";
    }
    else {
        my ($cv, $tv) = (c_value($c), text_value($t));
        $ok = defined $cv && defined $tv && $cv == $tv;
    }
    push @bad, "$n: the C value ($c) and the text (\"$t\") say different things"
      unless $ok;
    push @bad, "$n is never applied (LS_DEF_C)" unless $applied{$n};
}

# Main server only: the directive's handler (or a wrapper it is) refuses
# <VirtualHost> with ap_check_cmd_context(cmd, GLOBAL_ONLY).
sub main_only {
    my ($fn) = @_;
    my ($body) = $src =~ /^(?:static )?const char \*\Q$fn\E\(.*?\n\{(.*?)\n\}/ms
      or die "check-directives: no handler $fn\n";
    return $body =~ /\bGLOBAL_ONLY\b/ ? 1 : 0;
}

# The help texts, with LS_HELP/LS_HELP2 expanded from the table.
sub unquote { my ($s) = @_; join '', $s =~ /"((?:[^"\\]|\\.)*)"/g }
sub def_text {
    my ($n) = @_;
    $shown{$n} = 1;
    return $def{$n}{text} if $def{$n};
    push @bad, "$n is used in a help text but not in the defaults table";
    return '?';
}
# An AP_INIT_*(...) entry, to its balanced closing parenthesis.
my $args = qr/(\((?:[^()"]++|$str|(?-1))*\))/;
while ($src =~ /AP_INIT_\w+$args/g) {
    my ($name, $rest) = $1 =~ /^\(\s*"(LinkShare\w+)"(.*)\)$/s or next;
    my ($handler) = $rest =~ /^\s*,\s*(\w+)/;
    $main_only{$name} = main_only($handler);
    my $text;
    if ($rest =~ /LS_HELP2\(\s*((?:$str\s*)+),\s*(\w+)\s*,\s*(\w+)\s*\)/) {
        $text = unquote($1) . ' (' . def_text($2) . ' ' . def_text($3) . ')';
    }
    elsif ($rest =~ /LS_HELP\(\s*((?:$str\s*)+),\s*(\w+)\s*\)/) {
        $text = unquote($1) . ' (' . def_text($2) . ')';
    }
    else {
        $text = unquote($rest);
        push @bad, "$name: its help text states a default of its own; put it "
          . "in the defaults table and use LS_HELP"
          if $text =~ /\([^()]*\)\s*$/;
        $text = undef;
    }
    $help{$name} = $text;
}
for my $n (sort keys %def) {
    push @bad, "$n is shown in no help text (LS_HELP)" unless $shown{$n};
}

my $conf = do { local $/; open my $c, '<', "$top/conf/linkshare.conf" or die $!; <$c> };
# A directive's entry: its "# Name ..." line to the next blank line or
# entry.
sub conf_entry {
    my ($name) = @_;
    return $conf =~ /^(# \Q$name\E\b.*?)(?=^\s*$|^# LinkShare\w+ |\z)/ms
      ? $1 : undef;
}
for my $name (sort keys %help) {
    my $entry = conf_entry($name);
    if (!defined $entry) {
        push @bad, "$name is not documented in conf/linkshare.conf";
        next;
    }
    my $says_main = $entry =~ /main server only/i ? 1 : 0;
    push @bad, "$name refuses <VirtualHost> but conf/linkshare.conf does not "
      . "say \"main server only\""
      if $main_only{$name} && !$says_main;
    push @bad, "$name: conf/linkshare.conf says \"main server only\" but the "
      . "module accepts it in a <VirtualHost>"
      if $says_main && !$main_only{$name};
    my ($doc) = $entry =~ /\((?:[^()]*; )?default: ([^)]*)\)/;
    if (!defined $help{$name}) {
        push @bad, "$name: conf/linkshare.conf says (default: $doc), the "
          . "module has no default for it"
          if defined $doc && $doc !~ /^no/;
        next;
    }
    my ($want) = $help{$name} =~ /\(([^()]*)\)\s*$/;
    push @bad, "$name: the module's default is ($want), conf/linkshare.conf says (default: "
      . ($doc // 'none given') . ")"
      unless defined $doc && $doc eq $want;
}
if (@bad) { print STDERR "check-directives: $_\n" for @bad; exit 1 }
printf "check-directives: ok (%d directives documented, %d defaults agree)\n",
  scalar keys %help, scalar keys %def;
