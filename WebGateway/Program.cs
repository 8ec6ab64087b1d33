using TrackGrains.Silo.Hosting;
using TrackGrains.WebGateway.Commands;
using TrackGrains.WebGateway.Hosting;

// A verb (backup, copy-data ...) runs instead of the server.
if (await GatewayCommands.TryRunAsync(args) is { } commandExitCode)
{
    return commandExitCode;
}

return await StartupErrors.RunAsync(async () =>
{
    var builder = WebApplication.CreateBuilder(DemoMode.WithoutFlag(args));
    await builder.AddDemoModeAsync(args);
    builder.UseTrackOrleans();
    builder.AddTrackGateway();
    builder.AddTrackPages();

    var app = builder.Build();
    app.MapTrackGateway();
    app.MapTrackPages();
    await app.RunAsync();
});
