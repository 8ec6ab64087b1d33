-- The Orleans ADO.NET providers (persistence, reminders, clustering) carry no SQL of their own:
-- at start-up each reads the statements it needs from this table, by key. Parameter names
-- (@Name) and result column names are the contract with the provider code.
--
-- Unquoted identifiers throughout: the providers query "SELECT QueryKey, QueryText FROM
-- OrleansQuery" unquoted, which PostgreSQL folds to lower case.
--
-- Every parameter is cast where it is used: the providers bind NULLs without a type, and
-- PostgreSQL cannot infer one from "@x IS NULL" alone. Statements are single statements
-- (CTEs where two writes must happen together), so a failure can never leave half of them done.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
);
