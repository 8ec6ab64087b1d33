using TrackGrains.Grains.Interfaces.Tracks;

namespace TrackGrains.WebGateway.Http;

/// <summary>The problems of a single-track read, shared by /api/tracks/{id} and /v1/audio-features/{id}.</summary>
public static class TrackProblems
{
    public static IResult NotFound(string id, EnrichmentInfo enrichment) =>
        Problems.Create(StatusCodes.Status404NotFound, "Track not known to SoundCharts",
            $"SoundCharts does not know track {id}." + (enrichment.NextRetryAt is { } next ? $" It will be looked up once more after {next:u}." : ""));

    public static IResult NoKey(string id, EnrichmentInfo enrichment) =>
        Problems.Create(StatusCodes.Status503ServiceUnavailable, "No SoundCharts key can serve",
            $"Track {id} is not stored yet and no SoundCharts key can serve right now ({enrichment.LastError ?? "no key"}). " +
            "It waits in the retry queue and is fetched as soon as a key has room; an admin can add a key with POST /api/keys/add.");
}
