/**
 * The script a prober runs: every probe of one source container at once, one machine-readable line
 * per probe. Only POSIX sh and busybox-compatible tools (ping, timeout, nslookup, cat, sleep), so any
 * small image with busybox works as the probe image.
 *
 * A line is `@@lab TAG RC ATTEMPTS RESOLVED MS IFACE [BIG]`:
 *   RC        ping's exit status of the last attempt (the verdict's only input), or `noif` when the
 *             interface to leave from is not in the namespace any more; for a port probe, what the
 *             port did (PORT_STATES) or why it could not be probed (`nonc`/`notr`: no nc/traceroute,
 *             `fail`: the tool failed otherwise, `other`: only answers to another probe came back);
 *   RESOLVED  1/0 whether the name resolved (name probes), `t` the lookup got no answer (no
 *             evidence either way), `-` otherwise;
 *   MS        time spent on this probe, from /proc/uptime (centiseconds, so 10 ms steps);
 *   IFACE     the interface the probe was bound to (`-`: none, the container's routes decide);
 *   BIG       optional, the full-size packet: `BYTES:1` got there, `BYTES:0` did not (conclusively),
 *             `BYTES:u` could not be told; `-` none was sent.
 */
import { LabError } from '../common/errors.js';

export interface ProbeSpec {
  /** Unique within one script; echoed back on the result line. */
  tag: string;
  /** `retry`: "must reach" probes try again until they reach or the wait runs out; `once` otherwise. */
  mode: 'retry' | 'once';
  /**
   * `ip`: ping an address; `name`: resolve a name with the container's resolver, then ping it;
   * `tcp`: connect to `port` (busybox nc); `udp`: send one datagram to `port` and watch for the
   * ICMP "port unreachable" that says nothing listens (busybox traceroute, which sees ICMP errors).
   */
  kind: 'ip' | 'name' | 'tcp' | 'udp';
  dest: string;
  /** For tcp and udp. */
  port?: number;
  /**
   * For a bound ip probe that reaches: also send one packet as large as the interface's MTU with
   * "don't fragment" (busybox traceroute -F), to find a path MTU lower than the network's.
   */
  fullSize?: boolean;
  /**
   * With fullSize: the path the full-size packet measures, beyond the source's interface (the
   * target's host and network). Path MTU is the path's, not each target's: of the probes of one
   * source on one path only the first sends full-size packets, and the others carry its result
   * (shareFullSize). Dozens of "don't fragment" traceroutes at once per source had made each one
   * wait seconds for answers that one alone gets at once.
   */
  path?: string;
  /** Leave through the interface with this MAC address (found at run time in the namespace)… */
  bindMac?: string;
  /** …or, failing that, the interface holding this address. Neither: the routes decide. */
  bindIp?: string;
}

export interface ScriptTiming {
  /** Reply timeout of one ping, whole seconds (ping's -W). */
  timeoutSeconds: number;
  /** How long "must reach" probes keep trying, seconds. */
  waitSeconds: number;
}

export const PROBE_TOOLS = [
  'ping',
  'timeout',
  'nslookup',
  'cat',
  'sleep',
  'nc',
  'traceroute',
] as const;

/**
 * What a port did: `open` a TCP connection was accepted; `refused` a TCP reset or an ICMP "port
 * unreachable" came back at once (nothing listens there); `silent` nothing came back within the
 * timeout (TCP: filtered or dropped; UDP: a listener that keeps quiet looks the same as a drop);
 * `unreach` an ICMP "host/network unreachable" or "administratively prohibited" came back.
 */
export const PORT_STATES = ['open', 'refused', 'silent', 'unreach'] as const;
export type PortState = (typeof PORT_STATES)[number];

const SAFE = /^[A-Za-z0-9_.:-]+$/;

function word(value: string | undefined, what: string): string {
  if (value === undefined || value === '') return '-';
  // Everything that goes into the script is an address, MAC, container name or tag: refusing
  // anything else keeps the script free of quoting questions.
  if (!SAFE.test(value) || value === '-') {
    throw new LabError('input', `cannot probe with ${what} ${JSON.stringify(value)}`, {
      hint: 'addresses, MAC addresses and container names only',
    });
  }
  return value;
}

/** Whole seconds ping understands for -W; at least 1. */
export function pingSeconds(seconds: number): number {
  return Math.max(1, Math.ceil(seconds));
}

function isPort(s: ProbeSpec): boolean {
  return s.kind === 'tcp' || s.kind === 'udp';
}

function portWord(s: ProbeSpec): string {
  if (!isPort(s)) return '-';
  if (s.port === undefined || !Number.isInteger(s.port) || s.port < 1 || s.port > 65535) {
    throw new LabError('input', `cannot probe port ${String(s.port)} of ${s.dest}`, {
      hint: 'a port is a whole number from 1 to 65535',
    });
  }
  return String(s.port);
}

/**
 * `tcp DEST PORT` / `udp DEST PORT` set ST to a PORT_STATES word, or why the probe could not run.
 * TCP: nc's own words tell a reset ("Connection refused") from its connect timeout ("timed out");
 * `-e true` closes the connection as soon as it is made. UDP: traceroute sends one datagram with a
 * TTL that gets there (to PORT: it adds the probe's sequence number 1 to -p) and prints the address
 * that answered with an ICMP error, or `*` when none did; `!` marks an unreachable other than the
 * port's own.
 */
const PORT_FUNCTIONS = [
  'NC=1; command -v nc >/dev/null 2>&1 || NC=0',
  'TR=1; command -v traceroute >/dev/null 2>&1 || TR=0',
  "NL='",
  "'",
  'tcp() {',
  '  [ $NC = 1 ] || { ST=nonc; return; }',
  '  now; t0=$NOW; e=$(nc -w $T "$1" "$2" -e true 2>&1) && { ST=open; return; }',
  '  now; tcpst "$e" $((NOW - t0))',
  '}',
  // What nc's words say of a port it could not connect to, after $2 ms. No words at all are
  // silence only when nc waited out its -w; sooner, its words were lost: no claim either way.
  'tcpst() {',
  '  case "$1" in *refused*) ST=refused;; *"timed out"*) ST=silent;; *nreachable*|*"No route"*) ST=unreach;;',
  '    "") if [ "$2" -ge $((T * 1000 - 100)) ]; then ST=silent; else ST=fail; fi;; *) ST=fail;; esac',
  '}',
  'udp() {',
  '  [ $TR = 1 ] || { ST=notr; return; }',
  // No `timeout` around traceroute: -q and -w bound it (see NSL for why timeout is avoided).
  '  e=$(traceroute -n -q 1 -f 32 -m 32 -w $T -p $(($2 - 1)) "$1" 2>/dev/null); udpst "${e##*$NL}" "$1"',
  '}',
  // udpst HOPLINE DEST. Another address on the hop line: an answer to another probe of this source
  // to the same port (traceroute knows answers by port alone), not to this one: asked again, never
  // a verdict.
  'udpst() {',
  '  case "$1" in *"!"*) ST=unreach;; *" $2 "*) ST=refused;; "32 "*[0-9]*) ST=other;; *"*"*) ST=silent;; *) ST=fail;; esac',
  '}',
];

/** Lookups a name probe makes at least before it calls a resolver that never answered inconclusive. */
export const LOOKUP_TRIES = 3;

/**
 * `iface MAC ADDR` finds the interface to bind; `p TAG MODE KIND DEST IFACE PORT FULLSIZE` probes
 * (FULLSIZE: `-`, or the base port of this probe's full-size packets).
 */
const PROBE_FUNCTIONS = [
  // The interface with this MAC address, else the one holding this address; "!" when none is.
  'iface() {',
  '  if [ "$1" != - ]; then for d in /sys/class/net/*; do',
  '    read a < "$d/address" 2>/dev/null && [ "$a" = "$1" ] && { echo "${d##*/}"; return; }',
  '  done; fi',
  '  if [ "$2" != - ]; then ip -o -4 addr show 2>/dev/null | while read -r _ n _ a _; do',
  '    [ "${a%/*}" = "$2" ] && { echo "${n%%@*}"; break; }',
  '  done; fi',
  '}',
  // look NAME (a lookup, then lookw) sets RES: 1 resolved (ADDR: its first IPv4 address, when one
  // is shown); 0 the resolver answered that it does not (NXDOMAIN, SERVFAIL, REFUSED, an answer
  // without an address, an older nslookup's "can't resolve", the resolver's address refusing the
  // query); t no answer came (nslookup's own "connection timed out", or cut by timeout where NSL
  // needs it), which is no evidence either way; - no nslookup. busybox prints "Name:" for an
  // answer record alone, never for the server it asked.
  // lookw WORDS RC: what a lookup's words and exit status say (RES, ADDR); its variables are its
  // own, as the main shell calls it too (named).
  'lookw() {',
  '  ADDR=',
  '  case $2 in 127) RES=-; return;; 124|137|143) lk=1;; *) lk=0;; esac',
  '  case "$1" in',
  '    *Name:*) RES=1; la=${1#*Name:}; la=${la#*Address}; la=${la#*: }; ADDR=${la%%[!0-9.]*};;',
  // The resolver's address refused the query (an ICMP "port unreachable": no DNS server there, as
  // on Docker's default bridge with an upstream that serves none): an answer, even if cut after it.
  '    *"onnection refused"*) RES=0;;',
  '    *) if [ $lk = 1 ]; then RES=t; else case "$1" in',
  '      *"timed out"*|*"no servers"*) RES=t;;',
  '      *"can\'t"*|*NXDOMAIN*|*SERVFAIL*|*REFUSED*) RES=0;;',
  '      *) if [ $2 = 0 ]; then RES=0; else RES=t; fi;;',
  '    esac; fi;;',
  '  esac',
  '}',
  'look() { le=$($NSL "$1" 2>&1); lookw "$le" $?; }',
  // whole DEST IFACE PORT [SIZE]: one "don't fragment" traceroute try; B says what the hop line
  // showed: 1 DEST answered, F "fragmentation needed", 0 silence, x someone else answered (not an
  // answer to this probe), - no hop line at all (cut short on a busy host).
  'whole() {',
  '  e=$(traceroute -F -i "$2" -n -q 2 -f 32 -m 32 -w $T -p $3 "$1" $4 2>/dev/null); e=${e##*$NL}',
  '  case "$e" in *"!F"*) B=F;; *" $1 "*) B=1;; "32 "*[0-9]*) B=x;; "32 "*) B=0;; *) B=-;; esac',
  '}',
  // p TAG MODE KIND DEST IFACE PORT FULLSIZE [DONE RC [RES]]
  'p() {',
  // DONE RC RES: a probe whose first try the main shell made (L, N, Y) goes on from it, timed from
  // that try's start (ST, set by first); RES is a name's lookup result.
  '  now; s=$NOW; n=${8:-0}; res=${10:--}; skip=; [ "$n" -gt 0 ] && { s=$ST; skip=1; }',
  '  if [ -z "$5" ] || [ "$5" = "!" ]; then now; echo "@@lab $1 noif 0 - $((NOW - s)) -"; return; fi',
  '  while :; do',
  '    if [ -n "$skip" ]; then skip=; rc=$9; else',
  '    n=$((n+1))',
  '    if [ "$3" = tcp ] || [ "$3" = udp ]; then',
  '      $3 "$4" "$6"; rc=$ST',
  '    elif [ "$3" = name ]; then',
  // A resolved name is pinged at the address its lookup gave: a second lookup by ping could time
  // out on a busy resolver and turn a reachable name into "no reply".
  '      look "$4"; res=$RES',
  '      case $res in',
  '        1) if [ -n "$ADDR" ]; then ping -c 1 -W $T "$ADDR"; else timeout $((T+1)) ping -c 1 -W $T "$4"; fi >/dev/null 2>&1; rc=$?;;',
  '        -) timeout $((T+1)) ping -c 1 -W $T "$4" >/dev/null 2>&1; rc=$?;;',
  '        *) rc=1;;',
  '      esac',
  '    elif [ "$5" = - ]; then',
  '      ping -c 1 -W $T "$4" >/dev/null 2>&1; rc=$?',
  '    else',
  '      ping -c 1 -W $T -I "$5" "$4" >/dev/null 2>&1; rc=$?',
  '    fi',
  '    fi',
  // A port's answer (open, refused, unreachable) is final, but a refusal is asked again for one
  // second while the listener may still be starting; only silence is retried for the whole wait.
  // (An ip or name probe's RC is a number: none of these.)
  '    case $3$rc in tcpopen|udpsilent|*nonc|*notr|*fail) break;; *refused|*unreach|*other) now; [ $NOW -ge $((s + 1000)) ] && break;; esac',
  '    [ "$rc" = 0 ] && break',
  // A lookup that got no answer says nothing about the name: it is asked again within the wait,
  // also for a cell that must not reach, and LOOKUP_TRIES times at least (a loaded host starts a
  // lookup late, and the wait may be 0).
  '    [ "$2" = once ] && [ "$res" != t ] && break',
  // A "must reach" probe whose first try outlasted the wait (a loaded host starts it late, or its
  // answer comes late) gets a second one when there is a wait at all: one late try is not a drop.
  '    m=1; [ $W -gt 0 ] && m=2; [ "$res" = t ] && m=' + String(LOOKUP_TRIES),
  '    now; [ $NOW -ge $end ] && [ $n -ge $m ] && break',
  // A refused send (interface down, no route) returns at once: do not spin.
  '    sleep 0.2',
  '  done',
  // Full-size packets with "don't fragment" (two per try, so that one lost packet is not a
  // verdict): their size is the interface's MTU; the destination's ICMP "port unreachable" says one
  // got there whole. Tried again, as the small ping is, until the wait runs out: on a busy host an
  // answer later than T is not a lower MTU. $7 is this probe's own destination port: busybox
  // traceroute knows its answers by that port alone, so parallel traceroutes that share one would
  // take each other's answers (another target's address on the hop line). A lower MTU is claimed
  // only on conclusive evidence: a "fragmentation needed", or silence to every full-size try while
  // a small datagram to the same port is answered right after; anything else is "could not tell".
  '  big=-; B=-',
  '  if [ "$rc" = 0 ] && [ "$7" != - ] && [ "$5" != - ]; then',
  '    m=$(cat /sys/class/net/$5/mtu 2>/dev/null)',
  '    while [ -n "$m" ]; do',
  '      whole "$4" "$5" $7 $m',
  '      case $B in 1|F) break;; esac',
  '      now; [ $NOW -ge $end ] && break',
  '      sleep 0.2',
  '    done',
  '    case $B in',
  '      1) big=$m:1;; F) big=$m:0;;',
  '      0) whole "$4" "$5" $7; if [ $B = 1 ]; then big=$m:0; else big=$m:u; fi;;',
  '      x) big=$m:u;;',
  '    esac',
  '  fi',
  '  now; echo "@@lab $1 $rc $n $res $((NOW - s)) $5 $big"',
  '}',
];

/**
 * NSL: how a lookup is bounded to T seconds. busybox's own nslookup (the one whose usage names
 * -type=, the default since 1.28) bounds itself (-timeout, -retry); an older or libc one is cut by
 * `timeout`. Avoiding `timeout` matters: busybox timeout forks a watcher that outlives the tool as a
 * zombie of the container's PID 1, and a PID 1 such as `sleep` never reaps it (hundreds per check,
 * counted against the container's pids limit), besides costing two processes per lookup.
 */
const CHOOSE_NSLOOKUP = [
  'case "$(nslookup 2>&1)" in *-type=*) NSL="nslookup -timeout=$T -retry=1";; *) NSL="timeout $T nslookup";; esac',
  'NS=1; command -v nslookup >/dev/null 2>&1 || NS=0',
];

/**
 * Every probe's first try is started by the main shell itself (a ping, nc, traceroute, a lookup):
 * one process per try instead of two (a subshell of ours running the tool), which on a machine where
 * every process is expensive was a third of a check's processes. Only a probe that needs more (a
 * "must reach" that did not get there, a path's full-size packets, a lookup without an answer) goes
 * on in a subshell (p with DONE and RC).
 *
 * `L K TAG MODE DEST IFACE FULLSIZE` starts probe K (its variables named by K, a plain number);
 * `collect` takes every first try's exit status as it ends, and `first K` judges one.
 *
 * How a try's end is seen, with only the shell's builtins (no process per probe): a trap on CHLD
 * (`stamp`) notes the time each ended (E<K>), and `wait` for a running try returns early when the
 * trap fires (POSIX). `wait -n` is not used: busybox ash's goes on waiting past a job that exits
 * non-zero and marks finished jobs as waited, after which starting the next job frees them and
 * their status is lost (`wait PID` then says 127: a reply reported as none). So `wait PID` is the
 * only wait for a try, every finished try's status is taken before anything new is started, and a
 * `wait` cut short by the trap (>128, the trap ran: CH moved) is asked again. stamp's variables are
 * its own: it can run between any two commands of the main shell.
 */
const FIRST_TRY_FUNCTIONS = [
  // slurp FILE: the file's text in x (empty: no file), with builtins only; @ when it could not be
  // read whole.
  // busybox's read polls before every byte, and a signal there (a try ending: CHLD, trapped)
  // makes it give up and drop what it had read of the line (found by a stand-in nslookup whose
  // Address line vanished). There the file is one read (-d ""), asked again while it was cut
  // short (x still @); dash and bash read files whole.
  'slurp() {',
  '  if [ ! -f "$1" ]; then x=',
  '  elif [ $RDD = 1 ]; then',
  '    x=@; for l in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do IFS= read -r -d "" x < "$1"; [ "$x" = @ ] || break; done',
  '  else x=; while IFS= read -r l || [ -n "$l" ]; do x="$x$NL$l"; done < "$1"; fi',
  '}',
  // pend K: the try just started in the background is K's, and pending.
  'pend() { eval "Q$1=\\$!"; PEND="$PEND $1"; }',
  'L() {',
  '  eval "TG$1=\\$2 M$1=\\$3 D$1=\\$4 J$1=\\$5 F$1=\\$6"',
  '  if [ -z "$5" ] || [ "$5" = "!" ]; then echo "@@lab $2 noif 0 - 0 -"; return; fi',
  '  now; eval "S$1=\\$NOW"',
  '  if [ "$5" = - ]; then ping -c 1 -W $T "$4" >/dev/null 2>&1 &',
  '  else ping -c 1 -W $T -I "$5" "$4" >/dev/null 2>&1 &',
  '  fi',
  '  pend $1',
  '}',
  // A TCP port's first try: nc started by this shell, its words kept in the scratch directory
  // (without one, or without nc, the probe runs in a subshell as a UDP one does).
  'N() {',
  '  [ -n "$SD" ] && [ $NC = 1 ] || { p "$2" "$3" tcp "$4" - "$5" - & return; }',
  '  eval "TG$1=\\$2 M$1=\\$3 D$1=\\$4 J$1=- F$1=- P$1=\\$5 KD$1=tcp"',
  '  now; eval "S$1=\\$NOW"',
  '  nc -w $T "$4" "$5" -e true </dev/null >/dev/null 2>"$SD/$1" &',
  '  pend $1',
  '}',
  // A name's first try: its lookup started by this shell, its words kept in the scratch directory
  // (without one, or without nslookup, the probe runs in a subshell as before).
  'Y() {',
  '  [ -n "$SD" ] && [ $NS = 1 ] || { p "$2" "$3" name "$4" - - - & return; }',
  '  eval "TG$1=\\$2 M$1=\\$3 D$1=\\$4 J$1=- F$1=- KD$1=name G$1=1"',
  '  now; eval "S$1=\\$NOW"',
  '  $NSL "$4" >"$SD/$1" 2>&1 &',
  '  pend $1',
  '}',
  // A UDP port's first try: traceroute started by this shell, its hop lines kept in the scratch
  // directory (without one, or without traceroute, the probe runs in a subshell).
  'U() {',
  '  [ -n "$SD" ] && [ $TR = 1 ] || { p "$2" "$3" udp "$4" - "$5" - & return; }',
  '  eval "TG$1=\\$2 M$1=\\$3 D$1=\\$4 J$1=- F$1=- P$1=\\$5 KD$1=udp"',
  '  now; eval "S$1=\\$NOW"',
  '  traceroute -n -q 1 -f 32 -m 32 -w $T -p $(($5 - 1)) "$4" >"$SD/$1" 2>/dev/null &',
  '  pend $1',
  '}',
  // lastline: the last line of x (ll), trailing newlines aside, as $(...) would give it.
  'lastline() { ll=$x; while :; do case "$ll" in *"$NL") ll=${ll%"$NL"};; *) break;; esac; done; ll=${ll##*$NL}; }',
  // named K: a name's try has ended. Its lookup (G 1): resolved, the ping at the address it gave is
  // started by this shell too (G 2); anything else, or the ping (G 2), is judged as p judges its own
  // try, and what needs more (no answer, a "must reach" not reached) goes on in p.
  'named() {',
  '  if [ "$g" = 1 ]; then',
  '    slurp "$SD/$1"',
  // No words, or words that could not be read whole: no evidence either way (p asks again).
  '    if [ -z "$x" ] || [ "$x" = @ ]; then RES=t; else lookw "$x" "$rc"; fi',
  '    case $RES in',
  '      -) p "$t" "$m" name "$d" - - - & return;;',
  '      1) eval "G$1=2 E$1="',
  '        if [ -n "$ADDR" ]; then ping -c 1 -W $T "$ADDR" >/dev/null 2>&1 &',
  '        else timeout $((T+1)) ping -c 1 -W $T "$d" >/dev/null 2>&1 &',
  '        fi',
  '        pend $1; return;;',
  '    esac',
  '    rc=1',
  '  else RES=1; fi',
  '  if [ "$rc" = 0 ] || { [ "$m" = once ] && [ $RES != t ]; }; then echo "@@lab $t $rc 1 $RES $((e - s0)) - -"',
  '  else ST=$s0; p "$t" "$m" name "$d" - - - 1 "$rc" $RES & fi',
  '}',
  'stamp() {',
  '  CH=$((CH + 1)); now SN',
  '  for SK in $PEND; do eval "[ -n \\"\\$E$SK\\" ] || kill -0 \\$Q$SK 2>/dev/null || E$SK=$SN"; done',
  '}',
  'reap() {',
  '  eval "q=\\$Q$1"',
  '  while :; do c=$CH; wait "$q"; r=$?; [ $r -gt 128 ] && [ "$c" != "$CH" ] || break; done',
  '  eval "R$1=$r"',
  '}',
  'first() {',
  '  eval "t=\\$TG$1 m=\\$M$1 d=\\$D$1 i=\\$J$1 f=\\$F$1 s0=\\$S$1 rc=\\$R$1 e=\\$E$1 pt=\\$P$1 g=\\$G$1 kd=\\$KD$1"',
  '  [ -n "$e" ] || { now; e=$NOW; }',
  '  case $kd in',
  '    name) named $1; return;;',
  // A UDP port: what its hop line says (an unreadable one says nothing: the probe failed).
  '    udp) slurp "$SD/$1"; lastline; udpst "$ll" "$d"; pw=$ST; got=silent;;',
  // nc's words that could not be read whole are words of no known meaning: the probe failed.
  '    tcp) pw=open; got=open',
  '      [ "$rc" = 0 ] || { slurp "$SD/$1"; [ "$x" = @ ] && x=unreadable; tcpst "$x" $((e - s0)); pw=$ST; };;',
  '    *) if { [ "$rc" = 0 ] && [ "$f" != - ]; } || { [ "$rc" != 0 ] && [ "$m" = retry ]; }; then',
  '        ST=$s0; p "$t" "$m" ip "$d" "$i" - "$f" 1 "$rc" &',
  '      else echo "@@lab $t $rc 1 - $((e - s0)) $i -"; fi; return;;',
  '  esac',
  // A port's "must reach" whose try did not get there (TCP: connected; UDP: let through in
  // silence) goes on in p, which judges the try as its own.
  '  if [ "$m" = retry ] && [ $pw != $got ]; then ST=$s0; p "$t" "$m" $kd "$d" - "$pt" - 1 "$pw" &',
  '  else echo "@@lab $t $pw 1 - $((e - s0)) - -"; fi',
  '}',
  'collect() {',
  '  while [ -n "$PEND" ]; do',
  '    rest=; ended=; c0=$CH',
  '    for k in $PEND; do',
  '      eval "e=\\$E$k q=\\$Q$k"',
  '      if [ -z "$e" ] && kill -0 "$q" 2>/dev/null; then rest="$rest $k"; else ended="$ended $k"; reap $k; fi',
  '    done',
  '    PEND=$rest',
  '    for k in $ended; do first $k; done',
  // Nothing ended and no trap since the scan began: wait for the oldest try, or the next to end.
  '    [ -z "$ended" ] && [ "$c0" = "$CH" ] && for k in $PEND; do eval "wait \\$Q$k"; break; done',
  '  done',
  '  trap - CHLD',
  '}',
];

/**
 * SD: a directory of this script's own for the words of the first tries of ports and names (one
 * file per try: nc's, traceroute's, nslookup's, read with the shell's `read`), removed at its end;
 * empty when /tmp takes no directory (a read-only root), and those probes then run in subshells.
 * The script runs only in lab's own containers (probers, and sources lab made), never in one it was
 * asked only to look at.
 */
const SCRATCH = 'SD=/tmp/.lab-probe.$$; mkdir -m 700 "$SD" 2>/dev/null || SD=';

/** traceroute's default base port; each full-size probe uses the two ports above its own base. */
const FULL_SIZE_BASE_PORT = 33434;

/**
 * A base port of its own for every full-size probe of one script (they all run at once in one
 * network namespace, where busybox traceroute tells its answers apart by destination port only),
 * none of whose two ports is a UDP port this script probes.
 */
function fullSizePorts(specs: readonly ProbeSpec[]): Map<ProbeSpec, string> {
  const udp = new Set(specs.filter((s) => s.kind === 'udp').map((s) => s.port));
  const out = new Map<ProbeSpec, string>();
  let base = FULL_SIZE_BASE_PORT;
  for (const s of specs) {
    if (s.fullSize !== true || s.kind !== 'ip' || pathSender(specs, s) !== s) continue;
    while (udp.has(base + 1) || udp.has(base + 2)) base += 2;
    out.set(s, String(base));
    base += 2;
  }
  return out;
}

export function buildProbeScript(specs: readonly ProbeSpec[], timing: ScriptTiming): string {
  const t = pingSeconds(timing.timeoutSeconds);
  const w = Math.max(0, Math.ceil(timing.waitSeconds));
  // Each interface to bind is looked up once (I1, I2, …), before the probes start.
  const bindings = new Map<string, string>();
  const bindVar = (s: ProbeSpec): string => {
    if (!s.bindMac && !s.bindIp) return '-';
    const key = `${word(s.bindMac, 'MAC address')} ${word(s.bindIp, 'address')}`;
    let v = bindings.get(key);
    if (!v) {
      v = `I${bindings.size + 1}`;
      bindings.set(key, v);
    }
    return `"$${v}"`;
  };
  const fullSizePort = fullSizePorts(specs);
  const scratch = specs.some((s) => s.kind !== 'ip');
  // Every first try is started by the main shell: an ip probe's (L), a TCP port's (N), a name's
  // (Y), a UDP port's (U). Names and ports are unbound (nc cannot bind an interface; a name is
  // pinged where its lookup points).
  const firstTries: string[] = [];
  for (const [k, s] of specs.entries()) {
    const tag = word(s.tag, 'tag');
    const dest = word(s.dest, 'target');
    if (s.kind === 'ip') {
      const full = fullSizePort.get(s) ?? '-';
      firstTries.push(['L', String(k + 1), tag, s.mode, dest, bindVar(s), full].join(' '));
    } else if (s.kind === 'tcp') {
      firstTries.push(['N', String(k + 1), tag, s.mode, dest, portWord(s)].join(' '));
    } else if (s.kind === 'name') {
      firstTries.push(['Y', String(k + 1), tag, s.mode, dest].join(' '));
    } else {
      firstTries.push(['U', String(k + 1), tag, s.mode, dest, portWord(s)].join(' '));
    }
  }
  const lines = [
    'T=' + t,
    'W=' + w,
    // Milliseconds since boot in NOW (or the variable named), in 10 ms steps, without a subshell:
    // busybox date has no %N, and hundreds of probes at once make every fork count. It sets no
    // other variable that anything reads, so that the trap (stamp) may use it between any two
    // commands of the main shell.
    // busybox's read gives up when a signal comes (see slurp) and then sets nothing: the value is
    // cleared first and read again until a whole line came.
    'now() {',
    '  eval "${1:-NOW}="',
    '  for NJ in 1 2 3 4 5 6 7 8; do read ${1:-NOW} NJ < /proc/uptime && break; done',
    '  eval "${1:-NOW}=\\$(( \\${${1:-NOW}%.*}\\${${1:-NOW}#*.} * 10 ))"',
    '}',
    // RDD: this shell's read takes -d "" (busybox, bash), which slurp needs there.
    'RDD=0; read -r -d "" RDD < /dev/null 2>/dev/null; [ $? = 1 ] && RDD=1',
    'for x in ' + PROBE_TOOLS.join(' ') + '; do',
    '  command -v $x >/dev/null 2>&1 || echo "@@lab-missing $x"',
    'done',
    'command -v ping >/dev/null 2>&1 || exit 0',
    ...(specs.some((s) => s.kind === 'name') ? CHOOSE_NSLOOKUP : []),
    ...PORT_FUNCTIONS,
    ...PROBE_FUNCTIONS,
    ...FIRST_TRY_FUNCTIONS,
    ...[...bindings].map(([key, v]) => `${v}=$(iface ${key}); [ -n "$${v}" ] || ${v}="!"`),
    ...(scratch ? [SCRATCH] : []),
    'now; end=$((NOW + W * 1000)); PEND=; CH=0; trap stamp CHLD',
    // First tries, each timed from its own start, collected as soon as they are all started.
    ...firstTries,
    'collect',
    'wait',
    ...(scratch ? ['[ -z "$SD" ] || rm -rf "$SD"'] : []),
    'echo @@lab-done',
    '',
  ];
  return lines.join('\n');
}

function pathKey(s: ProbeSpec): string | undefined {
  return s.path === undefined ? undefined : `${s.bindMac ?? '-'} ${s.bindIp ?? '-'} ${s.path}`;
}

/** The probe of the script that sends the full-size packets for this one's path (itself, or the first). */
function pathSender(specs: readonly ProbeSpec[], spec: ProbeSpec): ProbeSpec {
  const key = pathKey(spec);
  if (key === undefined) return spec;
  return specs.find((s) => s.fullSize === true && s.kind === 'ip' && pathKey(s) === key) ?? spec;
}

/**
 * Gives every probe that reached and shares its path with the one that sent the full-size packets
 * that probe's result, naming the address it was sent to.
 */
export function shareFullSize(specs: readonly ProbeSpec[], lines: Map<string, ProbeLine>): void {
  for (const spec of specs) {
    if (spec.fullSize !== true || spec.kind !== 'ip') continue;
    const sender = pathSender(specs, spec);
    const line = lines.get(spec.tag);
    const measured = lines.get(sender.tag)?.fullSize;
    if (sender === spec || !line || line.status !== 'reached' || !measured) continue;
    lines.set(spec.tag, { ...line, fullSize: { ...measured, towards: sender.dest } });
  }
}

/** What one probe saw. */
export interface ProbeLine {
  tag: string;
  /** reached: a reply came back; not-reached: none did; error: the probe could not run. */
  status: 'reached' | 'not-reached' | 'error';
  /** ping's exit status, when it ran. */
  exitCode?: number;
  /** For a port probe: what the port did. */
  port?: PortState;
  /**
   * The full-size "don't fragment" packet, when one was sent: its size, and whether it got there
   * (undefined: could not be told, see describeObservation).
   */
  fullSize?: { bytes: number; passed?: boolean; towards?: string };
  attempts: number;
  /** For name probes: whether the name resolved (undefined: not known, the image has no nslookup). */
  resolved?: boolean;
  durationMs: number;
  /** The interface the probe left through; undefined when unbound. */
  iface?: string;
  /** Why, in words, for an error. */
  detail?: string;
}

export interface ProbeOutput {
  lines: Map<string, ProbeLine>;
  /** Tools the probe image lacks. */
  missing: string[];
  /** True when the script got to its end (every probe reported or was cut). */
  done: boolean;
}

/**
 * Exit status → verdict. 0: a reply. 1: no reply (busybox and iputils), also a refused send in
 * busybox. 2: iputils' "other error", in practice "Network is unreachable" (the script only ever
 * passes well-formed arguments). 124/137/143: our own `timeout` ended it (a name probe that hung).
 * Anything else (126/127: no such tool, signals) means the probe did not run.
 */
export function statusOfExit(code: number): ProbeLine['status'] {
  if (code === 0) return 'reached';
  if (code === 1 || code === 2 || code === 124 || code === 137 || code === 143)
    return 'not-reached';
  return 'error';
}

const LINE =
  /^@@lab (\S+) (\d+|noif|nonc|notr|fail|other|open|refused|silent|unreach) (\d+) ([01t-]) (\d+) (\S+)(?: (-|\d+:[01u]))?$/;

const PORT_TOOL_TROUBLE: Record<string, string> = {
  nonc: 'the probe image has no nc, so TCP ports cannot be probed',
  notr: 'the probe image has no traceroute, so UDP ports cannot be probed',
  fail: 'the port probe could not run (nc or traceroute failed in the probe image)',
  other:
    'only answers meant for another probe of this source to the same port came back (busybox traceroute tells answers apart by port alone), so whether this port refuses could not be told',
};

/** A name probe whose lookups all went unanswered: inconclusive, never "does not resolve". */
function lookupUnanswered(line: { attempts: number; durationMs: number }): string {
  const tries = `${line.attempts} ${line.attempts === 1 ? 'try' : 'tries'} in ${line.durationMs} ms`;
  return `the name lookup got no answer (${tries}): the container's resolver (Docker's embedded DNS, or the server it forwards to) did not answer in time, so whether the name resolves could not be told`;
}

export function parseProbeOutput(stdout: string): ProbeOutput {
  const lines = new Map<string, ProbeLine>();
  const missing: string[] = [];
  let done = false;
  for (const raw of stdout.split('\n')) {
    const text = raw.trim();
    if (text === '@@lab-done') {
      done = true;
      continue;
    }
    const miss = /^@@lab-missing (\S+)$/.exec(text);
    if (miss?.[1]) {
      missing.push(miss[1]);
      continue;
    }
    const m = LINE.exec(text);
    if (!m) continue;
    const [, tag = '', rc = '', attempts = '0', resolved = '-', ms = '0', iface = '-', big] = m;
    const [bytes, passed] = (big ?? '-').split(':');
    const base = {
      tag,
      attempts: Number(attempts),
      durationMs: Number(ms),
      ...((resolved === '0' || resolved === '1') && { resolved: resolved === '1' }),
      ...(iface !== '-' && { iface }),
      ...(passed !== undefined && {
        fullSize: { bytes: Number(bytes), ...(passed !== 'u' && { passed: passed === '1' }) },
      }),
    };
    if (resolved === 't') {
      lines.set(tag, { ...base, status: 'error', detail: lookupUnanswered(base) });
      continue;
    }
    const trouble = PORT_TOOL_TROUBLE[rc];
    if (trouble !== undefined) {
      lines.set(tag, { ...base, status: 'error', detail: trouble });
      continue;
    }
    if ((PORT_STATES as readonly string[]).includes(rc)) {
      const port = rc as PortState;
      lines.set(tag, { ...base, status: port === 'open' ? 'reached' : 'not-reached', port });
      continue;
    }
    if (rc === 'noif') {
      lines.set(tag, {
        ...base,
        status: 'error',
        detail: 'the interface to leave from is gone from the container (disconnected meanwhile?)',
      });
      continue;
    }
    const exitCode = Number(rc);
    const status = statusOfExit(exitCode);
    lines.set(tag, {
      ...base,
      status,
      exitCode,
      ...(status === 'error' && {
        detail:
          exitCode === 126 || exitCode === 127
            ? `ping could not be started in the probe (exit ${exitCode})`
            : `ping ended with exit status ${exitCode}`,
      }),
    });
  }
  return { lines, missing, done };
}
