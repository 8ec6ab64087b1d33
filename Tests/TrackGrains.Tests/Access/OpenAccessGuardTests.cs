using Microsoft.Extensions.Configuration;
using TrackGrains.WebGateway.Auth;

namespace TrackGrains.Tests.Access;

public sealed class OpenAccessGuardTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://127.0.0.2:5080", true)]
    [InlineData("http://localhost:5080", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("http://unix:/run/trackgrains.sock", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://*:5080", false)]
    [InlineData("http://+:5080", false)]
    [InlineData("http://[::]:5080", false)]
    [InlineData("https://music.example.org:443", false)]
    [InlineData("http://192.168.1.20:5080", false)]
    public void Loopback_is_told_from_every_other_binding(string url, bool loopback) =>
        Assert.Equal(loopback, OpenAccessGuard.IsLoopback(url));

    [Fact]
    public void An_open_binding_is_refused_only_with_an_empty_allow_list_and_no_explicit_opt_in()
    {
        var open = Configuration(("urls", "http://127.0.0.1:5080;http://0.0.0.0:5081"));
        var refusal = OpenAccessGuard.Check(open, new AccessOptions());
        Assert.NotNull(refusal);
        Assert.Contains("http://0.0.0.0:5081", refusal);
        Assert.Contains("Access:AllowedSpotifyUsers", refusal);
        Assert.Contains("Access:AllowAnySpotifyUser", refusal);

        Assert.Null(OpenAccessGuard.Check(open, new AccessOptions { AllowedSpotifyUsers = ["alice"] }));
        Assert.Null(OpenAccessGuard.Check(open, new AccessOptions { AllowAnySpotifyUser = true }));
        Assert.Null(OpenAccessGuard.Check(Configuration(("urls", "http://127.0.0.1:5080")), new AccessOptions()));
        // Kestrel's own endpoints count too (they win over urls).
        Assert.NotNull(OpenAccessGuard.Check(Configuration(("Kestrel:Endpoints:Web:Url", "http://*:8080")), new AccessOptions()));
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
