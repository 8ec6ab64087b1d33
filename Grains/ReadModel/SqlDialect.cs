using System.Data.Common;
using System.Globalization;

namespace TrackGrains.Grains.ReadModel;

/// <summary>
/// What differs between the two databases for the read model's own SQL, in one place. The stores'
/// statements are written once, in the SQL both accept (named <c>@parameters</c>, <c>ON CONFLICT</c>,
/// <c>RETURNING</c>, <c>NULLS LAST</c>); only how a point in time is stored differs: SQLite has no
/// time type, so instants are ISO-8601 UTC text of one fixed format (text order is time order),
/// while PostgreSQL keeps them as <c>timestamptz</c>.
/// </summary>
public abstract class SqlDialect
{
    public static readonly SqlDialect Sqlite = new SqliteDialect();

    public static readonly SqlDialect Postgres = new PostgresDialect();

    /// <summary>"sqlite" or "postgres", as in Storage:Provider.</summary>
    public abstract string Name { get; }

    /// <summary>The parameter value for an instant (null stays null).</summary>
    public abstract object? Timestamp(DateTimeOffset? value);

    public abstract DateTimeOffset? ReadTimestamp(DbDataReader reader, int ordinal);

    /// <summary>
    /// A text expression to ORDER BY in code-point order on both databases: SQLite compares text bytewise
    /// already, PostgreSQL would otherwise use the database's locale, and the two would list names differently.
    /// </summary>
    public abstract string CodePointOrder(string expression);

    /// <summary>
    /// A hint after a table name in FROM that the lookup should go through this index. SQLite's planner
    /// prefers a unique index on the join column and then reads the table row even when another index
    /// covers every column the query needs; PostgreSQL chooses an index-only scan itself and gets nothing.
    /// </summary>
    public abstract string IndexedBy(string index);

    private sealed class SqliteDialect : SqlDialect
    {
        public override string Name => "sqlite";

        public override string CodePointOrder(string expression) => expression;

        public override string IndexedBy(string index) => "INDEXED BY " + index;

        public override object? Timestamp(DateTimeOffset? value) => value?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

        public override DateTimeOffset? ReadTimestamp(DbDataReader reader, int ordinal) =>
            reader.IsDBNull(ordinal)
                ? null
                : DateTimeOffset.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }

    private sealed class PostgresDialect : SqlDialect
    {
        public override string Name => "postgres";

        public override string CodePointOrder(string expression) => expression + " COLLATE \"C\"";

        public override string IndexedBy(string index) => "";

        // Npgsql binds DateTime of kind Utc to timestamptz and refuses any other kind.
        public override object? Timestamp(DateTimeOffset? value) => value?.UtcDateTime;

        public override DateTimeOffset? ReadTimestamp(DbDataReader reader, int ordinal) =>
            reader.IsDBNull(ordinal)
                ? null
                : new DateTimeOffset(DateTime.SpecifyKind(reader.GetFieldValue<DateTime>(ordinal), DateTimeKind.Utc));
    }
}
