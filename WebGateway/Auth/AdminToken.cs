using System.Security.Cryptography;
using System.Text;

namespace TrackGrains.WebGateway.Auth;

/// <summary>The admin token in force: configured, or generated once into the data folder and kept there.</summary>
public sealed class AdminToken
{
    private readonly byte[] _token;

    private AdminToken(string token) => _token = Encoding.UTF8.GetBytes(token);

    public bool Matches(string candidate) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _token);

    public static AdminToken Resolve(string? configured, string dataFolder, Action<string> announce)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new AdminToken(configured);
        }
        var path = Path.Combine(dataFolder, "admin-token");
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length > 0)
            {
                return new AdminToken(existing);
            }
        }
        Directory.CreateDirectory(dataFolder);
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        // Created readable by the owner only from the first byte, not tightened after the fact.
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var writer = new StreamWriter(path, System.Text.Encoding.UTF8, create))
        {
            writer.Write(token);
        }
        // The location, never the token itself: logs are not a place for secrets.
        announce($"No Admin:Token configured; generated one and stored it in {Path.GetFullPath(path)}");
        return new AdminToken(token);
    }
}
