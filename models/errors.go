// Package models holds the GORM structs and the domain rules on them.
// Functions take the *gorm.DB they run on (a transaction or not) and a
// context, so handlers can compose several in one transaction.
package models

import (
	"errors"
	"fmt"
)

// ErrNotFound means the object does not exist or is not visible to the caller.
var ErrNotFound = errors.New("not found")

// ErrStale means the caller edited an older version than the stored one.
var ErrStale = errors.New("stale version")

// StateError means the action is not allowed in the object's current state.
type StateError struct{ Key string }

func (e *StateError) Error() string { return "state conflict: " + e.Key }

// ValidationError lists invalid fields; values are message-catalog keys.
type ValidationError struct{ Fields map[string]string }

func (e *ValidationError) Error() string { return fmt.Sprintf("invalid fields: %v", e.Fields) }

// TooLargeError is an upload over its documented limit: a validation error
// of its field (shown next to it) that HTTP answers with 413.
type TooLargeError struct{ ValidationError }

// Unwrap makes errors.As find the ValidationError inside.
func (e *TooLargeError) Unwrap() error { return &e.ValidationError }

// TooLarge builds a TooLargeError for one field.
func TooLarge(field, key string) *TooLargeError {
	return &TooLargeError{ValidationError{Fields: map[string]string{field: key}}}
}

// Invalid builds a ValidationError for one field.
func Invalid(field, key string) *ValidationError {
	return &ValidationError{Fields: map[string]string{field: key}}
}
