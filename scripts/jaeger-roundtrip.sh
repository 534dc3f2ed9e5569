#!/usr/bin/env bash
# jaeger-roundtrip.sh: a real end-to-end check of otelllm's telemetry, with no
# Docker. It starts Jaeger v2 (an OpenTelemetry Collector distribution) with
# deploy/jaeger-ci.yaml, runs a program that sends OTLP to it, and passes only
# if Jaeger's query API returns the GenAI spans with token usage and cost and
# the collector's prometheus exporter serves the token, duration and cost
# metrics under the names the Grafana dashboard queries.
#
# Usage: scripts/jaeger-roundtrip.sh            (from anywhere)
#
# Environment (all optional):
#   ROUNDTRIP_CMD      program to run, from the repo root
#                      (default: go run ./examples/quickstart)
#   ROUNDTRIP_SERVICE  service name it reports (default: otelllm-quickstart)
#   ROUNDTRIP_METRICS  Prometheus metric names that must appear (default below)
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

ok=1
say "PASS: spans and metrics from \"$service\" made the round trip through Jaeger $jaeger_version"
