-- Recommendations (issue 12): each process keeps the enriched catalogue's attribute values in memory
-- (CatalogueIndex) and reads them from here twice: all at once on first use, then the rows written
-- lately (updated_at at or after a point), to take in what other silos enriched. Both reads name this
-- covering index, ordered by updated_at: the later one is a range of it, and neither walks the tracks
-- rows, whose compressed payloads sit ahead of isrc and artists_json in overflow pages.
CREATE INDEX IF NOT EXISTS ix_tracks_recommend ON tracks
    (updated_at, soundcharts_fetched_at, spotify_id, acousticness, danceability, energy, instrumentalness, liveness, speechiness,
     valence, tempo, loudness, "key", "mode", time_signature, popularity, duration_ms, isrc, artists_json);
