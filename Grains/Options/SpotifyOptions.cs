using System.ComponentModel.DataAnnotations;

namespace TrackGrains.Grains.Options;

public sealed class SpotifyOptions
{
    public const string Section = "Spotify";

    [Required, Url]
    public string ApiBaseUrl { get; set; } = "https://api.spotify.com";

    [Required, Url]
    public string AccountsBaseUrl { get; set; } = "https://accounts.spotify.com";

    /// <summary>The Spotify app's client id, for the browser sign-in (PKCE needs no secret).</summary>
    public string? ClientId { get; set; }

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
