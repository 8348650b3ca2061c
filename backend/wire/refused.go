package wire

import (
	"encoding/json"

	"reelvault/backend/fail"
)

// refusedSettings are the fields of Mux's asset settings (AssetOptions in
// Mux's API) that ask for what a local archive does not do. They are read
// only to be refused with a 400 naming them, never accepted and ignored.
//
// input and inputs matter only in new_asset_settings (of uploads and live
// streams, where Mux adds them as audio or text tracks of the uploaded or
// recorded video): in POST /video/v1/assets the body's own input and inputs
// fields, shallower, take these names, so these stay empty there.
type refusedSettings struct {
	CopyOverlays  *bool           `json:"copy_overlays"`
	Directives    json.RawMessage `json:"directives"`
	GenerateShots *bool           `json:"generate_shots"`
	Input         json.RawMessage `json:"input"`
	Inputs        json.RawMessage `json:"inputs"`
}

func (r refusedSettings) check() error {
	switch {
	case Given(r.Inputs):
		return fail.Invalid("inputs", "are not supported here: the master is built from the uploaded or recorded video alone, so audio and text inputs cannot be added to it")
	case Given(r.Input):
		return fail.Invalid("input", "is not supported here: the master is built from the uploaded or recorded video alone, so audio and text inputs cannot be added to it")
	case r.CopyOverlays != nil && *r.CopyOverlays:
		return fail.Invalid("copy_overlays", "is not supported: Reelvault does not put overlays on the picture")
	case Given(r.Directives):
		return fail.Invalid("directives", "are not supported: Reelvault runs no Mux Robots workflows")
	case r.GenerateShots != nil && *r.GenerateShots:
		return fail.Invalid("generate_shots", "is not supported: Reelvault does not detect shots")
	}
	return nil
}
