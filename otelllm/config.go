package otelllm

import (
	"context"
	"os"
	"strconv"
	"strings"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/log"
	logglobal "go.opentelemetry.io/otel/log/global"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelllm/otelllm/pricing"
	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/semconv"
)

// DefaultMaxRequestBody is the largest request body read for its parameters:
// 4 MiB. Larger bodies are sent untouched and not parsed.
const DefaultMaxRequestBody = 4 << 20

type config struct {
	tracerProvider trace.TracerProvider
	meterProvider  metric.MeterProvider
	providers      []providers.Provider
	providersSet   bool
	maxRequestBody int64
	prices         *pricing.Table
	modelPrices    map[string]pricing.Price
	callbacks      []func(context.Context, CallRecord)
	metricAttrs    []attribute.KeyValue
	streamUsage    bool
	// stability says which GenAI names are emitted; stabilitySet: by
	// WithSemconvStability rather than the environment.
	stability    semconv.Stability
	stabilitySet bool
	// parentUsageDedup leaves usage off the span of a call another GenAI
	// instrumentation records (WithParentUsageDedup).
	parentUsageDedup bool

	// Content capture (content.go): the mode, whether an option set it
	// (the option wins over the environment), the limit per value, the
	// filters, and where the details event goes.
	content        ContentMode
	contentSet     bool
	contentLimit   int
	contentFilters []func(context.Context, *Content)
	loggerProvider log.LoggerProvider
	// contextMetricKeys are WithContextMetricKeys'.
	contextMetricKeys []attribute.Key
}

func newConfig(opts []Option) config {
	c := config{maxRequestBody: DefaultMaxRequestBody, streamUsage: envBool("OTELLLM_STREAM_USAGE"), parentUsageDedup: true, contentLimit: DefaultContentLimit}
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	if !c.stabilitySet {
		c.stability = semconv.ParseStability(os.Getenv(semconv.StabilityOptInEnv))
	}
	if c.tracerProvider == nil {
		c.tracerProvider = otel.GetTracerProvider()
	}
	if c.meterProvider == nil {
		c.meterProvider = otel.GetMeterProvider()
	}
	if !c.contentSet {
		c.content = contentFromEnv()
	}
	if c.loggerProvider == nil {
		c.loggerProvider = logglobal.GetLoggerProvider()
	}
	if !c.providersSet {
		c.providers = DefaultProviders()
	}
	if c.prices == nil {
		table, err := pricing.FromEnv(pricing.Default())
		if err != nil {
			// A bad price file must not break the application; it is
			// reported and the embedded table is used.
			otel.Handle(err)
			table = pricing.Default()
		}
		c.prices = table
	}
	for model, p := range c.modelPrices {
		c.prices = c.prices.WithPrice(model, p)
	}
	return c
}

// Option configures a Transport.
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// WithTracerProvider sets the TracerProvider spans are created with. The
// default is the global one (otel.GetTracerProvider); nil is ignored.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return optionFunc(func(c *config) {
		if tp != nil {
			c.tracerProvider = tp
		}
	})
}

// WithMeterProvider sets the MeterProvider metrics are recorded with. The
// default is the global one (otel.GetMeterProvider); nil is ignored.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return optionFunc(func(c *config) {
		if mp != nil {
			c.meterProvider = mp
		}
	})
}

// WithProviders sets the providers whose calls are recognised, tried in the
// order given. The default is DefaultProviders(). Calls no provider
// recognises pass through untouched.
func WithProviders(ps ...providers.Provider) Option {
	return optionFunc(func(c *config) {
		c.providers = nil
		for _, p := range ps {
			if p != nil {
				c.providers = append(c.providers, p)
			}
		}
		c.providersSet = true
	})
}

// WithMaxRequestBody sets the largest request body read for its parameters
// (default DefaultMaxRequestBody). Larger bodies are sent untouched and not
// parsed; n <= 0 turns request-body parsing off.
func WithMaxRequestBody(n int64) Option {
	return optionFunc(func(c *config) { c.maxRequestBody = n })
}

// WithPriceTable sets the price table calls are priced with. The default is
// the embedded table, extended by the file named in $OTELLLM_PRICES_FILE
// (see pricing.FromEnv); nil is ignored.
func WithPriceTable(t *pricing.Table) Option {
	return optionFunc(func(c *config) {
		if t != nil {
			c.prices = t
		}
	})
}

// WithModelPrice prices model (a fine-tuned or self-hosted model, or an
// override of the table) at p, per token in USD. It applies on top of the
// price table, whichever option order, and wins over the table for a call
// that names model as its response or its request model: a price given for
// gpt-4o-mini applies to the calls that asked for it, though OpenAI answers
// them as gpt-4o-mini-2024-07-18, which the table knows.
func WithModelPrice(model string, p pricing.Price) Option {
	return optionFunc(func(c *config) {
		if c.modelPrices == nil {
			c.modelPrices = map[string]pricing.Price{}
		}
		c.modelPrices[model] = p
	})
}

// WithCallback registers fn to be called with the record of each finished
// call (once its response body has ended), on the goroutine that ended it.
// fn must not block; a panic in fn is recovered and reported to otel.Handle.
func WithCallback(fn func(ctx context.Context, rec CallRecord)) Option {
	return optionFunc(func(c *config) {
		if fn != nil {
			c.callbacks = append(c.callbacks, fn)
		}
	})
}

// WithMetricAttributes adds fixed attributes to every metric recorded (for
// example a deployment or tenant tier). They multiply the metric
// cardinality: use only attributes with few values. The default is none.
func WithMetricAttributes(attrs ...attribute.KeyValue) Option {
	return optionFunc(func(c *config) { c.metricAttrs = append(c.metricAttrs, attrs...) })
}

// WithStreamUsage makes the transport ask for the usage of streams whose
// request did not ask for it, as LangChain's stream_usage=True does: an
// OpenAI-family chat or completions stream sent without
// stream_options.include_usage gets it added (the other stream_options are
// kept; Content-Length and GetBody follow), to hosts known to accept it:
// OpenAI, Azure OpenAI (the v1 API, and api-version 2024-08-01-preview
// on), Groq, DeepSeek, xAI and Ollama. The usage-only event this adds at the end of the stream
// is removed from what the application reads; every other byte is the
// server's. This is the one option that changes what is sent and read: the
// other chunks of such a stream carry "usage":null, which SDKs read as no
// usage, and the stream is passed on event by event (an event split between
// reads reaches the application with its last byte). A request that
// already asks for usage is sent untouched. The span says what was done
// (otelllm.stream_usage.amended) or why not (otelllm.stream_usage.skipped).
// The default is off, unless the environment variable OTELLLM_STREAM_USAGE
// is true.
func WithStreamUsage() Option {
	return optionFunc(func(c *config) { c.streamUsage = true })
}

// envBool reports whether the environment variable name is set to a true
// value (strconv.ParseBool's).
func envBool(name string) bool {
	b, err := strconv.ParseBool(strings.TrimSpace(os.Getenv(name)))
	return err == nil && b
}
