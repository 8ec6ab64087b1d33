namespace TrackGrains.Emulator.Determinism;

/// <summary>Spotify ids are 22 base-62 characters; SoundCharts looks songs up by them.</summary>
public static class SpotifyId
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static bool IsValid(string? id)
    {
        if (id is null || id.Length != 22)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A valid id derived from a hash, so generated libraries are reproducible.</summary>
    public static string FromHash(ulong hash)
    {
        var random = new DeterministicRandom(hash);
        return string.Create(22, random, static (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[r.Next(Alphabet.Length)];
            }
        });
    }
}
