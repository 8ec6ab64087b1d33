namespace TrackGrains.Grains.Recommendations;

/// <summary>
/// One track as the recommendation index holds it: its attribute values (NaN where unknown), its
/// recording and its Spotify artist ids. <see cref="HasAudio"/> is false for a track SoundCharts sent no
/// audio block for: it has nothing to be measured by and leaves the pool.
/// </summary>
public sealed record CatalogueRow(string Id, double[] Values, string? Isrc, string[] ArtistIds, DateTimeOffset UpdatedAt)
{
    public bool HasAudio
    {
        get
        {
            foreach (var attribute in TrackAttribute.All)
            {
                if (attribute.Similarity && !double.IsNaN(Values[attribute.Index]))
                {
                    return true;
                }
            }
            return false;
        }
    }
}
