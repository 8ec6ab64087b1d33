using System.Net.Http.Json;
using System.Text.Json;

namespace TrackGrains.Tests.Backups;

internal static class KeyListing
{
    /// <summary>Every key of GET /api/keys/list by key id, with the state a restore or upgrade must keep.</summary>
    public static async Task<Dictionary<string, ListedKey>> ReadAllAsync(HttpClient admin)
    {
        var list = await admin.GetFromJsonAsync<JsonElement>("/api/keys/list");
        return list.GetProperty("keys").EnumerateArray().ToDictionary(
            k => k.GetProperty("id").GetString()!,
            k => new ListedKey(k.GetProperty("appId").GetString()!, k.GetProperty("isActive").GetBoolean(), k.GetProperty("totalRequests").GetInt64()));
    }
}
