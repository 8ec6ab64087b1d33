-- Reminders for Microsoft.Orleans.Reminders.AdoNet (invariant Npgsql).
--   StartTime  DateTime (UTC) -> timestamptz.
--   Period     milliseconds, bound as int or, beyond int range, as bigint.
--   GrainHash, BeginHash, EndHash  uint reinterpreted as signed 32-bit; the provider picks
--              ReadRangeRows1Key / 2Key for signed comparison.
CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    text        NOT NULL,
    GrainId      text        NOT NULL,
    ReminderName text        NOT NULL,
    StartTime    timestamptz NOT NULL,
    Period       bigint      NOT NULL,
    GrainHash    integer     NOT NULL,
    Version      integer     NOT NULL,
    CONSTRAINT PK_RemindersTable_ServiceId_GrainId_ReminderName PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

CREATE INDEX IF NOT EXISTS IX_RemindersTable_ServiceId_GrainHash ON OrleansRemindersTable (ServiceId, GrainHash);

-- Version starts at 0 and is bumped on every re-registration; the provider uses it as the ETag.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('UpsertReminderRowKey', $q$
INSERT INTO OrleansRemindersTable AS r (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
VALUES (CAST(@ServiceId AS text), CAST(@GrainId AS text), CAST(@ReminderName AS text), CAST(@StartTime AS timestamptz),
        CAST(@Period AS bigint), CAST(@GrainHash AS integer), 0)
ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE SET
    StartTime = excluded.StartTime,
    Period    = excluded.Period,
    GrainHash = excluded.GrainHash,
    Version   = r.Version + 1
RETURNING Version;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadReminderRowsKey', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = CAST(@ServiceId AS text) AND GrainId = CAST(@GrainId AS text);
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadReminderRowKey', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = CAST(@ServiceId AS text) AND GrainId = CAST(@GrainId AS text) AND ReminderName = CAST(@ReminderName AS text);
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- The range (BeginHash, EndHash] when it does not wrap around...
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadRangeRows1Key', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = CAST(@ServiceId AS text)
  AND GrainHash > CAST(@BeginHash AS integer) AND GrainHash <= CAST(@EndHash AS integer);
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- ...and when it does.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadRangeRows2Key', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = CAST(@ServiceId AS text)
  AND (GrainHash > CAST(@BeginHash AS integer) OR GrainHash <= CAST(@EndHash AS integer));
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- One value, read as a boolean: 1 when the row with that ETag was removed.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('DeleteReminderRowKey', $q$
WITH deleted AS
(
    DELETE FROM OrleansRemindersTable
    WHERE ServiceId = CAST(@ServiceId AS text) AND GrainId = CAST(@GrainId AS text)
      AND ReminderName = CAST(@ReminderName AS text) AND Version = CAST(@Version AS integer)
    RETURNING 1
)
SELECT CAST(COUNT(*) AS integer) FROM deleted;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('DeleteReminderRowsKey', $q$
DELETE FROM OrleansRemindersTable WHERE ServiceId = CAST(@ServiceId AS text);
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
