using System.Text.Json;
using TrackGrains.Grains.Interfaces.Tracks;
using TrackGrains.Grains.Tracks;

namespace TrackGrains.WebGateway.Rendering;

/// <summary>
/// Writes the API's track object: Spotify's own track object passed through as Spotify sent it,
/// then our fields, which win over any Spotify field of the same name.
/// </summary>
public static class TrackJson
{
    private static readonly HashSet<string> OurFields = ["id", "name", "addedAt", "soundchartsUuid", "isrc", "audioFeatures", "enrichment"];

    public static void Write(Utf8JsonWriter writer, TrackView track, DateTimeOffset? addedAt = null)
    {
        writer.WriteStartObject();
        if (track.SpotifyJson is { } spotifyJson)
        {
            using var document = JsonDocument.Parse(spotifyJson);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (!OurFields.Contains(property.Name))
                    {
                        property.WriteTo(writer);
                    }
                }
            }
        }

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

        if (track.AudioFeatures is { } audio)
        {
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
        else
        {
            writer.WriteNull("audioFeatures");
        }

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

    private static void WriteStringOrNull(Utf8JsonWriter writer, string name, string? value)
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

    private static void WriteNumber(Utf8JsonWriter writer, string name, double? value)
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
