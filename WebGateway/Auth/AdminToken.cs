using System.Security.Cryptography;
using System.Text;

namespace TrackGrains.WebGateway.Auth;

/// <summary>The admin token in force: configured, or generated once into the data folder and kept there.</summary>
public sealed class AdminToken
{
    public const string FileName = "admin-token";

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
        var path = Path.Combine(dataFolder, FileName);
        if (File.Exists(path))
        {
            var bytes = File.ReadAllBytes(path);
            // ReadAllText would drop a byte-order mark silently; `$(cat admin-token)` in a shell would not.
            var existing = Encoding.ASCII.GetString(bytes.AsSpan(HasByteOrderMark(bytes) ? 3 : 0)).Trim();
            if (existing.Length > 0)
            {
                if (HasByteOrderMark(bytes))
                {
                    // Written by an earlier version: rewrite it as plain ASCII so the shell reads the same token.
                    Write(path, existing, FileMode.Truncate);
                }
                return new AdminToken(existing);
            }
        }
        Directory.CreateDirectory(dataFolder);
        // URL-safe base64 of 32 random bytes: ASCII only, nothing a shell or a header would mangle.
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Write(path, token, File.Exists(path) ? FileMode.Truncate : FileMode.CreateNew);
        // The location, never the token itself: logs are not a place for secrets.
        announce($"No Admin:Token configured; generated one and stored it in {Path.GetFullPath(path)}");
        return new AdminToken(token);
    }

    private static bool HasByteOrderMark(byte[] bytes) => bytes is [0xEF, 0xBB, 0xBF, ..];

    /// <summary>
    /// Plain ASCII, no byte-order mark and no newline, so <c>"Bearer $(cat admin-token)"</c> is exactly the
    /// token; created readable by the owner only from the first byte, not tightened after the fact.
    /// </summary>
    private static void Write(string path, string token, FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows() && mode == FileMode.CreateNew)
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var file = new FileStream(path, options);
        file.Write(Encoding.ASCII.GetBytes(token));
    }
}
