using TrackGrains.Silo.Hosting;
using TrackGrains.WebGateway.Hosting;

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
