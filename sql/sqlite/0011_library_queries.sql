-- Whole-library search, sort, playlists and export (issue 10).
--
-- track_search: per track, what search, the name and artist sorts and the export read as plain text.
-- Until now the artists lived only in tracks.artists_json and in the compressed Spotify payload. The
-- *_folded columns hold the text lower-cased in .NET (ToLowerInvariant), because SQLite's LOWER and
-- NOCASE fold ASCII only: the server folds the query the same way and compares with LIKE, so no
-- collation is involved. album_name and release_date let the export read columns instead of
-- decompressing every payload. A table of its own rather than new columns of tracks, so that this
-- script, like every other, can run again on a current schema (SQLite has no ADD COLUMN IF NOT EXISTS).
-- The track projection writes it with the tracks row; tracks stored before it existed are filled once
-- at start-up from their stored payload (TrackStore.BackfillSearchColumnsAsync).
CREATE TABLE IF NOT EXISTS track_search
(
    spotify_id     TEXT NOT NULL PRIMARY KEY,
    name_folded    TEXT NULL,
    -- The artists' names joined with ", ", as listed and exported.
    artist_names   TEXT NULL,
    artists_folded TEXT NULL,
    album_name     TEXT NULL,
    release_date   TEXT NULL
) WITHOUT ROWID;

-- Sorting, searching, plotting and exporting a library reach each of its tracks by id and read only
-- these columns. The tracks row itself holds the compressed payloads ahead of them, so reading tempo
-- from the row walks kilobytes of overflow pages per track: measured on 10,000 tracks, a page sorted
-- by tempo took ~40 ms at p50 that way. This covering index keeps the listed columns together, by id,
-- so those queries never touch the row. The queries name it (INDEXED BY): SQLite's planner would take
-- the unique index on spotify_id instead and read the row all the same.
CREATE INDEX IF NOT EXISTS ix_tracks_listing ON tracks
    (spotify_id, tempo, energy, danceability, valence, acousticness, instrumentalness, liveness, speechiness, loudness,
     "key", "mode", time_signature, popularity, duration_ms, explicit, name, artists_json);

-- The playlists a user's sync walked (collectionType playlists or all). Written by the library
-- sync; a playlist the user no longer has is removed when a walk of all playlists completes.
CREATE TABLE IF NOT EXISTS playlists
(
    user_id     TEXT    NOT NULL,
    playlist_id TEXT    NOT NULL,
    name        TEXT    NULL,
    -- Distinct tracks recorded in playlist_tracks (local files and episodes are not tracks).
    track_count INTEGER NOT NULL,
    synced_at   TEXT    NOT NULL,
    PRIMARY KEY (user_id, playlist_id)
) WITHOUT ROWID;

-- Which tracks each playlist holds, per user (a public playlist synced by two users is listed
-- for each of them separately). A track in a playlist twice is kept once, at its first position.
-- added_at is null for the playlist items Spotify sends without it.
CREATE TABLE IF NOT EXISTS playlist_tracks
(
    user_id     TEXT    NOT NULL,
    playlist_id TEXT    NOT NULL,
    spotify_id  TEXT    NOT NULL,
    position    INTEGER NOT NULL,
    added_at    TEXT    NULL,
    PRIMARY KEY (user_id, playlist_id, spotify_id)
) WITHOUT ROWID;
