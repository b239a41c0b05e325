package handlers_test

import (
	"crypto/sha256"
	"regexp"
)

func sha256Sum(b []byte) [32]byte { return sha256.Sum256(b) }

func regexpMatch(pattern, s string) bool { return regexp.MustCompile(pattern).MatchString(s) }
