package exporters_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/resource"

	"github.com/otelllm/otelllm/exporters"
)

// uuidV4 is the canonical text of an RFC 9562 version 4 UUID.
var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// exportedInstanceID runs Setup with opts and the current environment and
// returns the service.instance.id of the resource its MeterProvider exports
// with, and whether there was one.
func exportedInstanceID(t *testing.T, opts ...exporters.Option) (string, bool) {
	t.Helper()
	reader := sdkmetric.NewManualReader()
	opts = append([]exporters.Option{exporters.WithoutGlobals(), exporters.WithTracesExporter("none"),
		exporters.WithMetricsExporter("none"), exporters.WithMetricReader(reader)}, opts...)
	_, shutdown, err := exporters.Setup(context.Background(), opts...)
	require.NoError(t, err)
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		assert.NoError(t, shutdown(ctx))
	}()
	var rm metricdata.ResourceMetrics
	require.NoError(t, reader.Collect(context.Background(), &rm))
	v, ok := rm.Resource.Set().Value("service.instance.id")
	return v.Emit(), ok
}

func TestSetupGivesTheProcessAnInstanceID(t *testing.T) {
	cleanEnv(t)
	first, ok := exportedInstanceID(t)
	require.True(t, ok, "the resource has a service.instance.id")
	assert.Regexp(t, uuidV4, first)

	// A second setup in the same process is the same instance, whatever else
	// it configures.
	second, ok := exportedInstanceID(t, exporters.WithServiceName("other"), exporters.WithAttributes(attribute.String("team", "llm")))
	require.True(t, ok)
	assert.Equal(t, first, second)
}

func TestSetupKeepsTheUsersInstanceID(t *testing.T) {
	tests := []struct {
		name string
		env  string
		opts []exporters.Option
		want string
	}{
		{name: "OTEL_RESOURCE_ATTRIBUTES", env: "service.instance.id=pod-7,team=llm", want: "pod-7"},
		{
			name: "WithResource",
			opts: []exporters.Option{exporters.WithResource(resource.NewSchemaless(attribute.String("service.instance.id", "res-1")))},
			want: "res-1",
		},
		{
			name: "WithAttributes",
			opts: []exporters.Option{exporters.WithAttributes(attribute.String("service.instance.id", "attr-1"))},
			want: "attr-1",
		},
		{
			name: "WithAttributes over WithResource over the environment",
			env:  "service.instance.id=env-1",
			opts: []exporters.Option{
				exporters.WithResource(resource.NewSchemaless(attribute.String("service.instance.id", "res-1"))),
				exporters.WithAttributes(attribute.String("service.instance.id", "attr-1")),
			},
			want: "attr-1",
		},
		{
			name: "WithResource over the environment",
			env:  "service.instance.id=env-1",
			opts: []exporters.Option{exporters.WithResource(resource.NewSchemaless(attribute.String("service.instance.id", "res-1")))},
			want: "res-1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cleanEnv(t)
			if tt.env != "" {
				t.Setenv("OTEL_RESOURCE_ATTRIBUTES", tt.env)
			}
			got, ok := exportedInstanceID(t, tt.opts...)
			require.True(t, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestSetupReplacesAnEmptyInstanceID: an empty id would make every replica's
// series collide, exactly as a missing one does, so it is not taken as the
// user's choice.
func TestSetupReplacesAnEmptyInstanceID(t *testing.T) {
	cleanEnv(t)
	generated, ok := exportedInstanceID(t)
	require.True(t, ok)

	t.Setenv("OTEL_RESOURCE_ATTRIBUTES", "service.instance.id=,team=llm")
	got, ok := exportedInstanceID(t)
	require.True(t, ok)
	assert.Equal(t, generated, got, "from the environment")

	got, ok = exportedInstanceID(t, exporters.WithAttributes(attribute.String("service.instance.id", "")))
	require.True(t, ok)
	assert.Equal(t, generated, got, "from WithAttributes")
}

// instanceIDHelperEnv makes TestHelperPrintInstanceID, run by
// TestProcessesGetDistinctInstanceIDs in a child process, print its id.
const instanceIDHelperEnv = "OTELLLM_EXPORTERS_PRINT_INSTANCE_ID"

// TestHelperPrintInstanceID is not a test on its own: it is the body of the
// child processes of TestProcessesGetDistinctInstanceIDs.
func TestHelperPrintInstanceID(t *testing.T) {
	if os.Getenv(instanceIDHelperEnv) != "1" {
		t.Skip("runs only as a child of TestProcessesGetDistinctInstanceIDs")
	}
	cleanEnv(t)
	id, ok := exportedInstanceID(t)
	require.True(t, ok)
	fmt.Printf("service.instance.id=%s\n", id)
}

// TestProcessesGetDistinctInstanceIDs runs this test binary twice more, as two
// replicas of the same program would run, and checks that each process,
// including this one, exports its own id.
func TestProcessesGetDistinctInstanceIDs(t *testing.T) {
	cleanEnv(t)
	parent, ok := exportedInstanceID(t)
	require.True(t, ok)

	idLine := regexp.MustCompile(`(?m)^service\.instance\.id=(\S+)$`)
	seen := map[string]string{parent: "this process"}
	for i := range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperPrintInstanceID$", "-test.count=1")
		cmd.Env = append(os.Environ(), instanceIDHelperEnv+"=1")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "child %d: %s", i, out)
		m := idLine.FindStringSubmatch(string(out))
		require.Len(t, m, 2, "child %d printed no id: %s", i, out)
		id := m[1]
		assert.Regexp(t, uuidV4, id)
		child := fmt.Sprintf("child %d", i)
		if other, dup := seen[id]; dup {
			t.Errorf("%s and %s share service.instance.id %s", child, other, id)
		}
		seen[id] = child
	}
	assert.Len(t, seen, 3)
}
