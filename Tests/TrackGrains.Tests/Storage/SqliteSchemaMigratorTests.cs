using TrackGrains.Silo.Storage;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Storage;

[Collection(StorageTestCollection.Name)]
public sealed class SqliteSchemaMigratorTests : IDisposable
{
    private const string SchemaSnapshotSql = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name;";
    private const string VersionsSql = "SELECT version, applied_at FROM schema_versions ORDER BY version;";
    private const string QueriesSql = "SELECT QueryKey, QueryText FROM OrleansQuery ORDER BY QueryKey;";

    private readonly TempDatabase _database = new();

    [Fact]
    public void Apply_on_a_new_file_creates_the_folder_applies_every_script_and_turns_on_WAL()
    {
        var applied = SqliteSchemaMigrator.Apply(SqliteConnectionSource.BuildConnectionString(_database.DatabasePath));

        Assert.Equal(SqliteSchemaMigrator.ScriptVersions, applied);
        Assert.Equal(ScriptFiles("sqlite"), SqliteSchemaMigrator.ScriptVersions);
        Assert.True(File.Exists(_database.DatabasePath));
        Assert.Equal("wal", _database.Scalar<string>("PRAGMA journal_mode;"));
        Assert.Equal(applied.Count, _database.Scalar<long>("SELECT COUNT(*) FROM schema_versions;"));
    }

    [Fact]
    public void Apply_twice_changes_nothing_the_second_time()
    {
        var connectionString = SqliteConnectionSource.BuildConnectionString(_database.DatabasePath);
        SqliteSchemaMigrator.Apply(connectionString);
        var schemaBefore = _database.Rows(SchemaSnapshotSql);
        var versionsBefore = _database.Rows(VersionsSql);
        var queriesBefore = _database.Rows(QueriesSql);

        var appliedAgain = SqliteSchemaMigrator.Apply(connectionString);

        Assert.Empty(appliedAgain);
        Assert.Equal(schemaBefore, _database.Rows(SchemaSnapshotSql));
        Assert.Equal(versionsBefore, _database.Rows(VersionsSql));
        Assert.Equal(queriesBefore, _database.Rows(QueriesSql));
        Assert.Equal("wal", _database.Scalar<string>("PRAGMA journal_mode;"));
    }

    [Fact]
    public void Every_script_can_run_again_on_a_current_schema_without_error_or_change()
    {
        SqliteSchemaMigrator.Apply(SqliteConnectionSource.BuildConnectionString(_database.DatabasePath));
        var schemaBefore = _database.Rows(SchemaSnapshotSql);
        var queriesBefore = _database.Rows(QueriesSql);

        using (var connection = _database.OpenInspector())
        {
            foreach (var version in SqliteSchemaMigrator.ScriptVersions)
            {
                using var command = connection.CreateCommand();
                command.CommandText = SqliteSchemaMigrator.GetScriptText(version);
                command.ExecuteNonQuery();
            }
        }

        Assert.Equal(schemaBefore, _database.Rows(SchemaSnapshotSql));
        Assert.Equal(queriesBefore, _database.Rows(QueriesSql));
    }

    [Fact]
    public void Concurrent_applies_on_one_file_apply_each_script_once()
    {
        var connectionString = SqliteConnectionSource.BuildConnectionString(_database.DatabasePath);

        var results = Enumerable.Range(0, 4)
            .AsParallel()
            .Select(_ => SqliteSchemaMigrator.Apply(connectionString))
            .ToArray();

        Assert.Equal(
            SqliteSchemaMigrator.ScriptVersions.Order(StringComparer.Ordinal),
            results.SelectMany(r => r).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_Orleans_query_contract_is_complete()
    {
        SqliteSchemaMigrator.Apply(SqliteConnectionSource.BuildConnectionString(_database.DatabasePath));

        string[] expected =
        [
            // Persistence (DeleteStorageKey is needed only with DeleteStateOnClear).
            "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey", "DeleteStorageKey",
            // Reminders.
            "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key",
            "ReadRangeRows2Key", "DeleteReminderRowKey", "DeleteReminderRowsKey",
            // Clustering.
            "InsertMembershipVersionKey", "UpdateIAmAlivetimeKey", "InsertMembershipKey", "UpdateMembershipKey",
            "MembershipReadRowKey", "MembershipReadAllKey", "DeleteMembershipTableEntriesKey",
            "GatewaysQueryKey", "CleanupDefunctSiloEntriesKey",
        ];
        Assert.Equal(
            expected.Order(StringComparer.Ordinal),
            _database.Rows("SELECT QueryKey FROM OrleansQuery;").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_read_model_tables_exist_with_their_indexes()
    {
        SqliteSchemaMigrator.Apply(SqliteConnectionSource.BuildConnectionString(_database.DatabasePath));

        var objects = _database.Rows("SELECT name FROM sqlite_master WHERE type IN ('table', 'index');");
        Assert.Subset(
            objects.ToHashSet(),
            new HashSet<string>
            {
                "tracks", "library_tracks", "failed_requests", "api_keys", "usage_stats",
                "ix_tracks_name", "ix_tracks_isrc", "ix_tracks_soundcharts_uuid", "ix_library_tracks_user_added",
            });

        using var connection = _database.OpenInspector();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO usage_stats (day, total_requests, total_response_time_ms) VALUES ('2026-03-01', 4, 10);
            SELECT avg_response_time_ms FROM usage_stats WHERE day = '2026-03-01';
            """;
        Assert.Equal(2.5, Convert.ToDouble(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }

    public void Dispose() => _database.Dispose();

    [Fact]
    public void Every_schema_version_is_embedded_and_exists_for_both_providers()
    {
        // A script missing from the build would start servers on an old schema; a version written for one
        // provider only would leave the other's read model without the change.
        Assert.Equal(ScriptFiles("postgres"), PostgresSchemaMigrator.ScriptVersions);
        Assert.Equal(SqliteSchemaMigrator.ScriptVersions, PostgresSchemaMigrator.ScriptVersions);
    }

    /// <summary>The versions of the scripts in the repository's sql/&lt;provider&gt; folder, in the order they apply.</summary>
    private static string[] ScriptFiles(string provider)
    {
        return Directory.GetFiles(Path.Combine(RepositoryFolder.Root, "sql", provider), "*.sql")
            .Select(Path.GetFileNameWithoutExtension).OrderBy(v => v, StringComparer.Ordinal).ToArray()!;
    }
}
