namespace TrackGrains.Grains.Interfaces.Tracks;

/// <summary>Where a track stands in its SoundCharts enrichment.</summary>
[GenerateSerializer, Alias("tg.EnrichmentStatus")]
public enum EnrichmentStatus
{
    /// <summary>Not attempted yet, or waiting for a SoundCharts key that can serve.</summary>
    Pending = 0,
    Enriched = 1,
    /// <summary>An attempt failed; another one is scheduled.</summary>
    Retrying = 2,
    /// <summary>SoundCharts does not know the song (404).</summary>
    NotFound = 3,
    /// <summary>Out of attempts, or a final answer such as 410; only an operator retry moves it.</summary>
    Failed = 4,
}
