// Package fail is the one vocabulary of errors every domain package returns
// for a request it cannot carry out: a value that cannot be used, a thing
// that does not exist, a state that does not allow the change. The API maps
// each kind to one status; anything else is an internal error.
package fail

import (
	"errors"
	"fmt"
)

// InvalidError is a value the caller gave that cannot be used. Field names
// it as the caller spelled it (new_asset_settings.video_quality); the
// message reads after it ("must be one of ...").
type InvalidError struct {
	Field   string
	Message string
}

func (e *InvalidError) Error() string {
	if e.Field == "" {
		return e.Message
	}
	return e.Field + " " + e.Message
}

// Invalid is an InvalidError of field with a formatted message.
func Invalid(field, format string, args ...any) error {
	return &InvalidError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// Within names an invalid field as part of an object: Within("new_asset_settings",
// err) turns max_resolution_tier into new_asset_settings.max_resolution_tier.
// Other errors are returned as they are.
func Within(object string, err error) error {
	var ie *InvalidError
	if !errors.As(err, &ie) {
		return err
	}
	field := object
	if ie.Field != "" {
		field += "." + ie.Field
	}
	return &InvalidError{Field: field, Message: ie.Message}
}

// NotFoundError is an id that names nothing. What is the kind of thing, as
// a person says it ("asset", "live stream").
type NotFoundError struct{ What string }

func (e *NotFoundError) Error() string { return e.What + " not found" }

// NotFound is the error of a missing what. Packages keep one per kind as a
// sentinel, so errors.Is still tells them apart.
func NotFound(what string) *NotFoundError { return &NotFoundError{What: what} }

// PreconditionError is a change the thing's current state does not allow
// ("Asset is not ready"). Its message is shown as it is.
type PreconditionError struct{ Message string }

func (e *PreconditionError) Error() string { return e.Message }

// Precondition is a PreconditionError with message.
func Precondition(message string) *PreconditionError { return &PreconditionError{Message: message} }
