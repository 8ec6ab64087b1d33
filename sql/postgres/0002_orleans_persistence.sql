-- Grain state for Microsoft.Orleans.Persistence.AdoNet (invariant Npgsql).
--
-- A row is addressed by hashes of the grain id and type plus the clear-text key columns that
-- resolve hash collisions. Version is the ETag: the write and clear statements bump it, so a
-- stale writer matches no row and the provider raises InconsistentStateException.
--
-- Unlike the upstream script, the grain identity is unique: two silos racing on the first write
-- of one grain (possible for a moment while membership changes) cannot both insert.
CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            integer     NOT NULL,
    GrainIdN0              bigint      NOT NULL,
    GrainIdN1              bigint      NOT NULL,
    GrainTypeHash          integer     NOT NULL,
    GrainTypeString        text        NOT NULL,
    GrainIdExtensionString text        NULL,
    ServiceId              text        NOT NULL,
    PayloadBinary          bytea       NULL,
    ModifiedOn             timestamptz NOT NULL,
    Version                integer     NULL
);

CREATE UNIQUE INDEX IF NOT EXISTS UX_OrleansStorage_Identity ON OrleansStorage
    (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, GrainTypeString, GrainIdExtensionString, ServiceId)
    NULLS NOT DISTINCT;

-- Insert when the grain was never written (@GrainStateVersion NULL), else update only the
-- version the grain last saw. At most one branch returns a row; none means a version conflict.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('WriteToStorageKey', $q$
WITH updated AS
(
    UPDATE OrleansStorage
    SET PayloadBinary = CAST(@PayloadBinary AS bytea),
        ModifiedOn    = now(),
        Version       = Version + 1
    WHERE GrainIdHash = CAST(@GrainIdHash AS integer)
      AND GrainTypeHash = CAST(@GrainTypeHash AS integer)
      AND GrainIdN0 = CAST(@GrainIdN0 AS bigint)
      AND GrainIdN1 = CAST(@GrainIdN1 AS bigint)
      AND GrainTypeString = CAST(@GrainTypeString AS text)
      AND GrainIdExtensionString IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS text)
      AND ServiceId = CAST(@ServiceId AS text)
      AND CAST(@GrainStateVersion AS integer) IS NOT NULL
      AND Version = CAST(@GrainStateVersion AS integer)
    RETURNING Version
),
inserted AS
(
    INSERT INTO OrleansStorage
        (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString,
         ServiceId, PayloadBinary, ModifiedOn, Version)
    SELECT CAST(@GrainIdHash AS integer), CAST(@GrainIdN0 AS bigint), CAST(@GrainIdN1 AS bigint),
           CAST(@GrainTypeHash AS integer), CAST(@GrainTypeString AS text), CAST(@GrainIdExtensionString AS text),
           CAST(@ServiceId AS text), CAST(@PayloadBinary AS bytea), now(), 1
    WHERE CAST(@GrainStateVersion AS integer) IS NULL
    ON CONFLICT DO NOTHING
    RETURNING Version
)
SELECT Version AS NewGrainStateVersion FROM updated
UNION ALL
SELECT Version FROM inserted;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- A cleared row keeps its Version with a NULL payload; the provider reads that as "no record"
-- but keeps the ETag, so the next write goes through the update branch.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', $q$
SELECT PayloadBinary, Version
FROM OrleansStorage
WHERE GrainIdHash = CAST(@GrainIdHash AS integer)
  AND GrainTypeHash = CAST(@GrainTypeHash AS integer)
  AND GrainIdN0 = CAST(@GrainIdN0 AS bigint)
  AND GrainIdN1 = CAST(@GrainIdN1 AS bigint)
  AND GrainTypeString = CAST(@GrainTypeString AS text)
  AND GrainIdExtensionString IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS text)
  AND ServiceId = CAST(@ServiceId AS text)
LIMIT 1;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ClearStorageKey', $q$
UPDATE OrleansStorage
SET PayloadBinary = NULL,
    ModifiedOn    = now(),
    Version       = Version + 1
WHERE GrainIdHash = CAST(@GrainIdHash AS integer)
  AND GrainTypeHash = CAST(@GrainTypeHash AS integer)
  AND GrainIdN0 = CAST(@GrainIdN0 AS bigint)
  AND GrainIdN1 = CAST(@GrainIdN1 AS bigint)
  AND GrainTypeString = CAST(@GrainTypeString AS text)
  AND GrainIdExtensionString IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS text)
  AND ServiceId = CAST(@ServiceId AS text)
  AND CAST(@GrainStateVersion AS integer) IS NOT NULL
  AND Version = CAST(@GrainStateVersion AS integer)
RETURNING Version AS NewGrainStateVersion;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- DeleteStateOnClear = true: the provider expects "old version + 1" back.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('DeleteStorageKey', $q$
DELETE FROM OrleansStorage
WHERE GrainIdHash = CAST(@GrainIdHash AS integer)
  AND GrainTypeHash = CAST(@GrainTypeHash AS integer)
  AND GrainIdN0 = CAST(@GrainIdN0 AS bigint)
  AND GrainIdN1 = CAST(@GrainIdN1 AS bigint)
  AND GrainTypeString = CAST(@GrainTypeString AS text)
  AND GrainIdExtensionString IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS text)
  AND ServiceId = CAST(@ServiceId AS text)
  AND CAST(@GrainStateVersion AS integer) IS NOT NULL
  AND Version = CAST(@GrainStateVersion AS integer)
RETURNING Version + 1 AS NewGrainStateVersion;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
