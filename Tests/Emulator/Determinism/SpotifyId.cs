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
        return Create(random.Next);
    }

    /// <summary>A fresh random id (about 131 bits: two never collide), for tests and benchmarks that need unseen tracks.</summary>
    public static string Random(Random? random = null)
    {
        var source = random ?? System.Random.Shared;
        return Create(source.Next);
    }

    public static List<string> Random(int count) => Enumerable.Range(0, count).Select(_ => Random()).ToList();

    private static string Create(Func<int, int> next)
    {
        Span<char> id = stackalloc char[22];
        for (var i = 0; i < id.Length; i++)
        {
            id[i] = Alphabet[next(Alphabet.Length)];
        }
        return new string(id);
    }
}
