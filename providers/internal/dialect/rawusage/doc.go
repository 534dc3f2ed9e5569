// Package rawusage holds usage counts the way Anthropic and Bedrock send
// them, with the input count leaving out cache reads and writes, and
// normalises them to providers.Usage, whose input includes the cache.
package rawusage
