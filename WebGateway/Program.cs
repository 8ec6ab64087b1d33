using TrackGrains.Silo.Hosting;
using TrackGrains.WebGateway.Commands;
using TrackGrains.WebGateway.Hosting;

// One-off maintenance verbs run instead of the server.
if (CopyDataCommand.IsInvokedBy(args))
{
    return await CopyDataCommand.RunAsync(args[1..], Console.Out, Console.Error);
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
