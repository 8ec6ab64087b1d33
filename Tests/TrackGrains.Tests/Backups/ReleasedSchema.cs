using System.Globalization;
using Microsoft.Data.Sqlite;

namespace TrackGrains.Tests.Backups;

/// <summary>
/// A released version of the SQLite schema, built from the scripts that release shipped (kept under
/// ReleasedSchemas/, embedded), never from today's scripts or from git.
/// </summary>
public sealed record ReleasedSchema(string Release)
{
    private const string ResourcePrefix = "released-schemas/";

    /// <summary>Every release that changed <c>sql/</c>, oldest first.</summary>
    public static readonly IReadOnlyList<ReleasedSchema> All = [new("6d84af1"), new("aecc9ef")];

    public override string ToString() => Release;

    /// <summary>Script version (file name without .sql) to text: this release's folder laid over the earlier releases'.</summary>
    public SortedDictionary<string, string> Scripts()
    {
        var assembly = typeof(ReleasedSchema).Assembly;
        var scripts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var release in All.Take(All.ToList().IndexOf(this) + 1))
        {
            var folder = $"{ResourcePrefix}{release.Release}/";
            foreach (var name in assembly.GetManifestResourceNames().Where(n => n.Replace('\\', '/').StartsWith(folder, StringComparison.Ordinal)))
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
                scripts[Path.GetFileNameWithoutExtension(name.Replace('\\', '/')[folder.Length..])] = reader.ReadToEnd();
            }
        }
        Assert.NotEmpty(scripts);
        return scripts;
    }

    /// <summary>
    /// A database as this release's migrator left it: WAL, every script applied in its own transaction
    /// and recorded in schema_versions by its file name.
    /// </summary>
    public void CreateDatabase(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        Execute(connection, null, "PRAGMA journal_mode=WAL;");
        Execute(connection, null, "CREATE TABLE schema_versions (version TEXT NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL);");
        foreach (var (version, text) in Scripts())
        {
            using var transaction = connection.BeginTransaction();
            Execute(connection, transaction, text);
            Execute(connection, transaction, "INSERT INTO schema_versions (version, applied_at) VALUES (@version, @at);",
                ("@version", version), ("@at", DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture)));
            transaction.Commit();
        }
    }

    /// <summary>
    /// Copies the rows of <paramref name="sourcePath"/> into every table of <paramref name="path"/> that exists in
    /// both and that the release's scripts left empty (the data tables; OrleansQuery and schema_versions are the
    /// release's own), column by column as far as the release had the columns. Returns the tables filled.
    /// </summary>
    public static List<string> CopyData(string sourcePath, string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        Execute(connection, null, "ATTACH DATABASE @source AS source;", ("@source", sourcePath));
        var filled = new List<string>();
        using var transaction = connection.BeginTransaction();
        foreach (var table in Column(connection, transaction, "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"))
        {
            var columns = Column(connection, transaction, "SELECT name FROM pragma_table_info(@table, 'main')", ("@table", table))
                .Intersect(Column(connection, transaction, "SELECT name FROM pragma_table_info(@table, 'source')", ("@table", table)))
                .Select(c => $"\"{c}\"")
                .ToList();
            if (columns.Count == 0 || Column(connection, transaction, $"SELECT COUNT(*) FROM main.\"{table}\"").Single() != "0")
            {
                continue;
            }
            var list = string.Join(", ", columns);
            Execute(connection, transaction, $"INSERT INTO main.\"{table}\" ({list}) SELECT {list} FROM source.\"{table}\";");
            filled.Add(table);
        }
        transaction.Commit();
        return filled;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        command.ExecuteNonQuery();
    }

    private static List<string> Column(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture) ?? "");
        }
        return values;
    }
}
