using System.Text.Json;
using TrackGrains.Grains.Interfaces.Library;

namespace TrackGrains.WebGateway.Rendering;

/// <summary>Writes a sync's status: the same object for the 202, GET /api/sync/{id} and every event of the stream.</summary>
public static class SyncJson
{
    public static void Write(Utf8JsonWriter w, SyncStatus status)
    {
        w.WriteStartObject();
        WriteFields(w, status);
        w.WriteEndObject();
    }

    /// <summary>The status fields, for callers that add their own (the <c>?wait=true</c> answer adds the tracks).</summary>
    public static void WriteFields(Utf8JsonWriter w, SyncStatus status)
    {
        w.WriteString("syncId", status.SyncId);
        w.WriteString("state", Name(status.State));
        w.WriteString("collectionType", Name(status.CollectionType));
        w.WriteBoolean("full", status.Full);
        w.WriteString("startedAt", status.StartedAt);
        if (status.FinishedAt is { } finished)
        {
            w.WriteString("finishedAt", finished);
        }
        else
        {
            w.WriteNull("finishedAt");
        }

        var p = status.Progress;
        w.WriteStartObject("progress");
        w.WriteNumber("pages", p.Pages);
        w.WriteNumber("itemsScanned", p.ItemsScanned);
        w.WriteNumber("skipped", p.Skipped);
        w.WriteNumber("tracksFound", p.TracksFound);
        w.WriteNumber("tracksDone", p.TracksDone);
        w.WriteEndObject();

        if (status.Stats is { } s)
        {
            w.WriteStartObject("stats");
            w.WriteNumber("total", s.Total);
            w.WriteNumber("cached", s.Cached);
            w.WriteNumber("newFromSpotify", s.NewFromSpotify);
            w.WriteNumber("fetchedFromSoundCharts", s.FetchedFromSoundCharts);
            w.WriteNumber("notFound", s.NotFound);
            w.WriteNumber("failed", s.Failed);
            w.WriteNumber("addedToLibrary", s.AddedToLibrary);
            w.WriteNumber("removedFromLibrary", s.RemovedFromLibrary);
            w.WriteStartObject("skipped");
            w.WriteNumber("nullTracks", s.Skipped.NullTracks);
            w.WriteNumber("localFiles", s.Skipped.LocalFiles);
            w.WriteNumber("episodes", s.Skipped.Episodes);
            w.WriteNumber("duplicates", s.Skipped.Duplicates);
            w.WriteNumber("malformed", s.Skipped.Malformed);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        if (status.WaitingForBudgetUntil is { } until)
        {
            w.WriteString("waitingForBudgetUntil", until);
            w.WriteString("waiting", WaitingForBudget(until));
        }
        if (status.Error is { } error)
        {
            w.WriteString("error", error);
        }
    }

    public static string WaitingForBudget(DateTimeOffset until) =>
        $"Your daily budget of SoundCharts calls (Access:UserDailySoundChartsCalls) is spent. The sync keeps every track and " +
        $"waits: it goes on by itself at {until:u}, when the next UTC day's budget begins; tracks already enriched are served meanwhile.";

    public static string Name(SyncState state) => state switch
    {
        SyncState.Running => "running",
        SyncState.Completed => "completed",
        _ => "failed",
    };

    public static string Name(CollectionType type) => type switch
    {
        CollectionType.Saved => "saved",
        CollectionType.Playlists => "playlists",
        _ => "all",
    };
}
