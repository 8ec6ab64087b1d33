-- Relational read model (SPEC section 4). The grains are the source of truth and write these
-- tables as a projection of their state; nothing here is read back into a grain except to
-- repair a projection. Timestamps are ISO-8601 UTC TEXT as .NET writes them with the "o"
-- format (e.g. 2026-03-01T12:00:00.0000000Z): one fixed format, so text order is time order.
-- Writers must not mix in other formats (SQLite's strftime gives 3 fractional digits).

-- One row per Spotify track. spotify_data and soundcharts_data hold the upstream JSON
-- compressed (the projection writer owns the codec): a track's JSON is often larger than
-- the rest of the row and would otherwise cost whole overflow pages, and nothing queries
-- inside it. Everything that is listed, sorted, searched or plotted is denormalised into
-- plain columns.
CREATE TABLE IF NOT EXISTS tracks
(
    spotify_id             TEXT    NOT NULL PRIMARY KEY,
    soundcharts_uuid       TEXT    NULL,
    spotify_data           BLOB    NULL,
    soundcharts_data       BLOB    NULL,
    soundcharts_fetched_at TEXT    NULL,
    -- NOCASE so that the index below also serves case-insensitive prefix search (LIKE 'abc%').
    name                   TEXT    NULL COLLATE NOCASE,
    duration_ms            INTEGER NULL,
    explicit               INTEGER NULL CHECK (explicit IN (0, 1)),
    popularity             INTEGER NULL,
    preview_url            TEXT    NULL,
    isrc                   TEXT    NULL,
    tempo                  REAL    NULL,
    energy                 REAL    NULL,
    danceability           REAL    NULL,
    valence                REAL    NULL,
    acousticness           REAL    NULL,
    instrumentalness       REAL    NULL,
    liveness               REAL    NULL,
    loudness               REAL    NULL,
    speechiness            REAL    NULL,
    -- SoundCharts sends -1 when it detected no key; kept as sent.
    key                    INTEGER NULL,
    mode                   INTEGER NULL,
    time_signature         INTEGER NULL,
    -- Small JSON array [{id, name}] for listings, so they need not decompress spotify_data.
    artists_json           TEXT    NULL,
    created_at             TEXT    NOT NULL,
    updated_at             TEXT    NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_tracks_name ON tracks (name);
CREATE INDEX IF NOT EXISTS ix_tracks_isrc ON tracks (isrc);
CREATE INDEX IF NOT EXISTS ix_tracks_soundcharts_uuid ON tracks (soundcharts_uuid);

-- A user's saved tracks. No foreign key to tracks: the library projection may be written
-- before the track's own row (they come from different grains).
CREATE TABLE IF NOT EXISTS library_tracks
(
    user_id    TEXT NOT NULL,
    spotify_id TEXT NOT NULL,
    added_at   TEXT NOT NULL,
    PRIMARY KEY (user_id, spotify_id)
) WITHOUT ROWID;

-- Serves "newest first" paging of one user's library.
CREATE INDEX IF NOT EXISTS ix_library_tracks_user_added ON library_tracks (user_id, added_at DESC);

-- Tracks whose SoundCharts fetch failed or waits for a retry; removed once enriched.
CREATE TABLE IF NOT EXISTS failed_requests
(
    spotify_id    TEXT    NOT NULL PRIMARY KEY,
    -- The track's enrichment status (retrying, failed, notFound, pending).
    status        TEXT    NOT NULL,
    error_message TEXT    NULL,
    -- SoundCharts' numeric code or our own category (e.g. timeout); TEXT holds both.
    error_code    TEXT    NULL,
    http_status   INTEGER NULL,
    attempt_count INTEGER NOT NULL DEFAULT 0,
    max_attempts  INTEGER NOT NULL,
    last_attempt  TEXT    NULL,
    next_retry    TEXT    NULL
);

CREATE INDEX IF NOT EXISTS ix_failed_requests_next_retry ON failed_requests (next_retry);
CREATE INDEX IF NOT EXISTS ix_failed_requests_status ON failed_requests (status);

-- SoundCharts keys as the operator sees them. The secret itself lives only in the key's
-- grain state: this table keeps a masked form for display and a SHA-256 fingerprint (hex)
-- so that adding the same key twice is a constraint violation, not a lookup race.
CREATE TABLE IF NOT EXISTS api_keys
(
    key_id                TEXT    NOT NULL PRIMARY KEY,
    app_id                TEXT    NOT NULL,
    key_fingerprint       TEXT    NOT NULL,
    api_key_masked        TEXT    NOT NULL,
    is_active             INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    deactivation_reason   TEXT    NULL,
    quota_limit           INTEGER NULL,
    quota_remaining       INTEGER NULL,
    ratelimit_limit       INTEGER NULL,
    ratelimit_remaining   INTEGER NULL,
    -- Seconds until the window resets, as last reported (x-ratelimit-reset) ...
    ratelimit_reset       INTEGER NULL,
    -- ... and the absolute time that meant when it was received.
    ratelimit_reset_at    TEXT    NULL,
    total_requests        INTEGER NOT NULL DEFAULT 0,
    successful_requests   INTEGER NOT NULL DEFAULT 0,
    failed_requests       INTEGER NOT NULL DEFAULT 0,
    last_used             TEXT    NULL,
    -- JSON object of the x-* headers of the last response (never the request's credentials).
    last_response_headers TEXT    NULL,
    CONSTRAINT uq_api_keys_app_fingerprint UNIQUE (app_id, key_fingerprint)
);

-- One row per UTC day ('yyyy-MM-dd'). The average is derived, not stored, so it cannot
-- disagree with the totals: writers add to total_response_time_ms and total_requests only.
CREATE TABLE IF NOT EXISTS usage_stats
(
    day                    TEXT    NOT NULL PRIMARY KEY,
    total_requests         INTEGER NOT NULL DEFAULT 0,
    cache_hits             INTEGER NOT NULL DEFAULT 0,
    soundcharts_calls      INTEGER NOT NULL DEFAULT 0,
    failed_calls           INTEGER NOT NULL DEFAULT 0,
    total_response_time_ms INTEGER NOT NULL DEFAULT 0,
    avg_response_time_ms   REAL GENERATED ALWAYS AS
        (CASE WHEN total_requests > 0 THEN CAST(total_response_time_ms AS REAL) / total_requests END) VIRTUAL
);
