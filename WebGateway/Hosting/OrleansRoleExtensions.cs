using Orleans.Dashboard;
using TrackGrains.Silo.Hosting;

namespace TrackGrains.WebGateway.Hosting;

public static class OrleansRoleExtensions
{
    /// <summary>
    /// One process by default (the gateway co-hosts the silo); with Cluster:Role=client it joins separate
    /// Silo processes (Cluster:Clustering=sqlite) as an Orleans client. The dashboard is served either way.
    /// </summary>
    public static WebApplicationBuilder UseTrackOrleans(this WebApplicationBuilder builder)
    {
        var cluster = builder.Configuration.GetSection(ClusterOptions.Section).Get<ClusterOptions>() ?? new ClusterOptions();
        if (cluster.IsClient)
        {
            builder.UseTrackClient(client => client.AddDashboard());
        }
        else
        {
            builder.UseTrackSilo(silo => silo.AddTrackDashboard());
        }
        return builder;
    }
}
