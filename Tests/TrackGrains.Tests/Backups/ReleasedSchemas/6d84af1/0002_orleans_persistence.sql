-- Grain state for Microsoft.Orleans.Persistence.AdoNet (invariant System.Data.SQLite).
--
-- The provider addresses a row by hashes of the grain id and grain type (narrow index)
-- plus the clear-text key columns that resolve hash collisions. Version is the ETag:
-- an integer the write and clear queries bump, so a stale writer matches no row and
-- the provider raises InconsistentStateException.
--
-- Several silos and the read-model writers share this file, so every query here must
-- leave a pooled connection in autocommit mode whether it succeeds or fails.
CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            INTEGER NOT NULL,
    GrainIdN0              INTEGER NOT NULL,
    GrainIdN1              INTEGER NOT NULL,
    GrainTypeHash          INTEGER NOT NULL,
    GrainTypeString        TEXT    NOT NULL,
    GrainIdExtensionString TEXT    NULL,
    ServiceId              TEXT    NOT NULL,
    PayloadBinary          BLOB    NULL,
    -- Informational only (ISO-8601 UTC); nothing reads it back.
    ModifiedOn             TEXT    NOT NULL,
    Version                INTEGER NULL
);

CREATE INDEX IF NOT EXISTS IX_OrleansStorage ON OrleansStorage (GrainIdHash, GrainTypeHash);

-- Insert when the grain has never been written (@GrainStateVersion NULL), otherwise update
-- only the version the grain last saw. Exactly one of the two statements can match; when
-- neither does the provider gets no row and reports a version conflict.
--
-- BEGIN IMMEDIATE takes the write lock first: when another connection holds it past the
-- busy timeout the command fails at BEGIN, so no half-open transaction is left on the
-- pooled connection (the "poisoned pool": every later BEGIN on it would fail).
-- `IS` compares NULL extension keys as equal, which `=` would not.
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES
('WriteToStorageKey', '
BEGIN IMMEDIATE;

UPDATE OrleansStorage
SET PayloadBinary = @PayloadBinary,
    ModifiedOn    = strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''),
    Version       = Version + 1
WHERE GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString IS @GrainIdExtensionString
  AND ServiceId = @ServiceId
  AND @GrainStateVersion IS NOT NULL
  AND Version = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion;

INSERT INTO OrleansStorage
    (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString,
     ServiceId, PayloadBinary, ModifiedOn, Version)
SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString,
       @ServiceId, @PayloadBinary, strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''), 1
WHERE @GrainStateVersion IS NULL
  AND NOT EXISTS
  (
      SELECT 1 FROM OrleansStorage
      WHERE GrainIdHash = @GrainIdHash
        AND GrainTypeHash = @GrainTypeHash
        AND GrainIdN0 = @GrainIdN0
        AND GrainIdN1 = @GrainIdN1
        AND GrainTypeString = @GrainTypeString
        AND GrainIdExtensionString IS @GrainIdExtensionString
        AND ServiceId = @ServiceId
  )
RETURNING Version AS NewGrainStateVersion;

COMMIT;
');

-- A cleared row keeps its Version with a NULL payload; the provider treats that as
-- "no record" but keeps the ETag, so the next write must go through the update path.
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', '
SELECT PayloadBinary, Version
FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString IS @GrainIdExtensionString
  AND ServiceId = @ServiceId
LIMIT 1;
');

-- ClearStateAsync with DeleteStateOnClear = false: drop the payload, keep the row and bump
-- the version so a concurrent stale writer still conflicts. A single statement is atomic
-- on its own, so no explicit transaction (and nothing that could be left open).
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES
('ClearStorageKey', '
UPDATE OrleansStorage
SET PayloadBinary = NULL,
    ModifiedOn    = strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''),
    Version       = Version + 1
WHERE GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString IS @GrainIdExtensionString
  AND ServiceId = @ServiceId
  AND @GrainStateVersion IS NOT NULL
  AND Version = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion;
');

-- ClearStateAsync with DeleteStateOnClear = true (optional for the provider). It expects
-- "old version + 1" back so its version check sees a change; the ETag then becomes null.
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES
('DeleteStorageKey', '
DELETE FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString IS @GrainIdExtensionString
  AND ServiceId = @ServiceId
  AND @GrainStateVersion IS NOT NULL
  AND Version = @GrainStateVersion
RETURNING Version + 1 AS NewGrainStateVersion;
');
