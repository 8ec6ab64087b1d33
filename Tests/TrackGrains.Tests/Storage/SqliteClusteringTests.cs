using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using TrackGrains.Silo.Storage;
using Xunit.Abstractions;
using TrackGrains.Testing;

namespace TrackGrains.Tests.Storage;

[Collection(StorageTestCollection.Name)]
public sealed class SqliteClusteringTests(ITestOutputHelper output) : IDisposable
{
    private const string ActiveMembersSql = "SELECT COUNT(*) FROM OrleansMembershipTable WHERE Status = 3;";

    private readonly TempDatabase _database = new();

    [Fact]
    public async Task Two_silos_and_a_client_form_one_cluster_through_the_shared_file()
    {
        using var source = new SqliteConnectionSource(_database.DatabasePath);
        var elapsed = Stopwatch.StartNew();
        var first = await StartSiloAsync(source);
        var second = await StartSiloAsync(source);
        IHost? client = null;
        try
        {
            Assert.Equal(2L, _database.Scalar<long>(ActiveMembersSql));

            // One activation per grain across the cluster: a write through one silo is what the
            // other silo reads.
            await first.Grains().GetGrain<IStorageProbeGrain>("clustered").Write(5, "via first");
            Assert.Equal("via first", (await second.Grains().GetGrain<IStorageProbeGrain>("clustered").Read()).Note);

            // The client finds its gateways through GatewaysQueryKey.
            client = await StartClientAsync(source);
            Assert.Equal(5, (await client.Grains().GetGrain<IStorageProbeGrain>("clustered").Read()).Value);

            await TestSilo.StopAsync(second);
            second = null;
            Assert.Equal(1L, _database.Scalar<long>(ActiveMembersSql));
            Assert.Equal(2, await first.Grains().GetGrain<IStorageProbeGrain>("clustered").Write(6));
            output.WriteLine($"Cluster scenario took {elapsed.ElapsedMilliseconds} ms");
            foreach (var row in _database.Rows("SELECT Address, Port, Generation, Status, ProxyPort, StartTime, IAmAliveTime FROM OrleansMembershipTable;"))
            {
                output.WriteLine(row);
            }
        }
        finally
        {
            if (client is not null)
            {
                await TestSilo.StopAsync(client);
            }

            if (second is not null)
            {
                await TestSilo.StopAsync(second);
            }

            await TestSilo.StopAsync(first);
        }

        Assert.Equal(0L, _database.Scalar<long>(ActiveMembersSql));
    }

    [Fact]
    public void Defunct_silo_cleanup_removes_only_inactive_rows_older_than_the_cutoff()
    {
        SqliteSchemaMigrator.Apply(SqliteConnectionSource.BuildConnectionString(_database.DatabasePath));
        using var source = new SqliteConnectionSource(_database.DatabasePath);
        using var connection = source.OpenSqliteConnection();
        var now = DateTime.UtcNow;

        using (var seed = connection.CreateCommand())
        {
            seed.CommandText = """
                INSERT INTO OrleansMembershipVersionTable (DeploymentId, Timestamp, Version) VALUES ('c', 'x', 0);
                INSERT INTO OrleansMembershipTable (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
                VALUES ('c', '127.0.0.1', 1, 1, 'old-dead',   'h', 6, 0, $old, $old),
                       ('c', '127.0.0.1', 2, 1, 'old-active', 'h', 3, 0, $old, $old),
                       ('c', '127.0.0.1', 3, 1, 'new-dead',   'h', 6, 0, $new, $new);
                """;
            // Bound as DateTime, exactly as the provider binds its timestamps.
            seed.Parameters.AddWithValue("$old", now.AddHours(-2));
            seed.Parameters.AddWithValue("$new", now);
            seed.ExecuteNonQuery();
        }

        using (var cleanup = connection.CreateCommand())
        {
            cleanup.CommandText = Query(connection, "CleanupDefunctSiloEntriesKey");
            cleanup.Parameters.AddWithValue("DeploymentId", "c");
            cleanup.Parameters.AddWithValue("IAmAliveTime", now.AddHours(-1));
            cleanup.ExecuteNonQuery();
        }

        Assert.Equal(["new-dead", "old-active"], _database.Rows("SELECT SiloName FROM OrleansMembershipTable ORDER BY SiloName;"));
    }

    private static string Query(Microsoft.Data.Sqlite.SqliteConnection connection, string key)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT QueryText FROM OrleansQuery WHERE QueryKey = $key;";
        command.Parameters.AddWithValue("$key", key);
        return (string)command.ExecuteScalar()!;
    }

    private static async Task<IHost> StartSiloAsync(SqliteConnectionSource source)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = TestSilo.ClusterId;
                o.ServiceId = TestSilo.ServiceId;
            });
            silo.ConfigureEndpoints(IPAddress.Loopback, FreePort.Next(), FreePort.Next());
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = SqliteOrleansStorage.Invariant;
                o.DataSource = source;
            });
            silo.UseTrackSqliteStorage(source);
        });

        var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StartAsync(timeout.Token);
        return host;
    }

    private static async Task<IHost> StartClientAsync(SqliteConnectionSource source)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = TestSilo.ClusterId;
                o.ServiceId = TestSilo.ServiceId;
            });
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = SqliteOrleansStorage.Invariant;
                o.DataSource = source;
            });
        });

        var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StartAsync(timeout.Token);
        return host;
    }

    public void Dispose() => _database.Dispose();
}
