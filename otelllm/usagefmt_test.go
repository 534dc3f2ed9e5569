package otelllm

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUsageFormat prints a tracker's real totals every way fmt can: the
// summary for the plain verbs, every field (ByModel's too) for %+v and %#v.
func TestUsageFormat(t *testing.T) {
	rec := newRecorder(t)
	url := trackerServer(t)
	client := WrapClient(nil, rec.options()...)
	ctx, tr := Track(context.Background())
	call(t, ctx, client, url, `{"model":"test-model"}`)
	call(t, ctx, client, url, `{"model":"other-model"}`)
	u := tr.Usage()
	require.Len(t, u.ByModel, 2)
	summary := u.String()
	require.Contains(t, summary, "Tokens Used: 131\n")

	assert.Equal(t, summary, fmt.Sprint(u))
	assert.Equal(t, summary, fmt.Sprintf("%v", u))
	assert.Equal(t, summary, fmt.Sprintf("%s", u))
	assert.Equal(t, summary+"\n", fmt.Sprintln(u))
	assert.Equal(t, fmt.Sprintf("%q", summary), fmt.Sprintf("%q", u))
	assert.Equal(t, summary, fmt.Sprintf("%v", &u), "a pointer prints the same")
	assert.Equal(t, fmt.Sprintf("%-600s|", summary), fmt.Sprintf("%-600v|", u), "width and flags apply to the summary")
	assert.Equal(t, summary, tr.String())

	plus := fmt.Sprintf("%+v", u)
	assert.Regexp(t, `^\{Requests:2 SuccessfulRequests:2 FailedRequests:0 Retries:0 `, plus)
	assert.Contains(t, plus, " UnpricedRequests:1 ")
	assert.Contains(t, plus, " InputTokens:110 OutputTokens:21 TotalTokens:131 ")
	assert.Contains(t, plus, " ByModel:map[other-model:{Requests:1 ")
	assert.Contains(t, plus, " test-model-2025:{Requests:1 ")
	assert.NotContains(t, plus, "Tokens Used", "no summary, at any depth")
	assert.Contains(t, fmt.Sprintf("%+v", &u), " ByModel:map[", "a pointer prints the fields too")

	sharp := fmt.Sprintf("%#v", u)
	assert.Regexp(t, `^otelllm\.Usage\{Requests:2, SuccessfulRequests:2, `, sharp)
	assert.Contains(t, sharp, `ByModel:map[string]otelllm.Usage{"other-model":otelllm.Usage{Requests:1, `)
	assert.Contains(t, sharp, `"test-model-2025":otelllm.Usage{Requests:1, `)
	assert.Contains(t, sharp, `ByModel:map[string]otelllm.Usage(nil)}`, "the breakdown's own ByModel is nil")
	assert.NotContains(t, sharp, "usageFields")

	assert.Regexp(t, `^\{2 2 0 0 `, fmt.Sprintf("%d", u), "other verbs apply to each field")
}
