using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TrackGrains.Tests.Infrastructure;

/// <summary>
/// The real gateway (co-hosted silo, SQLite file, HTTP pipeline) over an in-memory test server.
/// Settings are passed with UseSetting so Program sees them before it builds the silo; <paramref name="services"/>
/// adds to the server's own registrations (e.g. a grain call filter that injects a fault).
/// </summary>
public sealed class TrackGrainsFactory(IReadOnlyDictionary<string, string?> settings, CapturedLogs? logs = null,
    Action<IServiceCollection>? services = null)
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
        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }
    }
}
