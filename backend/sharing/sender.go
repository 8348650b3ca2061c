package sharing

import (
	"context"
	"os"
	"strings"
	"unicode/utf8"

	"reelvault/backend/fail"
)

// settingSender is the name landing pages say sent a link; unset, the
// machine's host name.
const (
	settingSender = "share_sender_name"
	maxSenderLen  = 100
)

// Sender is the display name landing pages show ("Shared by ...").
func (s *Service) Sender(ctx context.Context) string {
	if name, ok, err := s.cfg.DB.Setting(ctx, settingSender); err == nil && ok && name != "" {
		return name
	}
	host, _ := os.Hostname()
	return host
}

// SetSender sets the display name; "" goes back to the host name.
func (s *Service) SetSender(ctx context.Context, name string) error {
	name = strings.TrimSpace(name)
	if !utf8.ValidString(name) || len(name) > maxSenderLen || strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return fail.Invalid("sender_name", "must be at most %d bytes of text on one line", maxSenderLen)
	}
	if name == "" {
		return s.cfg.DB.DeleteSetting(ctx, settingSender)
	}
	return s.cfg.DB.SetSetting(ctx, settingSender, name)
}
