using Microsoft.Extensions.Logging;
using TrackGrains.Grains.Options;

namespace TrackGrains.Grains.Recommendations;

/// <summary>
/// The enriched catalogue's attribute values, in memory, once per process: a recommendation is a scan
/// of these arrays (a few milliseconds for 100,000 tracks) instead of a query that would read every
/// track's row. It is filled from the read model on first use and kept fresh two ways: the rows this
/// process writes are re-read before the next answer (<see cref="CatalogueChanges"/>), and every
/// <see cref="RecommendationOptions.RefreshInterval"/> <see cref="CatalogueRefresher"/> reads the rows
/// any silo wrote lately, in the background.
/// </summary>
/// <remarks>
/// Memory: 14 doubles, an id and a few references per track, about 250 bytes (25 MB for 100,000 tracks).
/// </remarks>
public sealed partial class CatalogueIndex(
    CatalogueReader reader,
    CatalogueChanges changes,
    TimeProvider time,
    ILogger<CatalogueIndex> logger)
{
    // Rows written by another silo are found by updated_at, which that silo's clock stamped before its
    // transaction committed, possibly after a later-stamped one: looking back this far past the newest stamp
    // seen covers a commit that waited out a busy database and clocks that NTP keeps within seconds. Rows
    // seen again are skipped by their stamp; the cost is re-reading the last half minute's writes per look.
    public static readonly TimeSpan LookBack = TimeSpan.FromSeconds(30);

    private readonly ReaderWriterLockSlim _lock = new();
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _recordings = new(StringComparer.Ordinal);
    // Artists by number, so that each track holds a few ints rather than its own copies of the id strings.
    private readonly Dictionary<string, int> _artistNumbers = new(StringComparer.Ordinal);
    private readonly List<List<int>> _artistSlots = [];
    private string[] _ids = new string[1024];
    private double[] _values = new double[1024 * TrackAttribute.Count];
    private int[] _recording = new int[1024];
    private int[]?[] _artists = new int[1024][];
    private bool[] _inPool = new bool[1024];
    private int _count;
    private bool _loaded;
    private long[] _stamps = new long[1024];
    // Where the next look for other writers' rows starts (only the refresher's look moves it).
    private DateTimeOffset _lookFrom;

    /// <summary>Whether the catalogue was loaded (by the gateway's warm-up or a first recommendation request).</summary>
    public bool IsLoaded => Volatile.Read(ref _loaded);

    /// <summary>
    /// Before an answer: loads the catalogue on first use, then re-reads the rows this process wrote since
    /// (a handful; the other silos' rows are <see cref="LookForOtherWritersAsync"/>'s, off the request path).
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        // Always through the gate, even with no report pending: a request re-reading reports it has taken holds
        // it, and an answer that skipped it would miss those rows (an uncontended wait costs next to nothing).
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (!_loaded)
            {
                // Reports from before the load are in what it reads.
                changes.Take();
                var started = time.GetTimestamp();
                var startedAt = time.GetUtcNow();
                var rows = new List<CatalogueRow>(4096);
                await reader.ReadSinceAsync(null, rows.Add, cancellationToken);
                Apply(rows);
                _lookFrom = startedAt - LookBack;
                Volatile.Write(ref _loaded, true);
                LogLoaded(logger, _count, (long)time.GetElapsedTime(started).TotalMilliseconds);
                return;
            }
            if (changes.Any)
            {
                var ids = changes.Take();
                var rows = new List<CatalogueRow>(ids.Count);
                try
                {
                    await reader.ReadIdsAsync(ids, rows.Add, cancellationToken);
                }
                catch
                {
                    // The asker went away or the database failed: the next answer re-reads them instead.
                    changes.Return(ids);
                    throw;
                }
                Apply(rows);
            }
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>
    /// Takes in the rows any silo wrote lately. A look at time T reads the rows stamped since the previous
    /// look's T less <see cref="LookBack"/>: a row stamped earlier than that had committed before the previous
    /// look began, so a burst of writes is read again for half a minute at most, not at every look after it.
    /// Run every <see cref="RecommendationOptions.RefreshInterval"/> by <see cref="CatalogueRefresher"/>, once
    /// the catalogue is loaded (one caller at a time); requests do not wait for it.
    /// </summary>
    public async Task LookForOtherWritersAsync(CancellationToken cancellationToken = default)
    {
        if (!IsLoaded)
        {
            return;
        }
        var startedAt = time.GetUtcNow();
        var rows = new List<CatalogueRow>();
        await reader.ReadSinceAsync(_lookFrom, rows.Add, cancellationToken);
        Apply(rows);
        if (startedAt - LookBack > _lookFrom)
        {
            _lookFrom = startedAt - LookBack;
        }
    }

    /// <summary>The point of an artist seed: the mean of the artist's indexed tracks, or null when none is indexed.</summary>
    public double[]? ArtistPoint(string artistId)
    {
        _lock.EnterReadLock();
        try
        {
            if (!_artistNumbers.TryGetValue(artistId, out var artist))
            {
                return null;
            }
            var slots = _artistSlots[artist];
            var sums = new double[TrackAttribute.Count];
            var counts = new int[TrackAttribute.Count];
            var tracks = 0;
            foreach (var slot in slots)
            {
                // A stale entry: the track's artists changed after it was listed here.
                if (!_inPool[slot] || Array.IndexOf(_artists[slot]!, artist) < 0)
                {
                    continue;
                }
                tracks++;
                for (var a = 0; a < TrackAttribute.Count; a++)
                {
                    var v = _values[slot * TrackAttribute.Count + a];
                    if (!double.IsNaN(v))
                    {
                        sums[a] += v;
                        counts[a]++;
                    }
                }
            }
            if (tracks == 0)
            {
                return null;
            }
            var point = RecommendationRequest.Unset();
            for (var a = 0; a < TrackAttribute.Count; a++)
            {
                if (counts[a] > 0)
                {
                    point[a] = sums[a] / counts[a];
                }
            }
            return point;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>The picks for a checked request; call <see cref="RefreshAsync"/> first.</summary>
    public Recommendation Recommend(RecommendationRequest request)
    {
        _lock.EnterReadLock();
        try
        {
            return new Picker(this, request).Pick();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Writes rows in, a few thousand per hold of the write lock so that answers are not held up for long.</summary>
    private void Apply(List<CatalogueRow> rows)
    {
        foreach (var chunk in rows.Chunk(2000))
        {
            _lock.EnterWriteLock();
            try
            {
                foreach (var row in chunk)
                {
                    Put(row);
                }
            }
            finally
            {
                _lock.ExitWriteLock();
            }
        }
    }

    private void Put(CatalogueRow row)
    {
        if (!_slots.TryGetValue(row.Id, out var slot))
        {
            if (!row.HasAudio)
            {
                return;
            }
            slot = _count++;
            Grow();
            _slots[row.Id] = slot;
            _ids[slot] = row.Id;
        }
        else if (row.UpdatedAt.UtcTicks < _stamps[slot])
        {
            // Read before a newer version of the row that is already here (a look and a local re-read crossed).
            return;
        }
        _stamps[slot] = row.UpdatedAt.UtcTicks;
        _inPool[slot] = row.HasAudio;
        Array.Copy(row.Values, 0, _values, slot * TrackAttribute.Count, TrackAttribute.Count);
        if (row.Isrc is { } isrc)
        {
            if (!_recordings.TryGetValue(isrc, out var recording))
            {
                recording = _recordings.Count;
                _recordings[isrc] = recording;
            }
            _recording[slot] = recording;
        }
        else
        {
            // No ISRC: a recording of its own.
            _recording[slot] = -1 - slot;
        }
        var previous = _artists[slot];
        var artists = new int[row.ArtistIds.Length];
        for (var i = 0; i < artists.Length; i++)
        {
            if (!_artistNumbers.TryGetValue(row.ArtistIds[i], out var artist))
            {
                artist = _artistSlots.Count;
                _artistNumbers[row.ArtistIds[i]] = artist;
                _artistSlots.Add([]);
            }
            artists[i] = artist;
            if (previous is null || Array.IndexOf(previous, artist) < 0)
            {
                _artistSlots[artist].Add(slot);
            }
        }
        _artists[slot] = artists;
    }

    private void Grow()
    {
        if (_count <= _ids.Length)
        {
            return;
        }
        var size = _ids.Length * 2;
        Array.Resize(ref _ids, size);
        Array.Resize(ref _values, size * TrackAttribute.Count);
        Array.Resize(ref _recording, size);
        Array.Resize(ref _artists, size);
        Array.Resize(ref _inPool, size);
        Array.Resize(ref _stamps, size);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recommendation index loaded: {Tracks} tracks in {Milliseconds} ms")]
    private static partial void LogLoaded(ILogger logger, int tracks, long milliseconds);

    /// <summary>One request's scan over the arrays, under the read lock.</summary>
    private sealed class Picker(CatalogueIndex index, RecommendationRequest request)
    {
        // A target is what the caller asked for outright: it weighs four times a seed's pull on the same axis,
        // so that one target holds its own against the eight sound axes the seeds still pull on.
        private const double TargetWeight = 4;

        public Recommendation Pick()
        {
            var seeds = SeedPoints();
            var targets = TrackAttribute.All.Where(a => !double.IsNaN(request.Target[a.Index])).ToArray();
            var filters = TrackAttribute.All
                .Where(a => !double.IsNaN(request.Minimum[a.Index]) || !double.IsNaN(request.Maximum[a.Index]))
                .ToArray();
            // A handful of seeds: compared as slot and recording numbers, not by hashing every track's id.
            var excludedSlots = request.ExcludedIds.Select(id => index._slots.GetValueOrDefault(id, -1)).ToArray();
            var excludedRecordings = request.ExcludedIsrcs.Select(isrc => index._recordings.GetValueOrDefault(isrc, int.MinValue)).ToArray();

            var initial = 0;
            var filtered = 0;
            // Recordings counted so far, one bit each: nothing per request grows with the catalogue but these bits.
            var recordingsSeen = new ulong[(index._recordings.Count + 63) / 64];
            var afterRelinking = 0;
            // The best limit * 2 (a margin for recordings that appear twice), worst on top.
            var keep = Math.Max(request.Limit * 2, request.Limit + 16);
            var best = new PriorityQueue<int, Ranked>(keep + 1, Ranked.WorstFirst);
            foreach (var slot in Candidates())
            {
                if (!index._inPool[slot] || Array.IndexOf(excludedSlots, slot) >= 0)
                {
                    continue;
                }
                initial++;
                if (!PassesFilters(slot, filters))
                {
                    continue;
                }
                filtered++;
                var recording = index._recording[slot];
                if (Array.IndexOf(excludedRecordings, recording) >= 0)
                {
                    continue;
                }
                // Counted once per recording (a track without an ISRC is a recording of its own); both releases
                // stay candidates, the better placed one is picked below.
                if (recording < 0)
                {
                    afterRelinking++;
                }
                else if ((recordingsSeen[recording >> 6] & (1UL << recording)) == 0)
                {
                    recordingsSeen[recording >> 6] |= 1UL << recording;
                    afterRelinking++;
                }
                var ranked = new Ranked(Score(slot, seeds, targets), index._ids[slot]);
                if (best.Count < keep)
                {
                    best.Enqueue(slot, ranked);
                }
                else if (best.TryPeek(out _, out var worst) && Ranked.BestFirst.Compare(ranked, worst) < 0)
                {
                    best.EnqueueDequeue(slot, ranked);
                }
            }

            var ordered = new List<(int Slot, Ranked Rank)>(best.Count);
            while (best.TryDequeue(out var slot, out var rank))
            {
                ordered.Add((slot, rank));
            }
            var picks = BestPerRecording(ordered);
            // The margin was not enough (many releases of the same recordings near the top): rank them all.
            if (picks.Count < request.Limit && picks.Count < afterRelinking)
            {
                picks = PickAll(seeds, targets, filters, excludedSlots, excludedRecordings);
            }
            return new Recommendation(picks, initial, filtered, afterRelinking);
        }

        private List<string> PickAll(double[][] seeds, TrackAttribute[] targets, TrackAttribute[] filters, int[] excludedSlots, int[] excludedRecordings)
        {
            var all = new List<(int Slot, Ranked Rank)>();
            foreach (var slot in Candidates())
            {
                if (index._inPool[slot] && Array.IndexOf(excludedSlots, slot) < 0 && PassesFilters(slot, filters)
                    && Array.IndexOf(excludedRecordings, index._recording[slot]) < 0)
                {
                    all.Add((slot, new Ranked(Score(slot, seeds, targets), index._ids[slot])));
                }
            }
            return BestPerRecording(all);
        }

        /// <summary>The first <c>limit</c> candidates in rank order, the better placed release of each recording only.</summary>
        private List<string> BestPerRecording(List<(int Slot, Ranked Rank)> candidates)
        {
            candidates.Sort((x, y) => Ranked.BestFirst.Compare(x.Rank, y.Rank));
            var picks = new List<string>(request.Limit);
            var picked = new HashSet<int>();
            foreach (var (slot, _) in candidates)
            {
                if (picks.Count == request.Limit)
                {
                    break;
                }
                if (picked.Add(index._recording[slot]))
                {
                    picks.Add(index._ids[slot]);
                }
            }
            return picks;
        }

        private IEnumerable<int> Candidates()
        {
            if (request.Pool is null)
            {
                for (var slot = 0; slot < index._count; slot++)
                {
                    yield return slot;
                }
                yield break;
            }
            // Each track of the library once, in slot order, so that the scan does not depend on how the library was listed.
            var slots = new List<int>(request.Pool.Count);
            foreach (var id in request.Pool)
            {
                if (index._slots.TryGetValue(id, out var slot))
                {
                    slots.Add(slot);
                }
            }
            slots.Sort();
            var previous = -1;
            foreach (var slot in slots)
            {
                if (slot != previous)
                {
                    yield return slot;
                }
                previous = slot;
            }
        }

        private bool PassesFilters(int slot, TrackAttribute[] filters)
        {
            var row = slot * TrackAttribute.Count;
            foreach (var a in filters)
            {
                var v = index._values[row + a.Index];
                // A track whose value is unknown cannot be shown to be in range; a bound not given is NaN, and no comparison with NaN holds.
                if (double.IsNaN(v) || v < request.Minimum[a.Index] || v > request.Maximum[a.Index])
                {
                    return false;
                }
            }
            return true;
        }

        private double[][] SeedPoints() => request.Seeds.Where(s => TrackAttribute.All.Any(a => a.Similarity && !double.IsNaN(s[a.Index]))).ToArray();

        /// <summary>
        /// Squared distance: to the nearest seed on the sound axes the request does not target (each seed's
        /// sum brought to the full axis count when the seed lacks some values), plus twice the squared
        /// distance to each target. An unknown value of the track counts as the largest difference.
        /// </summary>
        private double Score(int slot, double[][] seeds, TrackAttribute[] targets)
        {
            var row = slot * TrackAttribute.Count;
            var score = 0.0;
            if (seeds.Length > 0)
            {
                // The sound axes a target does not replace, worked out once per request.
                var axes = _seedAxes ??= TrackAttribute.All.Where(a => a.Similarity && double.IsNaN(request.Target[a.Index])).ToArray();
                var nearest = double.MaxValue;
                foreach (var seed in seeds)
                {
                    var sum = 0.0;
                    var measured = 0;
                    foreach (var a in axes)
                    {
                        var s = seed[a.Index];
                        if (double.IsNaN(s))
                        {
                            continue;
                        }
                        measured++;
                        var v = index._values[row + a.Index];
                        var d = double.IsNaN(v) ? 1 : a.Difference(v, s);
                        sum += d * d;
                    }
                    nearest = Math.Min(nearest, measured == 0 ? 0 : sum * axes.Length / measured);
                }
                score = nearest;
            }
            foreach (var a in targets)
            {
                var v = index._values[row + a.Index];
                var d = double.IsNaN(v) ? 1 : a.Difference(v, request.Target[a.Index]);
                score += TargetWeight * d * d;
            }
            return score;
        }

        private TrackAttribute[]? _seedAxes;
    }

    /// <summary>A candidate's score, ties broken by id so that the same request always gets the same picks.</summary>
    private readonly record struct Ranked(double Score, string Id)
    {
        public static readonly IComparer<Ranked> BestFirst = Comparer<Ranked>.Create((x, y) =>
        {
            var c = x.Score.CompareTo(y.Score);
            return c != 0 ? c : string.CompareOrdinal(x.Id, y.Id);
        });

        public static readonly IComparer<Ranked> WorstFirst = Comparer<Ranked>.Create((x, y) => BestFirst.Compare(y, x));
    }
}
