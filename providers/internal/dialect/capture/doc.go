// Package capture turns the JSON values of provider wire formats into the
// message content of package providers (Part, Message, ToolDefinition),
// bounded by the capture limit: strings unescaped no further than the limit
// needs, JSON values copied and cut, binary data measured and never kept.
// Provider dialects call it only when the application opted in to content
// capture; nothing here runs otherwise.
package capture
