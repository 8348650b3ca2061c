package wire

// Storage is GET /ui/v1/storage: what the library holds and what its disk has left.
type Storage struct {
	UsedBytes      int64 `json:"used_bytes"`      // masters and kept uploaded originals
	MastersBytes   int64 `json:"masters_bytes"`   // the masters
	OriginalsBytes int64 `json:"originals_bytes"` // uploaded originals kept as inputs
	FreeBytes      int64 `json:"free_bytes"`      // free on the data folder's disk (0: unknown)
	DiskBytes      int64 `json:"disk_bytes"`      // that disk's size (0: unknown)
}
