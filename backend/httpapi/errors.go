package httpapi

import (
	"errors"
	"log/slog"
	"net/http"

	"reelvault/backend/fail"
	"reelvault/backend/ingest"
	"reelvault/backend/internal/diskspace"
)

// answerError answers err with Mux's status code and error body.
func (s *Server) answerError(w http.ResponseWriter, err error) { answerError(w, s.Log, err) }

// answerError is the one mapping of the domains' errors to Mux's status
// codes and error body. What is not the caller's doing is logged in full
// and answered with a generic message: an error's text can hold paths and
// SQL that are no business of a client.
func answerError(w http.ResponseWriter, log *slog.Logger, err error) {
	var invalid *fail.InvalidError
	var notFound *fail.NotFoundError
	var precondition *fail.PreconditionError
	var notWaiting *ingest.NotWaitingError
	switch {
	case errors.As(err, &invalid):
		writeError(w, http.StatusBadRequest, errInvalid, invalid.Error())
	case errors.As(err, &notFound):
		writeError(w, http.StatusNotFound, errNotFound, "The requested "+notFound.What+" does not exist")
	case errors.As(err, &precondition):
		writeError(w, http.StatusPreconditionFailed, errFailed, precondition.Message)
	case errors.As(err, &notWaiting):
		// Mux answers 403 to a cancel of an upload that is no longer waiting.
		writeError(w, http.StatusForbidden, errForbidden, "Only a waiting upload can be cancelled; this one is "+notWaiting.Status)
	case diskspace.IsShort(err):
		answerNoSpace(w, err)
	default:
		log.Error("request failed", "err", err)
		writeError(w, http.StatusInternalServerError, errFailed, internalErrorMessage)
	}
}

// answerNoSpace answers work the server's disk has no room for with 507
// Insufficient Storage, saying how much is missing (never where).
func answerNoSpace(w http.ResponseWriter, err error) {
	msg := "The server's disk is full: free some space there, then send this again"
	var short *diskspace.Short
	if errors.As(err, &short) {
		msg = "The server's disk lacks the room for this (" + short.Error() + "); nothing was written: free some space there, then send this again"
	}
	writeError(w, http.StatusInsufficientStorage, errFailed, msg)
}

// internalErrorMessage is all a client learns of a failure on this side.
const internalErrorMessage = "internal error"
