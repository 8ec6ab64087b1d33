-- The Orleans ADO.NET providers (persistence, reminders, clustering) do not carry SQL of
-- their own: at start-up each reads the statements it needs from this table, by key.
-- The parameter names (@Name) and result column names in those statements are the
-- contract with the provider code; everything else is ours to tune for SQLite.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);
