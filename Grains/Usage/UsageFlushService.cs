using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TrackGrains.Grains.Hosting;
using TrackGrains.Grains.Interfaces.Keys;
using TrackGrains.Grains.Keys;
using TrackGrains.Grains.Options;
using TrackGrains.Grains.ReadModel;

namespace TrackGrains.Grains.Usage;

/// <summary>
/// Adds this silo's usage counts to usage_stats every <see cref="UsageOptions.FlushInterval"/> and once
/// more at shutdown, refreshes the retry-queue gauge, and warns once when every key is spent.
/// <see cref="FlushAsync"/> lets a reader (the stats endpoint) make the table current first.
/// </summary>
public sealed class UsageFlushService : BackgroundService
{
    private readonly UsageCounters _counters;
    private readonly StatsStore _store;
    private readonly TrackGrainsMetrics _metrics;
    private readonly KeyDirectory _keys;
    private readonly TimeProvider _time;
    private readonly UsageOptions _options;
    private readonly ILogger<UsageFlushService> _logger;
    private readonly SemaphoreSlim _flushGate = new(1, 1);
    private bool _allKeysExhausted;

    public UsageFlushService(UsageCounters counters, StatsStore store, TrackGrainsMetrics metrics, KeyDirectory keys,
        TimeProvider time, IOptions<UsageOptions> options, ILogger<UsageFlushService> logger)
    {
        _counters = counters;
        _store = store;
        _metrics = metrics;
        _keys = keys;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>
    /// Writes what is counted so far. Serialised, so a caller that reads usage_stats after this
    /// returns sees every count taken before the call, including one a concurrent flush had drained.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _flushGate.WaitAsync(cancellationToken);
        try
        {
            var deltas = _counters.Drain();
            if (deltas.Count > 0)
            {
                try
                {
                    await _store.AddUsageAsync(deltas, CancellationToken.None);
                }
                catch (DbException ex)
                {
                    _counters.Restore(deltas);
                    UsageLog.FlushFailed(_logger, ex, deltas.Count);
                    throw;
                }
            }
            _metrics.SetRetryQueueDepth(await _store.CountRetryQueueAsync(cancellationToken));
        }
        finally
        {
            _flushGate.Release();
        }
    }

    // The database may be busy, the silo not up yet, or the key registry's silo just gone: counts stay in memory
    // until the next round. StopAsync writes the last counts.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(_options.FlushInterval, _time, async cancellationToken =>
        {
            await FlushAsync(cancellationToken);
            await _keys.RefreshAsync();
            WatchKeys(_keys.Known);
        }, ex => UsageLog.TickFailed(_logger, ex), stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await FlushAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is DbException or ObjectDisposedException)
        {
            // ObjectDisposedException: a host stopped from outside (a test server) may already be disposing its services.
            UsageLog.FinalFlushFailed(_logger, ex, _counters.Drain().Count);
        }
    }

    /// <summary>Logs the moment every key is spent, and the moment one can serve again; not every tick.</summary>
    private void WatchKeys(IReadOnlyCollection<KeySnapshot> keys)
    {
        var exhausted = KeyWarnings.AllExhausted(keys);
        if (exhausted && !_allKeysExhausted)
        {
            UsageLog.AllKeysExhausted(_logger, keys.Count);
        }
        else if (!exhausted && _allKeysExhausted && keys.Count > 0)
        {
            UsageLog.KeysAvailableAgain(_logger);
        }
        _allKeysExhausted = exhausted;
    }
}
