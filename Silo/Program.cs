using TrackGrains.Silo.Hosting;

// A silo without the web gateway, for running several silos on one database (Orleans:Clustering=sqlite).
return await StartupErrors.RunAsync(async () =>
{
    var builder = Host.CreateApplicationBuilder(args);
    builder.UseTrackSilo();
    await builder.Build().RunAsync();
});
