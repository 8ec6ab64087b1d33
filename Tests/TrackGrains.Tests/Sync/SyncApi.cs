using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TrackGrains.Tests.Sync;

/// <summary>Calls of the sync API the tests share, and the server-sent event reader.</summary>
internal static class SyncApi
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public static async Task<JsonElement> SyncAndWaitAsync(HttpClient client, string? collectionType = null, bool full = false)
    {
        using var response = await PostAsync(client, $"/api/sync?wait=true{(full ? "&full=true" : "")}", collectionType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, string? collectionType = null)
    {
        using var cancel = new CancellationTokenSource(Timeout);
        HttpContent? content = collectionType is null ? null : JsonContent.Create(new { collectionType });
        return await client.PostAsync(url, content, cancel.Token);
    }

    /// <summary>Reads the event stream of a sync to its end (it ends when the sync does), within the timeout.</summary>
    public static async Task<List<SyncEvent>> ReadEventsAsync(HttpClient client, string syncId)
    {
        using var cancel = new CancellationTokenSource(Timeout);
        using var response = await client.GetAsync($"/api/sync/{syncId}/events", HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync(cancel.Token);
        return Parse(text);
    }

    public static List<SyncEvent> Parse(string text)
    {
        var events = new List<SyncEvent>();
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string? name = null, data = null;
            long? id = null;
            foreach (var line in block.Split('\n'))
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line["event: ".Length..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data = line["data: ".Length..];
                }
                else if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    id = long.Parse(line["id: ".Length..], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            if (name is not null && data is not null)
            {
                events.Add(new SyncEvent(name, id, JsonDocument.Parse(data).RootElement.Clone()));
            }
        }
        return events;
    }

    public static async Task<JsonElement> GetJsonAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static int Int(this JsonElement e, string path)
    {
        foreach (var part in path.Split('.'))
        {
            e = e.GetProperty(part);
        }
        return e.GetInt32();
    }
}

public sealed record SyncEvent(string Name, long? Id, JsonElement Data);
