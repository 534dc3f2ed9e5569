// Package deploy checks the local observability stack (docker-compose.yaml
// and deploy/ at the repository root) against what otelllm really emits,
// without Docker: the compose file is loaded with the Compose Specification's
// own loader, the collector, Jaeger, Prometheus and Grafana configurations are
// parsed and cross-checked (a port one service sends to is a port the other
// listens on, a mounted file exists, a pipeline's components are defined),
// and every PromQL query of the Grafana dashboard is parsed with Prometheus's
// own parser and may select only metric and label names the library's
// instruments really become in Prometheus.
//
// Those names come from [PrometheusName] and [LabelNames], which apply
// otlptranslator, the library the collector's prometheus exporter uses, with
// the translation strategy the deploy/ configurations set. The tests also pin
// the results to the names observed at the end of a real OTLP round trip
// through that exporter (scripts/jaeger-roundtrip.sh), so a change in the
// translation cannot pass unnoticed.
//
// Where a built Jaeger binary is at hand (JAEGER_BIN, or the cache that
// scripts/jaeger-roundtrip.sh fills), the collector configurations are also
// run through its `validate` command: Jaeger v2 is an OpenTelemetry Collector
// distribution with the same components, at the same version, as the
// collector image docker-compose.yaml pins.
package deploy
