using System.Security.Cryptography;
using System.Text;

namespace TrackGrains.Grains.Keys;

/// <summary>Key ids and masked forms: the only ways a key is ever named outside its grain.</summary>
public static class KeyMasking
{
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdef");

    /// <summary>A stable id derived from the credentials, so importing the same key twice lands on the same grain.</summary>
    public static string KeyIdFor(string appId, string apiKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(appId + "\n" + apiKey));
        return "key-" + Convert.ToHexStringLower(hash.AsSpan(0, 6));
    }

    /// <summary>Whether the text has the shape of an id made by <see cref="KeyIdFor"/>.</summary>
    public static bool IsKeyId(string text) =>
        text.Length == 16 && text.StartsWith("key-", StringComparison.Ordinal) && !text.AsSpan(4).ContainsAnyExcept(HexDigits);

    /// <summary>At most the last 4 characters, and fewer for short keys, so a short secret is never shown whole.</summary>
    public static string Mask(string apiKey)
    {
        var visible = Math.Min(4, apiKey.Length / 3);
        return new string('*', 8) + (visible > 0 ? apiKey[^visible..] : "");
    }
}
