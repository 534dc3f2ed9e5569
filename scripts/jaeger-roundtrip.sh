#!/usr/bin/env bash
# jaeger-roundtrip.sh: a real end-to-end check of otelllm's telemetry, with no
# Docker. It starts Jaeger v2 (an OpenTelemetry Collector distribution) with
# deploy/jaeger-ci.yaml, runs a program that sends OTLP to it, and passes only
# if Jaeger's query API returns the GenAI spans with token usage and cost and
# the collector's prometheus exporter serves the token, duration and cost
# metrics under the names the Grafana dashboard queries. That program runs
# with content capture off, as by default, and its spans must carry no
# message content. Then it runs the agent example, which captures content:
# its trace in Jaeger must show the messages of every step (the question, the
# tool call and its arguments, the tool's result, the answer) on its chat
# spans, and Jaeger's collector must have received one
# gen_ai.client.inference.operation.details event per chat span, in that
# span (the debug exporter writes them to Jaeger's log).
#
# Usage: scripts/jaeger-roundtrip.sh            (from anywhere)
#
# Environment (all optional):
#   ROUNDTRIP_CMD      program to run, from the repo root
#                      (default: go run ./examples/quickstart)
#   ROUNDTRIP_SERVICE  service name it reports (default: otelllm-quickstart)
#   ROUNDTRIP_METRICS  Prometheus metric names that must appear (default below)
#   ROUNDTRIP_CONTENT_CMD  program that captures content, run second
#                      (default: go run ./examples/agent; empty skips it)
#   ROUNDTRIP_CONTENT_SERVICE  its service name (default: otelllm-example-agent)
#   ROUNDTRIP_TIMEOUT  seconds to wait for spans and metrics (default: 60)
#   ROUNDTRIP_CMD_TIMEOUT  seconds the program may run, build included (default: 300)
#   JAEGER_VERSION, JAEGER_BIN, OTELLLM_CACHE_DIR: see scripts/lib/roundtrip.sh
#
# Ports used on 127.0.0.1: 4317/4318 (OTLP), 16686 (query API), 8889
# (prometheus exporter), 13133 (health check). The script refuses to start if
# any is taken, rather than reading some other process's telemetry.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/roundtrip.sh
source "$repo_root/scripts/lib/roundtrip.sh"
app_cmd=${ROUNDTRIP_CMD:-go run ./examples/quickstart}
service=${ROUNDTRIP_SERVICE:-otelllm-quickstart}
required_metrics=${ROUNDTRIP_METRICS:-otelllm_client_token_count_total gen_ai_client_token_usage_bucket gen_ai_client_operation_duration_seconds_bucket otelllm_client_cost_USD_total}
wait_seconds=${ROUNDTRIP_TIMEOUT:-60}
app_seconds=${ROUNDTRIP_CMD_TIMEOUT:-300}
content_cmd=${ROUNDTRIP_CONTENT_CMD-go run ./examples/agent}
content_service=${ROUNDTRIP_CONTENT_SERVICE:-otelllm-example-agent}

roundtrip_init roundtrip

# --- 1. Jaeger, built once and cached, on loopback ------------------------
jaeger_start

# --- 2. the program under test ----------------------------------------------
say "== running: $app_cmd"
app_status=0
(
	cd "$repo_root"
	export OTEL_EXPORTER_OTLP_ENDPOINT=$otlp_http_endpoint
	export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
	export OTEL_SERVICE_NAME="$service"
	export OTEL_TRACES_EXPORTER=otlp OTEL_METRICS_EXPORTER=otlp
	# Content capture off, as it is by default.
	unset OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT
	# shellcheck disable=SC2086 # the command is meant to be word-split
	exec timeout --kill-after=10 "$app_seconds" $app_cmd
) >"$workdir/app.log" 2>&1 || app_status=$?
if [[ $app_status != 0 ]]; then
	tail -n 20 "$workdir/app.log" >&2
	((app_status == 124)) && fail "the program did not finish within ${app_seconds}s"
	fail "the program exited with status $app_status"
fi
say "   exited 0"

# --- 3. spans, from Jaeger's query API --------------------------------------
# One span per line: Jaeger's JSON has "operationName" once per span and
# writes a tag as {"key":...,"type":...,"value":...}, so plain sed and grep
# suffice and the script needs nothing but curl.
spans_by_line() { sed 's/"operationName"/\n&/g' | grep '^"operationName"' || true; }
genai_spans() { spans_by_line | grep '"key":"gen_ai.operation.name"' | grep '"key":"gen_ai.usage.cost"' |
	grep -E '"key":"gen_ai.usage.(input|output)_tokens"' || true; }

say "== waiting up to ${wait_seconds}s for the spans in Jaeger ($query_api)"
deadline=$((SECONDS + wait_seconds))
traces=""
until fetch "$query_api/api/services" | grep -q "\"$service\"" &&
	traces=$(fetch "$query_api/api/traces?service=$service&limit=20") &&
	[[ -n $(genai_spans <<<"$traces") ]]; do
	((SECONDS < deadline)) || fail "no span with gen_ai.operation.name, token usage and gen_ai.usage.cost for service \"$service\" in Jaeger within ${wait_seconds}s (services: $(fetch "$query_api/api/services"))"
	sleep 1
done
printf '%s\n' "$traces" >"$workdir/traces.json"
if grep -Eq '"key":"gen_ai\.(input|output)\.messages"' <<<"$traces"; then
	fail "spans of \"$service\" carry message content, which is off unless the application opts in"
fi
span_count=$(spans_by_line <<<"$traces" | wc -l)
genai_count=$(genai_spans <<<"$traces" | wc -l)
say "   GET /api/traces?service=$service: $span_count span(s), $genai_count with GenAI usage and cost; the first:"
first_span=$(genai_spans <<<"$traces" | sed -n 1p)
say "   span \"$(sed -n 's/^"operationName":"\([^"]*\)".*/\1/p' <<<"$first_span")\""
grep -o '"key":"[a-z_.]*","type":"[a-z0-9]*","value":[^}]*' <<<"$first_span" |
	grep -E '"key":"(gen_ai|server|error)\.' |
	sed -E 's/^"key":"([^"]*)","type":"[^"]*","value":(.*)$/     \1 = \2/' || true

# --- 4. metrics, from the collector's prometheus exporter -------------------
say "== waiting up to ${wait_seconds}s for the metrics at $metrics_url"
deadline=$((SECONDS + wait_seconds))
while :; do
	scrape=$(fetch "$metrics_url")
	missing=""
	for name in $required_metrics; do
		grep -Eq "^$name(\{| )" <<<"$scrape" || missing="$missing $name"
	done
	[[ -z $missing ]] && break
	((SECONDS < deadline)) || fail "metrics missing from $metrics_url after ${wait_seconds}s:$missing"
	sleep 1
done
printf '%s\n' "$scrape" >"$workdir/metrics.txt"
say "   families served: $(grep -E '^# TYPE (gen_ai|otelllm)_' <<<"$scrape" | awk '{printf "%s%s (%s)", sep, $3, $4; sep=", "}')"
say "   a sample of each required metric (labels with empty values omitted):"
for name in $required_metrics; do
	# For a histogram, the _count line reads better than one bucket of many.
	shown=${name%_bucket}
	[[ $shown != "$name" ]] && shown=${shown}_count
	# A non-zero sample says more than, say, cache_read tokens of 0.
	sample=$(grep -E "^$shown(\{| )" <<<"$scrape" | grep -v ' 0$' | sed -n 1p)
	[[ -n $sample ]] || sample=$(grep -m 1 -E "^$shown(\{| )" <<<"$scrape")
	sed -E 's/,?[a-z_]+=""//g; s/\{,/{/; s/^/     /' <<<"$sample"
done

# --- 5. content capture: the agent's conversation, step by step -------------
if [[ -n $content_cmd ]]; then
	say "== running, with content capture: $content_cmd"
	app_status=0
	(
		cd "$repo_root"
		export OTEL_EXPORTER_OTLP_ENDPOINT=$otlp_http_endpoint
		export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
		export OTEL_SERVICE_NAME="$content_service"
		export OTEL_TRACES_EXPORTER=otlp OTEL_METRICS_EXPORTER=otlp OTEL_LOGS_EXPORTER=otlp
		export OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=SPAN_AND_EVENT
		# shellcheck disable=SC2086 # the command is meant to be word-split
		exec timeout --kill-after=10 "$app_seconds" $content_cmd
	) >"$workdir/content-app.log" 2>&1 || app_status=$?
	if [[ $app_status != 0 ]]; then
		tail -n 20 "$workdir/content-app.log" >&2
		fail "the content program exited with status $app_status"
	fi
	say "   exited 0"

	# The chat spans: each with its input and output messages. Jaeger
	# writes a string tag's value JSON-escaped, so the messages' quotes
	# read \" here.
	# Split before each span's "traceID", which comes first in a span
	# (references start with "refType"), so each line has the span's ids.
	spans_with_ids() { sed 's/{"traceID"/\n&/g' | grep '^{"traceID"' || true; }
	chat_spans() { spans_with_ids | grep '"key":"gen_ai.operation.name","type":"string","value":"chat"' || true; }
	with_content() { grep '"key":"gen_ai.input.messages"' | grep '"key":"gen_ai.output.messages"' || true; }
	say "== waiting up to ${wait_seconds}s for the content in Jaeger"
	deadline=$((SECONDS + wait_seconds))
	content_traces=""
	until content_traces=$(fetch "$query_api/api/traces?service=$content_service&limit=20") &&
		(($(chat_spans <<<"$content_traces" | with_content | wc -l) >= 2)); do
		((SECONDS < deadline)) || fail "no two chat spans with gen_ai.input.messages and gen_ai.output.messages for \"$content_service\" in Jaeger within ${wait_seconds}s"
		sleep 1
	done
	printf '%s\n' "$content_traces" >"$workdir/content-traces.json"
	chats=$(chat_spans <<<"$content_traces" | with_content)
	say "   $(wc -l <<<"$chats") chat span(s) with gen_ai.input.messages and gen_ai.output.messages"
	# The messages of every step: the tool call the model asked for, with
	# its arguments; the call and its result sent back; the answer.
	for want in '\"type\":\"tool_call\",\"id\":\"call_fake_1\",\"name\":\"search\",\"arguments\":{\"query\":\"ruby-throated hummingbird weight\"}' \
		'\"type\":\"tool_call_response\",\"id\":\"call_fake_1\"' \
		'\"content\":\"The ruby-throated hummingbird weighs about 3 grams, less than a nickel.\"'; do
		grep -qF "$want" <<<"$chats" || fail "the chat spans in Jaeger lack $want"
		say "   found ${want//\\/}"
	done
	trace_ids=$(sed -n 's/^{"traceID":"\([0-9a-f]*\)".*/\1/p' <<<"$chats" | sort -u)
	[[ $(wc -l <<<"$trace_ids") == 1 ]] || fail "the agent's chat spans are in more than one trace: $trace_ids"
	span_ids=$(sed -n 's/^{"traceID":"[0-9a-f]*","spanID":"\([0-9a-f]*\)".*/\1/p' <<<"$chats")
	say "   all in trace $trace_ids"

	# The details events, from the debug exporter's output in Jaeger's log:
	# one per chat span, carrying that span's ids.
	say "== waiting up to ${wait_seconds}s for the details events in Jaeger's log"
	deadline=$((SECONDS + wait_seconds))
	until (($(grep -c 'EventName: gen_ai.client.inference.operation.details' "$workdir/jaeger.log") >= 2)); do
		((SECONDS < deadline)) || fail "Jaeger's collector logged no two gen_ai.client.inference.operation.details events within ${wait_seconds}s"
		sleep 1
	done
	# "trace span" of each event: the record's Trace ID and Span ID lines
	# follow its EventName line, after its attributes.
	events=$(awk '/^EventName: gen_ai.client.inference.operation.details$/ {e = 1}
		e && /^Trace ID:/ {t = $3}
		e && /^Span ID:/ {print t, $3; e = 0}' "$workdir/jaeger.log")
	for id in $span_ids; do
		grep -qx "$trace_ids $id" <<<"$events" || fail "no details event in chat span $id of trace $trace_ids (events: $events)"
	done
	say "   $(wc -l <<<"$events") event(s), one in each chat span of trace $trace_ids:"
	sed 's/^/     trace /; s/ \([0-9a-f]*\)$/, span \1/' <<<"$events"
fi

ok=1
say "PASS: spans and metrics from \"$service\" made the round trip through Jaeger $jaeger_version"
[[ -n $content_cmd ]] && say "PASS: the captured content of \"$content_service\" reached Jaeger, spans and events"
