using System.Collections.Concurrent;

namespace TrackGrains.Tests.Infrastructure;

/// <summary>
/// A grain call filter that makes chosen calls fail as calls to a grain on a dying silo do: the test names the
/// method (and, if it matters, the grain's key), and the next such call throws instead of running.
/// </summary>
public sealed class GrainCallOutage : IIncomingGrainCallFilter
{
    private const string AnyGrain = "";
    private readonly ConcurrentDictionary<(string Method, string GrainKey), Func<Exception>> _failNext = new();

    /// <summary>Calls marked to fail that have not been made yet.</summary>
    public int Pending => _failNext.Count;

    /// <param name="exception">What the call throws; by default <see cref="SiloUnavailableException"/>, as when the silo is gone.</param>
    public void FailNext(string method, string? grainKey = null, Func<Exception>? exception = null) =>
        _failNext[(method, grainKey ?? AnyGrain)] = exception ?? (() => new SiloUnavailableException($"test outage: {method}"));

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (_failNext.IsEmpty)
        {
            // Every grain call of every test server passes here: nothing to look up unless a test asked.
            return context.Invoke();
        }
        var method = context.InterfaceMethod.Name;
        if (_failNext.TryRemove((method, context.TargetId.Key.ToString()), out var exception) || _failNext.TryRemove((method, AnyGrain), out exception))
        {
            throw exception();
        }
        return context.Invoke();
    }
}
