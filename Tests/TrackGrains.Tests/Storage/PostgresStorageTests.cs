using Npgsql;
using TrackGrains.Silo.Storage;
using TrackGrains.Testing;

namespace TrackGrains.Tests.Storage;

/// <summary>The PostgreSQL scripts against a real server: the migrator and the parts of the OrleansQuery contract a race can break.</summary>
public sealed class PostgresStorageTests
{
    [Fact]
    public async Task Silos_migrating_a_fresh_database_at_once_apply_each_script_exactly_once()
    {
        var connectionString = await (await PostgresServer.Shared).CreateDatabaseAsync();
        var sources = Enumerable.Range(0, 4).Select(_ => NpgsqlDataSource.Create(connectionString)).ToArray();
        try
        {
            var applied = await Task.WhenAll(sources.Select(s => PostgresSchemaMigrator.ApplyAsync(s)));

            // Every script was applied by exactly one of the four; the others found it done.
            Assert.Equal(PostgresSchemaMigrator.ScriptVersions.OrderBy(v => v, StringComparer.Ordinal),
                applied.SelectMany(a => a).OrderBy(v => v, StringComparer.Ordinal));
            await using var connection = await sources[0].OpenConnectionAsync();
            Assert.Equal(PostgresSchemaMigrator.ScriptVersions.Count, await ScalarAsync<long>(connection, "SELECT COUNT(*) FROM schema_versions"));
            Assert.Empty(await PostgresSchemaMigrator.ApplyAsync(sources[0]));

            // Every query key the Orleans providers require is there.
            string[] required =
            [
                "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey", "DeleteStorageKey",
                "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
                "DeleteReminderRowKey", "DeleteReminderRowsKey",
                "InsertMembershipVersionKey", "UpdateIAmAlivetimeKey", "InsertMembershipKey", "UpdateMembershipKey",
                "MembershipReadRowKey", "MembershipReadAllKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey",
                "CleanupDefunctSiloEntriesKey",
            ];
            Assert.Equal(required.Length, await ScalarAsync<long>(connection,
                $"SELECT COUNT(*) FROM OrleansQuery WHERE QueryKey IN ({string.Join(",", required.Select(k => $"'{k}'"))})"));
        }
        finally
        {
            foreach (var source in sources)
            {
                await source.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Two_first_writes_of_one_grain_racing_store_one_row_and_the_loser_sees_a_conflict()
    {
        await using var source = NpgsqlDataSource.Create(await (await PostgresServer.Shared).CreateDatabaseAsync());
        await PostgresSchemaMigrator.ApplyAsync(source);
        string write;
        await using (var connection = await source.OpenConnectionAsync())
        {
            write = (await ScalarAsync<string>(connection, "SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'WriteToStorageKey'"))!;
        }

        // The provider's parameters, as it binds them for a grain with a string key written for the first time.
        async Task<int?> FirstWriteAsync(byte payload)
        {
            await using var connection = await source.OpenConnectionAsync();
            await using var command = new NpgsqlCommand(write, connection);
            command.Parameters.AddWithValue("GrainIdHash", 42);
            command.Parameters.AddWithValue("GrainIdN0", 0L);
            command.Parameters.AddWithValue("GrainIdN1", 0L);
            command.Parameters.AddWithValue("GrainTypeHash", 7);
            command.Parameters.AddWithValue("GrainTypeString", "track");
            command.Parameters.AddWithValue("GrainIdExtensionString", "race-grain");
            command.Parameters.AddWithValue("ServiceId", "tests");
            command.Parameters.AddWithValue("PayloadBinary", new[] { payload });
            command.Parameters.Add(new NpgsqlParameter("GrainStateVersion", DBNull.Value));
            var result = await command.ExecuteScalarAsync();
            return result is null or DBNull ? null : Convert.ToInt32(result);
        }

        var versions = await Task.WhenAll(Enumerable.Range(1, 8).Select(i => FirstWriteAsync((byte)i)));

        Assert.Equal(1, versions.Count(v => v == 1));
        Assert.Equal(7, versions.Count(v => v is null));
        await using var check = await source.OpenConnectionAsync();
        Assert.Equal(1L, await ScalarAsync<long>(check, "SELECT COUNT(*) FROM OrleansStorage WHERE GrainIdExtensionString = 'race-grain'"));
    }

    private static async Task<T?> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T?)await command.ExecuteScalarAsync();
    }
}
