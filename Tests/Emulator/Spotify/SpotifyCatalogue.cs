using TrackGrains.Emulator.Determinism;
using TrackGrains.Emulator.SoundCharts;

namespace TrackGrains.Emulator.Spotify;

/// <summary>Every valid id is a track: a pure function of (seed, id), built over the SoundCharts song.</summary>
public sealed class SpotifyCatalogue(long seed, SoundChartsCatalogue soundCharts)
{
    public SpotifyTrack GetTrack(string id)
    {
        var song = soundCharts.GetSong(id);
        var r = new DeterministicRandom(StableHash.Of(seed, "spotify-track", id));
        var artists = song.Artists
            .Select(a => new SpotifyArtist(SpotifyId.FromHash(StableHash.Of(seed, "spotify-artist", a.Uuid)), a.Name))
            .ToList();
        var totalTracks = r.Chance(0.3) ? 1 : r.Next(2, 19);
        var album = new SpotifyAlbum(
            SpotifyId.FromHash(StableHash.Of(seed, "album", id)),
            totalTracks == 1 ? song.Name : $"{r.Pick(WordLists.Adjectives)} {r.Pick(WordLists.Nouns)}",
            totalTracks == 1 ? "single" : "album",
            song.ReleaseDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            totalTracks,
            artists);
        return new SpotifyTrack(
            id,
            song.Name,
            artists,
            album,
            (song.Duration * 1000) + r.Next(1000),
            song.Explicit,
            song.Isrc.Value,
            r.Next(1, totalTracks + 1),
            1,
            r.Next(0, 101),
            r.Chance(0.8) ? null : $"https://p.scdn.co/mp3-preview/{r.NextUInt64():x16}{r.NextUInt64():x16}");
    }
}
