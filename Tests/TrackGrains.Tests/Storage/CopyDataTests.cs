using Microsoft.Data.Sqlite;
using Npgsql;
using TrackGrains.Silo.Storage;
using TrackGrains.Tests.Infrastructure;
using TrackGrains.Testing;
using TrackGrains.WebGateway.Commands;

namespace TrackGrains.Tests.Storage;

/// <summary>
/// copy-data as a real process between a SQLite file written here (with the values that are easy to get
/// wrong) and a fresh database of the throwaway PostgreSQL; the move of a whole running server is in
/// <c>Cluster/CopyDataMoveTests</c>.
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class CopyDataTests : IDisposable
{
    private const string ServiceId = "copy-test-service";
    private readonly TempDatabase _source = new();

    public void Dispose() => ProcessStage.TryDelete(_source.Root);

    [Fact]
    public async Task CopyData_keeps_payloads_versions_instants_and_flags_exactly_and_leaves_membership_behind()
    {
        var payload = new byte[150_000];
        new Random(7).NextBytes(payload);
        payload[0] = 0; // a blob that starts with, and contains, zero bytes
        var trackBlob = new byte[] { 0x1b, 0x00, 0xff, 0x00, 0x42 };
        CreateSource(connection =>
        {
            Execute(connection, """
                INSERT INTO OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
                VALUES (-123456789, 9223372036854775807, -42, 2147483647, 'trackgrain', NULL, $service, $payload, '2026-03-01T12:00:00.123Z', 7);
                INSERT INTO OrleansRemindersTable (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
                VALUES ($service, 'retryreminder/abc', 'retry', '2026-03-01 12:34:56.789', 5000000000, -2000000000, 3);
                INSERT INTO tracks (spotify_id, spotify_data, explicit, key, tempo, name, created_at, updated_at)
                VALUES ('t1', $blob, 1, -1, 120.5, 'Señor ☃', '2026-03-01T12:00:00.1234560Z', '2026-03-02T00:00:00.0000000Z');
                INSERT INTO tracks (spotify_id, explicit, created_at, updated_at) VALUES ('t2', 0, '2026-03-01T12:00:00.0000000Z', '2026-03-01T12:00:00.0000000Z');
                INSERT INTO api_keys (key_id, app_id, key_fingerprint, api_key_masked, is_active, total_requests, last_used)
                VALUES ('k1', 'app', 'abc', '****0001', 0, 41, '2026-03-01T23:59:59.9990000Z');
                INSERT INTO usage_stats (day, total_requests, total_response_time_ms) VALUES ('2026-03-01', 4, 10);
                INSERT INTO library_tracks (user_id, spotify_id, added_at) VALUES ('u', 't1', '2026-02-28T08:00:00.0000000Z');
                INSERT INTO failed_requests (spotify_id, status, max_attempts, next_retry) VALUES ('t2', 'retrying', 3, '2026-03-01T13:00:00.0000000Z');
                INSERT INTO OrleansMembershipVersionTable (DeploymentId, Timestamp, Version) VALUES ('old-cluster', '2026-03-01 00:00:00', 4);
                """, ("$service", ServiceId), ("$payload", payload), ("$blob", trackBlob));
        });
        var target = await (await PostgresServer.Shared).CreateDatabaseAsync();
        var withPassword = target + ";Password=never-print-this-pw";

        await using var run = await GatewayVerb.CopyDataAsync(_source.DatabasePath, withPassword, _source.Root);

        Assert.True(run.ExitCode == CommandExitCodes.Success, run.RecentOutput);
        Assert.DoesNotContain("never-print-this-pw", run.RecentOutput);
        Assert.Contains($"ServiceId found: {ServiceId}", run.RecentOutput);
        Assert.Contains("every count matches", run.RecentOutput);
        await using var db = new NpgsqlConnection(target);
        await db.OpenAsync();
        var grain = await RowAsync(db, "SELECT grainidhash, grainidn0, grainidn1, graintypehash, payloadbinary, version, modifiedon, serviceid, grainidextensionstring FROM orleansstorage");
        Assert.Equal(-123456789, grain[0]);
        Assert.Equal(long.MaxValue, grain[1]);
        Assert.Equal(-42L, grain[2]);
        Assert.Equal(int.MaxValue, grain[3]);
        Assert.Equal(payload, (byte[])grain[4]!);
        Assert.Equal(7, grain[5]);
        Assert.Equal(new DateTime(2026, 3, 1, 12, 0, 0, 123, DateTimeKind.Utc), grain[6]);
        Assert.Equal(ServiceId, grain[7]);
        Assert.Null(grain[8]);

        var reminder = await RowAsync(db, "SELECT starttime, period, grainhash, version FROM orleansreminderstable");
        // No zone in the provider's text means UTC: a local-time reading would shift it by the offset.
        Assert.Equal(new DateTime(2026, 3, 1, 12, 34, 56, 789, DateTimeKind.Utc), reminder[0]);
        Assert.Equal(5_000_000_000L, reminder[1]);
        Assert.Equal(-2_000_000_000, reminder[2]);
        Assert.Equal(3, reminder[3]);

        var track = await RowAsync(db, "SELECT spotify_data, explicit, key, tempo, name, created_at FROM tracks WHERE spotify_id = 't1'");
        Assert.Equal(trackBlob, (byte[])track[0]!);
        Assert.Equal(true, track[1]);
        Assert.Equal(-1L, track[2]);
        Assert.Equal(120.5, track[3]);
        Assert.Equal("Señor ☃", track[4]);
        Assert.Equal(new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc).AddTicks(1_234_560), track[5]);
        Assert.Equal(false, (await RowAsync(db, "SELECT explicit FROM tracks WHERE spotify_id = 't2'"))[0]);

        var key = await RowAsync(db, "SELECT is_active, total_requests, last_used FROM api_keys");
        Assert.Equal(false, key[0]);
        Assert.Equal(41L, key[1]);
        Assert.Equal(new DateTime(2026, 3, 1, 23, 59, 59, 999, DateTimeKind.Utc), key[2]);
        // Generated in both schemas: PostgreSQL computes its own from the copied totals.
        Assert.Equal(2.5, (await RowAsync(db, "SELECT avg_response_time_ms FROM usage_stats"))[0]);
        Assert.Equal(new DateTime(2026, 2, 28, 8, 0, 0, DateTimeKind.Utc), (await RowAsync(db, "SELECT added_at FROM library_tracks"))[0]);
        Assert.Equal(new DateTime(2026, 3, 1, 13, 0, 0, DateTimeKind.Utc), (await RowAsync(db, "SELECT next_retry FROM failed_requests"))[0]);
        Assert.Equal(0L, (await RowAsync(db, "SELECT count(*) FROM orleansmembershipversiontable"))[0]);
    }

    [Fact]
    public async Task CopyData_refuses_a_target_that_already_holds_data_and_leaves_it_as_it_was()
    {
        CreateSource(connection => Execute(connection,
            "INSERT INTO tracks (spotify_id, created_at, updated_at) VALUES ('t1', '2026-03-01T12:00:00.0000000Z', '2026-03-01T12:00:00.0000000Z');"));
        var target = await (await PostgresServer.Shared).CreateDatabaseAsync();
        await using var first = await GatewayVerb.CopyDataAsync(_source.DatabasePath, target, _source.Root);
        Assert.True(first.ExitCode == CommandExitCodes.Success, first.RecentOutput);

        await using var second = await GatewayVerb.CopyDataAsync(_source.DatabasePath, target, _source.Root);

        Assert.True(second.ExitCode == CommandExitCodes.Refused, second.RecentOutput);
        var line = GatewayVerb.ErrorLine(second);
        Assert.StartsWith("copy-data: refused: the target database already holds data (in tracks)", line);
        await using var db = new NpgsqlConnection(target);
        await db.OpenAsync();
        Assert.Equal(1L, (await RowAsync(db, "SELECT count(*) FROM tracks"))[0]);
    }

    [Fact]
    public async Task CopyData_refuses_a_missing_source_and_creates_nothing()
    {
        var target = await (await PostgresServer.Shared).CreateDatabaseAsync();

        await using var run = await GatewayVerb.CopyDataAsync(_source.DatabasePath, target, Path.GetTempPath());

        Assert.True(run.ExitCode == CommandExitCodes.Refused, run.RecentOutput);
        var line = GatewayVerb.ErrorLine(run);
        Assert.Equal($"copy-data: refused: the source file {_source.DatabasePath} does not exist; pass the server's SQLite file (Storage:Database, e.g. data/tracks.db).", line);
        Assert.False(File.Exists(_source.DatabasePath), "a missing source must not be created as an empty database");
        await using var db = new NpgsqlConnection(target);
        await db.OpenAsync();
        Assert.Equal(0L, (await RowAsync(db, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"))[0]);
    }

    [Fact]
    public async Task CopyData_refuses_a_source_another_process_holds_open()
    {
        CreateSource(_ => { });
        using var server = _source.OpenInspector();
        Execute(server, "SELECT count(*) FROM OrleansStorage;");
        var target = await (await PostgresServer.Shared).CreateDatabaseAsync();

        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        await using var run = await GatewayVerb.CopyDataAsync(_source.DatabasePath, target, _source.Root);

        Assert.True(run.ExitCode == CommandExitCodes.Refused, run.RecentOutput);
        // A lock held by a running server is not waited out (Microsoft.Data.Sqlite would retry for 30 s by default).
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(20), $"refused only after {elapsed.Elapsed}");
        Assert.StartsWith($"copy-data: refused: the source file {_source.DatabasePath} is in use", GatewayVerb.ErrorLine(run));
    }

    [Fact]
    public async Task CopyData_refuses_a_file_that_is_not_a_TrackGrains_database_or_has_a_newer_schema()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_source.DatabasePath)!);
        using (var other = new SqliteConnection($"Data Source={_source.DatabasePath};Pooling=False"))
        {
            other.Open();
            Execute(other, "CREATE TABLE notes (text TEXT);");
        }
        var target = await (await PostgresServer.Shared).CreateDatabaseAsync();
        await using var foreign = await GatewayVerb.CopyDataAsync(_source.DatabasePath, target, _source.Root);
        Assert.True(foreign.ExitCode == CommandExitCodes.Refused, foreign.RecentOutput);
        Assert.Contains("is not a TrackGrains database", GatewayVerb.ErrorLine(foreign));

        SqliteSchemaMigrator.Apply(SqliteConnectionSource.BuildConnectionString(_source.DatabasePath));
        using (var connection = _source.OpenInspector())
        {
            Execute(connection, "INSERT INTO schema_versions (version, applied_at) VALUES ('9999_from_the_future', '2027-01-01T00:00:00Z');");
        }
        await using var newer = await GatewayVerb.CopyDataAsync(_source.DatabasePath, target, _source.Root);
        Assert.True(newer.ExitCode == CommandExitCodes.Refused, newer.RecentOutput);
        Assert.Contains("has a newer schema than this build (9999_from_the_future)", GatewayVerb.ErrorLine(newer));
    }

    [Fact]
    public async Task CopyData_brings_a_source_on_an_older_schema_up_to_date_first_and_says_so()
    {
        CreateSource(connection => Execute(connection, """
            INSERT INTO tracks (spotify_id, created_at, updated_at) VALUES ('t1', '2026-03-01T12:00:00.0000000Z', '2026-03-01T12:00:00.0000000Z');
            DELETE FROM schema_versions WHERE version = (SELECT max(version) FROM schema_versions);
            """));
        var latest = SqliteSchemaMigrator.ScriptVersions[^1];
        var target = await (await PostgresServer.Shared).CreateDatabaseAsync();

        await using var run = await GatewayVerb.CopyDataAsync(_source.DatabasePath, target, _source.Root);

        Assert.True(run.ExitCode == CommandExitCodes.Success, run.RecentOutput);
        Assert.Contains($"brought up to this build's first: {latest}.", run.RecentOutput);
        Assert.Equal(1L, _source.Scalar<long>($"SELECT count(*) FROM schema_versions WHERE version = '{latest}'"));
        await using var db = new NpgsqlConnection(target);
        await db.OpenAsync();
        Assert.Equal(1L, (await RowAsync(db, "SELECT count(*) FROM tracks"))[0]);
    }

    /// <summary>A source file on this build's schema, with whatever rows <paramref name="fill"/> writes, closed afterwards
    /// (the migrator and the inspector do not pool, so nothing in this process holds it open).</summary>
    private void CreateSource(Action<SqliteConnection> fill)
    {
        SqliteSchemaMigrator.Apply(SqliteConnectionSource.BuildConnectionString(_source.DatabasePath));
        using var connection = _source.OpenInspector();
        fill(connection);
    }

    private static void Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        command.ExecuteNonQuery();
    }

    private static async Task<object?[]> RowAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no row from {sql}");
        return Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetValue(i)).ToArray();
    }
}
