#!/bin/sh
# A stand-in for an external coding agent (Claude Code, Codex CLI, aider) in the tests of the file channel
# (src/agent/external/): run by OpenJules in the real bubblewrap sandbox as `sh standin-agent.sh {inbox}`.
# It reads the inbox (version 1), then, as STANDIN_MODE says:
#   normal     planning: tries to write into the working copy (it must not be able to), writes a plan;
#              execution: puts 42 into src/value.txt and writes `done`
#   escape     execution: also tries to write outside the working copy (each attempt is reported)
#   leak       execution: prints its key (STANDIN_AGENT_KEY) and puts it in its summary
#   env        execution: prints its environment
#   net        execution: fetches STANDIN_ALLOWED_URL and STANDIN_OTHER_URL through the egress proxy
#   hang       never answers
#   linger     writes its outbox, then never exits
#   malformed  writes an outbox with a status the channel does not know
#   notjson    writes an outbox that is not JSON
#   claude     reports on stdout as Claude Code's --output-format json does (no outbox)
set -u
inbox=$1
field() { sed -n "s/^  \"$1\": \"\\(.*\\)\",\$/\\1/p" "$inbox"; }
phase=$(field phase)
outbox=$(field outbox)
mode=${STANDIN_MODE:-normal}
echo "stand-in agent: phase $phase, mode $mode, working in $(pwd)"

answer() { printf '%s\n' "$1" > "$outbox.partial" && mv "$outbox.partial" "$outbox"; }

case "$mode" in
  hang) exec sleep 600 ;;
  malformed) answer '{"version": 1, "status": "finished", "summary": "all good"}'; exit 0 ;;
  notjson) answer 'I did it!'; exit 0 ;;
esac

if [ "$phase" = plan ]; then
  if echo planned > planned.txt 2>/dev/null; then wrote=yes; else wrote=no; fi
  echo "writing into the working copy while planning: $wrote"
  answer "{\"version\": 1, \"status\": \"plan\", \"summary\": \"Planned by the stand-in.\", \"plan\": {\"summary\": \"Set the value to 42 (the working copy was writable while planning: $wrote).\", \"steps\": [{\"title\": \"Write 42 into src/value.txt\", \"files\": [\"src/value.txt\"]}], \"risks\": [], \"verification\": \"sh test.sh\"}, \"usage\": {\"input_tokens\": 1200, \"output_tokens\": 300, \"cost_usd\": 0.0125}}"
  exit 0
fi

echo 42 > src/value.txt
summary="src/value.txt now holds 42."
case "$mode" in
  escape)
    for target in /tmp/standin-escaped "$HOME/standin-escaped" /workspace/../standin-escaped /etc/standin-escaped /run/openjules/standin-escaped /usr/standin-escaped "${STANDIN_HOST_PATH:-/nonexistent}/standin-escaped"; do
      if echo escaped > "$target" 2>/dev/null; then echo "wrote $target"; else echo "could not write $target"; fi
    done
    ;;
  leak)
    echo "my key is $STANDIN_AGENT_KEY"
    echo "again, on stderr: $STANDIN_AGENT_KEY" >&2
    summary="Done. By the way, my key is $STANDIN_AGENT_KEY."
    ;;
  env) env | sort ;;
  net)
    # The forwarder exempts loopback (NO_PROXY); these test servers are on the host's loopback, reached only through the proxy.
    allowed=$(env -u NO_PROXY -u no_proxy curl -s -m 10 "$STANDIN_ALLOWED_URL" 2>&1)
    other=$(env -u NO_PROXY -u no_proxy curl -s -m 10 "$STANDIN_OTHER_URL" 2>&1)
    summary="allowed: $allowed | other: $(printf '%s' "$other" | head -n 1)"
    ;;
  linger)
    answer "{\"version\": 1, \"status\": \"done\", \"summary\": \"$summary\"}"
    exec sleep 600
    ;;
  claude)
    printf '{"type":"result","subtype":"success","is_error":false,"num_turns":4,"result":"%s","total_cost_usd":0.042,"usage":{"input_tokens":1000,"cache_read_input_tokens":500,"output_tokens":200}}\n' "$summary"
    exit 0
    ;;
esac
answer "{\"version\": 1, \"status\": \"done\", \"summary\": \"$summary\"}"
