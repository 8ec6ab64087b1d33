using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace TrackGrains.Benchmarks.Infrastructure;

/// <summary>The few gateway calls the phases make, with the answers reduced to what they measure.</summary>
public static class TrackApi
{
    public const int MaxBatch = 100;

    public static byte[] BatchBody(IEnumerable<string> ids) => JsonSerializer.SerializeToUtf8Bytes(new { trackIds = ids.ToList() });

    public static HttpContent JsonContent(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>GET /api/tracks/{id}; true on 200 with the whole body read.</summary>
    public static async Task<bool> GetOkAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        await response.Content.ReadAsByteArrayAsync();
        return response.StatusCode == HttpStatusCode.OK;
    }

    /// <summary>POST /api/tracks/batch with a prepared body; true on 200 with the whole body read.</summary>
    public static async Task<bool> PostBatchOkAsync(HttpClient client, byte[] body)
    {
        using var response = await client.PostAsync("/api/tracks/batch", JsonContent(body));
        await response.Content.ReadAsByteArrayAsync();
        return response.StatusCode == HttpStatusCode.OK;
    }

    /// <summary>Each id's enrichment.status, and the batch's "cached" count, from POST /api/tracks/batch.</summary>
    public static async Task<BatchAnswer> BatchAsync(HttpClient client, IReadOnlyCollection<string> ids)
    {
        using var response = await client.PostAsync("/api/tracks/batch", JsonContent(BatchBody(ids)));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"POST /api/tracks/batch answered {(int)response.StatusCode}: {Truncate(bytes)}");
        }
        using var document = JsonDocument.Parse(bytes);
        var statuses = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var track in document.RootElement.GetProperty("tracks").EnumerateArray())
        {
            statuses[track.GetProperty("id").GetString()!] = track.GetProperty("enrichment").GetProperty("status").GetString()!;
        }
        return new BatchAnswer(statuses, document.RootElement.GetProperty("cached").GetInt32(), bytes.Length);
    }

    /// <summary>Statuses of any number of ids, 100 per request, <paramref name="parallel"/> requests at a time.</summary>
    public static async Task<Dictionary<string, string>> StatusesAsync(HttpClient client, IReadOnlyList<string> ids, int parallel = 2)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal);
        var chunks = ids.Chunk(MaxBatch).ToList();
        for (var i = 0; i < chunks.Count; i += parallel)
        {
            var answers = await Task.WhenAll(chunks.Skip(i).Take(parallel).Select(c => BatchAsync(client, c)));
            foreach (var answer in answers)
            {
                foreach (var (id, status) in answer.Statuses)
                {
                    all[id] = status;
                }
            }
        }
        return all;
    }

    public static string Truncate(byte[] bytes, int max = 300)
    {
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        return text.Length <= max ? text : text[..max] + "…";
    }
}

public sealed record BatchAnswer(IReadOnlyDictionary<string, string> Statuses, int Cached, int ResponseBytes);
