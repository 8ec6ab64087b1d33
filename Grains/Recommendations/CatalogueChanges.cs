using System.Collections.Concurrent;

namespace TrackGrains.Grains.Recommendations;

/// <summary>
/// The tracks this process wrote since the recommendation index last looked: the track projection
/// reports each write here after it commits, and the index re-reads just those rows before its next
/// answer, so a track enriched by this process is in the very next pick. Writes by other silos reach
/// the index through its periodic look at updated_at instead.
/// </summary>
public sealed class CatalogueChanges
{
    private readonly ConcurrentDictionary<string, byte> _changed = new(StringComparer.Ordinal);

    public void Written(string spotifyId) => _changed.TryAdd(spotifyId, 0);

    public bool Any => !_changed.IsEmpty;

    /// <summary>Puts back ids taken by a re-read that failed.</summary>
    public void Return(IEnumerable<string> spotifyIds)
    {
        foreach (var id in spotifyIds)
        {
            Written(id);
        }
    }

    /// <summary>Takes the ids reported so far; one reported meanwhile is kept for the next call.</summary>
    public List<string> Take()
    {
        var ids = new List<string>(_changed.Count);
        foreach (var id in _changed.Keys)
        {
            if (_changed.TryRemove(id, out _))
            {
                ids.Add(id);
            }
        }
        return ids;
    }
}
