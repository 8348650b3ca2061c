-- Mux's thumbnail_time: the second of the master the asset's thumbnail is
-- taken at; NULL is the default frame (about 10% in).
ALTER TABLE assets ADD COLUMN thumbnail_time REAL;
