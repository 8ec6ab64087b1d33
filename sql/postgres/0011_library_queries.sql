-- Whole-library search, sort, playlists and export (issue 10); PostgreSQL form of
-- sql/sqlite/0011_library_queries.sql with the same tables, columns and meaning.
-- The *_folded columns are lower-cased in .NET (ToLowerInvariant) on both databases, so search
-- compares the same text with LIKE on either; tracks stored before this script are filled once at
-- start-up from their stored payload (TrackStore.BackfillSearchColumnsAsync).
CREATE TABLE IF NOT EXISTS track_search
(
    spotify_id     text NOT NULL PRIMARY KEY,
    name_folded    text NULL,
    artist_names   text NULL,
    artists_folded text NULL,
    album_name     text NULL,
    release_date   text NULL
);

-- Sorting, searching, plotting and exporting reach each track by id and read only these columns:
-- a covering index keeps them apart from the payloads (see the SQLite script for the measurement).
CREATE INDEX IF NOT EXISTS ix_tracks_listing ON tracks (spotify_id)
    INCLUDE (tempo, energy, danceability, valence, acousticness, instrumentalness, liveness, speechiness, loudness,
             "key", "mode", time_signature, popularity, duration_ms, explicit, name, artists_json);

CREATE TABLE IF NOT EXISTS playlists
(
    user_id     text        NOT NULL,
    playlist_id text        NOT NULL,
    name        text        NULL,
    track_count bigint      NOT NULL,
    synced_at   timestamptz NOT NULL,
    PRIMARY KEY (user_id, playlist_id)
);

CREATE TABLE IF NOT EXISTS playlist_tracks
(
    user_id     text        NOT NULL,
    playlist_id text        NOT NULL,
    spotify_id  text        NOT NULL,
    position    bigint      NOT NULL,
    added_at    timestamptz NULL,
    PRIMARY KEY (user_id, playlist_id, spotify_id)
);
