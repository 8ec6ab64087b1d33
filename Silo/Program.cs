using Orleans.Dashboard;
using TrackGrains.Silo.Hosting;

// A silo without the web gateway, for several silos on one database (Cluster:Clustering=sqlite, a
// gateway port, and a WebGateway with Cluster:Role=client in front).
return await StartupErrors.RunAsync(async () =>
{
    var builder = Host.CreateApplicationBuilder(args);
    builder.UseTrackSilo(silo => silo.AddDashboard());
    await builder.Build().RunAsync();
});
