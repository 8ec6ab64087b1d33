namespace TrackGrains.Tests.Infrastructure;

/// <summary>Fresh, valid Spotify track ids, so tests sharing a server never share a track.</summary>
public static class TestIds
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string Track() => Track(Random.Shared);

    public static string Track(Random random) => string.Create(22, random, (span, r) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = Alphabet[r.Next(Alphabet.Length)];
        }
    });

    public static List<string> Tracks(int count) => Enumerable.Range(0, count).Select(_ => Track()).ToList();
}
