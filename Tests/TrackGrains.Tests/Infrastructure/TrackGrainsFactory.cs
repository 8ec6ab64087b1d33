using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace TrackGrains.Tests.Infrastructure;

/// <summary>
/// The real gateway (co-hosted silo, SQLite file, HTTP pipeline) over an in-memory test server.
/// Settings are passed with UseSetting so Program sees them before it builds the silo.
/// </summary>
public sealed class TrackGrainsFactory(IReadOnlyDictionary<string, string?> settings, CapturedLogs? logs = null)
    : WebApplicationFactory<TrackGrains.WebGateway.GatewayEntryPoint>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        if (logs is not null)
        {
            builder.ConfigureLogging(logging =>
            {
                logging.SetMinimumLevel(LogLevel.Debug);
                logging.AddProvider(logs);
            });
        }
    }
}
