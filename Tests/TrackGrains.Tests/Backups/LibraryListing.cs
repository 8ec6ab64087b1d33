using System.Net.Http.Json;
using System.Text.Json;

namespace TrackGrains.Tests.Backups;

internal static class LibraryListing
{
    /// <summary>Every track of the caller's library, page by page, with its enrichment status.</summary>
    public static async Task<Dictionary<string, string>> ReadAllAsync(HttpClient user)
    {
        var tracks = new Dictionary<string, string>();
        int total;
        do
        {
            var page = await user.GetFromJsonAsync<JsonElement>($"/api/library?offset={tracks.Count}&limit=200");
            total = page.GetProperty("total").GetInt32();
            var items = page.GetProperty("tracks").EnumerateArray().ToList();
            foreach (var track in items)
            {
                tracks.Add(track.GetProperty("id").GetString()!, track.GetProperty("enrichment").GetProperty("status").GetString()!);
            }
            if (items.Count == 0)
            {
                break;
            }
        }
        while (tracks.Count < total);
        Assert.Equal(total, tracks.Count);
        return tracks;
    }
}
