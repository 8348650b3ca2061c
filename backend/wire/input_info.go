package wire

import "reelvault/backend/media"

// InputInfo is one entry of Mux's GET /video/v1/assets/{id}/input-info answer: the
// settings the asset was created with and the original file as it was probed at ingest.
type InputInfo struct {
	Settings InputSettings `json:"settings"`
	File     *InputFile    `json:"file,omitempty"` // absent until the original has been probed
	// MasterFile is Reelvault's own: the master as probed once written, in the same terms,
	// so the window sets the two side by side in one request. Absent for masters made
	// before it was recorded, and until there is a master.
	MasterFile *InputFile `json:"master_file,omitempty"`
}

// InputSettings is the input as given when the asset was created.
type InputSettings struct {
	URL string `json:"url"`
}

// InputFile is Mux's description of the original.
type InputFile struct {
	ContainerFormat string       `json:"container_format"`
	Tracks          []InputTrack `json:"tracks"`
	// Container is Reelvault's own: the format as editors name it ("MP4", "MOV", "MXF");
	// container_format is ffprobe's, the same for an MP4 and a MOV. Absent in descriptions
	// kept before it was recorded.
	Container string `json:"container,omitempty"`
	// Size is Reelvault's own: the original's bytes when it was probed (absent for assets
	// probed before it was kept), so the window can set the source's size beside the master's.
	Size int64 `json:"size,omitempty"`
	// Reelvault's own, when the file's tags say: the reel (tape or card) name and the camera.
	ReelName    string `json:"reel_name,omitempty"`
	CameraMake  string `json:"camera_make,omitempty"`
	CameraModel string `json:"camera_model,omitempty"`
}

// InputTrack is one track of the original, with Mux's field names; Reelvault adds
// language_code where the file names a language.
type InputTrack struct {
	Type         string  `json:"type"`
	Duration     float64 `json:"duration,omitempty"`
	Encoding     string  `json:"encoding,omitempty"`
	Width        int     `json:"width,omitempty"`
	Height       int     `json:"height,omitempty"`
	FrameRate    float64 `json:"frame_rate,omitempty"`
	SampleRate   int     `json:"sample_rate,omitempty"`
	SampleSize   int     `json:"sample_size,omitempty"`
	Channels     int     `json:"channels,omitempty"`
	LanguageCode string  `json:"language_code,omitempty"`

	// Reelvault's own fields (not in Mux's input-info), for the window's
	// source-against-master view; absent for assets probed before they existed.
	Profile        string `json:"profile,omitempty"`
	PixelFormat    string `json:"pixel_format,omitempty"`
	BitDepth       int    `json:"bit_depth,omitempty"`
	ColorPrimaries string `json:"color_primaries,omitempty"`
	ColorTransfer  string `json:"color_transfer,omitempty"`
	FieldOrder     string `json:"field_order,omitempty"`
	BitRate        int64  `json:"bit_rate,omitempty"`
	Timecode       string `json:"timecode,omitempty"`
	Rotation       int    `json:"rotation,omitempty"`     // clockwise degrees a player turns the picture
	PixelAspect    string `json:"pixel_aspect,omitempty"` // "4:3" for non-square pixels (anamorphic)
}

// NewInputInfo renders an asset's input and its stored description (nil: not probed yet),
// with the master's description when one was kept.
func NewInputInfo(input string, file, master *media.InputFile) []InputInfo {
	return []InputInfo{{Settings: InputSettings{URL: input}, File: newInputFile(file), MasterFile: newInputFile(master)}}
}

func newInputFile(file *media.InputFile) *InputFile {
	if file == nil {
		return nil
	}
	f := &InputFile{ContainerFormat: file.ContainerFormat, Container: file.Container, Tracks: []InputTrack{}, Size: file.Size,
		ReelName: file.Reel, CameraMake: file.CameraMake, CameraModel: file.CameraModel}
	for _, t := range file.Tracks {
		f.Tracks = append(f.Tracks, InputTrack{Type: t.Type, Duration: t.Duration, Encoding: t.Encoding,
			Width: t.Width, Height: t.Height, FrameRate: t.FrameRate, SampleRate: t.SampleRate,
			SampleSize: t.SampleSize, Channels: t.Channels, LanguageCode: t.Language,
			Profile: t.Profile, PixelFormat: t.PixelFormat, BitDepth: t.BitDepth, ColorPrimaries: t.ColorPrimaries,
			ColorTransfer: t.ColorTransfer, FieldOrder: t.FieldOrder, BitRate: t.BitRate, Timecode: t.Timecode, Rotation: t.Rotation,
			PixelAspect: t.PixelAspect})
	}
	return f
}
