using TrackGrains.Grains.Spotify;

namespace TrackGrains.WebGateway.Http;

/// <summary>How the API names bad track ids in its problems; the rule itself is <see cref="SpotifyTrackId"/>.</summary>
public static class SpotifyIds
{
    public static string InvalidDetail(string? id) =>
        $"{Problems.Quote(id)} is not a Spotify track id: expected exactly 22 characters of 0-9, A-Z, a-z (e.g. 7A9rdAz2M6AjRwOa34jxIP).";

    /// <summary>A 400 naming the ids that are not Spotify track ids, or null when all are.</summary>
    public static IResult? CheckAll(IEnumerable<string?> ids)
    {
        var invalid = ids.Where(i => !SpotifyTrackId.IsValid(i)).Distinct(StringComparer.Ordinal).ToList();
        return invalid.Count switch
        {
            0 => null,
            1 => Problems.BadRequest(InvalidDetail(invalid[0])),
            _ => Problems.Create(StatusCodes.Status400BadRequest, "Invalid track ids",
                $"{invalid.Count} of the ids are not Spotify track ids (22 characters of 0-9, A-Z, a-z): " +
                string.Join(", ", invalid.Take(5).Select(Problems.Quote)) + (invalid.Count > 5 ? ", …" : "") + "."),
        };
    }
}
