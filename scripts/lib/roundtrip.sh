# shellcheck shell=bash
# scripts/lib/roundtrip.sh: what the round-trip scripts share, sourced by
# scripts/jaeger-roundtrip.sh and scripts/fleet-roundtrip.sh. It builds Jaeger
# (and Prometheus, for the fleet check) once from the Go module proxy and
# caches the binaries, starts Jaeger with deploy/jaeger-ci.yaml on loopback,
# and stops everything it started when the script exits.
#
# The sourcing script sets repo_root first, then calls roundtrip_init, then
# jaeger_start (which builds Jaeger if it is not cached). Environment:
#   JAEGER_VERSION     Jaeger module version to build (default: v1.76.0, i.e. Jaeger v2.13.0)
#   JAEGER_BIN         use this jaeger binary instead of the cached build
#   OTELLLM_CACHE_DIR  where built binaries are kept (default: ~/.cache/otelllm)
#
# Ports used on 127.0.0.1: 4317/4318 (OTLP), 16686 (query API), 8889
# (prometheus exporter), 13133 (health check). jaeger_start refuses to start
# if any is taken, rather than reading some other process's telemetry.

jaeger_version=${JAEGER_VERSION:-v1.76.0}
cache_dir=${OTELLLM_CACHE_DIR:-$HOME/.cache/otelllm}
jaeger_bin=${JAEGER_BIN:-$cache_dir/jaeger-$jaeger_version/jaeger}
build_seconds=1800

query_api=http://127.0.0.1:16686
metrics_url=http://127.0.0.1:8889/metrics
health_url=http://127.0.0.1:13133/status
otlp_http_endpoint=http://127.0.0.1:4318

jaeger_pid=""
# ok=1 says the script passed, so its logs are not worth keeping.
ok=0
# started_pids are the processes besides Jaeger that cleanup stops, newest
# first.
started_pids=()

say() { printf '%s\n' "$*"; }
fail() {
	say "FAIL: $*" >&2
	exit 1
}

# fetch URL prints the body, or nothing if the request fails or takes > 5 s.
fetch() { curl --silent --show-error --fail --max-time 5 "$1" 2>/dev/null || true; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# stop_process PID sends SIGTERM, gives the process 10 s to exit, then kills it.
stop_process() {
	local pid=$1
	kill -0 "$pid" 2>/dev/null || return 0
	kill "$pid" 2>/dev/null || true
	for _ in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.2
	done
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

# roundtrip_init NAME makes the work directory and installs the exit trap.
roundtrip_init() {
	workdir=$(mktemp -d "${TMPDIR:-/tmp}/otelllm-$1.XXXXXX")
	trap roundtrip_cleanup EXIT
	trap 'exit 130' INT TERM
}

roundtrip_cleanup() {
	local pid
	for pid in "${started_pids[@]}"; do
		stop_process "$pid"
	done
	[[ -n $jaeger_pid ]] && stop_process "$jaeger_pid"
	if [[ $ok == 1 ]] || rmdir "$workdir" 2>/dev/null; then
		rm -rf "$workdir"
	else
		say "logs kept in $workdir" >&2
		if [[ -s $workdir/jaeger.log ]]; then
			say "--- last lines of jaeger.log ---" >&2
			tail -n 15 "$workdir/jaeger.log" >&2
		fi
	fi
}

# build_cached MODULE VERSION PACKAGE BINARY builds PACKAGE of the Go module
# MODULE@VERSION into BINARY, unless BINARY already exists.
#
# `go install module@version` refuses modules whose go.mod has a replace
# directive (Jaeger's has). Building a copy of the module from the module
# cache as the main module applies it, as the project's own release build
# does.
build_cached() {
	local module=$1 version=$2 package=$3 binary=$4 src_dir start
	[[ -x $binary ]] && return 0
	say "== building $module $version into $binary (minutes on 2 cores; cached for next time)"
	src_dir=$(go mod download -json "$module@$version" |
		sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	[[ -d $src_dir ]] || fail "could not download $module@$version"
	rm -rf "$workdir/build-src"
	cp -R "$src_dir" "$workdir/build-src"
	chmod -R u+w "$workdir/build-src"
	mkdir -p "$(dirname "$binary")"
	start=$SECONDS
	(cd "$workdir/build-src" && GOFLAGS=-buildvcs=false timeout "$build_seconds" \
		go build -o "$binary.partial" "$package") || fail "building $module failed or took over ${build_seconds}s"
	mv "$binary.partial" "$binary"
	rm -rf "$workdir/build-src"
	say "   built in $((SECONDS - start))s"
}

# jaeger_start builds Jaeger if needed, starts it with deploy/jaeger-ci.yaml
# and waits until it is healthy.
jaeger_start() {
	if [[ ! -x $jaeger_bin ]]; then
		[[ -z ${JAEGER_BIN:-} ]] || fail "JAEGER_BIN=$JAEGER_BIN is not an executable file"
		build_cached github.com/jaegertracing/jaeger "$jaeger_version" ./cmd/jaeger "$jaeger_bin"
	fi
	local port deadline
	for port in 4317 4318 16686 8889 13133; do
		if port_in_use "$port"; then
			fail "127.0.0.1:$port is already in use; stop whatever listens there (another Jaeger or collector?)"
		fi
	done
	say "== starting Jaeger ($jaeger_bin) with deploy/jaeger-ci.yaml"
	"$jaeger_bin" --config "$repo_root/deploy/jaeger-ci.yaml" >"$workdir/jaeger.log" 2>&1 &
	jaeger_pid=$!
	deadline=$((SECONDS + 30))
	until fetch "$health_url" | grep -q '"healthy":true'; do
		kill -0 "$jaeger_pid" 2>/dev/null || fail "Jaeger exited during start-up"
		((SECONDS < deadline)) || fail "Jaeger was not healthy within 30s"
		sleep 0.5
	done
	say "   healthy: OTLP on 127.0.0.1:4317 (gRPC) and :4318 (HTTP), query API on :16686, metrics on :8889"
}
