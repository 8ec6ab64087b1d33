using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace TrackGrains.Grains.Keys;

/// <summary>
/// Encrypts SoundCharts key secrets for storage with ASP.NET Core Data Protection. The key ring and the
/// application name are configured by the silo host; every silo of a cluster must share both.
/// </summary>
public sealed class KeySecretProtector(IDataProtectionProvider provider)
{
    /// <summary>The purpose string isolates these payloads from any other use of the same key ring.</summary>
    private readonly IDataProtector _protector = provider.CreateProtector("TrackGrains.SoundChartsKeySecret.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    /// <summary>The secret, or null when this key ring cannot read it (lost, replaced, or another cluster's).</summary>
    public string? TryUnprotect(string protectedSecret)
    {
        try
        {
            return _protector.Unprotect(protectedSecret);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
