package providers

// The gen_ai.provider.name values of the providers this module recognises:
// the semantic conventions' well-known values where they have one, and
// the same style of name for the others. They are the one source of these
// names; package semconv documents them and does not repeat them.
const (
	ProviderOpenAI      = "openai"
	ProviderAzureOpenAI = "azure.ai.openai"
	ProviderAnthropic   = "anthropic"
	ProviderAWSBedrock  = "aws.bedrock"
	ProviderGCPGemini   = "gcp.gemini"
	ProviderGCPVertexAI = "gcp.vertex_ai"
	ProviderCohere      = "cohere"
	ProviderGroq        = "groq"
	ProviderDeepSeek    = "deepseek"
	ProviderMistralAI   = "mistral_ai"
	ProviderXAI         = "x_ai"
	ProviderPerplexity  = "perplexity"
	ProviderOllama      = "ollama"
	// Not in the conventions' list: named the way its values are.
	ProviderOpenRouter = "openrouter"
	ProviderTogetherAI = "together_ai"
	ProviderFireworks  = "fireworks_ai"
)
