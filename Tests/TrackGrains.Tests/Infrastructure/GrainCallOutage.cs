using System.Collections.Concurrent;

namespace TrackGrains.Tests.Infrastructure;

/// <summary>
/// A grain call filter that makes chosen calls fail as a call to a grain on a dead silo does: the test names
/// the method and the grain's key, and the next such call throws <see cref="SiloUnavailableException"/>.
/// </summary>
public sealed class GrainCallOutage : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<(string Method, string GrainKey), bool> _failNext = new();

    /// <summary>Calls marked to fail that have not been made yet.</summary>
    public int Pending => _failNext.Count;

    public void FailNext(string method, string grainKey) => _failNext[(method, grainKey)] = true;

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (_failNext.TryRemove((context.InterfaceMethod.Name, context.TargetId.Key.ToString()), out _))
        {
            throw new SiloUnavailableException($"test outage: {context.InterfaceMethod.Name} on {context.TargetId}");
        }
        return context.Invoke();
    }
}
