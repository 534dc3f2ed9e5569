package semconv

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// jsonSchema validates documents against one of the GenAI JSON schemas in
// testdata/. It implements the subset of JSON Schema those files use and
// fails the test on any keyword it does not know, so a schema update that
// adds a constraint cannot pass unchecked.
type jsonSchema struct {
	t    testing.TB
	name string
	root map[string]any
}

// annotationKeywords carry no constraint (format is an annotation by
// default in JSON Schema; the files use it for base64 "binary").
var annotationKeywords = map[string]bool{
	"title": true, "description": true, "default": true, "deprecated": true,
	"format": true, "examples": true, "$schema": true, "$id": true, "$defs": true,
}

func loadSchema(t testing.TB, name string) *jsonSchema {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	var root map[string]any
	require.NoError(t, json.Unmarshal(b, &root))
	return &jsonSchema{t: t, name: name, root: root}
}

// validate returns the schema violations of doc, a JSON text.
func (s *jsonSchema) validate(doc []byte) []string {
	s.t.Helper()
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	require.NoError(s.t, dec.Decode(&v), "document is not JSON: %s", doc)
	return s.check(s.root, v, "$")
}

func (s *jsonSchema) check(node map[string]any, v any, path string) []string {
	var errs []string
	for kw, arg := range node {
		switch kw {
		case "$ref":
			ref := arg.(string)
			target, ok := s.resolve(ref)
			if !ok {
				// Only the tool definitions' parameters refer out of the
				// file, to the draft-07 meta-schema: any JSON Schema
				// document. A parameters object must at least be one.
				require.Equal(s.t, "http://json-schema.org/draft-07/schema#", ref, "%s: unexpected external $ref", s.name)
				if _, isObj := v.(map[string]any); !isObj {
					if _, isBool := v.(bool); !isBool {
						errs = append(errs, fmt.Sprintf("%s: not a JSON Schema document", path))
					}
				}
				continue
			}
			errs = append(errs, s.check(target, v, path)...)
		case "anyOf":
			matched := false
			for _, branch := range arg.([]any) {
				if len(s.check(branch.(map[string]any), v, path)) == 0 {
					matched = true
					break
				}
			}
			if !matched {
				errs = append(errs, fmt.Sprintf("%s: matches none of anyOf", path))
			}
		case "not":
			if len(s.check(arg.(map[string]any), v, path)) == 0 {
				errs = append(errs, fmt.Sprintf("%s: matches a not schema", path))
			}
		case "type":
			if !hasType(v, arg) {
				errs = append(errs, fmt.Sprintf("%s: %v is not of type %v", path, v, arg))
			}
		case "const":
			if !jsonEqual(v, arg) {
				errs = append(errs, fmt.Sprintf("%s: %v is not %v", path, v, arg))
			}
		case "enum":
			if !slices.ContainsFunc(arg.([]any), func(e any) bool { return jsonEqual(v, e) }) {
				errs = append(errs, fmt.Sprintf("%s: %v is not one of %v", path, v, arg))
			}
		case "minimum":
			if n, ok := v.(json.Number); ok {
				f, _ := n.Float64()
				if f < arg.(float64) {
					errs = append(errs, fmt.Sprintf("%s: %v is below %v", path, v, arg))
				}
			}
		case "required":
			if obj, ok := v.(map[string]any); ok {
				for _, k := range arg.([]any) {
					if _, has := obj[k.(string)]; !has {
						errs = append(errs, fmt.Sprintf("%s: missing required %q", path, k))
					}
				}
			}
		case "properties":
			if obj, ok := v.(map[string]any); ok {
				for k, sub := range arg.(map[string]any) {
					if pv, has := obj[k]; has {
						errs = append(errs, s.check(sub.(map[string]any), pv, path+"."+k)...)
					}
				}
			}
		case "additionalProperties":
			obj, ok := v.(map[string]any)
			if !ok {
				continue
			}
			props, _ := node["properties"].(map[string]any)
			for k, pv := range obj {
				if _, known := props[k]; known {
					continue
				}
				switch a := arg.(type) {
				case bool:
					if !a {
						errs = append(errs, fmt.Sprintf("%s: unexpected property %q", path, k))
					}
				case map[string]any:
					errs = append(errs, s.check(a, pv, path+"."+k)...)
				}
			}
		case "items":
			if arr, ok := v.([]any); ok {
				for i, item := range arr {
					errs = append(errs, s.check(arg.(map[string]any), item, fmt.Sprintf("%s[%d]", path, i))...)
				}
			}
		default:
			require.True(s.t, annotationKeywords[kw], "%s: keyword %q is not supported by the test validator", s.name, kw)
		}
	}
	return errs
}

func (s *jsonSchema) resolve(ref string) (map[string]any, bool) {
	name, ok := strings.CutPrefix(ref, "#/$defs/")
	if !ok {
		return nil, false
	}
	def, ok := s.root["$defs"].(map[string]any)[name].(map[string]any)
	require.True(s.t, ok, "%s: $ref %q does not resolve", s.name, ref)
	return def, true
}

func hasType(v any, typ any) bool {
	if list, ok := typ.([]any); ok {
		return slices.ContainsFunc(list, func(t any) bool { return hasType(v, t) })
	}
	switch typ {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "null":
		return v == nil
	case "number":
		_, ok := v.(json.Number)
		return ok
	case "integer":
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		f, err := n.Float64()
		return err == nil && f == float64(int64(f))
	}
	panic(fmt.Sprintf("unknown JSON Schema type %v", typ))
}

// jsonEqual compares a decoded document value with a schema value (decoded
// without UseNumber).
func jsonEqual(doc, schema any) bool {
	if n, ok := doc.(json.Number); ok {
		f, err := n.Float64()
		sf, isNum := schema.(float64)
		return err == nil && isNum && f == sf
	}
	return reflect.DeepEqual(doc, schema)
}

// schemaConsts returns the const values of properties.type across $defs.
func schemaConsts(t *testing.T, s *jsonSchema) []string {
	t.Helper()
	var out []string
	for _, def := range s.root["$defs"].(map[string]any) {
		props, _ := def.(map[string]any)["properties"].(map[string]any)
		typ, _ := props["type"].(map[string]any)
		if c, ok := typ["const"].(string); ok {
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}

// schemaEnum returns the enum of $defs[name], sorted.
func schemaEnum(t *testing.T, s *jsonSchema, name string) []string {
	t.Helper()
	def, ok := s.root["$defs"].(map[string]any)[name].(map[string]any)
	require.True(t, ok, "%s has no $defs/%s", s.name, name)
	var out []string
	for _, v := range def["enum"].([]any) {
		out = append(out, v.(string))
	}
	sort.Strings(out)
	return out
}

// validateByType checks each part (or tool definition) of doc against the
// one $defs entry whose "type" const it names. The schema alone cannot do
// that in this revision: its open GenericPart branch matches any object with
// a string "type", so {"type":"text"} without content passes anyOf. Newer
// revisions close the branch by requiring generic parts to say "generic",
// and the check applies that rule too: a part whose type no definition
// names must be a generic one. Tool definitions of a type without a
// definition fall to GenericToolDefinition, as the schema has it.
func (s *jsonSchema) validateByType(doc []byte) []string {
	s.t.Helper()
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	require.NoError(s.t, dec.Decode(&v))
	arr, ok := v.([]any)
	if !ok {
		return []string{"$: not an array"}
	}
	byConst := map[string]map[string]any{}
	for _, def := range s.root["$defs"].(map[string]any) {
		props, _ := def.(map[string]any)["properties"].(map[string]any)
		typ, _ := props["type"].(map[string]any)
		if c, ok := typ["const"].(string); ok {
			byConst[c] = def.(map[string]any)
		}
	}
	title := s.root["title"].(string)
	fallback := "GenericPart"
	if title == "ToolDefinitions" {
		fallback = "GenericToolDefinition"
	}
	var errs []string
	checkItem := func(item any, path string) {
		obj, ok := item.(map[string]any)
		if !ok {
			return // the schema itself reports non-objects
		}
		typ, _ := obj["type"].(string)
		if def, ok := byConst[typ]; ok {
			errs = append(errs, s.check(def, item, path)...)
			return
		}
		if fallback == "GenericPart" && typ != PartTypeGeneric {
			errs = append(errs, fmt.Sprintf("%s: type %q has no part definition and is not %q", path, typ, PartTypeGeneric))
			return
		}
		if def, ok := s.root["$defs"].(map[string]any)[fallback].(map[string]any); ok {
			errs = append(errs, s.check(def, item, path)...)
		}
	}
	for i, item := range arr {
		path := fmt.Sprintf("$[%d]", i)
		if title == "InputMessages" || title == "OutputMessages" {
			msg, _ := item.(map[string]any)
			parts, _ := msg["parts"].([]any)
			for j, part := range parts {
				checkItem(part, fmt.Sprintf("%s.parts[%d]", path, j))
			}
			continue
		}
		checkItem(item, path)
	}
	return errs
}

// violations returns what the schema and the by-type check report.
func (s *jsonSchema) violations(doc []byte) []string {
	return append(s.validate(doc), s.validateByType(doc)...)
}
