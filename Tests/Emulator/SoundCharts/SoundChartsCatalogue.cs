using System.Globalization;
using System.Text;
using TrackGrains.Emulator.Determinism;
using TrackGrains.Emulator.SoundCharts.Model;

namespace TrackGrains.Emulator.SoundCharts;

/// <summary>
/// The synthetic SoundCharts catalogue: a pure function of (seed, Spotify track id), so tests
/// can compute the expected song for any id and compare field by field with what the server stored.
/// Whether SoundCharts *answers* with the song (404, 410, faults) is decided elsewhere.
/// </summary>
public sealed class SoundChartsCatalogue(long seed)
{
    // Artists recur across songs, as in a real catalogue.
    private const int ArtistPoolSize = 4000;

    public long Seed { get; } = seed;

    public SoundChartsSong GetSong(string spotifyTrackId)
    {
        var r = new DeterministicRandom(StableHash.Of(Seed, "song", spotifyTrackId));
        var uuid = Uuid(ref r);
        var name = r.Chance(0.3)
            ? r.Pick(WordLists.Nouns)
            : $"{r.Pick(WordLists.Adjectives)} {r.Pick(WordLists.Nouns)}";
        if (r.Chance(0.1))
        {
            name += $" (feat. {r.Pick(WordLists.FirstNames)} {r.Pick(WordLists.LastNames)})";
        }

        var country = r.Pick(WordLists.Countries);
        var year = r.Next(1965, 2027);
        var artistCount = r.Chance(0.4) ? r.Next(2, 5) : 1;
        var artists = new List<SongArtist>(artistCount);
        for (var i = 0; i < artistCount; i++)
        {
            artists.Add(Artist(r.Next(ArtistPoolSize)));
        }

        var label = r.Pick(WordLists.Labels);
        var labels = new List<SongLabel> { new(label.Name, label.Type) };
        if (r.Chance(0.2))
        {
            var second = r.Pick(WordLists.Labels);
            labels.Add(new SongLabel(second.Name, second.Type));
        }

        return new SoundChartsSong(
            Uuid: uuid,
            Name: name,
            Isrc: new SongIsrc(
                $"{country.Code}{Alnum(ref r, 3)}{year % 100:00}{r.Next(100000):00000}",
                country.Code,
                country.Name),
            CreditName: string.Join(" & ", artists.Select(a => a.Name)),
            Artists: artists,
            ReleaseDate: new DateTimeOffset(year, r.Next(1, 13), r.Next(1, 29), 0, 0, 0, TimeSpan.Zero),
            Copyright: r.Chance(0.1) ? null : $"℗ {year} {label.Name}, a division of {label.Type} Music Operations Limited, under exclusive licence",
            AppUrl: $"https://app.soundcharts.com/app/song/{uuid}/overview",
            ImageUrl: r.Chance(0.05) ? null : ImageUrl("song", uuid),
            Duration: r.Next(95, 420),
            Genres: Genres(ref r),
            Composers: People(ref r, r.Next(2, 8)),
            Producers: People(ref r, r.Next(1, 5)),
            Labels: labels,
            Audio: r.Chance(0.03) ? null : Audio(ref r),
            Explicit: r.Chance(0.2),
            LanguageCode: r.Chance(0.1) ? null : country.Language,
            Iswcs: [$"T-{r.Next(100, 1000)}.{r.Next(100, 1000)}.{r.Next(100, 1000)}-{r.Next(10)}"]);
    }

    public SongArtist Artist(int poolIndex)
    {
        var r = new DeterministicRandom(StableHash.Of(Seed, "artist", "", poolIndex));
        var uuid = Uuid(ref r);
        var name = r.Next(3) switch
        {
            0 => $"{r.Pick(WordLists.FirstNames)} {r.Pick(WordLists.LastNames)}",
            1 => $"The {r.Pick(WordLists.Adjectives)} {r.Pick(WordLists.Nouns)}s",
            _ => $"{r.Pick(WordLists.Nouns)} {r.Pick(WordLists.BandSuffixes)}",
        };
        return new SongArtist(
            uuid,
            name.ToLowerInvariant().Replace(' ', '-'),
            name,
            $"https://app.soundcharts.com/app/artist/{uuid}/overview",
            r.Chance(0.1) ? null : ImageUrl("artist", uuid));
    }

    private static List<SongGenre> Genres(ref DeterministicRandom r)
    {
        var genres = new List<SongGenre>();
        var count = r.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            var (root, subs) = r.Pick(WordLists.Genres);
            var sub = new List<string>();
            var subCount = r.Next(0, 4);
            for (var s = 0; s < subCount; s++)
            {
                sub.Add(r.Pick(subs));
            }

            genres.Add(new SongGenre(root, sub.Distinct().ToList()));
        }

        return genres;
    }

    private static List<string> People(ref DeterministicRandom r, int count)
    {
        var people = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            people.Add($"{r.Pick(WordLists.FirstNames)} {r.Pick(WordLists.LastNames)}");
        }

        return people;
    }

    private static SongAudio Audio(ref DeterministicRandom r) => new(
        Acousticness: r.Chance(0.2) ? null : r.Between(0, 1),
        Danceability: r.Between(0, 1),
        Energy: r.Between(0, 1),
        Instrumentalness: r.Chance(0.6) ? 0 : r.Between(0, 1),
        Key: r.Chance(0.05) ? -1 : r.Next(12),
        Liveness: r.Between(0.02, 0.9),
        Loudness: r.Between(-30, -1.5, 2),
        Mode: r.Next(2),
        Speechiness: r.Between(0.02, 0.6),
        Tempo: r.Between(60, 200),
        TimeSignature: r.Chance(0.9) ? 4 : r.Pick([3, 5]),
        Valence: r.Between(0, 1));

    private static string Uuid(ref DeterministicRandom r)
    {
        var hex = $"{r.NextUInt64():x16}{r.NextUInt64():x16}";
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    private static string Alnum(ref DeterministicRandom r, int length)
    {
        const string chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        var sb = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            sb.Append(chars[r.Next(chars.Length)]);
        }

        return sb.ToString();
    }

    private static string ImageUrl(string kind, string uuid) =>
        string.Create(CultureInfo.InvariantCulture, $"https://assets.soundcharts.com/{kind}/{uuid[0]}/{uuid[1]}/{uuid[2]}/{uuid}.jpg");
}
