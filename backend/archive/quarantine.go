package archive

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"reelvault/backend/quarantine"
)

// Quarantined lists the files start-up set aside instead of deleting them.
func (s *Service) Quarantined() ([]quarantine.Item, error) {
	return quarantine.List(s.cfg.DataDir)
}

// RestoreQuarantined adopts a quarantined file back into the library: it is
// moved to restored/ in the data folder (the asset's input from then on,
// never changed or deleted by the app) and becomes a new asset, probed,
// hashed and built like any other, at the largest tier so nothing the file
// holds is scaled away.
func (s *Service) RestoreQuarantined(ctx context.Context, id string) (Asset, error) {
	it, err := quarantine.Get(s.cfg.DataDir, id)
	if err != nil {
		return Asset{}, err
	}
	dir := filepath.Join(s.cfg.DataDir, "restored")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Asset{}, err
	}
	dst := filepath.Join(dir, it.ID+"-"+it.Name)
	if err := os.Rename(it.Path(s.cfg.DataDir), dst); err != nil {
		return Asset{}, fmt.Errorf("restore %s: %w", it.ID, err)
	}
	p := CreateParams{Input: dst, Source: SourceFile, AssetSettings: AssetSettings{
		MaxResolutionTier: ResolutionTiers[len(ResolutionTiers)-1], Meta: Meta{Title: trimFileExt(it.Name)}}}
	if err := p.Validate(); err != nil {
		os.Rename(dst, it.Path(s.cfg.DataDir)) // back where it was: nothing changed
		return Asset{}, err
	}
	a, err := s.Create(ctx, p)
	if err != nil {
		os.Rename(dst, it.Path(s.cfg.DataDir))
		return Asset{}, err
	}
	if err := quarantine.Delete(s.cfg.DataDir, it.ID); err != nil {
		s.log.Warn("the restored file's quarantine note stays", "quarantine", it.ID, "err", err)
	}
	s.log.Info("a quarantined file was restored into the library", "quarantine", it.ID, "asset", a.ID)
	return a, nil
}

// DeleteQuarantined removes a quarantined file for good: only ever on the
// user's word.
func (s *Service) DeleteQuarantined(id string) error {
	if err := quarantine.Delete(s.cfg.DataDir, id); err != nil {
		return err
	}
	s.log.Info("a quarantined file was deleted by the user", "quarantine", id)
	return nil
}
