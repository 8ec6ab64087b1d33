using Orleans.Dashboard;
using TrackGrains.Silo.Hosting;

namespace TrackGrains.WebGateway.Hosting;

public static class OrleansRoleExtensions
{
    /// <summary>
    /// One process by default (the gateway co-hosts the silo); with Cluster:Role=client it joins separate
    /// Silo processes (Cluster:Clustering=sqlite or postgres) as an Orleans client. The dashboard is served either way.
    /// </summary>
    public static WebApplicationBuilder UseTrackOrleans(this WebApplicationBuilder builder)
    {
        var (_, cluster) = ClusterSettings.Read(builder.Configuration);
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
