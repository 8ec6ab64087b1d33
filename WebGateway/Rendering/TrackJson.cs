using System.Buffers;
using System.Text;
using System.Text.Json;
using TrackGrains.Grains.Interfaces.Tracks;
using TrackGrains.Grains.Tracks;

namespace TrackGrains.WebGateway.Rendering;

/// <summary>
/// Writes the API's track object: Spotify's own track object passed through as Spotify sent it,
/// then our fields, which replace any Spotify field of the same name.
/// </summary>
/// <remarks>
/// The Spotify part arrives from the track grain already stripped of our field names, so it is spliced
/// in as bytes: a batch of 100 tracks then costs no JSON parsing at all.
/// </remarks>
public static class TrackJson
{
    public static void Write(Utf8JsonWriter writer, TrackView track, DateTimeOffset? addedAt = null)
    {
        var ours = new ArrayBufferWriter<byte>(512);
        using (var own = new Utf8JsonWriter(ours))
        {
            WriteOwnObject(own, track, addedAt);
        }
        if (track.SpotifyFields is not { Length: > 0 } spotify)
        {
            writer.WriteRawValue(ours.WrittenSpan, skipInputValidation: true);
            return;
        }

        var spotifyLength = Encoding.UTF8.GetByteCount(spotify);
        var whole = new byte[spotifyLength + ours.WrittenCount + 1];
        whole[0] = (byte)'{';
        Encoding.UTF8.GetBytes(spotify, whole.AsSpan(1));
        whole[spotifyLength + 1] = (byte)',';
        // Our object without its opening brace completes the merged object.
        ours.WrittenSpan[1..].CopyTo(whole.AsSpan(spotifyLength + 2));
        writer.WriteRawValue(whole, skipInputValidation: true);
    }

    private static void WriteOwnObject(Utf8JsonWriter writer, TrackView track, DateTimeOffset? addedAt)
    {
        writer.WriteStartObject();
        writer.WriteString("id", track.Id);
        if (track.Name is null)
        {
            writer.WriteNull("name");
        }
        else
        {
            writer.WriteString("name", track.Name);
        }
        if (addedAt is { } added)
        {
            writer.WriteString("addedAt", added);
        }
        WriteStringOrNull(writer, "soundchartsUuid", track.SoundChartsUuid);
        WriteStringOrNull(writer, "isrc", track.Isrc);

        WriteAudioFeatures(writer, track.AudioFeatures);

        var e = track.Enrichment;
        writer.WriteStartObject("enrichment");
        writer.WriteString("status", TrackTransitions.StatusName(e.Status));
        WriteTimeOrNull(writer, "fetchedAt", e.FetchedAt);
        writer.WriteNumber("attempts", e.Attempts);
        WriteTimeOrNull(writer, "nextRetryAt", e.NextRetryAt);
        WriteStringOrNull(writer, "lastError", e.LastError);
        writer.WriteEndObject();

        writer.WriteEndObject();
    }

    /// <summary><c>"audioFeatures": { ... }</c> with the API's names, or null.</summary>
    public static void WriteAudioFeatures(Utf8JsonWriter writer, AudioFeatures? audio)
    {
        if (audio is null)
        {
            writer.WriteNull("audioFeatures");
            return;
        }
        writer.WriteStartObject("audioFeatures");
        WriteNumber(writer, "acousticness", audio.Acousticness);
        WriteNumber(writer, "danceability", audio.Danceability);
        WriteNumber(writer, "energy", audio.Energy);
        WriteNumber(writer, "instrumentalness", audio.Instrumentalness);
        WriteNumber(writer, "key", audio.Key);
        WriteNumber(writer, "liveness", audio.Liveness);
        WriteNumber(writer, "loudness", audio.Loudness);
        WriteNumber(writer, "mode", audio.Mode);
        WriteNumber(writer, "speechiness", audio.Speechiness);
        WriteNumber(writer, "tempo", audio.Tempo);
        WriteNumber(writer, "timeSignature", audio.TimeSignature);
        WriteNumber(writer, "valence", audio.Valence);
        writer.WriteEndObject();
    }

    public static void WriteStringOrNull(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteTimeOrNull(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            writer.WriteString(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    public static void WriteNumber(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
