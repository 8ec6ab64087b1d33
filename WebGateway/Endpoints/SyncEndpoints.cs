using System.Buffers;
using System.Text.Json;
using TrackGrains.Grains.Interfaces.Library;
using TrackGrains.WebGateway.Auth;
using TrackGrains.WebGateway.Http;
using TrackGrains.WebGateway.Rendering;

namespace TrackGrains.WebGateway.Endpoints;

public static class SyncEndpoints
{
    /// <summary>One grain wait stays well inside the silo's response timeout; <c>?wait=true</c> simply asks again.</summary>
    private static readonly TimeSpan WaitSlice = TimeSpan.FromSeconds(30);

    /// <summary>Progress events are at most this frequent; changes in between are folded into the next one.</summary>
    private static readonly TimeSpan EventInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Without news for this long the stream sends a comment, so proxies keep it open.</summary>
    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(15);

    public static IEndpointRouteBuilder MapSync(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/sync").RequireAuthorization(AuthNames.UserPolicy).WithTags("Sync");
        group.MapPost("", StartSync)
            // No .Accepts<SyncBody>(): its content-type matcher would answer a wrong type with a bare 415, before our own actionable one.
            .WithSummary("Starts (or joins the running) sync of the caller's Spotify library. Optional JSON body {\"collectionType\": \"saved\"|\"playlists\"|\"all\"}; ?full=true walks everything, ?wait=true answers when done.")
            .Produces<SyncStatusDoc>(StatusCodes.Status202Accepted)
            .Produces<SyncResultDoc>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status502BadGateway);
        group.MapGet("/{syncId}", GetSync)
            .WithSummary("A sync's state (running, completed, failed), its progress, and its stats once it has ended.")
            .Produces<SyncStatusDoc>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{syncId}/events", StreamEvents)
            .WithSummary("Server-sent events with the sync's progress; the last event ('completed' or 'failed') carries the stats.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<IResult> StartSync(HttpContext context, IGrainFactory grains, JsonSerializerOptionsProvider json)
    {
        var request = context.Request;
        if (CurrentUser.SpotifyUserId(context.User) is not { } userId)
        {
            return CurrentUser.SpotifyUserRequired("Syncing");
        }
        var (full, fullProblem) = QueryValues.Flag(request.Query, "full");
        if (fullProblem is not null)
        {
            return fullProblem;
        }
        var (wait, waitProblem) = QueryValues.Flag(request.Query, "wait");
        if (waitProblem is not null)
        {
            return waitProblem;
        }

        var collectionType = CollectionType.Saved;
        if (request.ContentLength is not 0 && !(request.ContentLength is null && string.IsNullOrEmpty(request.ContentType)))
        {
            var (body, problem) = await JsonBody.ReadAsync<SyncBody>(request, json.Options);
            if (problem is not null)
            {
                return problem;
            }
            if (body!.CollectionType is { } name)
            {
                if (ParseCollectionType(name) is not { } parsed)
                {
                    return Problems.BadRequest(
                        $"collectionType {Problems.Quote(name)} is not one of 'saved', 'playlists', 'all' (leave it out for 'saved').");
                }
                collectionType = parsed;
            }
        }
        if (CurrentUser.BearerToken(request) is not { } token)
        {
            // A Spotify user always came with a bearer header; this guards the claim's other sources.
            return CurrentUser.SpotifyUserRequired("Syncing");
        }

        var library = grains.GetGrain<ILibraryGrain>(userId);
        var status = await library.StartSyncAsync(new SyncRequest(collectionType, full), token);
        if (!wait)
        {
            context.Response.Headers.Location = $"/api/sync/{status.SyncId}";
            return new JsonWriterResult(w => SyncJson.Write(w, status), StatusCodes.Status202Accepted);
        }

        while (!status.IsFinished)
        {
            if (context.RequestAborted.IsCancellationRequested)
            {
                return Results.Empty;
            }
            if (await library.WaitForSyncAsync(status.SyncId, WaitSlice) is not { } current)
            {
                return NotFound(status.SyncId);
            }
            status = current;
        }
        if (status.State == SyncState.Failed)
        {
            return FailureProblem(status);
        }

        var tracks = await library.GetSyncTracksAsync(status.SyncId) ?? [];
        return new JsonWriterResult(w =>
        {
            w.WriteStartObject();
            SyncJson.WriteFields(w, status);
            w.WriteStartArray("tracks");
            foreach (var track in tracks)
            {
                TrackJson.Write(w, track.Track, track.AddedAt);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    public static async Task<IResult> GetSync(string syncId, HttpContext context, IGrainFactory grains)
    {
        if (CurrentUser.SpotifyUserId(context.User) is not { } userId)
        {
            return CurrentUser.SpotifyUserRequired("A sync");
        }
        if (!IsSyncId(syncId))
        {
            return Problems.BadRequest(InvalidSyncId(syncId));
        }
        var status = await grains.GetGrain<ILibraryGrain>(userId).GetSyncAsync(syncId);
        return status is null ? NotFound(syncId) : new JsonWriterResult(w => SyncJson.Write(w, status));
    }

    public static async Task<IResult> StreamEvents(string syncId, HttpContext context, IGrainFactory grains, TimeProvider time)
    {
        if (CurrentUser.SpotifyUserId(context.User) is not { } userId)
        {
            return CurrentUser.SpotifyUserRequired("A sync");
        }
        if (!IsSyncId(syncId))
        {
            return Problems.BadRequest(InvalidSyncId(syncId));
        }
        var library = grains.GetGrain<ILibraryGrain>(userId);
        if (await library.GetSyncAsync(syncId) is not { } status)
        {
            return NotFound(syncId);
        }

        var response = context.Response;
        var aborted = context.RequestAborted;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        try
        {
            var sent = -1L;
            while (true)
            {
                if (status.Version > sent || status.IsFinished)
                {
                    await WriteEventAsync(response, status, aborted);
                    sent = status.Version;
                    if (status.IsFinished)
                    {
                        break;
                    }
                    await Task.Delay(EventInterval, time, aborted);
                }
                else
                {
                    await response.WriteAsync(": keep-alive\n\n", aborted);
                    await response.Body.FlushAsync(aborted);
                }
                if (await library.WatchSyncAsync(syncId, sent, KeepAliveInterval) is not { } current)
                {
                    // Forgotten by the library (only its last syncs are kept): nothing more will come.
                    break;
                }
                status = current;
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        return Results.Empty;
    }

    private static async Task WriteEventAsync(HttpResponse response, SyncStatus status, CancellationToken aborted)
    {
        var data = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(data))
        {
            SyncJson.Write(writer, status);
        }
        var name = status.IsFinished ? SyncJson.Name(status.State) : "progress";
        await response.WriteAsync($"id: {status.Version}\nevent: {name}\ndata: ", aborted);
        await response.Body.WriteAsync(data.WrittenMemory, aborted);
        await response.WriteAsync("\n\n", aborted);
        await response.Body.FlushAsync(aborted);
    }

    private static IResult FailureProblem(SyncStatus status)
    {
        var extensions = new Dictionary<string, object?> { ["syncId"] = status.SyncId };
        var detail = status.Error ?? "The sync failed.";
        return status.Failure switch
        {
            // Our 401: the Spotify token this request authenticated with no longer works.
            SyncFailure.TokenRejected => Problems.Create(StatusCodes.Status401Unauthorized, "Spotify token expired", detail, extensions),
            SyncFailure.RateLimited => Problems.Create(StatusCodes.Status429TooManyRequests, "Spotify rate limit", detail, extensions),
            _ => Problems.Create(StatusCodes.Status502BadGateway, "Spotify sync failed", detail, extensions),
        };
    }

    private static CollectionType? ParseCollectionType(string value) => value.Trim().ToLowerInvariant() switch
    {
        "saved" => CollectionType.Saved,
        "playlists" => CollectionType.Playlists,
        "all" => CollectionType.All,
        _ => null,
    };

    /// <summary>Sync ids are GUIDs in 32 lowercase hex digits.</summary>
    private static bool IsSyncId(string value) => value.Length == 32 && value.All(char.IsAsciiHexDigitLower);

    private static string InvalidSyncId(string value) =>
        $"{Problems.Quote(value)} is not a sync id: use the syncId (32 hex digits) that POST /api/sync answered.";

    private static IResult NotFound(string syncId) => Problems.Create(StatusCodes.Status404NotFound, "Sync not found",
        $"There is no sync {syncId} for your Spotify account (only the latest syncs are remembered). Start one with POST /api/sync.");
}

/// <summary>The optional body of POST /api/sync.</summary>
public sealed record SyncBody(string? CollectionType);

/// <summary>Documentation shapes for the OpenAPI document; the responses are written by <see cref="SyncJson"/>.</summary>
public sealed record SyncStatusDoc(string SyncId, string State, string CollectionType, bool Full, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
    SyncProgress Progress, SyncStats? Stats, string? Error);

public sealed record SyncResultDoc(string SyncId, string State, SyncProgress Progress, SyncStats Stats, List<TrackDoc> Tracks);
