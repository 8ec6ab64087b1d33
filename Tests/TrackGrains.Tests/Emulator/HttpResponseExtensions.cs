using System.Text.Json.Nodes;

namespace TrackGrains.Tests.Emulator;

internal static class HttpResponseExtensions
{
    public static string? Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;

    public static async Task<JsonNode> Json(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    /// <summary>The message of a SoundCharts error body {"errors":[{"key","code","message"}]}.</summary>
    public static async Task<string> SoundChartsError(this HttpResponseMessage response) =>
        (string)(await response.Json())["errors"]![0]!["message"]!;

    /// <summary>The message of a Spotify error body {"error":{"status","message"}}.</summary>
    public static async Task<string> SpotifyError(this HttpResponseMessage response) =>
        (string)(await response.Json())["error"]!["message"]!;
}
