package exporters

import (
	"crypto/rand"
	"fmt"
	"sync"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/resource"
)

// serviceInstanceIDKey tells replicas of one service apart. Backends key a
// cumulative series by service.name and service.instance.id (the collector's
// prometheus exporter turns them into the job and instance labels), so
// without it the replicas' counters overwrite each other and fleet totals
// come out as one process's.
const serviceInstanceIDKey = attribute.Key("service.instance.id")

// processInstanceID is generated once, so that every Setup in the process
// (a program may build several, for example WithoutGlobals side by side)
// reports the same instance.
var processInstanceID = sync.OnceValue(newUUIDv4)

// newUUIDv4 returns a random RFC 9562 version 4 UUID, the form the semantic
// conventions recommend for a generated service.instance.id.
func newUUIDv4() string {
	var b [16]byte
	// Since Go 1.24 crypto/rand.Read never fails: it crashes the program
	// rather than return predictable bytes.
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // variant 10 (RFC 9562)
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// withInstanceID adds this process's service.instance.id to res unless the
// user gave one (in OTEL_RESOURCE_ATTRIBUTES, WithResource or
// WithAttributes). An empty value counts as none: it would make the series of
// every replica collide just as a missing one does.
func withInstanceID(res *resource.Resource) *resource.Resource {
	if v, ok := res.Set().Value(serviceInstanceIDKey); ok && v.Emit() != "" {
		return res
	}
	// Merging a schemaless resource cannot conflict on schema URLs, and the
	// SDK's Merge fails on nothing else.
	merged, err := resource.Merge(res, resource.NewSchemaless(serviceInstanceIDKey.String(processInstanceID())))
	if err != nil {
		return res
	}
	return merged
}
