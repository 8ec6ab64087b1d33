using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using TrackGrains.Testing;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Compat;

/// <summary>
/// A <see cref="GatewayFixture"/> whose gateway also listens on a loopback port (Kestrel), so a program outside
/// this process (node running Spotify's SDK) reaches it over real HTTP; the in-process clients use the same socket.
/// </summary>
public class SdkGatewayFixture : GatewayFixture
{
    protected override TrackGrainsFactory CreateFactory()
    {
        // Port 0: the system picks a free one, so fixtures running side by side never collide.
        var factory = new TrackGrainsFactory(Settings().With(new Dictionary<string, string?> { ["urls"] = "http://127.0.0.1:0" }), Logs, AddTestServices);
        factory.UseKestrel();
        return factory;
    }

    /// <summary>The gateway's address on loopback, e.g. http://127.0.0.1:41234 (the server starts with the fixture).</summary>
    public Uri BaseUrl => new(Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());

    /// <summary>Calls Spotify's SDK against this gateway with a user's bearer token.</summary>
    public Task<IReadOnlyList<SdkOutcome>> SdkAsync(string accessToken, params SdkCall[] calls) => SpotifySdk.CallAllAsync(BaseUrl, accessToken, calls);
}
