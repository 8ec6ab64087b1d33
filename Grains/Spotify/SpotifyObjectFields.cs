using System.Collections.Frozen;
using System.Text;
using System.Text.Json;

namespace TrackGrains.Grains.Spotify;

/// <summary>
/// The Spotify track object as the API passes it through: its properties, minus the names the API's
/// track object defines itself, as the inner text of a JSON object. Computed once when the track's
/// Spotify data is set or loaded, so a read splices bytes instead of parsing a document.
/// </summary>
public static class SpotifyObjectFields
{
    /// <summary>Names the API's track object owns; a Spotify property of the same name gives way.</summary>
    public static readonly FrozenSet<string> ApiOwned =
        FrozenSet.ToFrozenSet(["id", "name", "addedAt", "soundchartsUuid", "isrc", "audioFeatures", "enrichment"], StringComparer.Ordinal);

    /// <summary>The object's remaining properties without the braces (empty when none); null when the text is not a JSON object.</summary>
    public static string? Inner(string spotifyTrackJson)
    {
        using var document = JsonDocument.Parse(spotifyTrackJson);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        using var buffer = new MemoryStream(spotifyTrackJson.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!ApiOwned.Contains(property.Name))
                {
                    property.WriteTo(writer);
                }
            }
            writer.WriteEndObject();
        }
        var text = Encoding.UTF8.GetString(buffer.GetBuffer(), 1, (int)buffer.Length - 2);
        return text;
    }
}
