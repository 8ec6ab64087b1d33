-- Relational read model (SPEC section 4), PostgreSQL form of sql/sqlite/0010_read_model.sql:
-- the same tables, columns and meaning; only the types differ. Instants are timestamptz (the
-- SQLite file keeps ISO-8601 text); flags are boolean; integers are bigint, as SQLite's are.
-- The grains are the source of truth and write these tables as a projection of their state.

CREATE TABLE IF NOT EXISTS tracks
(
    spotify_id             text             NOT NULL PRIMARY KEY,
    soundcharts_uuid       text             NULL,
    -- Upstream JSON, Brotli-compressed by the projection writer (nothing queries inside it).
    spotify_data           bytea            NULL,
    soundcharts_data       bytea            NULL,
    soundcharts_fetched_at timestamptz      NULL,
    name                   text             NULL,
    duration_ms            bigint           NULL,
    explicit               boolean          NULL,
    popularity             bigint           NULL,
    preview_url            text             NULL,
    isrc                   text             NULL,
    tempo                  double precision NULL,
    energy                 double precision NULL,
    danceability           double precision NULL,
    valence                double precision NULL,
    acousticness           double precision NULL,
    instrumentalness       double precision NULL,
    liveness               double precision NULL,
    loudness               double precision NULL,
    speechiness            double precision NULL,
    -- SoundCharts sends -1 when it detected no key; kept as sent.
    key                    bigint           NULL,
    mode                   bigint           NULL,
    time_signature         bigint           NULL,
    artists_json           text             NULL,
    created_at             timestamptz      NOT NULL,
    updated_at             timestamptz      NOT NULL
);

-- lower(name): the case-insensitive form the library search compares (SQLite uses COLLATE NOCASE).
CREATE INDEX IF NOT EXISTS ix_tracks_name ON tracks (lower(name));
CREATE INDEX IF NOT EXISTS ix_tracks_isrc ON tracks (isrc);
CREATE INDEX IF NOT EXISTS ix_tracks_soundcharts_uuid ON tracks (soundcharts_uuid);

-- A user's saved tracks. No foreign key to tracks: the library projection may be written
-- before the track's own row (they come from different grains).
CREATE TABLE IF NOT EXISTS library_tracks
(
    user_id    text        NOT NULL,
    spotify_id text        NOT NULL,
    added_at   timestamptz NOT NULL,
    PRIMARY KEY (user_id, spotify_id)
);

CREATE INDEX IF NOT EXISTS ix_library_tracks_user_added ON library_tracks (user_id, added_at DESC, spotify_id);

CREATE TABLE IF NOT EXISTS failed_requests
(
    spotify_id    text        NOT NULL PRIMARY KEY,
    status        text        NOT NULL,
    error_message text        NULL,
    error_code    text        NULL,
    http_status   bigint      NULL,
    attempt_count bigint      NOT NULL DEFAULT 0,
    max_attempts  bigint      NOT NULL,
    last_attempt  timestamptz NULL,
    next_retry    timestamptz NULL
);

CREATE INDEX IF NOT EXISTS ix_failed_requests_next_retry ON failed_requests (next_retry);
CREATE INDEX IF NOT EXISTS ix_failed_requests_status ON failed_requests (status);

-- The secret lives only in the key's grain state: a masked form for display and a SHA-256
-- fingerprint (hex) so that adding the same key twice is a constraint violation.
CREATE TABLE IF NOT EXISTS api_keys
(
    key_id                text        NOT NULL PRIMARY KEY,
    app_id                text        NOT NULL,
    key_fingerprint       text        NOT NULL,
    api_key_masked        text        NOT NULL,
    is_active             boolean     NOT NULL DEFAULT true,
    deactivation_reason   text        NULL,
    quota_limit           bigint      NULL,
    quota_remaining       bigint      NULL,
    ratelimit_limit       bigint      NULL,
    ratelimit_remaining   bigint      NULL,
    ratelimit_reset       bigint      NULL,
    ratelimit_reset_at    timestamptz NULL,
    total_requests        bigint      NOT NULL DEFAULT 0,
    successful_requests   bigint      NOT NULL DEFAULT 0,
    failed_requests       bigint      NOT NULL DEFAULT 0,
    last_used             timestamptz NULL,
    last_response_headers text        NULL,
    CONSTRAINT uq_api_keys_app_fingerprint UNIQUE (app_id, key_fingerprint)
);

-- One row per UTC day ('yyyy-MM-dd' text, as in the SQLite file, so both sort and compare alike).
CREATE TABLE IF NOT EXISTS usage_stats
(
    day                    text   NOT NULL PRIMARY KEY,
    total_requests         bigint NOT NULL DEFAULT 0,
    cache_hits             bigint NOT NULL DEFAULT 0,
    soundcharts_calls      bigint NOT NULL DEFAULT 0,
    failed_calls           bigint NOT NULL DEFAULT 0,
    total_response_time_ms bigint NOT NULL DEFAULT 0,
    avg_response_time_ms   double precision GENERATED ALWAYS AS
        (CASE WHEN total_requests > 0 THEN total_response_time_ms::double precision / total_requests END) STORED
);
