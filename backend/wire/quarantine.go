package wire

import (
	"strconv"

	"reelvault/backend/quarantine"
)

// QuarantinedFile is a file start-up set aside instead of deleting it
// (Reelvault's own object, under /reelvault/v1/quarantine).
type QuarantinedFile struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	From      string `json:"from"` // where it was, inside the data folder
	Reason    string `json:"reason"`
	Size      int64  `json:"size"`
	CreatedAt string `json:"created_at"` // when it was set aside, Unix seconds
}

// NewQuarantinedFile renders a quarantined file.
func NewQuarantinedFile(it quarantine.Item) QuarantinedFile {
	return QuarantinedFile{ID: it.ID, Name: it.Name, From: it.From, Reason: it.Reason, Size: it.Size,
		CreatedAt: strconv.FormatInt(it.At.Unix(), 10)}
}
