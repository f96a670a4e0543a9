// Package text shortens text for notification previews.
package text

// Ellipsis ends a shortened text.
const Ellipsis = "…"

// Truncate shortens s to at most max characters, the last of them an
// ellipsis when something was cut. max must be at least 1.
func Truncate(s string, max int) string {
	if len(s) <= max {
		return s
	}
	return s[:max-1] + Ellipsis
}
