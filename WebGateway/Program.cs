using TrackGrains.Silo.Hosting;
using TrackGrains.WebGateway.Hosting;

return await StartupErrors.RunAsync(async () =>
{
    var builder = WebApplication.CreateBuilder(args);
    await builder.AddDemoModeAsync(args);
    builder.UseTrackSilo();
    builder.AddTrackGateway();

    var app = builder.Build();
    app.MapTrackGateway();
    await app.RunAsync();
});
