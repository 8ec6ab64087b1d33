namespace TrackGrains.WebGateway.Auth;

public static class AuthNames
{
    public const string Scheme = "TrackGrainsBearer";
    public const string UserPolicy = "user";
    public const string AdminPolicy = "admin";
    public const string AdminRole = "admin";
    public const string UserRole = "user";
    public const string SpotifyUserIdClaim = "spotify_user_id";
    /// <summary>Browsers cannot attach a bearer header to the dashboard's page loads; the admin page sets this cookie instead.</summary>
    public const string AdminCookie = "tg_admin";
}
