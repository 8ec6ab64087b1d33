using System.Data.Common;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TrackGrains.Grains.Interfaces.Keys;

namespace TrackGrains.WebGateway.Hosting;

/// <summary>Ready when the SQLite file answers a query.</summary>
public sealed class DatabaseHealthCheck(DbDataSource database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM schema_versions";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("database reachable");
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("database not reachable: " + ex.Message);
        }
    }
}

/// <summary>Ready when a grain call round-trips through the silo.</summary>
public sealed class SiloHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await grains.GetGrain<IKeyRegistryGrain>(0).GetKeyIdsAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return HealthCheckResult.Healthy("silo answering");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("silo not answering: " + ex.Message);
        }
    }
}
