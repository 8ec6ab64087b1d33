-- Membership for Microsoft.Orleans.Clustering.AdoNet (invariant System.Data.SQLite), so that
-- several silo processes on one machine can share this file as their cluster table.
-- Orleans ships no SQLite clustering script; this follows the query keys, parameter names
-- and result columns of the provider's PostgreSQL contract.
--
-- VERIFICATION STATUS: exercised by the storage tests through a silo that uses ADO.NET
-- clustering on this file (join, I-am-alive, graceful shutdown). Failure detection between
-- silos on separate machines is NOT tested, and SQLite over a network file system is not a
-- supported deployment: SQLite's locking is only reliable on a local disk.
--
-- Timestamps arrive as DateTime (UTC) bound as TEXT 'yyyy-MM-dd HH:mm:ss.FFFFFFF'. They are
-- compared through julianday() so that the format of the text does not matter.

CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId TEXT    NOT NULL,
    Timestamp    TEXT    NOT NULL,
    Version      INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT PK_OrleansMembershipVersionTable_DeploymentId PRIMARY KEY (DeploymentId)
);

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId TEXT    NOT NULL,
    Address      TEXT    NOT NULL,
    Port         INTEGER NOT NULL,
    Generation   INTEGER NOT NULL,
    SiloName     TEXT    NOT NULL,
    HostName     TEXT    NOT NULL,
    Status       INTEGER NOT NULL,
    ProxyPort    INTEGER NULL,
    SuspectTimes TEXT    NULL,
    StartTime    TEXT    NOT NULL,
    IAmAliveTime TEXT    NOT NULL,
    CONSTRAINT PK_MembershipTable_DeploymentId PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_MembershipTable_MembershipVersionTable_DeploymentId
        FOREIGN KEY (DeploymentId) REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

-- The provider calls this once per cluster and reads one boolean column: 1 = created now.
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', '
INSERT INTO OrleansMembershipVersionTable (DeploymentId, Timestamp, Version)
VALUES (@DeploymentId, strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''), 0)
ON CONFLICT (DeploymentId) DO NOTHING;
SELECT changes();
');

-- Fire-and-forget heartbeat; the provider does not look at the result.
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES
('UpdateIAmAlivetimeKey', '
UPDATE OrleansMembershipTable
SET IAmAliveTime = @IAmAliveTime
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation;
');

-- A new silo row and the table version bump must happen together or not at all (the version
-- is the table's optimistic-concurrency token). The version is bumped first, only when the
-- caller saw the current version and the row is new; the insert runs only if that bump did.
-- BEGIN IMMEDIATE: see 0002 (a lock wait fails at BEGIN, leaving no open transaction).
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipKey', '
BEGIN IMMEDIATE;

UPDATE OrleansMembershipVersionTable
SET Version = Version + 1,
    Timestamp = strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now'')
WHERE DeploymentId = @DeploymentId
  AND Version = @Version
  AND NOT EXISTS
  (
      SELECT 1 FROM OrleansMembershipTable
      WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
  );

INSERT INTO OrleansMembershipTable
    (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
SELECT @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
WHERE changes() > 0;

SELECT changes();

COMMIT;
');

-- Same shape as the insert: bump the version only when the caller saw it and the row exists,
-- then update the row only if the bump happened.
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES
('UpdateMembershipKey', '
BEGIN IMMEDIATE;

UPDATE OrleansMembershipVersionTable
SET Version = Version + 1,
    Timestamp = strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now'')
WHERE DeploymentId = @DeploymentId
  AND Version = @Version
  AND EXISTS
  (
      SELECT 1 FROM OrleansMembershipTable
      WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
  );

UPDATE OrleansMembershipTable
SET Status = @Status,
    SuspectTimes = @SuspectTimes,
    IAmAliveTime = @IAmAliveTime
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
  AND changes() > 0;

SELECT changes();

COMMIT;
');

-- The LEFT JOIN returns the version row even when the silo has no row: the provider needs
-- the table version in every answer and treats a NULL StartTime as "no entry".
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES
('MembershipReadRowKey', '
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
       m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT OUTER JOIN OrleansMembershipTable m
    ON v.DeploymentId = m.DeploymentId
   AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
WHERE v.DeploymentId = @DeploymentId;
');

INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES
('MembershipReadAllKey', '
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
       m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT OUTER JOIN OrleansMembershipTable m ON v.DeploymentId = m.DeploymentId
WHERE v.DeploymentId = @DeploymentId;
');

INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES
('DeleteMembershipTableEntriesKey', '
DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
');

-- Clients ask for active silos (@Status = 3) that accept client connections.
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES
('GatewaysQueryKey', '
SELECT Address, ProxyPort, Generation
FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0;
');

-- Removes rows of silos that stopped heart-beating before @IAmAliveTime, never active ones (3).
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES
('CleanupDefunctSiloEntriesKey', '
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND julianday(IAmAliveTime) < julianday(@IAmAliveTime)
  AND Status != 3;
');
