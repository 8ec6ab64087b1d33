-- Recommendations (issue 12); PostgreSQL form of sql/sqlite/0016_recommendations.sql. The periodic read
-- of rows written lately is a range of updated_at; the first, whole read is a scan either way.
CREATE INDEX IF NOT EXISTS ix_tracks_recommend ON tracks (updated_at);
