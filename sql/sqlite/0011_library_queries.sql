-- Whole-library search, sort, playlists and export (issue 10).
--
-- Search and the artist sort need the artists as plain text; until now they lived only in
-- artists_json and in the compressed Spotify payload. The *_folded columns hold the same text
-- lower-cased in .NET (ToLowerInvariant), because SQLite's LOWER and NOCASE fold ASCII only: the
-- server folds the query the same way and compares with LIKE, which then needs no collation.
-- album_name and release_date let the export read plain columns instead of decompressing every
-- payload. The track projection fills these columns; rows written before this script are filled
-- once at start-up from their stored payload (TrackColumnsBackfill).
ALTER TABLE tracks ADD COLUMN artist_names TEXT NULL;
ALTER TABLE tracks ADD COLUMN album_name TEXT NULL;
ALTER TABLE tracks ADD COLUMN release_date TEXT NULL;
ALTER TABLE tracks ADD COLUMN name_folded TEXT NULL;
ALTER TABLE tracks ADD COLUMN artists_folded TEXT NULL;

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
