package web

import "strconv"

func Itoa(n int64) string { return strconv.FormatInt(n, 10) }

// atoi reads a form number; junk is 0.
func Atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
