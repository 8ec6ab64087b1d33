-- Membership for Microsoft.Orleans.Clustering.AdoNet (invariant Npgsql): silos on several
-- machines find each other, and clients find gateways, through these two tables.
--
-- The version row is the table's optimistic-concurrency token: a membership change is applied
-- only together with a bump of the version the caller last read. Each change below is ONE
-- statement (data-modifying CTEs share one snapshot and commit together), so a bump without
-- its row change, or the reverse, cannot happen. Two silos racing with the same version: the
-- second UPDATE waits for the first's row lock, re-reads the row, finds the version moved on,
-- changes nothing and returns 0, which the provider retries with fresh data.

CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId text        NOT NULL,
    Timestamp    timestamptz NOT NULL DEFAULT now(),
    Version      integer     NOT NULL DEFAULT 0,
    CONSTRAINT PK_OrleansMembershipVersionTable_DeploymentId PRIMARY KEY (DeploymentId)
);

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId text        NOT NULL,
    Address      text        NOT NULL,
    Port         integer     NOT NULL,
    Generation   integer     NOT NULL,
    SiloName     text        NOT NULL,
    HostName     text        NOT NULL,
    Status       integer     NOT NULL,
    ProxyPort    integer     NULL,
    SuspectTimes text        NULL,
    StartTime    timestamptz NOT NULL,
    IAmAliveTime timestamptz NOT NULL,
    CONSTRAINT PK_MembershipTable_DeploymentId PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_MembershipTable_MembershipVersionTable_DeploymentId
        FOREIGN KEY (DeploymentId) REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

-- Once per cluster; one value read as a boolean: 1 = created now.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', $q$
WITH created AS
(
    INSERT INTO OrleansMembershipVersionTable (DeploymentId, Timestamp, Version)
    VALUES (CAST(@DeploymentId AS text), now(), 0)
    ON CONFLICT (DeploymentId) DO NOTHING
    RETURNING 1
)
SELECT CAST(COUNT(*) AS integer) FROM created;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Heartbeat; the provider does not look at the result.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('UpdateIAmAlivetimeKey', $q$
UPDATE OrleansMembershipTable
SET IAmAliveTime = CAST(@IAmAliveTime AS timestamptz)
WHERE DeploymentId = CAST(@DeploymentId AS text) AND Address = CAST(@Address AS text)
  AND Port = CAST(@Port AS integer) AND Generation = CAST(@Generation AS integer);
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipKey', $q$
WITH bumped AS
(
    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1, Timestamp = now()
    WHERE DeploymentId = CAST(@DeploymentId AS text)
      AND Version = CAST(@Version AS integer)
      AND NOT EXISTS
      (
          SELECT 1 FROM OrleansMembershipTable
          WHERE DeploymentId = CAST(@DeploymentId AS text) AND Address = CAST(@Address AS text)
            AND Port = CAST(@Port AS integer) AND Generation = CAST(@Generation AS integer)
      )
    RETURNING DeploymentId
),
inserted AS
(
    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
    SELECT b.DeploymentId, CAST(@Address AS text), CAST(@Port AS integer), CAST(@Generation AS integer),
           CAST(@SiloName AS text), CAST(@HostName AS text), CAST(@Status AS integer), CAST(@ProxyPort AS integer),
           CAST(@StartTime AS timestamptz), CAST(@IAmAliveTime AS timestamptz)
    FROM bumped b
    RETURNING 1
)
SELECT CAST(COUNT(*) AS integer) FROM inserted;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('UpdateMembershipKey', $q$
WITH bumped AS
(
    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1, Timestamp = now()
    WHERE DeploymentId = CAST(@DeploymentId AS text)
      AND Version = CAST(@Version AS integer)
      AND EXISTS
      (
          SELECT 1 FROM OrleansMembershipTable
          WHERE DeploymentId = CAST(@DeploymentId AS text) AND Address = CAST(@Address AS text)
            AND Port = CAST(@Port AS integer) AND Generation = CAST(@Generation AS integer)
      )
    RETURNING DeploymentId
),
updated AS
(
    UPDATE OrleansMembershipTable m
    SET Status = CAST(@Status AS integer),
        SuspectTimes = CAST(@SuspectTimes AS text),
        IAmAliveTime = CAST(@IAmAliveTime AS timestamptz)
    FROM bumped b
    WHERE m.DeploymentId = b.DeploymentId AND m.Address = CAST(@Address AS text)
      AND m.Port = CAST(@Port AS integer) AND m.Generation = CAST(@Generation AS integer)
    RETURNING 1
)
SELECT CAST(COUNT(*) AS integer) FROM updated;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- The LEFT JOIN returns the version row even when the silo has no row: the provider needs the
-- table version in every answer and treats a NULL StartTime as "no entry".
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('MembershipReadRowKey', $q$
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
       m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT OUTER JOIN OrleansMembershipTable m
    ON v.DeploymentId = m.DeploymentId
   AND m.Address = CAST(@Address AS text) AND m.Port = CAST(@Port AS integer) AND m.Generation = CAST(@Generation AS integer)
WHERE v.DeploymentId = CAST(@DeploymentId AS text);
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('MembershipReadAllKey', $q$
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
       m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT OUTER JOIN OrleansMembershipTable m ON v.DeploymentId = m.DeploymentId
WHERE v.DeploymentId = CAST(@DeploymentId AS text);
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('DeleteMembershipTableEntriesKey', $q$
WITH members AS
(
    DELETE FROM OrleansMembershipTable WHERE DeploymentId = CAST(@DeploymentId AS text)
)
DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = CAST(@DeploymentId AS text);
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Clients ask for active silos (@Status = 3) that accept client connections.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('GatewaysQueryKey', $q$
SELECT Address, ProxyPort, Generation
FROM OrleansMembershipTable
WHERE DeploymentId = CAST(@DeploymentId AS text) AND Status = CAST(@Status AS integer) AND ProxyPort > 0;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Removes rows of silos that stopped heart-beating before @IAmAliveTime, never active ones (3).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = CAST(@DeploymentId AS text)
  AND IAmAliveTime < CAST(@IAmAliveTime AS timestamptz)
  AND Status != 3;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
