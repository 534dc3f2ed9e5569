#!/usr/bin/env bash
# fleet-roundtrip.sh: a real end-to-end check that fleet-wide totals add up.
# It starts Jaeger v2 (an OpenTelemetry Collector distribution) once with
# deploy/jaeger-ci.yaml, runs two replicas of one service (examples/fleet,
# built once) at the same time, sending OTLP to it, and passes only if the
# sums over all series of the collector's prometheus exporter are exactly
# the two replicas' totals added up (requests, tokens by type, cost), from two
# distinct instance labels. Then, unless FLEET_PROMETHEUS=0, a real
# Prometheus scrapes that exporter with deploy/prometheus.yaml's settings, and
# the Grafana dashboard's "total over the range" queries must give the same
# numbers: they are what a person reads after a short run.
#
# Without a service.instance.id per process, the replicas' cumulative series
# are the same series to the exporter and the last report wins: run with
# FLEET_SHARED_INSTANCE_ID=some-id to give both replicas one id and watch the
# check fail with half the requests, tokens and cost.
#
# Usage: scripts/fleet-roundtrip.sh            (from anywhere)
#
# Environment (all optional):
#   FLEET_SHARED_INSTANCE_ID  give both replicas this service.instance.id (expected to fail)
#   FLEET_PROMETHEUS   0 leaves the Prometheus check out (default: run it, building
#                      Prometheus once into the cache as for Jaeger)
#   FLEET_TIMEOUT      seconds to wait for each stage (default: 60)
#   PROMETHEUS_VERSION Prometheus module version to build (default: v0.307.3, i.e. Prometheus v3.7.3,
#                      the version docker-compose.yaml pins)
#   PROMETHEUS_BIN     use this prometheus binary instead of the cached build
#   JAEGER_VERSION, JAEGER_BIN, OTELLLM_CACHE_DIR: see scripts/lib/roundtrip.sh
#
# Ports used on 127.0.0.1: those of scripts/lib/roundtrip.sh, and 9090
# (Prometheus).
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/roundtrip.sh
source "$repo_root/scripts/lib/roundtrip.sh"
service=otelllm-fleet
wait_seconds=${FLEET_TIMEOUT:-60}
prometheus_version=${PROMETHEUS_VERSION:-v0.307.3}
prometheus_bin=${PROMETHEUS_BIN:-$cache_dir/prometheus-$prometheus_version/prometheus}
prometheus_api=http://127.0.0.1:9090
run_prometheus=${FLEET_PROMETHEUS:-1}

roundtrip_init fleet
start_time=$SECONDS

# sum_exporter reads the exposition text on stdin and sums, over every series
# of the service, requests, tokens by type and cost, and counts the distinct
# instance labels of its request counter.
sum_exporter() {
	awk -v job="job=\"$service\"" '
		/^#/ || index($0, job) == 0 { next }
		{ name = $0; sub(/[{ ].*/, "", name); value = $NF }
		name == "otelllm_client_requests_total" {
			requests += value
			if (match($0, /instance="[^"]*"/)) instances[substr($0, RSTART + 10, RLENGTH - 11)] = 1
		}
		name == "otelllm_client_token_count_total" && match($0, /otelllm_token_type="[^"]*"/) {
			tokens[substr($0, RSTART + 20, RLENGTH - 21)] += value
		}
		name == "otelllm_client_cost_USD_total" { cost += value }
		END {
			n = 0; for (i in instances) n++
			printf "requests=%d input=%d output=%d cache_read=%d cache_creation=%d reasoning=%d cost_usd=%.17g instances=%d",
				requests, tokens["input"], tokens["output"], tokens["cache_read"], tokens["cache_creation"], tokens["reasoning"], cost, n
		}'
}

# field NAME prints NAME's value from the key=value line on stdin.
field() { sed -n "s/.*\<$1=\([^ ]*\).*/\1/p"; }

# --- 1. Jaeger, and a Prometheus that scrapes its exporter ------------------
jaeger_start
if [[ $run_prometheus != 0 ]]; then
	if [[ ! -x $prometheus_bin ]]; then
		[[ -z ${PROMETHEUS_BIN:-} ]] || fail "PROMETHEUS_BIN=$PROMETHEUS_BIN is not an executable file"
		build_cached github.com/prometheus/prometheus "$prometheus_version" ./cmd/prometheus "$prometheus_bin"
	fi
	port_in_use 9090 && fail "127.0.0.1:9090 is already in use; stop whatever listens there (another Prometheus?)"
	# The compose stack's own scrape settings (honor_labels keeps the
	# exporter's job and instance labels), pointed at this Jaeger and
	# scraping every second so the check is quick.
	sed -e 's/otel-collector:8889/127.0.0.1:8889/' -e 's/\(scrape_interval\|evaluation_interval\): 15s/\1: 1s/' \
		"$repo_root/deploy/prometheus.yaml" >"$workdir/prometheus.yaml"
	grep -q '127.0.0.1:8889' "$workdir/prometheus.yaml" || fail "deploy/prometheus.yaml does not scrape otel-collector:8889 any more"
	# The feature flag is the one docker-compose.yaml gives: it makes a
	# counter born after the last scrape (a short run) start from 0 instead
	# of from its first scraped value, so increase() counts all of it.
	say "== starting Prometheus ($prometheus_bin) with deploy/prometheus.yaml, scraping 127.0.0.1:8889 every second"
	"$prometheus_bin" --config.file="$workdir/prometheus.yaml" --storage.tsdb.path="$workdir/prometheus-data" \
		--web.listen-address=127.0.0.1:9090 --enable-feature=created-timestamp-zero-ingestion \
		>"$workdir/prometheus.log" 2>&1 &
	started_pids=("$!" "${started_pids[@]}")
	deadline=$((SECONDS + 30))
	until fetch "$prometheus_api/-/ready" | grep -q Ready; do
		kill -0 "${started_pids[0]}" 2>/dev/null || { tail -n 15 "$workdir/prometheus.log" >&2; fail "Prometheus exited during start-up"; }
		((SECONDS < deadline)) || fail "Prometheus was not ready within 30s"
		sleep 0.5
	done
	prometheus_start=$(date +%s)
	say "   ready on 127.0.0.1:9090"
fi

# --- 2. the replica, built once, so that both runs start at once ------------
# (while Prometheus's target discovery takes its first few seconds)
say "== building examples/fleet"
(cd "$repo_root" && go build -o "$workdir/replica" ./examples/fleet) || fail "building examples/fleet failed"

# --- 3. two replicas at once --------------------------------------------------
replica_env=(
	OTEL_EXPORTER_OTLP_ENDPOINT="$otlp_http_endpoint" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
	OTEL_SERVICE_NAME="$service" OTEL_TRACES_EXPORTER=otlp OTEL_METRICS_EXPORTER=otlp
	# Export while both are alive too, not only at shutdown, so that their
	# reports interleave as a fleet's do.
	OTEL_METRIC_EXPORT_INTERVAL=500
)
if [[ -n ${FLEET_SHARED_INSTANCE_ID:-} ]]; then
	say "   FLEET_SHARED_INSTANCE_ID: both replicas report service.instance.id=$FLEET_SHARED_INSTANCE_ID (this should fail)"
	replica_env+=(OTEL_RESOURCE_ATTRIBUTES="service.instance.id=$FLEET_SHARED_INSTANCE_ID")
fi
replica_pids=()
for r in a b; do
	env "${replica_env[@]}" "$workdir/replica" >"$workdir/replica-$r.log" 2>&1 &
	replica_pids+=("$!")
	started_pids=("$!" "${started_pids[@]}")
done
say "== started replicas a (pid ${replica_pids[0]}) and b (pid ${replica_pids[1]}) of \"$service\""

# Each replica prints its totals, then "ready" and holds on until SIGTERM:
# once both have said ready, both are alive at the same time.
deadline=$((SECONDS + wait_seconds))
replicas=(a b)
for i in 0 1; do
	r=${replicas[$i]}
	until grep -qs '^ready:' "$workdir/replica-$r.log"; do
		if ! kill -0 "${replica_pids[$i]}" 2>/dev/null; then
			tail -n 20 "$workdir/replica-$r.log" >&2
			fail "replica $r exited before it was ready"
		fi
		((SECONDS < deadline)) || fail "replica $r was not ready within ${wait_seconds}s"
		sleep 0.2
	done
done
for i in 0 1; do
	kill -0 "${replica_pids[$i]}" 2>/dev/null || fail "a replica exited before both were running"
done
say "   both made their calls and are running at the same time"
# Their periodic exports reach the collector while both are alive, as a
# fleet's do; with one shared id (FLEET_SHARED_INSTANCE_ID) only one
# instance can ever show.
want_instances=$([[ -n ${FLEET_SHARED_INSTANCE_ID:-} ]] && echo 1 || echo 2)
deadline=$((SECONDS + wait_seconds))
until [[ $(fetch "$metrics_url" | sum_exporter | field instances) == "$want_instances" ]]; do
	((SECONDS < deadline)) || fail "the exporter did not show $want_instances instance(s) of \"$service\" within ${wait_seconds}s"
	sleep 0.2
done
for i in 0 1; do
	kill -0 "${replica_pids[$i]}" 2>/dev/null || fail "replica ${replicas[$i]} exited before it was told to stop"
done
say "   the exporter shows series from $want_instances instance(s) while both run; stopping them (SIGTERM), which flushes their telemetry"
for pid in "${replica_pids[@]}"; do
	kill -TERM "$pid"
done
for i in 0 1; do
	status=0
	wait "${replica_pids[$i]}" || status=$?
	((status == 0)) || { tail -n 20 "$workdir/replica-${replicas[$i]}.log" >&2; fail "replica ${replicas[$i]} exited with status $status"; }
done
say "   both exited 0"

# --- 4. what the replicas counted, and what the fleet must add up to ---------
# A replica's totals line: "totals requests=2 input=38 ... cost_usd=1.89e-05".
totals() { sed -n 's/^totals //p' "$workdir/replica-$1.log"; }
totals_a=$(totals a)
totals_b=$(totals b)
[[ -n $totals_a && -n $totals_b ]] || fail "a replica printed no totals line"
say "   replica a counted: $totals_a"
say "   replica b counted: $totals_b"
[[ $totals_a == "$totals_b" ]] || fail "the replicas did the same work but counted differently"
a() { field "$1" <<<"$totals_a"; }
expected=$(awk -v r="$(a requests)" -v i="$(a input)" -v o="$(a output)" \
	-v cr="$(a cache_read)" -v cc="$(a cache_creation)" -v rs="$(a reasoning)" -v c="$(a cost_usd)" \
	'BEGIN { printf "requests=%d input=%d output=%d cache_read=%d cache_creation=%d reasoning=%d cost_usd=%.17g instances=2", 2*r, 2*i, 2*o, 2*cr, 2*cc, 2*rs, 2*c }')
say "   so the fleet must show: $expected"

# same_totals GOT says whether GOT matches $expected: integers exactly, the
# cost to within float addition's rounding (sums of the same numbers in
# another order can differ in the last bits).
same_totals() {
	awk -v got="$1" -v want="$expected" 'BEGIN {
		n = split(got, g, " "); split(want, w, " ")
		if (n != split(want, w, " ")) exit 1
		for (k = 1; k <= n; k++) {
			split(g[k], a, "="); split(w[k], b, "=")
			if (a[1] != b[1]) exit 1
			d = a[2] - b[2]; if (d < 0) d = -d
			tol = (a[1] == "cost_usd") ? 1e-12 * (b[2] < 0 ? -b[2] : b[2]) : 0
			if (d > tol) exit 1
		}
	}'
}

# --- 5. the sums over the collector's prometheus exporter --------------------
say "== waiting up to ${wait_seconds}s for the sums at $metrics_url to reach that"
deadline=$((SECONDS + wait_seconds))
until scrape=$(fetch "$metrics_url") && got=$(sum_exporter <<<"$scrape") && same_totals "$got"; do
	if ((SECONDS >= deadline)); then
		printf '%s\n' "$scrape" >"$workdir/metrics.txt"
		fail "the exporter's series of \"$service\" add up to: $got (want: $expected)"
	fi
	sleep 0.5
done
say "   sums over all series: $got"
say "   instances: $(grep '^otelllm_client_requests_total{' <<<"$scrape" | grep -o 'instance="[^"]*"' | sort -u | tr '\n' ' ')"

# --- 6. the dashboard's totals, from a real Prometheus ------------------------
if [[ $run_prometheus != 0 ]]; then
	command -v jq >/dev/null || fail "jq is needed to read the dashboard's queries (or set FLEET_PROMETHEUS=0)"
	# query EXPR [TIME] prints the value of an instant query that returns
	# one sample (or nothing).
	query() {
		local args=(--data-urlencode "query=$1")
		[[ -n ${2:-} ]] && args+=(--data-urlencode "time=$2")
		curl --silent --show-error --fail --max-time 5 "${args[@]}" "$prometheus_api/api/v1/query" |
			jq -r '.data.result[0].value[1] // empty'
	}
	want_requests=$(field requests <<<"$expected")
	say "== waiting up to ${wait_seconds}s for Prometheus to scrape the final values"
	deadline=$((SECONDS + wait_seconds))
	until [[ $(query "sum(otelllm_client_requests_total{job=\"$service\"})") == "$want_requests" ]]; do
		((SECONDS < deadline)) || fail "Prometheus did not see $want_requests requests within ${wait_seconds}s"
		sleep 0.5
	done
	# Evaluate at the last scrape's own timestamp: increase() extrapolates
	# to the end of its range when the last sample is older than that, which
	# is right for a dashboard but not exact. The range reaches back past
	# Prometheus's start, as a dashboard's would past the run.
	at=$(query "max(timestamp(otelllm_client_requests_total{job=\"$service\"}))")
	range="$(($(date +%s) - prometheus_start + 60))s"
	say "   evaluating the dashboard's total panels at the last scrape ($at) over [$range]"
	dashboard_total() {
		local title=$1 expr
		expr=$(jq -r --arg t "$title" '.panels[] | select(.title == $t) | .targets[0].expr' \
			"$repo_root/deploy/grafana/dashboards/otelllm.json")
		[[ -n $expr ]] || fail "the dashboard has no panel \"$title\""
		expr=${expr//\$__range/$range}
		expr=${expr//\$service/$service}
		expr=${expr//\$model/.*}
		query "$expr" "$at"
	}
	got=$(printf 'requests=%s input=%s output=%s cache_read=%s cache_creation=%s reasoning=%s cost_usd=%s instances=%s' \
		"$(dashboard_total "Requests")" "$(dashboard_total "Input tokens")" "$(dashboard_total "Output tokens")" \
		"$(dashboard_total "Cache-read input tokens")" "$(dashboard_total "Cache-write input tokens")" \
		"$(dashboard_total "Reasoning tokens")" "$(dashboard_total "Cost")" "$(dashboard_total "Instances reporting")")
	# Scraped as protobuf (the feature flag prefers it), histograms must
	# still arrive as the classic _bucket series the latency panels read.
	buckets=$(query "count(gen_ai_client_operation_duration_seconds_bucket{job=\"$service\"})" "$at")
	[[ ${buckets:-0} -gt 0 ]] || fail "Prometheus has no gen_ai_client_operation_duration_seconds_bucket series"
	failed=$(dashboard_total "Failed requests")
	say "   dashboard totals: $got; failed requests: $failed; duration histogram bucket series: $buckets"
	same_totals "$got" || fail "the dashboard's totals are $got (want: $expected)"
	[[ $failed == 0 ]] || fail "the dashboard shows $failed failed requests (want: 0, not no data)"
fi

ok=1
say "PASS: two replicas of \"$service\" at once added up exactly through Jaeger $jaeger_version$([[ $run_prometheus != 0 ]] && echo " and Prometheus") ($((SECONDS - start_time))s)"
