package jsonscan

import "unsafe"

// unsafeString views b as a string without copying, for comparisons and
// number parsing that do not keep the string.
func unsafeString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
